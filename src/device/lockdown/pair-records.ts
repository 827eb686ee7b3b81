/**
 * Where pair records live. usbmuxd owns them (ReadPairRecord/SavePairRecord), and keeps them as
 * files: /var/lib/lockdown (Linux usbmuxd), /var/db/lockdown (macOS, root only),
 * C:\ProgramData\Apple\Lockdown (Windows). We ask usbmuxd first and read the folders as a fallback.
 */
import { readFile } from 'node:fs/promises';
import { join, win32 } from 'node:path';
import { parsePlistDict } from '../../plist/plist.js';
import type { UsbmuxClient } from '../usbmux/client.js';
import { pairRecordFromPlist, type PairRecord } from './pairing.js';

export function pairRecordFolders(platform: NodeJS.Platform = process.platform, env: Record<string, string | undefined> = process.env): string[] {
  if (platform === 'win32') return [win32.join(env.ProgramData ?? env.ALLUSERSPROFILE ?? 'C:\\ProgramData', 'Apple', 'Lockdown')];
  if (platform === 'darwin') return ['/var/db/lockdown'];
  return ['/var/lib/lockdown', '/var/db/lockdown'];
}

export function parsePairRecord(bytes: Buffer, name: string): PairRecord | undefined {
  try {
    return pairRecordFromPlist(parsePlistDict(bytes, name));
  } catch {
    return undefined; // a damaged record is as good as none: pairing again replaces it
  }
}

export async function readPairRecordFromFolders(udid: string, folders = pairRecordFolders()): Promise<PairRecord | undefined> {
  for (const dir of folders) {
    const file = join(dir, `${udid}.plist`);
    const bytes = await readFile(file).catch(() => undefined);
    const rec = bytes && parsePairRecord(bytes, file);
    if (rec) return rec;
  }
  return undefined;
}

export async function readPairRecord(udid: string, usbmux: UsbmuxClient | undefined, folders?: string[]): Promise<PairRecord | undefined> {
  if (usbmux) {
    const bytes = await usbmux.readPairRecord(udid).catch(() => undefined);
    const rec = bytes && parsePairRecord(bytes, `usbmuxd pair record ${udid}`);
    if (rec) return rec;
  }
  return readPairRecordFromFolders(udid, folders);
}
