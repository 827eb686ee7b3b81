/**
 * The device a restore is aimed at, as the caller knows it: device detection (src/device, USB
 * Recovery/DFU) or the command line fills this in; the restore code only reads it.
 */
import { UsageError } from '../../errors.js';
import { findModel, modelByChip, type DeviceModel } from '../../models/models.js';

export type DeviceMode = 'normal' | 'recovery' | 'dfu' | 'restore' | 'unknown';

export interface RestoreTarget {
  /** ECID, hex ("0x1a2b…") or decimal, as idevicerestore's -i takes it */
  ecid?: string;
  /** UDID of a device in normal mode (idevicerestore -u) */
  udid?: string;
  productType?: string;
  cpid?: number;
  bdid?: number;
  mode?: DeviceMode;
}

export function checkEcid(ecid: string): string {
  const t = ecid.trim();
  if (!/^(0x[0-9a-f]{1,16}|[0-9]{1,20})$/i.test(t)) throw new UsageError(`--ecid ${JSON.stringify(ecid)}: not an ECID (hex like 0x1A2B3C4D5E or decimal)`);
  return t;
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
