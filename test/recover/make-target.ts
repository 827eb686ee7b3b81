/**
 * Cheap encrypted-backup targets for recover tests: a real keybag (class keys wrapped with RFC 3394
 * under a password-derived key) with a small DPIC, written as Manifest.plist, and its hash line.
 * Deterministic: salts and class keys come from a seed.
 */
import { createHash, pbkdf2Sync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aesWrap } from '../../src/backup/crypto.js';
import { serializeKeybag, WRAP_PASSCODE, WRAP_DEVICE, type Keybag } from '../../src/backup/keybag.js';
import { buildBinaryPlist } from '../../src/plist/plist.js';
import { formatHashLine, hashLineFromKeybag } from '../../src/backup/hash-line.js';

function bytes(seed: string, label: string, n: number): Buffer {
  return createHash('sha256').update(`${seed}/${label}`).digest().subarray(0, n);
}

export interface TestTarget {
  keybag: Keybag;
  hashLine: string;
}

export function makeKeybag(password: string, opts: { dpic?: number; iterations?: number; seed?: string } = {}): Keybag {
  const seed = opts.seed ?? password;
  const dpic = opts.dpic ?? 1000;
  const iterations = opts.iterations ?? 1;
  const salt = bytes(seed, 'salt', 20);
  const dpsl = bytes(seed, 'dpsl', 20);
  const k1 = pbkdf2Sync(Buffer.from(password, 'utf8'), dpsl, dpic, 32, 'sha256');
  const key = pbkdf2Sync(k1, salt, iterations, 32, 'sha1');
  const classKeys = [1, 2, 3].map((c) => ({
    uuid: bytes(seed, `uuid${c}`, 16),
    protectionClass: c,
    wrap: WRAP_PASSCODE | WRAP_DEVICE,
    keyType: 0,
    wrappedKey: aesWrap(key, bytes(seed, `class${c}`, 32)),
  }));
  return { version: 3, type: 1, uuid: bytes(seed, 'uuid', 16), salt, iterations, dpic, dpsl, dpwt: 1, classKeys };
}

export function makeTarget(password: string, opts: { dpic?: number; iterations?: number; seed?: string } = {}): TestTarget {
  const keybag = makeKeybag(password, opts);
  return { keybag, hashLine: formatHashLine(hashLineFromKeybag(keybag)) };
}

/** A backup folder holding just what recover reads: Manifest.plist with the keybag. */
export function makeBackupFolder(dir: string, password: string, opts: { dpic?: number; udid?: string } = {}): string {
  mkdirSync(dir, { recursive: true });
  const keybag = makeKeybag(password, opts);
  writeFileSync(
    join(dir, 'Manifest.plist'),
    buildBinaryPlist({ BackupKeyBag: serializeKeybag(keybag), IsEncrypted: true, Version: '10.0', Lockdown: { UniqueDeviceID: opts.udid ?? '00008030-001A2B3C4D5E6F70' } }),
  );
  return dir;
}
