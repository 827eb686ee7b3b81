/**
 * USB stand-ins for what each host OS does to Recovery/DFU access (shared/DEVICE-REALITY.md 3, 5, 6):
 * Linux without libirecovery's udev rule (-3), Windows with Apple's driver (-12, -5), a slow
 * saveenv (timeout, stall), and the 10 s control-transfer timeout libirecovery uses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeUsbTransport, USB_TIMEOUT_MS, type NodeUsbDevice, type LibUsbError } from '../../../src/device/usb/node-usb.js';
import { exitRecovery, listRecoveryDevices } from '../../../src/device/usb/recovery.js';
import { SERIALS } from '../../fakes/usb-transport.js';
import { IrescueError } from '../../../src/errors.js';

const err = (errno: number): LibUsbError => Object.assign(new Error(`LIBUSB_ERROR ${errno}`), { errno });

function stub(opts: { openErrno?: number; failOn?: string; failErrno?: number } = {}): NodeUsbDevice & { sent: string[] } {
  return {
    busNumber: 1,
    deviceAddress: 3,
    deviceDescriptor: { idVendor: 0x05ac, idProduct: 0x1281, iSerialNumber: 3 },
    sent: [],
    open() {
      if (opts.openErrno !== undefined) throw err(opts.openErrno);
    },
    close() {},
    getStringDescriptor(_i, cb) {
      setImmediate(() => cb(undefined, SERIALS.iphone13Recovery));
    },
    controlTransfer(_t, _r, _v, _i, data, cb) {
      const text = data.toString('utf8');
      this.sent.push(`${text}@${this.timeout}`);
      setImmediate(() => (opts.failOn && text.startsWith(opts.failOn) ? cb(err(opts.failErrno ?? -1)) : cb(undefined)));
    },
  };
}

const transport = (d: NodeUsbDevice, platform: NodeJS.Platform): NodeUsbTransport => new NodeUsbTransport(async () => ({ getDeviceList: () => [d] }), platform);

test('Linux, no udev rule (-3): list and open both name libirecovery-common and usbmuxd, in a plain sentence', async () => {
  const t = transport(stub({ openErrno: -3 }), 'linux');
  const [d] = await listRecoveryDevices(t);
  assert.match(d.problem ?? '', /^this computer may not open the iPhone over USB/);
  assert.match(d.problem ?? '', /libirecovery-common/);
  assert.match(d.problem ?? '', /usbmuxd/);
  await assert.rejects(t.open(d.ref), (e: unknown) => e instanceof IrescueError && e.exitCode === 6 && /libirecovery-common/.test(e.message) && !/LIBUSB/.test(e.message));
});

for (const errno of [-12, -5]) {
  test(`Windows, Apple's driver (${errno}): says Apple Devices/iTunes must do the step, points at the buttons, never at WinUSB/Zadig`, async () => {
    const t = transport(stub({ openErrno: errno }), 'win32');
    const [d] = await listRecoveryDevices(t);
    assert.match(d.problem ?? '', /Apple Devices/);
    await assert.rejects(exitRecovery(t), (e: unknown) => {
      assert.ok(e instanceof IrescueError);
      assert.match(e.message, /Apple Devices \(or iTunes\)/);
      assert.match(e.message, /buttons/);
      assert.doesNotMatch(e.message, /WinUSB|Zadig|LIBUSB/i);
      return true;
    });
  });
}

test('control transfers get libirecovery\'s 10 s timeout; a saveenv that times out or stalls still lets reboot go out', async () => {
  assert.equal(USB_TIMEOUT_MS, 10_000);
  for (const errno of [-7, -9]) {
    const d = stub({ failOn: 'saveenv', failErrno: errno });
    await exitRecovery(transport(d, 'linux'));
    assert.deepEqual(d.sent, ['setenv auto-boot true\0@10000', 'saveenv\0@10000', 'reboot\0@10000']);
  }
});
