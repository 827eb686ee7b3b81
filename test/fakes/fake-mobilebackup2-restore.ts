/**
 * The device side of a mobilebackup2 Restore for the fake iPhone, driven as a real one drives it:
 * refuses with Find My on (211); pulls the backup's metadata (Status, Manifest, Manifest.db,
 * Info); checks the backup is finished and, when encrypted, that Options.Password opens its
 * keybag (207); lists the backup folder; creates, moves and removes items on the computer (one
 * of them inside the backup, which a careful host must not carry out); refuses when its disk is
 * too small (105); then pulls every file blob, decrypts it as the device would, and keeps what it
 * restored. Can drop the cable mid-transfer.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { openBackup } from '../../src/backup/open.js';
import { FileKind } from '../../src/backup/types.js';
import { getBool, getString, isDict, parsePlist, type PlistDict, type PlistValue } from '../../src/plist/plist.js';
import { makePrivateTempDir, removePrivateTempDir } from '../../src/fs/temp.js';
import type { SocketConnection } from '../../src/device/connection.js';
import { receivePlistValue, sendPlist } from '../../src/device/plist-service.js';
import { PlistReal, type WireValue } from '../../src/plist/value.js';

export interface RestoredFile {
  contents: Buffer;
  mtime?: Date;
  mode?: number;
  size: number;
}

export interface RestoreState {
  findMy: boolean;
  /** bytes free on the fake's disk (105 when the backup's files need more) */
  freeBytes: number;
  /** drop the connection after this many file blobs */
  unplugAfterBlobs?: number;
  /** what the last restore brought: "domain/relativePath" -> file */
  restored: Map<string, RestoredFile>;
  /** raw blobs as they arrived: "<Src>/xx/<fileID>" -> bytes */
  blobs: Map<string, Buffer>;
  options?: PlistDict;
  /** paths the host said it does not have */
  missing: string[];
  /** the answer the host gave when asked to remove an item inside the backup */
  removeInsideBackupStatus?: number;
  finished: boolean;
}

export function newRestoreState(o: Partial<RestoreState> = {}): RestoreState {
  return { findMy: false, freeBytes: 40_000_000_000, restored: new Map(), blobs: new Map(), missing: [], finished: false, ...o };
}

const send = (conn: SocketConnection, m: WireValue[]): Promise<void> => sendPlist(conn, m, 'binary');

async function status(conn: SocketConnection): Promise<PlistValue[]> {
  const v = await receivePlistValue(conn, 'host DeviceLink message');
  if (!Array.isArray(v) || v[0] !== 'DLMessageStatusResponse') throw new Error(`fake restore: expected a status response, got ${JSON.stringify(Array.isArray(v) ? v[0] : v)}`);
  return v;
}

/** Asks the host for files; returns the ones it had, and the paths it reported missing. */
async function download(conn: SocketConnection, paths: string[], progress: number): Promise<{ files: Map<string, Buffer>; missing: string[]; code: number }> {
  await send(conn, ['DLMessageDownloadFiles', paths, {}, new PlistReal(progress)]);
  const files = new Map<string, Buffer>();
  const missing: string[] = [];
  for (;;) {
    const n = (await conn.receive(4)).readUInt32BE(0);
    if (n === 0) break;
    const path = (await conn.receive(n)).toString('utf8');
    const chunks: Buffer[] = [];
    for (;;) {
      const len = (await conn.receive(4)).readUInt32BE(0);
      const code = (await conn.receive(1))[0];
      const data = await conn.receive(len - 1);
      if (code === 0x0c) chunks.push(data);
      else {
        if (code === 0x00) files.set(path, Buffer.concat(chunks));
        else missing.push(path);
        break;
      }
    }
  }
  const st = await status(conn);
  return { files, missing, code: Number(st[1]) };
}

function dict(bytes: Buffer | undefined, name: string): PlistDict | undefined {
  if (!bytes) return undefined;
  const v = parsePlist(bytes, name);
  return isDict(v) ? v : undefined;
}

/** false when the fake "was unplugged" */
export async function runRestore(conn: SocketConnection, msg: PlistDict, device: { udid: string; restore: RestoreState; unplug(): void; log: (r: string) => void }): Promise<boolean> {
  const state = device.restore;
  const reply = (d: { [k: string]: WireValue }): Promise<void> => send(conn, ['DLMessageProcessMessage', { MessageName: 'Response', ...d }]);
  const options = isDict(msg.Options) ? msg.Options : {};
  state.options = options;
  const src = getString(msg, 'SourceIdentifier') ?? '';
  if (getString(msg, 'TargetIdentifier') !== device.udid) return reply({ ErrorCode: 2, ErrorDescription: 'Unknown target' }).then(() => true);
  if (state.findMy) return reply({ ErrorCode: 211, ErrorDescription: 'Find My iPhone must be disabled before restoring' }).then(() => true);
  // 1. the metadata
  const names = ['Status.plist', 'Manifest.plist', 'Manifest.db', 'Info.plist'];
  const meta = await download(conn, names.map((n) => `${src}/${n}`), 0);
  const statusPlist = dict(meta.files.get(`${src}/Status.plist`), 'Status.plist');
  const manifest = dict(meta.files.get(`${src}/Manifest.plist`), 'Manifest.plist');
  if (!statusPlist || getString(statusPlist, 'SnapshotState') !== 'finished' || !manifest) return reply({ ErrorCode: 1, ErrorDescription: 'Backup is not complete' }).then(() => true);
  const work = makePrivateTempDir('irescue-fake-restore-');
  try {
    for (const [p, b] of meta.files) await writeFile(join(work, p.slice(src.length + 1)), b);
    const encrypted = getBool(manifest, 'IsEncrypted') === true;
    const password = getString(options, 'Password');
    let backup;
    try {
      backup = await openBackup(work, encrypted ? { password: password ?? '' } : {});
    } catch (e) {
      if ((e as { code?: string }).code === 'WRONG_PASSWORD' || (encrypted && password === undefined)) {
        await reply({ ErrorCode: 207, ErrorDescription: 'Invalid password when restoring encrypted backup (MBErrorDomain/207) MKBKeyBagUnlock error (-3)' });
        return true;
      }
      throw e;
    }
    try {
      // 2. what a device does on the computer before the files: list, create, move, remove
      await send(conn, ['DLContentsOfDirectory', src]);
      const listing = await status(conn);
      if (!isDict(listing[3]) || !('Manifest.plist' in listing[3])) throw new Error('fake restore: the host did not list the backup folder');
      await send(conn, ['DLMessageCreateDirectory', `${device.udid}/RestoreScratch`]);
      await status(conn);
      await send(conn, ['DLMessageMoveItems', { [`${src}/Info.plist`]: `${device.udid}/RestoreScratch/Info.plist` }, {}, new PlistReal(1)]);
      await status(conn);
      const moved = await download(conn, [`${device.udid}/RestoreScratch/Info.plist`], 1);
      if (!moved.files.get(`${device.udid}/RestoreScratch/Info.plist`)?.equals(meta.files.get(`${src}/Info.plist`) ?? Buffer.alloc(1))) throw new Error('fake restore: a moved item lost its contents');
      await send(conn, ['DLMessageRemoveItems', [`${src}/Manifest.mbdx`, `${src}/Status.plist`, `${device.udid}/RestoreScratch`], {}, new PlistReal(2)]);
      state.removeInsideBackupStatus = Number((await status(conn))[1]);
      await send(conn, ['DLMessageGetFreeDiskSpace']);
      await status(conn);
      // 3. room for it?
      const records = backup.files().filter((r) => r.kind === FileKind.File);
      const need = records.reduce((n, r) => n + r.size, 0);
      if (need > state.freeBytes) {
        await reply({ ErrorCode: 105, ErrorDescription: 'Insufficient free disk space on device to restore' });
        return true;
      }
      // 4. the blobs, a few per request, decrypted as the device would
      let count = 0;
      for (let i = 0; i < records.length; i += 4) {
        const batch = records.slice(i, i + 4);
        const paths = batch.map((r) => `${src}/${r.fileID.slice(0, 2)}/${r.fileID}`);
        if (state.unplugAfterBlobs !== undefined && count + batch.length > state.unplugAfterBlobs) {
          await send(conn, ['DLMessageDownloadFiles', paths, {}, new PlistReal(50)]);
          await conn.receive(4); // the host starts sending; the cable goes
          device.unplug();
          return false;
        }
        const got = await download(conn, paths, 10 + (80 * i) / records.length);
        state.missing.push(...got.missing);
        for (const r of batch) {
          const p = `${src}/${r.fileID.slice(0, 2)}/${r.fileID}`;
          const blob = got.files.get(p);
          if (!blob) continue;
          state.blobs.set(p, blob);
          const local = join(work, r.fileID.slice(0, 2), r.fileID);
          await mkdir(dirname(local), { recursive: true });
          await writeFile(local, blob);
          state.restored.set(`${r.domain}/${r.relativePath}`, { contents: await backup.readFile(r), mtime: r.mtime, mode: r.mode, size: r.size });
          count++;
        }
      }
    } finally {
      await backup.close();
    }
  } finally {
    removePrivateTempDir(work);
  }
  state.finished = true;
  device.log('mobilebackup2:Restore finished');
  await reply({ ErrorCode: 0, ErrorDescription: '' });
  if (options.RestoreShouldReboot !== false) setTimeout(() => device.unplug(), 50);
  return true;
}
