/**
 * Model of a Recovery/DFU device from its chip and board IDs, through the model table
 * (models/models.ts modelByChip). Undefined when the pair is unknown to the table.
 */
import { modelByChip } from '../../models/models.js';

export interface ChipModel {
  productType: string;
  name: string;
}

export function modelFromChip(cpid: number | undefined, bdid: number | undefined): ChipModel | undefined {
  if (cpid === undefined || bdid === undefined) return undefined;
  const hit = modelByChip(cpid, bdid);
  return hit ? { productType: hit.productType, name: hit.name } : undefined;
}
