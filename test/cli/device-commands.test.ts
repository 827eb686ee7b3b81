/**
 * The device commands end to end: the CLI from source, as a user runs it, against the fake
 * usbmuxd + lockdownd through USBMUXD_SOCKET_ADDRESS.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FakeUsbmuxd } from '../fakes/usbmuxd.js';
import { FakeDevice } from '../fakes/fake-device.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

let mux: FakeUsbmuxd;
before(async () => {
  mux = await FakeUsbmuxd.start();
});
after(() => mux.close());

function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, USBMUXD_SOCKET_ADDRESS: mux.address, NO_COLOR: '1', ...extraEnv };
    delete env.IRESCUE_PASSWORD;
    if (!extraEnv.IRESCUE_NEW_PASSWORD) delete env.IRESCUE_NEW_PASSWORD;
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function fresh(opts: ConstructorParameters<typeof FakeDevice>[0] = {}): FakeDevice {
  for (const d of [...mux.devices]) mux.detach(d);
  mux.pairRecords.clear();
  return mux.attach(new FakeDevice(opts));
}

test('devices --json lists a normal-mode device with its model, iOS and pairing state', async () => {
  const dev = fresh({ productType: 'iPhone14,5', productVersion: '18.2', deviceName: 'Anna' });
  const r = await cli(['devices', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { devices: Array<Record<string, unknown>>; warnings: string[] };
  const normal = out.devices.filter((d) => d.mode === 'normal');
  assert.equal(normal.length, 1);
  assert.equal(normal[0].udid, dev.udid);
  assert.equal(normal[0].productType, 'iPhone14,5');
  assert.equal(normal[0].iosVersion, '18.2');
  assert.equal(normal[0].deviceName, 'Anna');
  assert.equal(normal[0].paired, false);
  assert.equal(normal[0].ecid, '001A2B3C4D5E801E');
});

test('device info: unpaired view, then --pair gives paired-only values; human output names the device', async () => {
  const dev = fresh();
  const a = await cli(['device', 'info', '--json']);
  assert.equal(a.code, 0, a.stderr);
  const ja = JSON.parse(a.stdout);
  assert.equal(ja.paired, false);
  assert.equal(ja.values.SerialNumber, undefined);
  const b = await cli(['device', 'info', '--pair', '--json']);
  assert.equal(b.code, 0, b.stderr);
  const jb = JSON.parse(b.stdout);
  assert.equal(jb.paired, true);
  assert.equal(jb.values.SerialNumber, dev.values.SerialNumber);
  assert.equal(typeof jb.values.DevicePublicKey, 'string');
  const c = await cli(['device', 'info']);
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stdout, new RegExp(`UDID ${dev.udid}`));
  assert.match(c.stdout, /SerialNumber: /);
});

test('pairing a locked device: exit 6 and the passcode message; --json gives the error document', async () => {
  fresh({ locked: true });
  const r = await cli(['device', 'info', '--pair', '--json']);
  assert.equal(r.code, 6);
  assert.match(r.stderr, /locked with its passcode/);
  const j = JSON.parse(r.stdout);
  assert.equal(j.error.code, 'DEVICE');
  assert.equal(j.error.details.lockdownCode, 'PasswordProtected');
});

test('pairing denied: exit 6 with the Trust message', async () => {
  fresh({ trust: 'deny' });
  const r = await cli(['device', 'info', '--pair']);
  assert.equal(r.code, 6);
  assert.match(r.stderr, /denied/);
});

test('no device: exit 6 (NoDeviceError)', async () => {
  for (const d of [...mux.devices]) mux.detach(d);
  const r = await cli(['device', 'info']);
  assert.equal(r.code, 6);
  assert.match(r.stderr, /no iPhone or iPad found/);
});

test('recovery enter on a paired device; the device leaves usbmuxd', async () => {
  fresh({ productVersion: '18.0' });
  assert.equal((await cli(['device', 'info', '--pair', '--json'])).code, 0);
  const r = await cli(['recovery', 'enter', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).ok, true);
  await new Promise((res) => setTimeout(res, 100));
  assert.equal(mux.devices.length, 0);
});

test('recovery enter on an unpaired iOS 17 device explains that pairing is needed', async () => {
  fresh({ productVersion: '17.0' });
  const r = await cli(['recovery', 'enter']);
  assert.equal(r.code, 6);
  assert.match(r.stderr, /pair/i);
});

test('usage errors: both --udid and --ecid; a UDID that holds no ECID for recovery exit', async () => {
  const a = await cli(['recovery', 'exit', '--udid', 'x', '--ecid', '1']);
  assert.equal(a.code, 2);
  const b = await cli(['recovery', 'exit', '--udid', '0123456789abcdef0123456789abcdef01234567']);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /ECID/);
});

test('device backup --out DIR --json: a finished backup in DIR/<UDID>', async () => {
  const dev = fresh();
  const { mkdtemp, readdir, rm, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'irescue-cli-backup-'));
  try {
    const r = await cli(['device', 'backup', '--out', dir, '--pair', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.ok, true);
    assert.equal(j.udid, dev.udid);
    assert.ok((await readdir(join(dir, dev.udid))).includes('Status.plist'));
    // encryption: on (new password from the environment), off with a wrong then the right password file
    const on = await cli(['device', 'encryption', 'on', '--json'], { IRESCUE_NEW_PASSWORD: 'pw-one' });
    assert.equal(on.code, 0, on.stderr);
    assert.equal(JSON.parse(on.stdout).encrypted, true);
    assert.doesNotMatch(on.stdout + on.stderr, /pw-one/);
    const pwFile = join(dir, 'pw.txt');
    await writeFile(pwFile, 'not-it\n');
    const wrong = await cli(['device', 'encryption', 'off', '--password-file', pwFile]);
    assert.equal(wrong.code, 3, wrong.stderr);
    assert.doesNotMatch(wrong.stderr, /not-it/);
    await writeFile(pwFile, 'pw-one\r\n');
    const off = await cli(['device', 'encryption', 'off', '--password-file', pwFile, '--json']);
    assert.equal(off.code, 0, off.stderr);
    assert.equal(JSON.parse(off.stdout).encrypted, false);
    const none = await cli(['device', 'encryption', 'on']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /IRESCUE_NEW_PASSWORD/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

