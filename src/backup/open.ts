/**
 * An opened backup: the manifest decrypted to private scratch space and indexed, the files read
 * (and decrypted) from the folder. Finding the folder and reading its plists is backup/folder.ts;
 * this module starts from that handle. The backup folder is only ever read.
 */
import { closeSync, createReadStream, openSync, readSync, writeSync } from 'node:fs';
import { chmod, copyFile, open as openFile, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { CorruptInputError, throwIfAborted } from '../errors.js';
import { deriveBackupKeys } from '../kdf/backup-key.js';
import type { KdfEngine } from '../kdf/engine.js';
import { aesUnwrap, cbcDecipher } from './crypto.js';
import { keybagKdfParams, unlockKeybag, WRAP_PASSCODE, type Keybag } from './keybag.js';
import type { BackupMetadata } from './manifest-plist.js';
import type { BackupFolder } from './folder.js';
import { readManifestDb, type DamagedManifestRow } from './manifest-db.js';
import { clearWalFlagSync, isSqliteHeader } from '../fs/sqlite-file.js';
import { fileIdOf, MBDB_MAX_BYTES, parseMbdb } from './mbdb.js';
import { splitEncryptionKey, type MBFile } from './mbfile.js';
import { describeFsError } from '../errors.js';
import { makePrivateTempDir, removePrivateTempDir } from '../fs/temp.js';
import { FileKind, type BackupFileRecord, type BackupInfo, type BackupReader, type FileQuery } from './types.js';

/** picomatch only when a query has a glob: most commands never match paths, and it costs memory and start-up. */
let picomatchFn: typeof import('picomatch') | undefined;
function globMatcher(): typeof import('picomatch') {
  return (picomatchFn ??= createRequire(import.meta.url)('picomatch') as typeof import('picomatch'));
}

const CHUNK = 4 << 20;

function writeAll(fd: number, data: Buffer): void {
  for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off);
}

export interface OpenOptions {
  /** needed for encrypted backups; never logged */
  password?: string | Uint8Array;
  engine?: KdfEngine;
  signal?: AbortSignal;
  /** where to look for a UDID argument */
  roots?: string[];
}

/** A record plus what only the backup layer needs (never serialised to users). */
export interface StoredRecord extends BackupFileRecord {
  encryptionKey?: Buffer;
  mbfile?: MBFile;
}

function passwordBytes(pw: string | Uint8Array): Buffer {
  return typeof pw === 'string' ? Buffer.from(pw, 'utf8') : Buffer.from(pw);
}

function kindFromMode(mode: number | undefined, flags?: number): FileKind {
  if (flags === FileKind.File || flags === FileKind.Directory || flags === FileKind.Symlink) return flags;
  switch ((mode ?? 0) & 0o170000) {
    case 0o040000: return FileKind.Directory;
    case 0o120000: return FileKind.Symlink;
    default: return FileKind.File;
  }
}

const unixDate = (s: number | undefined) => (s !== undefined && s > 0 ? new Date(s * 1000) : undefined);

/** Derive the key from the password and unlock the class keys; WrongPasswordError when it doesn't open. */
export async function unlockWithPassword(keybag: Keybag, password: string | Uint8Array, opts: { engine?: KdfEngine; signal?: AbortSignal; name?: string } = {}): Promise<Map<number, Buffer>> {
  const engine = opts.engine ?? (await (await import('../kdf/select.js')).selectEngine());
  const [key] = await deriveBackupKeys(engine, [passwordBytes(password)], keybagKdfParams(keybag), opts.signal);
  return unlockKeybag(keybag, key, opts.name);
}

export class Backup implements BackupReader {
  readonly info: BackupInfo;
  private readonly byPath = new Map<string, StoredRecord>();
  private closed = false;
  /**
   * Files whose manifest Size did not match their data, as written so far. Size is advisory (old
   * iOS versions and damaged manifests get it wrong): the data is kept and this is a warning.
   */
  readonly sizeMismatches: Array<{ domain: string; relativePath: string; listed: number; actual: number }> = [];

  constructor(
    /** the folder handle this backup was unlocked from */
    readonly folder: BackupFolder,
    readonly records: StoredRecord[],
    private readonly classKeys: Map<number, Buffer> | undefined,
    private readonly tempDir: string,
    /** our private plaintext copy of the manifest database (db format) */
    readonly manifestDbCopy: string | undefined,
    /** manifest rows that could not be used: each is one file that cannot come out, listed */
    readonly damaged: DamagedManifestRow[] = [],
  ) {
    this.info = { ...folder.info, encrypted: classKeys !== undefined, fileCount: records.filter((r) => r.kind === FileKind.File).length };
    for (const r of records) this.byPath.set(`${r.domain}\0${r.relativePath}`, r);
  }

  get dir(): string {
    return this.folder.dir;
  }

  get metadata(): BackupMetadata {
    return this.folder.metadata;
  }

  get encrypted(): boolean {
    return this.info.encrypted === true;
  }

  domains(): Array<{ domain: string; files: number }> {
    const counts = new Map<string, number>();
    for (const r of this.records) if (r.kind === FileKind.File) counts.set(r.domain, (counts.get(r.domain) ?? 0) + 1);
    return [...counts].map(([domain, files]) => ({ domain, files })).sort((a, b) => a.domain.localeCompare(b.domain));
  }

  files(query: FileQuery = {}): StoredRecord[] {
    const match = query.path ? globMatcher()(query.path, { dot: true }) : undefined;
    return this.records.filter(
      (r) =>
        (query.domain === undefined || r.domain === query.domain) &&
        (!match || match(r.relativePath)) &&
        (!query.kinds || query.kinds.includes(r.kind)),
    );
  }

  findFile(domain: string, relativePath: string): StoredRecord | undefined {
    return this.byPath.get(`${domain}\0${relativePath}`);
  }

  /** Where the layout this backup uses puts a file (iOS 10+ sharded, iOS 5-9 flat): what messages name. */
  storedPath(record: BackupFileRecord): string {
    return this.info.manifestFormat === 'mbdb' ? join(this.dir, record.fileID) : join(this.dir, record.fileID.slice(0, 2), record.fileID);
  }

  /** Where a file's bytes live in the backup folder (two layouts: iOS 10+ sharded, older flat). */
  async dataPath(record: BackupFileRecord): Promise<string | undefined> {
    const sharded = join(this.dir, record.fileID.slice(0, 2), record.fileID);
    const flat = join(this.dir, record.fileID);
    for (const p of this.info.manifestFormat === 'mbdb' ? [flat, sharded] : [sharded, flat]) {
      try {
        if ((await stat(p)).isFile()) return p;
      } catch {
        /* try the other layout */
      }
    }
    return undefined;
  }

  /** The per-file AES key, or undefined for files stored in plaintext. */
  fileKey(record: StoredRecord): Buffer | undefined {
    if (!this.encrypted || !record.encryptionKey) return undefined;
    const name = `${this.dir} file ${record.domain}/${record.relativePath}`;
    const { protectionClass, wrappedKey } = splitEncryptionKey(record.encryptionKey, name);
    const classKey = this.classKeys?.get(protectionClass);
    if (!classKey) throw new CorruptInputError(name, `uses protection class ${protectionClass}, which the keybag does not hold`);
    const key = aesUnwrap(classKey, wrappedKey);
    if (!key) throw new CorruptInputError(name, 'its file key does not unwrap (damaged manifest entry)');
    return key;
  }

  /**
   * The key of a protection class for keychain items: only a class the password alone wraps
   * (WRAP == 2). A WRAP 3 class also unwraps with the password, but what comes out is still sealed
   * by the iPhone's UID key, so it is reported as device-bound rather than handed out as a key.
   */
  keychainClassKey(protectionClass: number): Buffer | 'device-bound' | undefined {
    const entry = this.metadata.keybag?.classKeys.find((k) => k.protectionClass === protectionClass);
    if (!entry) return undefined;
    if (entry.wrap !== WRAP_PASSCODE) return 'device-bound';
    return this.classKeys?.get(protectionClass);
  }

  async openFile(record: StoredRecord): Promise<Readable> {
    const path = await this.dataPath(record);
    const name = `${record.domain}/${record.relativePath}`;
    if (!path) throw new CorruptInputError(this.storedPath(record), `missing from the backup (listed as ${name})`);
    const key = this.fileKey(record);
    const src = createReadStream(path, { highWaterMark: 1 << 20 });
    if (!key) return src;
    // Wired by hand rather than with pipeline(): pipeline would destroy `out` with OpenSSL's raw
    // error before we could name the file in it.
    const out = new PassThrough({ highWaterMark: 1 << 20 });
    const decipher = cbcDecipher(key);
    const fail = (e: unknown) => {
      src.destroy();
      decipher.destroy();
      out.destroy(new CorruptInputError(path, `does not decrypt (${decryptProblem(e)}; listed as ${name})`, { cause: e }));
    };
    src.on('error', fail);
    decipher.on('error', fail);
    out.on('close', () => src.destroy());
    src.pipe(decipher).pipe(out);
    return out;
  }

  /**
   * Decrypt (or copy) a file's plaintext straight into `dest`, created exclusively. A read/decrypt/
   * write loop on large buffers: the hot path of extract and decrypt, with less overhead than streams.
   * Returns the plaintext length.
   */
  async writePlaintextTo(record: StoredRecord, dest: string, signal?: AbortSignal): Promise<number> {
    const path = await this.dataPath(record);
    const name = `${record.domain}/${record.relativePath}`;
    if (!path) throw new CorruptInputError(this.storedPath(record), `missing from the backup (listed as ${name})`);
    const key = this.fileKey(record);
    const decipher = key ? cbcDecipher(key) : undefined;
    const fail = (e: unknown) => new CorruptInputError(path, `does not decrypt (${decryptProblem(e)}; listed as ${name})`, { cause: e });
    // Synchronous reads and writes of 4 MiB chunks, yielding to the event loop between chunks:
    // measured about twice as fast as fs streams or promise-based handles for this copy loop.
    const src = openSync(path, 'r');
    try {
      const dst = openSync(dest, 'wx', 0o644);
      let written = 0;
      try {
        const buf = Buffer.allocUnsafe(CHUNK);
        for (;;) {
          throwIfAborted(signal);
          const n = readSync(src, buf, 0, CHUNK, null);
          if (n === 0) break;
          let plain: Buffer;
          try {
            plain = decipher ? decipher.update(buf.subarray(0, n)) : buf.subarray(0, n);
          } catch (e) {
            throw fail(e);
          }
          writeAll(dst, plain);
          written += plain.length;
          if (n === CHUNK) await new Promise<void>((r) => setImmediate(r));
        }
        if (decipher) {
          let tail: Buffer;
          try {
            tail = decipher.final();
          } catch (e) {
            throw fail(e);
          }
          writeAll(dst, tail);
          written += tail.length;
        }
      } finally {
        closeSync(dst);
      }
      this.noteWritten(record, written);
      return written;
    } finally {
      closeSync(src);
    }
  }

  /** Size is advisory (the padding says what the real length is): a mismatch is a note, never a failure. */
  noteWritten(record: BackupFileRecord, written: number): void {
    if (written !== record.size) this.sizeMismatches.push({ domain: record.domain, relativePath: record.relativePath, listed: record.size, actual: written });
  }

  async readFile(record: StoredRecord): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of await this.openFile(record)) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  async copyToTemp(record: StoredRecord): Promise<string> {
    const dest = join(this.tempDir, `${record.fileID}-${Math.random().toString(36).slice(2, 8)}`);
    await this.writePlaintextTo(record, dest);
    await chmod(dest, 0o600);
    return dest;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    removePrivateTempDir(this.tempDir);
  }
}

export function decryptProblem(e: unknown): string {
  const msg = (e as Error)?.message ?? String(e);
  if (/bad decrypt|wrong final block length|BAD_DECRYPT|WRONG_FINAL_BLOCK_LENGTH/i.test(msg)) return 'its length or padding is wrong: truncated or damaged';
  return describeFsError(e);
}

async function decryptToFile(src: string, dest: string, key: Buffer): Promise<void> {
  try {
    await pipeline(createReadStream(src, { highWaterMark: 1 << 20 }), cbcDecipher(key), createWriteStream(dest, { mode: 0o600 }));
  } catch (e) {
    throw new CorruptInputError(src, `does not decrypt (${decryptProblem(e)})`, { cause: e });
  }
}

async function readHeader(path: string): Promise<Buffer> {
  const fh = await openFile(path, 'r');
  try {
    const b = Buffer.alloc(100);
    const { bytesRead } = await fh.read(b, 0, 100, 0);
    return b.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * Open a backup for reading. Encrypted backups need `password`; a wrong one is WrongPasswordError
 * (exit 3) after one key derivation. The same as `findBackup` then `unlock` (backup/folder.ts),
 * kept at this path for its callers; folder.ts is loaded on first use because it builds on this
 * module (a static import both ways would be a loop).
 */
export async function openBackup(pathOrUdid: string, opts: OpenOptions = {}): Promise<Backup> {
  const { openBackupFolder } = await import('./folder.js');
  return openBackupFolder(pathOrUdid, opts);
}

/** Password check only: one key derivation, no manifest work (`findBackup(...).verify`). */
export async function verifyBackupPassword(pathOrUdid: string, password: string | Uint8Array, opts: Omit<OpenOptions, 'password'> = {}): Promise<boolean> {
  const { findBackup } = await import('./folder.js');
  return (await findBackup(pathOrUdid, opts)).verify(password, opts);
}

/** Index an unlocked folder: decrypt (or copy) its manifest to private scratch space and read it. */
export async function indexBackup(folder: BackupFolder, classKeys: Map<number, Buffer> | undefined, signal?: AbortSignal): Promise<Backup> {
  throwIfAborted(signal);
  const dir = folder.dir;
  const meta = folder.metadata;
  const encrypted = classKeys !== undefined;
  const tempDir = makePrivateTempDir();
  try {
    if (meta.info.manifestFormat === 'mbdb') {
      const path = join(dir, 'Manifest.mbdb');
      let bytes: Buffer;
      try {
        const size = (await stat(path)).size;
        if (size > MBDB_MAX_BYTES) throw new CorruptInputError(path, `is ${size} bytes, more than the ${MBDB_MAX_BYTES} we read`);
        bytes = await readFile(path);
      } catch (e) {
        if (e instanceof CorruptInputError) throw e;
        throw new CorruptInputError(path, describeFsError(e), { cause: e });
      }
      const records: StoredRecord[] = parseMbdb(bytes, path).map((r) => ({
        fileID: fileIdOf(r.domain, r.relativePath),
        domain: r.domain,
        relativePath: r.relativePath,
        kind: kindFromMode(r.mode),
        size: r.size,
        mtime: unixDate(r.mtime),
        birth: unixDate(r.ctime),
        mode: r.mode,
        target: r.target,
        protectionClass: r.protectionClass,
        encryptionKey: r.encryptionKey,
      }));
      return new Backup(folder, records, classKeys, tempDir, undefined);
    }
    const dbPath = join(dir, 'Manifest.db');
    const copy = join(tempDir, 'Manifest.db');
    if (encrypted && meta.manifestKey) {
      const { protectionClass, wrappedKey } = splitEncryptionKey(meta.manifestKey, join(dir, 'Manifest.plist'));
      const classKey = classKeys?.get(protectionClass);
      if (!classKey) throw new CorruptInputError(join(dir, 'Manifest.plist'), `ManifestKey uses protection class ${protectionClass}, which the keybag does not hold`);
      const key = aesUnwrap(classKey, wrappedKey);
      if (!key) throw new CorruptInputError(join(dir, 'Manifest.plist'), 'ManifestKey does not unwrap: the keybag and manifest do not belong together');
      await decryptToFile(dbPath, copy, key);
    } else {
      try {
        await copyFile(dbPath, copy);
      } catch (e) {
        throw new CorruptInputError(dbPath, describeFsError(e), { cause: e });
      }
    }
    if (!isSqliteHeader(await readHeader(copy))) {
      throw new CorruptInputError(dbPath, encrypted ? 'does not decrypt to an SQLite database (damaged file)' : 'is not an SQLite database (damaged file)');
    }
    clearWalFlagSync(copy);
    const { rows, damaged } = readManifestDb(copy, dbPath, signal);
    const records: StoredRecord[] = rows.map((r) => {
      const m = r.mbfile;
      return {
        fileID: r.fileID,
        domain: r.domain,
        relativePath: r.relativePath,
        kind: kindFromMode(m?.mode, r.flags),
        size: m?.size ?? 0,
        mtime: unixDate(m?.lastModified),
        birth: unixDate(m?.birth),
        mode: m?.mode,
        target: m?.target,
        protectionClass: m?.protectionClass,
        encryptionKey: m?.encryptionKey,
        mbfile: m,
      };
    });
    return new Backup(folder, records, classKeys, tempDir, copy, damaged);
  } catch (e) {
    removePrivateTempDir(tempDir);
    throw e;
  }
}
