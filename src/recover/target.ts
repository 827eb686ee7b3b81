/**
 * Where a password search gets its target: a backup folder (Manifest.plist's BackupKeyBag, read
 * here directly so recover does not wait on the full backup reader) or `$itunes_backup$` lines.
 */
import { readFile } from 'node:fs/promises';
import { resolveBackupPath } from '../backup/locate.js';
import { basename, join } from 'node:path';
import { CorruptInputError, UsageError } from '../errors.js';
import { getDict, getString } from '../plist/plist.js';
import { describeFsError } from '../errors.js';
import { readBackupMetadata } from '../backup/manifest-plist.js';
import { unlockKeybag, type Keybag } from '../backup/keybag.js';
import { parseHashLine } from '../backup/hash-line.js';
import { targetFromHashLine, targetFromKeybag, type PasswordTarget } from '../backup/password-target.js';
import { deriveBackupKeys } from '../kdf/backup-key.js';
import type { KdfEngine } from '../kdf/engine.js';

export interface RecoverTarget {
  target: PasswordTarget;
  /** for messages: the backup folder or where the hash line came from */
  name: string;
  backupDir?: string;
  keybag?: Keybag;
  udid?: string;
}

/** `arg` is a backup folder or a UDID under the usual backup folders (backup/locate.ts). */
export async function targetFromBackupFolder(arg: string): Promise<RecoverTarget> {
  const dir = await resolveBackupPath(arg);
  // The same reader as open/verify/hash, so every command agrees on what "encrypted" means.
  const meta = await readBackupMetadata(dir, true);
  if (!meta.info.encrypted) {
    throw new UsageError(`${dir}: this backup is not encrypted, so it has no password to recover: read it directly with \`irescue extract\``);
  }
  const keybag = meta.keybag;
  if (!keybag) throw new CorruptInputError(join(dir, 'Manifest.plist'), 'has no BackupKeyBag');
  // Lockdown's UDID first: it is the account name backup tools give the keychain item.
  const udid = getString(getDict(meta.manifest ?? {}, 'Lockdown') ?? {}, 'UniqueDeviceID') ?? meta.info.udid ?? basename(dir);
  return { target: targetFromKeybag(keybag), name: dir, backupDir: dir, keybag, udid };
}

/** A `$itunes_backup$` line, or a file of them (one search per line). */
export async function targetsFromHashArg(value: string): Promise<RecoverTarget[]> {
  if (value.trim().startsWith('$')) return [{ target: targetFromHashLine(parseHashLine(value, '--hash')), name: '--hash' }];
  let text: string;
  try {
    text = await readFile(value, 'utf8');
  } catch (e) {
    throw new UsageError(`--hash ${value}: ${describeFsError(e)} (give a $itunes_backup$ line or a file of them)`);
  }
  const out: RecoverTarget[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    out.push({ target: targetFromHashLine(parseHashLine(line, `${value} line ${i + 1}`)), name: `${value} line ${i + 1}` });
  });
  if (!out.length) throw new CorruptInputError(value, 'holds no $itunes_backup$ hash line');
  return out;
}

/** The found password, checked once more from scratch: every class key for a backup. */
export async function verifyPassword(t: RecoverTarget, engine: KdfEngine, password: string): Promise<boolean> {
  const [key] = await deriveBackupKeys(engine, [new TextEncoder().encode(password)], t.target.kdf);
  if (!t.target.check(key)) return false;
  if (t.keybag) {
    try {
      unlockKeybag(t.keybag, key);
    } catch {
      return false;
    }
  }
  return true;
}
