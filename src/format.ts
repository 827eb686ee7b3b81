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
