/**
 * Private scratch space (0700 folder, 0600 files) for decrypted databases. SQLite needs a real
 * file, and we never write next to the user's backup. Removed on close and at process exit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<string>();
let hooked = false;

export function makePrivateTempDir(prefix = 'irescue-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix)); // mkdtemp creates it 0700
  live.add(dir);
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const d of live) rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}

export function removePrivateTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  live.delete(dir);
}
