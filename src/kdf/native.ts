/**
 * The native engine: one CPU path of the addon (SHA-NI, AVX2, AVX-512, ARMv8 SHA2 or portable C)
 * on every core. A call is split into one chunk per thread, each a whole number of lane groups so
 * the SIMD lanes stay busy; each chunk runs on its own native thread, off the main thread.
 */
import { availableParallelism } from 'node:os';
import { CancelledError, IrescueError, UsageError, throwIfAborted, InternalError } from '../errors.js';
import type { EngineRate, KdfEngine, Pbkdf2Params } from './engine.js';
import { loadNativeAddon, type NativeAddon, type NativePathInfo } from './native-addon.js';

export interface NativeEngineOptions {
  /** a path name from nativePaths(); must be available on this CPU */
  path: string;
  /** native threads per call; default: every core */
  threads?: number;
  detail?: string;
  /**
   * Measured per-core rates of other runnable paths (selectEngine's start-up measurement). A chunk
   * smaller than this path's lane group goes to whichever path finishes it first, e.g. one
   * password for `verify` on a 1-lane SHA-NI path instead of a 16-lane group that is 15/16 padding.
   */
  rates?: ReadonlyArray<{ path: string; lanes: number; perCore: number }>;
  /** this path's measured speed on this machine (selectEngine) */
  measured?: EngineRate;
}

/** The paths this addon build knows, with their availability here; [] without the addon. */
export function nativePaths(): NativePathInfo[] {
  const load = loadNativeAddon();
  return load.addon ? load.addon.paths() : [];
}

export class NativeEngine implements KdfEngine {
  readonly name: string;
  readonly detail: string;
  readonly batchSize: number;
  readonly lanes: number;
  readonly threads: number;
  readonly measured?: EngineRate;
  private readonly addon: NativeAddon;

  constructor(readonly options: NativeEngineOptions) {
    const load = loadNativeAddon();
    if (!load.addon) throw new UsageError(`native KDF path ${options.path}: ${load.reason}`);
    const info = load.addon.paths().find((p) => p.name === options.path);
    if (!info) throw new UsageError(`native KDF path ${options.path}: unknown (known: ${load.addon.paths().map((p) => p.name).join(', ')})`);
    if (!info.available) throw new UsageError(`native KDF path ${options.path}: this CPU lacks the instructions it needs`);
    this.addon = load.addon;
    this.lanes = info.lanes;
    this.threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
    this.name = `native-${info.name}`;
    this.batchSize = this.lanes * this.threads;
    this.measured = options.measured;
    this.detail = options.detail ?? `native ${info.name} (${info.description}) on ${this.threads} thread${this.threads === 1 ? '' : 's'}`;
  }

  /** The path that derives `count` passwords soonest: this one unless the chunk is a partial group. */
  pathFor(count: number): string {
    let best = this.options.path;
    if (count >= this.lanes || !this.options.rates) return best;
    let bestTime = Infinity;
    for (const r of this.options.rates) {
      if (r.path === 'node-crypto' || r.perCore <= 0) continue;
      const time = (Math.ceil(count / r.lanes) * r.lanes) / r.perCore;
      if (time < bestTime) {
        bestTime = time;
        best = r.path;
      }
    }
    return best;
  }

  async pbkdf2(passwords: readonly Uint8Array[], params: Pbkdf2Params, signal?: AbortSignal): Promise<Buffer[]> {
    throwIfAborted(signal);
    if (passwords.length === 0) return [];
    const groups = Math.ceil(passwords.length / this.lanes);
    const chunks = Math.min(this.threads, groups);
    // whole lane groups, spread as evenly as possible over the threads
    const chunkList: Array<readonly Uint8Array[]> = [];
    for (let c = 0, start = 0; c < chunks; c++) {
      const size = (Math.floor(groups / chunks) + (c < groups % chunks ? 1 : 0)) * this.lanes;
      chunkList.push(passwords.slice(start, start + size));
      start += size;
    }
    const cancel = new Int32Array(1);
    const onAbort = () => {
      cancel[0] = 1;
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const parts = await Promise.all(
        chunkList.map((chunk) => this.addon.pbkdf2Batch(chunk, params.salt, params.iterations, params.keyLength, params.hash, this.pathFor(chunk.length), cancel)),
      );
      const out: Buffer[] = [];
      for (const part of parts) for (let off = 0; off < part.length; off += params.keyLength) out.push(part.subarray(off, off + params.keyLength));
      return out;
    } catch (e) {
      cancel[0] = 1; // stop the sibling chunks too
      if ((e as { code?: string }).code === 'CANCELLED' || signal?.aborted) throw new CancelledError();
      if (e instanceof IrescueError) throw e;
      throw new InternalError(`native PBKDF2 (${this.options.path}) failed: ${e instanceof Error ? e.message : String(e)}`, {}, { cause: e });
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
