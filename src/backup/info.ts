/**
 * What a backup is, without its password: for `backups` (every backup under the roots, damaged
 * ones included) and `info`. Never throws for a damaged backup while listing; reports problems.
 */
import { readdir, lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultBackupRoots, findBackupFolders, resolveBackupPath } from './locate.js';
import { readBackupMetadata } from './manifest-plist.js';
import { openBackup } from './open.js';
import type { BackupInfo } from './types.js';

export interface BackupSummary extends BackupInfo {
  problems: string[];
}

/** Bytes used by a folder tree (files only; links not followed). */
export async function folderSize(dir: string): Promise<number> {
  let total = 0;
  const walk = async (d: string) => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) total += (await lstat(p).catch(() => ({ size: 0 }))).size;
    }
  };
  await walk(dir);
  return total;
}

/**
 * Metadata plus what can be learnt without a password: size on disk always; the file count for
 * unencrypted backups (encrypted ones need the password to read their manifest).
 */
export async function inspectBackup(pathOrUdid: string, opts: { roots?: string[]; countFiles?: boolean } = {}): Promise<BackupSummary> {
  const dir = await resolveBackupPath(pathOrUdid, opts.roots);
  return summarize(dir, opts.countFiles ?? true);
}

async function summarize(dir: string, countFiles: boolean): Promise<BackupSummary> {
  const meta = await readBackupMetadata(dir, false);
  const summary: BackupSummary = { ...meta.info, problems: meta.problems, sizeOnDisk: await folderSize(dir) };
  if (countFiles && !meta.info.encrypted && meta.manifest && meta.info.manifestFormat !== 'unknown') {
    try {
      const b = await openBackup(dir);
      summary.fileCount = b.info.fileCount;
      await b.close();
    } catch (e) {
      summary.problems.push((e as Error).message);
    }
  }
  return summary;
}

/** Every backup under the default roots plus `extraRoots`; damaged ones listed with their problems. */
export async function listBackups(extraRoots: string[] = [], opts: { includeDefaults?: boolean; countFiles?: boolean } = {}): Promise<BackupSummary[]> {
  const roots = [...(opts.includeDefaults === false ? [] : defaultBackupRoots()), ...extraRoots];
  const folders = await findBackupFolders(roots);
  const out: BackupSummary[] = [];
  for (const f of folders) {
    if (f.error) {
      out.push({ path: f.path, encrypted: false, state: 'unknown', manifestFormat: 'unknown', problems: [`${f.path}: ${f.error}`] });
      continue;
    }
    out.push(await summarize(f.path, opts.countFiles ?? false));
  }
  return out.sort((a, b) => (b.lastBackupDate?.getTime() ?? 0) - (a.lastBackupDate?.getTime() ?? 0));
}
