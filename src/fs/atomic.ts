/**
 * The one way irescue writes a file that must never be seen half-written: write a temp file beside
 * it, then rename over the final name. One policy for every writer:
 * - temp name `<final>.irescue-<12 hex>.tmp`: same folder, so the rename stays on one file system
 *   and is atomic; random, so two writers never share a temp; marked, so a leftover after a crash
 *   is recognisable (and never has the final name).
 * - mode 0600 unless the caller widens it: what irescue writes is the owner's private data (decrypted
 *   files, search state) until they choose to share it; exports pass 0644.
 * - fsync only when asked: a resume checkpoint must survive a power cut; an export can be redone.
 * On any failure the temp is removed and the final name is untouched.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { chmod, open, rename, rm, utimes } from 'node:fs/promises';

export const TEMP_MARK = '.irescue-';

export interface AtomicWriteOptions {
  /** file mode of the result (default 0o600) */
  mode?: number;
  /** flush to the disk before the rename (default false) */
  fsync?: boolean;
  /** modification time to set on the result */
  mtime?: Date;
}

/** Where a file bound for `final` is written first. */
export function tempPathFor(final: string): string {
  return `${final}${TEMP_MARK}${randomBytes(6).toString('hex')}.tmp`;
}

/** Writes `data` to `path` atomically. */
export async function writeAtomic(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): Promise<void> {
  await withAtomicFile(path, async (temp) => {
    const fh = await open(temp, 'wx', opts.mode ?? 0o600);
    try {
      await fh.writeFile(data);
      if (opts.fsync) await fh.sync();
    } finally {
      await fh.close();
    }
  }, { ...opts, fsync: false });
}

/**
 * For writers that fill a file themselves (a stream, a copy, a decryption): `fill` writes `temp`,
 * then it is renamed to `path`. Returns what `fill` returns.
 */
export async function withAtomicFile<T>(path: string, fill: (temp: string) => Promise<T>, opts: AtomicWriteOptions = {}): Promise<T> {
  const temp = tempPathFor(path);
  try {
    const out = await fill(temp);
    if (opts.mode !== undefined) await chmod(temp, opts.mode);
    if (opts.fsync) {
      const fh = await open(temp, 'r+');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
    if (opts.mtime) await utimes(temp, opts.mtime, opts.mtime);
    await rename(temp, path);
    return out;
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

/** The synchronous form, for checkpoints written from a timer or at exit. */
export function writeAtomicSync(path: string, data: string | Uint8Array, opts: Omit<AtomicWriteOptions, 'mtime'> = {}): void {
  const temp = tempPathFor(path);
  try {
    const fd = openSync(temp, 'wx', opts.mode ?? 0o600);
    try {
      const buf = typeof data === 'string' ? Buffer.from(data) : data;
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      if (opts.fsync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}
