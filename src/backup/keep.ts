/**
 * Never lose the old backup. Finder, iTunes and Apple Devices keep one backup per device and the
 * next backup overwrites it (APPLE-FACTS §1.9), and so does the device protocol: a new backup goes
 * into `<root>/<UDID>`. Before anything makes a new backup there, the old folder is kept beside it
 * as `<UDID>-<date>` (the date of that backup): renamed when possible (instant, nothing copied),
 * copied when renaming is refused (another volume, a protected folder).
 *
 * A copy is made under a temp name and renamed when complete, with Status.plist written last, so
 * an interrupted copy never looks like a finished backup.
 */
import { cp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { getDate, getString, isDict, parsePlist, type PlistDict } from '../plist/plist.js';
import { looksLikeBackup } from './locate.js';
import { UsageError } from '../errors.js';

export interface KeptBackup {
  /** the folder that was kept (now gone when renamed) */
  from: string;
  /** where the old backup now lives */
  to: string;
  method: 'rename' | 'copy';
}

const PARTIAL = '.irescue-partial';
/** `<UDID>-YYYYMMDD-HHMMSS` with an optional `-N` when two kept copies share a second */
const KEPT_NAME = /^([0-9A-Fa-f]{8}-[0-9A-Fa-f]{16}|[0-9A-Fa-f]{40}|[0-9A-Fa-f]{24,40})-(\d{8})-(\d{6})(?:-\d+)?$/;

function stamp(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** The folder name a kept copy of `udid`'s backup from `date` gets (UTC, sortable). */
export function keptName(udid: string, date: Date): string {
  return `${udid}-${stamp(date)}`;
}

/** For a folder named like a kept copy: whose backup it is and when it was made. */
export function keptCopyOf(path: string): { udid: string; date: Date } | undefined {
  const m = KEPT_NAME.exec(basename(path));
  if (!m) return undefined;
  const [d, t] = [m[2], m[3]];
  const date = new Date(Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +t.slice(0, 2), +t.slice(2, 4), +t.slice(4, 6)));
  return Number.isNaN(date.getTime()) ? undefined : { udid: m[1], date };
}

async function readDict(path: string): Promise<PlistDict | undefined> {
  try {
    const bytes = await readFile(path);
    if (bytes.length > 16 * 1024 * 1024) return undefined; // root plists are small; a huge one is not worth reading here
    const v = parsePlist(bytes, path);
    return isDict(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** When the backup in `dir` was made: Info.plist's Last Backup Date, Status.plist's Date, else the folder's mtime. */
async function backupDate(dir: string): Promise<Date> {
  const info = await readDict(join(dir, 'Info.plist'));
  const fromInfo = info && getDate(info, 'Last Backup Date');
  if (fromInfo) return fromInfo;
  const status = await readDict(join(dir, 'Status.plist'));
  const fromStatus = status && getDate(status, 'Date');
  if (fromStatus) return fromStatus;
  return (await stat(dir)).mtime;
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

async function freeName(parent: string, name: string): Promise<string> {
  for (let i = 1; ; i++) {
    const p = join(parent, i === 1 ? name : `${name}-${i}`);
    if (!(await exists(p)) && !(await exists(p + PARTIAL))) return p;
  }
}

/** Errors for which a rename cannot work but a copy can. */
const RENAME_REFUSED = new Set(['EXDEV', 'EPERM', 'EACCES', 'EBUSY', 'ENOTSUP', 'EROFS']);

/**
 * Keeps the backup in `dir` beside it as `<UDID>-<date>`. `method: 'copy'` leaves `dir` in place
 * (for `backups keep`, where the user keeps using it); the default moves it out of the way, which
 * is what a following backup needs, and copies only where moving is refused.
 */
export async function keepBackup(dir: string, opts: { method?: 'move' | 'copy'; signal?: AbortSignal; anyFolder?: boolean } = {}): Promise<KeptBackup> {
  const from = resolve(dir);
  if (!opts.anyFolder && !(await looksLikeBackup(from))) throw new UsageError(`${dir}: not a backup folder (no Manifest.plist, Info.plist or Manifest.db inside)`);
  const info = await readDict(join(from, 'Info.plist'));
  const udid = (info && getString(info, 'Target Identifier')) || basename(from).replace(/-\d{8}-\d{6}(-\d+)?$/, '');
  const to = await freeName(dirname(from), keptName(udid, await backupDate(from)));
  if (opts.method !== 'copy') {
    try {
      await rename(from, to);
      return { from, to, method: 'rename' };
    } catch (e) {
      if (!RENAME_REFUSED.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
    }
  }
  await copyFolder(from, to, opts.signal);
  return { from, to, method: 'copy' };
}

/** Copy under a temp name, Status.plist last, then rename: never a complete-looking half copy. */
async function copyFolder(from: string, to: string, signal?: AbortSignal): Promise<void> {
  const temp = to + PARTIAL;
  try {
    await cp(from, temp, {
      recursive: true,
      preserveTimestamps: true,
      errorOnExist: true,
      force: false,
      filter: (src) => {
        if (signal?.aborted) throw new Error('cancelled');
        return src !== join(from, 'Status.plist');
      },
    });
    if (await exists(join(from, 'Status.plist'))) await cp(join(from, 'Status.plist'), join(temp, 'Status.plist'), { preserveTimestamps: true });
    await rename(temp, to);
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Before a new backup of `udid` into `root`: keeps the one already in `root/<UDID>`, if any.
 * `undefined` when there was nothing to keep (or `keep` is false: the user said --no-keep).
 */
export async function keepBeforeBackup(root: string, udid: string, opts: { keep?: boolean; signal?: AbortSignal } = {}): Promise<KeptBackup | undefined> {
  if (opts.keep === false) return undefined;
  const dir = join(root, udid);
  if (!(await exists(dir))) return undefined;
  // an empty folder holds nothing to lose; anything else (even a damaged backup) is kept
  if (!(await looksLikeBackup(dir)) && (await readdir(dir)).length === 0) return undefined;
  return keepBackup(dir, { signal: opts.signal, anyFolder: true });
}

/** Kept copies of `udid`'s backups under `root`, newest first. */
export async function listKeptCopies(root: string, udid?: string): Promise<Array<{ path: string; udid: string; date: Date }>> {
  const out: Array<{ path: string; udid: string; date: Date }> = [];
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const k = keptCopyOf(name);
    if (!k || (udid && k.udid.toUpperCase() !== udid.toUpperCase())) continue;
    out.push({ path: join(root, name), ...k });
  }
  return out.sort((a, b) => b.date.getTime() - a.date.getTime());
}
