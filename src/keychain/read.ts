/**
 * readKeychain: the backed-up keychain of an unlocked, encrypted backup as typed items.
 * keychain-backup.plist (KeychainDomain) is a binary plist of tables genp/inet/cert/keys whose rows
 * hold a sealed blob (v_Data) and a 12-byte persistent reference (table name + big-endian rowid).
 * Each row is opened on its own: a damaged or device-bound row is a per-item status, never a crash.
 * Items of the ThisDeviceOnly classes stay sealed with a key that never leaves the phone; they are
 * counted, not reported as errors (KEYCHAIN.md §3).
 */
import { CorruptInputError, IrescueError } from '../errors.js';
import { isDict, parsePlistDict, type PlistDict } from '../plist/plist.js';
import type { BackupFileRecord, BackupInfo } from '../backup/types.js';
import { isFailure, openItemBlob, parseItemBlob, type ItemFailure } from './blob.js';
import { decodeDerDict } from './der.js';
import { accessibilityOf, buildItem, KEYCHAIN_TABLES, type KeychainItem, type KeychainTable } from './items.js';

export const KEYCHAIN_DOMAIN = 'KeychainDomain';
export const KEYCHAIN_FILE = 'keychain-backup.plist';
/** A real keychain-backup.plist is a few MB; refuse what cannot be one before parsing it. */
export const MAX_KEYCHAIN_PLIST_BYTES = 64 << 20;
/** Rows across all tables; real keychains hold hundreds to a few thousand. */
export const MAX_KEYCHAIN_ROWS = 200_000;

/** What readKeychain needs of a backup: the reader plus the class keys a password opens. */
export interface KeychainSource {
  readonly info: BackupInfo;
  findFile(domain: string, relativePath: string): BackupFileRecord | undefined;
  readFile(record: BackupFileRecord): Promise<Buffer>;
  /**
   * The unwrapped key of a protection class whose keybag entry is WRAP == 2 (password only);
   * 'device-bound' for a WRAP 3 class (its key stays sealed by the iPhone's UID key);
   * undefined when the keybag has no such class or the backup is unencrypted.
   */
  keychainClassKey(protectionClass: number): ClassKeyLookup;
}

export type ClassKeyLookup = Buffer | 'device-bound' | undefined;

export interface LockedItem {
  table: KeychainTable;
  rowid: number;
  protectionClass: number;
  accessibility: string;
}

export interface DamagedItem {
  table: KeychainTable;
  rowid?: number;
  reason: ItemFailure['reason'];
  detail: string;
}

export interface KeychainReport {
  items: KeychainItem[];
  /** ThisDeviceOnly items: present, never decryptable from a backup */
  locked: LockedItem[];
  damaged: DamagedItem[];
  /** the keybag UUID the plist names, when it names one (missing in some real files) */
  keybagUuid?: string;
}

/** Classes 9-12 are the ThisDeviceOnly ones; the keybag's WRAP decides, the class number backs it up. */
const THIS_DEVICE_ONLY = new Set([9, 10, 11, 12]);

/** One sentence for the owner about the items only the original iPhone can open. */
export const LOCKED_REASON =
  'they were saved as "this device only", so they are sealed with a key that never leaves the original iPhone and no backup can open them';

function persistentRowid(ref: unknown): number | undefined {
  if (!Buffer.isBuffer(ref) || ref.length !== 12) return undefined;
  const n = ref.readBigInt64BE(4);
  return n >= 0n && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : undefined;
}

/** Parse a decrypted keychain-backup.plist and open every row it can. Pure apart from the key lookup. */
export function decodeKeychain(bytes: Buffer, classKey: (protectionClass: number) => ClassKeyLookup, name = KEYCHAIN_FILE): KeychainReport {
  if (bytes.length > MAX_KEYCHAIN_PLIST_BYTES) throw new CorruptInputError(name, `is ${bytes.length} bytes, larger than any keychain (${MAX_KEYCHAIN_PLIST_BYTES})`);
  const root: PlistDict = parsePlistDict(bytes, name);
  const report: KeychainReport = { items: [], locked: [], damaged: [] };
  if (typeof root['keybag-uuid'] === 'string') report.keybagUuid = root['keybag-uuid'];
  let rows = 0;
  for (const table of KEYCHAIN_TABLES) {
    const list = root[table];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new CorruptInputError(name, `table ${table} is not an array`);
    rows += list.length;
    if (rows > MAX_KEYCHAIN_ROWS) throw new CorruptInputError(name, `holds more than ${MAX_KEYCHAIN_ROWS} items`);
    for (const row of list) {
      if (!isDict(row)) {
        report.damaged.push({ table, reason: 'damaged', detail: 'row is not a dictionary' });
        continue;
      }
      const rowid = persistentRowid(row.v_PersistentRef);
      const data = row.v_Data;
      if (!Buffer.isBuffer(data)) {
        report.damaged.push({ table, rowid, reason: 'damaged', detail: 'row has no v_Data blob' });
        continue;
      }
      const blob = parseItemBlob(data);
      if (isFailure(blob)) {
        report.damaged.push({ table, rowid, ...blob });
        continue;
      }
      const cls = blob.keyclass & 0xf;
      const key = classKey(cls);
      if (!Buffer.isBuffer(key)) {
        if (key === 'device-bound' || THIS_DEVICE_ONLY.has(cls)) report.locked.push({ table, rowid: rowid ?? -1, protectionClass: cls, accessibility: accessibilityOf(cls) });
        else report.damaged.push({ table, rowid, reason: 'no-class-key', detail: `the backup's keybag has no usable key for class ${cls}` });
        continue;
      }
      const plain = openItemBlob(blob, key);
      if (isFailure(plain)) {
        report.damaged.push({ table, rowid, ...plain });
        continue;
      }
      try {
        const attrs = decodeDerDict(plain, `${name} ${table} row ${rowid ?? '?'}`);
        report.items.push(buildItem(table, rowid ?? -1, cls, attrs));
      } catch (e) {
        report.damaged.push({ table, rowid, reason: 'damaged', detail: e instanceof Error ? e.message : String(e) });
      } finally {
        plain.fill(0);
      }
    }
  }
  return report;
}

/**
 * The keychain of an opened backup. UsageError for an unencrypted backup (its keychain is sealed
 * with keys bound to the iPhone); CorruptInputError when the file is missing or unreadable.
 */
export async function readKeychain(backup: KeychainSource): Promise<KeychainReport> {
  if (!backup.info.encrypted) throw new UnencryptedKeychainError(backup.info.path);
  const record = backup.findFile(KEYCHAIN_DOMAIN, KEYCHAIN_FILE);
  if (!record) throw new CorruptInputError(backup.info.path, `this backup holds no ${KEYCHAIN_DOMAIN}/${KEYCHAIN_FILE} (no keychain was backed up)`);
  const bytes = await backup.readFile(record);
  return decodeKeychain(bytes, (c) => backup.keychainClassKey(c), `${KEYCHAIN_DOMAIN}/${KEYCHAIN_FILE}`);
}

/** The keychain of an unencrypted backup is bound to the iPhone: say so, and how to get one that opens. */
export class UnencryptedKeychainError extends IrescueError {
  constructor(path: string) {
    super(
      'CORRUPT_INPUT',
      `${path}: this backup is not encrypted, and the keychain of an unencrypted backup can only be opened by the iPhone it came from. Make an encrypted backup (irescue device encryption on, then irescue device backup) and read that one.`,
      { file: path, next: 'irescue device encryption on' },
    );
  }
}
