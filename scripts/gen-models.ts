/**
 * Validates or regenerates src/models/data.ts against a local AppleDB checkout.
 *
 *   node --import tsx scripts/gen-models.ts --check
 *       the committed file is in the generator's canonical layout (exit 1 if not)
 *   node --import tsx scripts/gen-models.ts PATH/TO/appledb [--write]
 *       compares every iPhone/iPad in AppleDB (deviceFiles/, osFiles/ deviceMap) with our rows:
 *       missing ProductTypes, board names, CPID/BDID, last major iOS. Prints the differences and
 *       exits 1 when there are any; with --write, fixes lastIos, adds missing devices (marked
 *       provisional, buttons derived by the ProductType rules) and rewrites the file.
 *
 * AppleDB (https://github.com/littlebyteorg/appledb) is MIT-licensed; pin the checkout you use
 * (git -C PATH rev-parse HEAD) in the commit message. Nothing from it is committed verbatim: only
 * the facts, in our layout. No network access: the checkout must already be on disk.
 */
import { readFile, readdir, writeFile, rename, stat } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODEL_ROWS } from '../src/models/data.js';
import { CURRENT_IOS_MAJOR, type ModelRow, type RecoveryFamily, type Biometrics } from '../src/models/models.js';
import { formatModelsModule } from './models-format.js';

const DATA_FILE = join(dirname(fileURLToPath(import.meta.url)), '../src/models/data.ts');

interface AppleDbDevice {
  id: string;
  name: string;
  soc?: string;
  boards: string[];
  cpid?: number;
  bdid?: number;
}

async function listJson(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listJson(p)));
    else if (e.name.endsWith('.json')) out.push(p);
  }
  return out;
}

const asArray = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);
const num = (v: unknown): number | undefined => (typeof v === 'string' && /^0x[0-9a-f]+$/i.test(v) ? parseInt(v, 16) : typeof v === 'number' ? v : undefined);

export async function readAppleDbDevices(root: string): Promise<Map<string, AppleDbDevice>> {
  const devices = new Map<string, AppleDbDevice>();
  const dirs = (await readdir(join(root, 'deviceFiles'))).filter((d) => /^iPhone$|^iPad/.test(d));
  for (const d of dirs) {
    for (const file of await listJson(join(root, 'deviceFiles', d))) {
      const j = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      for (const id of asArray(j.identifier ?? j.key)) {
        if (!/^(iPhone|iPad)\d+,\d+$/.test(id) || devices.has(id)) continue; // chip-split files (…-S8000) repeat the id
        devices.set(id, { id, name: String(j.name), soc: j.soc as string | undefined, boards: asArray(j.board).map((b) => b.toLowerCase()), cpid: num(j.cpid), bdid: num(j.bdid) });
      }
    }
  }
  return devices;
}

/** Highest released major iOS/iPadOS per identifier, from osFiles deviceMap (betas and RCs skipped). */
export async function readAppleDbLastMajor(root: string): Promise<Map<string, number>> {
  const last = new Map<string, number>();
  for (const os of ['iOS', 'iPadOS']) {
    for (const file of await listJson(join(root, 'osFiles', os))) {
      const j = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      const version = String(j.version ?? '');
      if (j.beta || j.rc || j.internal || /beta|rc|seed/i.test(version)) continue;
      const major = Number(version.split('.')[0]);
      if (!Number.isFinite(major) || major <= 0) continue;
      for (const id of asArray(j.deviceMap)) if ((last.get(id) ?? 0) < major) last.set(id, major);
    }
  }
  return last;
}

function derivedHardware(id: string): { biometrics?: Biometrics; homeButton?: boolean; recoveryFamily?: RecoveryFamily } {
  const m = /^(iPhone|iPad)(\d+),(\d+)$/.exec(id)!;
  const major = Number(m[2]);
  // Every new iPhone since the XS has Face ID; iPad buttons vary within a major number: fill in by hand.
  if (m[1] === 'iPhone' && major >= 11) return { biometrics: 'face-id', homeButton: false, recoveryFamily: 'face-id-or-8' };
  return {};
}

export function compare(rows: readonly ModelRow[], devices: Map<string, AppleDbDevice>, lastMajor: Map<string, number>): { problems: string[]; fixed: ModelRow[] } {
  const problems: string[] = [];
  const fixed = rows.map((r) => ({ ...r }));
  const ours = new Map(fixed.map((r) => [r.productType, r]));
  const newest = Math.max(CURRENT_IOS_MAJOR, ...lastMajor.values());
  for (const dev of devices.values()) {
    const r = ours.get(dev.id);
    if (!r) {
      problems.push(`${dev.id} (${dev.name}): missing from our table`);
      const row: ModelRow = { productType: dev.id, name: dev.name, kind: dev.id.startsWith('iPad') ? 'iPad' : 'iPhone', chip: dev.soc ?? '?', boards: (dev.boards.length ? dev.boards : ['?']).map((b) => [b, dev.cpid ?? 0, dev.bdid ?? null] as const), ...derivedHardware(dev.id), provisional: true };
      fixed.push(row);
      ours.set(dev.id, row);
      continue;
    }
    const ourBoards = r.boards.map((b) => b[0]);
    for (const b of dev.boards) if (!ourBoards.includes(b)) problems.push(`${dev.id}: AppleDB board ${b}, ours ${ourBoards.join('/')}`);
    if (dev.cpid !== undefined && !r.boards.some((b) => b[1] === dev.cpid)) problems.push(`${dev.id}: AppleDB CPID 0x${dev.cpid.toString(16)}`);
    if (dev.bdid !== undefined && !r.boards.some((b) => b[2] === dev.bdid)) problems.push(`${dev.id}: AppleDB BDID 0x${dev.bdid.toString(16)}`);
    const lm = lastMajor.get(dev.id);
    if (lm !== undefined) {
      const want = lm >= newest ? undefined : String(lm);
      if (want !== r.lastIos) {
        problems.push(`${dev.id}: last iOS ${r.lastIos ?? 'current'}, AppleDB ${want ?? 'current'}`);
        if (want === undefined) delete r.lastIos;
        else r.lastIos = want;
      }
    }
  }
  fixed.sort((a, b) => sortKey(a.productType).localeCompare(sortKey(b.productType)));
  return { problems, fixed };
}

/** iPhones before iPads, then numeric major/minor. */
function sortKey(id: string): string {
  const m = /^(iPhone|iPad)(\d+),(\d+)$/.exec(id);
  if (!m) return 'z' + id;
  return `${m[1] === 'iPhone' ? 'a' : 'b'}${m[2].padStart(3, '0')},${m[3].padStart(3, '0')}`;
}

async function main(argv: string[]): Promise<number> {
  const args = argv.slice(2);
  if (args[0] === '--check') {
    const committed = await readFile(DATA_FILE, 'utf8');
    if (committed === formatModelsModule(MODEL_ROWS)) {
      console.log(`${DATA_FILE}: canonical (${MODEL_ROWS.length} models)`);
      return 0;
    }
    console.error(`${DATA_FILE}: not in the generator's layout; rewrite it with this script`);
    return 1;
  }
  const root = args.find((a) => !a.startsWith('--'));
  if (!root) {
    console.error('usage: gen-models.ts --check | gen-models.ts PATH/TO/appledb [--write]');
    return 2;
  }
  if (!(await stat(join(root, 'deviceFiles')).catch(() => undefined))) {
    console.error(`${root}: not an AppleDB checkout (no deviceFiles/ folder)`);
    return 2;
  }
  const { problems, fixed } = compare(MODEL_ROWS, await readAppleDbDevices(root), await readAppleDbLastMajor(root));
  for (const p of problems) console.log(p);
  console.log(`${problems.length} difference(s) against ${root}`);
  if (args.includes('--write') && problems.length) {
    const tmp = DATA_FILE + '.tmp';
    await writeFile(tmp, formatModelsModule(fixed));
    await rename(tmp, DATA_FILE);
    console.log(`rewrote ${DATA_FILE}: check the provisional rows by hand`);
    return 0;
  }
  return problems.length ? 1 : 0;
}

if (process.argv[1] && /gen-models\.ts$/.test(process.argv[1])) {
  main(process.argv).then((c) => (process.exitCode = c));
}
