/**
 * The password search as a library call: plan (sources, counts, measured rate, ETA), resume from
 * the session, run the engine pool, checkpoint, verify. The CLI and the web UI only render what
 * this reports.
 */
import { deriveBackupKeys } from '../kdf/backup-key.js';
import type { KdfEngine } from '../kdf/engine.js';
import type { PasswordTarget } from '../backup/password-target.js';
import type { OnProgress } from '../progress.js';
import type { CandidateSource } from './candidates/source.js';
import { Keyspace } from './keyspace.js';
import { runPool } from './pool.js';
import { Session } from './session.js';

/** Past this ETA a search is hopeless on a CPU: say so and point to hashcat on a GPU. */
export const HOPELESS_SECONDS = 365 * 86400;

export interface SearchPlan {
  sources: Array<{ label: string; kind: string; size: number }>;
  total: number;
  /** global position the search starts at (a resumed session) */
  from: number;
  resumeNote?: string;
  /** measured candidates per second for all workers, when measured */
  rate?: number;
  etaSeconds?: number;
  hopeless: boolean;
  engine: string;
  workers: number;
}

export interface RecoverOptions {
  target: PasswordTarget;
  sources: readonly CandidateSource[];
  engine: KdfEngine;
  workers: number;
  /** session folder; undefined = no session (nothing saved) */
  sessionDir?: string;
  restart?: boolean;
  /** test-only: append tested positions (never candidates) to this file */
  traceFile?: string;
  checkpointMs?: number;
  /** measure the engine before starting (one round of throwaway guesses) for the ETA */
  measure?: boolean;
  signal?: AbortSignal;
  onPlan?: (plan: SearchPlan) => void;
  onProgress?: OnProgress;
  /** called with the found password to check it once more (e.g. every class key of a backup) */
  verify?: (password: string) => Promise<boolean>;
}

export interface RecoverOutcome {
  found: boolean;
  password?: string;
  /** global position of the password in the candidate stream */
  position?: number;
  /** candidates tested, this run and earlier runs of the session */
  tried: number;
  seconds: number;
  verified?: boolean;
  plan: SearchPlan;
  /** notes for the user (a fingerprint set that overflowed, ...) */
  notes: string[];
}

/** Candidates per second of `workers` lanes, from one round of throwaway passwords. */
export async function measureRate(engine: KdfEngine, target: PasswordTarget, workers: number, signal?: AbortSignal): Promise<number> {
  const n = Math.max(1, engine.batchSize);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: workers }, (_, w) =>
      deriveBackupKeys(engine, Array.from({ length: n }, (_, i) => new TextEncoder().encode(`\u0000irescue-rate-${w}-${i}`)), target.kdf, signal),
    ),
  );
  const s = (performance.now() - t0) / 1000;
  return (workers * n) / Math.max(s, 1e-6);
}

export async function recoverPassword(opts: RecoverOptions): Promise<RecoverOutcome> {
  const keyspace = new Keyspace(opts.sources);
  const workers = Math.max(1, Math.floor(opts.workers));
  let session: Session | undefined;
  let from = 0;
  let triedBefore = 0;
  let resumeNote: string | undefined;
  if (opts.sessionDir) {
    const opened = Session.open(opts.sessionDir, opts.target.id, opts.sources, { restart: opts.restart, traceFile: opts.traceFile, intervalMs: opts.checkpointMs });
    session = opened.session;
    from = opened.from;
    triedBefore = opened.tested;
    resumeNote = opened.note;
  }
  try {
    session?.checkpoint(); // the session exists (and is writable) before any work starts
    return await search(opts, keyspace, workers, session, from, triedBefore, resumeNote);
  } finally {
    session?.close();
  }
}

async function search(opts: RecoverOptions, keyspace: Keyspace, workers: number, session: Session | undefined, from: number, triedBefore: number, resumeNote: string | undefined): Promise<RecoverOutcome> {
  const plan: SearchPlan = {
    sources: opts.sources.map((s) => ({ label: s.label, kind: s.kind, size: s.size })),
    total: keyspace.total,
    from,
    resumeNote,
    hopeless: false,
    engine: opts.engine.name,
    workers,
  };
  const remaining = keyspace.total - from;
  if (opts.measure !== false && remaining > workers * Math.max(1, opts.engine.batchSize)) {
    plan.rate = await measureRate(opts.engine, opts.target, workers, opts.signal);
    plan.etaSeconds = remaining / plan.rate;
    plan.hopeless = plan.etaSeconds > HOPELESS_SECONDS;
  }
  opts.onPlan?.(plan);

  let lastProgress = 0;
  const progress = (committed: number, source: number) => {
    if (!opts.onProgress) return;
    // fast targets settle thousands of batches a second; renderers need a few events a second
    const now = performance.now();
    if (now - lastProgress < 50 && committed < keyspace.total) return;
    lastProgress = now;
    const s = opts.sources[source];
    const local = Math.min(s.size, Math.max(0, committed - keyspace.offsets[source]));
    opts.onProgress({
      phase: 'recover',
      done: committed,
      total: keyspace.total,
      unit: 'candidates',
      detail: `[${source + 1}/${opts.sources.length} ${s.label}: ${local.toLocaleString('en-US')}/${s.size.toLocaleString('en-US')}]`,
    });
  };
  progress(from, keyspace.sourceAt(from));
  let result;
  try {
    result = await runPool({
      target: opts.target,
      keyspace,
      engine: opts.engine,
      workers,
      from,
      signal: opts.signal,
      onCommit: (c) => session?.commit(c),
      onProgress: (p) => progress(p.committed, p.source),
    });
  } finally {
    session?.checkpoint(); // on success, failure and Ctrl-C alike
  }
  const notes: string[] = [];
  if (keyspace.fingerprintsFull) notes.push('the wordlists hold more distinct words than irescue remembers (about 12 million): some duplicates among later words may have been tested twice');
  const outcome: RecoverOutcome = { found: result.found, tried: triedBefore + result.tested, seconds: result.seconds, plan, notes };
  if (result.found) {
    outcome.password = result.password;
    outcome.position = result.position;
    outcome.verified = opts.verify ? await opts.verify(result.password!) : true;
  }
  return outcome;
}
