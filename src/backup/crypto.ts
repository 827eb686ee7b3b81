/**
 * Block-cipher primitives of the backup format (pure, bytes in, bytes out): RFC 3394 AES key
 * wrap/unwrap and the AES-256-CBC, zero-IV layer of Manifest.db and each file.
 */
import { createCipheriv, createDecipheriv, type Decipher } from 'node:crypto';

const RFC3394_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');
const ZERO_IV = Buffer.alloc(16);

function wrapAlgorithm(kek: Uint8Array): string {
  switch (kek.length) {
    case 16: return 'id-aes128-wrap';
    case 24: return 'id-aes192-wrap';
    case 32: return 'id-aes256-wrap';
    default: throw new RangeError(`AES key wrap needs a 16, 24 or 32-byte key, got ${kek.length}`);
  }
}

/**
 * RFC 3394 unwrap. Returns null when the integrity value is not A6A6A6A6A6A6A6A6, which for a
 * password-derived key-encryption key means "wrong password".
 */
export function aesUnwrap(kek: Uint8Array, wrapped: Uint8Array): Buffer | null {
  if (wrapped.length < 24 || wrapped.length % 8 !== 0) return null;
  try {
    const d = createDecipheriv(wrapAlgorithm(kek), kek, RFC3394_IV);
    return Buffer.concat([d.update(wrapped), d.final()]);
  } catch {
    return null;
  }
}

export function aesWrap(kek: Uint8Array, key: Uint8Array): Buffer {
  const c = createCipheriv(wrapAlgorithm(kek), kek, RFC3394_IV);
  return Buffer.concat([c.update(key), c.final()]);
}

/** A streaming AES-256-CBC decipher with a zero IV and PKCS#7 padding checked at final(). */
export function cbcDecipher(key: Uint8Array): Decipher {
  return createDecipheriv('aes-256-cbc', key, ZERO_IV);
}

export function cbcDecrypt(key: Uint8Array, data: Uint8Array): Buffer {
  const d = cbcDecipher(key);
  return Buffer.concat([d.update(data), d.final()]);
}

export function cbcEncrypt(key: Uint8Array, data: Uint8Array): Buffer {
  const c = createCipheriv('aes-256-cbc', key, ZERO_IV);
  return Buffer.concat([c.update(data), c.final()]);
}
