/**
 * The three plists at a backup's root, read into what users care about. Listing tolerates damage
 * (each problem becomes a line in `problems`); opening for decryption does not.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
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
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

async function tryRead(path: string, name: string, problems: string[]): Promise<PlistDict | undefined> {
  try {
    return await readPlistDict(path, name);
  } catch (e) {
    problems.push((e as Error).message);
    return undefined;
  }
}

/**
 * Reads Info.plist, Status.plist and Manifest.plist. With `strict`, a missing or damaged
 * Manifest.plist (or its keybag) throws CorruptInputError; otherwise it is listed as a problem.
 */
export async function readBackupMetadata(dir: string, strict = false): Promise<BackupMetadata> {
  const problems: string[] = [];
  const infoPath = join(dir, 'Info.plist');
  const manifestPath = join(dir, 'Manifest.plist');
  const statusPath = join(dir, 'Status.plist');
  const info = (await exists(infoPath)) ? await tryRead(infoPath, infoPath, problems) : (problems.push(`${infoPath}: missing`), undefined);
  const status = (await exists(statusPath)) ? await tryRead(statusPath, statusPath, problems) : undefined;
  let manifest: PlistDict | undefined;
  if (strict) manifest = await readPlistDict(manifestPath, manifestPath);
  else if (await exists(manifestPath)) manifest = await tryRead(manifestPath, manifestPath, problems);
  else problems.push(`${manifestPath}: missing (the backup never finished)`);

  const lockdown = manifest ? getDict(manifest, 'Lockdown') : undefined;
  const pick = (infoKey: string, lockdownKey: string) => (info && getString(info, infoKey)) ?? (lockdown && getString(lockdown, lockdownKey));
  const encrypted = manifest ? getBool(manifest, 'IsEncrypted') === true : false;

  let keybag: Keybag | undefined;
  let manifestKey: Buffer | undefined;
  if (manifest && encrypted) {
    const kbBytes = getData(manifest, 'BackupKeyBag');
    try {
      if (!kbBytes) throw new CorruptInputError(manifestPath, 'encrypted backup without BackupKeyBag');
      keybag = parseKeybag(kbBytes, manifestPath);
    } catch (e) {
      if (strict) throw e;
      problems.push((e as Error).message);
    }
    manifestKey = getData(manifest, 'ManifestKey');
  }

  const snapshot = status ? getString(status, 'SnapshotState') : undefined;
  let state: BackupInfo['state'] = 'unknown';
  if (snapshot === 'finished') state = 'complete';
  else if (snapshot) state = 'in-progress';
  if (!status) problems.push(`${statusPath}: missing (state unknown)`);
  else if (state === 'in-progress') problems.push(`backup is not finished (Status.plist SnapshotState "${snapshot}"): it was interrupted or is still being written`);

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
  return { info: result, manifest, keybag, manifestKey, problems };
}
