/**
 * What real iPhones (iOS 16.1 to 27) do during a backup that the plain fake does not: the passcode
 * sheet and its 208 reply, files ended with CODE_ERROR_REMOTE, the disk-space request and 105.
 * Wire texts from the references' issue threads (shared/DEVICE-REALITY.md).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeUsbmuxd } from '../../fakes/usbmuxd.js';
import { FakeDevice, type FakeDeviceOptions } from '../../fakes/fake-device.js';
import { FAKE_FILES, fileId } from '../../fakes/fake-mobilebackup2.js';
import { UsbmuxClient } from '../../../src/device/usbmux/client.js';
import { backupDevice } from '../../../src/device/backup.js';
import { Mobilebackup2Error } from '../../../src/device/services/mobilebackup2.js';
import { PASSCODE_PROMPT_MESSAGE, type DeviceNotice } from '../../../src/device/notices.js';
import type { ProgressEvent } from '../../../src/progress.js';

let mux: FakeUsbmuxd;
let usbmux: UsbmuxClient;
let out: string;
before(async () => {
  mux = await FakeUsbmuxd.start();
  usbmux = new UsbmuxClient({ address: { kind: 'unix', path: mux.socketPath } });
  out = await mkdtemp(join(tmpdir(), 'irescue-mb2r-'));
});
after(async () => {
  await mux.close();
  await rm(out, { recursive: true, force: true });
});

function fresh(opts: FakeDeviceOptions = {}): FakeDevice {
  for (const d of [...mux.devices]) mux.detach(d);
  return mux.attach(new FakeDevice(opts));
}

test('passcode gate: the prompt is announced within 2 s, while the phone still waits, then the backup completes', async () => {
  const dev = fresh({ passcodeGate: { delayMs: 3000, outcome: 'proceed' } });
  const notices: Array<DeviceNotice & { at: number }> = [];
  const progress: ProgressEvent[] = [];
  const started = Date.now();
  const r = await backupDevice(join(out, 'gate'), { usbmux, pair: true, pairRecordFolders: [], onNotice: (n) => notices.push({ ...n, at: Date.now() }), onProgress: (e) => progress.push(e) });
  const done = Date.now();
  const prompt = notices.find((n) => n.kind === 'passcode-prompt');
  assert.ok(prompt, JSON.stringify(notices));
  assert.equal(prompt.message, PASSCODE_PROMPT_MESSAGE);
  assert.ok(prompt.at - started < 2000 + 1000, `announced after ${prompt.at - started} ms`);
  assert.ok(done - prompt.at >= 2000, 'announced while the phone was still waiting, not after');
  assert.ok(progress.some((e) => e.phase === 'waiting-for-passcode' && e.detail === PASSCODE_PROMPT_MESSAGE), 'a progress value the wizard can render');
  assert.equal(r.filesReceived, FAKE_FILES.length + 3);
  assert.ok(dev.log.some((l) => l.request === 'np:ObserveNotification:com.apple.LocalAuthentication.ui.presented'));
});

test('passcode gate, never entered: 208 becomes a plain sentence with the next step, reason passcode-not-entered', async () => {
  fresh({ passcodeGate: { delayMs: 100, outcome: 'locked' } });
  await assert.rejects(backupDevice(join(out, 'locked'), { usbmux, pair: true, pairRecordFolders: [], onNotice: () => undefined }), (e: unknown) => {
    assert.ok(e instanceof Mobilebackup2Error);
    assert.equal(e.reason, 'passcode-not-entered');
    assert.equal(e.deviceErrorCode, 208);
    assert.match(e.message, /^the iPhone did not start the backup because its passcode was not entered\. Unlock the iPhone, run the backup again and enter the passcode/);
    assert.equal(e.exitCode, 6);
    return true;
  });
});

test('a file the phone ends with CODE_ERROR_REMOTE is reported, not written, and the next files still arrive', async () => {
  const dev = fresh();
  dev.backup.failFileIndex = 0;
  const notices: DeviceNotice[] = [];
  const r = await backupDevice(join(out, 'failed'), { usbmux, pair: true, pairRecordFolders: [], onNotice: (n) => notices.push(n) });
  const bad = `${dev.udid}/${fileId(FAKE_FILES[0]).slice(0, 2)}/${fileId(FAKE_FILES[0])}`;
  assert.deepEqual(r.failedFiles, [{ path: bad, reason: 'Input/output error (5)' }]);
  assert.ok(notices.some((n) => n.kind === 'failed-file' && n.path === bad));
  assert.equal(r.filesReceived, FAKE_FILES.length + 2);
  await assert.rejects(stat(join(out, 'failed', bad)), { code: 'ENOENT' });
  const left = await readdir(join(out, 'failed'), { recursive: true });
  assert.ok(!left.some((p) => String(p).endsWith('.irescue-partial')));
});

test('disk-space request: answered -1 (nothing deleted), explained in GB; 105 becomes the same plain sentence', async () => {
  const dev = fresh();
  const gib = 1024 ** 3;
  dev.backup.diskSpaceRequest = { bytes: 7 * gib, fail: true };
  const notices: DeviceNotice[] = [];
  await assert.rejects(backupDevice(join(out, 'space'), { usbmux, pair: true, pairRecordFolders: [], onNotice: (n) => notices.push(n) }), (e: unknown) => {
    assert.ok(e instanceof Mobilebackup2Error);
    assert.equal(e.reason, 'host-disk-full');
    assert.match(e.message, /^the iPhone needs about 5\.4 GB more free space on this computer's backup drive/);
    assert.match(e.message, /run the backup again/);
    return true;
  });
  assert.equal(dev.backup.purgeAnswer, -1);
  const n = notices.find((x) => x.kind === 'disk-space');
  assert.ok(n && n.kind === 'disk-space' && n.bytesWanted === 5 * gib && typeof n.bytesFree === 'number');
});

test('disk-space request the phone then lets go: the backup continues', async () => {
  const dev = fresh();
  dev.backup.diskSpaceRequest = { bytes: 3 * 1024 ** 3, fail: false };
  const r = await backupDevice(join(out, 'space-ok'), { usbmux, pair: true, pairRecordFolders: [] });
  assert.equal(dev.backup.purgeAnswer, -1);
  assert.equal(r.filesReceived, FAKE_FILES.length + 3);
});
