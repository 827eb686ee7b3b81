/**
 * Runs idevicerestore for a checked plan, after the confirmation: progress events from its plain
 * output, the full log saved (temp file, renamed when done), failures decoded into advice.
 */
import { spawn } from 'node:child_process';
import { childEnv } from '../../child-env.js';
import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CancelledError } from '../../errors.js';
import type { OnProgress } from '../../progress.js';
import { decodeFailure, parseLine, cleanLine } from './output.js';
import { RestoreFailedError, RestorePreflightError } from './errors.js';
import { firstFailure, type RestorePlan } from './preflight.js';

export interface RunOptions {
  /** proof that confirmRestore() said yes; the run passes -y to idevicerestore */
  confirmation: 'typed' | 'yes-flag';
  /** folder for the full log (created if missing) */
  logDir: string;
  onProgress?: OnProgress;
  /** every line idevicerestore prints, cleaned (for a verbose view) */
  onLine?: (line: string) => void;
  signal?: AbortSignal;
  /** environment for idevicerestore (default: this process's) */
  env?: NodeJS.ProcessEnv;
  /** for tests */
  now?: () => Date;
}

export interface RestoreResult {
  ok: true;
  logPath: string;
  seconds: number;
}

const MAX_KEPT_LINES = 20_000;

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

export async function runRestore(plan: RestorePlan, o: RunOptions): Promise<RestoreResult> {
  const failed = firstFailure(plan);
  if (failed) throw new RestorePreflightError(failed.id, failed.message, failed.hints);
  if (!plan.toolPath) throw new RestorePreflightError('tool', 'idevicerestore was not found');
  if (o.confirmation !== 'typed' && o.confirmation !== 'yes-flag') throw new RestorePreflightError('confirm', 'restore not confirmed');
  if (o.signal?.aborted) throw new CancelledError('restore cancelled before it started; nothing was changed');

  const started = (o.now ?? (() => new Date()))();
  await mkdir(o.logDir, { recursive: true });
  const logPath = join(o.logDir, `restore-${stamp(started)}-${(plan.model?.productType ?? 'device').replace(',', '_')}.log`);
  const partPath = logPath + '.part';
  const log = createWriteStream(partPath, { mode: 0o600 });
  log.write(`# irescue restore ${started.toISOString()}\n# ${plan.toolPath} ${plan.args.join(' ')}\n# ${plan.version?.raw ?? ''}\n# model: ${plan.model ? `${plan.model.name} (${plan.model.productType})` : 'unknown'}; kind: ${plan.kind}\n`);

  const child = spawn(plan.toolPath, plan.args, { cwd: plan.cacheDir, env: childEnv(o.env ?? process.env), stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  const lines: string[] = [];
  let finished = false;
  let failedMarker = false;
  const onLine = (raw: string) => {
    log.write(raw + '\n');
    const text = cleanLine(raw);
    if (lines.length >= MAX_KEPT_LINES) lines.shift();
    lines.push(text);
    o.onLine?.(text);
    const ev = parseLine(raw);
    if (!ev) return;
    if (ev.kind === 'step') o.onProgress?.({ phase: ev.name, done: ev.percent, total: 100, unit: 'percent', detail: `overall ${ev.overall}%` });
    else if (ev.kind === 'transfer') o.onProgress?.({ phase: ev.name, done: ev.percent, total: 100, unit: 'percent' });
    else if (ev.kind === 'finished') finished = true;
    else if (ev.kind === 'failed-marker') failedMarker = true;
  };
  const outDone = new Promise<void>((r) => createInterface({ input: child.stdout! }).on('line', onLine).on('close', r));
  const errDone = new Promise<void>((r) => createInterface({ input: child.stderr! }).on('line', onLine).on('close', r));

  let aborted = false;
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    aborted = true;
    // idevicerestore stops cleanly on SIGINT; force it if it hangs.
    child.kill('SIGINT');
    killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    killTimer.unref();
  };
  o.signal?.addEventListener('abort', onAbort, { once: true });

  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  }).catch((e: Error) => {
    lines.push(`could not start ${plan.toolPath}: ${e.message}`);
    return -1;
  });
  await Promise.all([outDone, errDone]);
  o.signal?.removeEventListener('abort', onAbort);
  if (killTimer) clearTimeout(killTimer);
  const seconds = Math.round((Date.now() - started.getTime()) / 100) / 10;
  log.write(`# exit code ${exitCode}; ${seconds} s\n`);
  await new Promise<void>((r) => log.end(r));
  await rename(partPath, logPath);

  if (aborted) throw new CancelledError(`restore interrupted; the device may need another restore. Log: ${logPath}`, { logPath });
  if (exitCode === 0 && !failedMarker) {
    if (finished) o.onProgress?.({ phase: 'Restore finished', done: 100, total: 100, unit: 'percent' });
    return { ok: true, logPath, seconds };
  }
  const failure = decodeFailure(lines);
  const what = failure ? failure.title : `idevicerestore failed (exit code ${exitCode})`;
  throw new RestoreFailedError(`restore failed: ${what}. Full log: ${logPath}`, { failure, logPath, exitCode });
}
