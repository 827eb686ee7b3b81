/**
 * The computer's files as the device sees them during a restore. The device names paths as in a
 * backup ("<SourceIdentifier>/Manifest.plist", "<Src>/3d/3d0d..."), and the protocol lets it ask
 * the computer to create folders, move, copy or remove items and even upload files, as it does
 * in a backup. In a restore the backup must stay read-only (the owner may need it again), so:
 *
 * - `<Src>/...` is read from the backup folder, whatever that folder is called on disk;
 * - every write (create, upload, move target, copy target) goes to a private scratch folder;
 * - a remove or move away of a backup item only hides it from the device ("whiteout");
 * - the scratch folder is deleted when the restore ends.
 *
 * The device thus gets the answers a writable folder would give, and the backup never changes.
 */
import { cp, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import type { Stats } from 'node:fs';
import type { PlistDict } from '../../plist/plist.js';
import { resolveInside } from './backup-files.js';
import { makePrivateTempDir, removePrivateTempDir } from '../../fs/temp.js';

export class RestoreOverlay {
  /** paths hidden from the device (removed or moved away), normalized with "/" */
  private readonly hidden = new Set<string>();
  /** device path -> a read-only real path it now names (a backup item that was moved or copied) */
  private readonly aliases = new Map<string, string>();
  readonly scratch: string;
  /** what the device asked to change, for the report (never applied to the backup) */
  readonly ignoredWrites: string[] = [];

  constructor(private readonly sourceId: string, private readonly backupDir: string) {
    this.scratch = makePrivateTempDir('irescue-restore-');
  }

  private key(rel: string): string {
    resolveInside(this.scratch, rel); // refuses escapes, absolute paths and NULs
    return normalize(rel).replace(/\\/g, '/').replace(/\/+$/, '');
  }

  private isHidden(k: string): boolean {
    for (let p = k; p; p = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '') if (this.hidden.has(p)) return true;
    return false;
  }

  /** The backup path a device path names, when it is inside `<Src>/`. */
  private inBackup(k: string): string | undefined {
    if (k === this.sourceId) return this.backupDir;
    if (!k.startsWith(`${this.sourceId}/`)) return undefined;
    return resolveInside(this.backupDir, k.slice(this.sourceId.length + 1));
  }

  /** Where to read a device path from now: scratch first, then aliases, then the backup. */
  async resolveRead(rel: string): Promise<string | undefined> {
    const k = this.key(rel);
    const s = resolveInside(this.scratch, k);
    if (await stat(s).catch(() => undefined)) return s;
    if (this.aliases.has(k)) return this.aliases.get(k);
    if (this.isHidden(k)) return undefined;
    return this.inBackup(k);
  }

  private async writable(rel: string): Promise<string> {
    const k = this.key(rel);
    this.unhide(k);
    const p = resolveInside(this.scratch, k);
    await mkdir(dirname(p), { recursive: true });
    return p;
  }

  private unhide(k: string): void {
    this.hidden.delete(k);
    this.aliases.delete(k);
  }

  async makeDirectory(rel: string): Promise<void> {
    this.note('create', rel);
    await mkdir(await this.writable(rel), { recursive: true });
  }

  /** The scratch root, for a DLMessageUploadFiles (the device's files land there, never in the backup). */
  uploadRoot(): string {
    return this.scratch;
  }

  async remove(paths: string[]): Promise<void> {
    for (const rel of paths) {
      const k = this.key(rel);
      this.note('remove', rel);
      await rm(resolveInside(this.scratch, k), { recursive: true, force: true });
      this.aliases.delete(k);
      this.hidden.add(k);
    }
  }

  async move(moves: Record<string, string>): Promise<void> {
    for (const [from, to] of Object.entries(moves)) {
      this.note('move', `${from} -> ${to}`);
      const src = await this.resolveRead(from);
      const dst = await this.writable(to);
      await rm(dst, { recursive: true, force: true });
      if (src?.startsWith(this.scratch)) await rename(src, dst);
      else if (src) this.aliases.set(this.key(to), src);
      else throw Object.assign(new Error(`No such file or directory: ${from}`), { code: 'ENOENT' });
      await this.remove([from]);
      this.ignoredWrites.pop(); // the remove is part of this move
    }
  }

  async copy(from: string, to: string): Promise<void> {
    this.note('copy', `${from} -> ${to}`);
    const src = await this.resolveRead(from);
    if (!src || !(await stat(src).catch(() => undefined))) return;
    if (src.startsWith(this.scratch)) await cp(src, await this.writable(to), { recursive: true });
    else {
      await this.writable(to);
      this.aliases.set(this.key(to), src);
    }
  }

  async list(rel: string): Promise<PlistDict> {
    const k = this.key(rel);
    const out: PlistDict = {};
    const add = async (dir: string | undefined): Promise<void> => {
      if (!dir) return;
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        if (this.isHidden(k ? `${k}/${name}` : name)) continue;
        const st = await stat(join(dir, name)).catch(() => undefined);
        if (st) out[name] = entry(st);
      }
    };
    if (!this.isHidden(k)) await add(this.inBackup(k));
    await add(resolveInside(this.scratch, k));
    return out;
  }

  private note(op: string, what: string): void {
    if (this.ignoredWrites.length < 1000) this.ignoredWrites.push(`${op} ${what}`);
  }

  close(): void {
    removePrivateTempDir(this.scratch);
  }
}

function entry(st: Stats): PlistDict {
  return { DLFileType: st.isDirectory() ? 'DLFileTypeDirectory' : 'DLFileTypeRegular', DLFileSize: st.size, DLFileModificationDate: st.mtime };
}
