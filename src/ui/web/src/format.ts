// one formatter for the CLI and the wizard (src/format.ts is bundled in)
export { formatBytes } from '../../../format.js';
import { formatDateTime, formatDuration as formatKnownDuration } from '../../../format.js';

/** The report uses the same formatter (src/format.ts), so a date reads the same in both. */
export function formatDate(iso: string | undefined): string {
  if (!iso) return 'unknown date';
  return formatDateTime(new Date(iso)) || 'unknown date';
}

/** '' while unknown (no ETA yet). */
export function formatDuration(seconds: number | undefined): string {
  return seconds === undefined || !Number.isFinite(seconds) ? '' : formatKnownDuration(seconds);
}

export function deviceLabel(b: { deviceName?: string; modelName?: string; productType?: string; productVersion?: string }): string {
  const model = b.modelName ?? b.productType;
  return [b.deviceName ?? 'Unnamed device', model && `(${model}${b.productVersion ? `, iOS ${b.productVersion}` : ''})`].filter(Boolean).join(' ');
}

export function plural(n: number, word: string): string {
  return `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;
}
