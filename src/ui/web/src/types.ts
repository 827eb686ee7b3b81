/** The JSON the server sends (see src/ui/routes/*.ts). */
export interface BackupItem {
  id: string;
  path: string;
  udid?: string;
  deviceName?: string;
  productType?: string;
  modelName?: string;
  productVersion?: string;
  lastBackupDate?: string;
  /** absent when Manifest.plist cannot tell (missing, damaged, no IsEncrypted): shown as unknown */
  encrypted?: boolean;
  state: string;
  sizeOnDisk?: number;
  fileCount?: number;
  problems: string[];
  demo: boolean;
  demoPassword?: string;
}

export interface SessionItem {
  id: string;
  backupId: string;
  demo: boolean;
  info: { path: string; deviceName?: string; modelName?: string; productType?: string; productVersion?: string; lastBackupDate?: string; fileCount?: number; encrypted: boolean };
}

export interface FileItem {
  domain: string;
  relativePath: string;
  kind: 'file' | 'link';
  size: number;
  mtime?: string;
  /** photos, messages, notes, contacts, calls, apps or other (src/ui/file-categories.ts) */
  category: string;
  /** whether the server can show a preview: 'image', 'heic' (its embedded one, if any) or 'none' */
  preview: 'image' | 'heic' | 'none';
}

export interface JobProgress {
  phase: string;
  done: number;
  total?: number;
  unit: string;
  detail?: string;
  rate?: number;
  etaSeconds?: number;
  elapsedSeconds?: number;
}

export interface Job {
  id: string;
  kind: string;
  title: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  startedAt: string;
  endedAt?: string;
  progress?: JobProgress;
  result?: unknown;
  error?: { code: string; message: string; next: string };
  actions: string[];
  links?: Record<string, string>;
}

export interface IssueList {
  count: number;
  first: Array<{ domain: string; relativePath: string; reason: string; writtenAs?: string }>;
}
