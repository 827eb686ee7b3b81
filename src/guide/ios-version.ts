/**
 * iOS version strings ("17", "17.5", "15.8.3") parsed and compared. Pure; the knowledge base's
 * conditions are written as version strings and compared with what the user told us.
 */
import { UsageError } from '../errors.js';

export type IosVersion = readonly [major: number, minor: number, patch: number];

export function parseIosVersion(text: string): IosVersion {
  const m = /^\s*(?:i(?:pad)?os\s*)?(\d{1,2})(?:\.(\d{1,2}))?(?:\.(\d{1,2}))?\s*$/i.exec(text);
  if (!m) throw new UsageError(`--ios ${JSON.stringify(text)}: not an iOS version (examples: 17, 17.5, 15.8.3)`);
  const v = [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] as const;
  if (v[0] < 1 || v[0] > 40) throw new UsageError(`--ios ${text}: no such iOS version`);
  return v;
}

export function compareIos(a: IosVersion, b: IosVersion): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

export function formatIos(v: IosVersion): string {
  return v[2] ? `${v[0]}.${v[1]}.${v[2]}` : `${v[0]}.${v[1]}`;
}
