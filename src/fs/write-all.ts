/**
 * Writes every byte of `parts` to an open file in one writev where the system takes it all.
 * writev (and write) may write less than asked (a full disk, a signal): the rest is written, and a
 * write that takes nothing is an EIO rather than a loop that never ends.
 */
import type { FileHandle } from 'node:fs/promises';

export async function writeAll(fh: FileHandle, parts: Buffer[]): Promise<void> {
  let size = 0;
  for (const p of parts) size += p.length;
  const done = (await fh.writev(parts)).bytesWritten;
  if (done === size) return;
  const rest = parts.length === 1 ? parts[0].subarray(done) : Buffer.concat(parts).subarray(done);
  for (let at = 0; at < rest.length; ) {
    const { bytesWritten } = await fh.write(rest, at);
    if (bytesWritten <= 0) throw Object.assign(new Error('short write'), { code: 'EIO' });
    at += bytesWritten;
  }
}
