/**
 * A decrypted copy in the unencrypted backup layout (DESIGN.md §3), for tools that only read
 * unencrypted backups (iLEAPP, MVT, ...). Written into the chosen folder only. The root plists go
 * last, Manifest.plist very last: an interrupted run leaves a folder that no tool takes for a
 * complete backup.
 */
import { copyFile, mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { IrescueError, UsageError, throwIfAborted } from '../errors.js';
import type { OnProgress } from '../progress.js';
import type { Backup, StoredRecord } from './open.js';
import { encodeMBFile } from './mbfile.js';
import { fileIdOf, parseMbdb, serializeMbdb } from './mbdb.js';
import { buildBinaryPlist, type PlistDict } from '../plist/plist.js';
import { FileKind } from './types.js';
import { isInside } from '../fs/inside.js';
import { tempPathFor, writeAtomic } from '../fs/atomic.js';
import type { ExtractIssue } from './extract.js';

export interface DecryptedCopyOptions {
  out: string;
  onProgress?: OnProgress;
  signal?: AbortSignal;
}

export interface DecryptedCopySummary {
  out: string;
  files: number;
  bytes: number;
  missing: ExtractIssue[];
  failed: ExtractIssue[];
}

async function atomicWrite(path: string, data: Buffer): Promise<void> {
  await writeAtomic(path, data);
}

async function assertEmptyOrAbsent(out: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(out);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') throw new UsageError(`${out}: exists and is not a folder`);
    throw e;
  }
  if (entries.length > 0) throw new UsageError(`${out}: folder is not empty; choose a new folder for the decrypted copy`);
}

export async function writeDecryptedCopy(backup: Backup, opts: DecryptedCopyOptions): Promise<DecryptedCopySummary> {
  const out = resolve(opts.out);
  if (isInside(backup.dir, out)) throw new UsageError(`${out}: the copy cannot go inside the backup it comes from`);
  await assertEmptyOrAbsent(out);
  await mkdir(out, { recursive: true });
  const summary: DecryptedCopySummary = { out, files: 0, bytes: 0, missing: [], failed: [] };
  const flat = backup.info.manifestFormat === 'mbdb';
  const files = backup.records.filter((r) => r.kind === FileKind.File);
  const sizes = new Map<string, number>();
  let done = 0;
  opts.onProgress?.({ phase: 'decrypt', done, total: files.length, unit: 'files' });
  for (const r of files) {
    throwIfAborted(opts.signal);
    const src = await backup.dataPath(r);
    if (!src) {
      summary.missing.push({ domain: r.domain, relativePath: r.relativePath, reason: 'listed in the manifest but not in the backup folder' });
    } else {
      const dir = flat ? out : join(out, r.fileID.slice(0, 2));
      await mkdir(dir, { recursive: true });
      const dest = join(dir, r.fileID);
      const tmp = tempPathFor(dest);
      try {
        const n = await backup.writePlaintextTo(r, tmp, opts.signal);
        await rename(tmp, dest);
        sizes.set(r.fileID, n);
        summary.files++;
        summary.bytes += n;
      } catch (e) {
        await unlink(tmp).catch(() => undefined);
        if (opts.signal?.aborted) throw e;
        summary.failed.push({ domain: r.domain, relativePath: r.relativePath, reason: e instanceof IrescueError ? e.message : (e as Error).message });
      }
    }
    done++;
    opts.onProgress?.({ phase: 'decrypt', done, total: files.length, unit: 'files', detail: `${r.domain}/${r.relativePath}` });
  }

  if (flat) {
    const mbdb = parseMbdb(await readFile(join(backup.dir, 'Manifest.mbdb')), join(backup.dir, 'Manifest.mbdb'));
    for (const rec of mbdb) {
      rec.encryptionKey = undefined;
      const n = sizes.get(fileIdOf(rec.domain, rec.relativePath));
      if (n !== undefined) rec.size = n;
    }
    await atomicWrite(join(out, 'Manifest.mbdb'), serializeMbdb(mbdb));
  } else {
    await writePlainManifestDb(backup, join(out, 'Manifest.db'), sizes);
  }

  for (const name of ['Info.plist', 'Status.plist']) {
    const tmp = tempPathFor(join(out, name));
    try {
      await copyFile(join(backup.dir, name), tmp);
      await rename(tmp, join(out, name));
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  const manifest: PlistDict = { ...(backup.metadata.manifest ?? {}) };
  manifest.IsEncrypted = false;
  delete manifest.BackupKeyBag;
  delete manifest.ManifestKey;
  await atomicWrite(join(out, 'Manifest.plist'), buildBinaryPlist(manifest));
  return summary;
}

async function writePlainManifestDb(backup: Backup, dest: string, sizes: Map<string, number>): Promise<void> {
  if (!backup.manifestDbCopy) throw new UsageError('this backup has no Manifest.db to copy');
  const tmp = tempPathFor(dest);
  await copyFile(backup.manifestDbCopy, tmp);
  try {
    const db = new Database(tmp);
    const update = db.prepare('UPDATE Files SET file = ? WHERE fileID = ?');
    const byId = new Map<string, StoredRecord>(backup.records.map((r) => [r.fileID, r]));
    const rows = db.prepare('SELECT fileID FROM Files').all() as Array<{ fileID: string }>;
    db.transaction(() => {
      for (const { fileID } of rows) {
        const r = byId.get(fileID.toLowerCase());
        if (!r?.mbfile) continue;
        const plain = { ...r.mbfile, encryptionKey: undefined };
        const n = sizes.get(r.fileID);
        if (n !== undefined) plain.size = n;
        update.run(encodeMBFile(plain), fileID);
      }
    })();
    db.pragma('journal_mode = DELETE');
    db.close();
    await rename(tmp, dest);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}
