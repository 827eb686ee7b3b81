/** What every exporter takes and returns. */
import type { OnProgress } from '../progress.js';
import type { TimeZoneMode } from './apple-time.js';
import type { BackupReader } from '../backup/types.js';
import type { OutputDir } from './output.js';

export type ExportCategory = 'messages' | 'contacts' | 'calls' | 'photos' | 'notes' | 'whatsapp';
export const EXPORT_CATEGORIES: readonly ExportCategory[] = ['messages', 'contacts', 'calls', 'photos', 'notes', 'whatsapp'];

export interface ExportOptions {
  /** output folder; created when missing; nothing is written outside it */
  out: string;
  /** photos: YYYY/YYYY-MM-DD folders instead of the camera roll's own folders */
  byDate?: boolean;
  /** how dates are shown in HTML and the *_local CSV columns (default: this machine's zone) */
  timeZone?: TimeZoneMode;
  onProgress?: OnProgress;
  signal?: AbortSignal;
  /** rows and seconds one database may cost (defaults EXPORT_DB_MAX_ROWS, EXPORT_DB_MAX_SECONDS) */
  databaseLimits?: { maxRows?: number; maxSeconds?: number };
}

/** One category's outcome; `all` keeps going after a category fails. */
export interface CategoryResult {
  category: ExportCategory;
  /** exported: files written · empty: database present, nothing in it · missing: no database · failed */
  status: 'exported' | 'empty' | 'missing' | 'failed';
  /** messages, contacts, calls, photos or notes written */
  count: number;
  /** for people: "no messages in this backup", "HomeDomain/Library/SMS/sms.db: not a SQLite database" */
  message?: string;
  /** error code when failed (CORRUPT_INPUT, …) */
  errorCode?: string;
  /** columns an unknown iOS version lacks, as table.column */
  missingColumns?: string[];
  /** the category's landing page, relative to the output folder */
  page?: string;
  /** main files written, relative to the output folder */
  files: string[];
  /** non-fatal problems (an attachment missing from the backup, …) */
  warnings: string[];
  /** files the manifest lists that were absent, unreadable or damaged: left out, the rest exported */
  skipped?: SkippedFile[];
}

/** One file of the backup an export could not read (it goes on without it). */
export interface SkippedFile {
  /** "CameraRollDomain/Media/DCIM/100APPLE/IMG_0001.HEIC" */
  file: string;
  /** for people: "missing from the backup folder", "damaged database (…)" */
  problem: string;
}

/** What an exporter needs: the opened backup, a checked output folder, and the options. */
export interface ExportContext {
  reader: BackupReader;
  out: OutputDir;
  options: ExportOptions;
}
