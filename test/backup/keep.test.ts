/** Never lose the old backup: keepBackup, keepBeforeBackup, `backups keep`, `device backup` keeping the previous one. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { keepBackup, keepBeforeBackup, keptCopyOf, keptName, listKeptCopies } from '../../src/backup/keep.js';
import { makeBackup, makeEncryptedBackup, scratchDir } from '../fixtures/backups.js';
import { snapshotTree } from '../fixtures/snapshot.js';
import { runCli } from '../cli/run-cli.js';
import { FakeUsbmuxd } from '../fakes/usbmuxd.js';
import { FakeDevice } from '../fakes/fake-device.js';
import { runDeviceCli } from '../cli/run-device-cli.js';

const fileSnapshot = (dir: string): Map<string, string> => new Map([...snapshotTree(dir)].filter(([k]) => !k.endsWith('/')));
/** a copy keeps mtimes to the millisecond (utimes takes a double), not to the nanosecond */
const roundedSnapshot = (dir: string): Map<string, string> => new Map([...fileSnapshot(dir)].map(([k, v]) => [k, v.replace(/ ([\d.]+)$/, (_, t: string) => ` ${Math.round(Number(t))}`)]));

test('keptName / keptCopyOf round-trip; other folder names are not kept copies', () => {
  const d = new Date('2026-01-15T10:20:30Z');
  const name = keptName('00008110-000A1B2C3D4E5F60', d);
  assert.equal(name, '00008110-000A1B2C3D4E5F60-20260115-102030');
  assert.deepEqual(keptCopyOf(`/x/${name}`), { udid: '00008110-000A1B2C3D4E5F60', date: d });
  assert.deepEqual(keptCopyOf(`/x/${name}-2`)?.udid, '00008110-000A1B2C3D4E5F60');
  assert.equal(keptCopyOf('/x/00008110-000A1B2C3D4E5F60'), undefined);
  assert.equal(keptCopyOf('/x/holiday-photos'), undefined);
});

test('keepBeforeBackup moves the old backup to <UDID>-<date> byte for byte; a second keep gets its own name', async () => {
  const w = await makeEncryptedBackup();
  const root = dirname(w.dir);
  const before = fileSnapshot(w.dir);
  const k = await keepBeforeBackup(root, w.udid);
  assert.ok(k);
  assert.equal(k.method, 'rename');
  assert.equal(basename(k.to), '00008110-000A1B2C3D4E5F60-20260115-102030', 'named after the backup date in Info.plist');
  assert.equal(existsSync(w.dir), false, 'the device folder is free for the new backup');
  assert.deepEqual(fileSnapshot(k.to), before, 'contents and mtimes unchanged');
  // a new backup of the same date would not overwrite the kept one
  await makeEncryptedBackup({ dir: w.dir });
  const k2 = await keepBeforeBackup(root, w.udid);
  assert.ok(k2);
  assert.notEqual(k2.to, k.to);
  assert.deepEqual(fileSnapshot(k.to), before);
  assert.deepEqual((await listKeptCopies(root, w.udid)).map((c) => c.path).sort(), [k.to, k2.to].sort());
});

test('keepBeforeBackup: nothing to keep, --no-keep, an empty folder, a damaged non-empty folder', async () => {
  const root = scratchDir();
  assert.equal(await keepBeforeBackup(root, 'abc'), undefined);
  const w = await makeBackup();
  assert.equal(await keepBeforeBackup(dirname(w.dir), w.udid, { keep: false }), undefined);
  assert.ok(existsSync(join(w.dir, 'Manifest.plist')));
  await mkdir(join(root, 'empty'));
  assert.equal(await keepBeforeBackup(root, 'empty'), undefined);
  await mkdir(join(root, 'odd'));
  await writeFile(join(root, 'odd', 'something.bin'), 'x');
  const k = await keepBeforeBackup(root, 'odd');
  assert.ok(k, 'a folder with anything in it is kept, not thrown away');
  assert.ok(existsSync(join(k.to, 'something.bin')));
});

test('keepBackup with method copy leaves the original untouched and makes a complete copy (Status.plist last)', async () => {
  const w = await makeBackup();
  const before = snapshotTree(w.dir);
  const k = await keepBackup(w.dir, { method: 'copy' });
  assert.equal(k.method, 'copy');
  assert.deepEqual(snapshotTree(w.dir), before, 'original unchanged, folders included');
  assert.deepEqual(roundedSnapshot(k.to), roundedSnapshot(w.dir));
  assert.equal((await readdir(dirname(w.dir))).some((n) => n.endsWith('.irescue-partial')), false);
  await assert.rejects(keepBackup(scratchDir()), /not a backup folder/);
});

test('irescue backups keep <backup>, then `backups` lists the kept copy as such', async () => {
  const w = await makeBackup();
  const before = snapshotTree(w.dir);
  const r = await runCli(['backups', 'keep', w.dir, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.method, 'copy');
  assert.deepEqual(snapshotTree(w.dir), before);
  const list = await runCli(['backups', '--root', dirname(w.dir)]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /kept copy of this device's backup from/);
  const json = JSON.parse((await runCli(['backups', '--root', dirname(w.dir), '--json'])).stdout);
  const kept = json.backups.filter((b: { keptCopyOf?: unknown }) => b.keptCopyOf);
  assert.equal(kept.length, 1);
  assert.equal(kept[0].path, j.to);
});

let mux: FakeUsbmuxd;
before(async () => {
  mux = await FakeUsbmuxd.start();
});
after(() => mux.close());

test('device backup over an existing backup keeps the old one first; --no-keep replaces it', async () => {
  const dev = mux.attach(new FakeDevice({ udid: '00008110-00000000000000C7' }));
  const root = scratchDir();
  const first = await runDeviceCli(mux, ['device', 'backup', '--out', root, '--pair', '--json']);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(JSON.parse(first.stdout).kept, undefined, 'nothing to keep the first time');
  const old = fileSnapshot(join(root, dev.udid));
  const second = await runDeviceCli(mux, ['device', 'backup', '--out', root]);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /earlier backup of this device was kept as/);
  const kept = await listKeptCopies(root, dev.udid);
  assert.equal(kept.length, 1);
  assert.deepEqual(fileSnapshot(kept[0].path), old, 'the old backup survives byte for byte');
  assert.ok(existsSync(join(root, dev.udid, 'Status.plist')), 'and the new one is there');
  const third = await runDeviceCli(mux, ['device', 'backup', '--out', root, '--no-keep', '--json']);
  assert.equal(third.code, 0, third.stderr);
  assert.equal(JSON.parse(third.stdout).kept, undefined);
  assert.equal((await listKeptCopies(root, dev.udid)).length, 1);
  mux.detach(dev);
});

test('device encryption on: the fresh backup that checks the new password keeps the earlier backup first', async () => {
  const dev = mux.attach(new FakeDevice({ udid: '00008110-00000000000000C8' }));
  const root = scratchDir();
  assert.equal((await runDeviceCli(mux, ['device', 'backup', '--out', root, '--pair'])).code, 0);
  const old = fileSnapshot(join(root, dev.udid));
  const on = await runDeviceCli(mux, ['device', 'encryption', 'on', '--udid', dev.udid, '--backup-dir', root, '--json'], { IRESCUE_NEW_PASSWORD: 'pw-keep' });
  assert.equal(on.code, 0, on.stderr);
  assert.equal(JSON.parse(on.stdout).verified, true);
  const kept = await listKeptCopies(root, dev.udid);
  assert.equal(kept.length, 1, 'the unencrypted backup was kept before the encrypted one replaced it');
  assert.deepEqual(fileSnapshot(kept[0].path), old);
  mux.detach(dev);
});
