/**
 * The proof that the fake speaks the real protocol: Debian's libimobiledevice tools (ideviceinfo,
 * idevicepair, idevice_id) talk to our fake usbmuxd + lockdownd through USBMUXD_SOCKET_ADDRESS.
 * Pair records cross over both ways: made by idevicepair and used by us, made by us and used by
 * ideviceinfo. Skips when the tools are absent (Debian package libimobiledevice-utils).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { FakeUsbmuxd } from '../fakes/usbmuxd.js';
import { FakeDevice } from '../fakes/fake-device.js';
import { UsbmuxClient } from '../../src/device/usbmux/client.js';
import { resolveUsbmuxAddress } from '../../src/device/usbmux/address.js';
import { openLockdown } from '../../src/device/lockdown/session.js';
import { backupDevice } from '../../src/device/backup.js';
import { FAKE_FILES, fileId, parseStatusPlist } from '../fakes/fake-mobilebackup2.js';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = promisify(execFile);

function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const missing = ['ideviceinfo', 'idevicepair', 'idevice_id'].filter((t) => !hasTool(t));
const missingBackup = hasTool('idevicebackup2') ? false : 'idevicebackup2 not installed (Debian package libimobiledevice-utils)';
const skip = missing.length ? `libimobiledevice-utils not installed (missing ${missing.join(', ')})` : false;

let mux: FakeUsbmuxd;
let ours: UsbmuxClient;
before(async () => {
  mux = await FakeUsbmuxd.start();
  ours = new UsbmuxClient({ address: { kind: 'unix', path: mux.socketPath } });
});
after(() => mux.close());

function fresh(opts: ConstructorParameters<typeof FakeDevice>[0] = {}): FakeDevice {
  for (const d of [...mux.devices]) mux.detach(d);
  mux.pairRecords.clear();
  return mux.attach(new FakeDevice(opts));
}

async function tool(cmd: string, args: string[], address = mux.address): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(cmd, args, { env: { ...process.env, USBMUXD_SOCKET_ADDRESS: address }, timeout: 20_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

function field(out: string, key: string): string | undefined {
  return out.split('\n').find((l) => l.startsWith(`${key}: `))?.slice(key.length + 2);
}

test('idevice_id lists the fake device and ideviceinfo -s reads its public values', { skip }, async () => {
  const dev = fresh({ productType: 'iPhone16,1', productVersion: '18.1' });
  const ids = await tool('idevice_id', ['-l']);
  assert.equal(ids.code, 0, ids.stderr);
  assert.deepEqual(ids.stdout.trim().split('\n'), [dev.udid]);
  const info = await tool('ideviceinfo', ['-s']);
  assert.equal(info.code, 0, info.stderr);
  assert.equal(field(info.stdout, 'ProductType'), 'iPhone16,1');
  assert.equal(field(info.stdout, 'UniqueDeviceID'), dev.udid);
  assert.equal(field(info.stdout, 'SerialNumber'), undefined, 'unpaired view must not show paired-only keys');
});

test('idevicepair pairs with the fake; ideviceinfo then reads paired-only values over TLS; our client reuses that record', { skip }, async () => {
  const dev = fresh();
  const pair = await tool('idevicepair', ['pair']);
  assert.equal(pair.code, 0, pair.stdout + pair.stderr);
  assert.match(pair.stdout, /SUCCESS: Paired/);
  assert.ok(mux.pairRecords.has(dev.udid), 'idevicepair saved its record through usbmuxd');
  const validate = await tool('idevicepair', ['validate']);
  assert.equal(validate.code, 0, validate.stdout + validate.stderr);
  const info = await tool('ideviceinfo', []);
  assert.equal(info.code, 0, info.stderr);
  assert.equal(field(info.stdout, 'SerialNumber'), dev.values.SerialNumber);
  assert.ok(dev.log.some((r) => r.request === 'StartSession'));
  // the record libimobiledevice wrote is one we can read and use
  const pairs = dev.log.filter((r) => r.request === 'Pair').length;
  const s = await openLockdown({ usbmux: ours });
  assert.equal(await s.lockdown.getValue('SerialNumber'), dev.values.SerialNumber);
  await s.close();
  assert.equal(dev.log.filter((r) => r.request === 'Pair').length, pairs);
});

test('a record our client created is accepted by ideviceinfo (certificates and keys in the expected form)', { skip }, async () => {
  const dev = fresh();
  const s = await openLockdown({ usbmux: ours, pairIfNeeded: true });
  await s.close();
  const pairs = dev.log.filter((r) => r.request === 'Pair').length;
  const info = await tool('ideviceinfo', ['-k', 'SerialNumber']);
  assert.equal(info.code, 0, info.stderr);
  assert.equal(info.stdout.trim(), dev.values.SerialNumber);
  assert.equal(dev.log.filter((r) => r.request === 'Pair').length, pairs, 'ideviceinfo used our record instead of pairing again');
});

test('idevicepair on a locked fake reports the passcode, like on a real device', { skip }, async () => {
  fresh({ locked: true });
  const pair = await tool('idevicepair', ['pair']);
  assert.notEqual(pair.code, 0);
  assert.match(pair.stdout + pair.stderr, /passcode/i);
  assert.equal(mux.pairRecords.size, 0);
});

test('idevicepair reports a denied Trust prompt', { skip }, async () => {
  fresh({ trust: 'deny' });
  const pair = await tool('idevicepair', ['pair']);
  assert.notEqual(pair.code, 0);
  assert.match(pair.stdout + pair.stderr, /denied/i);
});

test('idevicebackup2 makes a full backup from the fake, then an incremental one; our client gets the same files', { skip: skip || missingBackup }, async () => {
  const dev = fresh();
  const dir = await mkdtemp(join(tmpdir(), 'irescue-ib2-'));
  try {
    assert.equal((await tool('idevicepair', ['pair'])).code, 0);
    await mkdir(join(dir, 'theirs'), { recursive: true });
    const a = await tool('idevicebackup2', ['backup', '--full', join(dir, 'theirs')]);
    assert.equal(a.code, 0, a.stdout + a.stderr);
    assert.match(a.stdout, /Backup Successful/);
    const theirs = join(dir, 'theirs', dev.udid);
    for (const f of FAKE_FILES) assert.deepEqual(await readFile(join(theirs, fileId(f).slice(0, 2), fileId(f))), f.contents);
    assert.equal(parseStatusPlist(await readFile(join(theirs, 'Status.plist'))).IsFullBackup, true);
    const b = await tool('idevicebackup2', ['backup', join(dir, 'theirs')]);
    assert.equal(b.code, 0, b.stdout + b.stderr);
    assert.equal(parseStatusPlist(await readFile(join(theirs, 'Status.plist'))).IsFullBackup, false, 'incremental: the fake read the previous Status.plist from idevicebackup2');
    const mine = await backupDevice(join(dir, 'ours'), { usbmux: ours, pairRecordFolders: [] });
    for (const f of FAKE_FILES) {
      const rel = join(fileId(f).slice(0, 2), fileId(f));
      assert.deepEqual(await readFile(join(mine.path, rel)), await readFile(join(theirs, rel)));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('idevicebackup2 turns encryption on and off on the fake; lockdownd then reports WillEncrypt', { skip: skip || missingBackup }, async () => {
  const dev = fresh();
  const dir = await mkdtemp(join(tmpdir(), 'irescue-ib2-'));
  try {
    assert.equal((await tool('idevicepair', ['pair'])).code, 0);
    const on = await tool('idevicebackup2', ['encryption', 'on', 'test-only-pw', dir]);
    assert.equal(on.code, 0, on.stdout + on.stderr);
    assert.match(on.stdout, /enabled successfully/);
    assert.equal(dev.backup.willEncrypt, true);
    const info = await tool('ideviceinfo', ['-q', 'com.apple.mobile.backup', '-k', 'WillEncrypt']);
    assert.equal(info.stdout.trim(), 'true');
    const wrong = await tool('idevicebackup2', ['encryption', 'off', 'not-it', dir]);
    assert.doesNotMatch(wrong.stdout, /disabled successfully/);
    assert.equal(dev.backup.willEncrypt, true);
    const off = await tool('idevicebackup2', ['encryption', 'off', 'test-only-pw', dir]);
    assert.match(off.stdout, /disabled successfully/);
    assert.equal(dev.backup.willEncrypt, false);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the same USBMUXD_SOCKET_ADDRESS in host:port form (usbmuxd over TCP, as on Windows) serves them and us', { skip }, async () => {
  const tcp = await FakeUsbmuxd.start({ tcp: true });
  try {
    const dev = tcp.attach(new FakeDevice({ productType: 'iPad13,1' }));
    assert.match(tcp.address, /^127\.0\.0\.1:\d+$/);
    const info = await tool('ideviceinfo', ['-s', '-k', 'ProductType'], tcp.address);
    assert.equal(info.code, 0, info.stderr);
    assert.equal(info.stdout.trim(), 'iPad13,1');
    const client = new UsbmuxClient({ address: resolveUsbmuxAddress({ USBMUXD_SOCKET_ADDRESS: tcp.address }, 'linux') });
    assert.equal((await client.findDevice()).udid, dev.udid);
  } finally {
    await tcp.close();
  }
});
