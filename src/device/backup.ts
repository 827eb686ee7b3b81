/**
 * Device backups through mobilebackup2: a full or incremental backup into a folder, and turning
 * backup encryption on, off or changing its password. Info.plist is the computer's part of a
 * backup (the device sends the rest); the backup counts as complete only when the device's
 * Status.plist says "finished".
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAtomic } from '../fs/atomic.js';
import { buildXmlPlist, getBool, getString, parsePlistDict, type PlistDict } from '../plist/plist.js';
import { CorruptInputError, IrescueError, UsageError, WrongPasswordError } from '../errors.js';
import type { OnProgress } from '../progress.js';
import { UsbmuxClient } from './usbmux/client.js';
import { openLockdown, type LockdownSession, type TrustWait } from './lockdown/session.js';
import { Mobilebackup2Client, MOBILEBACKUP2_SERVICE } from './services/mobilebackup2.js';
import { verifyBackupPassword } from '../backup/open.js';

export interface DeviceBackupOptions {
  udid?: string;
  usbmux?: UsbmuxClient;
  pairRecordFolders?: string[];
  /** pair first if this computer is not trusted yet */
  pair?: boolean;
  trust?: TrustWait;
  onProgress?: OnProgress;
  signal?: AbortSignal;
}

export interface DeviceBackupResult {
  udid: string;
  path: string;
  encrypted: boolean;
  isFullBackup?: boolean;
  filesReceived: number;
  bytesReceived: number;
}

/** What the computer writes as Info.plist, from lockdownd's values (the fields backup tools read). */
export function infoPlistFromValues(udid: string, v: PlistDict, now = new Date()): PlistDict {
  const out: PlistDict = {
    'Build Version': v.BuildVersion ?? '',
    'Device Name': v.DeviceName ?? '',
    'Display Name': v.DeviceName ?? '',
    GUID: randomUUID().toUpperCase().replace(/-/g, ''),
    'Last Backup Date': now,
    'Product Type': v.ProductType ?? '',
    'Product Version': v.ProductVersion ?? '',
    'Serial Number': v.SerialNumber ?? '',
    'Target Identifier': udid,
    'Target Type': 'Device',
    'Unique Identifier': udid.toUpperCase(),
    'iTunes Version': '12.13',
  };
  if (typeof v.InternationalMobileEquipmentIdentity === 'string') out.IMEI = v.InternationalMobileEquipmentIdentity;
  if (typeof v.PhoneNumber === 'string') out['Phone Number'] = v.PhoneNumber;
  return out;
}

async function writeAtomically(path: string, data: string | Buffer): Promise<void> {
  await writeAtomic(path, data);
}

async function withBackupService<T>(opts: DeviceBackupOptions, fn: (s: LockdownSession, mb: Mobilebackup2Client) => Promise<T>): Promise<T> {
  const usbmux = opts.usbmux ?? new UsbmuxClient();
  const s = await openLockdown({ usbmux, udid: opts.udid, pairIfNeeded: opts.pair, pairRecordFolders: opts.pairRecordFolders, trust: opts.trust });
  try {
    const mb = new Mobilebackup2Client(await s.startService(MOBILEBACKUP2_SERVICE, { escrowBag: true }));
    try {
      await mb.hello();
      return await fn(s, mb);
    } finally {
      await mb.disconnect();
    }
  } finally {
    await s.close();
  }
}

export async function willEncrypt(s: LockdownSession): Promise<boolean> {
  const v = await s.lockdown.getValue('WillEncrypt', 'com.apple.mobile.backup').catch(() => false);
  return v === true;
}

/** A backup of the device into `root/<UDID>/` (incremental when an earlier one is there). */
export async function backupDevice(root: string, opts: DeviceBackupOptions = {}): Promise<DeviceBackupResult> {
  return withBackupService(opts, async (s, mb) => {
    const udid = s.device.udid;
    const dir = join(root, udid);
    await mkdir(dir, { recursive: true });
    const values = await s.lockdown.getValues();
    const encrypted = await willEncrypt(s);
    await writeAtomically(join(dir, 'Info.plist'), buildXmlPlist(infoPlistFromValues(udid, values)));
    const r = await mb.backup({ udid, root, onProgress: opts.onProgress, signal: opts.signal });
    const status = await readFile(join(dir, 'Status.plist')).catch(() => undefined);
    const st = status ? parsePlistDict(status, join(dir, 'Status.plist')) : undefined;
    if (!st || getString(st, 'SnapshotState') !== 'finished') throw new CorruptInputError(join(dir, 'Status.plist'), 'the device did not mark the backup finished; it is incomplete, run the backup again');
    return { udid, path: dir, encrypted, isFullBackup: getBool(st, 'IsFullBackup'), filesReceived: r.filesReceived, bytesReceived: r.bytesReceived };
  });
}

export type EncryptionChange = { mode: 'on'; newPassword: string } | { mode: 'off'; oldPassword: string } | { mode: 'change'; oldPassword: string; newPassword: string };

/**
 * Changes backup encryption. From iOS 13 the device asks for its passcode on screen before it
 * answers: `onWaiting` is called so the caller can say so.
 */
export async function setBackupEncryption(change: EncryptionChange, opts: DeviceBackupOptions & { onWaiting?: () => void } = {}): Promise<{ udid: string; encrypted: boolean }> {
  return withBackupService(opts, async (s, mb) => {
    const on = await willEncrypt(s);
    if (change.mode === 'on' && on) throw new UsageError('backup encryption is already on for this device; use "encryption change" to set a new password');
    if (change.mode !== 'on' && !on) throw new UsageError('backup encryption is off for this device; use "encryption on" to set a password');
    opts.onWaiting?.();
    try {
      await mb.changePassword({
        udid: s.device.udid,
        oldPassword: change.mode === 'on' ? undefined : change.oldPassword,
        newPassword: change.mode === 'off' ? undefined : change.newPassword,
        signal: opts.signal,
      });
    } catch (e) {
      if (e instanceof IrescueError && change.mode !== 'on' && /password/i.test(e.message)) {
        throw new WrongPasswordError(`the device rejected the current backup password (${e.message.replace(/^.*?: /, '')})`);
      }
      throw e;
    }
    return { udid: s.device.udid, encrypted: await willEncrypt(s) };
  });
}

/**
 * Nothing ever asks the user to confirm a new backup password, so a typo would lock every future
 * backup. After encryption is turned on or its password changed, make a fresh backup (it is also
 * the user's first backup under the new password) and check the new password against its keybag.
 */
export async function verifyNewBackupPassword(root: string, newPassword: string, opts: DeviceBackupOptions = {}): Promise<{ verified: boolean; backup: DeviceBackupResult }> {
  const backup = await backupDevice(root, opts);
  if (!backup.encrypted) return { verified: false, backup };
  const verified = await verifyBackupPassword(backup.path, newPassword, { signal: opts.signal });
  return { verified, backup };
}
