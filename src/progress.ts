/**
 * One progress event model for every long-running call. The library only emits events; the CLI
 * (cli/render-progress.ts) and the web UI (server-sent events) render them.
 */
export type ProgressUnit = 'files' | 'bytes' | 'candidates' | 'messages' | 'steps' | 'percent';

export interface ProgressEvent {
  phase: string;
  done: number;
  total?: number;
  unit: ProgressUnit;
  detail?: string;
}

export type OnProgress = (event: ProgressEvent) => void;

export interface ProgressStats {
  /** units per second, smoothed over a recent window */
  rate: number;
  /** seconds left, when total and a rate are known */
  etaSeconds?: number;
  elapsedSeconds: number;
}

/**
 * Rate and ETA from a stream of `done` counts. A sliding window (not the whole run) so a burst at
 * start-up (e.g. resumed work) does not distort the estimate for hours.
 */
export class RateMeter {
  private readonly samples: Array<{ t: number; done: number }> = [];
  private readonly start: number;

  constructor(private readonly windowMs = 10_000, private readonly now: () => number = () => performance.now()) {
    this.start = now();
  }

  update(done: number, total?: number): ProgressStats {
    const t = this.now();
    this.samples.push({ t, done });
    while (this.samples.length > 2 && t - this.samples[0].t > this.windowMs) this.samples.shift();
    const first = this.samples[0];
    const dt = (t - first.t) / 1000;
    const rate = dt > 0 ? (done - first.done) / dt : 0;
    const stats: ProgressStats = { rate, elapsedSeconds: (t - this.start) / 1000 };
    if (total !== undefined && rate > 0) stats.etaSeconds = Math.max(0, (total - done) / rate);
    return stats;
  }
}
