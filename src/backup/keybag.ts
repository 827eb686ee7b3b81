/**
 * The backup keybag (Manifest.plist BackupKeyBag): a TLV stream of 4-byte ASCII tags and 4-byte
 * big-endian lengths. The header runs until the second UUID; each further UUID starts a class key.
 * Pure: bytes in, structure out. Unknown tags are kept but ignored; every length is bounds-checked.
 */
import { CorruptInputError, WrongPasswordError } from '../errors.js';
import { aesUnwrap } from './crypto.js';
import type { BackupKdfParams } from '../kdf/backup-key.js';

export const WRAP_DEVICE = 1;
export const WRAP_PASSCODE = 2;

/** Iteration counts beyond these are not a real backup: refuse rather than spin for days. */
export const MAX_DPIC = 100_000_000;
export const MAX_ITER = 10_000_000;
/** A real backup keybag is about 2 KB with a dozen class keys; past these it is not one. */
const KEYBAG_MAX_BYTES = 1 << 20;
export const KEYBAG_MAX_CLASS_KEYS = 256;

export interface ClassKey {
  uuid?: Buffer;
  protectionClass: number;
  wrap: number;
  keyType?: number;
  wrappedKey: Buffer;
  publicKey?: Buffer;
}

export interface Keybag {
  version?: number;
  type?: number;
  uuid?: Buffer;
  hmck?: Buffer;
  wrap?: number;
  salt: Buffer;
  iterations: number;
  dpwt?: number;
  dpic?: number;
  dpsl?: Buffer;
  classKeys: ClassKey[];
}

interface Tlv {
  tag: string;
  value: Buffer;
}

function parseTlv(bytes: Buffer, name?: string): Tlv[] {
  const out: Tlv[] = [];
  let off = 0;
  while (off < bytes.length) {
    if (bytes.length - off < 8) throw new CorruptInputError(name, `keybag truncated at byte ${off} (incomplete tag header)`);
    const tag = bytes.toString('latin1', off, off + 4);
    const len = bytes.readUInt32BE(off + 4);
    off += 8;
    if (len > bytes.length - off) throw new CorruptInputError(name, `keybag tag ${JSON.stringify(tag)} claims ${len} bytes but only ${bytes.length - off} remain`);
    out.push({ tag, value: bytes.subarray(off, off + len) });
    off += len;
  }
  return out;
}

function uint(t: Tlv, name?: string): number {
  if (t.value.length === 4) return t.value.readUInt32BE(0);
  if (t.value.length === 8) return Number(t.value.readBigUInt64BE(0));
  throw new CorruptInputError(name, `keybag tag ${t.tag} should hold a 4-byte number, has ${t.value.length} bytes`);
}

export function parseKeybag(bytes: Buffer, name = 'Manifest.plist BackupKeyBag'): Keybag {
  if (bytes.length > KEYBAG_MAX_BYTES) throw new CorruptInputError(name, `keybag is ${bytes.length} bytes, more than the ${KEYBAG_MAX_BYTES} a keybag may have`);
  const tlvs = parseTlv(bytes, name);
  const header: Partial<Keybag> = {};
  const classKeys: ClassKey[] = [];
  let current: Partial<ClassKey> | undefined;
  let uuidCount = 0;
  const finishClass = () => {
    if (!current) return;
    if (current.protectionClass === undefined || current.wrappedKey === undefined || current.wrap === undefined) {
      throw new CorruptInputError(name, `keybag class key ${classKeys.length + 1} lacks ${current.protectionClass === undefined ? 'CLAS' : current.wrappedKey === undefined ? 'WPKY' : 'WRAP'}`);
    }
    if (classKeys.length >= KEYBAG_MAX_CLASS_KEYS) throw new CorruptInputError(name, `keybag has more than ${KEYBAG_MAX_CLASS_KEYS} class keys`);
    classKeys.push(current as ClassKey);
    current = undefined;
  };
  for (const t of tlvs) {
    if (t.tag === 'UUID') {
      uuidCount++;
      if (uuidCount === 1) {
        header.uuid = Buffer.from(t.value);
        continue;
      }
      finishClass();
      current = { uuid: Buffer.from(t.value) };
      continue;
    }
    if (current) {
      switch (t.tag) {
        case 'CLAS': current.protectionClass = uint(t, name); break;
        case 'WRAP': current.wrap = uint(t, name); break;
        case 'KTYP': current.keyType = uint(t, name); break;
        case 'WPKY': current.wrappedKey = Buffer.from(t.value); break;
        case 'PBKY': current.publicKey = Buffer.from(t.value); break;
        default: break; // unknown per-class tags are tolerated
      }
      continue;
    }
    switch (t.tag) {
      case 'VERS': header.version = uint(t, name); break;
      case 'TYPE': header.type = uint(t, name); break;
      case 'HMCK': header.hmck = Buffer.from(t.value); break;
      case 'WRAP': header.wrap = uint(t, name); break;
      case 'SALT': header.salt = Buffer.from(t.value); break;
      case 'ITER': header.iterations = uint(t, name); break;
      case 'DPWT': header.dpwt = uint(t, name); break;
      case 'DPIC': header.dpic = uint(t, name); break;
      case 'DPSL': header.dpsl = Buffer.from(t.value); break;
      default: break;
    }
  }
  finishClass();
  if (!header.salt || header.salt.length === 0) throw new CorruptInputError(name, 'keybag has no SALT');
  if (header.iterations === undefined) throw new CorruptInputError(name, 'keybag has no ITER');
  if (header.iterations < 1 || header.iterations > MAX_ITER) throw new CorruptInputError(name, `keybag ITER ${header.iterations} is out of range`);
  if ((header.dpsl === undefined) !== (header.dpic === undefined)) throw new CorruptInputError(name, `keybag has ${header.dpsl ? 'DPSL without DPIC' : 'DPIC without DPSL'}`);
  if (header.dpic !== undefined && (header.dpic < 1 || header.dpic > MAX_DPIC)) throw new CorruptInputError(name, `keybag DPIC ${header.dpic} is out of range (at most ${MAX_DPIC})`);
  if (classKeys.length === 0) throw new CorruptInputError(name, 'keybag has no class keys');
  return { ...header, salt: header.salt, iterations: header.iterations, classKeys } as Keybag;
}

export function keybagKdfParams(kb: Keybag): BackupKdfParams {
  return { salt: kb.salt, iterations: kb.iterations, dpsl: kb.dpsl, dpic: kb.dpic };
}

/** The class keys wrapped by the password, the ones a password-derived key can open. */
function passcodeWrappedKeys(kb: Keybag): ClassKey[] {
  return kb.classKeys.filter((k) => (k.wrap & WRAP_PASSCODE) !== 0);
}

/**
 * Fast check used by recover: does this derived key unwrap the first passcode-wrapped class key?
 * One AES unwrap, microseconds.
 */
export function keyOpensKeybag(kb: Keybag, derivedKey: Uint8Array): boolean {
  const first = passcodeWrappedKeys(kb)[0];
  return first !== undefined && aesUnwrap(derivedKey, first.wrappedKey) !== null;
}

/**
 * Unwrap every class key. All passcode-wrapped keys must open with the same derived key: one that
 * opens the first but not the rest means a damaged keybag, not a wrong password.
 */
export function unlockKeybag(kb: Keybag, derivedKey: Uint8Array, name = 'Manifest.plist'): Map<number, Buffer> {
  const wrapped = passcodeWrappedKeys(kb);
  if (wrapped.length === 0) throw new CorruptInputError(name, 'keybag has no password-wrapped class keys');
  const keys = new Map<number, Buffer>();
  for (const [i, ck] of wrapped.entries()) {
    const key = aesUnwrap(derivedKey, ck.wrappedKey);
    if (!key) {
      if (i === 0) throw new WrongPasswordError('wrong backup password. If you forgot it, `irescue recover` can search for it.');
      throw new CorruptInputError(name, `keybag class ${ck.protectionClass} key does not unwrap although the password is right`);
    }
    keys.set(ck.protectionClass, key);
  }
  return keys;
}

// ---- writing (tests, demo and the decrypted copy's tooling need keybags too) ----

function buildTlv(entries: Array<[string, Buffer | number]>): Buffer {
  const parts: Buffer[] = [];
  for (const [tag, v] of entries) {
    const value = typeof v === 'number' ? u32(v) : v;
    const head = Buffer.alloc(8);
    head.write(tag, 0, 4, 'latin1');
    head.writeUInt32BE(value.length, 4);
    parts.push(head, value);
  }
  return Buffer.concat(parts);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}

export function serializeKeybag(kb: Keybag): Buffer {
  const e: Array<[string, Buffer | number]> = [];
  if (kb.version !== undefined) e.push(['VERS', kb.version]);
  if (kb.type !== undefined) e.push(['TYPE', kb.type]);
  e.push(['UUID', kb.uuid ?? Buffer.alloc(16)]);
  if (kb.hmck) e.push(['HMCK', kb.hmck]);
  if (kb.wrap !== undefined) e.push(['WRAP', kb.wrap]);
  e.push(['SALT', kb.salt], ['ITER', kb.iterations]);
  if (kb.dpwt !== undefined) e.push(['DPWT', kb.dpwt]);
  if (kb.dpic !== undefined) e.push(['DPIC', kb.dpic]);
  if (kb.dpsl) e.push(['DPSL', kb.dpsl]);
  for (const ck of kb.classKeys) {
    e.push(['UUID', ck.uuid ?? Buffer.alloc(16)], ['CLAS', ck.protectionClass], ['WRAP', ck.wrap]);
    if (ck.keyType !== undefined) e.push(['KTYP', ck.keyType]);
    e.push(['WPKY', ck.wrappedKey]);
    if (ck.publicKey) e.push(['PBKY', ck.publicKey]);
  }
  return buildTlv(e);
}
