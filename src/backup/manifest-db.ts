/**
 * Manifest.db (iOS 10+): SQLite with Files(fileID, domain, relativePath, flags, file) where `file`
 * is an MBFile archive. Always opened from our private copy, read-only, as hostile input: schema
 * code is not trusted, `Files` must be a plain table (a view could run forever, a recursive one
 * does), only its five columns are read, rows are streamed under a cap, and a bad row loses that
 * one file (listed in `damaged`), not the backup.
 */
import type Database from 'better-sqlite3';
import { sqlite } from '../fs/sqlite-module.js';
import { CorruptInputError, IrescueError, throwIfAborted } from '../errors.js';
import { decodeMBFile, type MBFile } from './mbfile.js';

/** Most rows read from Files: far above the ~1 million files of the largest real backups. */
const MANIFEST_MAX_ROWS = 10_000_000;
/** Rows between two checks of the abort signal. */
const ROWS_PER_CHECK = 4096;

/** A row that could not be used: the one file it describes is listed, the rest still come out. */
export interface DamagedManifestRow {
  /** 1-based, in table order */
  row: number;
  fileID?: string;
  domain: string;
  relativePath: string;
  reason: string;
}

export interface ManifestRow {
  fileID: string;
  domain: string;
  relativePath: string;
  flags: number;
  mbfile?: MBFile;
}


const COLUMNS = ['fileID', 'domain', 'relativePath', 'flags', 'file'];

/** Refuse what could run code or never end: `Files` must be an ordinary table with our columns. */
function checkSchema(db: Database.Database, displayName: string): void {
  const entry = db.prepare("SELECT type, sql FROM sqlite_master WHERE name = 'Files' COLLATE NOCASE").get() as { type?: string; sql?: string } | undefined;
  if (!entry) throw new CorruptInputError(displayName, 'has no Files table (damaged file index)');
  if (entry.type !== 'table') throw new CorruptInputError(displayName, `Files is a ${entry.type}, not a table: refused (a hostile or damaged file index)`);
  if (/^\s*CREATE\s+VIRTUAL\b/i.test(entry.sql ?? '')) throw new CorruptInputError(displayName, 'Files is a virtual table, not a table: refused (a hostile or damaged file index)');
  const have = new Set((db.prepare("SELECT name FROM pragma_table_info('Files')").all() as Array<{ name: string }>).map((c) => c.name.toLowerCase()));
  const missing = COLUMNS.filter((c) => !have.has(c.toLowerCase()));
  if (missing.length) throw new CorruptInputError(displayName, `Files lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (damaged file index)`);
}

export interface ManifestDbContents {
  rows: ManifestRow[];
  damaged: DamagedManifestRow[];
}

/**
 * Every usable row of our private copy of Manifest.db, and the rows that are not (each one file).
 * Throws CorruptInputError naming `displayName` only when the index as a whole cannot be read.
 */
export function readManifestDb(copyPath: string, displayName: string, signal?: AbortSignal): ManifestDbContents {
  // Outside the try: a missing SQLite module is an install problem with its own next step, not a damaged file.
  const Sqlite = sqlite();
  let db: Database.Database;
  try {
    db = new Sqlite(copyPath, { readonly: true, fileMustExist: true });
    // Functions named in the schema (views, triggers, defaults) must not run with our rights.
    db.pragma('trusted_schema = OFF');
  } catch (e) {
    throw new CorruptInputError(displayName, `cannot open as SQLite (${(e as Error).message})`, { cause: e });
  }
  try {
    const rows: ManifestRow[] = [];
    const damaged: DamagedManifestRow[] = [];
    let n = 0;
    try {
      checkSchema(db, displayName);
      const stmt = db.prepare('SELECT fileID, domain, relativePath, flags, file FROM Files');
      for (const raw of stmt.iterate() as Iterable<{ fileID: unknown; domain: unknown; relativePath: unknown; flags: unknown; file: unknown }>) {
        n++;
        if (n > MANIFEST_MAX_ROWS) throw new CorruptInputError(displayName, `Files has more than ${MANIFEST_MAX_ROWS} rows: refused`);
        if (n % ROWS_PER_CHECK === 0) throwIfAborted(signal);
        const domain = typeof raw.domain === 'string' ? raw.domain : '';
        const relativePath = typeof raw.relativePath === 'string' ? raw.relativePath : '';
        if (typeof raw.fileID !== 'string' || !/^[0-9a-f]{40}$/i.test(raw.fileID)) {
          damaged.push({ row: n, domain, relativePath, reason: 'its fileID is not 40 hex digits, so its data cannot be found' });
          continue;
        }
        const row: ManifestRow = { fileID: raw.fileID.toLowerCase(), domain, relativePath, flags: typeof raw.flags === 'number' ? raw.flags : Number(raw.flags ?? 0) };
        if (Buffer.isBuffer(raw.file) && raw.file.length > 0) {
          try {
            row.mbfile = decodeMBFile(raw.file, `${displayName} (file ${domain}/${relativePath})`);
          } catch (e) {
            if (!(e instanceof CorruptInputError)) throw e;
            damaged.push({ row: n, fileID: row.fileID, domain, relativePath, reason: `its file record is damaged (${e.message.replace(/^.*?\): /, '')})` });
            continue;
          }
        }
        rows.push(row);
      }
    } catch (e) {
      if (e instanceof IrescueError) throw e;
      throw new CorruptInputError(displayName, `damaged file index (${(e as Error).message})`, { cause: e });
    }
    return { rows, damaged };
  } finally {
    db.close();
  }
}
