/**
 * What a backup is, without its password: for `backups` (every backup under the roots, damaged
 * ones included) and `info`. Never throws for a damaged backup while listing; reports problems.
 * Both are `BackupFolder.summary` (backup/folder.ts) over one read of the root plists.
 */
import { backupFolderAt, findBackup, type BackupSummary } from './folder.js';
import { defaultBackupRoots, findBackupFolders } from './locate.js';

export type { BackupSummary } from './folder.js';

/**
 * Metadata plus what can be learnt without a password: size on disk always; the file count for
 * unencrypted backups (encrypted ones need the password to read their manifest).
 */
export async function inspectBackup(pathOrUdid: string, opts: { roots?: string[]; countFiles?: boolean } = {}): Promise<BackupSummary> {
  return (await findBackup(pathOrUdid, opts)).summary({ size: true, countFiles: opts.countFiles ?? true });
}

/** Every backup under the default roots plus `extraRoots`; damaged ones listed with their problems. */
export async function listBackups(extraRoots: string[] = [], opts: { includeDefaults?: boolean; countFiles?: boolean } = {}): Promise<BackupSummary[]> {
  const roots = [...(opts.includeDefaults === false ? [] : defaultBackupRoots()), ...extraRoots];
  const folders = await findBackupFolders(roots);
  const out: BackupSummary[] = [];
  for (const f of folders) {
    if (f.error) {
      // Unreadable folder: nothing is known about it, encryption included.
      out.push({ path: f.path, encryption: 'unknown', state: 'unknown', manifestFormat: 'unknown', problems: [`${f.path}: ${f.error}`], unreadable: [] });
      continue;
    }
    out.push(await (await backupFolderAt(f.path)).summary({ size: true, countFiles: opts.countFiles ?? false }));
  }
  return out.sort((a, b) => (b.lastBackupDate?.getTime() ?? 0) - (a.lastBackupDate?.getTime() ?? 0));
}
