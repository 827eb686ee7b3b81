/**
 * `irescue device backup` and `irescue device encryption on|off|change` (mobilebackup2).
 * Passwords: the current one from --password-file / IRESCUE_PASSWORD / prompt, a new one from
 * --new-password-file / IRESCUE_NEW_PASSWORD / prompt (asked twice). Never from argv.
 */
import type { Command } from 'commander';
import { NoPasswordSourceError, UsageError, WrongPasswordError } from '../../errors.js';
import { backupDevice, setBackupEncryption, verifyNewBackupPassword, type EncryptionChange } from '../../device/backup.js';
import { defaultBackupRoots } from '../../backup/locate.js';
import { getPassword } from '../password-source.js';
import { createProgressRenderer } from '../render-progress.js';
import { cliTrustWait, interruptSignal, note, printDeviceJson } from './device-output.js';
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
        const r = await backupDevice(opts.out, { udid, pair: opts.pair, trust: cliTrustWait(signal), onProgress: progress, signal });
        if (opts.json) printDeviceJson({ ok: true, ...r, ...(kept ? { kept: kept.to } : {}) });
        else note(`Backup of ${r.udid} complete in ${r.path} (${r.filesReceived} files, ${r.encrypted ? 'encrypted' : 'not encrypted'}).`);
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
      const r = await setBackupEncryption(change, {
        udid: opts.udid,
        signal: interruptSignal(),
        onWaiting: () => note('If the device asks for its passcode, enter it on the device to confirm (iOS 13 and later). Waiting...'),
      });
      let verified: { verified: boolean; backupPath: string } | undefined;
      if (change.mode !== 'off' && opts.verify !== false) {
        const root = opts.backupDir ?? defaultBackupRoots()[0];
        await keepBeforeBackupForCli(root, r.udid, { keep: opts.keep, json: opts.json });
        if (!opts.json) note(`Checking the new password: making a fresh encrypted backup in ${root} and opening its keybag with it...`);
        const progress = createProgressRenderer({ json: opts.json });
        try {
          const v = await verifyNewBackupPassword(root, change.newPassword, { udid: r.udid, signal: interruptSignal(), onProgress: progress });
          verified = { verified: v.verified, backupPath: v.backup.path };
        } finally {
          progress.done();
        }
        if (!verified.verified) throw new WrongPasswordError(`the fresh backup in ${verified.backupPath} does not open with the new password: encryption was changed, but not to what was typed; run \`irescue device encryption change\` again`);
      }
      if (opts.json) printDeviceJson({ ok: true, ...r, ...(verified ? { verified: true, backup: verified.backupPath } : {}) });
      else {
        note(`Backup encryption is now ${r.encrypted ? 'on' : 'off'} for ${r.udid}.${change.mode !== 'off' ? ' Keep the password safe: without it, encrypted backups cannot be restored.' : ''}`);
        if (verified) note(`Checked: the fresh backup in ${verified.backupPath} opens with the new password.`);
      }
    });
}
