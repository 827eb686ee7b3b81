/**
 * The key-derivation engine contract. Candidate generation (recover/) never knows which engine
 * runs; engines never know where candidates come from (hashcat's split of mpsp/wordlist vs kernels).
 */
export type Pbkdf2Hash = 'sha1' | 'sha256';

export interface Pbkdf2Params {
  hash: Pbkdf2Hash;
  salt: Uint8Array;
  iterations: number;
  keyLength: number;
}

/** An engine's speed on this machine, in guesses a second at 10,000,000 rounds (plus the 10,000 SHA-1 ones). */
export interface EngineRate {
  /** on one core */
  perCore: number;
  /** on every core at once, when `irescue bench` measured it (cores share caches and clocks) */
  allCores?: number;
  /** the cores it was measured on */
  cores: number;
  /** which measurement: `irescue bench`'s full-length runs, or the short one at first start-up */
  by: 'irescue bench' | 'start-up measurement';
}

export interface KdfEngine {
  /** stable id: 'node-crypto', 'native-sha-ni', 'native-avx2', ... */
  readonly name: string;
  /** one line for humans: what runs and why it was chosen */
  readonly detail: string;
  /** passwords per call that keep every SIMD lane busy; callers should batch this many */
  readonly batchSize: number;
  /** this machine's measured speed of the engine (selectEngine, from the selection cache) */
  readonly measured?: EngineRate;
  /**
   * PBKDF2 for many passwords sharing one salt and iteration count. Runs off the main thread.
   * Resolves with one key per password, in order. Rejects with CancelledError once `signal` fires.
   */
  pbkdf2(passwords: readonly Uint8Array[], params: Pbkdf2Params, signal?: AbortSignal): Promise<Buffer[]>;
}
