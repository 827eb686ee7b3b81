/**
 * The low-level SQLite trick shared by the manifest reader and the exporters: check the 16-byte
 * header of a database copy, and flip a WAL-mode header (bytes 18-19 = 2) to the rollback journal
 * (1) so a read-only open works without a writable -shm beside it (DEPENDENCIES.md). Only ever
 * applied to OUR private copy, never to a file in the user's backup.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';

export const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const HEADER_BYTES = 20;

export function isSqliteHeader(header: Buffer): boolean {
  return header.length >= 16 && header.subarray(0, 16).equals(SQLITE_MAGIC);
}

function walBytes(header: Buffer): boolean {
  return header[18] === 2 || header[19] === 2;
}

/**
 * Checks that the copy at `path` is SQLite and, unless `keepWal` (its -wal file will be replayed),
 * clears the WAL flag. Returns false, changing nothing, when the header is not SQLite's.
 */
export async function prepareSqliteCopy(path: string, opts: { keepWal?: boolean } = {}): Promise<boolean> {
  const fh = await open(path, 'r+');
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await fh.read(header, 0, HEADER_BYTES, 0);
    if (bytesRead < HEADER_BYTES || !isSqliteHeader(header)) return false;
    if (!opts.keepWal && walBytes(header)) await fh.write(Buffer.from([1, 1]), 0, 2, 18);
    return true;
  } finally {
    await fh.close();
  }
}

/** The synchronous flip alone, for a copy whose header was already checked. */
export function clearWalFlagSync(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    const h = Buffer.alloc(HEADER_BYTES);
    const n = readSync(fd, h, 0, HEADER_BYTES, 0);
    if (n === HEADER_BYTES && walBytes(h)) writeSync(fd, Buffer.from([1, 1]), 0, 2, 18);
  } finally {
    closeSync(fd);
  }
}
