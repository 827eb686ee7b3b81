/**
 * Private scratch space (0700 folder, 0600 files) for decrypted databases. SQLite needs a real
 * file, and we never write next to the user's backup. Removed on close and at process exit; a run
 * that was killed (SIGKILL, out of memory) cannot clean up, so each folder carries its process id
 * and the next run removes the folders of processes that are gone (SECURITY-REVIEW: "decrypted
 * scratch after a crash").
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<string>();
let hooked = false;
let swept = false;

/** `<prefix>p<pid>-XXXXXX`: the pid tells a later run whether the owner still lives. */
const OWNED = /^irescue-[a-z-]*p(\d+)-[A-Za-z0-9]{6}$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/** Removes scratch folders of irescue processes that no longer run. Returns how many went. */
export function sweepStaleTempDirs(dir = tmpdir()): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const m = OWNED.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || alive(pid)) continue;
    try {
      rmSync(join(dir, name), { recursive: true, force: true });
      removed++;
    } catch {
      // another user's folder, or gone already: not ours to worry about
    }
  }
  return removed;
}

export function makePrivateTempDir(prefix = 'irescue-'): string {
  if (!swept) {
    swept = true;
    sweepStaleTempDirs();
  }
  const dir = mkdtempSync(join(tmpdir(), `${prefix}p${process.pid}-`)); // mkdtemp creates it 0700
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
