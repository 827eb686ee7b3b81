/**
 * Writes keychain-backup.plist the way a backup holds it (KEYCHAIN.md §2-5): for the test suite's
 * generated backups and the demo. Deterministic for given item keys.
 */
import { createHash } from 'node:crypto';
import { buildBinaryPlist, type PlistDict, type PlistValue } from '../plist/plist.js';
import { sealItemBlob } from './blob.js';
import { encodeDer, type DerDict } from './der.js';
import { KEYCHAIN_TABLES, type KeychainTable } from './items.js';

export interface KeychainFixtureItem {
  table: KeychainTable;
  rowid: number;
  protectionClass: number;
  /** every attribute, the secret as v_Data */
  attributes: DerDict;
}

export function persistentRef(table: KeychainTable, rowid: number): Buffer {
  const b = Buffer.alloc(12);
  b.write(table, 0, 4, 'latin1');
  b.writeBigInt64BE(BigInt(rowid), 4);
  return b;
}

/** The plaintext plist; `classKeys` are the backup's real class keys (from writeBackup's content callback). */
export function buildKeychainPlist(items: readonly KeychainFixtureItem[], classKeys: ReadonlyMap<number, Buffer>, opts: { keybagUuid?: string; seed?: string } = {}): Buffer {
  const root: PlistDict = {};
  for (const t of KEYCHAIN_TABLES) {
    const rows: PlistValue[] = [];
    for (const it of items.filter((i) => i.table === t)) {
      const ck = classKeys.get(it.protectionClass);
      if (!ck) throw new RangeError(`keychain writer: no class key ${it.protectionClass}`);
      const itemKey = createHash('sha256').update(`${opts.seed ?? 'irescue-keychain'}:${t}:${it.rowid}`).digest();
      rows.push({ v_Data: sealItemBlob(encodeDer(it.attributes), it.protectionClass, ck, itemKey), v_PersistentRef: persistentRef(t, it.rowid) });
    }
    if (rows.length) root[t] = rows;
  }
  if (opts.keybagUuid) root['keybag-uuid'] = opts.keybagUuid;
  return buildBinaryPlist(root);
}
