/**
 * The hot loop of `extract` and `decrypt`: one backup file's plaintext (decrypted when it has a
 * key) into a new temporary file, with its modification time. Two paths, chosen by size:
 * - small files (most of a backup): read whole into a reused buffer, decrypted in one call, written
 *   in one write; many are in flight at once (write-pool.ts), because on a busy or slow disk each
 *   create and write blocks for milliseconds, and the thread pool overlaps them;
 * - large files streamed through three rotating buffers, so that reading the next chunk, decrypting
 *   this one and writing the last overlap, with memory bounded whatever the size.
 * Errors say which side failed: the backup's file (CorruptInputError: damaged or unreadable) or
 * the output disk (OutputProblem: full, read-only, name too long, ...).
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Decipher } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CorruptInputError, throwIfAborted } from '../errors.js';
import { cbcDecipher } from './crypto.js';
import { outputProblem } from './out-tree.js';
import { writeAll } from '../fs/write-all.js';
import { describeFsError } from '../errors.js';

/** Files up to this size take the synchronous path. */
export const SMALL_FILE_BYTES = 1 << 20;
/** Chunk of the streaming path; three per large file in flight (256 KiB measured as fast as 1 MiB, with less memory). */
const CHUNK_BYTES = 256 << 10;

/** The file is listed in the manifest but is in neither layout of the backup folder. */
export class MissingSource extends Error {
  constructor(readonly path: string) {
    super(`${path}: not in the backup folder`);
  }
}

/** Another worker hit a fatal output error: this copy was dropped part way. */
export class Stopped extends Error {}


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
  /** the manifest's (advisory) size: picks the read buffer, never trusted for the length */
  sizeHint?: number;
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

/**
 * Each decipher.update() returns a new buffer, and V8 frees buffers only at a collection, which
 * it starts by itself only when about 64 MB of them are waiting: a 4 GiB file would make the
 * process 64 MB larger for nothing. A young-generation collection every few chunks (well under a
 * millisecond, as the heap is small) keeps that near one chunk. Without the gc hook (flags refused)
 * we only lose the memory bound, never correctness.
 */
let youngGc: (() => void) | null | undefined;
function collectYoung(): void {
  if (youngGc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as (o?: { type: string }) => void;
      youngGc = () => gc({ type: 'minor' });
    } catch {
      youngGc = null;
    }
  }
  youngGc?.();
}
/** A young collection after this many bytes of decrypted output, counted over every file in flight. */
const GC_EVERY_BYTES = 4 << 20;
let sinceGc = 0;
/** Counts decrypted output; collects when enough garbage buffers may be waiting. */
function noteDecrypted(n: number): void {
  if ((sinceGc += n) < GC_EVERY_BYTES) return;
  sinceGc = 0;
  collectYoung();
}

/**
 * Reusable read buffers of the small-file path, one per file in flight. They are this size, not
 * SMALL_FILE_BYTES: most files of a backup are far smaller, and eight 1 MiB buffers filled once each
 * stay 8 MB of resident memory for the whole run. A file the manifest says is larger gets a buffer
 * of its own; one that is larger than its manifest Size said fills the buffer and is streamed.
 */
const SPARE_BYTES = 128 << 10;
const spare: Buffer[] = [];

async function openSource(job: PlainCopy): Promise<FileHandle> {
  for (const p of job.srcs) {
    try {
      const fh = await open(p, 'r');
      job.src = p;
      return fh;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw unreadable(p, job.name, e);
    }
  }
  throw new MissingSource(job.srcs[0]);
}

/** Writes the plaintext to `job.tmp`; returns its length. The caller renames or removes tmp. */
export async function copyPlaintext(job: PlainCopy): Promise<number> {
  const src = await openSource(job);
  const pooled = (job.sizeHint ?? 0) + 16 < SPARE_BYTES; // + the padding of the stored copy
  const buf = pooled ? (spare.pop() ?? Buffer.allocUnsafe(SPARE_BYTES + 1)) : Buffer.allocUnsafe(SMALL_FILE_BYTES + 1);
  let closing: Promise<void> | undefined;
  try {
    let n = 0;
    try {
      for (let r; n < buf.length && (r = (await src.read(buf, n, buf.length - n, null)).bytesRead) > 0; ) n += r;
    } catch (e) {
      throw unreadable(job.src!, job.name, e);
    }
    closing = src.close(); // overlaps with the writing below
    if (n === buf.length) return await copyLarge(job);
    const d = job.key ? cbcDecipher(job.key) : undefined;
    const body = decryptPart(d, buf.subarray(0, n), job);
    const tail = decryptEnd(d, job);
    // the many small files' outputs add up like a large file's chunks
    if (d) noteDecrypted(n);
    if (job.stopped?.()) throw new Stopped();
    let dst: FileHandle;
    try {
      dst = await open(job.tmp, 'wx', 0o644);
    } catch (e) {
      throw outputProblem(e);
    }
    try {
      // one call for both parts: each call is a round trip through the thread pool
      await writeAll(dst, tail?.length ? [body, tail] : [body]);
      if (job.mtime) await dst.utimes(job.mtime, job.mtime);
    } catch (e) {
      throw outputProblem(e);
    } finally {
      await dst.close().catch(() => undefined);
    }
    return body.length + (tail?.length ?? 0);
  } finally {
    if (pooled) spare.push(buf);
    await (closing ?? src.close()).catch(() => undefined);
  }
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
    const write = (b: Buffer) => writeAll(out, [b]).catch((e) => Promise.reject(outputProblem(e)));
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
      if (d) noteDecrypted(plain.length);
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
