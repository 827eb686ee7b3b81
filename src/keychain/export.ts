/**
 * Writes a keychain report into the chosen folder: the password manager's CSV and a JSON report of
 * every item (table, class, accessibility, attributes, ISO 8601 dates; binary values as base64).
 * Both files are created 0600 under a temporary name and renamed when complete; nothing is
 * written outside the folder (OutputDir). The summary it returns holds counts, never a secret.
 */
import { OutputDir } from '../export/output.js';
import { buildCsv, type CsvFormat } from './csv.js';
import type { DerValue } from './der.js';
import type { KeychainItem, KeychainTable } from './items.js';
import { LOCKED_REASON, type KeychainReport } from './read.js';

export type KeychainFormat = CsvFormat | 'json';

export interface KeychainSummary {
  websites: number;
  wifi: number;
  apps: number;
  certificates: number;
  keys: number;
  /** ThisDeviceOnly items: present, not decryptable from any backup */
  locked: { total: number; byKind: Partial<Record<LockedKind, number>>; reason: string };
  damaged: number;
}

export type LockedKind = 'website passwords' | 'app passwords and Wi-Fi networks' | 'certificates' | 'keys';

const LOCKED_KIND: Record<KeychainTable, LockedKind> = {
  inet: 'website passwords',
  genp: 'app passwords and Wi-Fi networks',
  cert: 'certificates',
  keys: 'keys',
};

export function summarizeKeychain(r: KeychainReport): KeychainSummary {
  const count = (k: KeychainItem['kind']) => r.items.filter((i) => i.kind === k).length;
  const byKind: Partial<Record<LockedKind, number>> = {};
  for (const l of r.locked) byKind[LOCKED_KIND[l.table]] = (byKind[LOCKED_KIND[l.table]] ?? 0) + 1;
  return {
    websites: count('website'),
    wifi: count('wifi'),
    apps: count('app'),
    certificates: count('certificate'),
    keys: count('key'),
    locked: { total: r.locked.length, byKind, reason: LOCKED_REASON },
    damaged: r.damaged.length,
  };
}

function jsonValue(v: DerValue | undefined): unknown {
  if (v === undefined) return undefined;
  if (Buffer.isBuffer(v)) return { base64: v.toString('base64') };
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (Array.isArray(v)) return v.map(jsonValue);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonValue(x)]));
  return v;
}

/** The JSON report of every item, as a plain value (what `--json` and keychain.json hold). */
function keychainJson(r: KeychainReport, source: { backup: string; deviceName?: string; backupDate?: Date }): unknown {
  return {
    backup: source.backup,
    deviceName: source.deviceName,
    backupDate: source.backupDate?.toISOString(),
    summary: summarizeKeychain(r),
    items: r.items.map((i) => ({
      table: i.table,
      rowid: i.rowid,
      kind: i.kind,
      protectionClass: i.protectionClass,
      accessibility: i.accessibility,
      decryptable: true,
      title: i.title,
      url: i.url,
      username: i.username,
      password: i.password,
      secretBase64: i.password === undefined && i.secret.length ? i.secret.toString('base64') : undefined,
      accessGroup: i.accessGroup,
      created: i.created?.toISOString(),
      modified: i.modified?.toISOString(),
      synced: i.synced,
      attributes: jsonValue(i.attributes as DerValue),
    })),
    locked: r.locked.map((l) => ({ ...l, decryptable: false, reason: LOCKED_REASON })),
    damaged: r.damaged,
  };
}

export interface KeychainExportResult {
  files: string[];
  summary: KeychainSummary;
  csvRows: number;
  /** CSV cells starting with = + - @ (a spreadsheet would run them; they are kept exact) */
  formulaCells: number;
}

const KEYCHAIN_JSON = 'keychain.json';
const csvFileName = (f: CsvFormat) => `keychain-${f}.csv`;

export async function exportKeychain(r: KeychainReport, opts: { out: string; format: KeychainFormat; backup: string; deviceName?: string; backupDate?: Date }): Promise<KeychainExportResult> {
  const out = await OutputDir.open(opts.out);
  const files: string[] = [];
  let csvRows = 0;
  let formulaCells = 0;
  if (opts.format !== 'json') {
    const csv = buildCsv(r.items, opts.format);
    await out.writeFile(csvFileName(opts.format), csv.text, undefined, 0o600);
    files.push(out.resolve(csvFileName(opts.format)));
    csvRows = csv.rows;
    formulaCells = csv.formulaCells;
  }
  const json = JSON.stringify(keychainJson(r, opts), null, 2) + '\n';
  await out.writeFile(KEYCHAIN_JSON, json, undefined, 0o600);
  files.push(out.resolve(KEYCHAIN_JSON));
  return { files, summary: summarizeKeychain(r), csvRows, formulaCells };
}
