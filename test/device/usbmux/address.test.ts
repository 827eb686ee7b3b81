import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveUsbmuxAddress, describeAddress } from '../../../src/device/usbmux/address.js';

const at = (v: string | undefined, platform: NodeJS.Platform = 'linux') => resolveUsbmuxAddress({ USBMUXD_SOCKET_ADDRESS: v }, platform);

test('platform defaults', () => {
  assert.deepEqual(at(undefined), { kind: 'unix', path: '/var/run/usbmuxd' });
  assert.deepEqual(at(undefined, 'darwin'), { kind: 'unix', path: '/var/run/usbmuxd' });
  assert.deepEqual(at(undefined, 'win32'), { kind: 'tcp', host: '127.0.0.1', port: 27015 });
});

test('USBMUXD_SOCKET_ADDRESS forms libusbmuxd accepts', () => {
  assert.deepEqual(at('UNIX:/tmp/x/sock'), { kind: 'unix', path: '/tmp/x/sock' });
  assert.deepEqual(at('192.168.1.5:27015'), { kind: 'tcp', host: '192.168.1.5', port: 27015 });
  assert.deepEqual(at('[::1]:5000'), { kind: 'tcp', host: '::1', port: 5000 });
  assert.deepEqual(at('localhost:1'), { kind: 'tcp', host: 'localhost', port: 1 });
  assert.equal(describeAddress(at('[::1]:5000')), '[::1]:5000');
});

test('unusable values fall back to the default, as libusbmuxd does', () => {
  for (const v of ['UNIX:', 'host', 'host:0', 'host:65536', 'host:12x', ':27015', '']) assert.deepEqual(at(v), { kind: 'unix', path: '/var/run/usbmuxd' }, v);
  assert.deepEqual(at('UNIX:/tmp/s', 'win32'), { kind: 'tcp', host: '127.0.0.1', port: 27015 });
});
