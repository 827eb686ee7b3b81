import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeUsbmuxd } from '../../fakes/usbmuxd.js';
import { FakeDevice } from '../../fakes/fake-device.js';
import { FAKE_FILES, fileId, parseStatusPlist } from '../../fakes/fake-mobilebackup2.js';
import { UsbmuxClient } from '../../../src/device/usbmux/client.js';
import { backupDevice, setBackupEncryption } from '../../../src/device/backup.js';
import { resolveInside } from '../../../src/device/services/backup-files.js';
import { parsePlistDict } from '../../../src/plist/plist.js';
import type { ProgressEvent } from '../../../src/progress.js';
import { CancelledError, CorruptInputError, DeviceLostError, UsageError, WrongPasswordError } from '../../../src/errors.js';

let mux: FakeUsbmuxd;
let usbmux: UsbmuxClient;
let out: string;
before(async () => {
  mux = await FakeUsbmuxd.start();
  usbmux = new UsbmuxClient({ address: { kind: 'unix', path: mux.socketPath } });
  out = await mkdtemp(join(tmpdir(), 'irescue-mb2-'));
});
after(async () => {
  await mux.close();
  await rm(out, { recursive: true, force: true });
});

function fresh(opts: ConstructorParameters<typeof FakeDevice>[0] = {}): FakeDevice {
  for (const d of [...mux.devices]) mux.detach(d);
  return mux.attach(new FakeDevice(opts));
}

async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name).slice(dir.length + 1)).sort();
}

test('a full backup lands in <out>/<UDID> with the device files, Info.plist and a finished Status.plist; then incremental', async () => {
  const dev = fresh();
  const root = join(out, 'b1');
  const events: ProgressEvent[] = [];
  const r = await backupDevice(root, { usbmux, pair: true, pairRecordFolders: [], onProgress: (e) => events.push(e) });
  assert.equal(r.udid, dev.udid);
  assert.equal(r.isFullBackup, true);
  assert.equal(r.encrypted, false);
  assert.equal(r.filesReceived, FAKE_FILES.length + 3);
  for (const f of FAKE_FILES) assert.deepEqual(await readFile(join(r.path, fileId(f).slice(0, 2), fileId(f))), f.contents);
  const info = parsePlistDict(await readFile(join(r.path, 'Info.plist')));
  assert.equal(info['Product Type'], dev.values.ProductType);
  assert.equal(info['Target Identifier'], dev.udid);
  assert.equal(parseStatusPlist(await readFile(join(r.path, 'Status.plist'))).SnapshotState, 'finished');
  assert.ok(events.length > 0 && events.every((e) => e.unit === 'bytes'));
  assert.equal(events.at(-1)!.done, r.bytesReceived);
  assert.ok(!(await listTree(root)).some((p) => p.includes('.irescue-')));
  const again = await backupDevice(root, { usbmux, pairRecordFolders: [] });
  assert.equal(again.isFullBackup, false, 'the device saw the previous Status.plist');
});

test('encryption on, change, off; the device checks the current password', async () => {
  const dev = fresh({ passcodeDelayMs: 30 });
  let waited = 0;
  const opts = { usbmux, pair: true, pairRecordFolders: [], onWaiting: () => waited++ };
  assert.deepEqual(await setBackupEncryption({ mode: 'on', newPassword: 'first pw' }, opts), { udid: dev.udid, encrypted: true });
  assert.equal(waited, 1);
  await assert.rejects(setBackupEncryption({ mode: 'on', newPassword: 'x' }, opts), UsageError);
  await assert.rejects(setBackupEncryption({ mode: 'change', oldPassword: 'wrong', newPassword: 'second' }, opts), (e: unknown) => e instanceof WrongPasswordError && e.exitCode === 3 && !e.message.includes('wrong'));
  await setBackupEncryption({ mode: 'change', oldPassword: 'first pw', newPassword: 'second' }, opts);
  assert.equal(dev.backup.password, 'second');
  await assert.rejects(setBackupEncryption({ mode: 'off', oldPassword: 'first pw' }, opts), WrongPasswordError);
  assert.deepEqual(await setBackupEncryption({ mode: 'off', oldPassword: 'second' }, opts), { udid: dev.udid, encrypted: false });
  await assert.rejects(setBackupEncryption({ mode: 'off', oldPassword: 'second' }, opts), UsageError);
  const r = await backupDevice(join(out, 'b2'), { usbmux, pairRecordFolders: [] });
  assert.equal(r.encrypted, false);
});

test('unplugged mid-backup: DeviceLostError, no partial file left, no finished Status.plist', async () => {
  fresh({ unplugAfterFiles: 1 });
  const root = join(out, 'b3');
  await assert.rejects(backupDevice(root, { usbmux, pair: true, pairRecordFolders: [] }), (e: unknown) => e instanceof DeviceLostError && e.exitCode === 6);
  const files = await listTree(root);
  assert.ok(!files.some((p) => p.includes('.irescue-')), files.join(','));
  assert.ok(!files.some((p) => p.endsWith('Status.plist')));
  assert.equal(files.filter((p) => !p.endsWith('Info.plist')).length, 1, 'only the one complete file');
});

test('device paths cannot leave the backup folder', () => {
  assert.equal(resolveInside('/b', 'U/ab/cd'), join('/b', 'U/ab/cd'));
  for (const bad of ['../x', 'U/../../x', '/etc/passwd', 'C:\\x', 'a\0b']) assert.throws(() => resolveInside('/b', bad), CorruptInputError, bad);
});

test('Ctrl-C while the device waits for its passcode: CancelledError (exit 130)', async () => {
  fresh({ passcodeDelayMs: 5000 });
  const ac = new AbortController();
  const started = Date.now();
  setTimeout(() => ac.abort(), 100);
  await assert.rejects(setBackupEncryption({ mode: 'on', newPassword: 'x' }, { usbmux, pair: true, pairRecordFolders: [], signal: ac.signal }), (e: unknown) => e instanceof CancelledError && e.exitCode === 130);
  assert.ok(Date.now() - started < 4000, 'stopped without waiting for the device');
});
