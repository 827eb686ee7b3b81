/**
 * The job registry: any long task (extract, decrypted copy, password recovery, export, restore)
 * is a function (onProgress, signal) => JSON result. Jobs live in the server, not the page: a
 * reloaded page reattaches by id and gets the latest state, then live events.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { RateMeter, type OnProgress, type ProgressEvent } from '../progress.js';
import { describeError, type ErrorBody } from './http.js';

export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

/** Every action a job may offer besides cancel; a name outside this list is refused before any lookup. */
const JOB_ACTIONS = ['pause', 'resume'] as const;
export type JobAction = (typeof JOB_ACTIONS)[number];

export function isJobAction(name: string): name is JobAction {
  return (JOB_ACTIONS as readonly string[]).includes(name);
}

/** Job ids are 9 random bytes in base64url: anything else is refused before any lookup. */
export function isJobId(id: string): boolean {
  return /^[A-Za-z0-9_-]{12}$/.test(id);
}

export interface JobProgress extends ProgressEvent {
  rate?: number;
  etaSeconds?: number;
  elapsedSeconds?: number;
}

export interface JobSnapshot {
  id: string;
  kind: string;
  title: string;
  state: JobState;
  startedAt: string;
  endedAt?: string;
  progress?: JobProgress;
  result?: unknown;
  error?: ErrorBody;
  /** extra controls this job offers besides cancel (e.g. pause, resume for recovery) */
  actions: string[];
  /** where the page links back to, e.g. the opened backup */
  links?: Record<string, string>;
}

export type JobFn<T> = (onProgress: OnProgress, signal: AbortSignal) => Promise<T>;

export interface StartOptions {
  kind: string;
  title: string;
  actions?: Partial<Record<JobAction, () => void>>;
  links?: Record<string, string>;
}

export type JobEvent = { type: 'progress'; progress: JobProgress } | { type: 'end'; job: JobSnapshot } | { type: 'update'; job: JobSnapshot };

interface Job {
  snap: JobSnapshot;
  controller: AbortController;
  meter: RateMeter;
  actions: Partial<Record<JobAction, () => void>>;
  emitter: EventEmitter;
  lastSent: number;
  pending?: NodeJS.Timeout;
  promise: Promise<void>;
}

export class JobRegistry {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly opts: { keepFinished?: number; progressIntervalMs?: number } = {}) {}

  start<T>(options: StartOptions, fn: JobFn<T>): JobSnapshot {
    const id = randomBytes(9).toString('base64url');
    const job: Job = {
      snap: { id, kind: options.kind, title: options.title, state: 'running', startedAt: new Date().toISOString(), actions: Object.keys(options.actions ?? {}), links: options.links },
      controller: new AbortController(),
      meter: new RateMeter(),
      actions: options.actions ?? {},
      emitter: new EventEmitter(),
      lastSent: 0,
      promise: Promise.resolve(),
    };
    job.emitter.setMaxListeners(0);
    this.jobs.set(id, job);
    const onProgress: OnProgress = (e) => this.progress(job, e);
    job.promise = (async () => {
      try {
        const result = await fn(onProgress, job.controller.signal);
        this.finish(job, 'done', { result });
      } catch (e) {
        const { body } = describeError(e);
        this.finish(job, body.code === 'CANCELLED' || job.controller.signal.aborted ? 'cancelled' : 'failed', { error: body });
      }
    })();
    this.prune();
    return { ...job.snap };
  }

  get(id: string): JobSnapshot | undefined {
    const j = this.jobs.get(id);
    return j ? { ...j.snap } : undefined;
  }

  list(): JobSnapshot[] {
    return [...this.jobs.values()].map((j) => ({ ...j.snap })).reverse();
  }

  /** Listen to one job's events; returns the unsubscribe function. */
  subscribe(id: string, listener: (e: JobEvent) => void): () => void {
    const j = this.jobs.get(id);
    if (!j) return () => {};
    j.emitter.on('event', listener);
    return () => j.emitter.off('event', listener);
  }

  cancel(id: string): boolean {
    const j = this.jobs.get(id);
    if (!j || j.snap.state !== 'running') return false;
    j.controller.abort();
    return true;
  }

  action(id: string, name: string): boolean {
    const j = this.jobs.get(id);
    // Own names from the allow-list only: `valueOf` or `__proto__` must never reach a prototype.
    const fn = j && isJobAction(name) && Object.hasOwn(j.actions, name) ? j.actions[name] : undefined;
    if (!j || !fn || j.snap.state !== 'running') return false;
    fn();
    j.emitter.emit('event', { type: 'update', job: { ...j.snap } } satisfies JobEvent);
    return true;
  }

  /** Resolves when the job has ended (tests, shutdown). */
  async settled(id: string): Promise<JobSnapshot | undefined> {
    await this.jobs.get(id)?.promise;
    return this.get(id);
  }

  /** Cancels every running job and waits for each to stop (server shutdown). */
  async cancelAll(): Promise<void> {
    for (const j of this.jobs.values()) if (j.snap.state === 'running') j.controller.abort();
    await Promise.all([...this.jobs.values()].map((j) => j.promise));
  }

  private progress(job: Job, e: ProgressEvent): void {
    if (job.snap.state !== 'running') return;
    const stats = job.meter.update(e.done, e.total, e.rate);
    job.snap.progress = { ...e, rate: stats.rate, etaSeconds: stats.etaSeconds, elapsedSeconds: stats.elapsedSeconds };
    // Throttled: a page needs a few updates a second, not one per file.
    const interval = this.opts.progressIntervalMs ?? 150;
    const now = Date.now();
    if (now - job.lastSent >= interval) this.flush(job);
    else if (!job.pending) job.pending = setTimeout(() => this.flush(job), interval - (now - job.lastSent));
  }

  private flush(job: Job): void {
    if (job.pending) clearTimeout(job.pending);
    job.pending = undefined;
    job.lastSent = Date.now();
    if (job.snap.progress) job.emitter.emit('event', { type: 'progress', progress: job.snap.progress } satisfies JobEvent);
  }

  private finish(job: Job, state: JobState, extra: Pick<JobSnapshot, 'result' | 'error'>): void {
    if (job.pending) this.flush(job);
    Object.assign(job.snap, { state, endedAt: new Date().toISOString(), ...extra });
    job.emitter.emit('event', { type: 'end', job: { ...job.snap } } satisfies JobEvent);
  }

  private prune(): void {
    const keep = this.opts.keepFinished ?? 50;
    const finished = [...this.jobs.values()].filter((j) => j.snap.state !== 'running');
    for (const j of finished.slice(0, Math.max(0, finished.length - keep))) this.jobs.delete(j.snap.id);
  }
}
