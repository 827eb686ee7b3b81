import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeUsbTransport, SERIALS } from '../../fakes/usb-transport.js';
import { exitRecovery, listRecoveryDevices, describeUsbDevice, encodeCommand } from '../../../src/device/usb/recovery.js';
import { parseIbootSerial, normalizeEcid } from '../../../src/device/usb/serial.js';
import { usbModeOf } from '../../../src/device/usb/transport.js';
import { DeviceLostError, NoDeviceError, UsageError } from '../../../src/errors.js';

test('serial strings: hex fields, 16-digit ECID, bracketed text', () => {
  const s = parseIbootSerial(SERIALS.iphone7Recovery);
  assert.equal(s.cpid, 0x8010);
  assert.equal(s.cprv, 0x11);
  assert.equal(s.cpfm, 3);
  assert.equal(s.scep, 1);
  assert.equal(s.bdid, 8);
  assert.equal(s.ibfl, 0x1a);
  assert.equal(s.ecid, '0000123456789ABC');
  assert.equal(s.srnm, 'F71XXXXXHG7K');
  assert.equal(s.imei, '355000000000000');
  assert.equal(s.nonc, '00112233445566778899AABBCCDDEEFF00112233');
  const d = parseIbootSerial(SERIALS.iphoneXDfu);
  assert.equal(d.srtg, 'iBoot-3332.0.0.1.23');
  assert.equal(d.srnm, undefined);
  assert.equal(parseIbootSerial(SERIALS.iphone13Recovery).sdom, 1);
  assert.deepEqual(parseIbootSerial('garbage').fields, {});
  assert.equal(parseIbootSerial('CPID:zz ECID:12345678901234567890').cpid, undefined);
});

test('ECID input forms', () => {
  assert.equal(normalizeEcid('0x1A2B3C4D5E801E'), '001A2B3C4D5E801E');
  assert.equal(normalizeEcid('001a2b3c4d5e801e'), '001A2B3C4D5E801E');
  assert.equal(normalizeEcid('7355608'), '0000000000703CD8');
  assert.equal(normalizeEcid('nope'), undefined);
  assert.equal(normalizeEcid('0x1' + '0'.repeat(16)), undefined);
});

test('modes by product ID, Apple only', () => {
  assert.equal(usbModeOf(0x05ac, 0x1227), 'dfu');
  for (const p of [0x1280, 0x1281, 0x1282, 0x1283]) assert.equal(usbModeOf(0x05ac, p), 'recovery');
  assert.equal(usbModeOf(0x05ac, 0x12a8), undefined);
  assert.equal(usbModeOf(0x1234, 0x1227), undefined);
});

test('devices are identified from CPID+BDID; unknown boards stay unnamed', async () => {
  const t = new FakeUsbTransport([
    { productId: 0x1281, serial: SERIALS.iphone13Recovery },
    { productId: 0x1227, serial: SERIALS.iphoneXDfu },
    { productId: 0x1281, serial: SERIALS.unknownRecovery },
  ]);
  const list = await listRecoveryDevices(t);
  assert.deepEqual(list.map((d) => [d.mode, d.productType, d.name, d.ecid]), [
    ['recovery', 'iPhone14,5', 'iPhone 13', '001A2B3C4D5E801E'],
    ['dfu', 'iPhone10,3', 'iPhone X', '000A1B2C3D4E5F60'],
    ['recovery', undefined, undefined, '00000000DEADBEEF'],
  ]);
  assert.equal(describeUsbDevice({ vendorId: 0x05ac, productId: 0x12a8, busNumber: 1, deviceAddress: 1, serial: '' }), undefined);
});

test('exit Recovery: setenv auto-boot true, saveenv, reboot as NUL-terminated vendor transfers', async () => {
  const t = new FakeUsbTransport([{ productId: 0x1281, serial: SERIALS.iphone13Recovery, rebootCutsTransfer: true }]);
  const d = await exitRecovery(t);
  assert.equal(d.ecid, '001A2B3C4D5E801E');
  assert.deepEqual(t.commands(), ['setenv auto-boot true\0', 'saveenv\0', 'reboot\0']);
  for (const x of t.transfers) assert.deepEqual(x.setup, { requestType: 0x40, request: 0, value: 0, index: 0 });
  assert.equal(t.present.length, 0, 'the device rebooted');
  assert.equal(t.closed, t.opened);
  assert.deepEqual(encodeCommand('saveenv'), Buffer.from('saveenv\0'));
});

test('exit Recovery chooses by ECID, refuses DFU, reports absence and unplugging', async () => {
  const t = new FakeUsbTransport([
    { productId: 0x1281, serial: SERIALS.iphone13Recovery },
    { productId: 0x1281, serial: SERIALS.iphone7Recovery },
    { productId: 0x1227, serial: SERIALS.iphoneXDfu },
  ]);
  await assert.rejects(exitRecovery(t), UsageError);
  await assert.rejects(exitRecovery(t, { ecid: '000A1B2C3D4E5F60' }), /DFU/);
  await assert.rejects(exitRecovery(t, { ecid: 'FFFFFFFFFFFFFFFF' }), NoDeviceError);
  const d = await exitRecovery(t, { ecid: '0000123456789ABC' });
  assert.equal(d.name, 'iPhone 7');
  assert.equal(t.present.length, 2);
  await assert.rejects(exitRecovery(new FakeUsbTransport([])), (e: unknown) => e instanceof NoDeviceError && e.exitCode === 6);
  const pulled = new FakeUsbTransport([{ productId: 0x1280, serial: SERIALS.iphone13Recovery, unplugOn: 'saveenv' }]);
  await assert.rejects(exitRecovery(pulled), DeviceLostError);
  assert.equal(pulled.closed, 1);
});

test('a NUL inside a command is refused', () => {
  assert.throws(() => encodeCommand('a\0b'), UsageError);
});
