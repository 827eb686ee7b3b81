/**
 * The `$itunes_backup$` hash line shared by hashcat (modes 14700/14800) and John the Ripper
 * (itunes_backup2john): `$itunes_backup$*10*WPKY*ITER*SALT*DPIC*DPSL`, or `*9*WPKY*ITER*SALT**`
 * for backups without DPSL. Parsed against a token table like hashcat's module_hash_decode.
 */
import { CorruptInputError } from '../errors.js';
import type { Keybag } from './keybag.js';
import { MAX_DPIC, MAX_ITER } from './keybag.js';
import type { BackupKdfParams } from '../kdf/backup-key.js';

const SIGNATURE = '$itunes_backup$';

export interface HashLine {
  version: 9 | 10;
  /** the first class key's wrapped key, 40 bytes */
  wpky: Buffer;
  iterations: number;
  salt: Buffer;
  dpic?: number;
  dpsl?: Buffer;
}

function hexField(value: string, field: string, bytes: number, source?: string): Buffer {
  if (value.length !== bytes * 2 || !/^[0-9a-fA-F]+$/.test(value)) {
    throw new CorruptInputError(source, `hash line: ${field} must be ${bytes * 2} hex digits, got ${value.length ? `${value.length} characters` : 'nothing'}`);
  }
  return Buffer.from(value, 'hex');
}

function intField(value: string, field: string, max: number, source?: string): number {
  if (!/^[0-9]{1,10}$/.test(value)) throw new CorruptInputError(source, `hash line: ${field} must be a decimal number, got ${value ? JSON.stringify(value.slice(0, 20)) : 'nothing'}`);
  const n = Number(value);
  if (n < 1 || n > max) throw new CorruptInputError(source, `hash line: ${field} ${n} is out of range (1 to ${max})`);
  return n;
}

/** `source` names where the line came from (a file, "--hash") for the error message. */
export function parseHashLine(line: string, source?: string): HashLine {
  const text = line.trim();
  if (!text.startsWith(SIGNATURE)) throw new CorruptInputError(source, `not an iTunes backup hash line (expected it to start with ${SIGNATURE})`);
  const fields = text.slice(SIGNATURE.length).split('*');
  if (fields[0] !== '' || fields.length !== 7) throw new CorruptInputError(source, `hash line must have 7 '*'-separated fields after ${SIGNATURE}, has ${Math.max(0, fields.length - 1)}`);
  const [, ver, wpkyHex, iterStr, saltHex, dpicStr, dpslHex] = fields;
  if (ver !== '9' && ver !== '10') throw new CorruptInputError(source, `hash line version must be 9 or 10, got ${JSON.stringify(ver.slice(0, 10))}`);
  const wpky = hexField(wpkyHex, 'WPKY', 40, source);
  const iterations = intField(iterStr, 'ITER', MAX_ITER, source);
  const salt = hexField(saltHex, 'SALT', 20, source);
  if (ver === '9') {
    if (dpicStr !== '' || dpslHex !== '') throw new CorruptInputError(source, 'hash line version 9 must end in "**" (no DPIC or DPSL)');
    return { version: 9, wpky, iterations, salt };
  }
  const dpic = intField(dpicStr, 'DPIC', MAX_DPIC, source);
  const dpsl = hexField(dpslHex, 'DPSL', 20, source);
  return { version: 10, wpky, iterations, salt, dpic, dpsl };
}

export function formatHashLine(h: HashLine): string {
  const base = `${SIGNATURE}*${h.version}*${h.wpky.toString('hex')}*${h.iterations}*${h.salt.toString('hex')}`;
  if (h.version === 9 || !h.dpsl || h.dpic === undefined) return `${SIGNATURE}*9*${h.wpky.toString('hex')}*${h.iterations}*${h.salt.toString('hex')}**`;
  return `${base}*${h.dpic}*${h.dpsl.toString('hex')}`;
}

/** As itunes_backup2john does: the first class key's WPKY, the header's SALT/ITER/DPIC/DPSL. */
export function hashLineFromKeybag(kb: Keybag, source = 'Manifest.plist'): HashLine {
  const first = kb.classKeys[0];
  if (!first || first.wrappedKey.length !== 40) throw new CorruptInputError(source, 'keybag has no 40-byte wrapped class key to build a hash line from');
  if (kb.salt.length !== 20) throw new CorruptInputError(source, `keybag SALT is ${kb.salt.length} bytes; the hash line format needs 20`);
  if (kb.dpsl && kb.dpic !== undefined) {
    if (kb.dpsl.length !== 20) throw new CorruptInputError(source, `keybag DPSL is ${kb.dpsl.length} bytes; the hash line format needs 20`);
    return { version: 10, wpky: first.wrappedKey, iterations: kb.iterations, salt: kb.salt, dpic: kb.dpic, dpsl: kb.dpsl };
  }
  return { version: 9, wpky: first.wrappedKey, iterations: kb.iterations, salt: kb.salt };
}

export function hashLineKdfParams(h: HashLine): BackupKdfParams {
  return { salt: h.salt, iterations: h.iterations, dpsl: h.dpsl, dpic: h.dpic };
}

/** hashcat's mode for iTunes backups: 14800 for iOS 10.2+ lines (`*10*`), 14700 before. */
export type HashcatMode = 14700 | 14800;

/** The one place the hashcat mode is decided, from a parsed line or the text of one. */
export function hashcatMode(h: Pick<HashLine, 'version'> | string): HashcatMode {
  const version = typeof h === 'string' ? parseHashLine(h).version : h.version;
  return version === 10 ? 14800 : 14700;
}
