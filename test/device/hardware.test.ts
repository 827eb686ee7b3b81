/**
 * Against a real iPhone/iPad, only when IRESCUE_DEVICE_TESTS=1 (never in CI): list devices through
 * the system's usbmuxd and USB, and read the connected device's public values. Read-only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deviceInfo, listDevices } from '../../src/device/devices.js';

const skip = process.env.IRESCUE_DEVICE_TESTS === '1' ? false : 'set IRESCUE_DEVICE_TESTS=1 with a device connected to run';

test('real device: listed, and its ProductType and UDID read without pairing', { skip }, async () => {
  const { devices, warnings } = await listDevices();
  assert.ok(devices.length > 0, `no device found (${warnings.join('; ')})`);
  const normal = devices.find((d) => d.mode === 'normal');
  if (!normal) return;
  const info = await deviceInfo({ udid: normal.udid });
  assert.equal(info.values.UniqueDeviceID, normal.udid);
  assert.match(String(info.values.ProductType), /^(iPhone|iPad|iPod)\d+,\d+$/);
});
