import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { FakeUsbmuxd } from '../fakes/usbmuxd.js';
import { FakeDevice } from '../fakes/fake-device.js';
import { FakeUsbTransport, SERIALS } from '../fakes/usb-transport.js';
import { UsbmuxClient } from '../../src/device/usbmux/client.js';
import { deviceInfo, diagnosticsAction, ecidFromUdid, enterRecovery, leaveRecovery, listDevices, modelLabel, watchDevices, type DeviceChange } from '../../src/device/devices.js';
import { LockdownError, UsageError } from '../../src/errors.js';

let mux: FakeUsbmuxd;
let usbmux: UsbmuxClient;
before(async () => {
  mux = await FakeUsbmuxd.start();
  usbmux = new UsbmuxClient({ address: { kind: 'unix', path: mux.socketPath } });
});
after(() => mux.close());

function fresh(opts: ConstructorParameters<typeof FakeDevice>[0] = {}): FakeDevice {
  for (const d of [...mux.devices]) mux.detach(d);
  mux.pairRecords.clear();
  return mux.attach(new FakeDevice(opts));
}

test('all three modes in one list, each with what identifies it', async () => {
  const dev = fresh({ productType: 'iPhone15,2', productVersion: '18.1' });
  const usb = new FakeUsbTransport([
    { productId: 0x1281, serial: SERIALS.iphone7Recovery },
    { productId: 0x1227, serial: SERIALS.iphoneXDfu },
  ]);
  const { devices, warnings } = await listDevices({ usbmux, usb, pairRecordFolders: [] });
  assert.deepEqual(warnings, []);
  assert.deepEqual(
    devices.map((d) => [d.mode, d.productType, d.udid ?? d.ecid]),
    [
      ['normal', 'iPhone15,2', dev.udid],
      ['recovery', 'iPhone9,1', '0000123456789ABC'],
      ['dfu', 'iPhone10,3', '000A1B2C3D4E5F60'],
    ],
  );
});

test('one unreachable source is a warning, the other still lists', async () => {
  const dead = new UsbmuxClient({ address: { kind: 'unix', path: `${mux.dir}/nothing.sock` } });
  const { devices, warnings } = await listDevices({ usbmux: dead, usb: new FakeUsbTransport([{ productId: 0x1280, serial: SERIALS.iphone13Recovery }]) });
  assert.equal(devices.length, 1);
  assert.equal(devices[0].mode, 'recovery');
  assert.match(warnings[0], /usbmuxd/);
});

test('device info without pairing, then paired; restart through diagnostics_relay', async () => {
  const dev = fresh();
  const a = await deviceInfo({ usbmux, pairRecordFolders: [] });
  assert.equal(a.paired, false);
  assert.equal(a.values.SerialNumber, undefined);
  const b = await deviceInfo({ usbmux, pair: true, pairRecordFolders: [] });
  assert.equal(b.paired, true);
  assert.equal(b.values.SerialNumber, dev.values.SerialNumber);
  await diagnosticsAction('Restart', { usbmux, pairRecordFolders: [] });
  assert.ok(dev.log.some((r) => r.request === 'diagnostics:Restart'));
});

test('restart needs pairing', async () => {
  fresh();
  await assert.rejects(diagnosticsAction('Shutdown', { usbmux, pairRecordFolders: [] }), (e: unknown) => e instanceof LockdownError && e.lockdownCode === 'InvalidHostID');
});

test('recovery enter by ECID finds the normal-mode device; iOS 14.4 needs no pairing', async () => {
  const dev = fresh({ productVersion: '14.4' });
  const d = await enterRecovery({ usbmux, ecid: '0x1A2B3C4D5E801E', usb: null, pairRecordFolders: [] });
  assert.equal(d.udid, dev.udid);
  assert.ok(dev.log.some((r) => r.request === 'EnterRecovery' && !r.session));
  await assert.rejects(enterRecovery({ usbmux, ecid: 'zz', usb: null }), UsageError);
});

test('recovery exit by UDID uses the ECID inside newer UDIDs', async () => {
  assert.equal(ecidFromUdid('00008110-001A2B3C4D5E801E'), '001A2B3C4D5E801E');
  assert.equal(ecidFromUdid('0123456789abcdef0123456789abcdef01234567'), undefined);
  const usb = new FakeUsbTransport([
    { productId: 0x1281, serial: SERIALS.iphone13Recovery },
    { productId: 0x1281, serial: SERIALS.iphone7Recovery },
  ]);
  const d = await leaveRecovery({ usb, udid: '00008110-001A2B3C4D5E801E' });
  assert.equal(d.ecid, '001A2B3C4D5E801E');
  assert.deepEqual(usb.commands(), ['setenv auto-boot true\0', 'saveenv\0', 'reboot\0']);
});

test('an unknown chip/board is named by its IDs', async () => {
  const { devices } = await listDevices({ usbmux: new UsbmuxClient({ address: { kind: 'unix', path: `${mux.dir}/none.sock` } }), usb: new FakeUsbTransport([{ productId: 0x1281, serial: SERIALS.unknownRecovery }]) });
  assert.equal(modelLabel(devices[0]), 'unknown model (CPID 0x9999, BDID 0x7F)');
  assert.equal(modelLabel({ mode: 'normal', connection: 'USB', productType: 'iPhone99,9' }), 'iPhone99,9');
});

test('watchDevices reports plug-in with the model and unplug by UDID', async () => {
  for (const d of [...mux.devices]) mux.detach(d);
  const changes: DeviceChange[] = [];
  let wake = (): void => undefined;
  const w = await watchDevices((c) => {
    changes.push(c);
    wake();
  }, { usbmux, pairRecordFolders: [] });
  const until = (n: number) => new Promise<void>((r) => { wake = () => changes.length >= n && r(); wake(); });
  const dev = mux.attach(new FakeDevice({ productType: 'iPhone16,1' }));
  await until(1);
  dev.unplug();
  await until(2);
  w.close();
  assert.equal(await w.done, undefined);
  assert.deepEqual(changes.map((c) => (c.type === 'attached' ? ['attached', c.device.productType, c.device.udid] : ['detached', c.udid])), [
    ['attached', 'iPhone16,1', dev.udid],
    ['detached', dev.udid],
  ]);
});

test('recovery enter on iOS 14.5+ from an untrusted computer: RecoveryNeedsTrustError with the button-sequence step', async () => {
  fresh({ productVersion: '18.0' });
  const { RecoveryNeedsTrustError } = await import('../../src/errors.js');
  await assert.rejects(enterRecovery({ usbmux, usb: null, pairRecordFolders: [] }), (e: unknown) => e instanceof RecoveryNeedsTrustError && /button sequence/.test(e.message) && typeof e.next === 'string');
});
