/**
 * Library entry for exports: `exportData(reader, categories | 'all', options)` exports one
 * category, several or all of them into one folder and writes index.html listing them. A category
 * that fails (a damaged database) is reported in its result and the others still export; files
 * the manifest lists but the folder lacks are listed per category and the export goes on.
 */
import { CancelledError, IrescueError, throwIfAborted } from '../errors.js';
import { skippedOf } from './backup-files.js';
import type { BackupReader } from '../backup/types.js';
import { exportCalls } from './calls.js';
import { exportContacts, loadContactIndex } from './contacts.js';
import { exportMessages } from './messages.js';
import { exportNotes } from './notes.js';
import { OutputDir } from './output.js';
import { exportPhotos } from './photos.js';
import { exportWhatsApp } from './whatsapp.js';
import { reportHtml } from './report.js';
import { EXPORT_CATEGORIES, type CategoryResult, type ExportCategory, type ExportContext, type ExportOptions, type SkippedFile } from './types.js';
import type { ContactIndex } from './contact-index.js';

export * from './types.js';

export interface ExportSummary {
  out: string;
  categories: CategoryResult[];
  /** index.html, relative to `out` */
  report?: string;
  /** every file listed in the manifest that could not be read, over all categories */
  skipped: SkippedFile[];
  /** false when a category failed or a file was skipped: the CLI exits 4 */
  complete: boolean;
}

/** What `exportData` takes: one category, several, or 'all'. */
export type ExportSelection = ExportCategory | readonly ExportCategory[] | 'all';

/** The chosen categories in the report's fixed order, without repeats; throws on an unknown name. */
export function selectCategories(what: ExportSelection): ExportCategory[] {
  if (what === 'all') return [...EXPORT_CATEGORIES];
  const list: readonly string[] = typeof what === 'string' ? [what] : what;
  for (const c of list) {
    if (!(EXPORT_CATEGORIES as readonly string[]).includes(c)) throw new RangeError(`unknown export category ${JSON.stringify(c)}`);
  }
  return EXPORT_CATEGORIES.filter((c) => list.includes(c));
}

async function runCategory(ctx: ExportContext, category: ExportCategory, contacts: () => Promise<ContactIndex | undefined>): Promise<CategoryResult> {
  switch (category) {
    case 'messages':
      return exportMessages(ctx, { contacts: await contacts() });
    case 'contacts':
      return exportContacts(ctx);
    case 'calls':
      return exportCalls(ctx, { contacts: await contacts() });
    case 'photos':
      return exportPhotos(ctx);
    case 'notes':
      return exportNotes(ctx);
    case 'whatsapp':
      return exportWhatsApp(ctx);
  }
}

function failedResult(category: ExportCategory, e: unknown): CategoryResult {
  const err = e instanceof IrescueError ? e : undefined;
  const result: CategoryResult = {
    category, status: 'failed', count: 0, files: [], warnings: [],
    message: err ? err.message : `unexpected error: ${(e as Error)?.message ?? String(e)}`,
    errorCode: err?.code ?? 'INTERNAL',
  };
  const skipped = skippedOf(e);
  if (skipped.length) result.skipped = skipped;
  return result;
}

/**
 * Exports the chosen categories into `options.out` and writes index.html for them. Cancellation
 * (options.signal) is thrown; every other failure of a category becomes that category's result.
 * `rethrow` is for the old single-category wrapper, whose callers expect the error itself.
 */
async function run(reader: BackupReader, categories: ExportCategory[], options: ExportOptions, rethrow = false): Promise<ExportSummary> {
  const out = await OutputDir.open(options.out);
  const ctx: ExportContext = { reader, out, options };
  let index: Promise<ContactIndex | undefined> | undefined;
  const contacts = (): Promise<ContactIndex | undefined> => (index ??= loadContactIndex(reader));
  const results: CategoryResult[] = [];
  for (const category of categories) {
    throwIfAborted(options.signal);
    let result: CategoryResult;
    try {
      result = await runCategory(ctx, category, contacts);
    } catch (e) {
      if (e instanceof CancelledError || rethrow) throw e;
      result = failedResult(category, e);
    }
    results.push(result);
  }
  // The category pages link back to index.html, so it is written even for one category.
  await out.writeFile('index.html', reportHtml(reader.info, results, options.timeZone ?? 'local'));
  const skipped = results.flatMap((r) => r.skipped ?? []);
  return { out: out.root, categories: results, report: 'index.html', skipped, complete: skipped.length === 0 && results.every((r) => r.status !== 'failed') };
}

/** The one export entry: one category, several, or 'all', into one folder with an index.html report. */
export async function exportData(reader: BackupReader, what: ExportSelection, options: ExportOptions): Promise<ExportSummary> {
  return run(reader, selectCategories(what), options);
}

/** @deprecated use exportData(reader, category, options); kept until every caller has moved. Throws the category's failure. */
export async function exportCategory(reader: BackupReader, category: ExportCategory, options: ExportOptions): Promise<ExportSummary> {
  return run(reader, selectCategories(category), options, true);
}

/** @deprecated use exportData(reader, 'all', options); kept until every caller has moved. */
export async function exportAll(reader: BackupReader, options: ExportOptions): Promise<ExportSummary> {
  return exportData(reader, 'all', options);
}
