/**
 * Model of a Recovery/DFU device from its chip and board IDs, through the model table
 * (guide/models.ts modelByChip). Until that lookup lands on this branch, a few known boards keep
 * the CLI useful; the table, when present, always wins.
 */
import * as models from '../../guide/models.js';

export interface ChipModel {
  productType: string;
  name: string;
}

type ByChip = (cpid: number, bdid: number) => { productType: string; name: string } | undefined;

// cpid, bdid -> ProductType, name (checked against the model table on the guide branch)
const FALLBACK: Array<[number, number, string, string]> = [
  [0x8010, 0x08, 'iPhone9,1', 'iPhone 7'],
  [0x8015, 0x06, 'iPhone10,3', 'iPhone X'],
  [0x8030, 0x04, 'iPhone12,1', 'iPhone 11'],
  [0x8110, 0x0a, 'iPhone14,5', 'iPhone 13'],
  [0x8120, 0x0c, 'iPhone15,2', 'iPhone 14 Pro'],
  [0x8130, 0x04, 'iPhone16,1', 'iPhone 15 Pro'],
  [0x8140, 0x0c, 'iPhone17,1', 'iPhone 16 Pro'],
];

export function modelFromChip(cpid: number | undefined, bdid: number | undefined): ChipModel | undefined {
  if (cpid === undefined || bdid === undefined) return undefined;
  const table = (models as unknown as { modelByChip?: ByChip }).modelByChip;
  const hit = table?.(cpid, bdid);
  if (hit) return { productType: hit.productType, name: hit.name };
  const f = FALLBACK.find(([c, b]) => c === cpid && b === bdid);
  return f ? { productType: f[2], name: f[3] } : undefined;
}
