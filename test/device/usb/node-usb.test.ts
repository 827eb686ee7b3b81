/**
 * NodeUsbTransport over a stand-in for the `usb` package: which devices it opens, how it reads
 * the serial string, and how libusb error numbers map (a reboot that drops the device is "gone").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeUsbTransport, type NodeUsbDevice, type LibUsbError } from '../../../src/device/usb/node-usb.js';
import { exitRecovery } from '../../../src/device/usb/recovery.js';
import { SERIALS } from '../../fakes/usb-transport.js';
import { IrescueError } from '../../../src/errors.js';

function libusbError(errno: number, message: string): LibUsbError {
  return Object.assign(new Error(message), { errno });
}

function stubDevice(vendor: number, product: number, serial: string, address: number, opts: { openErrno?: number; failOn?: string; failErrno?: number } = {}): NodeUsbDevice & { opened: number; sent: string[] } {
  return {
    busNumber: 1,
    deviceAddress: address,
    deviceDescriptor: { idVendor: vendor, idProduct: product, iSerialNumber: 3 },
    opened: 0,
    sent: [],
    open() {
      if (opts.openErrno !== undefined) throw libusbError(opts.openErrno, 'LIBUSB_ERROR');
      this.opened++;
    },
    close() {},
    getStringDescriptor(index, cb) {
      setImmediate(() => (index === 3 ? cb(undefined, serial) : cb(libusbError(-5, 'LIBUSB_ERROR_NOT_FOUND'))));
    },
    controlTransfer(t, r, v, i, data, cb) {
      const text = data.toString('utf8');
      this.sent.push(text);
      setImmediate(() => (opts.failOn && text.startsWith(opts.failOn) ? cb(libusbError(opts.failErrno ?? -1, 'LIBUSB_ERROR')) : cb(undefined)));
    },
  };
}

test('lists only Apple Recovery/DFU devices, with their serial strings', async () => {
  const devices = [
    stubDevice(0x05ac, 0x12a8, 'normal-mode iPhone', 1),
    stubDevice(0x1234, 0x1227, 'not Apple', 2),
    stubDevice(0x05ac, 0x1281, SERIALS.iphone13Recovery, 3),
    stubDevice(0x05ac, 0x1227, SERIALS.iphoneXDfu, 4),
  ];
  const t = new NodeUsbTransport(async () => ({ getDeviceList: () => devices }));
  const refs = await t.list();
  assert.deepEqual(refs.map((r) => [r.productId, r.serial]), [
    [0x1281, SERIALS.iphone13Recovery],
    [0x1227, SERIALS.iphoneXDfu],
  ]);
  assert.equal(devices[0].opened, 0, 'a normal-mode device belongs to usbmuxd and is not opened');
});

test('leaving Recovery over the stand-in: a reboot that drops the device (NO_DEVICE, PIPE) is success', async () => {
  for (const errno of [-4, -9, -1]) {
    const dev = stubDevice(0x05ac, 0x1281, SERIALS.iphone13Recovery, 3, { failOn: 'reboot', failErrno: errno });
    const t = new NodeUsbTransport(async () => ({ getDeviceList: () => [dev] }));
    await exitRecovery(t);
    assert.deepEqual(dev.sent, ['setenv auto-boot true\0', 'saveenv\0', 'reboot\0']);
  }
});

test('a failing command before reboot is an error; no permission is explained', async () => {
  const dev = stubDevice(0x05ac, 0x1281, SERIALS.iphone13Recovery, 3, { failOn: 'saveenv', failErrno: -99 });
  await assert.rejects(exitRecovery(new NodeUsbTransport(async () => ({ getDeviceList: () => [dev] }))), (e: unknown) => e instanceof IrescueError && /saveenv/.test(e.message));
  const locked = stubDevice(0x05ac, 0x1281, SERIALS.iphone13Recovery, 3, { openErrno: -3 });
  const t = new NodeUsbTransport(async () => ({ getDeviceList: () => [locked] }));
  const refs = await t.list();
  assert.equal(refs[0].serial, '', 'listed even when it cannot be opened');
  await assert.rejects(t.open(refs[0]), /permission denied/);
});
