/**
 * Benchmarks of `recover` (issue #4, "Performance"):
 *  1. the engine pool keeps every core busy: candidates/s of the pool with W workers compared with
 *     W x the single-lane rate of the same engine, measured in the same run (goal: within 5%);
 *  2. candidate generation never bottlenecks: candidates/s of each source on one core, raw
 *     (the source's cursor) and through the deduplicating keyspace (goal: >= 1,000,000/s).
 * Run alone: `node --import tsx bench/recover.ts [--json]`; bench/run.ts calls benchRecover().
 */
import { availableParallelism, tmpdir } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pbkdf2Sync } from 'node:crypto';
import { NativeEngine } from '../src/kdf/native.js';
import { selectEngine } from '../src/kdf/select.js';
import { deriveBackupKeys } from '../src/kdf/backup-key.js';
import type { KdfEngine } from '../src/kdf/engine.js';
import type { PasswordTarget } from '../src/backup/password-target.js';
import { buildSources, type SearchSpec } from '../src/recover/sources.js';
import { Keyspace } from '../src/recover/keyspace.js';
import type { CandidateSource } from '../src/recover/candidates/source.js';
import { runPool, threadsPerWorker } from '../src/recover/pool.js';
import { CancelledError } from '../src/errors.js';
import { KernelBench } from './kernel-ceiling.js';

export interface GenerationFigure {
  source: string;
  /** candidates per second straight from the source's cursor */
  rawPerSecond: number;
  /** candidates per second through the deduplicating keyspace (what recover and candidates use) */
  dedupedPerSecond: number;
  candidates: number;
  /** one-off building of the source before the first candidate (finite lists are built whole) */
  setupSeconds: number;
  /** candidates / (set-up + the time to read them all deduplicated): the figure issue #4's 1,000,000/s is about */
  overallPerSecond: number;
}

export interface RecoverBench {
  engine: string;
  workers: number;
  dpic: number;
  singleLanePerSecond: number;
  poolPerSecond: number;
  /** pool / (workers x single lane); 1.0 = every core busy */
  efficiency: number;
  /**
   * The same ratio with an engine that only waits (10 ms a batch, no CPU): the pool's own overhead,
   * independent of how loaded the machine is.
   */
  sleepEngineEfficiency: number;
  /**
   * Issue #5: the pool (all workers, the engine recover builds) against the same path's C kernel
   * driven from C on every core (native/bench/kernel-bench.c), both at DPIC, alternated in one run.
   */
  ceiling: { path: string; kernelPerSecond: number; recoverPerSecond: number; ratio: number } | { skipped: string };
  generation: GenerationFigure[];
}

/** A target no candidate opens, with a KDF cheap enough to measure in seconds. */
function benchTarget(dpic: number): PasswordTarget {
  const salt = Buffer.alloc(20, 1);
  const dpsl = Buffer.alloc(20, 2);
  return { id: 'bench', hashLine: '', kdf: { salt, iterations: 1, dpsl, dpic }, check: () => false };
}

async function singleLaneRate(engine: KdfEngine, target: PasswordTarget, seconds: number): Promise<number> {
  const n = Math.max(1, engine.batchSize);
  let done = 0;
  const t0 = performance.now();
  while ((performance.now() - t0) / 1000 < seconds) {
    await deriveBackupKeys(engine, Array.from({ length: n }, (_, i) => Buffer.from(`single-${done + i}`)), target.kdf);
    done += n;
  }
  return done / ((performance.now() - t0) / 1000);
}

async function poolRate(engine: KdfEngine, target: PasswordTarget, workers: number, seconds: number): Promise<number> {
  const keyspace = new Keyspace(await buildSources({ masks: ['?a?a?a?a?a?a'] }));
  const ac = new AbortController();
  const begin = performance.now();
  // measured between two batch completions after a one-second warm-up, so start-up is not counted
  let mark: { t: number; n: number } | undefined;
  let last: { t: number; n: number } | undefined;
  const timer = setTimeout(() => ac.abort(), (seconds + 1) * 1000);
  try {
    await runPool({
      target,
      keyspace,
      engine,
      workers,
      signal: ac.signal,
      onProgress: (p) => {
        const now = performance.now();
        if (!mark && now - begin > 1000) mark = { t: now, n: p.testedThisRun };
        else if (mark) last = { t: now, n: p.testedThisRun };
      },
    });
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
  } finally {
    clearTimeout(timer);
  }
  if (!mark || !last) return 0;
  return (last.n - mark.n) / ((last.t - mark.t) / 1000);
}

/** Candidates/s of one source, raw and deduplicated; small sources are run again until timing is stable. */
async function generation(spec: SearchSpec, name: string, maxSeconds: number): Promise<GenerationFigure> {
  // set-up: the fastest of three builds, so the first call's compiling of the code is not counted
  let setupSeconds = Infinity;
  let sources: CandidateSource[] = [];
  for (let i = 0; i < 3; i++) {
    const t00 = performance.now();
    sources = await buildSources(spec);
    setupSeconds = Math.min(setupSeconds, (performance.now() - t00) / 1000);
  }
  const minSeconds = Math.min(1, maxSeconds);
  let raw = 0;
  const t0 = performance.now();
  const elapsed0 = () => (performance.now() - t0) / 1000;
  do {
    for (const s of sources) {
      const c = s.open(0);
      for (;;) {
        const got = await c.read(8192);
        raw += got.length;
        if (!got.length || elapsed0() > maxSeconds) break;
      }
      c.close();
    }
  } while (elapsed0() < minSeconds);
  const rawSeconds = elapsed0();
  const ks = new Keyspace(sources);
  let deduped = 0;
  let once = 0;
  const t1 = performance.now();
  const elapsed1 = () => (performance.now() - t1) / 1000;
  do {
    let n = 0;
    for await (const b of ks.batches(0, 8192)) {
      n += b.candidates.length;
      if (elapsed1() > maxSeconds) break;
    }
    deduped += n;
    once ||= n;
  } while (elapsed1() < minSeconds);
  const dedupedPerSecond = deduped / elapsed1();
  return { source: name, rawPerSecond: raw / rawSeconds, dedupedPerSecond, candidates: once, setupSeconds, overallPerSecond: once / (setupSeconds + once / dedupedPerSecond) };
}

/** An engine that spends no CPU: each call resolves after a fixed delay. */
class SleepEngine implements KdfEngine {
  readonly name = 'sleep';
  readonly detail = 'waits 10 ms a batch';
  constructor(readonly batchSize: number) {}
  pbkdf2(passwords: readonly Uint8Array[]): Promise<Buffer[]> {
    return new Promise((resolve) => setTimeout(() => resolve(passwords.map(() => Buffer.alloc(32))), 10));
  }
}

export async function benchRecover(opts: { seconds?: number; workers?: number; dpic?: number; rounds?: number; generation?: boolean } = {}): Promise<RecoverBench> {
  const seconds = opts.seconds ?? 3;
  const workers = opts.workers ?? availableParallelism();
  // DPIC 200,000: a batch takes ~0.1 s on one core, so the main thread's work per batch (encoding,
  // the key check, bookkeeping) weighs about as little as at the real 10,000,000 rounds; at 20,000
  // it was a few per cent of the pool's rate, competing with the engine threads for the cores
  const dpic = opts.dpic ?? 200_000;
  const rounds = opts.rounds ?? 3;
  // the engine recover itself builds for this many workers (one native thread per call at one worker per core)
  const engine = await selectEngine({ threads: threadsPerWorker(workers) });
  const target = benchTarget(dpic);
  pbkdf2Sync('warm', 'up', 1000, 32, 'sha256');
  // the single-core baseline is the same path held to one thread
  const oneCore = engine instanceof NativeEngine ? new NativeEngine({ ...engine.options, threads: 1 }) : engine;
  const kernel = engine instanceof NativeEngine ? await KernelBench.build() : { reason: `the engine is ${engine.name}, not a native path` };
  // alternated rounds, so a change in the machine's load or clock during the run hits all sides
  let single = 0;
  let pool = 0;
  let ceiling = 0;
  try {
    for (let r = 0; r < rounds; r++) {
      single += (await singleLaneRate(oneCore, target, seconds)) / rounds;
      pool += (await poolRate(engine, target, workers, seconds)) / rounds;
      if (kernel.bench && engine instanceof NativeEngine) {
        ceiling += (await kernel.bench.measure(engine.options.path, availableParallelism(), seconds, dpic)).guessesPerSecond / rounds;
      }
    }
  } finally {
    kernel.bench?.dispose();
  }
  const sleeper = new SleepEngine(Math.max(1, engine.batchSize));
  const sleepSingle = await singleLaneRate(sleeper, target, Math.min(2, seconds));
  const sleepPool = await poolRate(sleeper, target, workers * 8, Math.min(3, seconds));

  const result = {
    engine: engine.name,
    workers,
    dpic,
    singleLanePerSecond: single,
    poolPerSecond: pool,
    efficiency: pool / (workers * single),
    sleepEngineEfficiency: sleepPool / (workers * 8 * sleepSingle),
    ceiling:
      kernel.bench && engine instanceof NativeEngine
        ? { path: engine.options.path, kernelPerSecond: ceiling, recoverPerSecond: pool, ratio: pool / ceiling }
        : { skipped: kernel.reason ?? 'no kernel harness' },
  };
  if (opts.generation === false) return { ...result, generation: [] };
  const dir = mkdtempSync(join(tmpdir(), 'irescue-bench-'));
  const wl = join(dir, 'words.txt');
  const words: string[] = [];
  for (let i = 0; i < 2_000_000; i++) words.push(`w${(i * 2654435761) % 1e9}x`);
  writeFileSync(wl, words.join('\n') + '\n');
  const small = join(dir, 'small.txt');
  writeFileSync(small, words.slice(0, 50_000).join('\n') + '\n');
  const gen: GenerationFigure[] = [];
  try {
    const genSeconds = Math.min(2, seconds);
    gen.push(await generation({ tries: words.slice(0, 200_000) }, '--try (200,000 guesses)', genSeconds));
    gen.push(await generation({ hints: ['rex', 'fluffy', '2015', 'paris'] }, '--hint (4 words)', genSeconds));
    gen.push(await generation({ common: true }, '--common', genSeconds));
    gen.push(await generation({ wordlists: [wl] }, '--wordlist (2M words)', genSeconds));
    gen.push(await generation({ wordlists: [small], rules: true }, '--wordlist --rules', genSeconds));
    gen.push(await generation({ masks: ['?l?l?l?l?d?d'] }, '--mask ?l?l?l?l?d?d', genSeconds));
    gen.push(await generation({ pins: [6] }, '--pins 6', genSeconds));
    gen.push(await generation({ common: true, pins: [6] }, '--pins 6 after --common', genSeconds));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { ...result, generation: gen };
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

if (process.argv[1] && /bench[\\/]recover\.ts$/.test(process.argv[1])) {
  const r = await benchRecover({ generation: !process.argv.includes('--pool-only') });
  if (process.argv.includes('--json')) {
    process.stdout.write(JSON.stringify(r, null, 2) + '\n');
  } else {
    process.stdout.write(`engine ${r.engine}, DPIC ${r.dpic}: one lane ${r.singleLanePerSecond.toFixed(1)}/s; pool of ${r.workers} ${r.poolPerSecond.toFixed(1)}/s = ${(100 * r.efficiency).toFixed(1)}% of ${r.workers} x one lane; pool overhead alone (sleeping engine, ${r.workers * 8} lanes): ${(100 * r.sleepEngineEfficiency).toFixed(1)}%\n`);
    if ('ratio' in r.ceiling) {
      process.stdout.write(`recover on all cores ${r.ceiling.recoverPerSecond.toFixed(1)}/s = ${(100 * r.ceiling.ratio).toFixed(1)}% of the ${r.ceiling.path} C kernel driven from C on all cores (${r.ceiling.kernelPerSecond.toFixed(1)}/s)\n`);
    } else {
      process.stdout.write(`recover vs the C kernel: skipped (${r.ceiling.skipped})\n`);
    }
    for (const g of r.generation) process.stdout.write(`  ${g.source.padEnd(28)} raw ${fmt(g.rawPerSecond).padStart(12)}/s   deduplicated ${fmt(g.dedupedPerSecond).padStart(12)}/s   with set-up ${fmt(g.overallPerSecond).padStart(11)}/s   (${fmt(g.candidates)} candidates, set up in ${g.setupSeconds.toFixed(2)} s)\n`);
  }
}
