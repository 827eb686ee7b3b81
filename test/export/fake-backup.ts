/**
 * An in-memory BackupReader: files are Buffers keyed by domain + path, as an opened backup offers
 * them. SQLite fixtures are built on disk with better-sqlite3, then read into Buffers.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import picomatch from 'picomatch';
import { FileKind, type BackupFileRecord, type BackupInfo, type BackupReader, type FileQuery } from '../../src/backup/types.js';
import { CorruptInputError } from '../../src/errors.js';

export interface FakeFile {
  domain: string;
  relativePath: string;
  data: Buffer;
  mtime?: Date;
}

export class FakeBackup implements BackupReader {
  readonly info: BackupInfo;
  private readonly records: BackupFileRecord[] = [];
  private readonly data = new Map<string, Buffer>();
  private tempDir: string | undefined;
  closed = false;

  constructor(files: FakeFile[] = [], info: Partial<BackupInfo> = {}) {
    this.info = { path: '/fake/backup', encrypted: false, state: 'complete', manifestFormat: 'db', ...info };
    for (const f of files) this.add(f);
  }

  add(f: FakeFile): void {
    const fileID = createHash('sha1').update(`${f.domain}-${f.relativePath}`).digest('hex');
    this.records.push({ fileID, domain: f.domain, relativePath: f.relativePath, kind: FileKind.File, size: f.data.length, mtime: f.mtime });
    this.data.set(fileID, f.data);
  }

  /** A record the manifest lists whose data the folder lacks (as after a half-finished copy). */
  addListedOnly(domain: string, relativePath: string): void {
    const fileID = createHash('sha1').update(`${domain}-${relativePath}`).digest('hex');
    this.records.push({ fileID, domain, relativePath, kind: FileKind.File, size: 1234 });
  }

  /** A file whose reading fails part-way (a damaged disk, a truncated encrypted file). */
  failMidStream(domain: string, relativePath: string): void {
    const r = this.findFile(domain, relativePath);
    if (r) this.brokenStreams.add(r.fileID);
  }

  private readonly brokenStreams = new Set<string>();

  files(query: FileQuery = {}): BackupFileRecord[] {
    const match = query.path ? picomatch(query.path, { dot: true }) : undefined;
    return this.records.filter((r) => (!query.domain || r.domain === query.domain) && (!match || match(r.relativePath)) && (!query.kinds || query.kinds.includes(r.kind)));
  }

  domains(): Array<{ domain: string; files: number }> {
    const counts = new Map<string, number>();
    for (const r of this.records) counts.set(r.domain, (counts.get(r.domain) ?? 0) + 1);
    return [...counts].map(([domain, files]) => ({ domain, files })).sort((a, b) => a.domain.localeCompare(b.domain));
  }

  findFile(domain: string, relativePath: string): BackupFileRecord | undefined {
    return this.records.find((r) => r.domain === domain && r.relativePath === relativePath);
  }

  async readFile(record: BackupFileRecord): Promise<Buffer> {
    const d = this.data.get(record.fileID);
    if (!d) throw new CorruptInputError(record.relativePath, 'missing from the backup');
    return d;
  }

  async openFile(record: BackupFileRecord): Promise<Readable> {
    const data = await this.readFile(record);
    if (!this.brokenStreams.has(record.fileID)) return Readable.from([data]);
    return new Readable({
      read() {
        this.push(data.subarray(0, 8));
        this.destroy(new CorruptInputError(record.relativePath, 'does not decrypt (its length or padding is wrong: truncated or damaged)'));
      },
    });
  }

  async copyToTemp(record: BackupFileRecord): Promise<string> {
    this.tempDir ??= await mkdtemp(join(tmpdir(), 'irescue-fake-'));
    const p = join(this.tempDir, record.fileID);
    await writeFile(p, await this.readFile(record), { mode: 0o600 });
    await chmod(p, 0o600);
    return p;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.tempDir) await rm(this.tempDir, { recursive: true, force: true });
    this.tempDir = undefined;
  }
}
