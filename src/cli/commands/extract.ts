import type { Command } from 'commander';
import { extractFiles, type ExtractIssue } from '../../backup/extract.js';
import { CancelledError } from '../../errors.js';
import { addPasswordOption, formatBytes, info, interruptSignal, openBackupForCli, printJson, progressFor, type PasswordOption } from '../common.js';
import { exitFor, isDebug } from '../exit.js';

import { printable } from '../printable.js';

export function printIssues(title: string, list: ExtractIssue[]): void {
  if (!list.length) return;
  info(`${title} (${list.length}):`);
  for (const i of list.slice(0, 20)) info(printable(`  ${i.domain}/${i.relativePath}: ${i.reason}${i.writtenAs ? ` (written as ${i.writtenAs})` : ''}`));
  if (list.length > 20) info(`  ... and ${list.length - 20} more (--json lists them all)`);
}

export function register(program: Command): void {
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
    const b = await openBackupForCli(backup, { ...opts, debug: isDebug(cmd), signal });
    const progress = progressFor(opts);
    try {
      const s = await extractFiles(b, { out: opts.out, domain: opts.domain, path: opts.path, portableNames: opts.portableNames, onProgress: progress, signal });
      progress.done();
      // Manifest rows that could not be read are files that cannot come out: listed with the damaged ones.
      for (const d of b.damaged) if (opts.domain === undefined || d.domain === opts.domain) s.failed.push({ domain: d.domain, relativePath: d.relativePath, reason: `${b.dir}/Manifest.db row ${d.row}: ${d.reason}` });
      if (opts.json) printJson(s);
      else {
        info(`Wrote ${s.written} files (${formatBytes(s.bytes)}), ${s.directories} folders, ${s.symlinks} links to ${printable(s.out)}`);
        if (s.replaced) info(`${s.replaced} of them replaced files of the same name that were already in the output folder`);
        printIssues('Missing from the backup folder, skipped', s.missing);
        printIssues('Refused (name would escape the output folder)', s.refused);
        printIssues('Renamed', s.sanitized);
        printIssues('Skipped', s.skipped);
        printIssues('Damaged in the backup, not written', s.failed);
        printIssues('Not written (output folder)', s.notWritten);
        if (s.stopped) info(`Stopped early: ${s.stopped}; ${s.notAttempted} files not written`);
        if (b.sizeMismatches.length) info(`Note: ${b.sizeMismatches.length} file(s) had a size in the manifest that does not match their data (first: ${b.sizeMismatches[0].domain}/${b.sizeMismatches[0].relativePath}, listed ${b.sizeMismatches[0].listed} bytes, has ${b.sizeMismatches[0].actual}); the data was written as it is.`);
      }
      process.exitCode = exitFor(s.failed.length > 0 || s.notWritten.length > 0 || Boolean(s.stopped));
    } catch (e) {
      progress.done();
      if (signal.aborted) throw new CancelledError('interrupted: files already written are complete; run again to finish');
      throw e;
    } finally {
      await b.close();
    }
  });
}
