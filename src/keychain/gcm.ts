/**
 * AES-256-GCM with an EMPTY IV and no AAD: how the keychain items of a backup are sealed
 * (version-3 blobs, Apple's "legacy" item encryption used for backups).
 *
 * Node refuses a zero-length GCM IV (ERR_CRYPTO_INVALID_IV), so the mode is built from its parts
 * per NIST SP 800-38D: with an empty IV, J0 = GHASH_H(0^128 block of lengths) = 0^128, the
 * keystream is AES-CTR starting at counter 00..01, and tag = GHASH_H(C || pad || len64(0) ||
 * len64(8*|C|)) XOR E_K(J0), where E_K(0^128) is H itself. The tag is checked, in constant time,
 * BEFORE any plaintext is returned. Pure: bytes in, bytes out.
 */
import { createCipheriv, timingSafeEqual } from 'node:crypto';

const R = 0xe1n << 120n;
const MASK128 = (1n << 128n) - 1n;

/** Items are small (a password, a certificate): anything larger than this is not a keychain item. */
export const MAX_ITEM_CIPHERTEXT = 1 << 20;

const toBig = (b: Buffer): bigint => (b.length === 0 ? 0n : BigInt('0x' + b.toString('hex')));

function toBuf16(x: bigint): Buffer {
  return Buffer.from(x.toString(16).padStart(32, '0'), 'hex');
}

/**
 * Multiplication in GF(2^128) with GCM's bit order, via a 4-bit table of multiples of H
 * (Shoup's method): 32 table steps per block instead of 128 bit steps.
 */
class Ghash {
  private readonly table: bigint[] = new Array(16);
  private static readonly REDUCE: bigint[] = (() => {
    // reduction of the 4 bits shifted out at the low end, for each of the 16 nibbles
    const out: bigint[] = [];
    for (let n = 0; n < 16; n++) {
      let v = 0n;
      let x = BigInt(n);
      for (let i = 0; i < 4; i++) {
        if (x & 1n) v ^= R >> BigInt(3 - i);
        x >>= 1n;
      }
      out.push(v);
    }
    return out;
  })();

  constructor(h: bigint) {
    // table[i] = the product of H with the 4-bit polynomial i, in GCM's reflected bit order
    this.table[0] = 0n;
    this.table[8] = h;
    for (let i = 4; i > 0; i >>= 1) {
      const v = this.table[i * 2]!;
      this.table[i] = v & 1n ? (v >> 1n) ^ R : v >> 1n;
    }
    for (let i = 2; i < 16; i *= 2) for (let j = 1; j < i; j++) this.table[i + j] = this.table[i]! ^ this.table[j]!;
  }

  mul(x: bigint): bigint {
    let z = 0n;
    for (let i = 0; i < 32; i++) {
      const nibble = Number(x & 0xfn);
      x >>= 4n;
      // multiply z by x^4 (a right shift by 4 in reflected order), folding back what falls off
      const low = Number(z & 0xfn);
      z = (z >> 4n) ^ Ghash.REDUCE[low]!;
      z ^= this.table[nibble]!;
    }
    return z & MASK128;
  }
}

function ghashTag(key: Buffer, ciphertext: Buffer): Buffer {
  const ecb = createCipheriv('aes-256-ecb', key, null);
  ecb.setAutoPadding(false);
  const hBytes = ecb.update(Buffer.alloc(16));
  const h = toBig(hBytes);
  const g = new Ghash(h);
  let y = 0n;
  for (let off = 0; off < ciphertext.length; off += 16) {
    const block = Buffer.alloc(16);
    ciphertext.copy(block, 0, off, Math.min(off + 16, ciphertext.length));
    y = g.mul(y ^ toBig(block));
  }
  const lengths = Buffer.alloc(16);
  lengths.writeBigUInt64BE(BigInt(ciphertext.length) * 8n, 8);
  y = g.mul(y ^ toBig(lengths));
  // E_K(J0) with J0 = 0^128 is H itself
  return toBuf16(y ^ h);
}

function ctr(key: Buffer, data: Buffer): Buffer {
  const iv = Buffer.alloc(16);
  iv[15] = 1; // inc32(J0) with J0 = 0
  const c = createCipheriv('aes-256-ctr', key, iv);
  return Buffer.concat([c.update(data), c.final()]);
}

/** Plaintext, or null when the tag does not match (a damaged item or the wrong key). */
export function gcmOpenEmptyIv(key: Buffer, ciphertext: Buffer, tag: Buffer): Buffer | null {
  if (key.length !== 32) throw new RangeError(`AES-256-GCM needs a 32-byte key, got ${key.length}`);
  if (tag.length !== 16 || ciphertext.length > MAX_ITEM_CIPHERTEXT) return null;
  const expected = ghashTag(key, ciphertext);
  if (!timingSafeEqual(expected, tag)) return null;
  return ctr(key, ciphertext);
}

/** The sealing side, for fixtures and the demo backup. */
export function gcmSealEmptyIv(key: Buffer, plaintext: Buffer): { ciphertext: Buffer; tag: Buffer } {
  if (key.length !== 32) throw new RangeError(`AES-256-GCM needs a 32-byte key, got ${key.length}`);
  const ciphertext = ctr(key, plaintext);
  return { ciphertext, tag: ghashTag(key, ciphertext) };
}
