/**
 * The device commands end to end: the CLI from source, as a user runs it, against the fake
 * usbmuxd + lockdownd through USBMUXD_SOCKET_ADDRESS.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runDeviceCli } from './run-device-cli.js';
import { UsbmuxClient } from '../../src/device/usbmux/client.js';
import { openLockdown } from '../../src/device/lockdown/session.js';
import { FakeUsbmuxd } from '../fakes/usbmuxd.js';
import { FakeDevice } from '../fakes/fake-device.js';

let mux: FakeUsbmuxd;
before(async () => {
  mux = await FakeUsbmuxd.start();
});
after(() => mux.close());

const cli = (args: string[], env: Record<string, string> = {}) => runDeviceCli(mux, args, env);

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
  // pair through the library: one CLI start less
  const s = await openLockdown({ usbmux: new UsbmuxClient({ address: { kind: 'unix', path: mux.socketPath } }), pairIfNeeded: true });
  await s.close();
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
  assert.match(r.stderr, /trusts/);
  assert.match(r.stderr, /button sequence/);
});

test('usage errors: both --udid and --ecid; a UDID that holds no ECID for recovery exit', async () => {
  const a = await cli(['recovery', 'exit', '--udid', 'x', '--ecid', '1']);
  assert.equal(a.code, 2);
  const b = await cli(['recovery', 'exit', '--udid', '0123456789abcdef0123456789abcdef01234567']);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /ECID/);
});

