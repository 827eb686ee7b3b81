/**
 * Where a password search gets its target: a backup folder (Manifest.plist's BackupKeyBag, read
 * here directly so recover does not wait on the full backup reader) or `$itunes_backup$` lines.
 */
import { readFile } from 'node:fs/promises';
import { CorruptInputError, UsageError } from '../errors.js';
import { describeFsError } from '../errors.js';
import { findBackup } from '../backup/folder.js';
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
  const folder = await findBackup(arg);
  // Lockdown's UDID first (folder.udid): it is the account name backup tools give the keychain item.
  return { target: folder.passwordTarget(), name: folder.dir, backupDir: folder.dir, keybag: folder.requireEncrypted(), udid: folder.udid };
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
