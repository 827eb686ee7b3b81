/**
 * `irescue export <messages|contacts|calls|photos|notes|all> <backup> --out DIR [--by-date] [--json]
 * [--password-file F]`: a thin front end over src/export (library does the work, CLI renders).
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import type { BackupReader } from '../../backup/types.js';
import { exportData, EXPORT_CATEGORIES, type ExportCategory, type ExportSummary } from '../../export/index.js';
import { openBackupForCli, interruptible, printJson } from '../common.js';
import { createProgressRenderer } from '../render-progress.js';
import { exitFor } from '../exit.js';
import { printableLines } from '../printable.js';
import { wrapFor } from '../terminal.js';

interface ExportFlags {
  out: string;
  byDate?: boolean;
  json?: boolean;
  passwordFile?: string;
}

/** Opens the backup through the shared CLI opener (UDID or folder; asks for a password only when encrypted). */
export async function openForExport(path: string, flags: ExportFlags): Promise<BackupReader> {
  return openBackupForCli(path, { passwordFile: flags.passwordFile, json: flags.json });
}

function describe(summary: ExportSummary): string {
  const lines = summary.categories.map((r) => {
    const head = `${r.category}: `;
    if (r.status === 'exported') return `${head}${r.count} exported${r.page ? ` (${join(summary.out, r.page)})` : ''}`;
    if (r.status === 'failed') return `${head}FAILED: ${r.message}`;
    return `${head}${r.message ?? r.status}`;
  });
  for (const r of summary.categories) for (const w of r.warnings.slice(0, 3)) lines.push(`  ${r.category}: ${w}`);
  if (summary.skipped.length) {
    lines.push(`${summary.skipped.length} file${summary.skipped.length === 1 ? '' : 's'} listed in the backup could not be read and ${summary.skipped.length === 1 ? 'was' : 'were'} left out:`);
    for (const s of summary.skipped.slice(0, 10)) lines.push(`  ${s.file}: ${s.problem}`);
    if (summary.skipped.length > 10) lines.push(`  … and ${summary.skipped.length - 10} more (all of them with --json)`);
  }
  if (summary.report) lines.push(`report: ${join(summary.out, summary.report)}`);
  return lines.join('\n') + '\n';
}

/** `opener` is replaceable so tests can hand in an in-memory backup. */
export function register(program: Command, opener: (path: string, flags: ExportFlags) => Promise<BackupReader> = openForExport): void {
  program
    .command('export')
    .description('export messages, contacts, call history, photos and notes from a backup into files you can open')
    .argument('<category>', `what to export: ${[...EXPORT_CATEGORIES, 'all'].join(', ')}`)
    .argument('<backup>', 'backup folder (the one holding Manifest.plist)')
    .requiredOption('--out <dir>', 'output folder (created when missing; nothing is written outside it)')
    .option('--by-date', 'photos: sort into YYYY/YYYY-MM-DD folders by the date taken')
    .option('--json', 'print one JSON summary on stdout')
    .option('--password-file <file>', 'read the backup password from the first line of this file')
    .action(async (category: string, backup: string, flags: ExportFlags) => {
      if (category !== 'all' && !(EXPORT_CATEGORIES as readonly string[]).includes(category)) {
        throw new UsageError(`unknown export category "${category}": use one of ${[...EXPORT_CATEGORIES, 'all'].join(', ')}`);
      }
      const reader = await opener(backup, flags);
      const progress = createProgressRenderer({ json: flags.json });
      const interrupt = interruptible();
      try {
        const options = { out: flags.out, byDate: flags.byDate, onProgress: progress, signal: interrupt.signal };
        const summary = await exportData(reader, category === 'all' ? 'all' : (category as ExportCategory), options);
        progress.done();
        if (flags.json) printJson(summary);
        else process.stderr.write(wrapFor(process.stderr, printableLines(describe(summary))));
        // A category failed (a damaged database) or files were left out: the rest was exported, but
        // the exit code says the export is not complete.
        process.exitCode = exitFor(!summary.complete);
      } finally {
        interrupt.dispose();
        await reader.close();
      }
    });
}
