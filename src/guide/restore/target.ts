/**
 * The device a restore is aimed at, as the caller knows it: device detection (src/device, USB
 * Recovery/DFU) or the command line fills this in; the restore code only reads it.
 */
import { UsageError } from '../../errors.js';
import { findModel, modelByChip, type DeviceModel } from '../../models/models.js';
import { formatEcid, parseEcid } from '../../models/ecid.js';

export type DeviceMode = 'normal' | 'recovery' | 'dfu' | 'restore' | 'unknown';

export interface RestoreTarget {
  /** ECID as idevicerestore's -i takes it ("0x" + 16 hex digits; checkEcid makes it) */
  ecid?: string;
  /** UDID of a device in normal mode (idevicerestore -u) */
  udid?: string;
  productType?: string;
  cpid?: number;
  bdid?: number;
  mode?: DeviceMode;
}

/**
 * An ECID as the user gave it (any spelling parseEcid reads, including what `irescue devices`
 * prints) to the form idevicerestore's -i takes: "0x" and 16 hex digits, never a bare leading 0.
 */
export function checkEcid(ecid: string): string {
  const n = parseEcid(ecid);
  if (n === undefined) throw new UsageError(`--ecid ${JSON.stringify(ecid)}: not an ECID (16 hex digits as "irescue devices" prints it, 0x-hex, or decimal)`);
  return formatEcid(n, 'c');
}

/** The model from ProductType, or from CPID/BDID for a device seen only in Recovery/DFU. */
export function targetModel(t: RestoreTarget): DeviceModel | undefined {
  if (t.productType) {
    const m = findModel(t.productType);
    if (!m) throw new UsageError(`--model ${JSON.stringify(t.productType)}: unknown model; give a ProductType (iPhone13,2) or a name (iPhone 12)`);
    return m;
  }
  if (t.cpid !== undefined && t.bdid !== undefined) return modelByChip(t.cpid, t.bdid);
  return undefined;
}

/** What the user must type to confirm: the model's name when known. */
export function targetName(model: DeviceModel | undefined): string {
  return model?.name ?? 'device';
}
