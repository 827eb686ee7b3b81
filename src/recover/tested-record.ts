/**
 * Every candidate tested against one backup, over all its searches, as hashcat's brain keeps them:
 * 64-bit fingerprints (fingerprint-set.ts), never the candidates. A later search with other hints
 * or sources skips what is recorded here, so no guess costs its key derivation twice.
 *
 * The file is append-only (8 bytes a fingerprint), written with the session's checkpoints: a torn
 * tail after a SIGKILL is ignored on load (a lost entry only means a candidate is tested again,
 * never one skipped untested). Only wrong candidates are ever recorded: a found password closes the
 * search and the record is deleted. Bounded: past MAX_ENTRIES nothing more is remembered.
 */
import { closeSync, fsyncSync, openSync, readFileSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FingerprintSet, fingerprint, slotsFor } from './fingerprint-set.js';

export const TESTED_FILE = 'tested.fp';
/** 4 million wrong candidates (32 MiB on disk, 64 MiB in memory): months of CPU time at 10,000,000 rounds */
const MAX_ENTRIES = 4 * 1024 * 1024;

export class TestedRecord {
  private pending: number[] = [];
  /** true once MAX_ENTRIES was reached: later candidates are no longer remembered */
  full = false;

  private constructor(readonly file: string, private readonly set: FingerprintSet, private count: number, private readonly max: number) {}

  static load(dir: string, max = MAX_ENTRIES): TestedRecord {
    const file = join(dir, TESTED_FILE);
    let buf: Buffer = Buffer.alloc(0);
    try {
      buf = readFileSync(file);
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENOENT') throw e;
    }
    // a torn last entry (killed mid-append) is cut off, so the next appends stay aligned
    if (buf.length % 8) truncateSync(file, buf.length - (buf.length % 8));
    const n = Math.min(Math.floor(buf.length / 8), max);
    const set = new FingerprintSet(slotsFor(n), slotsFor(max) * 2);
    for (let i = 0; i < n; i++) set.addFingerprint(buf.readUInt32LE(8 * i), buf.readUInt32LE(8 * i + 4));
    const r = new TestedRecord(file, set, n, max);
    r.full = n >= max;
    return r;
  }

  /** How many fingerprints a folder's record holds, without loading it. */
  static count(dir: string): number {
    try {
      return Math.floor(statSync(join(dir, TESTED_FILE)).size / 8);
    } catch {
      return 0;
    }
  }

  /** distinct candidates remembered */
  get size(): number {
    return this.set.size;
  }

  has(candidate: string): boolean {
    return this.set.has(candidate);
  }

  add(candidates: readonly string[]): void {
    for (const c of candidates) {
      const [a, b] = fingerprint(c);
      if (!this.addFingerprint(a, b)) return;
    }
  }

  /** One candidate by its fingerprint (hashcat's confirmed ones); false once the record is full. */
  addFingerprint(a: number, b: number): boolean {
    if (this.count >= this.max) {
      this.full = true;
      return false;
    }
    if (this.set.addFingerprint(a, b)) {
      this.pending.push(a, b);
      this.count++;
    }
    return true;
  }

  /** Appends what was added since the last flush (synchronous: safe from a signal handler). */
  flush(): void {
    if (!this.pending.length) return;
    const out = Buffer.alloc(this.pending.length * 4);
    for (let i = 0; i < this.pending.length; i++) out.writeUInt32LE(this.pending[i], 4 * i);
    const fd = openSync(this.file, 'a', 0o600);
    try {
      writeSync(fd, out);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.pending = [];
  }

  /** Forgets everything (--restart, or the password was found). */
  clear(): void {
    this.pending = [];
    rmSync(this.file, { force: true });
  }
}

/** What a search says of the tested record at its end, the same for the CPU and the hashcat run. */
export function testedNotes(record: TestedRecord | undefined, skipped: number): string[] {
  const notes: string[] = [];
  if (record?.full) notes.push('this backup has had more candidates tested than irescue remembers (about 4 million): later ones may be tested again by another search');
  if (skipped) notes.push(`${skipped.toLocaleString('en-US')} candidates were skipped: an earlier search of this backup tested them`);
  return notes;
}
