/**
 * The Screen Time / Restrictions passcode held in an owner's backup (KEYCHAIN.md §7-9):
 * - iOS 7 to 11: the Restrictions passcode (any backup, encrypted or not);
 * - iOS 12.x: the Screen Time passcode, a keychain item (service "ParentalControls"), so only in
 *   encrypted backups; an 11 -> 12 upgrade can leave the Restrictions file too: both are reported;
 * - iOS 13 and later: not in the backup at all. Say so, give Apple's route, never invent a code.
 * First a plan from the backup's metadata alone (no password, no side effect), then the search.
 */
import { CorruptInputError } from '../errors.js';
import type { BackupInfo, BackupReader } from '../backup/types.js';
import type { KdfEngine } from '../kdf/engine.js';
import { attrString } from './items.js';
import { readKeychain, type KeychainSource } from './read.js';
import { findRestrictionsPasscode, parseRestrictionsPlist, RESTRICTIONS_DOMAIN, RESTRICTIONS_FILE } from './restrictions.js';

export type PasscodeMethod = 'restrictions' | 'keychain' | 'keychain-and-restrictions' | 'not-in-backup' | 'too-old' | 'unknown-version';

export interface PasscodePlan {
  iosVersion?: string;
  method: PasscodeMethod;
  /** the backup password is needed (encrypted backup, or the keychain) */
  needsPassword: boolean;
  /** the iOS 12 Screen Time passcode needs an encrypted backup and this one is not */
  needsEncryptedBackup: boolean;
  /** one sentence for the owner about what this backup can hold */
  summary: string;
}

export interface FoundPasscode {
  passcode: string;
  source: 'keychain' | 'restrictions';
  /** when the keychain item was last changed */
  modified?: Date;
}

export interface PasscodeResult {
  found: boolean;
  /** the one to use: the keychain's (newest) when there is one, else the Restrictions code */
  passcode?: string;
  source?: 'keychain' | 'restrictions';
  /** every code found (both kinds can exist after an 11 -> 12 upgrade) */
  candidates: FoundPasscode[];
  iosVersion?: string;
  backupDate?: Date;
  /** what to do when not found here */
  message: string;
  appleRoute?: string[];
}

/** Apple's own route once the passcode is not in a backup (APPLE-FACTS §1.8, support article 102677). */
export const SCREEN_TIME_APPLE_ROUTE: readonly string[] = [
  'On the iPhone or iPad: Settings > Screen Time > Change Screen Time Passcode > Change Screen Time Passcode again > Forgot Passcode?, then sign in with the Apple Account you used when you set the passcode (iOS 13.4 and later; it may differ from the one signed in now).',
  "On a child's device, the family organiser can change the passcode from their own iPhone (Settings > Screen Time > the child's name).",
  "If neither works, the only other way is to erase the device; restoring a backup made after the passcode was set brings the passcode back (Apple support article 102677).",
];

export function majorVersion(v: string | undefined): number | undefined {
  const m = v ? /^(\d+)/.exec(v) : null;
  return m ? Number(m[1]) : undefined;
}

export function planPasscodeSearch(info: BackupInfo): PasscodePlan {
  const iosVersion = info.productVersion;
  const major = majorVersion(iosVersion);
  const base = { iosVersion, needsEncryptedBackup: false };
  if (major === undefined) return { ...base, method: 'unknown-version', needsPassword: info.encrypted === true, summary: 'The backup does not say which iOS made it; irescue looks for both the Restrictions and the Screen Time passcode.' };
  if (major >= 13) return { ...base, method: 'not-in-backup', needsPassword: false, summary: `iOS 13 and later keep the Screen Time passcode out of backups, and this backup is from iOS ${iosVersion}.` };
  if (major === 12) {
    if (!info.encrypted) return { ...base, method: 'restrictions', needsPassword: false, needsEncryptedBackup: true, summary: 'On iOS 12 the Screen Time passcode is kept in the keychain, which only an encrypted backup holds; this backup is not encrypted, so only an old Restrictions passcode can be in it.' };
    return { ...base, method: 'keychain-and-restrictions', needsPassword: true, summary: 'On iOS 12 the Screen Time passcode is in the keychain of the encrypted backup.' };
  }
  if (major >= 7) return { ...base, method: 'restrictions', needsPassword: info.encrypted === true, summary: `On iOS ${iosVersion} the Restrictions passcode is in the backup.` };
  return { ...base, method: 'too-old', needsPassword: false, summary: `Backups from iOS ${iosVersion} (before iOS 7) keep no Restrictions passcode that irescue can read.` };
}

/** genp items of the service "ParentalControls" hold the iOS 12 Screen Time passcode as digits. */
const SCREEN_TIME_SERVICE = 'ParentalControls';

async function fromKeychain(backup: KeychainSource): Promise<FoundPasscode[]> {
  const kc = await readKeychain(backup);
  return kc.items
    .filter((i) => i.table === 'genp' && attrString(i.attributes.svce) === SCREEN_TIME_SERVICE && i.password !== undefined)
    .sort((a, b) => (b.modified?.getTime() ?? 0) - (a.modified?.getTime() ?? 0))
    .map((i) => ({ passcode: i.password!, source: 'keychain' as const, modified: i.modified }));
}

async function fromRestrictions(backup: BackupReader, engine: KdfEngine, signal?: AbortSignal): Promise<FoundPasscode[]> {
  const rec = backup.findFile(RESTRICTIONS_DOMAIN, RESTRICTIONS_FILE);
  if (!rec) return [];
  const bytes = await backup.readFile(rec);
  const code = await findRestrictionsPasscode(parseRestrictionsPlist(bytes, `${RESTRICTIONS_DOMAIN}/${RESTRICTIONS_FILE}`), engine, signal);
  if (code === undefined) throw new CorruptInputError(`${RESTRICTIONS_DOMAIN}/${RESTRICTIONS_FILE}`, 'no four-digit code matches the stored Restrictions key (the file is damaged or not from iOS 7 to 11)');
  return [{ passcode: code, source: 'restrictions' }];
}

/** The answer when the plan says the backup cannot hold a passcode: no password, no file read. */
export function answerWithoutBackup(plan: PasscodePlan, info: BackupInfo): PasscodeResult | undefined {
  if (plan.method !== 'not-in-backup' && plan.method !== 'too-old') return undefined;
  return { iosVersion: plan.iosVersion, backupDate: info.lastBackupDate, found: false, candidates: [], message: plan.summary, appleRoute: plan.method === 'not-in-backup' ? [...SCREEN_TIME_APPLE_ROUTE] : undefined };
}

/** Runs the plan on an opened backup. Throws only for unreadable input; "not here" is a result. */
export async function findPasscodes(backup: BackupReader & KeychainSource, plan: PasscodePlan, opts: { engine: KdfEngine; signal?: AbortSignal }): Promise<PasscodeResult> {
  const early = answerWithoutBackup(plan, backup.info);
  if (early) return early;
  const meta = { iosVersion: plan.iosVersion, backupDate: backup.info.lastBackupDate };
  const found: FoundPasscode[] = [];
  const wantsKeychain = (plan.method === 'keychain-and-restrictions' || plan.method === 'keychain' || plan.method === 'unknown-version') && backup.info.encrypted;
  if (wantsKeychain) found.push(...(await fromKeychain(backup)));
  found.push(...(await fromRestrictions(backup, opts.engine, opts.signal)));
  const best = found[0];
  if (best) {
    const differ = new Set(found.map((f) => f.passcode)).size > 1;
    return {
      ...meta,
      found: true,
      passcode: best.passcode,
      source: best.source,
      candidates: found,
      message: differ ? 'The backup holds more than one code: the Screen Time passcode from the keychain is the one iOS 12 uses; the other is an older Restrictions passcode.' : `Found in the backup${meta.backupDate ? ` of ${meta.backupDate.toISOString().slice(0, 10)}` : ''}; if it was changed later, this backup holds the old one.`,
    };
  }
  const encryptNote = plan.needsEncryptedBackup
    ? ' To read an iOS 12 Screen Time passcode, make an encrypted backup (irescue device encryption on, then irescue device backup); that adds a backup password to remember, and Reset All Settings clears it.'
    : '';
  return { ...meta, found: false, candidates: [], message: `No Screen Time or Restrictions passcode is in this backup.${encryptNote}`, appleRoute: [...SCREEN_TIME_APPLE_ROUTE] };
}
