import type { Command } from 'commander';
import { inspectBackup } from '../../backup/info.js';
import type { BackupSummary } from '../../backup/folder.js';
import { findBackupFolders } from '../../backup/locate.js';
import { readBackupMetadata } from '../../backup/manifest-plist.js';
import { EXIT_CODES, UsageError } from '../../errors.js';
import { printable } from '../printable.js';
import { formatBytes, formatDate, printJson } from '../common.js';
import { wrapFor } from '../terminal.js';

/** What could not be read, for an "unknown" answer: the file it would have come from. */
function unknownBecause(s: BackupSummary, file: string, absentKey?: string): string {
  if (s.unreadable?.includes(file)) return `unknown (${file} is missing or damaged, see below)`;
  return absentKey ? `unknown (${file} has no ${absentKey})` : 'unknown';
}

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

export function encryptedText(s: BackupSummary): string {
  if (s.encrypted === undefined) return unknownBecause(s, 'Manifest.plist', 'IsEncrypted');
  return s.encrypted ? 'yes (password needed to read it)' : 'no';
}

function stateText(s: BackupSummary): string {
  switch (s.state) {
    case 'complete': return 'complete';
    case 'in-progress': return 'not finished (interrupted or still running)';
    case 'failed': return 'failed';
    default: return unknownBecause(s, 'Status.plist', 'SnapshotState');
  }
}

export function register(program: Command): void {
  program
    .command('info')
    .description('show what a backup is: device, model, iOS, date, encryption, state, size, file count (exit 4 when a root plist is missing or damaged)')
    .argument('<backup>', 'backup folder (holding Manifest.plist) or UDID')
    .option('--json', 'print JSON on stdout')
    .action(showInfo);
}

/** The `info` action; `demo` calls it too. */
export async function showInfo(backup: string, opts: { json?: boolean }): Promise<void> {
      const s = await inspectBackup(backup).catch((e: unknown) => explainFolderAbove(backup, e));
      // What could be read is still printed; the exit status says that part of it could not be.
      if (s.unreadable?.length) process.exitCode = EXIT_CODES.CORRUPT_INPUT;
      if (opts.json) return printJson(s);
      const infoGone = s.unreadable?.includes('Info.plist');
      const rows: Array<[string, string | undefined]> = [
        ['Device name', s.deviceName ?? (infoGone ? unknownBecause(s, 'Info.plist') : undefined)],
        ['Model', s.modelName ? `${s.modelName} (${s.productType})` : s.productType ?? (infoGone ? unknownBecause(s, 'Info.plist') : undefined)],
        ['iOS', s.productVersion ? `${s.productVersion}${s.buildVersion ? ` (${s.buildVersion})` : ''}` : infoGone ? unknownBecause(s, 'Info.plist') : undefined],
        ['UDID', s.udid],
        ['Serial number', s.serialNumber],
        ['Phone number', s.phoneNumber],
        ['Last backup', s.lastBackupDate ? formatDate(s.lastBackupDate) : undefined],
        ['Encrypted', encryptedText(s)],
        ['Passcode on device', s.passcodeSet === undefined ? undefined : s.passcodeSet ? 'yes' : 'no'],
        ['State', stateText(s)],
        ['Full backup', s.isFullBackup === undefined ? undefined : s.isFullBackup ? 'yes' : 'no (incremental)'],
        ['Manifest', s.manifestFormat === 'db' ? 'Manifest.db (iOS 10 or later)' : s.manifestFormat === 'mbdb' ? 'Manifest.mbdb (iOS 5 to 9, flat layout)' : 'missing'],
        ['Size on disk', formatBytes(s.sizeOnDisk)],
        ['Files', s.fileCount !== undefined ? String(s.fileCount) : s.encrypted ? 'unknown until unlocked (irescue ls)' : s.encrypted === undefined ? 'unknown' : undefined],
        ['Apps', s.installedApps?.length ? String(s.installedApps.length) : undefined],
        ['Folder', s.path],
      ];
      for (const [k, v] of rows) if (v !== undefined) process.stdout.write(wrapFor(process.stdout, `${k.padEnd(20)}${printable(v)}`, 20) + '\n');
      for (const p of s.problems) process.stdout.write(wrapFor(process.stdout, `! ${printable(p)}`) + '\n');
}
