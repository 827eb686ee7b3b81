/**
 * Password recovery in the wizard: the plan (candidates per source, measured rate, ETA), then the
 * search as a job with pause and resume. Pause stops the search (the session checkpoint keeps the
 * position); resume starts it again on the same session folder, which skips what was tested.
 * The found password stays in server memory: the page asks for it by POST, never in a URL.
 */
import { availableParallelism } from 'node:os';
import { openBackup } from '../../backup/open.js';
import { CancelledError, PasswordNotFoundError, SessionMismatchError, UsageError, throwIfAborted } from '../../errors.js';
import type { KdfEngine } from '../../kdf/engine.js';
import { selectEngine } from '../../kdf/select.js';
import { planSearch, runSearch } from '../../recover/plan.js';
import { threadsPerWorker } from '../../recover/pool.js';
import type { SearchSpec } from '../../recover/sources.js';
import { targetFromBackupFolder } from '../../recover/target.js';
import type { ProgressEvent } from '../../progress.js';
import type { RouteModule } from '../context.js';
import { HttpError, readJsonBody } from '../http.js';
import { backupPathOf } from './backups.js';

const MAX_LINES = 1000;

function lines(body: Record<string, unknown>, name: string): string[] {
  const v = body[name];
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new UsageError(`${name} must be a list of text lines`);
  const out = (v as string[]).filter((x) => x !== '');
  if (out.length > MAX_LINES) throw new UsageError(`${name}: at most ${MAX_LINES} lines`, { next: 'For long lists use `irescue recover --wordlist FILE` in a terminal.' });
  return out;
}

/** The page's choices -> the same SearchSpec the CLI flags give (same order, same stream). */
function specFromBody(body: Record<string, unknown>): SearchSpec {
  const pins = body.pins === undefined ? [] : body.pins;
  if (!Array.isArray(pins) || pins.some((p) => p !== 4 && p !== 6)) throw new UsageError('pins must be a list of 4 and/or 6');
  const mask = body.mask;
  if (mask !== undefined && typeof mask !== 'string') throw new UsageError('mask must be text');
  const hints = lines(body, 'hints').map((h) => h.trim()).filter(Boolean);
  const spec: SearchSpec = {
    tries: lines(body, 'tries'),
    hints,
    common: body.common === true,
    masks: mask?.trim() ? [mask.trim()] : [],
    pins: [...new Set(pins as Array<4 | 6>)],
  };
  if (!spec.tries!.length && !hints.length && !spec.common && !spec.masks!.length && !spec.pins!.length) {
    throw new UsageError('nothing to try yet', { next: 'Type a few guesses or hint words, or tick common passwords or PINs.' });
  }
  return spec;
}

/** A --session folder of another backup: say it in the page's words. */
function sessionMismatch(e: unknown): unknown {
  if (e instanceof SessionMismatchError) {
    return new UsageError('the saved progress for this backup belongs to another backup', { next: 'Tick “Start over” to forget it.' });
  }
  return e;
}

interface Found {
  password: string;
  backupId: string;
  dir: string;
}

export const recoverRoutes: RouteModule = {
  register(router, ctx) {
    const found = new Map<string, Found>();
    let engine: Promise<KdfEngine> | undefined;
    const getEngine = () => (engine ??= selectEngine({ threads: threadsPerWorker(availableParallelism()) }).catch((e) => { engine = undefined; throw e; }));

    const targetOf = async (id: string) => targetFromBackupFolder(await backupPathOf(ctx, id));

    const plan = async (id: string, body: Record<string, unknown>, measure: boolean) =>
      planSearch({
        target: await targetOf(id),
        spec: specFromBody(body),
        kdf: await getEngine(),
        cacheDir: ctx.options.cacheDir,
        restart: body.restart === true,
        measure,
      }).catch((e: unknown) => {
        throw sessionMismatch(e);
      });

    // the plan as the page shows it (engine names stay in engineDetail, behind "Details")
    router.post('/api/recover/:id/plan', async ({ req, params }) => plan(params.id, await readJsonBody(req), true));

    // what each search was asked, in server memory only: a stopped search can Continue
    const asked = new Map<string, { backupId: string; body: Record<string, unknown> }>();

    router.post('/api/recover/:id/start', async ({ req, params }) => startSearch(params.id, await readJsonBody(req)));

    router.post('/api/recover/job/:job/continue', async ({ params }) => {
      const a = asked.get(params.job);
      if (!a) throw new HttpError(404, 'USAGE', 'this search cannot be continued (the wizard was restarted)', 'Type the search again: what was tested is skipped.');
      return startSearch(a.backupId, { ...a.body, restart: false });
    });

    const startSearch = async (id: string, body: Record<string, unknown>) => {
      const params = { id };
      const p = await plan(params.id, body, false); // the plan was measured already; a resume starts at once
      const t = await targetOf(params.id);
      const control: { paused: boolean; inner?: AbortController; wake?: () => void } = { paused: false };
      const backupId = params.id;
      const job = ctx.jobs.start(
        {
          kind: 'recover',
          title: 'Search for the backup password',
          links: { backup: backupId },
          actions: {
            pause: () => {
              if (control.paused) return;
              control.paused = true;
              control.inner?.abort();
            },
            resume: () => {
              if (!control.paused) return;
              control.paused = false;
              control.wake?.();
            },
          },
        },
        async (onProgress, signal) => {
          let last: ProgressEvent | undefined;
          const report = (e: ProgressEvent) => {
            last = e;
            onProgress(e);
          };
          for (;;) {
            throwIfAborted(signal);
            const inner = new AbortController();
            control.inner = inner;
            if (control.paused) inner.abort();
            const stop = () => inner.abort();
            signal.addEventListener('abort', stop, { once: true });
            try {
              const r = await runSearch(p, { onProgress: report, signal: inner.signal });
              if (r.found && !r.verified) throw new PasswordNotFoundError(`${t.name}: a candidate passed the quick check but not the full one; the keybag may be damaged`);
              if (r.found) {
                found.set(job.id, { password: r.password!, backupId, dir: t.backupDir! });
                asked.delete(job.id); // found: nothing to continue, and the guesses are let go
              }
              return { kind: 'recover', found: r.found, tried: r.tried, skipped: r.skipped, total: r.plan.total, seconds: r.seconds, notes: r.notes, backup: backupId };
            } catch (e) {
              if (!(e instanceof CancelledError) || signal.aborted || !control.paused) {
                if (e instanceof CancelledError) throw new CancelledError('stopped: the progress is saved', { next: 'Press Continue to go on where it stopped.' });
                throw sessionMismatch(e);
              }
            } finally {
              signal.removeEventListener('abort', stop);
            }
            // Paused: the checkpoint is written; wait for resume (or cancel).
            if (last) onProgress({ ...last, phase: 'paused' });
            await new Promise<void>((resolve, reject) => {
              if (!control.paused) return resolve();
              const onAbort = () => reject(new CancelledError('stopped while paused: the progress is saved', { next: 'Press Continue to go on where it stopped.' }));
              control.wake = () => {
                signal.removeEventListener('abort', onAbort);
                resolve();
              };
              signal.addEventListener('abort', onAbort, { once: true });
            });
            if (last) onProgress({ ...last, phase: 'recover' });
          }
        },
      );
      asked.set(job.id, { backupId, body });
      if (asked.size > 20) asked.delete(asked.keys().next().value!);
      return { job };
    };

    const foundOf = (jobId: string): Found => {
      const f = found.get(jobId);
      if (!f) throw new HttpError(404, 'USAGE', 'no found password for this search (it found none, or the wizard was restarted)', 'Start the search again from the backup’s page.');
      return f;
    };

    // POST, so no cache or history keeps it; the page shows it and keeps it nowhere.
    router.post('/api/recover/found/:job', ({ params }) => ({ password: foundOf(params.job).password }));

    router.post('/api/recover/found/:job/unlock', async ({ params }) => {
      const f = foundOf(params.job);
      const backup = await openBackup(f.dir, { password: f.password, engine: await getEngine() });
      const s = ctx.sessions.add(f.backupId, backup);
      return { session: { id: s.id, backupId: s.backupId, info: s.backup.info } };
    });
  },
};
