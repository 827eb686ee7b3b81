/**
 * Model table: ProductType -> marketing name and hardware facts. Placeholder with the interface
 * other modules use; the full table lands with the device/assistant work.
 */
export type RecoveryFamily = 'face-id-or-8' | 'iphone-7' | 'home-button' | 'ipad-no-home' | 'ipad-home';

export interface DeviceModel {
  productType: string;
  name: string;
  chip?: string;
  cpid?: number;
  bdid?: number[];
  biometrics?: 'face-id' | 'touch-id' | 'none';
  recoveryFamily?: RecoveryFamily;
  lastIos?: string;
}

const MODELS: DeviceModel[] = [];

/** By ProductType ("iPhone14,5") or marketing name ("iPhone 13"), case-insensitive. */
export function findModel(productTypeOrName: string): DeviceModel | undefined {
  const q = productTypeOrName.trim().toLowerCase();
  return MODELS.find((m) => m.productType.toLowerCase() === q || m.name.toLowerCase() === q);
}

export function modelName(productType: string | undefined): string | undefined {
  if (!productType) return undefined;
  return findModel(productType)?.name;
}
