/**
 * Extraction: backup files to OUT/<domain>/<relativePath>, decrypted, each written to a temporary
 * name and renamed, with modification times. Nothing is written outside OUT, whatever the backup
 * holds: names are checked (safe-path.ts), then every folder, file and link is checked against the
 * disk (out-tree.ts). Order: folders, then every regular file, then links (each made only where
 * nothing exists and only when it resolves inside OUT through the links made before it), then
 * folder times. Problems are collected into the summary, not thrown, so one damaged file never
 * costs the user the rest. Overwrite policy (README "What extraction promises"): a regular file
 * already at a destination is replaced (by rename) and counted; a link, folder or anything else
 * already there is left alone and the record listed under notWritten.
 */
import { lutimesSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { OnProgress } from '../progress.js';
import type { Backup, StoredRecord } from './open.js';
import { OutTree, OutputProblem, outputProblem } from './out-tree.js';
import { safeOutputParts } from './safe-path.js';
import { FileKind, type FileQuery } from './types.js';
import { writeFilesInto, type WriteIssue, type WriteJob } from './write-pool.js';

export interface ExtractOptions extends FileQuery {
  out: string;
  /** sanitize names that Windows cannot store (always on when running on Windows) */
  portableNames?: boolean;
  onProgress?: OnProgress;
  signal?: AbortSignal;
  /** files written at once; small files benefit from overlap */
  concurrency?: number;
}

export type ExtractIssue = WriteIssue;

export interface ExtractSummary {
  out: string;
  written: number;
  bytes: number;
  directories: number;
  symlinks: number;
  /** regular files that were already in OUT and were replaced */
  replaced: number;
  skipped: ExtractIssue[];
  missing: ExtractIssue[];
  refused: ExtractIssue[];
  sanitized: ExtractIssue[];
  /** damaged or unreadable in the backup */
  failed: ExtractIssue[];
  /** the output side could not take it: disk full, name too long, something already there */
  notWritten: ExtractIssue[];
  /** set when the run stopped early (read-only or full disk, no permission) */
  stopped?: string;
  /** files not tried because the run stopped */
  notAttempted: number;
}

export async function extractFiles(backup: Backup, opts: ExtractOptions): Promise<ExtractSummary> {
  const tree = OutTree.open(opts.out);
  const out = tree.root;
  const portable = opts.portableNames ?? process.platform === 'win32';
  const caseFold = process.platform === 'darwin' || process.platform === 'win32';
  const summary: ExtractSummary = { out, written: 0, bytes: 0, directories: 0, symlinks: 0, replaced: 0, skipped: [], missing: [], refused: [], sanitized: [], failed: [], notWritten: [], notAttempted: 0 };
  const records = backup.files(opts);
  const taken = new Set<string>();
  const dirs: Array<[StoredRecord, string]> = [];
  const links: Array<[StoredRecord, string]> = [];
  const jobs: WriteJob[] = [];
  const issue = (r: StoredRecord, reason: string) => ({ domain: r.domain, relativePath: r.relativePath, reason });

  const keyOf = (p: string) => (caseFold ? p.normalize('NFC').toLowerCase() : p);
  for (const r of records) {
    const safe = safeOutputParts(r.domain, r.relativePath, { portable });
    if (!safe.ok) {
      summary.refused.push(issue(r, safe.reason));
      continue;
    }
    let target = tree.pathOf(safe.parts);
    if (r.kind === FileKind.Directory) {
      dirs.push([r, target]);
      continue;
    }
    // Two names that differ only in case or Unicode normalization land on one file on macOS/Windows.
    if (taken.has(keyOf(target))) {
      let n = 2;
      const m = /^(.*?)(\.[^./]*)?$/.exec(target)!;
      while (taken.has(keyOf(`${m[1]}~${n}${m[2] ?? ''}`))) n++;
      target = `${m[1]}~${n}${m[2] ?? ''}`;
      summary.sanitized.push({ ...issue(r, 'another file has the same name on this file system'), writtenAs: relative(out, target) });
    } else if (safe.sanitized) {
      summary.sanitized.push({ ...issue(r, safe.sanitized), writtenAs: relative(out, target) });
    }
    taken.add(keyOf(target));
    if (r.kind === FileKind.Symlink) links.push([r, target]);
    else jobs.push({ record: r, dest: target });
  }

  // Folders first (a folder record is a real folder even when a link record of the same name
  // comes later), then files; links last, so no file is ever written through one.
  const madeDirs: Array<[StoredRecord, string]> = [];
  for (const [r, d] of dirs) {
    try {
      tree.ensureDir(d);
      madeDirs.push([r, d]);
    } catch (e) {
      summary.notWritten.push(issue(r, outputProblem(e).message.replace(/^not written/, 'folder not made')));
    }
  }

  const res = await writeFilesInto(backup, tree, jobs, { phase: 'extract', onProgress: opts.onProgress, signal: opts.signal, concurrency: opts.concurrency });
  Object.assign(summary, { written: res.written, bytes: res.bytes, missing: res.missing, failed: res.failed, stopped: res.stopped, notAttempted: res.notAttempted });
  summary.notWritten.push(...res.notWritten);

  if (!res.stopped) {
    const made: Array<[StoredRecord, string]> = [];
    for (const [r, linkPath] of links) {
      try {
        tree.ensureDir(dirname(linkPath));
        const check = tree.checkLinkTarget(dirname(linkPath), r.target ?? '');
        if (!check.ok) {
          summary.skipped.push(issue(r, check.reason));
          continue;
        }
        if (tree.makeLink(linkPath, r.target!) === 'made') made.push([r, linkPath]);
        summary.symlinks++;
      } catch (e) {
        const p = e instanceof OutputProblem ? e : outputProblem(e);
        summary.skipped.push(issue(r, `link not made: ${p.message.replace(/^not (written|made): /, '')}`));
      }
    }
    // A link made later can change where an earlier one leads (it may stand in the middle of the
    // earlier one's path). Check them all again now that every link exists; removing one that
    // now leads out only makes others dangle, never lead elsewhere.
    for (const [r, linkPath] of made) {
      const check = tree.checkLinkTarget(dirname(linkPath), r.target!);
      if (check.ok) continue;
      tree.removeLink(linkPath);
      summary.symlinks--;
      summary.skipped.push(issue(r, check.reason));
    }
  }
  summary.replaced = tree.replaced;

  // Folder times last: writing files into a folder changes its mtime. lutimes: never through a link.
  madeDirs.sort((a, b) => b[1].length - a[1].length);
  for (const [r, d] of madeDirs) {
    summary.directories++;
    const t = r.mtime ?? new Date();
    try {
      lutimesSync(d, t, t);
    } catch {
      /* times are a courtesy */
    }
  }
  return summary;
}
