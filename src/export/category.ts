/** Shared steps of every category: find its database, open it safely, and shape the result. */
import type { BackupFileRecord } from '../backup/types.js';
import type { BackupPath } from './paths.js';
import { CancelledError, CorruptInputError, UsageError } from '../errors.js';
import { skipFile, skippedWith } from './backup-files.js';
import { asCorrupt, fileLabel, openBackupDatabase, type OpenedDb } from './sqlite.js';
import type { CategoryResult, ExportCategory, ExportContext } from './types.js';

/** A result under construction. */
export interface CategoryRun extends Partial<CategoryResult> {
  category: ExportCategory;
  count: number;
  files: string[];
  warnings: string[];
  /** every unreadable file, including those past MAX_SKIPPED_LISTED */
  skippedCount?: number;
}

function findFirst(ctx: ExportContext, candidates: readonly BackupPath[]): BackupFileRecord | undefined {
  for (const c of candidates) {
    const r = ctx.reader.findFile(c.domain, c.relativePath);
    if (r) return r;
  }
  return undefined;
}

/**
 * Opens the first candidate database present. Not in the manifest: marks the run "missing" with a
 * message for people and returns undefined. Listed but absent from the folder, unreadable or
 * damaged: throws CorruptInputError naming the file, which carries the file as skipped
 * (skippedWith), so the category's failed result lists it.
 */
export async function openCategoryDb(ctx: ExportContext, run: CategoryRun, candidates: readonly BackupPath[], noneMessage: string): Promise<OpenedDb | undefined> {
  const record = findFirst(ctx, candidates);
  if (!record) {
    run.status = 'missing';
    run.message = noneMessage;
    return undefined;
  }
  let opened: OpenedDb;
  try {
    opened = await openBackupDatabase(ctx.reader, record, ctx.options.databaseLimits);
  } catch (e) {
    if (e instanceof CancelledError || e instanceof UsageError) throw e;
    const label = fileLabel(record);
    let err = asCorrupt(label, e);
    if (!(err instanceof CorruptInputError)) err = new CorruptInputError(label, (err as Error)?.message ?? String(err), { cause: e });
    else if (!err.message.startsWith(label)) err = new CorruptInputError(label, err.message, { cause: e });
    const skip: CategoryRun = { category: run.category, count: 0, files: [], warnings: [] };
    skipFile(skip, record, e);
    throw skippedWith(err as CorruptInputError, skip.skipped ?? []);
  }
  // Real phones write a fresh database's whole contents to its -wal first (BelkaCTF 6's
  // AddressBook.sqlitedb is one 4 KiB header page): without that file there is nothing to read, and
  // blaming an unknown iOS version for the missing tables would mislead.
  if (opened.walSkipped) skipFile(run, opened.walSkipped.record, opened.walSkipped.error);
  if (!hasAnyTable(opened.db)) {
    await opened.close();
    run.status = 'empty';
    run.message = noneMessage;
    const walMissing = !opened.walApplied;
    run.warnings.push(`${fileLabel(record)} holds no tables${walMissing ? ': its contents were probably in a -wal file this backup does not have' : ''}`);
    return undefined;
  }
  return opened;
}

function hasAnyTable(db: OpenedDb['db']): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type='table' LIMIT 1`).get() !== undefined;
}

export function finishResult(run: CategoryRun): CategoryResult {
  const result: CategoryResult = {
    category: run.category,
    status: run.status ?? (run.count > 0 ? 'exported' : 'empty'),
    count: run.count,
    files: run.files,
    warnings: run.warnings,
  };
  if (run.message) result.message = run.message;
  if (run.errorCode) result.errorCode = run.errorCode;
  if (run.missingColumns?.length) {
    result.missingColumns = run.missingColumns;
    result.warnings.push(`columns not found (an iOS version we do not know yet?): ${run.missingColumns.join(', ')}`);
  }
  if (run.page) result.page = run.page;
  if (run.skipped?.length) {
    result.skipped = run.skipped;
    const n = run.skippedCount ?? run.skipped.length;
    result.warnings.push(`${n} file${n === 1 ? '' : 's'} listed in the backup could not be read and ${n === 1 ? 'was' : 'were'} left out`);
  }
  return result;
}

/**
 * Runs a category's work on its opened database. SQLite finds damage lazily, while stepping through
 * rows, so an error is reported against the database's file; output writers the work left open are
 * aborted (a half-written CSV never looks complete), and the database is closed.
 */
export async function onCategoryDb<T>(opened: OpenedDb, work: () => Promise<T>, writers: ReadonlyArray<{ abort(): Promise<void> }> = []): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw asCorrupt(opened.label, e);
  } finally {
    for (const w of writers) await w.abort();
    await opened.close();
  }
}
