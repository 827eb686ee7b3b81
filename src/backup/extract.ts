/**
 * Extraction: backup files to OUT/<domain>/<relativePath>, streaming, each written to a temporary
 * name and renamed, with modification times. Nothing is written outside OUT; symlinks are made last
 * and only when they resolve inside OUT. Problems are collected into the summary, not thrown, so
 * one damaged file never costs the user the rest.
 */
import { lstat, mkdir, rename, symlink, unlink, utimes } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { throwIfAborted, IrescueError } from '../errors.js';
import type { OnProgress } from '../progress.js';
import type { Backup, StoredRecord } from './open.js';
import { safeOutputParts } from './safe-path.js';
import { FileKind, type FileQuery } from './types.js';
import { isInside } from '../fs/inside.js';
import { tempPathFor } from '../fs/atomic.js';

export interface ExtractOptions extends FileQuery {
  out: string;
  /** sanitize names that Windows cannot store (always on when running on Windows) */
  portableNames?: boolean;
  onProgress?: OnProgress;
  signal?: AbortSignal;
  /** files written at once; small files benefit from overlap */
  concurrency?: number;
}

export interface ExtractIssue {
  domain: string;
  relativePath: string;
  reason: string;
  writtenAs?: string;
}

export interface ExtractSummary {
  out: string;
  written: number;
  bytes: number;
  directories: number;
  symlinks: number;
  skipped: ExtractIssue[];
  missing: ExtractIssue[];
  refused: ExtractIssue[];
  sanitized: ExtractIssue[];
  failed: ExtractIssue[];
}

export async function extractFiles(backup: Backup, opts: ExtractOptions): Promise<ExtractSummary> {
  const out = resolve(opts.out);
  await mkdir(out, { recursive: true });
  const portable = opts.portableNames ?? process.platform === 'win32';
  const caseFold = process.platform === 'darwin' || process.platform === 'win32';
  const summary: ExtractSummary = { out, written: 0, bytes: 0, directories: 0, symlinks: 0, skipped: [], missing: [], refused: [], sanitized: [], failed: [] };
  const records = backup.files(opts);
  const taken = new Set<string>();
  const dirTimes: Array<[string, Date]> = [];
  const links: Array<[StoredRecord, string]> = [];
  const jobs: Array<[StoredRecord, string]> = [];

  const keyOf = (p: string) => (caseFold ? p.normalize('NFC').toLowerCase() : p);
  for (const r of records) {
    const safe = safeOutputParts(r.domain, r.relativePath, { portable });
    if (!safe.ok) {
      summary.refused.push({ domain: r.domain, relativePath: r.relativePath, reason: safe.reason });
      continue;
    }
    let target = join(out, ...safe.parts);
    if (!isInside(out, target)) {
      summary.refused.push({ domain: r.domain, relativePath: r.relativePath, reason: 'path resolves outside the output folder' });
      continue;
    }
    if (r.kind === FileKind.Directory) {
      dirTimes.push([target, r.mtime ?? new Date()]);
      continue;
    }
    // Two names that differ only in case or Unicode normalization land on one file on macOS/Windows.
    if (taken.has(keyOf(target))) {
      let n = 2;
      const m = /^(.*?)(\.[^./]*)?$/.exec(target)!;
      while (taken.has(keyOf(`${m[1]}~${n}${m[2] ?? ''}`))) n++;
      target = `${m[1]}~${n}${m[2] ?? ''}`;
      summary.sanitized.push({ domain: r.domain, relativePath: r.relativePath, reason: 'another file has the same name on this file system', writtenAs: relative(out, target) });
    } else if (safe.sanitized) {
      summary.sanitized.push({ domain: r.domain, relativePath: r.relativePath, reason: safe.sanitized, writtenAs: relative(out, target) });
    }
    taken.add(keyOf(target));
    if (r.kind === FileKind.Symlink) links.push([r, target]);
    else jobs.push([r, target]);
  }

  const total = jobs.length;
  let done = 0;
  opts.onProgress?.({ phase: 'extract', done, total, unit: 'files' });
  const madeDirs = new Set<string>();
  const ensureDir = async (d: string) => {
    if (madeDirs.has(d)) return;
    await mkdir(d, { recursive: true });
    madeDirs.add(d);
  };

  const writeOne = async (r: StoredRecord, target: string) => {
    const path = await backup.dataPath(r);
    if (!path) {
      summary.missing.push({ domain: r.domain, relativePath: r.relativePath, reason: 'listed in the manifest but not in the backup folder' });
      return;
    }
    await ensureDir(dirname(target));
    const tmp = tempPathFor(target);
    try {
      const bytes = await backup.writePlaintextTo(r, tmp, opts.signal);
      await rename(tmp, target);
      if (r.mtime) await utimes(target, r.mtime, r.mtime);
      summary.written++;
      summary.bytes += bytes;
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      if (opts.signal?.aborted) throw e;
      const reason = e instanceof IrescueError ? e.message : (e as Error).message;
      summary.failed.push({ domain: r.domain, relativePath: r.relativePath, reason });
    }
  };

  const concurrency = Math.max(1, opts.concurrency ?? 4);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      throwIfAborted(opts.signal);
      const [r, target] = jobs[next++];
      await writeOne(r, target);
      done++;
      opts.onProgress?.({ phase: 'extract', done, total, unit: 'files', detail: `${r.domain}/${r.relativePath}` });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));

  for (const [r, linkPath] of links) {
    const t = r.target ?? '';
    const resolved = resolve(dirname(linkPath), t);
    if (!t || isAbsolute(t) || !isInside(out, resolved)) {
      summary.skipped.push({ domain: r.domain, relativePath: r.relativePath, reason: `symlink to ${JSON.stringify(t)} would point outside the output folder` });
      continue;
    }
    try {
      await ensureDir(dirname(linkPath));
      await lstat(linkPath).then(() => unlink(linkPath), () => undefined);
      await symlink(t, linkPath);
      summary.symlinks++;
    } catch (e) {
      summary.skipped.push({ domain: r.domain, relativePath: r.relativePath, reason: `symlink not created (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
    }
  }

  // Directory times last: writing files into a folder changes its mtime.
  dirTimes.sort((a, b) => b[0].length - a[0].length);
  for (const [d, t] of dirTimes) {
    await ensureDir(d);
    summary.directories++;
    await utimes(d, t, t).catch(() => undefined);
  }
  return summary;
}
