/**
 * The three plists at a backup's root, read into what users care about. Reading tolerates damage
 * (each problem becomes a line in `problems`, and an answer that could not be read stays unknown);
 * opening for decryption does not (backup/folder.ts throws the recorded error).
 */
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CorruptInputError } from '../errors.js';
import { modelName } from '../models/models.js';
import { getBool, getData, getDate, getDict, getString, isDict, readPlistDict, type PlistDict } from '../plist/plist.js';
import { parseKeybag, type Keybag } from './keybag.js';
import type { BackupInfo } from './types.js';

export interface BackupMetadata {
  info: BackupInfo;
  manifest?: PlistDict;
  keybag?: Keybag;
  /** 4-byte LE class + wrapped Manifest.db key (iOS 10.2+ encrypted backups) */
  manifestKey?: Buffer;
  problems: string[];
  /** the root plists that are missing or could not be read: `info` exits 4 when any is */
  unreadable: string[];
  /** why Manifest.plist (or, for an encrypted backup, its keybag) cannot be used; strict callers throw it */
  manifestError?: CorruptInputError;
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

async function tryRead(path: string, problems: string[], unreadable: string[]): Promise<{ dict?: PlistDict; error?: CorruptInputError }> {
  try {
    return { dict: await readPlistDict(path, path) };
  } catch (e) {
    const error = e instanceof CorruptInputError ? e : new CorruptInputError(path, (e as Error).message, { cause: e });
    problems.push(error.message);
    unreadable.push(basename(path));
    return { error };
  }
}

/**
 * Whether the backup is encrypted, from Manifest.plist alone. `undefined` is "unknown": the
 * manifest is missing or damaged, or it lacks IsEncrypted. We never guess "no" from an absent
 * answer: the owner would be told a backup needs no password when it does.
 */
function encryptionOf(manifest: PlistDict | undefined, manifestPath: string, problems: string[]): boolean | undefined {
  if (!manifest) return undefined;
  const v = getBool(manifest, 'IsEncrypted');
  if (v === undefined) problems.push(`${manifestPath}: does not say whether the backup is encrypted (no IsEncrypted)`);
  return v;
}

/**
 * Reads Info.plist, Status.plist and Manifest.plist, once each, and never throws for damage: each
 * missing or damaged file is a line in `problems` and a name in `unreadable`, and what the others
 * say is still returned. With `strict`, a Manifest.plist (or keybag) that cannot be used throws.
 */
export async function readBackupMetadata(dir: string, strict = false): Promise<BackupMetadata> {
  const problems: string[] = [];
  const unreadable: string[] = [];
  const infoPath = join(dir, 'Info.plist');
  const manifestPath = join(dir, 'Manifest.plist');
  const statusPath = join(dir, 'Status.plist');
  const missing = (path: string, why: string) => {
    problems.push(`${path}: missing${why}`);
    unreadable.push(basename(path));
  };
  let info: PlistDict | undefined;
  if (await exists(infoPath)) info = (await tryRead(infoPath, problems, unreadable)).dict;
  else missing(infoPath, '');
  let status: PlistDict | undefined;
  if (await exists(statusPath)) status = (await tryRead(statusPath, problems, unreadable)).dict;
  else missing(statusPath, ' (state unknown)');
  let manifest: PlistDict | undefined;
  let manifestError: CorruptInputError | undefined;
  if (await exists(manifestPath)) ({ dict: manifest, error: manifestError } = await tryRead(manifestPath, problems, unreadable));
  else {
    missing(manifestPath, ' (the backup never finished)');
    manifestError = new CorruptInputError(manifestPath, 'file not found (the backup never finished)');
  }

  const lockdown = manifest ? getDict(manifest, 'Lockdown') : undefined;
  const pick = (infoKey: string, lockdownKey: string) => (info && getString(info, infoKey)) ?? (lockdown && getString(lockdown, lockdownKey));
  const encrypted = encryptionOf(manifest, manifestPath, problems);
  const manifestKey = manifest ? getData(manifest, 'ManifestKey') : undefined;

  let keybag: Keybag | undefined;
  // An unknown answer with a ManifestKey is an encrypted iOS 10.2+ backup: read its keybag too.
  if (manifest && (encrypted === true || (encrypted === undefined && manifestKey))) {
    const kbBytes = getData(manifest, 'BackupKeyBag');
    try {
      if (!kbBytes) throw new CorruptInputError(manifestPath, 'encrypted backup without BackupKeyBag');
      keybag = parseKeybag(kbBytes, manifestPath);
    } catch (e) {
      manifestError = e instanceof CorruptInputError ? e : new CorruptInputError(manifestPath, (e as Error).message, { cause: e });
      problems.push(manifestError.message);
    }
  }
  if (strict && manifestError) throw manifestError;

  const snapshot = status ? getString(status, 'SnapshotState') : undefined;
  let state: BackupInfo['state'] = 'unknown';
  if (snapshot === 'finished') state = 'complete';
  else if (snapshot) state = 'in-progress';
  if (state === 'in-progress') problems.push(`backup is not finished (Status.plist SnapshotState "${snapshot}"): it was interrupted or is still being written`);

  const manifestFormat: BackupInfo['manifestFormat'] = (await exists(join(dir, 'Manifest.db'))) ? 'db' : (await exists(join(dir, 'Manifest.mbdb'))) ? 'mbdb' : 'unknown';
  if (manifestFormat === 'unknown' && manifest) problems.push(`${join(dir, 'Manifest.db')}: missing`);

  const productType = pick('Product Type', 'ProductType');
  const apps = info?.['Installed Applications'];
  const result: BackupInfo = {
    path: dir,
    udid: pick('Unique Identifier', 'UniqueDeviceID') ?? (info && getString(info, 'Target Identifier')),
    deviceName: pick('Device Name', 'DeviceName') ?? (info && getString(info, 'Display Name')),
    productType,
    modelName: modelName(productType),
    productVersion: pick('Product Version', 'ProductVersion'),
    buildVersion: pick('Build Version', 'BuildVersion'),
    serialNumber: pick('Serial Number', 'SerialNumber'),
    phoneNumber: info ? getString(info, 'Phone Number') : undefined,
    lastBackupDate: (info && getDate(info, 'Last Backup Date')) ?? (status && getDate(status, 'Date')) ?? (manifest && getDate(manifest, 'Date')),
    encrypted,
    passcodeSet: manifest ? getBool(manifest, 'WasPasscodeSet') : undefined,
    state,
    isFullBackup: status ? getBool(status, 'IsFullBackup') : undefined,
    manifestFormat,
    installedApps: Array.isArray(apps) ? apps.filter((a): a is string => typeof a === 'string') : manifest && isDict(manifest.Applications) ? Object.keys(manifest.Applications) : undefined,
  };
  return { info: result, manifest, keybag, manifestKey, problems, unreadable, manifestError };
}
