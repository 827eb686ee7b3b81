/**
 * Everything an exporter writes goes through OutputDir: paths are built from sanitized segments and
 * checked to stay inside the chosen folder, and each file appears only complete (temp file + rename).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, realpath, rename, rm, utimes } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { UsageError } from '../errors.js';
import { describeFsError } from '../errors.js';
import { isInside } from '../fs/inside.js';
import { tempPathFor, withAtomicFile, writeAtomic } from '../fs/atomic.js';
import { sanitizeName as safeName } from '../fs/safe-name.js';

/** Export names come from free text and nest in folders: a 120-byte budget (fs/safe-name.ts says why). */
export const EXPORT_NAME_BYTES = 120;

/**
 * One safe file or folder name from untrusted text (a contact's name, an attachment's
 * transfer_name), by the project's one name rule set, at most 120 UTF-8 bytes, keeping the extension.
 */
export function sanitizeName(raw: string | undefined | null, fallback = 'unnamed'): string {
  return safeName(raw, fallback, EXPORT_NAME_BYTES);
}

/** A file being written: appears at its final name only on commit(). */
export interface AtomicWriter {
  /** queue text; resolves when the stream can take more (back-pressure) */
  write(text: string): Promise<void> | void;
  commit(mtime?: Date): Promise<void>;
  abort(): Promise<void>;
}

export class OutputDir {
  private readonly used = new Map<string, Set<string>>();

  private constructor(readonly root: string) {}

  /** Creates the folder if needed and resolves symlinks once, so later checks compare real paths. */
  static async open(folder: string): Promise<OutputDir> {
    try {
      await mkdir(folder, { recursive: true });
      return new OutputDir(await realpath(folder));
    } catch (e) {
      throw new UsageError(`${folder}: cannot use as output folder: ${describeFsError(e)}`);
    }
  }

  /** Absolute path for relative segments; each segment must already be a sanitized name. */
  resolve(rel: string): string {
    const abs = resolve(this.root, rel);
    if (!isInside(this.root, abs) || abs === this.root) {
      throw new UsageError(`refusing to write outside the output folder: ${rel}`);
    }
    return abs;
  }

  /** Marks names the exporter itself will write in `dir` (index.html, …) so no item takes them. */
  reserve(dir: string, ...names: string[]): void {
    let set = this.used.get(dir);
    if (!set) this.used.set(dir, (set = new Set()));
    for (const n of names) set.add(n.toLowerCase());
  }

  /**
   * A name not yet used in folder `dir` (within this export): "IMG_0001.JPG", then
   * "IMG_0001 (2).JPG". Case-insensitive, because macOS and Windows file systems are.
   */
  uniqueName(dir: string, name: string): string {
    let set = this.used.get(dir);
    if (!set) this.used.set(dir, (set = new Set()));
    const dot = name.lastIndexOf('.');
    const stem = dot > 0 ? name.slice(0, dot) : name;
    const ext = dot > 0 ? name.slice(dot) : '';
    let candidate = name;
    for (let i = 2; set.has(candidate.toLowerCase()); i++) candidate = `${stem} (${i})${ext}`;
    set.add(candidate.toLowerCase());
    return candidate;
  }

  private async tempFor(rel: string): Promise<{ final: string; temp: string }> {
    const final = this.resolve(rel);
    await mkdir(dirname(final), { recursive: true });
    // A symlink already inside the output folder (left there by someone else) must not lead out of it.
    const realDir = await realpath(dirname(final));
    if (!isInside(this.root, realDir)) {
      throw new UsageError(`refusing to write outside the output folder: ${rel} (a link in the output folder points to ${realDir})`);
    }
    return { final, temp: tempPathFor(final) };
  }

  /** `mode` 0o600 for files that hold secrets (the keychain export): private from the first byte. */
  async writeFile(rel: string, data: string | Uint8Array, mtime?: Date, mode = 0o644): Promise<void> {
    const { final } = await this.tempFor(rel);
    await writeAtomic(final, data, { mode, mtime });
  }

  async writeStream(rel: string, source: Readable, mtime?: Date): Promise<void> {
    const { final } = await this.tempFor(rel);
    await withAtomicFile(final, (temp) => pipeline(source, createWriteStream(temp, { mode: 0o644 })), { mtime });
  }

  /** A buffered text writer for large outputs (CSV, JSON, HTML of long conversations). */
  async createWriter(rel: string): Promise<AtomicWriter> {
    const { final, temp } = await this.tempFor(rel);
    const stream: WriteStream = createWriteStream(temp, { mode: 0o644, highWaterMark: 1 << 20 });
    let failed: Error | undefined;
    stream.on('error', (e) => (failed = e));
    let buf = '';
    const FLUSH_AT = 1 << 16;
    const flush = (): Promise<void> | void => {
      if (failed) throw failed;
      if (!buf) return;
      const ok = stream.write(buf);
      buf = '';
      if (!ok) return new Promise<void>((res, rej) => {
        const onDrain = (): void => { stream.off('error', rej); res(); };
        stream.once('drain', onDrain);
        stream.once('error', rej);
      });
    };
    const close = (): Promise<void> => new Promise((res, rej) => {
      if (failed) return rej(failed);
      stream.end((err?: Error | null) => (err ? rej(err) : res()));
    });
    return {
      write(text: string) {
        buf += text;
        if (buf.length >= FLUSH_AT) return flush();
      },
      async commit(mtime?: Date) {
        try {
          await flush();
          await close();
          if (mtime) await utimes(temp, mtime, mtime);
          await rename(temp, final);
        } catch (e) {
          await rm(temp, { force: true });
          throw e;
        }
      },
      async abort() {
        stream.destroy();
        await rm(temp, { force: true });
      },
    };
  }
}

/** Relative path with forward slashes, for links inside generated HTML. */
export function joinRel(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}
