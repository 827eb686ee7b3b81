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
  /**
   * The worker's own measured speed in units per second (hashcat's): the rate shown is smoothed
   * from it instead of being derived from `done`.
   */
  rate?: number;
}

export type OnProgress = (event: ProgressEvent) => void;

export interface ProgressStats {
  /** units per second, smoothed over a recent window */
  rate: number;
  /** seconds left, when total and a rate are known */
  etaSeconds?: number;
  elapsedSeconds: number;
}

/** Below this much observed time a derived rate is noise (one batch, a burst of resumed work). */
const MIN_OBSERVED_S = 1;

/**
 * Rate and ETA from a stream of `done` counts: the one place the CLI and the wizard get them.
 * Exponentially weighted: progress and elapsed time are both summed with weights that halve
 * every `halfLifeMs`, and the rate is their ratio. So the figure follows a real change of speed
 * within a minute or so, but one slow (or instant) batch moves it only a little, and the ETA does
 * not jump each time a batch of 10,000,000-round guesses lands. A worker that measures its own
 * speed (hashcat) passes it, and that is smoothed the same way.
 */
export class RateMeter {
  private readonly start: number;
  private last?: { t: number; done: number };
  private work = 0;
  private time = 0;
  private measured?: number;

  constructor(private readonly halfLifeMs = 20_000, private readonly now: () => number = () => performance.now()) {
    this.start = now();
  }

  update(done: number, total?: number, measuredRate?: number): ProgressStats {
    const t = this.now();
    if (!this.last) this.last = { t, done }; // the first count is a baseline (a resumed position), not work
    const dt = (t - this.last.t) / 1000;
    const keep = Math.pow(0.5, (t - this.last.t) / this.halfLifeMs);
    this.work = this.work * keep + Math.max(0, done - this.last.done);
    this.time = this.time * keep + dt;
    if (measuredRate !== undefined && Number.isFinite(measuredRate) && measuredRate > 0) {
      this.measured = this.measured === undefined ? measuredRate : this.measured * keep + measuredRate * (1 - keep);
    }
    this.last = { t, done };
    const derived = this.time >= MIN_OBSERVED_S ? this.work / this.time : 0;
    const rate = this.measured ?? derived;
    const stats: ProgressStats = { rate, elapsedSeconds: (t - this.start) / 1000 };
    if (total !== undefined && rate > 0) stats.etaSeconds = Math.max(0, (total - done) / rate);
    return stats;
  }
}
