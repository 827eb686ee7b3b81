/**
 * The bundled demo: a realistic encrypted backup generated locally on first use (nothing is
 * downloaded or committed), so a new user can try every backup flow at once. Its password is public.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { userCacheDir } from '../cache-dir.js';
import { writeBackup, type WriterFile } from './writer.js';
import { FileKind } from './types.js';

export const DEMO_PASSWORD = 'demo1234';
export const DEMO_UDID = '00008110-001D2C3B4A596877';

function demoFiles(): WriterFile[] {
  const d = (iso: string) => new Date(iso);
  return [
    { domain: 'HomeDomain', relativePath: '', kind: FileKind.Directory },
    { domain: 'HomeDomain', relativePath: 'Library', kind: FileKind.Directory },
    { domain: 'HomeDomain', relativePath: 'Library/Notes/welcome.txt', content: Buffer.from('Welcome to the irescue demo backup.\nEverything here was generated on your computer.\n'), mtime: d('2025-12-24T18:00:00Z') },
    { domain: 'HomeDomain', relativePath: 'Library/Preferences/com.apple.demo.plist', content: Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>Demo</key><true/></dict></plist>\n') },
    { domain: 'CameraRollDomain', relativePath: 'Media/DCIM/100APPLE/IMG_0001.TXT', content: Buffer.from('A photo would be here.\n'), mtime: d('2025-08-01T09:30:00Z') },
    { domain: 'MediaDomain', relativePath: 'Media/Recordings/Voice memo.txt', content: Buffer.from('A voice memo would be here.\n'), mtime: d('2025-09-12T14:00:00Z') },
    { domain: 'AppDomain-com.example.diary', relativePath: 'Documents/2026-01-01.md', content: Buffer.from('# New year\nStarted using irescue.\n'), mtime: d('2026-01-01T10:00:00Z') },
  ];
}

/** The demo backup folder, generated on first call (about 2 s: it uses the real 10,000,000 rounds). */
export async function ensureDemoBackup(root = join(userCacheDir(), 'demo')): Promise<string> {
  const dir = join(root, DEMO_UDID);
  if (existsSync(join(dir, 'Manifest.plist'))) return dir;
  const staging = join(root, `.staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  await writeBackup({
    dir: staging,
    udid: DEMO_UDID,
    seed: 'irescue-demo',
    deviceName: "Demo's iPhone",
    productType: 'iPhone14,5',
    productVersion: '18.6.2',
    buildVersion: '22G100',
    serialNumber: 'DEMO0000000X',
    date: new Date('2026-02-14T09:41:00Z'),
    files: demoFiles(),
    encryption: { password: DEMO_PASSWORD, dpic: 10_000_000, iterations: 10_000 },
  });
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return dir;
}
