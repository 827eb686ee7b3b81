/**
 * Writes complete iTunes-style backups: the fixtures of the test suite, the bundled demo and the
 * benchmark input. Deterministic for a given seed. Writes only into the folder it is given.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { sqlite } from '../fs/sqlite-module.js';
import { deriveBackupKeys } from '../kdf/backup-key.js';
import { NodeCryptoEngine } from '../kdf/node-crypto.js';
import { aesWrap, cbcEncrypt } from './crypto.js';
import { serializeKeybag, WRAP_DEVICE, WRAP_PASSCODE, type ClassKey } from './keybag.js';
import { encodeMBFile } from './mbfile.js';
import { fileIdOf, serializeMbdb, type MbdbRecord } from './mbdb.js';
import { buildBinaryPlist, buildXmlPlist, type PlistDict } from '../plist/plist.js';
import { makePrivateTempDir, removePrivateTempDir } from '../fs/temp.js';
import { FileKind } from './types.js';
import { InternalError } from '../errors.js';

export interface WriterFile {
  domain: string;
  relativePath: string;
  kind?: FileKind;
  /**
   * bytes, or a size of deterministic pseudo-random bytes (streamed: for large benchmark files), or
   * a function of the backup's class keys (content sealed with them, such as keychain items)
   */
  content?: Buffer | { size: number } | ((ctx: { classKeys?: ReadonlyMap<number, Buffer> }) => Buffer);
  target?: string;
  mtime?: Date;
  mode?: number;
  protectionClass?: number;
  /** write this as the manifest Size instead of the real length (Size is advisory) */
  sizeOverride?: number;
  /** list in the manifest but leave the data file out */
  missingOnDisk?: boolean;
}

export interface WriteBackupOptions {
  dir: string;
  files: WriterFile[];
  seed?: string;
  udid?: string;
  deviceName?: string;
  productType?: string;
  productVersion?: string;
  buildVersion?: string;
  serialNumber?: string;
  date?: Date;
  passcodeSet?: boolean;
  /** 'db' (iOS 10+) or 'mbdb' (iOS 5 to 9, flat layout) */
  format?: 'db' | 'mbdb';
  /** Status.plist SnapshotState; 'finished' unless testing interrupted backups */
  snapshotState?: string | null;
  /** XML rather than binary plists at the root (both exist in the wild) */
  xmlPlists?: boolean;
  encryption?: {
    password: string;
    /** SHA-256 rounds; the real value is 10,000,000, tests use small ones */
    dpic?: number;
    iterations?: number;
    /** pre-iOS 10.2 keybag: no DPSL/DPIC */
    legacy?: boolean;
    /**
     * classes whose keybag entry is WRAP 3, as real backups write 5 and 9-11: the password
     * unwraps them, but what comes out is still sealed by the iPhone (here: random bytes)
     */
    deviceBoundClasses?: number[];
  };
}

const CLASSES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

/** Deterministic byte stream from a seed (sha256 in counter mode): fixtures are reproducible. */
export class SeededBytes {
  private counter = 0;
  constructor(private readonly seed: string) {}
  next(n: number): Buffer {
    const out: Buffer[] = [];
    let have = 0;
    while (have < n) {
      const h = createHash('sha256').update(`${this.seed}:${this.counter++}`).digest();
      out.push(h);
      have += h.length;
    }
    return Buffer.concat(out).subarray(0, n);
  }
}

function plistBytes(v: PlistDict, xml: boolean): Buffer {
  return xml ? Buffer.from(buildXmlPlist(v)) : buildBinaryPlist(v);
}

/** Writes `size` pseudo-random bytes (encrypted with `key`) and returns the SHA-1 of what was written. */
async function writeStreamed(path: string, size: number, rnd: SeededBytes, key?: Buffer): Promise<Buffer> {
  const block = rnd.next(1 << 20);
  const sha1 = createHash('sha1');
  const ws = createWriteStream(path, { highWaterMark: 1 << 22 });
  const cipher = key ? createCipheriv('aes-256-cbc', key, Buffer.alloc(16)) : undefined;
  const write = (b: Buffer) => (sha1.update(b), ws.write(b) ? Promise.resolve() : new Promise<void>((r) => ws.once('drain', () => r())));
  for (let done = 0, i = 0; done < size; i++) {
    const n = Math.min(block.length, size - done);
    const chunk = Buffer.from(block.subarray(0, n));
    if (n >= 4) chunk.writeUInt32LE(i, 0); // vary each MiB so blocks differ
    await write(cipher ? cipher.update(chunk) : chunk);
    done += n;
  }
  if (cipher) await write(cipher.final());
  await new Promise<void>((resolve, reject) => ws.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return sha1.digest();
}

export interface WrittenBackup {
  dir: string;
  udid: string;
  /** plaintext of each written file by "domain/relativePath" (small contents only) */
  plaintext: Map<string, Buffer>;
}

export async function writeBackup(o: WriteBackupOptions): Promise<WrittenBackup> {
  const rnd = new SeededBytes(o.seed ?? 'irescue');
  const format = o.format ?? 'db';
  const date = o.date ?? new Date('2026-01-15T10:20:30Z');
  const udid = o.udid ?? rnd.next(20).toString('hex');
  await mkdir(o.dir, { recursive: true });

  let classKeys: Map<number, Buffer> | undefined;
  let keybagBytes: Buffer | undefined;
  if (o.encryption) {
    const salt = rnd.next(20);
    const dpsl = o.encryption.legacy ? undefined : rnd.next(20);
    const dpic = o.encryption.legacy ? undefined : (o.encryption.dpic ?? 1000);
    const iterations = o.encryption.iterations ?? (o.encryption.legacy ? 10000 : 1000);
    const [kek] = await deriveBackupKeys(new NodeCryptoEngine(), [Buffer.from(o.encryption.password, 'utf8')], { salt, iterations, dpsl, dpic });
    classKeys = new Map();
    const cks: ClassKey[] = [];
    for (const c of CLASSES) {
      const k = rnd.next(32);
      classKeys.set(c, k);
      const deviceBound = o.encryption.deviceBoundClasses?.includes(c) ?? false;
      cks.push({ uuid: rnd.next(16), protectionClass: c, wrap: deviceBound ? WRAP_DEVICE | WRAP_PASSCODE : WRAP_PASSCODE, keyType: c === 2 ? 1 : 0, wrappedKey: aesWrap(kek, deviceBound ? rnd.next(32) : k) });
    }
    keybagBytes = serializeKeybag({ version: 3, type: 1, uuid: rnd.next(16), hmck: rnd.next(40), wrap: 0, salt, iterations, dpwt: dpic ? 1 : undefined, dpic, dpsl, classKeys: cks });
  }

  const plaintext = new Map<string, Buffer>();
  const dbRows: Array<{ fileID: string; domain: string; relativePath: string; flags: number; file: Buffer }> = [];
  const mbdbRecords: MbdbRecord[] = [];
  let inode = 1000;
  for (const f of o.files) {
    const kind = f.kind ?? FileKind.File;
    const fileID = fileIdOf(f.domain, f.relativePath);
    const mtime = Math.floor((f.mtime ?? date).getTime() / 1000);
    const mode = f.mode ?? (kind === FileKind.Directory ? 0o40755 : kind === FileKind.Symlink ? 0o120755 : 0o100644);
    const pclass = f.protectionClass ?? (kind === FileKind.File ? 3 : 0);
    let encryptionKey: Buffer | undefined;
    let realSize = 0;
    let storedHash: Buffer | undefined;
    if (kind === FileKind.File) {
      const fileKey = classKeys ? rnd.next(32) : undefined;
      if (fileKey && classKeys) {
        const ck = classKeys.get(pclass);
        if (!ck) throw new InternalError(`writer: no class key ${pclass}`);
        const ek = Buffer.alloc(4);
        ek.writeUInt32LE(pclass);
        encryptionKey = Buffer.concat([ek, aesWrap(ck, fileKey)]);
      }
      const dataDir = format === 'db' ? join(o.dir, fileID.slice(0, 2)) : o.dir;
      const dataPath = join(dataDir, fileID);
      const given = typeof f.content === 'function' ? f.content({ classKeys }) : f.content;
      if (given && !Buffer.isBuffer(given)) {
        realSize = given.size;
        if (!f.missingOnDisk) {
          await mkdir(dataDir, { recursive: true });
          storedHash = await writeStreamed(dataPath, realSize, rnd, fileKey);
        }
      } else {
        const content = given ?? Buffer.alloc(0);
        realSize = content.length;
        plaintext.set(`${f.domain}/${f.relativePath}`, content);
        const stored = fileKey ? cbcEncrypt(fileKey, content) : content;
        // iOS 5-9 devices put the SHA-1 of the bytes as stored into the mbdb record.
        storedHash = createHash('sha1').update(stored).digest();
        if (!f.missingOnDisk) {
          await mkdir(dataDir, { recursive: true });
          await writeFile(dataPath, stored);
        }
      }
    }
    const size = f.sizeOverride ?? realSize;
    if (format === 'db') {
      dbRows.push({
        fileID,
        domain: f.domain,
        relativePath: f.relativePath,
        flags: kind,
        file: encodeMBFile({ relativePath: f.relativePath, target: f.target, encryptionKey, size, mode, flags: 0, protectionClass: pclass, lastModified: mtime, birth: mtime, lastStatusChange: mtime, inode: inode++ }),
      });
    } else {
      mbdbRecords.push({ domain: f.domain, relativePath: f.relativePath, target: f.target, dataHash: kind === FileKind.File ? (storedHash ?? createHash('sha1').digest()) : undefined, encryptionKey, mode, inode: BigInt(inode++), userId: 501, groupId: 501, mtime, atime: mtime, ctime: mtime, size, protectionClass: pclass, properties: [] });
    }
  }

  const lockdown: PlistDict = {
    DeviceName: o.deviceName ?? 'Test iPhone',
    ProductType: o.productType ?? 'iPhone14,5',
    ProductVersion: o.productVersion ?? (format === 'db' ? '17.5' : '9.3.5'),
    BuildVersion: o.buildVersion ?? (format === 'db' ? '21F79' : '13G36'),
    UniqueDeviceID: udid,
    SerialNumber: o.serialNumber ?? 'F2LXXXXXXXXX',
  };
  const manifest: PlistDict = {
    Version: format === 'db' ? '10.0' : '9.1',
    Date: date,
    IsEncrypted: Boolean(o.encryption),
    WasPasscodeSet: o.passcodeSet ?? true,
    Lockdown: lockdown,
    Applications: {},
    SystemDomainsVersion: '24.0',
  };
  if (keybagBytes) manifest.BackupKeyBag = keybagBytes;

  if (format === 'db') {
    const tmp = makePrivateTempDir('irescue-writer-');
    try {
      const dbPath = join(tmp, 'Manifest.db');
      const db = new (sqlite())(dbPath);
      db.exec('CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB); CREATE INDEX FilesDomainIdx ON Files(domain); CREATE INDEX FilesRelativePathIdx ON Files(relativePath); CREATE INDEX FilesFlagsIdx ON Files(flags); CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB);');
      const ins = db.prepare('INSERT OR REPLACE INTO Files VALUES (@fileID, @domain, @relativePath, @flags, @file)');
      db.transaction(() => dbRows.forEach((r) => ins.run(r)))();
      db.close();
      const plain = await readFile(dbPath);
      if (classKeys) {
        const mk = rnd.next(32);
        const ek = Buffer.alloc(4);
        ek.writeUInt32LE(4);
        manifest.ManifestKey = Buffer.concat([ek, aesWrap(classKeys.get(4)!, mk)]);
        await writeFile(join(o.dir, 'Manifest.db'), cbcEncrypt(mk, plain));
      } else {
        await writeFile(join(o.dir, 'Manifest.db'), plain);
      }
    } finally {
      removePrivateTempDir(tmp);
    }
  } else {
    await writeFile(join(o.dir, 'Manifest.mbdb'), serializeMbdb(mbdbRecords));
  }

  const xml = o.xmlPlists ?? false;
  await writeFile(join(o.dir, 'Manifest.plist'), plistBytes(manifest, xml));
  await writeFile(
    join(o.dir, 'Info.plist'),
    plistBytes(
      {
        'Device Name': lockdown.DeviceName,
        'Display Name': lockdown.DeviceName,
        'Product Type': lockdown.ProductType,
        'Product Version': lockdown.ProductVersion,
        'Build Version': lockdown.BuildVersion,
        'Unique Identifier': udid.toUpperCase(),
        'Target Identifier': udid,
        'Target Type': 'Device',
        'Serial Number': lockdown.SerialNumber,
        'Last Backup Date': date,
        GUID: rnd.next(16).toString('hex').toUpperCase(),
        'Installed Applications': [],
        'iTunes Version': '12.13.2.3',
      },
      xml,
    ),
  );
  if (o.snapshotState !== null) {
    await writeFile(
      join(o.dir, 'Status.plist'),
      plistBytes({ BackupState: 'new', IsFullBackup: false, SnapshotState: o.snapshotState ?? 'finished', Date: date, UUID: rnd.next(16).toString('hex').toUpperCase(), Version: '3.3' }, xml),
    );
  }
  return { dir: o.dir, udid, plaintext };
}

/** Remove a folder the writer made (tests). */
async function removeBackup(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
