/**
 * `irescue device backup` and `irescue device encryption on|off|change` (mobilebackup2).
 * Passwords: the current one from --password-file / IRESCUE_PASSWORD / prompt, a new one from
 * --new-password-file / IRESCUE_NEW_PASSWORD / prompt (asked twice). Never from argv.
 */
import type { Command } from 'commander';
import { NoPasswordSourceError, UsageError, WrongPasswordError } from '../../errors.js';
import { backupDevice, setBackupEncryption, type EncryptionChange } from '../../device/backup.js';
import type { DeviceNotice } from '../../device/notices.js';
import { verifyNewBackupPassword } from '../../tasks/verify-new-backup-password.js';
import { defaultBackupRoots } from '../../backup/locate.js';
import { getPassword } from '../password-source.js';
import { createProgressRenderer } from '../render-progress.js';
import { cliTrustWait } from './device-output.js';
import { info, printJson, interruptSignal } from '../common.js';
import { keepBeforeBackupForCli } from './keep-output.js';
import { UsbmuxClient } from '../../device/usbmux/client.js';

interface EncryptionOptions {
  udid?: string;
  passwordFile?: string;
  newPasswordFile?: string;
  backupDir?: string;
  verify?: boolean;
  keep?: boolean;
  json?: boolean;
}

async function newPassword(opts: EncryptionOptions): Promise<string> {
  if (opts.newPasswordFile || process.env.IRESCUE_NEW_PASSWORD !== undefined) {
    return getPassword({ passwordFile: opts.newPasswordFile, env: { IRESCUE_PASSWORD: process.env.IRESCUE_NEW_PASSWORD } });
  }
  if (!(process.stdin.isTTY && process.stderr.isTTY)) {
    throw new NoPasswordSourceError('no new password given: use --new-password-file FILE, the IRESCUE_NEW_PASSWORD environment variable, or run in a terminal to be asked');
  }
  const first = await getPassword({ env: {}, prompt: 'New backup password' });
  const again = await getPassword({ env: {}, prompt: 'New backup password again' });
  if (first !== again) throw new UsageError('the two new passwords differ; nothing was changed');
  return first;
}

/** Device notices as lines on stderr: a passcode prompt is said once per appearance, at once. */
function noticePrinter(): (n: DeviceNotice) => void {
  return (n) => {
    if (n.kind === 'passcode-dismissed') return;
    info(n.kind === 'passcode-prompt' ? `${n.message}.` : `Note: ${n.message}.`);
  };
}

export function addBackupCommands(device: Command): void {
  device
    .command('backup')
    .description('back the device up into DIR/<UDID> (encrypted when the device has a backup password set)')
    .requiredOption('--out <dir>', 'backup folder (the one that holds UDID-named backups)')
    .option('--udid <udid>', 'which device, when several are connected')
    .option('--pair', 'pair first when this computer is not trusted yet (tap Trust on the device)')
    .option('--no-keep', 'let the new backup replace the one already in DIR/<UDID> (by default the old one is kept as DIR/<UDID>-<date>)')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: { out: string; udid?: string; pair?: boolean; keep?: boolean; json?: boolean }) => {
      const progress = createProgressRenderer({ json: opts.json });
      try {
        const signal = interruptSignal();
        // the device's UDID names the folder the backup replaces: learn it first, keep the old one, then back up into it
        const udid = (await new UsbmuxClient().findDevice(opts.udid)).udid;
        const kept = await keepBeforeBackupForCli(opts.out, udid, { keep: opts.keep, json: opts.json, signal });
        const r = await backupDevice(opts.out, { udid, pair: opts.pair, trust: cliTrustWait(signal), onProgress: progress, onNotice: noticePrinter(), signal });
        if (opts.json) printJson({ ok: true, ...r, ...(kept ? { kept: kept.to } : {}) });
        else {
          info(`Backup of ${r.udid} complete in ${r.path} (${r.filesReceived} files, ${r.encrypted ? 'encrypted' : 'not encrypted'}).`);
          if (r.failedFiles.length) info(`The iPhone could not send ${r.failedFiles.length} file${r.failedFiles.length === 1 ? '' : 's'}, which ${r.failedFiles.length === 1 ? 'is' : 'are'} not in the backup: ${r.failedFiles.map((f) => f.path).join(', ')}`);
        }
      } finally {
        progress.done();
      }
    });

  device
    .command('encryption')
    .description('turn backup encryption on, off, or change its password (the device asks for its passcode from iOS 13)')
    .argument('<action>', 'on | off | change')
    .option('--udid <udid>', 'which device, when several are connected')
    .option('--password-file <file>', 'current backup password (off, change): first line of FILE (else IRESCUE_PASSWORD, else a prompt)')
    .option('--new-password-file <file>', 'new backup password (on, change): first line of FILE (else IRESCUE_NEW_PASSWORD, else a prompt)')
    .option('--backup-dir <dir>', 'on, change: where the fresh backup that checks the new password goes (default: the usual backup folder of this OS)')
    .option('--no-verify', 'on, change: skip the fresh backup that checks the new password')
    .option('--no-keep', 'on, change: let the fresh backup replace the one already in the backup folder (by default the old one is kept as <UDID>-<date>)')
    .option('--json', 'print JSON on stdout')
    .action(async (action: string, opts: EncryptionOptions) => {
      let change: EncryptionChange;
      if (action === 'on') change = { mode: 'on', newPassword: await newPassword(opts) };
      else if (action === 'off') change = { mode: 'off', oldPassword: await getPassword({ passwordFile: opts.passwordFile, prompt: 'Current backup password' }) };
      else if (action === 'change') {
        const oldPassword = await getPassword({ passwordFile: opts.passwordFile, prompt: 'Current backup password' });
        change = { mode: 'change', oldPassword, newPassword: await newPassword(opts) };
      } else throw new UsageError(`encryption: unknown action "${action}" (use on, off or change)`);
      // iOS asks for the passcode for the change, and again for the checking backup (iOS 16.1+)
      if (change.mode !== 'off' && opts.verify !== false) info('The iPhone will ask for its passcode twice: once to change the backup password, once more for the backup that checks it.');
      const r = await setBackupEncryption(change, {
        udid: opts.udid,
        signal: interruptSignal(),
        onWaiting: () => info('If the device asks for its passcode, enter it on the device to confirm (iOS 13 and later). Waiting...'),
        onNotice: noticePrinter(),
      });
      let verified: { verified: boolean; backupPath: string } | undefined;
      if (change.mode !== 'off' && opts.verify !== false) {
        const root = opts.backupDir ?? defaultBackupRoots()[0];
        await keepBeforeBackupForCli(root, r.udid, { keep: opts.keep, json: opts.json });
        if (!opts.json) info(`Checking the new password: making a fresh encrypted backup in ${root} and opening its keybag with it...`);
        const progress = createProgressRenderer({ json: opts.json });
        try {
          const v = await verifyNewBackupPassword(root, change.newPassword, { udid: r.udid, signal: interruptSignal(), onProgress: progress, onNotice: noticePrinter() });
          verified = { verified: v.verified, backupPath: v.backup.path };
        } finally {
          progress.done();
        }
        if (!verified.verified) throw new WrongPasswordError(`the fresh backup in ${verified.backupPath} does not open with the new password: encryption was changed, but not to what was typed; run \`irescue device encryption change\` again`);
      }
      if (opts.json) printJson({ ok: true, ...r, ...(verified ? { verified: true, backup: verified.backupPath } : {}) });
      else {
        info(`Backup encryption is now ${r.encrypted ? 'on' : 'off'} for ${r.udid}.${change.mode !== 'off' ? ' Keep the password safe: without it, encrypted backups cannot be restored.' : ''}`);
        if (verified) info(`Checked: the fresh backup in ${verified.backupPath} opens with the new password.`);
      }
    });
}
