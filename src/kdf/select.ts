/**
 * The fastest engine this machine can run. Which path wins depends on the CPU (AVX-512 on one
 * Xeon, SHA-NI on an AMD Zen, the ARMv8 SHA2 instructions on Apple silicon), so the paths are
 * measured briefly once per machine (kept in the cache folder) rather than guessed from feature flags. The choice and its
 * reason are in `engine.detail` so `bench`, `verify --debug` and `recover` can say it.
 *
 * IRESCUE_KDF_PATH=<path> forces a path ('node-crypto' or a native path name, see nativePaths()).
 * Either way the path must derive a known answer first (self-test.ts); one that does not is
 * replaced by node crypto, and `detail` says why.
 */
import { availableParallelism } from 'node:os';
import type { KdfBenchResult } from './bench.js';
import type { EngineRate, KdfEngine } from './engine.js';
import { measureAllPaths, type PathRate } from './measure.js';
import { loadNativeAddon } from './native-addon.js';
import { NativeEngine } from './native.js';
import { NodeCryptoEngine } from './node-crypto.js';
import { trustEngine } from './self-test.js';
import { cachedSelection, type Selection } from './selection-cache.js';

export interface SelectOptions {
  /** native threads per call (default: every core) */
  threads?: number;
  /** a forced path; defaults to IRESCUE_KDF_PATH */
  path?: string;
}

type Choice = Selection;

let choice: Promise<Choice> | undefined;

function fmt(n: number): string {
  return n >= 10 ? n.toFixed(0) : n.toFixed(2);
}

async function choose(): Promise<Choice> {
  const load = loadNativeAddon();
  if (!load.addon) return { path: 'node-crypto', reason: load.reason };
  let rates: PathRate[];
  try {
    rates = await measureAllPaths();
  } catch (e) {
    return { path: 'node-crypto', reason: `the native addon failed its start-up measurement (${e instanceof Error ? e.message : String(e)})` };
  }
  const best = rates[0];
  const node = rates.find((r) => r.path === 'node-crypto');
  const nodeNote = node ? ` (${(best.perCore / node.perCore).toFixed(1)}x node crypto's ${fmt(node.perCore)})` : '';
  const reason =
    best.path === 'node-crypto'
      ? `no native path beat node crypto in the start-up measurement (${fmt(best.perCore)} guesses/s per core at 10M rounds)`
      : `fastest of ${rates.length - 1} native paths measured at start-up: ${fmt(best.perCore)} guesses/s per core at 10M rounds${nodeNote}`;
  return { path: best.path, reason, rates, by: 'start-up measurement' };
}

/**
 * `irescue bench`'s full-length figures as the machine's choice: the one-core column as each
 * path's per-core rate, the all-cores column beside it, the fastest per core chosen. So what
 * `recover` says at start-up is what `irescue bench` printed, not a second, shorter measurement.
 */
function choiceFromBench(r: KdfBenchResult): Choice | undefined {
  const rates: PathRate[] = r.rows
    .filter((row) => row.engine !== 'hashcat' && row.oneCore !== undefined && row.oneCore > 0 && row.allCores > 0)
    .map((row) => ({ path: row.engine, description: row.description, lanes: row.lanes, perCore: row.oneCore!, allCores: row.allCores }))
    .sort((a, b) => b.perCore - a.perCore);
  const best = rates[0];
  if (!best) return undefined;
  const node = rates.find((x) => x.path === 'node-crypto');
  const nodeNote = node && best !== node ? ` (${(best.perCore / node.perCore).toFixed(1)}x node crypto's ${fmt(node.perCore)} per core)` : '';
  const reason = `fastest in irescue bench: ${fmt(best.perCore)} guesses/s per core, ${fmt(best.allCores!)} on all ${r.cores} cores at 10M rounds${nodeNote}`;
  return { path: best.path, reason, rates, by: 'irescue bench' };
}

/** The chosen path's measured speed, for the plan's rate and ETA. */
function rateOf(c: Choice): EngineRate | undefined {
  const r = c.rates?.find((x) => x.path === c.path);
  return r ? { perCore: r.perCore, allCores: r.allCores, cores: availableParallelism(), by: c.by ?? 'start-up measurement' } : undefined;
}

/**
 * Measured once per machine (kdf/selection-cache.ts), not once per command: a cached choice costs
 * a file read, so opening an encrypted backup costs its one key derivation and nothing more.
 */
async function cachedChoice(refresh = false): Promise<Choice> {
  if (!loadNativeAddon().addon) return choose(); // nothing to measure, and the reason is this process's own
  const c = await cachedSelection(choose, { refresh });
  return c.fromCache && c.by !== 'irescue bench' ? { ...c, reason: `${c.reason}; measured earlier on this machine (irescue bench measures again)` } : c;
}

/**
 * Keep `irescue bench`'s result as this machine's choice (full-length runs at the real 10,000,000
 * rounds); a bench at other rounds, or without a native path, measures the start-up way instead.
 */
export async function keepBenchSelection(r: KdfBenchResult): Promise<void> {
  const fromBench = r.rounds === 10_000_000 && loadNativeAddon().addon ? choiceFromBench(r) : undefined;
  choice = fromBench ? cachedSelection(async () => fromBench, { refresh: true }) : cachedChoice(true);
  await choice;
}

/** The measurement behind the choice (undefined without a working addon). */
export async function selectionRates(): Promise<PathRate[] | undefined> {
  return (await (choice ??= cachedChoice())).rates;
}

export async function selectEngine(opts: SelectOptions = {}): Promise<KdfEngine> {
  const forced = opts.path ?? process.env.IRESCUE_KDF_PATH;
  const threads = opts.threads ?? availableParallelism();
  if (forced) {
    const by = opts.path ? 'forced by the caller' : 'forced by IRESCUE_KDF_PATH';
    if (forced === 'node-crypto') return new NodeCryptoEngine(`Node.js crypto.pbkdf2 (OpenSSL): ${by}`);
    const engine = new NativeEngine({ path: forced, threads }); // throws UsageError when unknown or not runnable
    return trustEngine(new NativeEngine({ path: forced, threads, detail: `${engine.detail}: ${by}` }));
  }
  let c = await (choice ??= cachedChoice());
  if (c.path === 'node-crypto') return new NodeCryptoEngine(`Node.js crypto.pbkdf2 (OpenSSL): ${c.reason}`, rateOf(c));
  let engine: NativeEngine;
  try {
    engine = new NativeEngine({ path: c.path, threads });
  } catch {
    // a cached path this process cannot run after all: measure again rather than fail
    c = await (choice = cachedChoice(true));
    if (c.path === 'node-crypto') return new NodeCryptoEngine(`Node.js crypto.pbkdf2 (OpenSSL): ${c.reason}`, rateOf(c));
    engine = new NativeEngine({ path: c.path, threads });
  }
  return trustEngine(new NativeEngine({ path: c.path, threads, rates: c.rates, measured: rateOf(c), detail: `${engine.detail}: ${c.reason}` }));
}

