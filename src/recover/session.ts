/**
 * Resumable searches. A session folder holds session.json: the target id, one record per source
 * (kind, label, size, a fingerprint of its definition) and the highest contiguous position settled.
 * Never a candidate, never the found password. For sources made of the user's own guesses (--try,
 * --hint, keychain) only 16 bits of the fingerprint are kept: enough to notice a changed command
 * line, too little to confirm a guess offline.
 *
 * Checkpoints are atomic (temp file, fsync, rename), written every few seconds and on demand
 * (Ctrl-C, SIGTERM, the end). After a SIGKILL the work since the last checkpoint is done again;
 * nothing is skipped, because the checkpoint only ever holds a contiguous position.
 */
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userCacheDir } from '../cache-dir.js';
import { join } from 'node:path';
import { CorruptInputError, UsageError } from '../errors.js';
import { describeFsError } from '../errors.js';
import { writeAtomicSync } from '../fs/atomic.js';
import type { CandidateSource } from './candidates/source.js';
import type { CommitInfo } from './pool.js';

export const SESSION_FILE = 'session.json';
const LOCK_FILE = 'session.lock';
const FORMAT = 'irescue-recover-session';

export interface SourceRecord {
  kind: string;
  label: string;
  size: number;
  check: string;
}

export interface SessionState {
  format: typeof FORMAT;
  version: 1;
  targetId: string;
  sources: SourceRecord[];
  /** every global position before this one is settled (tested or skipped as a duplicate) */
  position: number;
  /** candidates tested before `position`, over all runs */
  tested: number;
  updatedAt: string;
}

export function sourceRecords(sources: readonly CandidateSource[]): SourceRecord[] {
  return sources.map((s) => ({ kind: s.kind, label: s.label, size: s.size, check: s.secret ? s.fingerprint.slice(0, 4) : s.fingerprint }));
}

/** <user cache>/sessions/<id>: $XDG_CACHE_HOME/irescue on Linux, ~/Library/Caches/irescue on macOS, %LOCALAPPDATA% on Windows. */
export function defaultSessionDir(targetId: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return join(userCacheDir(env, platform), 'sessions', targetId);
}

const WHAT: Record<string, string> = {
  try: 'the --try guesses',
  keychain: 'the passwords found in the keychain',
  hint: 'the --hint words (or the --try guesses whose typos they include)',
  common: 'the bundled common-password list (irescue was updated)',
};

function describeChange(was: SourceRecord, now: SourceRecord, i: number): string | undefined {
  if (was.kind !== now.kind) return `source ${i + 1} was ${was.label}, now ${now.label}`;
  if (was.check === now.check && was.size === now.size) return undefined;
  if (WHAT[was.kind]) return `${WHAT[was.kind]} changed`;
  if (was.kind === 'wordlist') return was.label === now.label ? `${now.label.replace(/^wordlist /, 'wordlist file ')} changed (size or date)` : `${was.label} is now ${now.label}`;
  return `${was.label} is now ${now.label}`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/**
 * One search per session folder at a time: two runs would overwrite each other's checkpoints. A lock
 * left by a run that died (SIGKILL, reboot) names a process that no longer exists and is taken over.
 */
function lock(dir: string): void {
  const file = join(dir, LOCK_FILE);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const held = Number.parseInt(readFileSync(file, 'utf8'), 10);
    if (Number.isInteger(held) && held !== process.pid && alive(held)) {
      throw new UsageError(`session ${dir} is in use by another irescue run (process ${held}); wait for it, stop it, or use another --session folder`);
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if ((e as { code?: string }).code !== 'ENOENT') throw new UsageError(`session folder ${dir}: ${describeFsError(e)} (pick another with --session DIR, or --no-session)`);
  }
  try {
    writeFileSync(file, String(process.pid), { mode: 0o600 });
  } catch (e) {
    throw new UsageError(`session folder ${dir}: cannot save progress: ${describeFsError(e)} (pick another with --session DIR, or --no-session)`);
  }
}

export interface OpenedSession {
  session: Session;
  /** global position to resume at */
  from: number;
  /** candidates tested by earlier runs */
  tested: number;
  /** what to tell the user about the resume, if anything */
  note?: string;
}

export class Session {
  private state: SessionState;
  private lastWrite = 0;
  private trace: number[] = [];

  private constructor(readonly dir: string, state: SessionState, private readonly traceFile?: string, private readonly intervalMs = 2000) {
    this.state = state;
  }

  get position(): number {
    return this.state.position;
  }

  get tested(): number {
    return this.state.tested;
  }

  static open(dir: string, targetId: string, sources: readonly CandidateSource[], opts: { restart?: boolean; traceFile?: string; intervalMs?: number } = {}): OpenedSession {
    const records = sourceRecords(sources);
    const file = join(dir, SESSION_FILE);
    const fresh: SessionState = { format: FORMAT, version: 1, targetId, sources: records, position: 0, tested: 0, updatedAt: new Date().toISOString() };
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENOENT') throw new UsageError(`${file}: ${describeFsError(e)}`);
    }
    const traceFile = opts.traceFile;
    lock(dir);
    if (text === undefined || opts.restart) {
      return { session: new Session(dir, fresh, traceFile, opts.intervalMs), from: 0, tested: 0, note: text !== undefined ? 'saved progress discarded (--restart)' : undefined };
    }
    let saved: SessionState;
    try {
      saved = JSON.parse(text) as SessionState;
    } catch {
      throw new CorruptInputError(file, 'is not a readable session file; delete it or add --restart');
    }
    if (saved.format !== FORMAT || saved.version !== 1 || !Array.isArray(saved.sources) || !Number.isSafeInteger(saved.position)) {
      throw new CorruptInputError(file, 'is not an irescue recover session (or from a newer version); delete it or add --restart');
    }
    if (saved.targetId !== targetId) {
      throw new UsageError(`session ${dir} belongs to another backup or hash (target ${saved.targetId}, this one is ${targetId}): pick another --session folder, or add --restart to reuse it`);
    }
    const changes: string[] = [];
    for (let i = 0; i < Math.min(saved.sources.length, records.length); i++) {
      const c = describeChange(saved.sources[i], records[i], i);
      if (c) changes.push(c);
    }
    if (saved.sources.length > records.length) changes.push(`source(s) removed: ${saved.sources.slice(records.length).map((s) => s.label).join(', ')}`);
    if (changes.length) {
      throw new UsageError(`session ${dir} was saved by a different command line: ${changes.join('; ')}. Run the same command as before to resume, add --restart to start over, or use another --session folder`);
    }
    const savedTotal = saved.sources.reduce((n, s) => n + s.size, 0);
    const position = Math.min(saved.position, savedTotal);
    const note =
      records.length > saved.sources.length
        ? `resuming at candidate position ${position.toLocaleString('en-US')}; ${records.length - saved.sources.length} source(s) added after the saved ones`
        : position > 0
          ? `resuming at candidate position ${position.toLocaleString('en-US')} (${saved.tested.toLocaleString('en-US')} already tested)`
          : undefined;
    const state: SessionState = { ...fresh, position, tested: saved.tested };
    return { session: new Session(dir, state, traceFile, opts.intervalMs), from: position, tested: saved.tested, note };
  }

  /** Lets another run use the folder (the checkpoint stays). */
  close(): void {
    rmSync(join(this.dir, LOCK_FILE), { force: true });
  }

  /** Record settled work; writes a checkpoint when the interval has passed. */
  commit(c: CommitInfo): void {
    this.state.position = c.position;
    this.state.tested += c.tested;
    if (this.traceFile) for (const p of c.testedPositions) this.trace.push(p);
    if (Date.now() - this.lastWrite >= this.intervalMs) this.checkpoint();
  }

  /** Atomic write now (synchronous, so it is safe from a signal handler). */
  checkpoint(): void {
    this.state.updatedAt = new Date().toISOString();
    const file = join(this.dir, SESSION_FILE);
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      writeAtomicSync(file, JSON.stringify(this.state, null, 2) + '\n', { fsync: true });
    } catch (e) {
      throw new UsageError(`session folder ${this.dir}: cannot save progress: ${describeFsError(e)} (pick another with --session DIR, or --no-session)`);
    }
    this.lastWrite = Date.now();
    // test-only trace of tested positions (never candidates), flushed with the checkpoint that
    // covers them, so a SIGKILL loses exactly the entries that the next run will test again
    if (this.traceFile && this.trace.length) {
      appendFileSync(this.traceFile, this.trace.join('\n') + '\n');
      this.trace = [];
    }
  }
}
