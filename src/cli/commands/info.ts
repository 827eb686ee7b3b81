import type { Command } from 'commander';
import { inspectBackup } from '../../backup/info.js';
import { printable } from '../printable.js';
import { formatBytes, formatDate, printJson } from '../common.js';

const STATE_TEXT = { complete: 'complete', 'in-progress': 'not finished (interrupted or still running)', failed: 'failed', unknown: 'unknown (no Status.plist)' } as const;

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('show what a backup is: device, model, iOS, date, encryption, state, size, file count')
    .argument('<backup>', 'backup folder (holding Manifest.plist) or UDID')
    .option('--json', 'print JSON on stdout')
    .action(async (backup: string, opts: { json?: boolean }) => {
      const s = await inspectBackup(backup);
      if (opts.json) return printJson(s);
      const rows: Array<[string, string | undefined]> = [
        ['Device name', s.deviceName],
        ['Model', s.modelName ? `${s.modelName} (${s.productType})` : s.productType],
        ['iOS', s.productVersion ? `${s.productVersion}${s.buildVersion ? ` (${s.buildVersion})` : ''}` : undefined],
        ['UDID', s.udid],
        ['Serial number', s.serialNumber],
        ['Phone number', s.phoneNumber],
        ['Last backup', s.lastBackupDate ? formatDate(s.lastBackupDate) : undefined],
        ['Encrypted', s.encrypted ? 'yes (password needed to read it)' : 'no'],
        ['Passcode on device', s.passcodeSet === undefined ? undefined : s.passcodeSet ? 'yes' : 'no'],
        ['State', STATE_TEXT[s.state]],
        ['Full backup', s.isFullBackup === undefined ? undefined : s.isFullBackup ? 'yes' : 'no (incremental)'],
        ['Manifest', s.manifestFormat === 'db' ? 'Manifest.db (iOS 10 or later)' : s.manifestFormat === 'mbdb' ? 'Manifest.mbdb (iOS 5 to 9)' : 'missing'],
        ['Size on disk', formatBytes(s.sizeOnDisk)],
        ['Files', s.fileCount !== undefined ? String(s.fileCount) : s.encrypted ? 'unknown until unlocked (irescue ls)' : undefined],
        ['Apps', s.installedApps?.length ? String(s.installedApps.length) : undefined],
        ['Folder', s.path],
      ];
      for (const [k, v] of rows) if (v !== undefined) process.stdout.write(`${k.padEnd(20)}${printable(v)}\n`);
      for (const p of s.problems) process.stdout.write(`! ${printable(p)}\n`);
    });
}
