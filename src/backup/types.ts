/**
 * What the rest of the library (export/, ui/, recover/) sees of an opened backup. backup/open.ts
 * implements it over a folder; tests implement it over an in-memory map.
 */
import type { Readable } from 'node:stream';

export enum FileKind {
  File = 1,
  Directory = 2,
  Symlink = 4,
}

export interface BackupFileRecord {
  /** sha1(domain + "-" + relativePath), hex; the on-disk name under <fileID[0:2]>/ */
  fileID: string;
  domain: string;
  relativePath: string;
  kind: FileKind;
  /** advisory: the real plaintext length is what the padding says */
  size: number;
  mtime?: Date;
  birth?: Date;
  /** POSIX mode bits, when the manifest has them */
  mode?: number;
  /** symlink target, when kind is Symlink */
  target?: string;
  /** data-protection class of the per-file key (encrypted backups) */
  protectionClass?: number;
}

export interface BackupInfo {
  /** the backup folder (holding Manifest.plist) */
  path: string;
  udid?: string;
  deviceName?: string;
  productType?: string;
  /** marketing name, e.g. "iPhone 13" for iPhone14,5 */
  modelName?: string;
  productVersion?: string;
  buildVersion?: string;
  serialNumber?: string;
  phoneNumber?: string;
  lastBackupDate?: Date;
  /** undefined when it cannot be known: Manifest.plist missing or damaged, or without IsEncrypted */
  encrypted?: boolean;
  passcodeSet?: boolean;
  /** "complete" | "in-progress" | "failed" | "unknown" from Status.plist */
  state: 'complete' | 'in-progress' | 'failed' | 'unknown';
  isFullBackup?: boolean;
  /** Manifest.db (iOS 10+) or Manifest.mbdb (iOS 5 to 9) */
  manifestFormat: 'db' | 'mbdb' | 'unknown';
  sizeOnDisk?: number;
  fileCount?: number;
  installedApps?: string[];
}

export interface FileQuery {
  domain?: string;
  /** picomatch glob against relativePath */
  path?: string;
  kinds?: FileKind[];
}

/** An opened, unlocked (or unencrypted) backup. Reads only; never writes into the backup folder. */
export interface BackupReader {
  readonly info: BackupInfo;
  /** every record matching the query, manifest order */
  files(query?: FileQuery): BackupFileRecord[];
  /** each domain with its number of files (kind File), sorted by name */
  domains(): Array<{ domain: string; files: number }>;
  /** one record by domain and path, exact match */
  findFile(domain: string, relativePath: string): BackupFileRecord | undefined;
  /** plaintext of a file (decrypted when needed); CorruptInputError if missing on disk or damaged */
  readFile(record: BackupFileRecord): Promise<Buffer>;
  /** plaintext as a stream, for large files */
  openFile(record: BackupFileRecord): Promise<Readable>;
  /** copy a file's plaintext to a private temp file (0600) and return its path; for SQLite */
  copyToTemp(record: BackupFileRecord): Promise<string>;
  /** release temp files */
  close(): Promise<void>;
}
