/**
 * Renders ProgressEvents on stderr: a throttled single line on a TTY, a line every few seconds
 * otherwise, JSON lines with --json. One renderer for every command.
 */
import { RateMeter, type OnProgress, type ProgressEvent } from '../progress.js';
import { formatBytes, formatDuration, formatRate } from '../format.js';
import { encodeJson } from './json.js';
import { printable } from './printable.js';

export interface RenderOptions {
  json?: boolean;
  stream?: NodeJS.WriteStream;
  quiet?: boolean;
}

const UNIT_LABEL: Record<string, string> = { files: 'files', bytes: 'B', candidates: 'passwords', messages: 'messages', steps: 'steps', percent: '%' };

function formatCount(n: number, unit: string): string {
  return unit === 'bytes' ? formatBytes(n) : n.toLocaleString('en-US');
}

export function createProgressRenderer(opts: RenderOptions = {}): OnProgress & { done(): void } {
  const stream = opts.stream ?? process.stderr;
  const tty = stream.isTTY === true && !opts.json;
  const meters = new Map<string, RateMeter>();
  let lastDraw = 0;
  let drawn = false;
  const fn = ((e: ProgressEvent) => {
    if (opts.quiet) return;
    let meter = meters.get(e.phase);
    if (!meter) meters.set(e.phase, (meter = new RateMeter()));
    const stats = meter.update(e.done, e.total, e.rate);
    const now = Date.now();
    const final = e.total !== undefined && e.done >= e.total;
    if (opts.json) {
      if (now - lastDraw < 1000 && !final) return;
      lastDraw = now;
      stream.write(encodeJson({ progress: { ...e, rate: Math.round(stats.rate * 100) / 100, etaSeconds: stats.etaSeconds } }, 0) + '\n');
      return;
    }
    if (now - lastDraw < (tty ? 100 : 5000) && !final) return;
    lastDraw = now;
    const label = UNIT_LABEL[e.unit] ?? e.unit;
    const count = e.total !== undefined ? `${formatCount(e.done, e.unit)}/${formatCount(e.total, e.unit)}` : formatCount(e.done, e.unit);
    const pct = e.total ? ` ${((100 * e.done) / e.total).toFixed(1)}%` : '';
    const rate = stats.rate > 0 ? ` ${e.unit === 'bytes' ? formatBytes(Math.round(stats.rate)) : formatRate(stats.rate)}${e.unit === 'bytes' ? '' : ' ' + label}/s` : '';
    const eta = stats.etaSeconds !== undefined ? ` ETA ${formatDuration(stats.etaSeconds)}` : '';
    const line = `${e.phase}: ${count}${e.unit === 'bytes' ? '' : ' ' + label}${pct}${rate}${eta}${e.detail ? ' ' + printable(e.detail) : ''}`;
    if (tty) {
      stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 120) - 1)}`);
      drawn = true;
    } else {
      stream.write(line + '\n');
    }
  }) as OnProgress & { done(): void };
  fn.done = () => {
    // The live line is cleared, not left behind: the summary that follows says what happened.
    if (drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  return fn;
}
