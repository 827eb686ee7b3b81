import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as M from '../../../src/device/usbmux/messages.js';
import { CorruptInputError } from '../../../src/errors.js';

test('header round trip is 16 bytes little-endian', () => {
  const h = { length: 300, version: 1, message: 8, tag: 7 };
  const b = M.encodeHeader(h);
  assert.equal(b.length, 16);
  assert.equal(b.readUInt32LE(0), 300);
  assert.deepEqual(M.decodeHeader(b), h);
});

test('bad headers are corrupt input', () => {
  assert.throws(() => M.decodeHeader(Buffer.alloc(8)), CorruptInputError);
  assert.throws(() => M.decodeHeader(M.encodeHeader({ length: 4, version: 1, message: 8, tag: 1 })), CorruptInputError);
  assert.throws(() => M.decodeHeader(M.encodeHeader({ length: 0xffffffff, version: 1, message: 8, tag: 1 })), CorruptInputError);
});

test('a packet carries an XML plist body and decodes back', () => {
  const p = M.encodePacket(5, M.connectRequest(3, 62078));
  const h = M.decodeHeader(p);
  assert.equal(h.length, p.length);
  assert.equal(h.message, M.USBMUX_MESSAGE_PLIST);
  assert.ok(p.subarray(16).toString('utf8').startsWith('<?xml'));
  const body = M.decodePayload(h, p.subarray(16));
  assert.equal(body.MessageType, 'Connect');
  assert.equal(body.DeviceID, 3);
  // libusbmuxd sends htons(port): 62078 = 0xF27E travels as 0x7EF2
  assert.equal(body.PortNumber, 0x7ef2);
  assert.equal(M.swapPort(M.swapPort(62078)), 62078);
});

test('binary-protocol packets are refused', () => {
  assert.throws(() => M.decodePayload({ length: 16, version: 0, message: 3, tag: 1 }, Buffer.alloc(0)), /plist protocol/);
});

test('device list and events round trip; 24-digit serials get their UDID dash back', () => {
  const dev: M.UsbmuxDevice = { deviceId: 4, udid: '00008110-001A2B3C4D5E801E', serialNumber: '00008110001A2B3C4D5E801E', connectionType: 'USB', productId: 0x12a8, locationId: 17 };
  const list = M.parseDeviceList({ DeviceList: [{ MessageType: 'Attached', DeviceID: 4, Properties: M.encodeDeviceProperties(dev) }] });
  assert.deepEqual(list, [dev]);
  assert.deepEqual(M.parseEvent(M.encodeEvent({ type: 'attached', device: dev })), { type: 'attached', device: dev });
  assert.deepEqual(M.parseEvent(M.encodeEvent({ type: 'detached', deviceId: 4 })), { type: 'detached', deviceId: 4 });
  assert.deepEqual(M.parseEvent(M.encodeEvent({ type: 'paired', deviceId: 4 })), { type: 'paired', deviceId: 4 });
  assert.equal(M.normalizeUdid('0123456789abcdef0123456789abcdef01234567'), '0123456789abcdef0123456789abcdef01234567');
});

test('malformed device records are corrupt input', () => {
  assert.throws(() => M.parseDeviceList({}), CorruptInputError);
  assert.throws(() => M.parseDeviceList({ DeviceList: [{ DeviceID: 1 }] }), CorruptInputError);
  assert.throws(() => M.parseDeviceProperties({ DeviceID: 1, SerialNumber: 'x', ConnectionType: 'Bluetooth' }), /ConnectionType/);
  assert.throws(() => M.parseEvent({ MessageType: 'Detached' }), CorruptInputError);
});

test('result replies are told apart from data replies', () => {
  assert.equal(M.resultNumber(M.resultMessage(3)), 3);
  assert.equal(M.resultNumber({ BUID: 'x' }), undefined);
});
