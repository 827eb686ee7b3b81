/**
 * Model table: ProductType -> marketing name and the hardware facts the assistant needs (chip and
 * board IDs for Recovery/DFU identification, Face ID / Touch ID / Home button, the Recovery-mode
 * button family, the last iOS it gets). The rows live in data/models.ts (generated, attributed);
 * this module indexes and queries them.
 */
import { MODEL_ROWS } from './data/models.js';

/**
 * How a device is put into Recovery/DFU mode:
 * - face-id-or-8: iPhone 8 and later, incl. SE 2nd/3rd gen (Vol-Up, Vol-Down, hold Side)
 * - iphone-7: iPhone 7 / 7 Plus (Side + Volume Down)
 * - home-button: iPhone 6s and earlier, SE 1st gen (Home + Side/Top)
 * - ipad-no-home: iPads with Face ID or Touch ID in the top button
 * - ipad-home: iPads with a Home button
 */
export type RecoveryFamily = 'face-id-or-8' | 'iphone-7' | 'home-button' | 'ipad-no-home' | 'ipad-home';

export type Biometrics = 'face-id' | 'touch-id' | 'none';

export type DeviceKind = 'iPhone' | 'iPad';

/** One hardware configuration: some ProductTypes shipped with two chip fabs (A9: Samsung / TSMC). */
export interface BoardConfig {
  /** internal board name, e.g. "d53gap" */
  board: string;
  cpid: number;
  /** null where no source gives it yet (unreleased or provisional devices) */
  bdid: number | null;
}

/** A row as stored in data/models.ts. */
export interface ModelRow {
  productType: string;
  name: string;
  /** radio / storage variant when several ProductTypes share one name ("GSM", "Wi-Fi", "Cellular") */
  variant?: string;
  kind: DeviceKind;
  chip: string;
  boards: ReadonlyArray<readonly [board: string, cpid: number, bdid: number | null]>;
  biometrics?: Biometrics;
  homeButton?: boolean;
  recoveryFamily?: RecoveryFamily;
  /** last major iOS/iPadOS release; absent = still supported */
  lastIos?: string;
  /** first libirecovery release that knows this device ("git": unreleased) */
  minLibirecovery?: string;
  /** from AppleDB only, not confirmed by a second source */
  provisional?: boolean;
}

export interface DeviceModel {
  productType: string;
  name: string;
  variant?: string;
  kind: DeviceKind;
  chip?: string;
  /** CPID of the first board configuration (all configurations are in `boards`) */
  cpid?: number;
  /** board IDs of every configuration of this ProductType */
  bdid?: number[];
  boards: BoardConfig[];
  biometrics?: Biometrics;
  homeButton?: boolean;
  recoveryFamily?: RecoveryFamily;
  /** last major iOS/iPadOS release the device gets; undefined = still supported (see CURRENT_IOS_MAJOR) */
  lastIos?: string;
  minLibirecovery?: string;
  provisional?: boolean;
}

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
