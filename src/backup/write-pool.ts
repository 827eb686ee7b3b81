/**
 * Writes many backup files into an OutTree at once, shared by `extract` and `decrypt`. One bad file
 * is listed and the rest go on; an output disk that cannot take more (read-only, no permission,
 * write error) stops every worker at once; a full disk costs the file that did not fit, and stops
 * the run when files keep not fitting.
 */
import { unlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { IrescueError, throwIfAborted } from '../errors.js';
import type { OnProgress } from '../progress.js';
import type { Backup, StoredRecord } from './open.js';
import { OutputProblem, outputProblem, type OutTree } from './out-tree.js';
import { copyPlaintext, MissingSource, SMALL_FILE_BYTES, Stopped } from './plain-copy.js';

export interface WriteIssue {
  domain: string;
  relativePath: string;
  reason: string;
  writtenAs?: string;
}

export interface WriteJob {
  record: StoredRecord;
  /** absolute destination inside the tree */
  dest: string;
}

export interface PoolResult {
  written: number;
  bytes: number;
  /** plaintext length by fileID, for the decrypted copy's manifest */
  sizes: Map<string, number>;
  missing: WriteIssue[];
  /** the backup's file is damaged or unreadable */
  failed: WriteIssue[];
  /** the output side could not take this file (disk full, name too long, something in the way) */
  notWritten: WriteIssue[];
  /** why the run stopped before the end; undefined when every file was tried */
  stopped?: string;
  /** files not tried because the run stopped */
  notAttempted: number;
}

export interface PoolOptions {
  phase: string;
  onProgress?: OnProgress;
  signal?: AbortSignal;
  concurrency?: number;
}

/** After this many files in a row do not fit, the disk is taken as full and the run stops. */
export const FULL_DISK_STREAK = 8;
/** The synchronous small-file path yields to the event loop this often (ms), so large copies and Ctrl-C progress. */
const YIELD_MS = 4;

function sourcesOf(backup: Backup, r: StoredRecord): string[] {
  const sharded = join(backup.dir, r.fileID.slice(0, 2), r.fileID);
  const flat = join(backup.dir, r.fileID);
  return backup.info.manifestFormat === 'mbdb' ? [flat, sharded] : [sharded, flat];
}

export async function writeFilesInto(backup: Backup, tree: OutTree, jobs: WriteJob[], opts: PoolOptions): Promise<PoolResult> {
  // Largest first (by the manifest's advisory Size): a large file then streams while the many
  // small ones go by on the other workers, instead of running alone at the end.
  const weight = (j: WriteJob) => (j.record.size >= SMALL_FILE_BYTES ? j.record.size : 0);
  jobs = jobs.map((j, i) => ({ j, i, w: weight(j) })).sort((a, b) => b.w - a.w || a.i - b.i).map(({ j }) => j);
  const res: PoolResult = { written: 0, bytes: 0, sizes: new Map(), missing: [], failed: [], notWritten: [], notAttempted: 0 };
  const run = randomBytes(4).toString('hex');
  let seq = 0;
  let next = 0;
  let done = 0;
  let fullStreak = 0;
  const stop = (why: string) => {
    res.stopped ??= why;
  };
  const stopped = () => res.stopped !== undefined || opts.signal?.aborted === true;
  const total = jobs.length;
  opts.onProgress?.({ phase: opts.phase, done, total, unit: 'files' });
  let lastYield = performance.now();

  const one = async ({ record: r, dest }: WriteJob) => {
    const issue = (reason: string) => ({ domain: r.domain, relativePath: r.relativePath, reason });
    const name = `${r.domain}/${r.relativePath}`;
    let tmp: string | undefined;
    try {
      const key = backup.fileKey(r);
      await tree.ensureDirAsync(dirname(dest));
      tmp = join(dirname(dest), `.irescue-${run}-${seq++}.part`);
      const n = await copyPlaintext({ srcs: sourcesOf(backup, r), key, sizeHint: r.size, tmp, mtime: r.mtime, name, signal: opts.signal, stopped });
      tree.place(tmp, dest);
      tmp = undefined;
      res.written++;
      res.bytes += n;
      res.sizes.set(r.fileID, n);
      backup.noteWritten(r, n);
      fullStreak = 0;
    } catch (e) {
      if (tmp) {
        try {
          unlinkSync(tmp);
        } catch {
          /* never created, or already gone */
        }
      }
      if (opts.signal?.aborted) return;
      if (e instanceof Stopped) {
        res.notAttempted++;
        return;
      }
      if (e instanceof MissingSource) return void res.missing.push(issue('listed in the manifest but not in the backup folder'));
      if (e instanceof IrescueError) return void res.failed.push(issue(e.message));
      const p = e instanceof OutputProblem ? e : outputProblem(e);
      res.notWritten.push(issue(p.kind === 'fatal' ? `not written: ${p.message}` : p.message));
      if (p.kind === 'fatal') stop(`${tree.root}: ${p.message}`);
      if (p.kind === 'full' && ++fullStreak >= FULL_DISK_STREAK) stop(`${tree.root}: the output disk is full`);
    }
  };

  const worker = async () => {
    while (next < jobs.length && !stopped()) {
      const job = jobs[next++];
      await one(job);
      done++;
      opts.onProgress?.({ phase: opts.phase, done, total, unit: 'files', detail: `${job.record.domain}/${job.record.relativePath}` });
      if (performance.now() - lastYield > YIELD_MS) {
        await new Promise<void>((r) => setImmediate(r));
        lastYield = performance.now();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 8) }, worker));
  throwIfAborted(opts.signal);
  if (res.stopped) res.notAttempted += jobs.length - next;
  return res;
}
