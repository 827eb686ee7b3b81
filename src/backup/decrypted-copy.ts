/**
 * A decrypted copy in the unencrypted backup layout (DESIGN.md §3), for tools that only read
 * unencrypted backups (iLEAPP, MVT, ...). Written into the chosen folder only, through the same
 * checked writer as extract (out-tree.ts, write-pool.ts).
 * Completeness: IRESCUE-INCOMPLETE.txt is written first and removed last; Manifest.plist, the file
 * tools look for, is written only when every file of the backup was copied. A copy that failed part
 * way (or was killed) has no Manifest.plist and keeps the marker, which says what went wrong.
 * Files missing from the original backup folder do not make the copy incomplete: it holds what the
 * original holds.
 */
import { readFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { sqlite } from '../fs/sqlite-module.js';
import { UsageError } from '../errors.js';
import type { OnProgress } from '../progress.js';
import type { Backup, StoredRecord } from './open.js';
import { encodeMBFile } from './mbfile.js';
import { fileIdOf, parseMbdb, serializeMbdb } from './mbdb.js';
import { OutTree, outputProblem } from './out-tree.js';
import { buildBinaryPlist, type PlistDict } from '../plist/plist.js';
import { FileKind } from './types.js';
import type { ExtractIssue } from './extract.js';
import { writeFilesInto, type WriteJob } from './write-pool.js';

/** The marker of an unfinished copy, in the copy's folder. */
export const INCOMPLETE_MARKER = 'IRESCUE-INCOMPLETE.txt';

export interface DecryptedCopyOptions {
  out: string;
  onProgress?: OnProgress;
  signal?: AbortSignal;
  concurrency?: number;
}

export interface DecryptedCopySummary {
  out: string;
  files: number;
  bytes: number;
  missing: ExtractIssue[];
  /** damaged or unreadable in the backup */
  failed: ExtractIssue[];
  /** the output side could not take it (disk full, ...) */
  notWritten: ExtractIssue[];
  /** why the copy stopped early */
  stopped?: string;
  notAttempted: number;
  /** true when Manifest.plist was written: every file is in the copy */
  complete: boolean;
  /** path of IRESCUE-INCOMPLETE.txt when not complete */
  marker?: string;
}

const FILE_ID = /^[0-9a-f]{40}$/i;

function writeInto(tree: OutTree, name: string, data: Buffer | string): void {
  const dest = join(tree.root, name);
  const tmp = `${dest}.irescue-${randomBytes(6).toString('hex')}.part`;
  try {
    writeFileSync(tmp, data, { flag: 'wx' });
    tree.place(tmp, dest);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* not created */
    }
    throw outputProblem(e);
  }
}

function assertEmptyOrAbsent(out: string): void {
  let entries: string[];
  try {
    entries = readdirSync(out);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new UsageError(`${out}: exists and is not a folder`);
    throw new UsageError(`${out}: cannot use as output folder: ${outputProblem(e).message.replace(/^not written: /, '')}`);
  }
  if (entries.length > 0) throw new UsageError(`${out}: folder is not empty; choose a new folder for the decrypted copy`);
}

function markerText(s: DecryptedCopySummary, problems: string[]): string {
  return [
    'This decrypted copy is NOT complete. It has no Manifest.plist, so backup tools will not take it',
    'for a finished backup. Delete this folder and run `irescue decrypt` again.',
    '',
    ...(problems.length ? ['What went wrong:', ...problems.map((p) => `  ${p}`)] : ['The copy was still being written (or the run was stopped).']),
    '',
    `Files copied: ${s.files}`,
  ].join('\n') + '\n';
}

export async function writeDecryptedCopy(backup: Backup, opts: DecryptedCopyOptions): Promise<DecryptedCopySummary> {
  const out = resolve(opts.out);
  if (resolve(backup.dir) === out || out.startsWith(resolve(backup.dir) + '/')) throw new UsageError(`${out}: the copy cannot go inside the backup it comes from`);
  assertEmptyOrAbsent(out);
  const tree = OutTree.open(out);
  const summary: DecryptedCopySummary = { out: tree.root, files: 0, bytes: 0, missing: [], failed: [], notWritten: [], notAttempted: 0, complete: false };
  const marker = join(tree.root, INCOMPLETE_MARKER);
  writeInto(tree, INCOMPLETE_MARKER, markerText(summary, []));
  const flat = backup.info.manifestFormat === 'mbdb';
  const jobs: WriteJob[] = [];
  for (const r of backup.records) {
    if (r.kind !== FileKind.File) continue;
    if (!FILE_ID.test(r.fileID)) {
      summary.failed.push({ domain: r.domain, relativePath: r.relativePath, reason: `its file id ${JSON.stringify(r.fileID)} is not 40 hex digits (damaged manifest entry)` });
      continue;
    }
    const id = r.fileID.toLowerCase();
    jobs.push({ record: r, dest: flat ? join(tree.root, id) : join(tree.root, id.slice(0, 2), id) });
  }
  // The shard folders first, all at once, while the disk has no dirty data to write back yet:
  // later each mkdir waits behind the files already written.
  await Promise.all([...new Set(jobs.map((j) => dirname(j.dest)))].map((d) => tree.ensureDirAsync(d).catch(() => undefined)));
  // The manifest's file records are re-encoded while the files are copied (in the event loop's
  // gaps: the copy mostly waits on the disk), not after them, where it took as long as a third of
  // the files' own time.
  const early = flat ? undefined : encodeRecordsMeanwhile(backup.records, opts.signal);
  const res = await writeFilesInto(backup, tree, jobs, { phase: 'decrypt', onProgress: opts.onProgress, signal: opts.signal, concurrency: opts.concurrency });
  Object.assign(summary, { files: res.written, bytes: res.bytes, missing: res.missing, notWritten: res.notWritten, stopped: res.stopped, notAttempted: res.notAttempted });
  summary.failed.push(...res.failed);

  const problems: string[] = [];
  if (summary.stopped) problems.push(`stopped: ${summary.stopped} (${summary.notAttempted} files not copied)`);
  for (const i of [...summary.failed, ...summary.notWritten]) problems.push(`${i.domain}/${i.relativePath}: ${i.reason}`);
  if (!summary.stopped) {
    try {
      if (flat) {
        const mbdb = parseMbdb(readFileSync(join(backup.dir, 'Manifest.mbdb')), join(backup.dir, 'Manifest.mbdb'));
        for (const rec of mbdb) {
          rec.encryptionKey = undefined;
          const n = res.sizes.get(fileIdOf(rec.domain, rec.relativePath));
          if (n !== undefined) rec.size = n;
        }
        writeInto(tree, 'Manifest.mbdb', serializeMbdb(mbdb));
      } else {
        writePlainManifestDb(backup, tree, res.sizes, await early!);
      }
      for (const name of ['Info.plist', 'Status.plist']) {
        let data: Buffer;
        try {
          data = readFileSync(join(backup.dir, name));
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
          throw e;
        }
        writeInto(tree, name, data);
      }
    } catch (e) {
      problems.push(`the manifest of the copy could not be written: ${(e as Error).message}`);
    }
  }
  if (problems.length) {
    writeInto(tree, INCOMPLETE_MARKER, markerText(summary, problems.slice(0, 200)));
    summary.marker = marker;
    return summary;
  }
  const manifest: PlistDict = { ...(backup.metadata.manifest ?? {}) };
  manifest.IsEncrypted = false;
  delete manifest.BackupKeyBag;
  delete manifest.ManifestKey;
  writeInto(tree, 'Manifest.plist', buildBinaryPlist(manifest));
  unlinkSync(marker);
  summary.complete = true;
  return summary;
}

interface EarlyRecord {
  /** the size the record was encoded with */
  size: number;
  blob: Buffer;
}

/** Each file record without its key, sized as the manifest says; never rejects (what fails is encoded again at the end, where its error is reported). */
async function encodeRecordsMeanwhile(records: StoredRecord[], signal?: AbortSignal): Promise<Map<string, EarlyRecord>> {
  const out = new Map<string, EarlyRecord>();
  let n = 0;
  for (const r of records) {
    if (signal?.aborted) break;
    if (!r.mbfile) continue;
    try {
      out.set(r.fileID, { size: r.mbfile.size, blob: encodeMBFile({ ...r.mbfile, encryptionKey: undefined }) });
    } catch {
      /* encoded again, and reported, at the end */
    }
    if (++n % 32 === 0) await new Promise<void>((res) => setImmediate(res));
  }
  return out;
}

/**
 * The copy's Manifest.db: our plaintext copy of the original with each MBFile's EncryptionKey
 * removed and Size set to the plaintext length. Triggers and views of the (untrusted) original are
 * dropped before the update, so none runs (SECURITY-REVIEW B9).
 */
function writePlainManifestDb(backup: Backup, tree: OutTree, sizes: Map<string, number>, early: Map<string, EarlyRecord>): void {
  if (!backup.manifestDbCopy) throw new UsageError('this backup has no Manifest.db to copy');
  const dest = join(tree.root, 'Manifest.db');
  const tmp = `${dest}.irescue-${randomBytes(6).toString('hex')}.part`;
  let db: Database.Database | undefined;
  try {
    // Updated in memory and written in one go: on a disk busy writing back the files just copied,
    // each of SQLite's small page writes would wait its turn.
    db = new (sqlite())(readFileSync(backup.manifestDbCopy));
    db.pragma('trusted_schema = OFF');
    const quote = (n: string) => `"${n.replace(/"/g, '""')}"`;
    const objects = db.prepare("SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view')").all() as Array<{ type: string; name: string }>;
    for (const o of objects) db.exec(`DROP ${o.type === 'view' ? 'VIEW' : 'TRIGGER'} IF EXISTS ${quote(o.name)}`);
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'Files'").get()) throw new Error('Manifest.db has no Files table');
    const update = db.prepare('UPDATE Files SET file = ? WHERE fileID = ?');
    const byId = new Map<string, StoredRecord>(backup.records.map((r) => [r.fileID, r]));
    const rows = db.prepare('SELECT fileID FROM Files').all() as Array<{ fileID: string }>;
    db.transaction(() => {
      for (const { fileID } of rows) {
        const r = typeof fileID === 'string' ? byId.get(fileID.toLowerCase()) : undefined;
        if (!r?.mbfile) continue;
        const n = sizes.get(r.fileID) ?? r.mbfile.size;
        const done = early.get(r.fileID);
        update.run(done && done.size === n ? done.blob : encodeMBFile({ ...r.mbfile, encryptionKey: undefined, size: n }), fileID);
      }
    })();
    const bytes = db.serialize();
    db.close();
    db = undefined;
    writeFileSync(tmp, bytes, { flag: 'wx' });
    tree.place(tmp, dest);
  } catch (e) {
    db?.close();
    try {
      unlinkSync(tmp);
    } catch {
      /* not created */
    }
    throw e;
  }
}
