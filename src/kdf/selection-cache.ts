/**
 * The KDF path choice, measured once per machine instead of once per command: measuring every
 * path costs about 0.75 s, which every command that opens an encrypted backup paid before its one
 * key derivation. The choice is kept in the cache folder (cache-dir.ts) under a key of what decides
 * it: the CPU model, the addon build and the Node version. A different key, `irescue bench`, or a
 * cache file that does not read back as a choice for this key, means measuring again. The file
 * holds rates and a path name, nothing about any backup or password.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { userCacheDir } from '../cache-dir.js';
import type { PathRate } from './measure.js';
import { loadNativeAddon } from './native-addon.js';

export const SELECTION_CACHE_FILE = 'kdf-selection.json';
/** Bumped when the file's shape changes, so an old file is measured over rather than misread. */
const FORMAT = 1;

export interface SelectionKey {
  cpu: string;
  /** which addon build (its file's size and time, its paths), or 'none' */
  addon: string;
  node: string;
}

export interface Selection {
  path: string;
  reason: string;
  rates?: PathRate[];
  /** where the rates come from: `irescue bench` (full-length runs) or the start-up measurement */
  by?: 'irescue bench' | 'start-up measurement';
}

export interface SelectionCacheOptions {
  /** the cache folder (default: userCacheDir()) */
  dir?: string;
  /** default: currentSelectionKey() */
  key?: SelectionKey;
  /** measure even when the cache holds a choice for this key (`irescue bench`) */
  refresh?: boolean;
}

/** The addon's identity: the built file's size and modification time plus the paths it offers. */
function addonBuild(): string {
  const load = loadNativeAddon();
  if (!load.addon) return 'none';
  let file = '';
  try {
    const entry = createRequire(import.meta.url).resolve(load.from);
    const st = statSync(join(dirname(entry), 'build', 'Release', 'irescue_native.node'));
    file = `${st.size}:${Math.round(st.mtimeMs)}`;
  } catch {
    /* an installed package laid out differently: its path list still tells builds apart */
  }
  const paths = load.addon.paths().map((p) => `${p.name}${p.available ? '' : '!'}`).join(',');
  return createHash('sha256').update(`${load.from}|${file}|${paths}`).digest('hex').slice(0, 16);
}

export function currentSelectionKey(): SelectionKey {
  const list = cpus();
  return { cpu: `${list[0]?.model ?? 'unknown CPU'} (${arch()}, ${list.length} cores)`, addon: addonBuild(), node: process.version };
}

const sameKey = (a: SelectionKey, b: SelectionKey) => a.cpu === b.cpu && a.addon === b.addon && a.node === b.node;

function isRate(r: unknown): r is PathRate {
  const x = r as PathRate;
  return typeof x === 'object' && x !== null && typeof x.path === 'string' && typeof x.description === 'string' && Number.isFinite(x.lanes) && Number.isFinite(x.perCore) && x.perCore > 0 && (x.allCores === undefined || (Number.isFinite(x.allCores) && x.allCores > 0));
}

/** The cached choice for `key`, or undefined when the file is absent, damaged, old or for another key. */
function readCachedSelection(file: string, key: SelectionKey): Selection | undefined {
  let doc: { format?: unknown; key?: SelectionKey; choice?: Selection };
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null || doc.format !== FORMAT || typeof doc.key !== 'object' || doc.key === null || !sameKey(doc.key, key)) return undefined;
  const c = doc.choice;
  if (typeof c !== 'object' || c === null || typeof c.path !== 'string' || !c.path || typeof c.reason !== 'string') return undefined;
  if (c.rates !== undefined && !(Array.isArray(c.rates) && c.rates.every(isRate))) return undefined;
  return { path: c.path, reason: c.reason, rates: c.rates, ...(c.by === 'irescue bench' ? { by: c.by } : {}) };
}

/** Temp file and rename: a reader sees the old choice or the new one, never half of one. */
function writeCachedSelection(file: string, key: SelectionKey, choice: Selection): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ format: FORMAT, key, choice, measuredAt: new Date().toISOString() }, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    /* a read-only or full cache folder only costs the next command a measurement */
  }
}

/**
 * The choice for this machine: from the cache when it holds one for the current key, else
 * `measure()` once and keep the result. `fromCache` says which.
 */
export async function cachedSelection(measure: () => Promise<Selection>, opts: SelectionCacheOptions = {}): Promise<Selection & { fromCache: boolean }> {
  const file = join(opts.dir ?? userCacheDir(), SELECTION_CACHE_FILE);
  const key = opts.key ?? currentSelectionKey();
  if (!opts.refresh) {
    const hit = readCachedSelection(file, key);
    if (hit) return { ...hit, fromCache: true };
  }
  const choice = await measure();
  writeCachedSelection(file, key, choice);
  return { ...choice, fromCache: false };
}
