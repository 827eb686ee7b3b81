/**
 * The hot loop of `extract` and `decrypt`: one backup file's plaintext (decrypted when it has a
 * key) into a new temporary file, with its modification time. Two paths, chosen by size:
 * - small files (most of a backup) in one synchronous run of syscalls, reusing one buffer: a
 *   thread-pool round trip per open/read/write/close costs more than the calls themselves;
 * - large files streamed through three rotating buffers, so that reading the next chunk, decrypting
 *   this one and writing the last overlap, with memory bounded whatever the size.
 * Errors say which side failed: the backup's file (CorruptInputError: damaged or unreadable) or
 * the output disk (OutputProblem: full, read-only, name too long, ...).
 */
import { closeSync, fstatSync, futimesSync, openSync, readSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Decipher } from 'node:crypto';
import { CorruptInputError, throwIfAborted } from '../errors.js';
import { cbcDecipher } from './crypto.js';
import { outputProblem } from './out-tree.js';
import { describeFsError } from './plist.js';

/** Files up to this size take the synchronous path. */
export const SMALL_FILE_BYTES = 1 << 20;
/** Chunk of the streaming path; three per large file in flight. */
export const CHUNK_BYTES = 1 << 20;

/** The file is listed in the manifest but is in neither layout of the backup folder. */
export class MissingSource extends Error {
  constructor(readonly path: string) {
    super(`${path}: not in the backup folder`);
  }
}

/** Another worker hit a fatal output error: this copy was dropped part way. */
export class Stopped extends Error {}

let smallBuf: Buffer | undefined;

export interface PlainCopy {
  /** where the file may be in the backup folder, tried in order (the two layouts) */
  srcs: string[];
  /** AES-256 file key; undefined for a file stored in plaintext */
  key?: Buffer;
  /** temporary file to create (exclusively) */
  tmp: string;
  mtime?: Date;
  /** set to the path found among srcs */
  src?: string;
  /** "domain/relativePath", for messages */
  name: string;
  signal?: AbortSignal;
  /** polled between chunks: another worker hit a fatal output error */
  stopped?: () => boolean;
}

function damaged(src: string, name: string, e: unknown): CorruptInputError {
  const msg = (e as Error)?.message ?? String(e);
  const why = /bad decrypt|wrong final block length|BAD_DECRYPT|WRONG_FINAL_BLOCK_LENGTH/i.test(msg) ? 'its length or padding is wrong: truncated or damaged' : describeFsError(e);
  return new CorruptInputError(src, `does not decrypt (${why}; listed as ${name})`, { cause: e });
}

function unreadable(src: string, name: string, e: unknown): CorruptInputError {
  return new CorruptInputError(src, `cannot be read (${describeFsError(e)}; listed as ${name})`, { cause: e });
}

function decryptPart(d: Decipher | undefined, data: Buffer, job: PlainCopy): Buffer {
  if (!d) return data;
  try {
    return d.update(data);
  } catch (e) {
    throw damaged(job.src!, job.name, e);
  }
}

function decryptEnd(d: Decipher | undefined, job: PlainCopy): Buffer | undefined {
  if (!d) return undefined;
  try {
    return d.final();
  } catch (e) {
    throw damaged(job.src!, job.name, e);
  }
}

/** Writes the plaintext to `job.tmp`; returns its length. The caller renames or removes tmp. */
export async function copyPlaintext(job: PlainCopy): Promise<number> {
  let src = -1;
  for (const p of job.srcs) {
    try {
      src = openSync(p, 'r');
      job.src = p;
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw unreadable(p, job.name, e);
    }
  }
  if (src < 0) throw new MissingSource(job.srcs[0]);
  let small: number | undefined;
  try {
    if (fstatSync(src).size <= SMALL_FILE_BYTES) small = copySmall(src, job);
  } finally {
    closeSync(src);
  }
  return small ?? copyLarge(job);
}

/** undefined when the file turns out larger than the buffer (it grew since fstat): stream it. */
function copySmall(src: number, job: PlainCopy): number | undefined {
  const buf = (smallBuf ??= Buffer.allocUnsafe(SMALL_FILE_BYTES + 1));
  let n = 0;
  try {
    for (let r; n < buf.length && (r = readSync(src, buf, n, buf.length - n, null)) > 0; ) n += r;
  } catch (e) {
    throw unreadable(job.src!, job.name, e);
  }
  if (n === buf.length) return undefined;
  const d = job.key ? cbcDecipher(job.key) : undefined;
  const body = decryptPart(d, buf.subarray(0, n), job);
  const tail = decryptEnd(d, job);
  let dst: number;
  try {
    dst = openSync(job.tmp, 'wx', 0o644);
  } catch (e) {
    throw outputProblem(e);
  }
  try {
    writeAllSync(dst, body);
    if (tail) writeAllSync(dst, tail);
    if (job.mtime) futimesSync(dst, job.mtime, job.mtime);
  } catch (e) {
    throw outputProblem(e);
  } finally {
    closeSync(dst);
  }
  return body.length + (tail?.length ?? 0);
}

function writeAllSync(fd: number, data: Buffer): void {
  for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off);
}

async function writeAll(fh: FileHandle, data: Buffer): Promise<void> {
  for (let off = 0; off < data.length; ) off += (await fh.write(data, off, data.length - off)).bytesWritten;
}

async function copyLarge(job: PlainCopy): Promise<number> {
  let src: FileHandle;
  try {
    src = await open(job.src!, 'r');
  } catch (e) {
    throw unreadable(job.src!, job.name, e);
  }
  let dst: FileHandle | undefined;
  let pendingWrite: Promise<void> | undefined;
  try {
    try {
      dst = await open(job.tmp, 'wx', 0o644);
    } catch (e) {
      throw outputProblem(e);
    }
    const out = dst;
    const write = (b: Buffer) => writeAll(out, b).catch((e) => Promise.reject(outputProblem(e)));
    const read = (b: Buffer) => src.read(b, 0, b.length, null).then((r) => r.bytesRead, (e) => Promise.reject(unreadable(job.src!, job.name, e)));
    const d = job.key ? cbcDecipher(job.key) : undefined;
    // Three buffers: one being read, one being decrypted, one being written (plain copies write
    // straight from the read buffer).
    const bufs = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)];
    let written = 0;
    let k = 0;
    let nextRead = read(bufs[0]);
    for (;;) {
      const n = await nextRead;
      if (n === 0) break;
      throwIfAborted(job.signal);
      if (job.stopped?.()) throw new Stopped();
      const cur = bufs[k % 3];
      k++;
      nextRead = read(bufs[k % 3]);
      nextRead.catch(() => undefined); // awaited next round; never an unhandled rejection
      const plain = decryptPart(d, cur.subarray(0, n), job);
      if (pendingWrite) await pendingWrite;
      pendingWrite = write(plain);
      written += plain.length;
    }
    if (pendingWrite) await pendingWrite;
    pendingWrite = undefined;
    const tail = decryptEnd(d, job);
    if (tail?.length) {
      await write(tail);
      written += tail.length;
    }
    if (job.mtime) await out.utimes(job.mtime, job.mtime).catch((e) => Promise.reject(outputProblem(e)));
    return written;
  } finally {
    if (pendingWrite) await pendingWrite.catch(() => undefined);
    await src.close();
    if (dst) await dst.close().catch(() => undefined);
  }
}
