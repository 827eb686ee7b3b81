/**
 * The computer's side of mobilebackup2's file operations: the device drives, naming paths relative
 * to the backup folder ("<UDID>/Manifest.plist", "<UDID>/3d/3d0d..."). Every path is checked to
 * stay inside that folder; received files are written to a temp name and renamed when complete.
 */
import { createReadStream } from 'node:fs';
import { cp, mkdir, open, readdir, rename, rm, stat, statfs, type FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import type { PlistDict } from '../../plist/plist.js';
import { CorruptInputError } from '../../errors.js';
import { tempPathFor } from '../../fs/atomic.js';
import { writeAll } from '../../fs/write-all.js';
import type { Connection } from '../connection.js';

export const CODE_SUCCESS = 0x00;
export const CODE_ERROR_LOCAL = 0x06;
export const CODE_ERROR_REMOTE = 0x0b;
export const CODE_FILE_DATA = 0x0c;
const MAX_NAME = 4096;
const CHUNK = 64 * 1024;
/** errno → device error code, as the devices expect (ENOENT -6, EEXIST -7, else -errno) */
const DEVICE_ENOENT = -6;

/** The device's relative path, resolved inside `root`; anything that escapes is corrupt input. */
export function resolveInside(root: string, rel: string): string {
  if (rel.includes('\0') || isAbsolute(rel) || /^[a-zA-Z]:/.test(rel)) throw new CorruptInputError('mobilebackup2', `unsafe path from the device: ${JSON.stringify(rel)}`);
  const n = normalize(rel);
  if (n === '..' || n.startsWith(`..${sep}`) || n.split(/[\\/]/).includes('..')) throw new CorruptInputError('mobilebackup2', `unsafe path from the device: ${JSON.stringify(rel)}`);
  return join(root, n);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

async function readName(conn: Connection): Promise<string | undefined> {
  const n = (await conn.receive(4)).readUInt32BE(0);
  if (n === 0) return undefined;
  if (n > MAX_NAME) throw new CorruptInputError('mobilebackup2 upload', `file name of ${n} bytes`);
  return (await conn.receive(n)).toString('utf8');
}

/** A file the device gave up on mid-stream (CODE_ERROR_REMOTE), with the device's reason. */
export interface FailedFile {
  path: string;
  reason: string;
}

export interface UploadResult {
  files: number;
  bytes: number;
  /** files the device marked as failed: reported, never written under their real name */
  failed: FailedFile[];
}

/** Largest piece of a data block read at once: the device picks block lengths up to 4 GiB. */
const MAX_PIECE = 1024 * 1024;
/** Received pieces are gathered up to this size before one write: fewer thread-pool round trips. */
const WRITE_BATCH = 1024 * 1024;
/** A status block (success, or the device's error text) is small; a bigger one is garbage. */
const MAX_STATUS_BLOCK = 64 * 1024;
/** Longest device error text kept in a report. */
const MAX_REASON = 1024;

/**
 * DLMessageUploadFiles: the device streams files to us. Per file: directory name, file name, then
 * blocks [u32 length][code][data]; FILE_DATA blocks carry content, SUCCESS ends the file,
 * ERROR_REMOTE carries the device's message. A zero directory length ends the stream.
 * Memory stays bounded: a block is read in pieces of at most MAX_PIECE and written in batches;
 * what the connection has buffered is taken in one call (one wake-up per batch when behind).
 */
export async function receiveFiles(conn: Connection, root: string, onBytes?: (n: number) => void): Promise<UploadResult> {
  const result: UploadResult = { files: 0, bytes: 0, failed: [] };
  for (;;) {
    const dname = await readName(conn);
    if (dname === undefined) return result;
    const fname = await readName(conn);
    if (fname === undefined) return result;
    const target = resolveInside(root, fname);
    const temp = tempPathFor(target);
    await mkdir(dirname(target), { recursive: true });
    const fh = await open(temp, 'w', 0o600);
    let complete = false;
    let batch: Buffer[] = [];
    let batched = 0;
    // one write in flight while the next batch is read: the disk and the socket work at once,
    // and memory stays bounded (one batch writing, one filling, plus the connection's buffer)
    let writing: Promise<void> | undefined;
    let writeError: unknown;
    const settle = async (): Promise<void> => {
      await writing;
      writing = undefined;
      if (writeError !== undefined) throw writeError;
    };
    const flush = async (): Promise<void> => {
      await settle();
      if (!batched) return;
      const parts = batch;
      batch = [];
      batched = 0;
      writing = writeAll(fh, parts).then(
        () => undefined,
        (e: unknown) => {
          writeError = e;
        },
      );
    };
    try {
      for (;;) {
        const len = (await conn.receive(4)).readUInt32BE(0);
        if (len === 0) break;
        const code = (await conn.receive(1))[0];
        if (code === CODE_FILE_DATA) {
          for (let left = len - 1; left > 0; ) {
            // never more than fills the batch: a batch stays at WRITE_BATCH, memory at its bound
            const max = Math.min(left, MAX_PIECE, WRITE_BATCH - batched);
            const pieces = conn.receiveSome ? await conn.receiveSome(max) : [await conn.receive(max)];
            let got = 0;
            for (const piece of pieces) {
              batch.push(piece);
              got += piece.length;
            }
            left -= got;
            batched += got;
            result.bytes += got;
            onBytes?.(got);
            if (batched >= WRITE_BATCH) await flush();
          }
          continue;
        }
        if (len - 1 > MAX_STATUS_BLOCK) throw new CorruptInputError('mobilebackup2 upload', `status block of ${len - 1} bytes`);
        const data = await conn.receive(len - 1);
        if (code === CODE_SUCCESS) {
          complete = true;
          break;
        } else if (code === CODE_ERROR_REMOTE) {
          // iOS 17+ ends some files this way after their data (e.g. Snapshot/.../backup_manifest.db,
          // "Input/output error (5)") and the backup still succeeds: report it, keep going, and do
          // not leave an incomplete file under the real name.
          result.failed.push({ path: fname, reason: data.toString('utf8', 0, Math.min(data.length, MAX_REASON)) });
          break;
        } else {
          throw new CorruptInputError('mobilebackup2 upload', `unknown block code 0x${code.toString(16)}`);
        }
      }
      await flush();
      await settle();
    } catch (e) {
      await writing;
      // nothing half-written: a file the device did not finish is not left under its real name or the temp one
      await fh.close().catch(() => undefined);
      await rm(temp, { force: true });
      throw e;
    }
    await fh.close();
    if (complete) {
      await rename(temp, target);
      result.files++;
    } else {
      await rm(temp, { force: true });
    }
  }
}

/**
 * DLMessageDownloadFiles: the device asks for files of an earlier backup (to make an incremental
 * one). Missing files are reported per file in a "Multi status" dictionary.
 */
export async function sendFiles(conn: Connection, root: string, paths: string[]): Promise<{ errors: PlistDict }> {
  const errors: PlistDict = {};
  for (const rel of paths) {
    const name = Buffer.from(rel, 'utf8');
    await conn.send(Buffer.concat([u32(name.length), name]));
    let size = -1;
    let why = 'No such file or directory';
    try {
      const st = await stat(resolveInside(root, rel));
      if (st.isFile()) size = st.size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') why = (e as Error).message;
    }
    if (size < 0) {
      errors[rel] = { DLFileErrorString: why, DLFileErrorCode: DEVICE_ENOENT };
      const msg = Buffer.from(why, 'utf8');
      await conn.send(Buffer.concat([u32(msg.length + 1), Buffer.from([CODE_ERROR_LOCAL]), msg]));
      continue;
    }
    if (size > 0) {
      for await (const chunk of createReadStream(resolveInside(root, rel), { highWaterMark: CHUNK })) {
        const b = chunk as Buffer;
        await conn.send(Buffer.concat([u32(b.length + 1), Buffer.from([CODE_FILE_DATA]), b]));
      }
    }
    await conn.send(Buffer.concat([u32(1), Buffer.from([CODE_SUCCESS])]));
  }
  await conn.send(u32(0));
  return { errors };
}

export async function freeSpace(root: string): Promise<number> {
  const s = await statfs(root);
  return s.bavail * s.bsize;
}

export async function listDirectory(root: string, rel: string): Promise<PlistDict> {
  const dir = resolveInside(root, rel);
  const out: PlistDict = {};
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const st = await stat(join(dir, name)).catch(() => undefined);
    if (!st) continue;
    out[name] = { DLFileType: st.isDirectory() ? 'DLFileTypeDirectory' : 'DLFileTypeRegular', DLFileSize: st.size, DLFileModificationDate: st.mtime };
  }
  return out;
}

export async function makeDirectory(root: string, rel: string): Promise<void> {
  await mkdir(resolveInside(root, rel), { recursive: true });
}

export async function moveItems(root: string, moves: Record<string, string>): Promise<void> {
  for (const [from, to] of Object.entries(moves)) {
    const dst = resolveInside(root, to);
    await rm(dst, { recursive: true, force: true });
    await mkdir(dirname(dst), { recursive: true });
    await rename(resolveInside(root, from), dst);
  }
}

export async function removeItems(root: string, paths: string[]): Promise<void> {
  for (const p of paths) await rm(resolveInside(root, p), { recursive: true, force: true });
}

export async function copyItem(root: string, from: string, to: string): Promise<void> {
  const src = resolveInside(root, from);
  if (!(await stat(src).catch(() => undefined))) return;
  await cp(src, resolveInside(root, to), { recursive: true });
}
