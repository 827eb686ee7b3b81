/**
 * Reading the files a category copies (photos, attachments, note media, WhatsApp media, the
 * contacts' images database): a file the manifest lists but the folder lacks, cannot read or
 * cannot decrypt is listed in the category's `skipped` and the export goes on without it. Errors
 * of the output side (a full disk, a link out of the output folder) are not the backup's and
 * still stop the category.
 */
import type { Readable } from 'node:stream';
import { CancelledError, UsageError } from '../errors.js';
import type { BackupFileRecord } from '../backup/types.js';
import type { CategoryRun } from './category.js';
import { fileLabel } from './sqlite.js';
import type { ExportContext, SkippedFile } from './types.js';

/** Skipped files named in one category's result; past this only the count grows. */
const MAX_SKIPPED_LISTED = 10_000;

function problemOf(e: unknown): string {
  const err = e as { code?: string; message?: string; details?: { problem?: unknown } };
  if (typeof err?.details?.problem === 'string') return err.details.problem;
  if (err?.code === 'ENOENT') return 'missing from the backup folder';
  if (err?.code === 'EACCES' || err?.code === 'EPERM') return 'not readable (permission denied)';
  if (err?.code === 'EIO') return 'not readable (input/output error: a failing disk?)';
  return (err?.message ?? String(e)).split('\n')[0];
}

const skippedByError = new WeakMap<object, SkippedFile[]>();

/** Marks an error as costing these files (a category database that could not be opened). */
export function skippedWith<E extends Error>(e: E, files: SkippedFile[]): E {
  skippedByError.set(e, files);
  return e;
}

/** The files an error cost, for the category's failed result. */
export function skippedOf(e: unknown): SkippedFile[] {
  return (typeof e === 'object' && e !== null && skippedByError.get(e)) || [];
}

/** Records one unreadable file in the run (listed once per file). */
export function skipFile(run: CategoryRun, record: Pick<BackupFileRecord, 'domain' | 'relativePath'>, e: unknown): void {
  const list = (run.skipped ??= []);
  run.skippedCount = (run.skippedCount ?? 0) + 1;
  const file = fileLabel(record);
  if (list.length < MAX_SKIPPED_LISTED && !list.some((s) => s.file === file)) list.push({ file, problem: problemOf(e) });
}

/** Errors that are not about the backup's file: cancellation, and our own refusals. */
function isOurs(e: unknown): boolean {
  return e instanceof CancelledError || e instanceof UsageError;
}

/** A file's bytes, or undefined (and the file listed as skipped) when the backup cannot give them. */
export async function readBackupFile(ctx: ExportContext, run: CategoryRun, record: BackupFileRecord): Promise<Buffer | undefined> {
  try {
    return await ctx.reader.readFile(record);
  } catch (e) {
    if (isOurs(e)) throw e;
    skipFile(run, record, e);
    return undefined;
  }
}

/**
 * Copies a file of the backup to `rel` in the output folder. False (and the file listed as
 * skipped) when reading it failed; the half-written output is removed by OutputDir.
 */
export async function copyBackupFile(ctx: ExportContext, run: CategoryRun, record: BackupFileRecord, rel: string, mtime?: Date): Promise<boolean> {
  let source: Readable;
  try {
    source = await ctx.reader.openFile(record);
  } catch (e) {
    if (isOurs(e)) throw e;
    skipFile(run, record, e);
    return false;
  }
  let readError: unknown;
  source.once('error', (e) => (readError ??= e));
  try {
    await ctx.out.writeStream(rel, source, mtime);
    return true;
  } catch (e) {
    if (readError === undefined || isOurs(e)) throw e;
    skipFile(run, record, readError);
    return false;
  }
}
