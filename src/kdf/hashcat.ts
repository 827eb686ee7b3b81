/**
 * `--engine hashcat`: our ordered candidates, streamed into a hashcat binary (GPU or CPU) on its
 * standard input, for iTunes backup modes 14700 (iOS < 10.2) and 14800 (iOS 10.2+). Hashcat's JSON
 * status lines become our progress events; the cracked password is read from an outfile in a
 * private temporary folder (0700) that is removed before we return. Passwords never go on argv.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { childEnv } from '../child-env.js';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CancelledError, CorruptInputError, throwIfAborted, InternalError } from '../errors.js';
import type { OnProgress } from '../progress.js';

export type HashcatMode = 14700 | 14800;

export interface HashcatInfo {
  binary: string;
  /** as hashcat prints it, e.g. "v6.2.6" */
  version: string;
}

export interface HashcatRunOptions {
  /** `$itunes_backup$*…` line (see `irescue hash`) */
  hashLine: string;
  /** default: 14800 for `*10*` lines, 14700 for `*9*` */
  mode?: HashcatMode;
  candidates: AsyncIterable<string> | Iterable<string>;
  onProgress?: OnProgress;
  signal?: AbortSignal;
  /** default: IRESCUE_HASHCAT or `hashcat` on PATH */
  binary?: string;
  /** more hashcat options, e.g. ['-w', '3'] or ['-D', '1'] */
  extraArgs?: string[];
  /** called with hashcat's process id once it runs (the bench samples its CPU time) */
  onSpawn?: (pid: number) => void;
  /** each status line: hashcat's processed count, its speed over all devices, their names */
  onStatus?: (s: { progress: number; speed: number; devices: string[] }) => void;
  /**
   * Called with N when the first N candidates written to hashcat (those hashcatCanTake accepts, in
   * order) are known to be tested and wrong: all of them once hashcat has exhausted its input;
   * during a run its processed count, but only with one device (several finish their batches
   * out of order) and nothing rejected (a rejected word counts as processed, untested).
   */
  onConfirmed?: (n: number) => void;
}

export interface HashcatResult {
  found: boolean;
  password?: string;
  /** candidates hashcat reports as processed (all written ones when the search is exhausted) */
  tried: number;
  /** candidates we could not send (a line break, or longer than hashcat takes) */
  skipped: number;
  /** hashcat's last reported speed, guesses per second over all its devices */
  speed?: number;
  devices?: string[];
}

interface HashcatStatus {
  status: number;
  progress: [number, number];
  rejected?: number;
  devices?: Array<{ device_name?: string; speed?: number }>;
}

/** All devices' speed together, and their names, from one status line. */
function summary(s: HashcatStatus | undefined): { speed: number; devices: string[] } {
  return { speed: s?.devices?.reduce((a, d) => a + (d.speed ?? 0), 0) ?? 0, devices: s?.devices?.map((d) => d.device_name ?? '?') ?? [] };
}

const SCRATCH_PREFIX = 'irescue-hashcat-';
/** hashcat's longest password (PW_MAX, bytes): its stdin reader drops longer lines without counting them */
const MAX_BYTES = 256;

/** Whether a candidate can go through hashcat's stdin: one line of at most 256 bytes. */
export function hashcatCanTake(candidate: string): boolean {
  return !/[\r\n]/.test(candidate) && (candidate.length * 3 <= MAX_BYTES || Buffer.byteLength(candidate, 'utf8') <= MAX_BYTES);
}

/** Scratch folders left by runs that died (SIGKILL, a second Ctrl-C): their process is gone. */
function sweepStaleScratch(dir = tmpdir()): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    const m = new RegExp(`^${SCRATCH_PREFIX}(\\d+)-`).exec(n);
    if (!m || Number(m[1]) === process.pid) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch (e) {
      if ((e as { code?: string }).code === 'ESRCH') rmSync(join(dir, n), { recursive: true, force: true });
    }
  }
}

function defaultHashcatBinary(): string {
  return process.env.IRESCUE_HASHCAT || 'hashcat';
}

/** The installed hashcat, or undefined when there is none (or it does not run). */
export function detectHashcat(binary = defaultHashcatBinary()): Promise<HashcatInfo | undefined> {
  return new Promise((resolve) => {
    execFile(binary, ['--version'], { timeout: 15_000, env: childEnv() }, (err, stdout) => {
      const version = String(stdout ?? '').trim().split('\n')[0];
      resolve(err || !version ? undefined : { binary, version });
    });
  });
}

/** The hashcat mode of an iTunes backup hash line. */
export function hashcatModeOf(hashLine: string): HashcatMode {
  const m = /^\$itunes_backup\$\*(9|10)\*/.exec(hashLine.trim());
  if (!m) throw new CorruptInputError('hash line', 'not an $itunes_backup$*9* or *10* line');
  return m[1] === '10' ? 14800 : 14700;
}

/** hashcat writes passwords with unusual bytes as $HEX[...] */
export function decodeHashcatPlain(line: string): string {
  const m = /^\$HEX\[([0-9a-fA-F]*)\]$/.exec(line);
  return m ? Buffer.from(m[1], 'hex').toString('utf8') : line;
}

/** Parses one stdout line; undefined when it is not a JSON status line. */
export function parseHashcatStatus(line: string): HashcatStatus | undefined {
  const t = line.trim();
  if (!t.startsWith('{')) return undefined;
  try {
    const s = JSON.parse(t) as HashcatStatus;
    return Array.isArray(s.progress) && typeof s.status === 'number' ? s : undefined;
  } catch {
    return undefined;
  }
}

export async function runHashcat(opts: HashcatRunOptions): Promise<HashcatResult> {
  throwIfAborted(opts.signal);
  const hashLine = opts.hashLine.trim();
  const mode = opts.mode ?? hashcatModeOf(hashLine);
  sweepStaleScratch();
  const dir = await mkdtemp(join(tmpdir(), `${SCRATCH_PREFIX}${process.pid}-`));
  // a second Ctrl-C exits at once, past every finally: the folder still goes
  const onExit = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', onExit);
  try {
    const hashFile = join(dir, 'hash.txt');
    await writeFile(hashFile, hashLine + '\n', { mode: 0o600 });
    const args = [
      '-m', String(mode), '-a', '0',
      '--potfile-disable', '--restore-disable', '--logfile-disable',
      '--session', `irescue-${process.pid}-${randomBytes(4).toString('hex')}`,
      '--status', '--status-json', '--status-timer', '1',
      ...(opts.extraArgs ?? []),
      hashFile,
    ];
    return await drive(opts, args, dir);
  } finally {
    process.off('exit', onExit);
    await rm(dir, { recursive: true, force: true });
  }
}

// The cracked result is read from hashcat's stdout ("hashline:plain"), never from an outfile:
// a password must not touch the disk, even in a private temp folder.
async function drive(opts: HashcatRunOptions, args: string[], cwd: string): Promise<HashcatResult> {
  const binary = opts.binary ?? defaultHashcatBinary();
  // candidates go over stdin only: no secret in argv, and no IRESCUE_PASSWORD in its environment
  const child = spawn(binary, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'], env: childEnv() });
  if (child.pid !== undefined) opts.onSpawn?.(child.pid);
  const killOnExit = () => child.kill('SIGTERM'); // a second Ctrl-C exits at once: hashcat goes too
  process.once('exit', killOnExit);
  let exited = false;
  const exit = new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.on('error', (error) => {
      exited = true;
      resolve({ code: null, error });
    });
    child.on('close', (code) => {
      exited = true;
      resolve({ code });
    });
  });
  child.stdin.on('error', () => {}); // EPIPE once hashcat has found it and quit

  let last: HashcatStatus | undefined;
  let written = 0;
  let skipped = 0;
  let stdoutTail = '';
  let stderrTail = '';
  let pending = '';
  let cracked: string | undefined;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('$itunes_backup$') && line.includes(':')) {
        cracked ??= line.replace(/\r$/, '').slice(line.indexOf(':') + 1); // hash lines hold no ':'
        continue;
      }
      const s = parseHashcatStatus(line);
      if (!s) {
        if (line.trim()) stdoutTail = line.trim();
        continue;
      }
      last = s;
      const { speed, devices } = summary(s);
      opts.onStatus?.({ progress: s.progress[0], speed, devices });
      if (s.devices?.length === 1 && !s.rejected) opts.onConfirmed?.(Math.min(s.progress[0], written));
      opts.onProgress?.({ phase: 'hashcat', done: s.progress[0], unit: 'candidates', ...(speed > 0 ? { rate: speed } : {}) });
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = chunk.split('\n').map((l) => l.trim()).filter(Boolean);
    if (lines.length) stderrTail = lines[lines.length - 1];
  });

  const onAbort = () => child.kill('SIGTERM');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const candidate of opts.candidates) {
      if (exited || opts.signal?.aborted) break;
      if (!hashcatCanTake(candidate)) {
        skipped++;
        continue;
      }
      written++;
      // `once` rejects on the EPIPE that follows hashcat's exit; the exit itself is handled below
      if (!child.stdin.write(candidate + '\n')) await Promise.race([once(child.stdin, 'drain').catch(() => undefined), exit]);
    }
    child.stdin.end();
    const { code, error } = await exit;
    if (opts.signal?.aborted) throw new CancelledError('hashcat run interrupted');
    if (error) throw new InternalError(`could not run ${binary}: ${error.message}`, { binary });
    // as before: no status line seen leaves both undefined in the result
    const { speed, devices } = last?.devices ? summary(last) : { speed: undefined, devices: undefined };
    if (code === 0) {
      if (cracked === undefined && pending.startsWith('$itunes_backup$') && pending.includes(':')) cracked = pending.replace(/\r$/, '').slice(pending.indexOf(':') + 1);
      if (cracked === undefined) throw new InternalError('hashcat reported a crack but printed no result');
      return { found: true, password: decodeHashcatPlain(cracked), tried: last?.progress[0] ?? written, skipped, speed, devices };
    }
    if (code === 1) {
      if (!last?.rejected) opts.onConfirmed?.(written);
      return { found: false, tried: Math.max(last?.progress[0] ?? 0, written), skipped, speed, devices };
    }
    const why = stderrTail || stdoutTail || 'no message';
    if (/token|separator|line-length|no hashes loaded/i.test(why)) throw new CorruptInputError('hash line', `hashcat rejected it: ${why}`);
    throw new InternalError(`hashcat failed (exit ${code}): ${why}`, { exitCode: code });
  } finally {
    process.off('exit', killOnExit);
    opts.signal?.removeEventListener('abort', onAbort);
    if (!exited) {
      child.kill('SIGTERM');
      await exit;
    }
  }
}
