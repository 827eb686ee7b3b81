/**
 * Writes the model table module (src/models/data.ts) from rows, in one stable layout: one
 * model per line, board IDs in hex. Shared by scripts/gen-models.ts and the test that checks the
 * committed file is exactly what the generator would write.
 */
import type { ModelRow } from '../src/models/types.js';

export const MODELS_HEADER = `/**
 * Model table: every iPhone and iPad by ProductType, written by scripts/gen-models.ts. Do not edit by
 * hand; change the rows through the script (see docs/models.md) so the layout stays canonical.
 *
 * Sources (facts only, written in our own words and layout):
 * - AppleDB (https://github.com/littlebyteorg/appledb, MIT licence, (c) the AppleDB contributors):
 *   identifiers, names, SoCs, release data and the iOS versions each device gets
 *   (deviceFiles/*, osFiles/* deviceMap). The iPhone19,x rows come from AppleDB alone and are
 *   marked provisional.
 * - libirecovery's device table (https://github.com/libimobiledevice/libirecovery, src/libirecovery.c
 *   at 04d04f7, 2026-04-30): board names, CPID and BDID, and the first release that knows each
 *   device (minLibirecovery; "git" = only in git after 1.3.1).
 * - Button and biometric hardware and the Recovery-mode button families: the rules in the project's
 *   Apple facts (Apple support article 118430 and the per-model button layouts).
 * lastIos: the last major iOS/iPadOS release the device gets; absent = still supported by the newest
 * release in this table (iOS/iPadOS 26; iOS 27 on iPhone 11 and later per AppleDB).
 */
import type { ModelRow } from './types.js';

export type { ModelRow };

export const MODEL_ROWS: readonly ModelRow[] = [
`;

const hex = (n: number, width: number) => '0x' + n.toString(16).padStart(width, '0');

function formatRow(r: ModelRow): string {
  const parts: string[] = [`productType: '${r.productType}'`, `name: '${r.name}'`];
  if (r.variant !== undefined) parts.push(`variant: '${r.variant}'`);
  parts.push(`kind: '${r.kind}'`, `chip: '${r.chip}'`);
  const boards = r.boards.map(([b, c, d]) => `['${b}', ${hex(c, 4)}, ${d === null ? 'null' : hex(d, 2)}]`).join(', ');
  parts.push(`boards: [${boards}]`);
  if (r.biometrics !== undefined) parts.push(`biometrics: '${r.biometrics}'`);
  if (r.homeButton !== undefined) parts.push(`homeButton: ${r.homeButton}`);
  if (r.recoveryFamily !== undefined) parts.push(`recoveryFamily: '${r.recoveryFamily}'`);
  if (r.lastIos !== undefined) parts.push(`lastIos: '${r.lastIos}'`);
  if (r.minLibirecovery !== undefined) parts.push(`minLibirecovery: '${r.minLibirecovery}'`);
  if (r.provisional) parts.push('provisional: true');
  return `  { ${parts.join(', ')} },`;
}

export function formatModelsModule(rows: readonly ModelRow[]): string {
  return MODELS_HEADER + rows.map(formatRow).join('\n') + '\n];\n';
}
