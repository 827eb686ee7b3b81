/**
 * `irescue export <messages|contacts|calls|photos|notes|all> <backup> --out DIR [--by-date] [--json]
 * [--password-file F]`: a thin front end over src/export (library does the work, CLI renders).
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import type { BackupReader } from '../../backup/types.js';
import { exportAll, exportCategory, EXPORT_CATEGORIES, type ExportCategory, type ExportSummary } from '../../export/index.js';
import { openBackupForCli } from '../common.js';
import { createProgressRenderer } from '../render-progress.js';
import { printableLines } from '../printable.js';

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
      const controller = new AbortController();
      const onSigint = (): void => controller.abort();
      process.once('SIGINT', onSigint);
      try {
        const options = { out: flags.out, byDate: flags.byDate, onProgress: progress, signal: controller.signal };
        const summary = category === 'all' ? await exportAll(reader, options) : await exportCategory(reader, category as ExportCategory, options);
        progress.done();
        if (flags.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
        else process.stderr.write(printableLines(describe(summary)));
        // Some categories failed (a damaged database): the rest was exported, but say so in the exit code.
        if (summary.categories.some((r) => r.status === 'failed')) process.exitCode = 4;
      } finally {
        process.off('SIGINT', onSigint);
        await reader.close();
      }
    });
}
