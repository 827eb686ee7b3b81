import type { Command } from 'commander';
import { extractFiles, type ExtractIssue } from '../../backup/extract.js';
import { CancelledError } from '../../errors.js';
import { addPasswordOption, formatBytes, info, interruptSignal, isDebugRun, openBackupForCli, printJson, progressFor, type PasswordOption } from '../common.js';

import { printable } from '../printable.js';

export function printIssues(title: string, list: ExtractIssue[]): void {
  if (!list.length) return;
  info(`${title} (${list.length}):`);
  for (const i of list.slice(0, 20)) info(printable(`  ${i.domain}/${i.relativePath}: ${i.reason}${i.writtenAs ? ` (written as ${i.writtenAs})` : ''}`));
  if (list.length > 20) info(`  ... and ${list.length - 20} more (--json lists them all)`);
}

export function registerExtract(program: Command): void {
  addPasswordOption(
    program
      .command('extract')
      .description('copy files out of a backup to OUT/<domain>/<relativePath>, decrypted')
      .argument('<backup>', 'backup folder or UDID')
      .requiredOption('--out <dir>', 'output folder (created if needed)')
      .option('--domain <domain>', 'only this domain')
      .option('--path <glob>', 'only paths matching this glob')
      .option('--portable-names', 'rename files whose names Windows cannot store (always on under Windows)')
      .option('--json', 'print a JSON summary on stdout'),
  ).action(async (backup: string, opts: PasswordOption & { out: string; domain?: string; path?: string; portableNames?: boolean; json?: boolean }, cmd: Command) => {
    const signal = interruptSignal();
    const b = await openBackupForCli(backup, { ...opts, debug: isDebugRun(cmd), signal });
    const progress = progressFor(opts);
    try {
      const s = await extractFiles(b, { out: opts.out, domain: opts.domain, path: opts.path, portableNames: opts.portableNames, onProgress: progress, signal });
      progress.done();
      if (opts.json) printJson(s);
      else {
        info(`Wrote ${s.written} files (${formatBytes(s.bytes)}), ${s.directories} folders, ${s.symlinks} links to ${printable(s.out)}`);
        printIssues('Missing from the backup folder, skipped', s.missing);
        printIssues('Refused (name would escape the output folder)', s.refused);
        printIssues('Renamed', s.sanitized);
        printIssues('Skipped', s.skipped);
        printIssues('Damaged, not written', s.failed);
      }
      if (s.failed.length) process.exitCode = 4;
    } catch (e) {
      progress.done();
      if (signal.aborted) throw new CancelledError('interrupted: files already written are complete; run again to finish');
      throw e;
    } finally {
      await b.close();
    }
  });
}
