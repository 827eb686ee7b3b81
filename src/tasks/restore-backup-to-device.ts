/**
 * Putting a backup back onto an iPhone or iPad (after an erase, or onto a new device): first a
 * plan (inspect the backup and the device, say what stands in the way and what to do about it),
 * then the restore itself. The backup folder is only ever read.
 */
import { createHash } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildXmlPlist, getDict, getString, isDict, parsePlist, type PlistDict } from '../plist/plist.js';
import { folderSize } from '../backup/folder.js';
import { resolveBackupPath } from '../backup/locate.js';
import { readBackupMetadata } from '../backup/manifest-plist.js';
import { verifyBackupPassword } from '../backup/open.js';
import { UsageError, WrongPasswordError } from '../errors.js';
import type { OnProgress } from '../progress.js';
import { formatBytes } from '../format.js';
import { openLockdown, type LockdownSession, type TrustWait } from '../device/lockdown/session.js';
import { UsbmuxClient } from '../device/usbmux/client.js';
import { MOBILEBACKUP2_SERVICE } from '../device/services/mobilebackup2.js';
import { AfcClient, AFC_SERVICE } from '../device/services/afc.js';
import { defaultRestoreOptions, Mobilebackup2RestoreClient, type RestoreOptions, type RestoreOutcome } from '../device/services/mobilebackup2-restore.js';

export interface RestoreCheck {
  id: 'backup-complete' | 'password' | 'ios-version' | 'free-space' | 'find-my' | 'activation';
  /** 'unknown': could not be read; the device decides */
  ok: boolean | 'unknown';
  sentence: string;
  /** what to do when it is not ok */
  next?: string;
}

export interface DeviceRestorePlan {
  backup: { path: string; udid: string; deviceName?: string; productType?: string; productVersion?: string; encrypted: boolean; bytes: number; /** apps the backup lists (Info.plist Applications): the device reinstalls them */ apps: number };
  device: { udid: string; deviceName?: string; productType?: string; productVersion?: string; freeBytes?: number; findMy?: boolean };
  options: RestoreOptions;
  checks: RestoreCheck[];
  /** every check ok (or unknown): the restore may start */
  canRestore: boolean;
}

export interface DeviceRestoreConnectOptions {
  udid?: string;
  usbmux?: UsbmuxClient;
  pairRecordFolders?: string[];
  pair?: boolean;
  trust?: TrustWait;
  signal?: AbortSignal;
}

export interface DeviceRestoreResult extends RestoreOutcome {
  udid: string;
  backup: string;
  /** apps handed to the device for reinstalling (from the backup's Info.plist) */
  appsListed: number;
}

/** Where the device looks for the apps to reinstall after a restore (as Finder and the reference tools put it). */
const RESTORE_APPS_DIR = '/iTunesRestore';
const RESTORE_APPS_FILE = `${RESTORE_APPS_DIR}/RestoreApplications.plist`;

async function applicationsOf(dir: string): Promise<PlistDict | undefined> {
  const info = await readFile(join(dir, 'Info.plist')).then((b) => parsePlist(b, join(dir, 'Info.plist')), () => undefined);
  const apps = isDict(info) ? getDict(info, 'Applications') : undefined;
  return apps && Object.keys(apps).length ? apps : undefined;
}

async function writeRestoreApplications(s: LockdownSession, apps: PlistDict): Promise<void> {
  const afc = new AfcClient(await s.startService(AFC_SERVICE));
  try {
    await afc.makeDirectory(RESTORE_APPS_DIR);
    await afc.writeFile(RESTORE_APPS_FILE, Buffer.from(buildXmlPlist(apps)));
  } finally {
    afc.close();
  }
}

async function removeRestoreApplications(s: LockdownSession): Promise<void> {
  const afc = new AfcClient(await s.startService(AFC_SERVICE));
  try {
    await afc.remove(RESTORE_APPS_FILE);
  } finally {
    afc.close();
  }
}

/** Which of two "major.minor.patch" versions is newer: <0, 0, >0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

const gb = (n: number): string => formatBytes(n);
/** plans remember (in memory only, never in their JSON) which password they checked */
const checkedPasswords = new WeakMap<DeviceRestorePlan, string>();
const digest = (pw: string): string => createHash('sha256').update(pw, 'utf8').digest('hex');

/** The backup's own checks: complete, and the password opens its keybag. No device needed. */
async function backupRestoreChecks(dir: string, password?: string, signal?: AbortSignal): Promise<{ checks: RestoreCheck[]; backup: DeviceRestorePlan['backup'] }> {
  const meta = await readBackupMetadata(dir, false);
  const checks: RestoreCheck[] = [];
  const files = await Promise.all(['Info.plist', 'Manifest.plist', 'Status.plist'].map((f) => access(join(dir, f)).then(() => true, () => false)));
  const complete = files.every(Boolean) && meta.info.state === 'complete';
  checks.push(
    complete
      ? { id: 'backup-complete', ok: true, sentence: 'The backup is complete.' }
      : { id: 'backup-complete', ok: false, sentence: 'The backup is not complete (a backup that was interrupted, or a folder missing Info.plist, Manifest.plist or Status.plist).', next: 'Pick another backup (`irescue backups` lists them), or make a new one.' },
  );
  if (meta.info.encrypted) {
    if (password === undefined) checks.push({ id: 'password', ok: false, sentence: 'The backup is encrypted and no password was given.', next: 'Give the backup password (prompt, --password-file or IRESCUE_PASSWORD). If it is forgotten, `irescue recover` can search for it.' });
    else if (await verifyBackupPassword(dir, password, { signal })) checks.push({ id: 'password', ok: true, sentence: 'The backup password is correct.' });
    else checks.push({ id: 'password', ok: false, sentence: 'The password does not open this backup.', next: 'Check the password (`irescue verify <backup>`), or search for it with `irescue recover`.' });
  }
  const info = await readFile(join(dir, 'Info.plist')).then((b) => parsePlist(b, join(dir, 'Info.plist')), () => undefined);
  const udid = (isDict(info) && getString(info, 'Target Identifier')) || meta.info.udid;
  if (!udid) throw new UsageError(`${dir}: the backup does not say which device it is from (no Target Identifier in Info.plist)`);
  const apps = isDict(info) ? Object.keys(getDict(info, 'Applications') ?? {}).length : 0;
  const backup = { path: dir, udid, deviceName: meta.info.deviceName, productType: meta.info.productType, productVersion: meta.info.productVersion, encrypted: meta.info.encrypted === true, bytes: await folderSize(dir), apps };
  return { checks, backup };
}

async function deviceValue(s: LockdownSession, key: string, domain: string): Promise<unknown> {
  return s.lockdown.getValue(key, domain).catch(() => undefined);
}

/** Inspect the backup and the connected device; nothing is sent to the device but questions. */
export async function planDeviceRestore(backupPath: string, opts: DeviceRestoreConnectOptions & { password?: string; options?: Partial<RestoreOptions> } = {}): Promise<DeviceRestorePlan> {
  const dir = await resolveBackupPath(backupPath);
  const { checks, backup } = await backupRestoreChecks(dir, opts.password, opts.signal);
  const s = await openLockdown({ usbmux: opts.usbmux ?? new UsbmuxClient(), udid: opts.udid, pairIfNeeded: opts.pair, pairRecordFolders: opts.pairRecordFolders, trust: opts.trust });
  let device: DeviceRestorePlan['device'];
  try {
    const v = await s.lockdown.getValues();
    const free = await deviceValue(s, 'AmountDataAvailable', 'com.apple.disk_usage');
    const fmip = await deviceValue(s, 'IsAssociated', 'com.apple.fmip');
    device = { udid: s.device.udid, deviceName: getString(v, 'DeviceName'), productType: getString(v, 'ProductType'), productVersion: getString(v, 'ProductVersion'), freeBytes: typeof free === 'number' ? free : undefined, findMy: typeof fmip === 'boolean' ? fmip : undefined };
    const activation = getString(v, 'ActivationState');
    if (activation && activation !== 'Activated')
      checks.push({ id: 'activation', ok: false, sentence: 'The iPhone is not activated yet, and an unactivated iPhone does not accept a backup.', next: 'Finish the setup on the iPhone first (with its Apple Account if it asks: Activation Lock), choose "Don\'t transfer apps and data", then connect it again.' });
  } finally {
    await s.close();
  }
  if (backup.productVersion && device.productVersion) {
    const newer = compareVersions(device.productVersion, backup.productVersion) >= 0;
    checks.push(
      newer
        ? { id: 'ios-version', ok: true, sentence: `The iPhone runs iOS ${device.productVersion}, the backup is from iOS ${backup.productVersion}.` }
        : { id: 'ios-version', ok: false, sentence: `The iPhone runs iOS ${device.productVersion}, older than the backup's iOS ${backup.productVersion}; a backup only goes onto the same or a newer iOS.`, next: 'Update the iPhone first (Settings > General > Software Update, or Update in Finder / Apple Devices / iTunes), then restore.' },
    );
  } else checks.push({ id: 'ios-version', ok: 'unknown', sentence: 'The iOS version of the backup or the iPhone is unknown; the iPhone will refuse if its iOS is older.' });
  if (device.freeBytes !== undefined)
    checks.push(
      device.freeBytes >= backup.bytes
        ? { id: 'free-space', ok: true, sentence: `The iPhone has ${gb(device.freeBytes)} free for a ${gb(backup.bytes)} backup.` }
        : { id: 'free-space', ok: false, sentence: `The iPhone has ${gb(device.freeBytes)} free, the backup needs about ${gb(backup.bytes)}.`, next: `Free about ${gb(backup.bytes - device.freeBytes)} on the iPhone (or erase it), or restore onto one with more storage.` },
    );
  else checks.push({ id: 'free-space', ok: 'unknown', sentence: 'The free space on the iPhone could not be read; it will refuse if it is full.' });
  if (device.findMy === true) checks.push({ id: 'find-my', ok: false, sentence: 'Find My is on for this iPhone, and it refuses a restore while it is.', next: 'On the iPhone: Settings > your name > Find My > Find My iPhone > off (it asks for the Apple Account password), then try again.' });
  else if (device.findMy === undefined) checks.push({ id: 'find-my', ok: 'unknown', sentence: 'Whether Find My is on could not be read; if it is, the iPhone will refuse the restore.', next: 'If it refuses: Settings > your name > Find My > Find My iPhone > off, then try again.' });
  else checks.push({ id: 'find-my', ok: true, sentence: 'Find My is off.' });
  const plan: DeviceRestorePlan = { backup, device, options: { ...defaultRestoreOptions, ...opts.options }, checks, canRestore: checks.every((c) => c.ok !== false) };
  if (opts.password !== undefined && checks.some((c) => c.id === 'password' && c.ok === true)) checkedPasswords.set(plan, digest(opts.password));
  return plan;
}

/**
 * Runs the restore the plan describes. The password is checked against the backup's keybag
 * before anything is sent (again, unless this plan checked this same password).
 */
export async function runDeviceRestore(plan: DeviceRestorePlan, opts: DeviceRestoreConnectOptions & { password?: string; onProgress?: OnProgress; skipApps?: boolean } = {}): Promise<DeviceRestoreResult> {
  if (!plan.canRestore) throw new UsageError(`the restore cannot start: ${plan.checks.filter((c) => c.ok === false).map((c) => `${c.sentence} ${c.next ?? ''}`.trim()).join(' ')}`);
  if (plan.backup.encrypted) {
    if (opts.password === undefined) throw new UsageError('the backup is encrypted: give its password');
    if (checkedPasswords.get(plan) !== digest(opts.password) && !(await verifyBackupPassword(plan.backup.path, opts.password, { signal: opts.signal }))) {
      throw new WrongPasswordError('the password does not open this backup; nothing was sent to the iPhone');
    }
  }
  const s = await openLockdown({ usbmux: opts.usbmux ?? new UsbmuxClient(), udid: opts.udid ?? plan.device.udid, pairIfNeeded: opts.pair, pairRecordFolders: opts.pairRecordFolders, trust: opts.trust });
  try {
    let apps = opts.skipApps ? undefined : await applicationsOf(plan.backup.path);
    // without the app list the data still comes back, only the apps do not reinstall by themselves
    if (apps) await writeRestoreApplications(s, apps).catch(() => (apps = undefined));
    const mb = new Mobilebackup2RestoreClient(await s.startService(MOBILEBACKUP2_SERVICE, { escrowBag: true }));
    try {
      await mb.hello();
      const r = await mb.restore({
        targetUdid: s.device.udid,
        sourceId: plan.backup.udid,
        backupDir: plan.backup.path,
        options: plan.options,
        password: plan.backup.encrypted ? opts.password : undefined,
        totalBytes: plan.backup.bytes,
        onProgress: opts.onProgress,
        signal: opts.signal,
      });
      return { ...r, udid: s.device.udid, backup: plan.backup.path, appsListed: apps ? Object.keys(apps).length : 0 };
    } catch (e) {
      // a restore that did not happen must not leave the app list for the next one
      if (apps) await removeRestoreApplications(s).catch(() => undefined);
      throw e;
    } finally {
      await mb.disconnect().catch(() => undefined);
    }
  } finally {
    // after a restore the iPhone reboots and the session is gone: closing may fail, and that is fine
    await s.close().catch(() => undefined);
  }
}
