/**
 * Loads the optional native addon (native/, package `irescue-native`). It is an optional
 * dependency: when it did not build, loading fails and callers fall back to node crypto. The
 * reason is kept so `bench`, `verify --debug` and `recover` can say why.
 */
import { createRequire } from 'node:module';

export interface NativePathInfo {
  /** stable id: 'portable', 'sha-ni-x3', 'avx512-x16', ... */
  name: string;
  description: string;
  /** passwords one kernel call works on at once */
  lanes: number;
  /** whether this CPU can run it */
  available: boolean;
}

export interface NativeAddon {
  pbkdf2Batch(
    passwords: readonly Uint8Array[],
    salt: Uint8Array,
    iterations: number,
    keyLength: number,
    hash: 'sha1' | 'sha256',
    path: string,
    cancel?: Int32Array,
  ): Promise<Buffer>;
  paths(): NativePathInfo[];
  cpuFeatures(): { shaNi: boolean; sse41: boolean; avx2: boolean; avx512: boolean; armv8Sha2: boolean };
}

export type AddonLoad = { addon: NativeAddon; from: string } | { addon: undefined; reason: string };

let cached: AddonLoad | undefined;

/** The addon, from the installed package or the source tree's own build; cached per process. */
export function loadNativeAddon(): AddonLoad {
  if (cached) return cached;
  if (process.env.IRESCUE_NATIVE === '0') return (cached = { addon: undefined, reason: 'disabled by IRESCUE_NATIVE=0' });
  const require = createRequire(import.meta.url);
  // src/kdf/ and dist/kdf/ are both two levels below the package root, where native/ lives.
  const candidates = ['irescue-native', new URL('../../native/index.cjs', import.meta.url).pathname];
  const errors: string[] = [];
  for (const spec of candidates) {
    try {
      const addon = require(spec) as NativeAddon;
      if (typeof addon.pbkdf2Batch === 'function') return (cached = { addon, from: spec });
    } catch (e) {
      errors.push(e instanceof Error ? e.message.split('\n')[0] : String(e));
    }
  }
  return (cached = { addon: undefined, reason: `the native addon is not built (${errors.join('; ')})` });
}
