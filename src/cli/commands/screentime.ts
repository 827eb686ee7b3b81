/**
 * `irescue screentime <backup>`: the Restrictions passcode (iOS 7-11) or Screen Time passcode
 * (iOS 12, encrypted backups) from the owner's backup. The plan comes from the backup's metadata
 * alone, so an iOS 13+ backup is answered without asking for a password. Exit 0 found, 3 wrong
 * backup password, 4 unreadable, 5 not in this backup.
 */
import type { Command } from 'commander';
import pc from 'picocolors';
import { resolveBackupPath } from '../../backup/locate.js';
import { readBackupMetadata } from '../../backup/manifest-plist.js';
import { EXIT_CODES } from '../../errors.js';
import { selectEngine } from '../../kdf/select.js';
import { olderPasscodeBackups, type OtherBackup } from '../../keychain/older-backups.js';
import { answerWithoutBackup, findPasscodes, planPasscodeSearch, type PasscodeResult } from '../../keychain/screentime.js';
import { addPasswordOption, formatDate, info, interruptSignal, openBackupForCli, printJson, type PasswordOption } from '../common.js';

export function register(program: Command): void {
  addPasswordOption(
    program
      .command('screentime')
      .description('the Screen Time (iOS 12) or Restrictions (iOS 7 to 11) passcode kept in your backup')
      .argument('<backup>', 'backup folder or UDID')
      .option('--json', 'print the result as JSON on stdout'),
  ).action(async (backup: string, opts: PasswordOption & { json?: boolean }) => {
    const dir = await resolveBackupPath(backup);
    const meta = await readBackupMetadata(dir, true);
    const plan = planPasscodeSearch(meta.info);
    if (!opts.json) info(plan.summary);
    let result = answerWithoutBackup(plan, meta.info);
    if (!result) {
      const signal = interruptSignal();
      const b = await openBackupForCli(dir, { ...opts, signal });
      try {
        result = await findPasscodes(b, plan, { engine: await selectEngine(), signal });
      } finally {
        await b.close();
      }
    }
    const older = result.found ? [] : await olderPasscodeBackups(meta.info.udid, dir);
    if (opts.json) printJson({ ...result, backup: dir, olderBackups: older });
    else render(result, older);
    if (!result.found) process.exitCode = EXIT_CODES.NOT_FOUND;
  });
}

function render(r: PasscodeResult, older: OtherBackup[]): void {
  const out = process.stdout;
  if (r.found) {
    const what = r.source === 'keychain' ? 'Screen Time passcode' : 'Restrictions passcode';
    out.write(`${what}: ${pc.bold(r.passcode ?? '')}\n`);
    for (const c of r.candidates.slice(1)) out.write(`  also found (${c.source === 'keychain' ? 'Screen Time' : 'Restrictions'}): ${c.passcode}\n`);
    info(r.message);
    return;
  }
  info(r.message);
  if (r.appleRoute?.length) {
    info('\nWhat you can do:');
    for (const step of r.appleRoute) info(`  - ${step}`);
  }
  if (older.length) {
    info('\nAn older backup of the same device may still hold the passcode (if it was not changed since):');
    for (const o of older) info(`  ${o.path}  iOS ${o.iosVersion ?? '?'}  ${formatDate(o.date)}${o.encrypted ? '  encrypted' : ''}`);
    info('Run irescue screentime on it.');
  }
}
