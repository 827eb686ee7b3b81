/**
 * What a password search needs of a backup, whichever form it came in (a keybag or a hash line):
 * the KDF parameters and a microsecond check of a derived key. recover/ works only on this.
 */
import { createHash } from 'node:crypto';
import { aesUnwrap } from './crypto.js';
import { keyOpensKeybag, type Keybag } from './keybag.js';
import { hashLineFromKeybag, formatHashLine, hashLineKdfParams, type HashLine } from './hash-line.js';
import type { BackupKdfParams } from '../kdf/backup-key.js';

export interface PasswordTarget {
  /** stable id of this target (sha256 of its hash line): names sessions without naming secrets */
  id: string;
  kdf: BackupKdfParams;
  /** the `$itunes_backup$` line, for hashcat/John */
  hashLine: string;
  /** true when the derived key opens the target */
  check(derivedKey: Uint8Array): boolean;
}

function idOf(line: string): string {
  return createHash('sha256').update(line).digest('hex').slice(0, 16);
}

export function targetFromHashLine(h: HashLine): PasswordTarget {
  const line = formatHashLine(h);
  return { id: idOf(line), kdf: hashLineKdfParams(h), hashLine: line, check: (k) => aesUnwrap(k, h.wpky) !== null };
}

export function targetFromKeybag(kb: Keybag): PasswordTarget {
  let line: string;
  try {
    line = formatHashLine(hashLineFromKeybag(kb));
  } catch {
    line = ''; // unusual salt sizes have no hash-line form; the keybag check still works
  }
  return {
    id: idOf(line || kb.salt.toString('hex')),
    kdf: { salt: kb.salt, iterations: kb.iterations, dpsl: kb.dpsl, dpic: kb.dpic },
    hashLine: line,
    check: (k) => keyOpensKeybag(kb, k),
  };
}
