/**
 * `irescue device restore <backup>`: puts a backup onto the connected iPhone or iPad (after an
 * erase, or onto a new one). The checks come first and are printed; then the restore, with
 * progress. The backup folder is only read. Password: --password-file, IRESCUE_PASSWORD, prompt.
 */
import type { Command } from 'commander';
import { IrescueError, UsageError, WrongPasswordError } from '../../errors.js';
import { readBackupMetadata } from '../../backup/manifest-plist.js';
import { resolveBackupPath } from '../../backup/locate.js';
import { planDeviceRestore, runDeviceRestore, type DeviceRestorePlan } from '../../tasks/restore-backup-to-device.js';
import { getPassword } from '../password-source.js';
import { createProgressRenderer } from '../render-progress.js';
import { cliTrustWait } from './device-output.js';
import { interruptSignal, info, printJson } from '../common.js';

interface RestoreCliOptions {
  udid?: string;
  pair?: boolean;
  passwordFile?: string;
  system?: boolean;
  reboot?: boolean;
  keepSettings?: boolean;
  removeOthers?: boolean;
  skipApps?: boolean;
  yes?: boolean;
  check?: boolean;
  json?: boolean;
}

function describeChecks(plan: DeviceRestorePlan): void {
  for (const c of plan.checks) info(`${c.ok === true ? 'ok  ' : c.ok === false ? 'STOP' : '?   '} ${c.sentence}${c.ok !== true && c.next ? ` ${c.next}` : ''}`);
}

export function addRestoreCommand(device: Command): void {
  device
    .command('restore')
    .description('put a backup onto the connected iPhone or iPad (after an erase, or onto a new one); the backup folder is only read')
    .argument('<backup>', 'backup folder, or UDID under the usual folders')
    .option('--udid <udid>', 'which device, when several are connected')
    .option('--pair', 'pair first when this computer is not trusted yet (tap Trust on the device)')
    .option('--password-file <file>', 'encrypted backups: the backup password from the first line of FILE (else IRESCUE_PASSWORD, else a prompt)')
    .option('--no-system', 'leave out system files (default: restored, as Finder does; without them little comes back)')
    .option('--no-reboot', 'do not restart the device at the end (the restored data appears only after a restart)')
    .option('--keep-settings', "keep the device's own settings instead of the backup's")
    .option('--remove-others', 'remove items on the device that the backup does not have (default: keep them)')
    .option('--skip-apps', 'do not hand the backup\'s app list to the device (by default it reinstalls those apps after the restore)')
    .option('--check', 'only run the checks, restore nothing')
    .option('--yes', 'do not ask for confirmation (needed without a terminal): the device\'s current data is replaced')
    .option('--json', 'print JSON on stdout')
    .action(async (arg: string, opts: RestoreCliOptions) => {
      const signal = interruptSignal();
      const dir = await resolveBackupPath(arg);
      const meta = await readBackupMetadata(dir, false);
      const password = meta.info.encrypted ? await getPassword({ passwordFile: opts.passwordFile, prompt: 'Backup password' }) : undefined;
      const connect = { udid: opts.udid, pair: opts.pair, trust: cliTrustWait(signal), signal };
      const plan = await planDeviceRestore(dir, {
        ...connect,
        password,
        options: { systemFiles: opts.system !== false, reboot: opts.reboot !== false, preserveSettings: opts.keepSettings === true, removeItemsNotRestored: opts.removeOthers === true },
      });
      if (!opts.json) describeChecks(plan);
      if (opts.check) {
        if (opts.json) printJson({ ok: plan.canRestore, plan });
        return;
      }
      if (!plan.canRestore) {
        const why = plan.checks.filter((c) => c.ok === false).map((c) => `${c.sentence}${c.next ? ` ${c.next}` : ''}`).join(' ');
        if (plan.checks.some((c) => c.id === 'password' && c.ok === false) && password !== undefined) throw new WrongPasswordError(`${dir}: the password does not open this backup; nothing was sent to the device`);
        throw new IrescueError('DEVICE', `the restore cannot start: ${why}`);
      }
      if (!opts.yes) {
        if (!(process.stdin.isTTY && process.stderr.isTTY)) throw new UsageError('a restore replaces the data on the device: add --yes to confirm (no terminal to ask in)');
        const { confirm, isCancel } = await import('@clack/prompts');
        const ok = await confirm({ message: `Restore the backup of ${plan.backup.deviceName ?? plan.backup.udid} onto ${plan.device.deviceName ?? plan.device.udid}? Its current data is replaced.` });
        if (isCancel(ok) || !ok) throw new UsageError('restore not started');
      }
      if (!opts.json) info('Restoring: keep the device connected and unlocked; it restarts when done. Ctrl-C stops (the backup stays unchanged, the device is then only partly restored).');
      const progress = createProgressRenderer({ json: opts.json });
      try {
        const r = await runDeviceRestore(plan, { ...connect, password, onProgress: progress, skipApps: opts.skipApps });
        if (opts.json) printJson({ ok: true, udid: r.udid, backup: r.backup, filesSent: r.filesSent, bytesSent: r.bytesSent, appsListed: r.appsListed, missing: r.missing, ignoredWrites: r.ignoredWrites.length });
        else {
          progress.done();
          info(`Restore complete: ${r.filesSent} files sent to ${r.udid}.${plan.options.reboot ? ' The device restarts now; apps download again once it is set up.' : ' Restart the device to see the restored data.'}`);
          if (r.missing.length) info(`${r.missing.length} file(s) the device asked for were not in the backup (it was made that way); the rest is restored.`);
        }
      } finally {
        progress.done();
      }
    });
}
