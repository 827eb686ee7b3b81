/**
 * The model table's types, apart from the query module so the generated rows (data.ts) and the
 * queries (models.ts) both import them without a loop.
 */
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

/** A row as stored in data.ts. */
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
