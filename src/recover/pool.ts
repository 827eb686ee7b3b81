/**
 * Joins a candidate stream to a KDF engine (STYLE.md principle 9). `workers` lanes each keep one
 * batch of engine.batchSize candidates in the engine at all times, so workers x batchSize
 * passwords are in flight and every core stays busy. Lanes pull from one shared stream, so no
 * candidate is handed out twice; the first lane that finds the password aborts the others at once.
 *
 * Completion is tracked as the highest contiguous position settled (tested or skipped): a batch
 * finishing early does not move it past a slower batch before it, so a checkpoint never skips work.
 */
import { availableParallelism } from 'node:os';
import { CancelledError } from '../errors.js';
import { deriveBackupKeys } from '../kdf/backup-key.js';
import type { KdfEngine } from '../kdf/engine.js';
import type { PasswordTarget } from '../backup/password-target.js';
import type { Batch, Keyspace } from './keyspace.js';

export interface PoolProgress {
  /** highest contiguous global position settled */
  committed: number;
  /** candidates tested in this run (all lanes, committed or not) */
  testedThisRun: number;
  /** index of the source being worked on */
  source: number;
}

export interface CommitInfo {
  /** everything before this global position is settled */
  position: number;
  /** candidates tested among the positions newly settled */
  tested: number;
}

export interface PoolOptions {
  target: PasswordTarget;
  keyspace: Keyspace;
  engine: KdfEngine;
  workers: number;
  /** global position to start at (a session's checkpoint) */
  from?: number;
  signal?: AbortSignal;
  onCommit?: (c: CommitInfo) => void;
  onProgress?: (p: PoolProgress) => void;
  /** candidates an earlier search already tested (session.ts TestedRecord): settled, not derived */
  skip?: (candidate: string) => boolean;
  /** candidates derived and not the password, once their batch is done */
  onTested?: (candidates: readonly string[]) => void;
}

export interface PoolResult {
  found: boolean;
  password?: string;
  /** global position of the password */
  position?: number;
  /** candidates tested in this run */
  tested: number;
  /** candidates skipped in this run because an earlier search tested them */
  skipped: number;
  /** highest contiguous position settled at the end */
  committed: number;
  seconds: number;
}

const encoder = new TextEncoder();

/**
 * Native threads per engine call when `workers` lanes call the engine at once: the lanes share the
 * cores, so workers x threads stays at the core count (one worker per core means one thread per
 * call). Oversubscribing (every lane splitting its batch over every core) cost 10-13% of the
 * machine in the recover benchmark.
 */
export function threadsPerWorker(workers: number, cores: number = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / Math.max(1, Math.floor(workers))));
}

export async function runPool(opts: PoolOptions): Promise<PoolResult> {
  const { target, keyspace, engine } = opts;
  const workers = Math.max(1, Math.floor(opts.workers));
  const batchSize = Math.max(1, engine.batchSize);
  const started = performance.now();
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort();
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (opts.signal?.aborted) stop.abort();

  let committed = opts.from ?? 0;
  let tested = 0;
  let skipped = 0;
  let currentSource = keyspace.sourceAt(committed);
  const settled = new Map<number, Batch>();
  let found: { password: string; position: number } | undefined;
  let failure: unknown;

  const stream = keyspace.batches(committed, batchSize);
  // async generators queue concurrent next() calls, so lanes never receive the same batch
  const nextBatch = () => stream.next();

  const settle = (b: Batch) => {
    settled.set(b.start, b);
    let newly = 0;
    while (settled.has(committed)) {
      const s = settled.get(committed)!;
      settled.delete(committed);
      newly += s.candidates.length;
      committed = s.end;
    }
    if (newly || committed === b.end) opts.onCommit?.({ position: committed, tested: newly });
  };

  const lane = async () => {
    while (!stop.signal.aborted) {
      const r = await nextBatch();
      if (r.done) return;
      let b = r.value;
      currentSource = b.source;
      if (opts.skip && b.candidates.length > 0) {
        const candidates: string[] = [];
        const positions: number[] = [];
        for (let i = 0; i < b.candidates.length; i++) {
          if (opts.skip(b.candidates[i])) continue;
          candidates.push(b.candidates[i]);
          positions.push(b.positions[i]);
        }
        skipped += b.candidates.length - candidates.length;
        if (candidates.length < b.candidates.length) b = { ...b, candidates, positions };
      }
      if (b.candidates.length > 0) {
        const keys = await deriveBackupKeys(engine, b.candidates.map((c) => encoder.encode(c)), target.kdf, stop.signal);
        for (let i = 0; i < keys.length; i++) {
          if (target.check(keys[i])) {
            if (!found || b.positions[i] < found.position) found = { password: b.candidates[i], position: b.positions[i] };
            stop.abort();
          }
        }
        tested += b.candidates.length;
        if (!found) opts.onTested?.(b.candidates);
      }
      if (found) return;
      settle(b);
      opts.onProgress?.({ committed, testedThisRun: tested, source: currentSource });
    }
  };

  const runLane = async () => {
    try {
      await lane();
    } catch (e) {
      // once stopped (found, Ctrl-C, another lane failed), whatever an engine rejects with is the
      // cancellation itself (CancelledError, or an AbortError from an engine that uses its own)
      if (!stop.signal.aborted && !(e instanceof CancelledError)) failure ??= e;
      stop.abort();
    }
  };

  try {
    await Promise.all(Array.from({ length: workers }, runLane));
  } finally {
    opts.signal?.removeEventListener('abort', onOuterAbort);
    await stream.return(undefined);
  }
  const seconds = (performance.now() - started) / 1000;
  if (failure) throw failure;
  if (found) return { found: true, password: found.password, position: found.position, tested, skipped, committed, seconds };
  if (opts.signal?.aborted) throw new CancelledError('interrupted', { committed, tested });
  return { found: false, tested, skipped, committed, seconds };
}
