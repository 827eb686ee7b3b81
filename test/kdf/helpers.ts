/** Shared fixtures for the KDF tests: seeded random inputs and DESIGN.md §3's known answers. */
import { createDecipheriv } from 'node:crypto';

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

/** DESIGN.md §3: synthetic lines from hashcat's module tests, password `hashcat`. */
export const DESIGN_LINES = [
  '$itunes_backup$*9*ebd7f9b33293b2511f0a4139d5b213feff51476968863cef60ec38d720497b6ff39a0bb63fa9f84e*10000*2202015774208421818002001652122401871832**',
  '$itunes_backup$*10*17a3b858e79bc273be43a9f113b71efe7ec8e7e401396b350180b4592ef45db67ffef7b2d64329a5*10000*2721336781705041205314422175267631184867*1000*99fafc983e732998adb9fadc162a2e382143f115',
  '$itunes_backup$*10*8b715f516ff8e64442c478c2d9abb046fc6979ab079007d3dbcef3ddd84217f4c3db01362d88fa68*10000*2353363784073608264337337723324886300850*10000000*425b4bb4e200b5fd4c66979c9caca31716052063',
];

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

/** RFC 3394 unwrap with the integrity check: true when `key` is the right one. */
export function unwraps(key: Buffer, wpky: Buffer): boolean {
  try {
    const d = createDecipheriv('id-aes256-wrap', key, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
    Buffer.concat([d.update(wpky), d.final()]);
    return true;
  } catch {
    return false;
  }
}
