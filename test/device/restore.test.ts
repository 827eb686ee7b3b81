/**
 * Restoring a generated backup onto the fake iPhone: the plan's checks, every file arriving byte
 * for byte with its metadata (unencrypted and encrypted), the refusals as sentences, the backup
 * folder unchanged whatever the device asks or however the restore ends.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { FakeUsbmuxd } from '../fakes/usbmuxd.js';
import { FakeDevice, type FakeDeviceOptions } from '../fakes/fake-device.js';
import { UsbmuxClient } from '../../src/device/usbmux/client.js';
import { planDeviceRestore, runDeviceRestore, compareVersions } from '../../src/tasks/restore-backup-to-device.js';
import { restoreRequestOptions, defaultRestoreOptions } from '../../src/device/services/mobilebackup2-restore.js';
import { openBackup } from '../../src/backup/open.js';
import { makeBackup, makeEncryptedBackup, FIXTURE_PASSWORD } from '../fixtures/backups.js';
import { snapshotTree } from '../fixtures/snapshot.js';
import type { WrittenBackup } from '../../src/backup/writer.js';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildXmlPlist, parsePlistDict } from '../../src/plist/plist.js';

let mux: FakeUsbmuxd;
let usbmux: UsbmuxClient;
before(async () => {
  mux = await FakeUsbmuxd.start();
  usbmux = new UsbmuxClient({ address: { kind: 'unix', path: mux.socketPath } });
  connect = { usbmux, pair: true, pairRecordFolders: [] };
});
after(() => mux.close());

function fresh(opts: FakeDeviceOptions = {}): FakeDevice {
  for (const d of [...mux.devices]) mux.detach(d);
  return mux.attach(new FakeDevice({ udid: '00008120-00AA00BB00CC00DD', productVersion: '18.2', ...opts }));
}

let connect: { usbmux: UsbmuxClient; pair: boolean; pairRecordFolders: string[] };

/** every file of the backup, as the device must have it: plaintext, mtime and mode from the manifest */
async function expected(w: WrittenBackup, password?: string): Promise<Map<string, { contents: Buffer; mtime?: number; mode?: number }>> {
  const b = await openBackup(w.dir, password ? { password } : {});
  const out = new Map<string, { contents: Buffer; mtime?: number; mode?: number }>();
  for (const r of b.files()) {
    if (r.kind !== 1) continue;
    const contents = await b.readFile(r).catch(() => undefined);
    if (contents) out.set(`${r.domain}/${r.relativePath}`, { contents, mtime: r.mtime?.getTime(), mode: r.mode });
  }
  await b.close();
  return out;
}

function assertArrived(dev: FakeDevice, want: Map<string, { contents: Buffer; mtime?: number; mode?: number }>): void {
  assert.ok(want.size >= 8);
  assert.deepEqual([...dev.restore.restored.keys()].sort(), [...want.keys()].sort());
  for (const [k, f] of want) {
    const got = dev.restore.restored.get(k);
    assert.ok(got, k);
    assert.deepEqual(got.contents, f.contents, k);
    assert.equal(got.mtime?.getTime(), f.mtime, `${k} mtime`);
    assert.equal(got.mode, f.mode, `${k} mode`);
  }
}

test('versions compare numerically; the request options are the safe defaults, never a safety copy into the backup', () => {
  assert.ok(compareVersions('18.2', '18.10') < 0);
  assert.equal(compareVersions('17.5', '17.5.0'), 0);
  assert.ok(compareVersions('26.0', '18.7.2') > 0);
  const o = restoreRequestOptions(defaultRestoreOptions, 'pw');
  assert.equal(o.RestoreDontCopyBackup, true);
  assert.equal(o.RestoreSystemFiles, true);
  assert.equal(o.RemoveItemsNotRestored, false);
  assert.equal(o.Password, 'pw');
  assert.equal(restoreRequestOptions(defaultRestoreOptions).Password, undefined);
});

test('an unencrypted backup goes onto the fake byte for byte; the backup folder is unchanged although the device asked to move and remove in it', async () => {
  const w = await makeBackup();
  const snap = snapshotTree(w.dir);
  const dev = fresh();
  const plan = await planDeviceRestore(w.dir, connect);
  assert.equal(plan.canRestore, true, JSON.stringify(plan.checks));
  assert.deepEqual(plan.checks.map((c) => c.id).sort(), ['backup-complete', 'find-my', 'free-space', 'ios-version']);
  const events: number[] = [];
  const r = await runDeviceRestore(plan, { ...connect, onProgress: (e) => events.push(e.done) });
  assert.equal(dev.restore.finished, true);
  assertArrived(dev, await expected(w));
  assert.deepEqual(dev.restore.missing.map((p) => p.split('/').pop()), r.missing.map((p) => p.split('/').pop()), 'the file missing from the backup was reported per file');
  assert.equal(r.missing.length, 1);
  assert.equal(dev.restore.removeInsideBackupStatus, 0, 'the device was told its removal succeeded');
  assert.ok(r.ignoredWrites.some((x) => x.startsWith('remove ') && x.includes('Status.plist')));
  assert.deepEqual(snapshotTree(w.dir), snap, 'nothing in the backup changed: bytes, mtimes, folders');
  assert.ok(events.length > 0 && events.at(-1)! > 0);
  assert.equal(dev.restore.options?.RestoreDontCopyBackup, true);
});

test('an encrypted backup: the password is checked before anything is sent; the right one restores every file decrypted on the device', async () => {
  const w = await makeEncryptedBackup();
  const snap = snapshotTree(w.dir);
  const dev = fresh();
  const wrong = await planDeviceRestore(w.dir, { ...connect, password: 'not it' });
  assert.equal(wrong.canRestore, false);
  assert.match(wrong.checks.find((c) => c.id === 'password')!.next!, /irescue recover/);
  await assert.rejects(runDeviceRestore({ ...wrong, canRestore: true }, { ...connect, password: 'not it' }), (e: Error & { code?: string }) => e.code === 'WRONG_PASSWORD' && /nothing was sent/.test(e.message));
  assert.equal(dev.log.some((l) => l.request === 'mobilebackup2:Restore'), false, 'the device never saw a Restore');
  const none = await planDeviceRestore(w.dir, connect);
  assert.equal(none.checks.find((c) => c.id === 'password')?.ok, false);
  const plan = await planDeviceRestore(w.dir, { ...connect, password: FIXTURE_PASSWORD });
  assert.equal(plan.canRestore, true, JSON.stringify(plan.checks));
  assert.equal(JSON.stringify(plan).includes(FIXTURE_PASSWORD), false, 'the plan holds no password');
  await runDeviceRestore(plan, { ...connect, password: FIXTURE_PASSWORD });
  assert.equal(dev.restore.options?.Password, FIXTURE_PASSWORD);
  assertArrived(dev, await expected(w, FIXTURE_PASSWORD));
  assert.deepEqual(snapshotTree(w.dir), snap);
});

test('the device refuses: Find My (211), full (105), wrong password (207): each a sentence with the next step', async () => {
  const w = await makeBackup();
  let dev = fresh({ restore: { findMy: true } });
  let plan = await planDeviceRestore(w.dir, connect);
  assert.equal(plan.canRestore, false);
  assert.match(plan.checks.find((c) => c.id === 'find-my')!.next!, /Find My iPhone > off/);
  await assert.rejects(runDeviceRestore({ ...plan, canRestore: true }, connect), /Find My is on: .*turn it off.*run the restore again/);
  dev = fresh({ restore: { freeBytes: 100 } });
  plan = await planDeviceRestore(w.dir, connect);
  assert.equal(plan.checks.find((c) => c.id === 'free-space')?.ok, false);
  await assert.rejects(runDeviceRestore({ ...plan, canRestore: true }, connect), /not enough free space.*run the restore again/);
  assert.equal(dev.restore.finished, false);
  // a device that judges the password itself (the host's check skipped on purpose)
  const e = await makeEncryptedBackup();
  fresh();
  plan = await planDeviceRestore(e.dir, { ...connect, password: FIXTURE_PASSWORD });
  await assert.rejects(runDeviceRestore({ ...plan, backup: { ...plan.backup, encrypted: false } }, connect), (err: Error & { code?: string }) => err.code === 'WRONG_PASSWORD' && /did not accept the backup password/.test(err.message));
});

test('an older iOS on the device than in the backup stops the plan with the update step', async () => {
  const w = await makeBackup({ productVersion: '18.4' });
  fresh({ productVersion: '18.1' });
  const plan = await planDeviceRestore(w.dir, connect);
  const c = plan.checks.find((x) => x.id === 'ios-version')!;
  assert.equal(c.ok, false);
  assert.match(c.next!, /Update the iPhone first/);
  await assert.rejects(runDeviceRestore(plan, connect), /cannot start/);
});

test('the cable pulled mid-transfer: the restore fails, the backup is untouched', async () => {
  const w = await makeEncryptedBackup();
  const snap = snapshotTree(w.dir);
  fresh({ restore: { unplugAfterBlobs: 3 } });
  const plan = await planDeviceRestore(w.dir, { ...connect, password: FIXTURE_PASSWORD });
  await assert.rejects(runDeviceRestore(plan, { ...connect, password: FIXTURE_PASSWORD }));
  assert.deepEqual(snapshotTree(w.dir), snap);
});

test('apps the backup lists go to the device as /iTunesRestore/RestoreApplications.plist (removed again when the device refuses)', async () => {
  const w = await makeBackup();
  const infoPath = join(w.dir, 'Info.plist');
  const info = parsePlistDict(await readFile(infoPath), infoPath);
  const apps = { 'com.example.app': { CFBundleIdentifier: 'com.example.app', ApplicationSINF: Buffer.from('sinf'), iTunesMetadata: Buffer.from('meta') } };
  await writeFile(infoPath, buildXmlPlist({ ...info, Applications: apps }));
  const snap = snapshotTree(w.dir);
  let dev = fresh();
  const plan = await planDeviceRestore(w.dir, connect);
  assert.equal(plan.backup.apps, 1);
  const r = await runDeviceRestore(plan, connect);
  assert.equal(r.appsListed, 1);
  const sent = dev.afcFiles.get('/iTunesRestore/RestoreApplications.plist');
  assert.ok(sent, 'the app list reached the device');
  assert.deepEqual(parsePlistDict(sent, 'RestoreApplications.plist'), apps);
  dev = fresh({ restore: { findMy: true } });
  await assert.rejects(runDeviceRestore({ ...(await planDeviceRestore(w.dir, connect)), canRestore: true }, connect), /Find My/);
  assert.equal(dev.afcFiles.has('/iTunesRestore/RestoreApplications.plist'), false, 'a refused restore leaves no app list behind');
  dev = fresh();
  assert.equal((await runDeviceRestore(await planDeviceRestore(w.dir, connect), { ...connect, skipApps: true })).appsListed, 0);
  assert.equal(dev.afcFiles.size, 0);
  assert.deepEqual(snapshotTree(w.dir), snap);
});
