/**
 * Opens a database from the backup: on a private temp copy (never the backup itself), read-only,
 * with the WAL flag in the header cleared so SQLite does not need a writable folder
 * (DEPENDENCIES.md: header bytes 18-19). When the backup carries a -wal file beside the
 * database, it is copied next to our copy and replayed, because it holds the newest rows.
 *
 * A database in a backup is data from outside (SECURITY-REVIEW.md B4): the schema is never
 * trusted. Only real tables are read (never a view, a virtual table or a generated column, whose
 * SQL the backup wrote), `trusted_schema` is off and the connection is query-only, so no trigger
 * can run; every row read counts against a budget of rows and time per database.
 */
import type Database from 'better-sqlite3';
import { sqlite } from '../fs/sqlite-module.js';
import { copyFile, rm } from 'node:fs/promises';
import { CancelledError, CorruptInputError } from '../errors.js';
import { prepareSqliteCopy } from '../fs/sqlite-file.js';
import type { BackupFileRecord, BackupReader } from '../backup/types.js';

export type Db = Database.Database;

/** Rows one exported database may yield over all its queries: far above any real phone's. */
const EXPORT_DB_MAX_ROWS = 50_000_000;
/** Wall-clock time spent reading one exported database. */
const EXPORT_DB_MAX_SECONDS = 3600;

export interface OpenedDb {
  db: Db;
  /** "HomeDomain/Library/SMS/sms.db": how messages name the file */
  label: string;
  /** the -wal the manifest lists but the backup could not give: the database was read without it */
  walSkipped?: { record: BackupFileRecord; error: unknown };
  /** the backup's -wal was replayed into our copy (false: none listed, or listed and skipped) */
  walApplied: boolean;
  close(): Promise<void>;
}

interface DbBudget {
  rows: number;
  maxRows: number;
  deadline: number;
  label: string;
}

const budgets = new WeakMap<Db, DbBudget>();

export function fileLabel(record: Pick<BackupFileRecord, 'domain' | 'relativePath'>): string {
  return `${record.domain}/${record.relativePath}`;
}

interface OpenLimits {
  maxRows?: number;
  maxSeconds?: number;
}

export async function openBackupDatabase(reader: BackupReader, record: BackupFileRecord, limits: OpenLimits = {}): Promise<OpenedDb> {
  const label = fileLabel(record);
  const path = await reader.copyToTemp(record);
  const wal = reader.findFile(record.domain, record.relativePath + '-wal');
  // A -wal listed but missing, unreadable or damaged costs its newest rows, not the database.
  let walCopy: string | undefined;
  let walSkipped: OpenedDb['walSkipped'];
  if (wal) {
    try {
      walCopy = await reader.copyToTemp(wal);
    } catch (e) {
      if (e instanceof CancelledError) throw e;
      walSkipped = { record: wal, error: e };
    }
  }
  const extra: string[] = [];
  if (!(await prepareSqliteCopy(path, { keepWal: Boolean(walCopy) }))) {
    throw new CorruptInputError(label, 'not a SQLite database (bad header)');
  }
  let db: Db;
  try {
    if (walCopy) {
      // Our private copy: opening it writable lets SQLite replay the backup's WAL into it.
      await copyFile(walCopy, path + '-wal');
      extra.push(path + '-wal', path + '-shm');
      db = new (sqlite())(path, { fileMustExist: true });
    } else {
      db = new (sqlite())(path, { readonly: true, fileMustExist: true });
    }
    // Functions in the backup's schema (views, triggers, defaults) are not trusted, and nothing we
    // run may write, so no trigger ever fires.
    db.pragma('trusted_schema = OFF');
    db.pragma('query_only = ON');
    // Exports walk a table in one order and join it in another (sms.db: chat order vs ROWID order):
    // a 32 MiB page cache keeps those random reads off the disk without unbounded memory.
    db.pragma('cache_size = -32768');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    throw asCorrupt(label, e);
  }
  budgets.set(db, {
    rows: 0,
    maxRows: limits.maxRows ?? EXPORT_DB_MAX_ROWS,
    deadline: Date.now() + (limits.maxSeconds ?? EXPORT_DB_MAX_SECONDS) * 1000,
    label,
  });
  return {
    db,
    label,
    walSkipped,
    walApplied: walCopy !== undefined,
    async close() {
      if (db.open) db.close();
      for (const f of extra) await rm(f, { force: true });
    },
  };
}

/** SQLite's corruption and schema errors become CorruptInputError naming the file; others pass through. */
export function asCorrupt(label: string, e: unknown): unknown {
  if (e instanceof CorruptInputError) return e;
  const code = (e as { code?: string })?.code ?? '';
  if (/^SQLITE_(CORRUPT|NOTADB|IOERR|FORMAT|RANGE)/.test(code)) {
    return new CorruptInputError(label, `damaged database (${(e as Error).message})`, { cause: e });
  }
  // Every table and column is checked before a query, so this is a layout we did not foresee.
  if (/^SQLITE_(ERROR|MISMATCH|TOOBIG|CONSTRAINT)$/.test(code)) {
    return new CorruptInputError(label, `database layout not understood (${(e as Error).message})`, { cause: e });
  }
  return e;
}

/** Counts one row against the database's budget; past it, the database is reported as too large. */
function tick(db: Db): void {
  const b = budgets.get(db);
  if (!b) return;
  b.rows++;
  if (b.rows > b.maxRows) throw new CorruptInputError(b.label, `more than ${b.maxRows} rows (EXPORT_DB_MAX_ROWS): not read further`);
  if ((b.rows & 0x3ff) === 0 && Date.now() > b.deadline) throw new CorruptInputError(b.label, `reading took longer than the limit (EXPORT_DB_MAX_SECONDS): not read further`);
}

/** Rows of a query one by one, counted against the budget. */
export function* each<T = Record<string, unknown>>(db: Db, sql: string, ...params: unknown[]): Generator<T> {
  for (const r of db.prepare(sql).iterate(...params)) {
    tick(db);
    yield r as T;
  }
}

/** Rows as arrays (faster for the per-message loop), counted against the budget. */
export function* eachRaw(db: Db, sql: string): Generator<unknown[]> {
  for (const r of db.prepare(sql).raw(true).iterate()) {
    tick(db);
    yield r as unknown[];
  }
}

export function all<T = Record<string, unknown>>(db: Db, sql: string, ...params: unknown[]): T[] {
  return [...each<T>(db, sql, ...params)];
}

/** Only what the backup created as a plain table: views, virtual tables and their shadows are not read. */
function realTable(db: Db, table: string): boolean {
  const row = db.prepare(`SELECT sql FROM sqlite_master WHERE type='table' AND name=?`).get(table) as { sql: string | null } | undefined;
  return row !== undefined && !/^\s*CREATE\s+VIRTUAL\b/i.test(row.sql ?? '');
}

/** Columns of a table (empty when the table is absent); generated columns are left out (their SQL is the backup's). */
export function tableColumns(db: Db, table: string): Set<string> {
  if (!realTable(db, table)) return new Set();
  const rows = db.prepare(`SELECT name, hidden FROM pragma_table_xinfo(?)`).all(table) as Array<{ name: string; hidden: number }>;
  return new Set(rows.filter((r) => r.hidden === 0).map((r) => r.name));
}

export function hasTable(db: Db, table: string): boolean {
  return realTable(db, table);
}

/**
 * True when the table and every listed column exist; otherwise each absent one is added to
 * `missing` (as `table` or `table.column`) and the caller skips the query.
 */
export function need(db: Db, missing: string[], table: string, ...cols: string[]): boolean {
  const have = tableColumns(db, table);
  if (!have.size) {
    missing.push(table);
    return false;
  }
  const absent = cols.filter((c) => c.toUpperCase() !== 'ROWID' && !have.has(c));
  missing.push(...absent.map((c) => `${table}.${c}`));
  return absent.length === 0;
}

// Values as the exporters want them, whatever type the database holds (SQLite stores any type in
// any column: a newer iOS, a damaged row or a hand-made file may hold text where a number was).

export function asText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return null;
}

export function asInt(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Math.trunc(Number(v));
  return null;
}

/** A finite number (fractions kept), or null. */
export function asNum(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(v)) return Number(v);
  return null;
}

export function asBlob(v: unknown): Buffer | null {
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  return null;
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

  /** `alias."col"` when present, else `NULL` (for ORDER BY and WHERE), noting the absence. */
  ref(col: string): string {
    if (this.cols.has(col)) return `${this.alias}."${col}"`;
    this.missing.push(`${this.table}.${col}`);
    return 'NULL';
  }
}
