import type { Command } from 'commander';
import { inspectBackup } from '../../backup/info.js';
import { findBackupFolders } from '../../backup/locate.js';
import { readBackupMetadata } from '../../backup/manifest-plist.js';
import { UsageError } from '../../errors.js';
import { printable } from '../printable.js';
import { formatBytes, formatDate, printJson } from '../common.js';

const STATE_TEXT = { complete: 'complete', 'in-progress': 'not finished (interrupted or still running)', failed: 'failed', unknown: 'unknown (no Status.plist)' } as const;

/** `info` on the folder above backups: name the backups inside instead of "not a backup folder". */
async function explainFolderAbove(arg: string, e: unknown): Promise<never> {
  const inside = await findBackupFolders([arg]).catch(() => []);
  const found = inside.filter((f) => f.path !== arg);
  if (!found.length) throw e;
  const names = await Promise.all(found.slice(0, 5).map(async (f) => (await readBackupMetadata(f.path, false).catch(() => undefined))?.info.deviceName));
  const list = found.slice(0, 5).map((f, i) => `  ${printable(f.path)}${names[i] ? ` (${printable(names[i])})` : ''}`);
  throw new UsageError(
    `${printable(arg)} is not a backup itself; it holds ${found.length} backup${found.length === 1 ? '' : 's'}:\n${list.join('\n')}${found.length > 5 ? `\n  ... and ${found.length - 5} more (irescue backups --root ${printable(arg)})` : ''}\nRun irescue info with one of them.`,
  );
}

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('show what a backup is: device, model, iOS, date, encryption, state, size, file count')
    .argument('<backup>', 'backup folder (holding Manifest.plist) or UDID')
    .option('--json', 'print JSON on stdout')
    .action(async (backup: string, opts: { json?: boolean }) => {
      const s = await inspectBackup(backup).catch((e: unknown) => explainFolderAbove(backup, e));
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
