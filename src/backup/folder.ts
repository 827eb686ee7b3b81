/**
 * A backup folder we have looked at, before any password: the handle every task starts from
 * (inspect, then act). `findBackup` resolves the argument and reads Info.plist, Status.plist and
 * Manifest.plist once; everything later (the "must be encrypted" check, the hash line and its
 * hashcat mode, the password target, verify, unlock, the summary) works from that one read, so no
 * command reads the metadata twice and unlocking never walks the folder tree.
 */
import { lstat, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CorruptInputError, UsageError } from '../errors.js';
import type { KdfEngine } from '../kdf/engine.js';
import { NodeCryptoEngine } from '../kdf/node-crypto.js';
import { formatHashLine, hashcatMode, hashLineFromKeybag, type HashcatMode, type HashLine } from './hash-line.js';
import type { Keybag } from './keybag.js';
import { resolveBackupPath } from './locate.js';
import { readBackupMetadata, type BackupMetadata } from './manifest-plist.js';
import { indexBackup, unlockWithPassword, type Backup } from './open.js';
import { targetFromKeybag, type PasswordTarget } from './password-target.js';
import { getDict, getString } from '../plist/plist.js';
import type { BackupInfo } from './types.js';

export interface FindOptions {
  /** where to look for a UDID argument (default: the OS's backup folders) */
  roots?: string[];
}

export interface UnlockOptions {
  engine?: KdfEngine;
  signal?: AbortSignal;
}

/** What `info`, `backups` and the wizard's list show: the metadata, plus the walk when asked. */
export interface BackupSummary extends BackupInfo {
  problems: string[];
  /** root plists that are missing or damaged (`info` exits 4 when any is) */
  unreadable?: string[];
  /** `encrypted` in words, never a guess: 'unknown' when Manifest.plist cannot tell */
  encryption?: 'yes' | 'no' | 'unknown';
}

function encryptionWord(info: Pick<BackupInfo, 'encrypted'>): 'yes' | 'no' | 'unknown' {
  return info.encrypted === undefined ? 'unknown' : info.encrypted ? 'yes' : 'no';
}

/** The hash line of an encrypted backup, with the hashcat mode that cracks it. */
export interface BackupHashLine {
  line: string;
  hash: HashLine;
  mode: HashcatMode;
}

/** Bytes used by a folder tree (files only; links not followed). */
export async function folderSize(dir: string): Promise<number> {
  let total = 0;
  const walk = async (d: string) => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) total += (await lstat(p).catch(() => ({ size: 0 }))).size;
    }
  };
  await walk(dir);
  return total;
}

export class BackupFolder {
  constructor(
    readonly dir: string,
    /** the one read of the root plists */
    readonly metadata: BackupMetadata,
  ) {}

  get info(): BackupInfo {
    return this.metadata.info;
  }

  get problems(): string[] {
    return this.metadata.problems;
  }

  get keybag(): Keybag | undefined {
    return this.metadata.keybag;
  }

  get manifestPath(): string {
    return join(this.dir, 'Manifest.plist');
  }

  /** A pre-iOS 10.2 keybag: no DPSL, so only the SHA-1 stage (ITER rounds, usually 10,000). */
  get legacyKdf(): boolean {
    return this.metadata.keybag !== undefined && this.metadata.keybag.dpsl === undefined;
  }

  /**
   * Whether opening treats the backup as encrypted. Throws the recorded error when Manifest.plist
   * cannot be used. An unknown answer (no IsEncrypted) counts as encrypted only when Manifest.plist
   * holds a ManifestKey, the one thing an encrypted iOS 10.2+ backup cannot do without.
   */
  encryptedForOpening(): boolean {
    if (this.metadata.manifestError) throw this.metadata.manifestError;
    return this.info.encrypted ?? this.metadata.manifestKey !== undefined;
  }

  /**
   * The keybag of an encrypted backup: the one place that refuses an unencrypted backup and an
   * encrypted one without a usable keybag, with one wording each.
   */
  requireEncrypted(): Keybag {
    if (!this.encryptedForOpening()) throw new UsageError(`${this.dir}: this backup is not encrypted, so it has no password: read it directly with \`irescue extract\``);
    const kb = this.metadata.keybag;
    if (!kb) throw new CorruptInputError(this.manifestPath, 'encrypted backup without a usable keybag (BackupKeyBag)');
    return kb;
  }

  /** The `$itunes_backup$` line for hashcat and John, with its hashcat mode. */
  hashLine(): BackupHashLine {
    const hash = hashLineFromKeybag(this.requireEncrypted(), this.manifestPath);
    return { line: formatHashLine(hash), hash, mode: hashcatMode(hash) };
  }

  /** What a password search works on (recover/). */
  passwordTarget(): PasswordTarget {
    return targetFromKeybag(this.requireEncrypted());
  }

  /** The device's UDID as backup tools name it: Manifest.plist's Lockdown first, then Info.plist, then the folder name. */
  get udid(): string {
    const lockdown = this.metadata.manifest ? getDict(this.metadata.manifest, 'Lockdown') : undefined;
    return (lockdown && getString(lockdown, 'UniqueDeviceID')) ?? this.info.udid ?? basename(this.dir);
  }

  /**
   * The KDF engine for this backup's password. A pre-iOS 10.2 keybag needs only ITER SHA-1 rounds
   * (10,000: milliseconds), so node crypto does it and nothing is measured; otherwise the fastest
   * path (kdf/select.ts). A forced path (IRESCUE_KDF_PATH) is honoured either way.
   */
  async kdfEngine(): Promise<KdfEngine> {
    if (this.legacyKdf && !process.env.IRESCUE_KDF_PATH) return new NodeCryptoEngine('Node.js crypto.pbkdf2 (OpenSSL): a backup from before iOS 10.2 needs only the short SHA-1 stage');
    // loaded here, not at start-up: `info`, `backups` and `hash` never choose an engine
    const { selectEngine } = await import('../kdf/select.js');
    return selectEngine();
  }

  /** Password check only: one key derivation, no manifest work. */
  async verify(password: string | Uint8Array, opts: UnlockOptions = {}): Promise<boolean> {
    const keybag = this.requireEncrypted();
    try {
      await unlockWithPassword(keybag, password, { engine: opts.engine ?? (await this.kdfEngine()), signal: opts.signal, name: this.manifestPath });
      return true;
    } catch (e) {
      if ((e as { code?: string }).code === 'WRONG_PASSWORD') return false;
      throw e;
    }
  }

  /**
   * Open for reading: one key derivation for an encrypted backup (WrongPasswordError, exit 3, when
   * it does not open), then the manifest. `password` is ignored for an unencrypted backup.
   */
  async unlock(password: string | Uint8Array | undefined, opts: UnlockOptions = {}): Promise<Backup> {
    let classKeys: Map<number, Buffer> | undefined;
    if (this.encryptedForOpening()) {
      const keybag = this.requireEncrypted();
      if (password === undefined) throw new UsageError('this backup is encrypted: give its password (--password-file, IRESCUE_PASSWORD or the prompt)');
      classKeys = await unlockWithPassword(keybag, password, { engine: opts.engine ?? (await this.kdfEngine()), signal: opts.signal, name: this.manifestPath });
    }
    return indexBackup(this, classKeys, opts.signal);
  }

  /**
   * The metadata plus what costs a walk, only when asked: `size` adds up the folder; `countFiles`
   * reads the manifest of an unencrypted backup (encrypted ones need the password for that).
   */
  async summary(opts: { size?: boolean; countFiles?: boolean } = {}): Promise<BackupSummary> {
    const s: BackupSummary = { ...this.info, encryption: encryptionWord(this.info), problems: [...this.problems], unreadable: [...this.metadata.unreadable] };
    if (opts.size) s.sizeOnDisk = await folderSize(this.dir);
    if (opts.countFiles && this.info.encrypted === false && !this.metadata.manifestError && this.info.manifestFormat !== 'unknown') {
      try {
        const b = await this.unlock(undefined);
        s.fileCount = b.info.fileCount;
        await b.close();
      } catch (e) {
        s.problems.push((e as Error).message);
      }
    }
    return s;
  }
}

/** A backup folder already resolved (a path from a listing): reads its root plists once. */
export async function backupFolderAt(dir: string): Promise<BackupFolder> {
  return new BackupFolder(dir, await readBackupMetadata(dir, false));
}

/** `arg` is a backup folder or a UDID under `roots`; damage is recorded, not thrown, until a task needs the file. */
export async function findBackup(arg: string, opts: FindOptions = {}): Promise<BackupFolder> {
  return backupFolderAt(await resolveBackupPath(arg, opts.roots));
}

/** Open a backup for reading: `findBackup`, then `unlock`. */
export async function openBackupFolder(pathOrUdid: string, opts: FindOptions & UnlockOptions & { password?: string | Uint8Array } = {}): Promise<Backup> {
  return (await findBackup(pathOrUdid, opts)).unlock(opts.password, opts);
}
