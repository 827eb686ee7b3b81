/**
 * Model table: ProductType -> marketing name and the hardware facts the assistant needs (chip and
 * board IDs for Recovery/DFU identification, Face ID / Touch ID / Home button, the Recovery-mode
 * button family, the last iOS it gets). The rows live in data.ts (generated, attributed);
 * this module indexes and queries them. It sits below every domain (backup, device, guide, ui all
 * name devices), so it imports nothing of theirs.
 */
import { MODEL_ROWS } from './data.js';
import type { DeviceModel, ModelRow } from './types.js';

export type { BoardConfig, Biometrics, DeviceKind, DeviceModel, ModelRow, RecoveryFamily } from './types.js';

/**
 * The newest major iOS in the table's data (AppleDB lists iOS 27.0 for iPhone 11 and later);
 * devices without lastIos are still supported and get it.
 */
export const CURRENT_IOS_MAJOR = 27;

const MODELS: readonly DeviceModel[] = MODEL_ROWS.map(toModel);

function toModel(r: ModelRow): DeviceModel {
  const boards = r.boards.map(([board, cpid, bdid]) => ({ board, cpid, bdid }));
  const m: DeviceModel = { productType: r.productType, name: r.name, kind: r.kind, chip: r.chip, boards };
  if (r.variant !== undefined) m.variant = r.variant;
  m.cpid = boards[0]?.cpid;
  m.bdid = [...new Set(boards.map((b) => b.bdid).filter((b): b is number => b !== null))];
  if (r.biometrics !== undefined) m.biometrics = r.biometrics;
  if (r.homeButton !== undefined) m.homeButton = r.homeButton;
  if (r.recoveryFamily !== undefined) m.recoveryFamily = r.recoveryFamily;
  if (r.lastIos !== undefined) m.lastIos = r.lastIos;
  if (r.minLibirecovery !== undefined) m.minLibirecovery = r.minLibirecovery;
  if (r.provisional) m.provisional = true;
  return Object.freeze(m);
}

/** Lower case, no spaces or punctuation: "iPhone SE (2nd generation)" -> "iphonese2ndgeneration". */
function squash(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Names people type that are not the marketing name. Values are ProductTypes. */
const ALIASES: Record<string, string> = {
  iphone2g: 'iPhone1,1',
  iphonese: 'iPhone8,4',
  iphonese1: 'iPhone8,4',
  iphonese2: 'iPhone12,8',
  iphonese2020: 'iPhone12,8',
  iphonese3: 'iPhone14,6',
  iphonese2022: 'iPhone14,6',
  iphone10: 'iPhone10,3',
  iphonexs: 'iPhone11,2',
  iphone1: 'iPhone1,1',
};

const byProductType = new Map(MODELS.map((m) => [m.productType.toLowerCase(), m]));
const byName = new Map<string, DeviceModel>();
for (const m of MODELS) {
  // First ProductType wins for a shared name (e.g. "iPhone 7": iPhone9,1 before iPhone9,3).
  for (const key of [squash(m.name), squash(m.name.replace(/\s*\((1st|2nd|3rd|\d+th) generation\)/, ' $1'))]) {
    if (!byName.has(key)) byName.set(key, m);
  }
  if (m.variant && !byName.has(squash(`${m.name} ${m.variant}`))) byName.set(squash(`${m.name} ${m.variant}`), m);
}
for (const [alias, pt] of Object.entries(ALIASES)) if (!byName.has(alias)) byName.set(alias, byProductType.get(pt.toLowerCase())!);

/** All models, in table order (iPhones by ProductType, then iPads). */
export function allModels(): readonly DeviceModel[] {
  return MODELS;
}

/** By ProductType ("iPhone14,5") or marketing name ("iPhone 13", "iphone se 2"), case-insensitive. */
export function findModel(productTypeOrName: string): DeviceModel | undefined {
  const q = productTypeOrName.trim();
  return byProductType.get(q.toLowerCase()) ?? byName.get(squash(q));
}

export function modelName(productType: string | undefined): string | undefined {
  if (!productType) return undefined;
  return byProductType.get(productType.trim().toLowerCase())?.name;
}

/**
 * The model of a device in Recovery or DFU mode, which reports only its chip (CPID) and board (BDID)
 * in the USB serial string. Undefined when the pair is unknown to the table.
 */
export function modelByChip(cpid: number, bdid: number): DeviceModel | undefined {
  return MODELS.find((m) => m.boards.some((b) => b.cpid === cpid && b.bdid === bdid));
}

/** The newest major iOS this model can run: its lastIos, or the current release. */
export function maxIosMajor(model: DeviceModel): number {
  return model.lastIos !== undefined ? Number(model.lastIos) : CURRENT_IOS_MAJOR;
}

/** "iPhone 7 (GSM)" where a variant exists, for messages that must tell two ProductTypes apart. */
export function displayName(model: DeviceModel): string {
  return model.variant ? `${model.name} (${model.variant})` : model.name;
}

/** Edits (insert, delete, change one character) between two short strings. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/** The model name closest to a mistyped one ("iPhone 12 Pro Maxx" -> "iPhone 12 Pro Max"), if any is close. */
export function suggestModel(text: string): string | undefined {
  const q = squash(text);
  if (q.length < 4 || q.length > 60) return undefined;
  let best: { name: string; d: number } | undefined;
  for (const m of MODELS) {
    const d = editDistance(q, squash(m.name));
    if (d <= Math.max(2, Math.floor(q.length / 6)) && (!best || d < best.d)) best = { name: m.name, d };
  }
  return best?.name;
}
