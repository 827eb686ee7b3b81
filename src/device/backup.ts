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
import { Mobilebackup2Client, Mobilebackup2Error, MOBILEBACKUP2_SERVICE } from './services/mobilebackup2.js';
import type { FailedFile } from './services/backup-files.js';
import { BACKUP_NOTIFICATIONS, NOTE_PASSCODE_DISMISSED, NOTE_PASSCODE_PRESENTED, NOTE_SYNC_CANCEL, NOTIFICATION_PROXY_SERVICE, NotificationProxyClient } from './services/notification-proxy.js';
import { PASSCODE_PROMPT_MESSAGE, type DeviceNotice, type OnDeviceNotice } from './notices.js';

export interface DeviceBackupOptions {
  udid?: string;
  usbmux?: UsbmuxClient;
  pairRecordFolders?: string[];
  /** pair first if this computer is not trusted yet */
  pair?: boolean;
  trust?: TrustWait;
  onProgress?: OnProgress;
  /** the phone waits for its passcode, wants disk space, gave up on a file: see notices.ts */
  onNotice?: OnDeviceNotice;
  signal?: AbortSignal;
}

export interface DeviceBackupResult {
  udid: string;
  path: string;
  encrypted: boolean;
  isFullBackup?: boolean;
  filesReceived: number;
  bytesReceived: number;
  /** files the phone marked as failed; they are not in the backup (the phone still called it finished) */
  failedFiles: FailedFile[];
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

/**
 * Listens on notification_proxy for the passcode sheet (iOS 16.1+ asks before every backup and
 * sends nothing meanwhile) and for a cancel tapped on the phone. Best effort: a phone without the
 * service still backs up, only without the hint.
 */
async function watchPasscodeGate(s: LockdownSession, opts: DeviceBackupOptions, action: string): Promise<NotificationProxyClient | undefined> {
  if (!opts.onNotice && !opts.onProgress) return undefined;
  const tell = (n: DeviceNotice): void => {
    opts.onNotice?.(n);
    // the same as a progress value, for front ends that only follow progress
    opts.onProgress?.({ phase: n.kind === 'passcode-prompt' ? 'waiting-for-passcode' : 'backup', done: 0, unit: 'steps', detail: n.message });
  };
  try {
    const np = new NotificationProxyClient(await s.startService(NOTIFICATION_PROXY_SERVICE));
    await np.observe(BACKUP_NOTIFICATIONS);
    np.listen((name) => {
      if (name === NOTE_PASSCODE_PRESENTED) tell({ kind: 'passcode-prompt', message: action === 'backup' ? PASSCODE_PROMPT_MESSAGE : `Enter the passcode on the iPhone to ${action}` });
      else if (name === NOTE_PASSCODE_DISMISSED) tell({ kind: 'passcode-dismissed', message: 'The passcode prompt on the iPhone closed' });
      else if (name === NOTE_SYNC_CANCEL) tell({ kind: 'cancelled-on-device', message: 'The backup was cancelled on the iPhone' });
    });
    return np;
  } catch {
    return undefined;
  }
}

async function willEncrypt(s: LockdownSession): Promise<boolean> {
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
    const np = await watchPasscodeGate(s, opts, 'backup');
    let r;
    try {
      r = await mb.backup({ udid, root, onProgress: opts.onProgress, onNotice: opts.onNotice, signal: opts.signal });
    } finally {
      await np?.close();
    }
    const status = await readFile(join(dir, 'Status.plist')).catch(() => undefined);
    const st = status ? parsePlistDict(status, join(dir, 'Status.plist')) : undefined;
    if (!st || getString(st, 'SnapshotState') !== 'finished') throw new CorruptInputError(join(dir, 'Status.plist'), 'the device did not mark the backup finished; it is incomplete, run the backup again');
    return { udid, path: dir, encrypted, isFullBackup: getBool(st, 'IsFullBackup'), filesReceived: r.filesReceived, bytesReceived: r.bytesReceived, failedFiles: r.failedFiles };
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
    const np = await watchPasscodeGate(s, opts, 'change backup encryption');
    try {
      await mb.changePassword({
        udid: s.device.udid,
        oldPassword: change.mode === 'on' ? undefined : change.oldPassword,
        newPassword: change.mode === 'off' ? undefined : change.newPassword,
        signal: opts.signal,
      });
    } catch (e) {
      if (e instanceof Mobilebackup2Error && change.mode !== 'on' && e.reason === 'wrong-password') {
        throw new WrongPasswordError(`the device rejected the current backup password (code ${e.deviceErrorCode ?? '?'})`);
      }
      throw e;
    } finally {
      await np?.close();
    }
    return { udid: s.device.udid, encrypted: await willEncrypt(s) };
  });
}
