/**
 * The proof that the fake's restore side speaks the real protocol: Debian's `idevicebackup2
 * restore` (libimobiledevice-utils) restores a generated backup onto the fake, unencrypted and
 * encrypted; then our client restores the same backup and the device receives the same bytes.
 * idevicebackup2 carries out the device's moves and removals in the backup folder, so it gets a
 * copy; ours gets the original, which must come out unchanged. Also `irescue device restore`
 * through the CLI, and a CLI killed mid-restore. Skips when the tool is absent.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { buildXmlPlist, parsePlistDict } from '../../src/plist/plist.js';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FakeUsbmuxd } from '../fakes/usbmuxd.js';
import { FakeDevice, type FakeDeviceOptions } from '../fakes/fake-device.js';
import { makeBackup, makeEncryptedBackup, scratchDir, FIXTURE_PASSWORD } from '../fixtures/backups.js';
import { snapshotTree } from '../fixtures/snapshot.js';
import { runDeviceCli } from '../cli/run-device-cli.js';
import type { WrittenBackup } from '../../src/backup/writer.js';

const run = promisify(execFile);
function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const skip = hasTool('idevicebackup2') && hasTool('idevicepair') ? false : 'idevicebackup2 not installed (Debian package libimobiledevice-utils)';

let mux: FakeUsbmuxd;
before(async () => {
  mux = await FakeUsbmuxd.start();
});
after(() => mux.close());

function fresh(opts: FakeDeviceOptions = {}): FakeDevice {
  for (const d of [...mux.devices]) mux.detach(d);
  mux.pairRecords.clear();
  return mux.attach(new FakeDevice({ udid: '00008120-00AA00BB00CC00EE', productVersion: '18.2', ...opts }));
}

async function tool(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await run(args[0], args.slice(1), { env: { ...process.env, USBMUXD_SOCKET_ADDRESS: mux.address }, timeout: 60_000 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, out: (x.stdout ?? '') + (x.stderr ?? '') };
  }
}

/** idevicebackup2 restores a copy of the backup onto a fresh fake, with the options our defaults match (system files, the backup's settings); returns what the fake received. */
async function theirs(w: WrittenBackup, password?: string, apps = false): Promise<FakeDevice> {
  const dev = fresh();
  const root = join(scratchDir(), 'theirs');
  await mkdir(root);
  await cp(w.dir, join(root, w.udid), { recursive: true });
  assert.equal((await tool(['idevicepair', 'pair'])).code, 0);
  const r = await tool(['idevicebackup2', 'restore', '--system', '--settings', ...(apps ? [] : ['--skip-apps']), '-s', w.udid, ...(password ? ['--password', password] : []), root]);
  assert.equal(dev.restore.finished, true, r.out);
  return dev;
}

async function ours(w: WrittenBackup, password?: string): Promise<FakeDevice> {
  const dev = fresh();
  const r = await runDeviceCli(mux, ['device', 'restore', w.dir, '--pair', '--yes', '--json'], password ? { IRESCUE_PASSWORD: password } : {});
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).ok, true);
  assert.doesNotMatch(r.stdout + r.stderr, new RegExp(FIXTURE_PASSWORD));
  assert.equal(dev.restore.finished, true);
  return dev;
}

function sameDelivery(a: FakeDevice, b: FakeDevice): void {
  assert.ok(a.restore.blobs.size >= 8);
  assert.deepEqual([...b.restore.blobs.keys()].sort(), [...a.restore.blobs.keys()].sort());
  for (const [k, v] of a.restore.blobs) assert.deepEqual(b.restore.blobs.get(k), v, k);
  assert.deepEqual([...b.restore.restored.keys()].sort(), [...a.restore.restored.keys()].sort());
  for (const [k, v] of a.restore.restored) assert.deepEqual(b.restore.restored.get(k), v, k);
  assert.deepEqual(b.restore.missing.length, a.restore.missing.length);
  for (const k of ['RestoreSystemFiles', 'RestorePreserveSettings', 'RestoreDontCopyBackup', 'Password']) assert.deepEqual(b.restore.options?.[k], a.restore.options?.[k], k);
}

test('idevicebackup2 restores an unencrypted generated backup onto the fake; irescue device restore delivers the same bytes and leaves the backup unchanged', { skip }, async () => {
  const w = await makeBackup();
  const snap = snapshotTree(w.dir);
  const a = await theirs(w);
  const b = await ours(w);
  sameDelivery(a, b);
  assert.deepEqual(snapshotTree(w.dir), snap);
});

test('the same for an encrypted backup: both send the password, the fake decrypts every file', { skip }, async () => {
  const w = await makeEncryptedBackup();
  const snap = snapshotTree(w.dir);
  const a = await theirs(w, FIXTURE_PASSWORD);
  const b = await ours(w, FIXTURE_PASSWORD);
  sameDelivery(a, b);
  assert.deepEqual(snapshotTree(w.dir), snap);
  // a wrong password: idevicebackup2 leaves it to the device (207); we stop before sending anything
  const dev = fresh();
  const root = join(scratchDir(), 'wrong');
  await mkdir(root);
  await cp(w.dir, join(root, w.udid), { recursive: true });
  await tool(['idevicepair', 'pair']);
  await tool(['idevicebackup2', 'restore', '--skip-apps', '-s', w.udid, '--password', 'not it', root]);
  assert.equal(dev.restore.finished, false);
  assert.equal(dev.log.some((l) => l.request === 'mobilebackup2:Restore'), true, 'idevicebackup2 sent it; the device refused');
  const dev2 = fresh();
  const r = await runDeviceCli(mux, ['device', 'restore', w.dir, '--pair', '--yes'], { IRESCUE_PASSWORD: 'not it' });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /nothing was sent/);
  assert.equal(dev2.log.some((l) => l.request === 'mobilebackup2:Restore'), false);
});

test('the app list the backup names reaches the device as idevicebackup2 puts it (RestoreApplications.plist over AFC)', { skip }, async () => {
  const w = await makeBackup();
  const infoPath = join(w.dir, 'Info.plist');
  const info = parsePlistDict(await readFile(infoPath), infoPath);
  await writeFile(infoPath, buildXmlPlist({ ...info, Applications: { 'com.example.app': { CFBundleIdentifier: 'com.example.app', ApplicationSINF: Buffer.from('sinf') } } }));
  const a = await theirs(w, undefined, true);
  const b = await ours(w);
  const file = '/iTunesRestore/RestoreApplications.plist';
  assert.ok(a.afcFiles.get(file), 'idevicebackup2 wrote it');
  assert.deepEqual(parsePlistDict(b.afcFiles.get(file)!, file), parsePlistDict(a.afcFiles.get(file)!, file));
});

test('irescue device restore: the checks in words; Find My on stops with the step; no terminal and no --yes refuses', async () => {
  const w = await makeBackup();
  fresh({ restore: { findMy: true } });
  const r = await runDeviceCli(mux, ['device', 'restore', w.dir, '--pair', '--yes']);
  assert.equal(r.code, 6, r.stderr);
  assert.match(r.stderr, /Find My is on.*Find My iPhone > off/);
  fresh();
  const check = await runDeviceCli(mux, ['device', 'restore', w.dir, '--pair', '--check']);
  assert.equal(check.code, 0, check.stderr);
  assert.match(check.stderr, /ok {3}The backup is complete/);
  const noYes = await runDeviceCli(mux, ['device', 'restore', w.dir, '--pair']);
  assert.equal(noYes.code, 2);
  assert.match(noYes.stderr, /--yes/);
});

test('killing the CLI mid-restore leaves the backup untouched (bytes and mtimes)', async () => {
  const w = await makeEncryptedBackup({ files: [...Array.from({ length: 6 }, (_, i) => ({ domain: 'HomeDomain', relativePath: `big${i}.bin`, content: { size: 4 << 20 } }))] });
  const snap = snapshotTree(w.dir);
  const dev = fresh();
  const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'device', 'restore', w.dir, '--pair', '--yes', '--json'], {
    env: { ...process.env, USBMUXD_SOCKET_ADDRESS: mux.address, IRESCUE_PASSWORD: FIXTURE_PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // kill it once the device has started pulling blobs
  await new Promise<void>((resolve) => {
    const t = setInterval(() => {
      if (dev.restore.blobs.size > 0 || child.exitCode !== null) {
        clearInterval(t);
        resolve();
      }
    }, 5);
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('close', r));
  assert.equal(dev.restore.finished, false);
  assert.deepEqual(snapshotTree(w.dir), snap);
  assert.equal(basename(w.dir), w.udid);
});
