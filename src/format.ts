/**
 * How sizes and durations read for people, everywhere: the CLI, its progress line and the web
 * wizard (which imports this file into its bundle, so it stays free of Node APIs). Sizes are
 * decimal (1 KB = 1,000 bytes), as Finder and iOS Settings show them.
 */
export function formatBytes(n: number | undefined | null): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return '?';
  const u = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < u.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(i ? 1 : 0)} ${u[i]}`;
}

/** A rate for people: two decimals below 10 a second (0.56, never "0"), whole numbers above. */
export function formatRate(n: number): string {
  return n < 10 ? n.toFixed(2) : Math.round(n).toLocaleString('en-US');
}

/** "1 h 05 min", "42 s", "3 d 4 h", "more than 100 years" — for humans, not for scripts. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'forever';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  const days = s / 86400;
  if (days < 365) return `${Math.floor(days)} d ${Math.floor((s % 86400) / 3600)} h`;
  const years = days / 365.25;
  if (years > 100) return 'more than 100 years';
  return `${years.toFixed(1)} years`;
}

export type DateZone = 'local' | 'UTC';

// Intl formatters are slow to build and fast to reuse: one per zone, made on first use.
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
function cached(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = dateTimeFormats.get(key);
  if (!f) dateTimeFormats.set(key, (f = make()));
  return f;
}

const valid = (d: Date | undefined): d is Date => d instanceof Date && !Number.isNaN(d.getTime());

/**
 * The one date format people read, in the wizard and in the export report alike: "Feb 14, 2026,
 * 9:41 AM" in the reader's language, in this computer's time zone (or UTC when asked). Files for
 * programs (CSV, JSON) keep ISO dates instead.
 */
export function formatDateTime(d: Date | undefined, zone: DateZone = 'local'): string {
  if (!valid(d)) return '';
  return cached(`dt-${zone}`, () => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', ...(zone === 'UTC' ? { timeZone: 'UTC' } : {}) })).format(d);
}

/** The day alone, for a chat's day headings: "Saturday, February 14, 2026". */
export function formatDay(d: Date | undefined, zone: DateZone = 'local'): string {
  if (!valid(d)) return '';
  return cached(`day-${zone}`, () => new Intl.DateTimeFormat(undefined, { dateStyle: 'full', ...(zone === 'UTC' ? { timeZone: 'UTC' } : {}) })).format(d);
}

/** The time alone, under a chat bubble once its day is shown: "9:41 AM". */
export function formatTime(d: Date | undefined, zone: DateZone = 'local'): string {
  if (!valid(d)) return '';
  return cached(`time-${zone}`, () => new Intl.DateTimeFormat(undefined, { timeStyle: 'short', ...(zone === 'UTC' ? { timeZone: 'UTC' } : {}) })).format(d);
}

/** A key that changes exactly when formatDay's day does (for grouping without formatting each row). */
export function dayKey(d: Date, zone: DateZone = 'local'): string {
  return zone === 'UTC' ? `${d.getUTCFullYear()}-${d.getUTCMonth()}-${d.getUTCDate()}` : `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}
