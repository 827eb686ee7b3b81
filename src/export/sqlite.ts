/**
 * Opens a database from the backup: on a private temp copy (never the backup itself), read-only,
 * with the WAL flag in the header cleared so SQLite does not need a writable folder
 * (DEPENDENCIES.md: header bytes 18-19). When the backup carries a -wal file beside the
 * database, it is copied next to our copy and replayed, because it holds the newest rows.
 */
import Database from 'better-sqlite3';
import { copyFile, rm } from 'node:fs/promises';
import { CorruptInputError } from '../errors.js';
import { prepareSqliteCopy } from '../fs/sqlite-file.js';
import type { BackupFileRecord, BackupReader } from '../backup/types.js';

export type Db = Database.Database;

export interface OpenedDb {
  db: Db;
  /** "HomeDomain/Library/SMS/sms.db": how messages name the file */
  label: string;
  close(): Promise<void>;
}

export function fileLabel(record: Pick<BackupFileRecord, 'domain' | 'relativePath'>): string {
  return `${record.domain}/${record.relativePath}`;
}

export async function openBackupDatabase(reader: BackupReader, record: BackupFileRecord): Promise<OpenedDb> {
  const label = fileLabel(record);
  const path = await reader.copyToTemp(record);
  const wal = reader.findFile(record.domain, record.relativePath + '-wal');
  const extra: string[] = [];
  if (!(await prepareSqliteCopy(path, { keepWal: Boolean(wal) }))) {
    throw new CorruptInputError(label, 'not a SQLite database (bad header)');
  }
  let db: Db;
  try {
    if (wal) {
      // Our private copy: opening it writable lets SQLite replay the backup's WAL into it.
      const walCopy = await reader.copyToTemp(wal);
      await copyFile(walCopy, path + '-wal');
      extra.push(path + '-wal', path + '-shm');
      db = new Database(path, { fileMustExist: true });
    } else {
      db = new Database(path, { readonly: true, fileMustExist: true });
    }
    // Exports walk a table in one order and join it in another (sms.db: chat order vs ROWID order):
    // a 32 MiB page cache keeps those random reads off the disk without unbounded memory.
    db.pragma('cache_size = -32768');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    throw asCorrupt(label, e);
  }
  return {
    db,
    label,
    async close() {
      if (db.open) db.close();
      for (const f of extra) await rm(f, { force: true });
    },
  };
}

/** SQLite's own corruption errors become CorruptInputError naming the file; others pass through. */
export function asCorrupt(label: string, e: unknown): unknown {
  if (e instanceof CorruptInputError) return e;
  const code = (e as { code?: string })?.code ?? '';
  if (/^SQLITE_(CORRUPT|NOTADB|IOERR|FORMAT|RANGE)/.test(code)) {
    return new CorruptInputError(label, `damaged database (${(e as Error).message})`, { cause: e });
  }
  return e;
}

/** Columns of a table (empty when the table is absent). */
export function tableColumns(db: Db, table: string): Set<string> {
  const rows = db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>;
  return new Set(rows.map((r) => r.name));
}

export function hasTable(db: Db, table: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type='table' AND name=?`).get(table) !== undefined;
}

/**
 * Schema tolerance: for each wanted column, the first candidate the table has, else NULL. Missing
 * columns are collected so the export can say what it could not read.
 */
export class ColumnPicker {
  readonly missing: string[] = [];
  private readonly cols: Set<string>;

  constructor(db: Db, readonly table: string, readonly alias = table) {
    this.cols = tableColumns(db, table);
  }

  has(col: string): boolean {
    return this.cols.has(col);
  }

  /** `alias.col AS as` for the first present candidate; `NULL AS as` (and a note) otherwise. */
  pick(as: string, ...candidates: string[]): string {
    const c = (candidates.length ? candidates : [as]).find((x) => this.cols.has(x));
    if (c) return `${this.alias}."${c}" AS "${as}"`;
    this.missing.push(`${this.table}.${candidates[0] ?? as}`);
    return `NULL AS "${as}"`;
  }

  /** Like pick, but absence is normal for this iOS version and not reported. */
  optional(as: string, ...candidates: string[]): string {
    const c = (candidates.length ? candidates : [as]).find((x) => this.cols.has(x));
    return c ? `${this.alias}."${c}" AS "${as}"` : `NULL AS "${as}"`;
  }
}
