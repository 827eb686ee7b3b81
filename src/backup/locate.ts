/**
 * Where backups live (DESIGN.md §3) and how a `<backup>` argument resolves: a folder holding
 * Manifest.plist, a folder of backups, or a UDID found under the default roots.
 */
import { lstat, readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

export function defaultBackupRoots(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home = homedir()): string[] {
  if (platform === 'darwin') return [join(home, 'Library/Application Support/MobileSync/Backup')];
  if (platform === 'win32') {
    const roots: string[] = [];
    if (env.APPDATA) roots.push(join(env.APPDATA, 'Apple Computer', 'MobileSync', 'Backup'));
    // Microsoft Store iTunes and the Apple Devices app keep backups here instead.
    roots.push(join(env.USERPROFILE ?? home, 'Apple', 'MobileSync', 'Backup'));
    return roots;
  }
  // Linux has no iTunes; idevicebackup2 users and copies from other machines land wherever they chose.
  const dataHome = env.XDG_DATA_HOME || join(home, '.local/share');
  return [join(dataHome, 'MobileSync/Backup'), join(home, 'MobileSync/Backup')];
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/** A folder looks like a backup when it has any of the root plists or a manifest. */
export async function looksLikeBackup(dir: string): Promise<boolean> {
  for (const f of ['Manifest.plist', 'Info.plist', 'Manifest.db', 'Manifest.mbdb', 'Status.plist']) if (await isFile(join(dir, f))) return true;
  return false;
}

/** Candidate backup folders under the given roots (a root may itself be a backup folder). */
export async function findBackupFolders(roots: string[]): Promise<Array<{ path: string; root: string; error?: string }>> {
  const out: Array<{ path: string; root: string; error?: string }> = [];
  const seen = new Set<string>();
  for (const r of roots) {
    const root = resolve(r);
    if (!(await isDir(root))) continue;
    if (await looksLikeBackup(root)) {
      if (!seen.has(root)) out.push({ path: root, root });
      seen.add(root);
      continue;
    }
    let entries: string[];
    try {
      entries = (await readdir(root)).sort();
    } catch (e) {
      out.push({ path: root, root, error: `cannot list (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
      continue;
    }
    for (const name of entries) {
      const p = join(root, name);
      if (seen.has(p) || !(await isDir(p))) continue;
      if (await looksLikeBackup(p)) {
        seen.add(p);
        out.push({ path: p, root });
      }
    }
  }
  return out;
}

/** `<backup>` as the CLI and the library accept it: a backup folder, or a UDID under the roots. */
export async function resolveBackupPath(arg: string, roots: string[] = defaultBackupRoots()): Promise<string> {
  const p = resolve(arg);
  if (await isDir(p)) {
    if (await looksLikeBackup(p)) return p;
    throw new UsageError(`${arg}: not a backup folder (no Manifest.plist, Info.plist or Manifest.db inside); run \`irescue backups\` to list backups`);
  }
  if (/^[0-9A-Fa-f-]{24,40}$/.test(arg)) {
    for (const root of roots) {
      const c = join(root, arg);
      if (await isDir(c)) return c;
    }
  }
  // A file that exists (Manifest.plist, a zip) is not "no such folder": say what to give instead.
  if (await lstat(p).then((st) => !st.isDirectory(), () => false)) {
    throw new UsageError(`${arg}: this is a file, not a backup folder; give the folder that holds it (the one with Manifest.plist inside), or run \`irescue backups\` to list backups`);
  }
  throw new UsageError(`${arg}: no such backup folder or UDID; run \`irescue backups\` to list backups`);
}
