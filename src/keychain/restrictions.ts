/**
 * The Restrictions passcode of iOS 7 to 11 (KEYCHAIN.md §7): HomeDomain
 * Library/Preferences/com.apple.restrictionspassword.plist holds RestrictionsPasswordKey =
 * PBKDF2-HMAC-SHA1(the four digits as ASCII, RestrictionsPasswordSalt, 1000 rounds). There are only
 * 10,000 codes: they are tried most likely first (the PIN order recover uses, so 1234 and 0000 come
 * in the first batch of milliseconds), in batches that keep the engine's lanes busy, and the first
 * match is the passcode. Works on unencrypted backups too.
 */
import { timingSafeEqual } from 'node:crypto';
import { CorruptInputError, throwIfAborted } from '../errors.js';
import { getData, parsePlistDict } from '../plist/plist.js';
import type { KdfEngine } from '../kdf/engine.js';
import { pinOrder } from '../recover/candidates/pins.js';

export const RESTRICTIONS_DOMAIN = 'HomeDomain';
export const RESTRICTIONS_FILE = 'Library/Preferences/com.apple.restrictionspassword.plist';
const RESTRICTIONS_ROUNDS = 1000;
/** A preferences plist is tiny; anything bigger is not this one. */
const MAX_RESTRICTIONS_PLIST_BYTES = 1 << 20;

export interface RestrictionsSecret {
  key: Buffer;
  salt: Buffer;
}

export function parseRestrictionsPlist(bytes: Buffer, name = RESTRICTIONS_FILE): RestrictionsSecret {
  if (bytes.length > MAX_RESTRICTIONS_PLIST_BYTES) throw new CorruptInputError(name, `is ${bytes.length} bytes, larger than a preferences file`);
  const d = parsePlistDict(bytes, name);
  const key = getData(d, 'RestrictionsPasswordKey');
  const salt = getData(d, 'RestrictionsPasswordSalt');
  if (!key || key.length < 16 || key.length > 64) throw new CorruptInputError(name, 'has no RestrictionsPasswordKey of a usable length');
  if (!salt || salt.length === 0 || salt.length > 64) throw new CorruptInputError(name, 'has no RestrictionsPasswordSalt');
  return { key, salt };
}


/** The four-digit code, or undefined when none of the 10,000 matches (a damaged or foreign file). */
export async function findRestrictionsPasscode(secret: RestrictionsSecret, engine: KdfEngine, signal?: AbortSignal): Promise<string | undefined> {
  const order = pinOrder(4);
  // a small first batch answers the common codes at once; later ones are larger for throughput
  for (let start = 0, batch = 64; start < order.length; start += batch, batch = Math.min(2048, batch * 4)) {
    throwIfAborted(signal);
    const codes: Buffer[] = [];
    for (const n of order.subarray(start, start + batch)) codes.push(Buffer.from(String(n).padStart(4, '0'), 'latin1'));
    const keys = await engine.pbkdf2(codes, { hash: 'sha1', salt: secret.salt, iterations: RESTRICTIONS_ROUNDS, keyLength: secret.key.length }, signal);
    for (let i = 0; i < keys.length; i++) if (timingSafeEqual(keys[i]!, secret.key)) return codes[i]!.toString('latin1');
  }
  return undefined;
}
