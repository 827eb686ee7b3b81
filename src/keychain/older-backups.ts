/**
 * Other backups of the same iPhone (same UDID) that might still hold an iOS 12-or-earlier
 * passcode: in the usual backup folders and beside this one (where kept copies, `<UDID>-<date>`,
 * sit). Reads only the root plists; never walks a backup's files.
 */
import { dirname, resolve } from 'node:path';
import { defaultBackupRoots, findBackupFolders } from '../backup/locate.js';
import { readBackupMetadata } from '../backup/manifest-plist.js';
import { majorVersion } from './screentime.js';

export interface OtherBackup {
  path: string;
  iosVersion?: string;
  date?: Date;
  encrypted: boolean;
}

const norm = (u: string | undefined) => (u ?? '').replace(/-/g, '').toLowerCase();

/** Backups of `udid` other than `exclude` whose iOS is 12 or earlier, newest first. */
export async function olderPasscodeBackups(udid: string | undefined, exclude: string, roots: string[] = defaultBackupRoots()): Promise<OtherBackup[]> {
  if (!udid) return [];
  const folders = await findBackupFolders([...roots, dirname(resolve(exclude))]);
  const out: OtherBackup[] = [];
  const seen = new Set<string>([resolve(exclude)]);
  for (const f of folders) {
    if (f.error || seen.has(resolve(f.path))) continue;
    seen.add(resolve(f.path));
    const meta = await readBackupMetadata(f.path, false).catch(() => undefined);
    if (!meta || norm(meta.info.udid) !== norm(udid)) continue;
    const major = majorVersion(meta.info.productVersion);
    if (major !== undefined && major > 12) continue;
    out.push({ path: f.path, iosVersion: meta.info.productVersion, date: meta.info.lastBackupDate, encrypted: meta.info.encrypted === true });
  }
  return out.sort((a, b) => (b.date?.getTime() ?? 0) - (a.date?.getTime() ?? 0));
}
