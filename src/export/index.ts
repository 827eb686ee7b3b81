/**
 * Library entry for exports: one category, or all of them with an index.html report. In `all`, a
 * category that fails (a damaged database) is reported and the others still export.
 */
import { CancelledError, IrescueError, throwIfAborted } from '../errors.js';
import type { BackupReader } from '../backup/types.js';
import { exportCalls } from './calls.js';
import { exportContacts, loadContactIndex } from './contacts.js';
import { exportMessages } from './messages.js';
import { exportNotes } from './notes.js';
import { OutputDir } from './output.js';
import { exportPhotos } from './photos.js';
import { exportWhatsApp } from './whatsapp.js';
import { reportHtml } from './report.js';
import { EXPORT_CATEGORIES, type CategoryResult, type ExportCategory, type ExportContext, type ExportOptions } from './types.js';
import type { ContactIndex } from './contact-index.js';

export * from './types.js';
export { exportMessages, exportContacts, exportCalls, exportPhotos, exportNotes, exportWhatsApp };

export interface ExportSummary {
  out: string;
  categories: CategoryResult[];
  /** index.html, for `all` */
  report?: string;
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

/** Exports one category; its failures (CorruptInputError, …) are thrown to the caller. */
export async function exportCategory(reader: BackupReader, category: ExportCategory, options: ExportOptions): Promise<ExportSummary> {
  const out = await OutputDir.open(options.out);
  const result = await runCategory({ reader, out, options }, category, () => loadContactIndex(reader));
  // The category pages link back to index.html; give them one here too.
  await out.writeFile('index.html', reportHtml(reader.info, [result], options.timeZone ?? 'local'));
  return { out: out.root, categories: [result], report: 'index.html' };
}

/** Exports every category into one folder and writes index.html; per-category failures are recorded. */
export async function exportAll(reader: BackupReader, options: ExportOptions): Promise<ExportSummary> {
  const out = await OutputDir.open(options.out);
  const ctx: ExportContext = { reader, out, options };
  let index: Promise<ContactIndex | undefined> | undefined;
  const contacts = (): Promise<ContactIndex | undefined> => (index ??= loadContactIndex(reader));
  const results: CategoryResult[] = [];
  for (const category of EXPORT_CATEGORIES) {
    throwIfAborted(options.signal);
    try {
      results.push(await runCategory(ctx, category, contacts));
    } catch (e) {
      if (e instanceof CancelledError) throw e;
      const err = e instanceof IrescueError ? e : undefined;
      results.push({
        category, status: 'failed', count: 0, files: [], warnings: [],
        message: err ? err.message : `unexpected error: ${(e as Error)?.message ?? String(e)}`,
        errorCode: err?.code ?? 'INTERNAL',
      });
    }
  }
  await out.writeFile('index.html', reportHtml(reader.info, results, options.timeZone ?? 'local'));
  return { out: out.root, categories: results, report: 'index.html' };
}
