import type { Command } from 'commander';
import { writeDecryptedCopy } from '../../backup/decrypted-copy.js';
import { CancelledError, UsageError } from '../../errors.js';
import { addPasswordOption, formatBytes, info, interruptSignal, openBackupForCli, printJson, progressFor, type PasswordOption } from '../common.js';
import { printIssues } from './extract.js';
import { exitFor, isDebug } from '../exit.js';
import { printable } from '../printable.js';

export function register(program: Command): void {
  addPasswordOption(
    program
      .command('decrypt')
      .description('write a full decrypted copy in the unencrypted backup layout (for iLEAPP, MVT and other tools)')
      .argument('<backup>', 'backup folder or UDID')
      .requiredOption('--out <dir>', 'new or empty folder for the copy')
      .option('--json', 'print a JSON summary on stdout'),
  ).action(async (backup: string, opts: PasswordOption & { out: string; json?: boolean }, cmd: Command) => {
    const signal = interruptSignal();
    const b = await openBackupForCli(backup, { ...opts, debug: isDebug(cmd), signal });
    const progress = progressFor(opts);
    try {
      if (!b.encrypted) throw new UsageError(`${b.dir}: this backup is not encrypted; tools can read it as it is (or use \`irescue extract\`)`);
      const s = await writeDecryptedCopy(b, { out: opts.out, onProgress: progress, signal });
      progress.done();
      if (opts.json) printJson(s);
      else {
        info(`Decrypted copy: ${s.files} files (${formatBytes(s.bytes)}) in ${printable(s.out)}`);
        printIssues('Missing from the original backup', s.missing);
        printIssues('Damaged in the backup, not copied', s.failed);
        printIssues('Not written (output folder)', s.notWritten);
        if (s.stopped) info(`Stopped early: ${s.stopped}; ${s.notAttempted} files not copied`);
        if (!s.complete) info(`The copy is NOT complete: it has no Manifest.plist, and ${s.marker ?? 'IRESCUE-INCOMPLETE.txt'} says why. Delete the folder and run again.`);
      }
      process.exitCode = exitFor(!s.complete);
    } catch (e) {
      progress.done();
      if (signal.aborted) throw new CancelledError('interrupted: the copy is incomplete (it has no Manifest.plist); delete the folder and run again');
      throw e;
    } finally {
      await b.close();
    }
  });
}
