/**
 * Short start-up measurements of each KDF path, for selectEngine() and `irescue bench --quick`.
 * The rate is what matters for a backup guess: SHA-256 iterations per second on one thread,
 * expressed as guesses per second at 10,000,000 rounds. Timed by this process's CPU time, not the
 * wall clock: on a busy machine other processes steal whole time slices, which would make a short
 * sample of one path look slower than another at random. Nothing else runs in the process while
 * it measures (start-up), so its CPU time is the measured path's.
 */
import { pbkdf2 } from 'node:crypto';
import { loadNativeAddon, type NativePathInfo } from './native-addon.js';
import { InternalError } from '../errors.js';

const BACKUP_ROUNDS = 10_000_000;

export interface PathRate {
  /** 'node-crypto' or a native path name */
  path: string;
  description: string;
  lanes: number;
  /** guesses per second at 10,000,000 rounds, one thread */
  perCore: number;
  /** guesses per second on every core (irescue bench's full-length run; the start-up measurement has none) */
  allCores?: number;
}

const SALT = Buffer.from('irescue-kdf-measure-salt');

/** Milliseconds of work for `run`: CPU time when the platform counts it finely, else wall time. */
async function timed(run: () => Promise<unknown>): Promise<number> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await run();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1000;
  return cpu >= 2 && cpu <= wall * 1.5 ? cpu : wall;
}

function nodeCryptoOnce(iterations: number): Promise<number> {
  return timed(() => new Promise<void>((resolve, reject) => pbkdf2('measure', SALT, iterations, 32, 'sha256', (err) => (err ? reject(err) : resolve()))));
}

/** Milliseconds for one batch of `lanes` passwords at `iterations` on a native path, one thread. */
async function nativeOnce(path: NativePathInfo, iterations: number): Promise<number> {
  const load = loadNativeAddon();
  if (!load.addon) throw new InternalError('native addon not loaded');
  const pws = Array.from({ length: path.lanes }, (_, i) => Buffer.from(`measure-${i}`));
  const addon = load.addon;
  return timed(() => addon.pbkdf2Batch(pws, SALT, iterations, 32, 'sha256', path.name));
}

async function measureNodeCrypto(iterations = 20_000): Promise<PathRate> {
  await nodeCryptoOnce(1); // starts libuv's thread pool and OpenSSL outside the timed call
  const ms = await nodeCryptoOnce(iterations);
  return { path: 'node-crypto', description: 'Node.js crypto.pbkdf2 (OpenSSL)', lanes: 1, perCore: (iterations / (ms / 1000)) / BACKUP_ROUNDS };
}

async function measureNativePath(path: NativePathInfo, iterations = 20_000): Promise<PathRate> {
  const ms = await nativeOnce(path, iterations);
  return { path: path.name, description: path.description, lanes: path.lanes, perCore: (path.lanes * iterations / (ms / 1000)) / BACKUP_ROUNDS };
}

/**
 * Every runnable path, measured twice (a pass over all, then the three best again for ~40 ms
 * each) so one noisy sample on a busy machine does not decide; keeps each path's best rate.
 */
export async function measureAllPaths(): Promise<PathRate[]> {
  const load = loadNativeAddon();
  const paths = load.addon ? load.addon.paths().filter((p) => p.available) : [];
  const rates = new Map<string, PathRate>();
  const keepBest = (r: PathRate) => {
    const prev = rates.get(r.path);
    if (!prev || r.perCore > prev.perCore) rates.set(r.path, r);
  };
  keepBest(await measureNodeCrypto());
  for (const p of paths) keepBest(await measureNativePath(p));
  // the three best again, and node crypto: its first sample (a few ms on the thread pool) is the
  // noisiest, and it is the figure every other path is compared with
  const sorted = [...rates.values()].sort((a, b) => b.perCore - a.perCore);
  const top = [...new Set([...sorted.slice(0, 3), ...sorted.filter((r) => r.path === 'node-crypto')])];
  for (const r of top) {
    // iterations for ~40 ms at the first estimate
    const iterations = Math.max(5_000, Math.round((r.perCore * BACKUP_ROUNDS * 0.04) / r.lanes));
    const p = paths.find((x) => x.name === r.path);
    keepBest(p ? await measureNativePath(p, iterations) : await measureNodeCrypto(iterations));
  }
  return [...rates.values()].sort((a, b) => b.perCore - a.perCore);
}
