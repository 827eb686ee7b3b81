/**
 * A password search is a plan, then a run (the shape restore has). `planSearch` decides everything
 * before the first guess and returns it as one value: the sources and their sizes, the resume
 * point, the engine with its workers and threads, the measured rate, the ETA, the hopeless verdict
 * and the hashcat command line. `runSearch` runs that plan (the built-in pool, or hashcat as one
 * branch) and verifies a found password. The CLI and the wizard render the plan and hand it back;
 * neither holds search logic. Pausing is "abort, then runSearch(plan) again": the session resumes.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { deriveBackupKeys } from '../kdf/backup-key.js';
import type { KdfEngine } from '../kdf/engine.js';
import { selectEngine } from '../kdf/select.js';
import type { PasswordTarget } from '../backup/password-target.js';
import { CancelledError } from '../errors.js';
import type { CandidateSource } from './candidates/source.js';
import { hashcatCommand, searchWithHashcat } from './hashcat-search.js';
import { Keyspace } from './keyspace.js';
import { runPool, threadsPerWorker, type CommitInfo } from './pool.js';
import { defaultSessionDir, peekSession, Session } from './session.js';
import { testedNotes } from './tested-record.js';
import { buildSources, type SearchSpec } from './sources.js';
import { verifyPassword, type RecoverTarget } from './target.js';
import type { OnProgress } from '../progress.js';
import { progressReporter } from './progress.js';

/** Past this ETA a search is hopeless on a CPU: say so and point to hashcat on a GPU. */
export const HOPELESS_SECONDS = 365 * 86400;

export interface PlanOptions {
  target: RecoverTarget;
  /** what to try (the source flags); or `sources` already built */
  spec?: SearchSpec;
  sources?: CandidateSource[];
  /** 'auto' (default): the built-in pool on the fastest engine; 'hashcat': a hashcat binary */
  engine?: 'auto' | 'hashcat';
  /** an engine already selected (the wizard keeps one); default: selectEngine() */
  kdf?: KdfEngine;
  /** default: one per core (node crypto: no more than its thread pool) */
  workers?: number;
  /** session folder; default: the backup's folder under `cacheDir` (or the user cache); false: none */
  session?: string | false;
  cacheDir?: string;
  restart?: boolean;
  /** measure the engine for the rate and ETA (default true) */
  measure?: boolean;
  checkpointMs?: number;
  signal?: AbortSignal;
}

export interface SourceSummary {
  label: string;
  kind: string;
  size: number;
}

export interface SearchPlan {
  /** the backup folder or where the hash line came from */
  name: string;
  targetId: string;
  sources: SourceSummary[];
  total: number;
  /** global position the search starts at (a resumed session) */
  from: number;
  resumeNote?: string;
  /** candidates tested by earlier searches of this backup: skipped when met again */
  remembered: number;
  session?: string;
  /** 'pool' (built-in engines) or 'hashcat' */
  runner: 'pool' | 'hashcat';
  /** engine name (node-crypto, a native path, hashcat) and its one-line detail: for --debug */
  engine: string;
  engineDetail: string;
  workers: number;
  threadsPerWorker: number;
  /** things the user should know before starting (a thread pool smaller than the workers, ...) */
  warnings: string[];
  /** candidates per second for all workers, when measured */
  rate?: number;
  /** what `rate` comes from: per core, on how many cores, and which measurement */
  rateBasis?: { perCore: number; cores: number; by: 'irescue bench' | 'start-up measurement' | 'a trial batch' };
  etaSeconds?: number;
  hopeless: boolean;
  /** the same search on a GPU: `irescue hash ...` then `irescue candidates ... | hashcat ...` */
  hashcatCommand: string[];
}

export interface RunOptions {
  onProgress?: OnProgress;
  signal?: AbortSignal;
  /** each settled range (tests wrap this to trace what was tested) */
  onCommit?: (c: CommitInfo) => void;
}

export interface RecoverOutcome {
  found: boolean;
  password?: string;
  /** global position of the password in the candidate stream */
  position?: number;
  /** candidates tested, this run and earlier runs of the search */
  tried: number;
  /** candidates skipped this run because an earlier search of this backup tested them */
  skipped: number;
  seconds: number;
  /** the found password passed the full check (every class key of a backup) */
  verified?: boolean;
  plan: SearchPlan;
  /** notes for the user (a fingerprint set that overflowed, ...) */
  notes: string[];
}

interface Internals {
  target: RecoverTarget;
  sources: CandidateSource[];
  spec?: SearchSpec;
  kdf: KdfEngine;
  restart: boolean;
  checkpointMs?: number;
}

// what runSearch needs beside the plan's data: kept off the value, so the plan stays plain JSON
const internals = new WeakMap<SearchPlan, Internals>();

/** Candidates per second of `workers` lanes, from one round of throwaway passwords. */
async function measureRate(engine: KdfEngine, target: PasswordTarget, workers: number, signal?: AbortSignal): Promise<number> {
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

const MEASURED_ROUNDS = 10_000_000 + 10_000;

/**
 * The rate from the machine's measurement (the one `irescue bench` prints and keeps, or the
 * start-up one): per core, times the cores the workers keep busy, scaled to this target's rounds.
 * Undefined for an engine without one, or a target whose rounds are not SHA-256 ones (iOS < 10.2).
 */
function measuredRate(kdf: KdfEngine, target: PasswordTarget, busy: number): (NonNullable<SearchPlan['rateBasis']> & { rate: number }) | undefined {
  const m = kdf.measured;
  if (!m || !target.kdf.dpic) return undefined;
  const scale = MEASURED_ROUNDS / (target.kdf.dpic + target.kdf.iterations);
  const cores = Math.min(busy, m.cores);
  // every core at once is slower than cores x one core (shared caches, clocks): bench measured that
  const perCore = (m.allCores !== undefined ? m.allCores / m.cores : m.perCore) * scale;
  return { rate: perCore * cores, perCore: m.perCore * scale, cores, by: m.by };
}

/** node crypto computes on libuv's thread pool, sized once at start-up (4 unless UV_THREADPOOL_SIZE) */
function threadPool(): number {
  return Number(process.env.UV_THREADPOOL_SIZE) || 4;
}

export async function planSearch(o: PlanOptions): Promise<SearchPlan> {
  const sources = o.sources ?? (await buildSources(o.spec ?? {}));
  const runner = o.engine === 'hashcat' ? 'hashcat' : 'pool';
  const cores = availableParallelism();
  const asked = o.workers !== undefined ? Math.max(1, Math.floor(o.workers)) : undefined;
  const kdf = o.kdf ?? (await selectEngine({ threads: threadsPerWorker(asked ?? cores) }));
  const warnings: string[] = [];
  let workers = asked ?? cores;
  if (kdf.name === 'node-crypto') {
    if (asked === undefined) workers = Math.min(workers, threadPool()); // more lanes would only queue
    else if (asked > threadPool()) warnings.push(`the Node.js crypto engine runs on ${threadPool()} threads here, so only ${threadPool()} of the ${asked} workers compute at once; start irescue with UV_THREADPOOL_SIZE=${asked} to use them all`);
  }
  const id = o.target.target.id;
  const session = o.session === false ? undefined : o.session ? o.session : o.cacheDir ? join(o.cacheDir, 'sessions', id) : defaultSessionDir(id);
  const resume = session ? peekSession(session, id, sources, o.restart) : { from: 0, tested: 0, remembered: 0, note: undefined };
  const keyspace = new Keyspace(sources);
  const plan: SearchPlan = {
    name: o.target.name,
    targetId: id,
    sources: sources.map((s) => ({ label: s.label, kind: s.kind, size: s.size })),
    total: keyspace.total,
    from: resume.from,
    resumeNote: resume.note,
    remembered: resume.remembered,
    session,
    runner,
    engine: runner === 'hashcat' ? 'hashcat' : kdf.name,
    engineDetail: runner === 'hashcat' ? 'hashcat binary (IRESCUE_HASHCAT or hashcat on PATH)' : kdf.detail,
    workers: runner === 'hashcat' ? 1 : workers,
    threadsPerWorker: threadsPerWorker(workers),
    warnings: runner === 'hashcat' ? [] : warnings,
    hopeless: false,
    hashcatCommand: hashcatCommand(o.target, o.spec),
  };
  const remaining = keyspace.total - resume.from;
  if (runner === 'pool' && o.measure !== false && remaining > 0) {
    const busy = kdf.name === 'node-crypto' ? Math.min(workers, threadPool(), cores) : Math.min(cores, workers * threadsPerWorker(workers));
    const known = measuredRate(kdf, o.target.target, busy);
    if (known) {
      const { rate, ...basis } = known;
      plan.rate = rate;
      plan.rateBasis = basis;
    } else if (remaining > workers * Math.max(1, kdf.batchSize)) {
      plan.rate = await measureRate(kdf, o.target.target, workers, o.signal);
      plan.rateBasis = { perCore: plan.rate / busy, cores: busy, by: 'a trial batch' };
    }
    if (plan.rate !== undefined) {
      plan.etaSeconds = remaining / plan.rate;
      plan.hopeless = plan.etaSeconds > HOPELESS_SECONDS;
    }
  }
  internals.set(plan, { target: o.target, sources, spec: o.spec, kdf, restart: o.restart === true, checkpointMs: o.checkpointMs });
  return plan;
}

export async function runSearch(plan: SearchPlan, o: RunOptions = {}): Promise<RecoverOutcome> {
  const inner = internals.get(plan);
  if (!inner) throw new TypeError('runSearch takes a plan returned by planSearch');
  const keyspace = new Keyspace(inner.sources);
  let session: Session | undefined;
  let from = 0;
  let triedBefore = 0;
  if (plan.session) {
    // opened again here (the plan only peeked): another run may have moved it since
    const opened = Session.open(plan.session, plan.targetId, inner.sources, { restart: inner.restart, intervalMs: inner.checkpointMs });
    inner.restart = false; // a second run of the same plan (resume after pause) continues
    session = opened.session;
    from = opened.from;
    triedBefore = opened.tested;
  }
  let found = false;
  try {
    session?.checkpoint(); // the session exists (and is writable) before any work starts
    if (plan.runner === 'hashcat') {
      const outcome = await searchWithHashcat({ plan, target: inner.target, keyspace, kdf: inner.kdf, session, from, triedBefore }, o);
      found = outcome.found && outcome.verified === true;
      return outcome;
    }
    const report = progressReporter(plan, keyspace, o.onProgress);
    report(from, keyspace.sourceAt(from));
    const record = session?.tested;
    const result = await runPool({
      target: inner.target.target,
      keyspace,
      engine: inner.kdf,
      workers: plan.workers,
      from,
      signal: o.signal,
      skip: record && record.size ? (c) => record.has(c) : undefined,
      onTested: record ? (cs) => record.add(cs) : undefined,
      onCommit: (c) => {
        session?.commit(c);
        o.onCommit?.(c);
      },
      onProgress: (p) => report(p.committed, p.source),
    });
    const notes: string[] = [];
    if (keyspace.fingerprintsFull) notes.push('the wordlists hold more distinct words than irescue remembers (about 12 million): some duplicates among later words may have been tested twice');
    notes.push(...testedNotes(record, result.skipped));
    const outcome: RecoverOutcome = { found: result.found, tried: triedBefore + result.tested, skipped: result.skipped, seconds: result.seconds, plan, notes };
    if (result.found) {
      outcome.password = result.password;
      outcome.position = result.position;
      outcome.verified = await verifyPassword(inner.target, inner.kdf, result.password!);
      found = outcome.verified;
    }
    return outcome;
  } catch (e) {
    if (e instanceof CancelledError && plan.session) {
      throw new CancelledError(`interrupted: progress saved in ${plan.session}; run the same search again to resume`, { ...e.details, session: plan.session });
    }
    throw e;
  } finally {
    if (found) session?.finish(); // a found password closes the search
    else session?.checkpoint(); // on failure and Ctrl-C alike
    session?.close();
  }
}
