/**
 * The output folder of `extract` and `decrypt`, guarded against what a hostile backup (or a folder
 * that already holds links) could make the kernel do. Paths are checked physically, against what is
 * on disk now, never lexically:
 * - folders are made one component at a time, each `lstat`ed: an existing link or file where a
 *   folder is needed is never followed or replaced (the record under it is listed instead);
 * - a file appears by renaming a temporary file over a regular file or nothing, never over a link
 *   or a folder;
 * - a link is made only where nothing exists yet, and only when its target, resolved step by step
 *   through the links already on disk (ours and any that were there before), stays inside the
 *   folder at every step.
 * Metadata calls are synchronous on purpose: each is a few microseconds on a local disk, and a
 * thread-pool round trip per `lstat` costs more than the call (issue 15 item 6).
 * The checks defend against the backup's contents, not against another local program racing us.
 */
import { lstatSync, mkdirSync, readlinkSync, realpathSync, renameSync, symlinkSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { lstat, mkdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { isInside } from '../fs/inside.js';
import { dirname, isAbsolute, join, parse, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';

/** A problem on the output side: `fatal` stops the whole run, `full` is the disk, the rest cost one file. */
export type OutputProblemKind = 'conflict' | 'name' | 'full' | 'fatal' | 'other';

export class OutputProblem extends Error {
  constructor(readonly kind: OutputProblemKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OutputProblem';
  }
}

const code = (e: unknown) => (e as NodeJS.ErrnoException)?.code;

/** Plain words for an error the output disk gave us, and whether it should stop everything. */
export function outputProblem(e: unknown): OutputProblem {
  if (e instanceof OutputProblem) return e;
  switch (code(e)) {
    case 'ENOSPC':
    case 'EDQUOT': return new OutputProblem('full', 'not written: the output disk is full', { cause: e });
    case 'ENAMETOOLONG': return new OutputProblem('name', 'not written: the name or the whole path is too long for this file system', { cause: e });
    case 'EROFS': return new OutputProblem('fatal', 'the output folder is on a read-only disk', { cause: e });
    case 'EACCES':
    case 'EPERM': return new OutputProblem('fatal', 'no permission to write in the output folder', { cause: e });
    case 'EIO': return new OutputProblem('fatal', 'the output disk reported a write error', { cause: e });
    case 'EEXIST':
    case 'ENOTDIR':
    case 'EISDIR':
    case 'ENOTEMPTY': return new OutputProblem('conflict', 'not written: something else is already at this place in the output folder', { cause: e });
    case 'EMFILE':
    case 'ENFILE': return new OutputProblem('other', 'not written: too many files open at once', { cause: e });
    default: return new OutputProblem('other', `not written (${code(e) ?? (e as Error)?.message ?? String(e)})`, { cause: e });
  }
}

/**
 * mkdir -p, one component at a time: Node's recursive mkdir loops forever under /proc and reports
 * ENOENT for a read-only disk (SECURITY-REVIEW B11 and "stuck jobs").
 */
function makeFolders(abs: string): void {
  const { root } = parse(abs);
  let cur = root;
  for (const part of abs.slice(root.length).split(sep)) {
    if (!part) continue;
    cur = join(cur, part);
    try {
      mkdirSync(cur);
    } catch (e) {
      if (code(e) !== 'EEXIST') throw e;
    }
  }
}

/** At most this many links followed while resolving one target (the kernel's own limit is 40). */
const MAX_LINK_HOPS = 40;

export type LinkCheck = { ok: true; resolved: string } | { ok: false; reason: string };

export class OutTree {
  /** folders known to be real folders inside root (made by us or lstat-checked) */
  private readonly dirs = new Set<string>();
  /** regular files that were already there and were replaced */
  replaced = 0;

  private constructor(readonly root: string) {
    this.dirs.add(root);
  }

  /**
   * Creates the folder (the user's choice: links in the path to it are theirs and are followed)
   * and checks that a file can be written in it. An unusable folder is a UsageError (exit 2).
   */
  static open(folder: string): OutTree {
    const unusable = (e: unknown) => {
      const why: Record<string, string> = {
        ENOENT: 'it cannot be created there (the disk may be read-only, or a part of the path is gone)',
        ENOTDIR: 'it, or a part of its path, is a file and not a folder',
        EROFS: 'the disk is read-only',
        EACCES: 'no permission to write there',
        EPERM: 'no permission to write there',
        ENOSPC: 'the disk is full',
        EDQUOT: 'the disk is full',
        ENAMETOOLONG: 'the path is too long',
      };
      return new UsageError(`${folder}: cannot use as output folder: ${why[code(e) ?? ''] ?? outputProblem(e).message.replace(/^not written: /, '')}`);
    };
    let root: string;
    try {
      makeFolders(resolve(folder));
      root = realpathSync(folder);
      if (!lstatSync(root).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    } catch (e) {
      throw unusable(e);
    }
    // A read-only mount or a folder we may not write in shows here, before any work.
    const probe = join(root, `.irescue-probe-${randomBytes(6).toString('hex')}`);
    try {
      writeFileSync(probe, '', { flag: 'wx' });
      unlinkSync(probe);
    } catch (e) {
      throw unusable(e);
    }
    return new OutTree(root);
  }

  /** Absolute path of relative parts (already checked by safeOutputParts); no check of the disk. */
  pathOf(parts: string[]): string {
    return join(this.root, ...parts);
  }

  /** A plain path test on paths already resolved step by step against the disk (see resolveTarget). */
  inside(p: string): boolean {
    return isInside(this.root, p);
  }

  /**
   * Makes sure `dir` (under root) is a real folder, making missing parts one at a time. A link,
   * file or anything else standing in the way is an OutputProblem('conflict'), never followed.
   */
  ensureDir(dir: string): void {
    if (this.dirs.has(dir)) return;
    if (!this.inside(dir)) throw new OutputProblem('conflict', 'not written: the path leads outside the output folder');
    this.ensureDir(dirname(dir));
    let st: Stats | undefined;
    try {
      st = lstatSync(dir);
    } catch (e) {
      if (code(e) !== 'ENOENT') throw outputProblem(e);
    }
    if (!st) {
      try {
        mkdirSync(dir);
      } catch (e) {
        if (code(e) !== 'EEXIST') throw outputProblem(e);
      }
      st = lstatSync(dir);
    }
    if (st.isSymbolicLink()) throw new OutputProblem('conflict', `not written: ${this.rel(dir)} in the output folder is a link; links there are never followed`);
    if (!st.isDirectory()) throw new OutputProblem('conflict', `not written: ${this.rel(dir)} in the output folder is a file where a folder is needed`);
    this.dirs.add(dir);
  }

  private readonly pending = new Map<string, Promise<void>>();

  /**
   * ensureDir with the disk calls in the thread pool, for the many-files path: on a busy disk a
   * mkdir blocks for milliseconds, and many of them overlap. Same checks as ensureDir.
   */
  ensureDirAsync(dir: string): Promise<void> {
    if (this.dirs.has(dir)) return Promise.resolve();
    let p = this.pending.get(dir);
    if (!p) {
      p = this.makeDirAsync(dir).finally(() => this.pending.delete(dir));
      this.pending.set(dir, p);
    }
    return p;
  }

  private async makeDirAsync(dir: string): Promise<void> {
    if (!this.inside(dir)) throw new OutputProblem('conflict', 'not written: the path leads outside the output folder');
    await this.ensureDirAsync(dirname(dir));
    // mkdir first: in a new tree (every decrypted copy) one call instead of three. A mkdir that
    // succeeds made a real folder (it never follows a link); only what was already there is looked at.
    const made = await mkdir(dir).then(() => true, (e) => (code(e) === 'EEXIST' ? false : Promise.reject(outputProblem(e))));
    if (made) {
      this.dirs.add(dir);
      return;
    }
    const st = await lstat(dir).then((x) => x, (e) => (code(e) === 'ENOENT' ? undefined : Promise.reject(outputProblem(e))));
    if (!st) throw new OutputProblem('conflict', `not written: ${this.rel(dir)} vanished while being made`);
    if (st.isSymbolicLink()) throw new OutputProblem('conflict', `not written: ${this.rel(dir)} in the output folder is a link; links there are never followed`);
    if (!st.isDirectory()) throw new OutputProblem('conflict', `not written: ${this.rel(dir)} in the output folder is a file where a folder is needed`);
    this.dirs.add(dir);
  }


  /**
   * Puts a finished temporary file (in the same folder) at `dest`: over nothing or over a regular
   * file (counted in `replaced`), never over a link, folder or device.
   */
  place(tmp: string, dest: string): void {
    let st: Stats | undefined;
    try {
      st = lstatSync(dest);
    } catch (e) {
      if (code(e) !== 'ENOENT') throw outputProblem(e);
    }
    if (st && !st.isFile()) {
      throw new OutputProblem('conflict', `not written: ${st.isSymbolicLink() ? 'a link' : st.isDirectory() ? 'a folder' : 'something that is not a file'} is already at ${this.rel(dest)}; it was left as it is`);
    }
    try {
      renameSync(tmp, dest);
    } catch (e) {
      throw outputProblem(e);
    }
    if (st) this.replaced++;
  }

  /**
   * Where `target`, read as a link in folder `linkDir`, leads now: each component resolved against
   * the disk, links followed (chains included), every step required to stay inside root. A target
   * that passes a missing component and then climbs (`missing/..`) is refused: what it reaches
   * would depend on what is made there later.
   */
  checkLinkTarget(linkDir: string, target: string): LinkCheck {
    if (!target) return { ok: false, reason: 'the link has no target' };
    if (target.includes('\0')) return { ok: false, reason: 'the link target contains a NUL byte' };
    if (isAbsolute(target) || /^[A-Za-z]:/.test(target) || target.startsWith('\\')) return { ok: false, reason: `link to ${JSON.stringify(target)}: absolute targets would point outside the output folder` };
    const outside = { ok: false as const, reason: `link to ${JSON.stringify(target)} would point outside the output folder` };
    let cur = linkDir;
    const todo = target.split('/');
    let hops = 0;
    let missing = false;
    while (todo.length) {
      const c = todo.shift()!;
      if (c === '' || c === '.') continue;
      if (c === '..') {
        if (missing) return { ok: false, reason: `link to ${JSON.stringify(target)} climbs out of a folder that does not exist` };
        cur = dirname(cur);
        if (!this.inside(cur)) return outside;
        continue;
      }
      const next = join(cur, c);
      if (missing) {
        cur = next;
        continue;
      }
      let st: Stats;
      try {
        st = lstatSync(next);
      } catch {
        missing = true;
        cur = next;
        continue;
      }
      if (st.isSymbolicLink()) {
        if (++hops > MAX_LINK_HOPS) return { ok: false, reason: `link to ${JSON.stringify(target)} goes through too many links` };
        let t: string;
        try {
          t = readlinkSync(next);
        } catch {
          return outside;
        }
        if (isAbsolute(t)) return { ok: false, reason: `link to ${JSON.stringify(target)} goes through a link to an absolute path` };
        todo.unshift(...t.split('/'));
        continue; // relative to the folder holding that link, which is `cur`
      }
      cur = next;
      if (!st.isDirectory() && todo.some((x) => x !== '' && x !== '.')) missing = true; // the kernel would stop here (ENOTDIR)
    }
    return this.inside(cur) ? { ok: true, resolved: cur } : outside;
  }

  /**
   * Makes a link at `linkPath` (its folder already ensured) after checking its target. An identical
   * link already there counts as made; anything else there is left alone and reported.
   */
  makeLink(linkPath: string, target: string): 'made' | 'exists' {
    let st: Stats | undefined;
    try {
      st = lstatSync(linkPath);
    } catch (e) {
      if (code(e) !== 'ENOENT') throw outputProblem(e);
    }
    if (st) {
      if (st.isSymbolicLink() && readlinkSync(linkPath) === target) return 'exists';
      throw new OutputProblem('conflict', `not made: something is already at ${this.rel(linkPath)}; it was left as it is`);
    }
    try {
      symlinkSync(target, linkPath);
    } catch (e) {
      throw outputProblem(e);
    }
    return 'made';
  }

  /** Removes a link this run made (only ever a link: lstat-checked). */
  removeLink(linkPath: string): void {
    try {
      if (lstatSync(linkPath).isSymbolicLink()) unlinkSync(linkPath);
    } catch {
      /* already gone */
    }
  }

  rel(p: string): string {
    return p === this.root ? '.' : p.slice(this.root.length + 1);
  }
}
