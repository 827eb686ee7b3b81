import type { DateZone } from '../format.js';

/**
 * Apple's Core Data / Cocoa epoch is 2001-01-01T00:00:00Z. sms.db stores seconds before iOS 11 and
 * nanoseconds from iOS 11 on, in the same columns; the magnitude tells them apart.
 */
export const APPLE_EPOCH_MS = Date.UTC(2001, 0, 1);

/** Values above this cannot be seconds (it would be past the year 5000), so they are nanoseconds. */
const NANOSECOND_THRESHOLD = 1e11;

/** A date from an Apple-epoch value in seconds or nanoseconds; undefined for 0/NULL/garbage. */
export function fromAppleTime(value: unknown): Date | undefined {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'bigint') n = Number(value);
  else if (typeof value === 'string' && value.trim() !== '') n = Number(value);
  else return undefined;
  if (!Number.isFinite(n) || n === 0) return undefined;
  const seconds = Math.abs(n) > NANOSECOND_THRESHOLD ? n / 1e9 : n;
  const d = new Date(APPLE_EPOCH_MS + seconds * 1000);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Unix seconds (call_history.db before iOS 8). */
export function fromUnixSeconds(value: unknown): Date | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n === 0) return undefined;
  const d = new Date(n * 1000);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** the one zone choice of every date we print (src/format.ts) */
export type TimeZoneMode = DateZone;

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));

/** "2024-03-05 14:07:09" in the machine's time zone (or UTC); hand-rolled because Intl is slow per row. */
export function formatLocal(d: Date | undefined, tz: TimeZoneMode = 'local'): string {
  if (!d) return '';
  if (tz === 'UTC') {
    return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  }
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

export function isoOrEmpty(d: Date | undefined): string {
  return d ? d.toISOString() : '';
}
