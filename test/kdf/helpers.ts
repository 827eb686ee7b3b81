/** Shared fixtures for the KDF tests: seeded random inputs and DESIGN.md §3's known answers. */

/** xorshift32: reproducible "random" inputs, so a failure can be replayed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x1_0000_0000;
  };
}

export function randomBytesFrom(next: () => number, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(next() * 256);
  return b;
}

const WORDS = ['hashcat', 'pässwörd', 'пароль', '密码', '🔑key', 'ab', ''];

/** A password of a shape the engines must handle: empty, 1 KiB, non-ASCII UTF-8, binary, 64/65 bytes. */
export function randomPassword(next: () => number): Buffer {
  const kind = Math.floor(next() * 7);
  switch (kind) {
    case 0: return Buffer.alloc(0);
    case 1: return randomBytesFrom(next, 1024);
    case 2: return Buffer.from(WORDS[Math.floor(next() * WORDS.length)] + Math.floor(next() * 1000), 'utf8');
    case 3: return randomBytesFrom(next, 64 + Math.floor(next() * 2)); // HMAC block boundary
    default: return randomBytesFrom(next, Math.floor(next() * 100));
  }
}

export interface BackupVector {
  line: string;
  wpky: Buffer;
  iter: number;
  salt: Buffer;
  dpic?: number;
  dpsl?: Buffer;
}

// DESIGN.md §3's known answers live in the library (the run-time self-test uses them).
export { DESIGN_LINES } from '../../src/kdf/vectors.js';

/** Minimal split of a hash line for these tests (the real parser lives in src/backup/). */
export function splitLine(line: string): BackupVector {
  const f = line.split('*');
  const v: BackupVector = { line, wpky: Buffer.from(f[2], 'hex'), iter: Number(f[3]), salt: Buffer.from(f[4], 'hex') };
  if (f[1] === '10') {
    v.dpic = Number(f[5]);
    v.dpsl = Buffer.from(f[6], 'hex');
  }
  return v;
}

export { keyUnwraps as unwraps } from '../../src/kdf/self-test.js';
