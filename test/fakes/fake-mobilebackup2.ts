/**
 * The device side of mobilebackup2 for the fake device: DeviceLink handshake, Hello, a scripted
 * backup (asks for the previous Status.plist, free space, creates a folder, uploads a small backup
 * in the real layout, ends with ErrorCode 0) and ChangePassword with the device's own checks.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { aesWrap } from '../../src/backup/crypto.js';
import { serializeKeybag, WRAP_PASSCODE } from '../../src/backup/keybag.js';
import { deriveBackupKeys } from '../../src/kdf/backup-key.js';
import { NodeCryptoEngine } from '../../src/kdf/node-crypto.js';
import { buildBinaryPlist, getString, isDict, parsePlist, type PlistDict, type PlistValue } from '../../src/plist/plist.js';
import type { SocketConnection } from '../../src/device/connection.js';
import { receivePlistValue, sendPlist } from '../../src/device/plist-service.js';
import { PlistReal, type WireValue } from '../../src/plist/value.js';

export interface BackupState {
  willEncrypt: boolean;
  password?: string;
  /** ms the fake "waits for the passcode on the phone" before answering ChangePassword */
  passcodeDelayMs: number;
  /** drop the connection after this many uploaded files (unplug mid-backup) */
  unplugAfterFiles?: number;
  /** test-only: the keybag of backups is made with this password instead (a device that stored something else) */
  keybagPassword?: string;
}

export interface FakeBackupFile {
  domain: string;
  relativePath: string;
  contents: Buffer;
}

export const FAKE_FILES: FakeBackupFile[] = [
  { domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', contents: Buffer.from('fake sms database\n'.repeat(4000)) },
  { domain: 'CameraRollDomain', relativePath: 'Media/DCIM/100APPLE/IMG_0001.HEIC', contents: Buffer.from('fake photo') },
];

export function fileId(f: Pick<FakeBackupFile, 'domain' | 'relativePath'>): string {
  return createHash('sha1').update(`${f.domain}-${f.relativePath}`).digest('hex');
}

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

async function receiveArray(conn: SocketConnection): Promise<PlistValue[]> {
  const v = await receivePlistValue(conn, 'host DeviceLink message');
  if (!Array.isArray(v)) throw new Error('fake mobilebackup2: host sent a non-array');
  return v;
}

async function expectStatus(conn: SocketConnection): Promise<PlistValue[]> {
  const m = await receiveArray(conn);
  if (m[0] !== 'DLMessageStatusResponse') throw new Error(`fake mobilebackup2: expected a status response, got ${String(m[0])}`);
  return m;
}

const send = (conn: SocketConnection, m: WireValue[]): Promise<void> => sendPlist(conn, m, 'binary');

export async function serveMobilebackup2(conn: SocketConnection, device: { values: PlistDict; backup: BackupState; unplug(): void; log: (r: string) => void }): Promise<void> {
  await send(conn, ['DLMessageVersionExchange', 300, 0]);
  const ok = await receiveArray(conn);
  if (ok[1] !== 'DLVersionsOk') throw new Error('fake mobilebackup2: version refused');
  await send(conn, ['DLMessageDeviceReady']);
  for (;;) {
    const m = await receiveArray(conn);
    if (m[0] === 'DLMessageDisconnect') return conn.close();
    if (m[0] !== 'DLMessageProcessMessage' || !isDict(m[1])) throw new Error(`fake mobilebackup2: unexpected ${String(m[0])}`);
    const msg = m[1];
    const name = getString(msg, 'MessageName') ?? '';
    device.log(`mobilebackup2:${name}`);
    const reply = (d: { [k: string]: WireValue }): Promise<void> => send(conn, ['DLMessageProcessMessage', d]);
    if (name === 'Hello') {
      const versions = Array.isArray(msg.SupportedProtocolVersions) ? msg.SupportedProtocolVersions : [];
      await reply(versions.includes(2.1) ? { MessageName: 'Response', ErrorCode: 0, ProtocolVersion: new PlistReal(2.1) } : { MessageName: 'Response', ErrorCode: 1 });
    } else if (name === 'Backup') {
      const udid = getString(msg, 'TargetIdentifier') ?? '';
      if (udid !== device.values.UniqueDeviceID) await reply({ ErrorCode: 2, ErrorDescription: 'Unknown target' });
      else if (!(await runBackup(conn, udid, device))) return;
    } else if (name === 'ChangePassword') {
      await new Promise((r) => setTimeout(r, device.backup.passcodeDelayMs));
      await reply(changePassword(device.backup, msg));
    } else {
      await reply({ ErrorCode: 1, ErrorDescription: `Unknown message ${name}` });
    }
  }
}

function changePassword(state: BackupState, msg: PlistDict): { [k: string]: WireValue } {
  const oldPw = getString(msg, 'OldPassword');
  const newPw = getString(msg, 'NewPassword');
  const wrong = { ErrorCode: 207, ErrorDescription: 'Incorrect password' };
  if (newPw !== undefined && oldPw === undefined) {
    if (state.willEncrypt) return { ErrorCode: 211, ErrorDescription: 'Encryption already enabled' };
    state.willEncrypt = true;
    state.password = newPw;
  } else if (newPw === undefined && oldPw !== undefined) {
    if (!state.willEncrypt) return { ErrorCode: 212, ErrorDescription: 'Encryption not enabled' };
    if (oldPw !== state.password) return wrong;
    state.willEncrypt = false;
    state.password = undefined;
  } else if (newPw !== undefined && oldPw !== undefined) {
    if (!state.willEncrypt || oldPw !== state.password) return wrong;
    state.password = newPw;
  } else {
    return { ErrorCode: 1, ErrorDescription: 'No password given' };
  }
  return { ErrorCode: 0 };
}

async function fakeKeybag(password: string): Promise<Buffer> {
  const salt = randomBytes(20);
  const dpsl = randomBytes(20);
  const [kek] = await deriveBackupKeys(new NodeCryptoEngine(), [Buffer.from(password, 'utf8')], { salt, iterations: 100, dpsl, dpic: 1000 });
  const classKeys = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((c) => ({ uuid: randomBytes(16), protectionClass: c, wrap: WRAP_PASSCODE, keyType: 0, wrappedKey: aesWrap(kek, randomBytes(32)) }));
  return serializeKeybag({ version: 3, type: 1, uuid: randomBytes(16), wrap: 0, salt, iterations: 100, dpwt: 1, dpic: 1000, dpsl, classKeys });
}

/** false when the fake "was unplugged" during the backup */
async function runBackup(conn: SocketConnection, udid: string, device: { values: PlistDict; backup: BackupState; unplug(): void }): Promise<boolean> {
  // 1. the previous backup's Status.plist, to choose full or incremental
  await send(conn, ['DLMessageDownloadFiles', [`${udid}/Status.plist`], {}, new PlistReal(0)]);
  const requested = await readHostFiles(conn);
  await expectStatus(conn);
  const previous = requested.get(`${udid}/Status.plist`);
  const isFull = !previous;
  // 2. free space, 3. folder
  await send(conn, ['DLMessageGetFreeDiskSpace']);
  const space = await expectStatus(conn);
  if (typeof space[3] !== 'number' || space[3] <= 0) throw new Error('fake mobilebackup2: no free space reported');
  // the host creates nothing on its own: the device asks for the backup folder and each hash folder
  for (const dir of [udid, ...new Set(FAKE_FILES.map((f) => `${udid}/${fileId(f).slice(0, 2)}`))]) {
    await send(conn, ['DLMessageCreateDirectory', dir]);
    await expectStatus(conn);
  }
  // 4. the files
  const v = device.values;
  const manifest: PlistDict = {
    Version: '10.0',
    IsEncrypted: device.backup.willEncrypt,
    Date: new Date(),
    WasPasscodeSet: false,
    Lockdown: { ProductType: v.ProductType, ProductVersion: v.ProductVersion, BuildVersion: v.BuildVersion, UniqueDeviceID: udid, DeviceName: v.DeviceName, SerialNumber: v.SerialNumber },
    Applications: {},
  };
  // An encrypted backup carries a keybag that the backup password opens, as on a device (small
  // iteration counts: a test fixture, not a secret).
  if (device.backup.willEncrypt && device.backup.password !== undefined) manifest.BackupKeyBag = await fakeKeybag(device.backup.keybagPassword ?? device.backup.password);
  const status: PlistDict = { SnapshotState: 'finished', IsFullBackup: isFull, Version: '3.3', BackupState: isFull ? 'new' : 'old', Date: new Date(), UUID: randomUUID().toUpperCase() };
  const uploads: Array<[string, Buffer]> = [
    ...FAKE_FILES.map((f): [string, Buffer] => [`${udid}/${fileId(f).slice(0, 2)}/${fileId(f)}`, f.contents]),
    [`${udid}/Manifest.db`, Buffer.from('SQLite format 3\0fake manifest database')],
    [`${udid}/Manifest.plist`, buildBinaryPlist(manifest)],
    [`${udid}/Status.plist`, buildBinaryPlist(status)],
  ];
  const total = uploads.reduce((n, [, b]) => n + b.length, 0);
  await send(conn, ['DLMessageUploadFiles', {}, new PlistReal(50), total]);
  let sent = 0;
  for (const [path, data] of uploads) {
    if (device.backup.unplugAfterFiles !== undefined && sent === device.backup.unplugAfterFiles) {
      // half a file, then the cable goes
      await conn.send(Buffer.concat([u32(path.length), Buffer.from(path), u32(path.length), Buffer.from(path), u32(11), Buffer.from([0x0c]), Buffer.from('0123456789')]));
      device.unplug();
      return false;
    }
    const name = Buffer.from(path);
    const parts = [u32(name.length), name, u32(name.length), name];
    for (let i = 0; i < data.length; i += 16384) {
      const chunk = data.subarray(i, i + 16384);
      parts.push(u32(chunk.length + 1), Buffer.from([0x0c]), chunk);
    }
    parts.push(u32(1), Buffer.from([0x00]));
    await conn.send(Buffer.concat(parts));
    sent++;
  }
  await conn.send(u32(0));
  await expectStatus(conn);
  // 5. done
  await send(conn, ['DLMessageProcessMessage', { ErrorCode: 0, ErrorDescription: '', MessageName: 'Response' }]);
  return true;
}

/** The host's answer to DLMessageDownloadFiles: path → contents, for files it had. */
async function readHostFiles(conn: SocketConnection): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (;;) {
    const n = (await conn.receive(4)).readUInt32BE(0);
    if (n === 0) return out;
    const path = (await conn.receive(n)).toString('utf8');
    const chunks: Buffer[] = [];
    for (;;) {
      const len = (await conn.receive(4)).readUInt32BE(0);
      const code = (await conn.receive(1))[0];
      const data = await conn.receive(len - 1);
      if (code === 0x0c) chunks.push(data);
      else {
        if (code === 0x00) out.set(path, Buffer.concat(chunks));
        break;
      }
    }
  }
}

export function parseStatusPlist(bytes: Buffer): PlistDict {
  const v = parsePlist(bytes, 'Status.plist');
  if (!isDict(v)) throw new Error('Status.plist is not a dict');
  return v;
}
