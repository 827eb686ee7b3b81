/**
 * Resumable searches. A session folder (one per backup) holds session.json: the target id and, for
 * each search of that backup (one set of sources), one record per source (kind, label, size, a
 * fingerprint of its definition) and the highest contiguous position settled; and tested.fp
 * (tested-record.ts): fingerprints of every candidate tested by any of them. Other hints or sources
 * start a new search (never refused); the same ones resume theirs. Never a candidate, never the
 * found password: finding it closes the search and deletes both files. For sources made of the user's own guesses (--try,
 * --hint, keychain) only 16 bits of the fingerprint are kept: enough to notice a changed command
 * line, too little to confirm a guess offline.
 *
 * Checkpoints are atomic (temp file, fsync, rename), written every few seconds and on demand
 * (Ctrl-C, SIGTERM, the end). After a SIGKILL the work since the last checkpoint is done again;
 * nothing is skipped, because the checkpoint only ever holds a contiguous position.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userCacheDir } from '../cache-dir.js';
import { join } from 'node:path';
import { CorruptInputError, SessionMismatchError, UsageError } from '../errors.js';
import { createHash } from 'node:crypto';
import { TESTED_FILE, TestedRecord } from './tested-record.js';
import { describeFsError } from '../errors.js';
import { writeAtomicSync } from '../fs/atomic.js';
import type { CandidateSource } from './candidates/source.js';
import type { CommitInfo } from './pool.js';

const SESSION_FILE = 'session.json';
const LOCK_FILE = 'session.lock';
const FORMAT = 'irescue-recover-session';

export interface SourceRecord {
  kind: string;
  label: string;
  size: number;
  check: string;
}

/** One search (one set of sources) of this backup and how far it got. */
export interface SearchState {
  /** which search: a hash of its source records */
  key: string;
  sources: SourceRecord[];
  /** every global position before this one is settled (tested or skipped as a duplicate) */
  position: number;
  /** candidates tested before `position`, over all runs */
  tested: number;
  updatedAt: string;
}

export interface SessionState {
  format: typeof FORMAT;
  version: 2;
  targetId: string;
  /** the searches of this backup, the latest first (at most MAX_SEARCHES) */
  searches: SearchState[];
  updatedAt: string;
}

/** searches remembered per backup: enough for every variation a person tries, bounded all the same */
const MAX_SEARCHES = 32;

function sourceRecords(sources: readonly CandidateSource[]): SourceRecord[] {
  return sources.map((s) => ({ kind: s.kind, label: s.label, size: s.size, check: s.secret ? s.fingerprint.slice(0, 4) : s.fingerprint }));
}

/** <user cache>/sessions/<id>: $XDG_CACHE_HOME/irescue on Linux, ~/Library/Caches/irescue on macOS, %LOCALAPPDATA% on Windows. */
export function defaultSessionDir(targetId: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return join(userCacheDir(env, platform), 'sessions', targetId);
}

function searchKey(records: readonly SourceRecord[]): string {
  return createHash('sha256').update(JSON.stringify(records.map((r) => [r.kind, r.label, r.size, r.check]))).digest('hex').slice(0, 32);
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
  /** candidates tested by earlier runs of this search */
  tested: number;
  /** what to tell the user about the resume, if anything */
  note?: string;
  /** distinct candidates tested by earlier searches of this backup (they are skipped) */
  remembered: number;
}

/** What a session folder says about a search, read without taking it (a plan has no side effects). */
export function peekSession(dir: string, targetId: string, sources: readonly CandidateSource[], restart = false): Omit<OpenedSession, 'session'> & { state: SessionState; search: SearchState } {
  const records = sourceRecords(sources);
  const key = searchKey(records);
  const file = join(dir, SESSION_FILE);
  const now = new Date().toISOString();
  const search: SearchState = { key, sources: records, position: 0, tested: 0, updatedAt: now };
  const fresh: SessionState = { format: FORMAT, version: 2, targetId, searches: [search], updatedAt: now };
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw new UsageError(`${file}: ${describeFsError(e)}`);
  }
  if (text === undefined || restart) {
    return { state: fresh, search, from: 0, tested: 0, remembered: 0, note: text !== undefined ? 'saved progress discarded (--restart)' : undefined };
  }
  const saved = parseState(file, text);
  if (saved.targetId !== targetId) {
    throw new SessionMismatchError(`session ${dir} belongs to another backup or hash (target ${saved.targetId}, this one is ${targetId}): pick another --session folder, or add --restart to reuse it`, { dir });
  }
  const remembered = TestedRecord.count(dir);
  const others = saved.searches.filter((x) => x.key !== key);
  const mine = saved.searches.find((x) => x.key === key);
  const state: SessionState = { ...fresh, searches: [mine ?? search, ...others].slice(0, MAX_SEARCHES) };
  // a saved search whose sources all lead this one (sources added at the end): go on from there
  const prefix = mine ? undefined : saved.searches.find((x) => x.sources.length < records.length && x.sources.every((r, i) => searchKey([r]) === searchKey([records[i]])));
  if (prefix) {
    const position = Math.min(prefix.position, prefix.sources.reduce((n, x) => n + x.size, 0));
    state.searches[0] = { ...search, position, tested: prefix.tested };
    const note = `resuming at candidate position ${position.toLocaleString('en-US')}; ${records.length - prefix.sources.length} source(s) added after the saved ones`;
    return { state, search: state.searches[0], from: position, tested: prefix.tested, remembered, note };
  }
  if (!mine) {
    const note = saved.searches.length
      ? `a new search (other sources than the saved one${saved.searches.length > 1 ? 's' : ''}); ${remembered ? `${remembered.toLocaleString('en-US')} candidates tested by earlier searches are skipped` : 'nothing was tested before'}`
      : undefined;
    return { state, search, from: 0, tested: 0, remembered, note };
  }
  const total = mine.sources.reduce((n, x) => n + x.size, 0);
  const position = Math.min(mine.position, total);
  const note = position > 0 ? `resuming at candidate position ${position.toLocaleString('en-US')} (${mine.tested.toLocaleString('en-US')} already tested)` : undefined;
  const resumed = { ...mine, position };
  state.searches[0] = resumed;
  return { state, search: resumed, from: position, tested: mine.tested, remembered, note };
}

function parseState(file: string, text: string): SessionState {
  let saved: Record<string, unknown>;
  try {
    saved = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new CorruptInputError(file, 'is not a readable session file; delete it or add --restart');
  }
  if (saved.format === FORMAT && saved.version === 1 && Array.isArray(saved.sources) && Number.isSafeInteger(saved.position)) {
    // a session of the one-search format: it becomes the first search
    const sources = saved.sources as SourceRecord[];
    const one: SearchState = { key: searchKey(sources), sources, position: saved.position as number, tested: Number(saved.tested) || 0, updatedAt: String(saved.updatedAt) };
    return { format: FORMAT, version: 2, targetId: String(saved.targetId), searches: [one], updatedAt: one.updatedAt };
  }
  const searches = saved.searches as SearchState[] | undefined;
  if (saved.format !== FORMAT || saved.version !== 2 || !Array.isArray(searches) || !searches.every((x) => typeof x.key === 'string' && Array.isArray(x.sources) && Number.isSafeInteger(x.position))) {
    throw new CorruptInputError(file, 'is not an irescue recover session (or from a newer version); delete it or add --restart');
  }
  return saved as unknown as SessionState;
}

export class Session {
  private state: SessionState;
  private lastWrite = 0;

  private constructor(readonly dir: string, state: SessionState, readonly tested: TestedRecord, private readonly intervalMs = 2000) {
    this.state = state;
  }

  private get search(): SearchState {
    return this.state.searches[0];
  }

  get position(): number {
    return this.search.position;
  }

  static open(dir: string, targetId: string, sources: readonly CandidateSource[], opts: { restart?: boolean; intervalMs?: number } = {}): OpenedSession {
    const peek = peekSession(dir, targetId, sources, opts.restart);
    lock(dir);
    if (opts.restart) rmSync(join(dir, TESTED_FILE), { force: true });
    const record = TestedRecord.load(dir);
    const { state, search: _search, ...rest } = peek;
    return { ...rest, remembered: record.size, session: new Session(dir, state, record, opts.intervalMs) };
  }

  /** Lets another run use the folder (the checkpoint stays). */
  close(): void {
    rmSync(join(this.dir, LOCK_FILE), { force: true });
  }

  /** The password was found: this backup needs no more searching; nothing of it is kept. */
  finish(): void {
    this.tested.clear();
    rmSync(join(this.dir, SESSION_FILE), { force: true });
    this.lastWrite = Infinity; // no checkpoint after this
  }

  /** Record settled work; writes a checkpoint when the interval has passed. */
  commit(c: CommitInfo): void {
    this.search.position = c.position;
    this.search.tested += c.tested;
    if (Date.now() - this.lastWrite >= this.intervalMs) this.checkpoint();
  }

  /** Atomic write now (synchronous, so it is safe from a signal handler). */
  checkpoint(): void {
    if (this.lastWrite === Infinity) return;
    const now = new Date().toISOString();
    this.state.updatedAt = now;
    this.search.updatedAt = now;
    const file = join(this.dir, SESSION_FILE);
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      writeAtomicSync(file, JSON.stringify(this.state, null, 2) + '\n', { fsync: true });
      // the record after the position: killed in between, it lacks a few tested candidates (another
      // search tests them again); the other way round this search would count them as not tested
      this.tested.flush();
    } catch (e) {
      throw new UsageError(`session folder ${this.dir}: cannot save progress: ${describeFsError(e)} (pick another with --session DIR, or --no-session)`);
    }
    this.lastWrite = Date.now();
  }
}
