/**
 * Our usbmuxd client against Debian's real usbmuxd (1.1.1) started with no device: the replies
 * and error paths of the real daemon, not our fake. usbmuxd's socket path is fixed (/run/usbmuxd),
 * so it runs in a private mount namespace with a temporary folder bound over /run: the socket
 * appears in that folder and nothing of the host's /run is touched. Needs root, unshare and the
 * `usbmuxd` package (in .ci/run); skipped otherwise.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsbmuxClient } from '../../../src/device/usbmux/client.js';
import { listDevices } from '../../../src/device/devices.js';
import { NoDeviceError } from '../../../src/errors.js';

const can = process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/sbin/usbmuxd') && spawnSync('unshare', ['--version']).status === 0;
const skip = can ? false : 'needs root, unshare and Debian usbmuxd';

let dir = '';
let daemon: ChildProcess | undefined;
let client: UsbmuxClient;

before(async () => {
  if (!can) return;
  dir = await mkdtemp(join(tmpdir(), 'irescue-usbmuxd-'));
  // -f foreground, -n no hotplug discovery, -p no lockdown preflight: a daemon that only answers
  daemon = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', `mount --bind "${dir}" /run && exec /usr/sbin/usbmuxd -f -n -p`], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !existsSync(join(dir, 'usbmuxd')); i++) await new Promise((r) => setTimeout(r, 50));
  client = new UsbmuxClient({ address: { kind: 'unix', path: join(dir, 'usbmuxd') } });
});

after(async () => {
  if (daemon?.pid) process.kill(daemon.pid, 'SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('real usbmuxd, no device: ListDevices is empty, BUID is read, findDevice says plainly that no iPhone is there', { skip }, async () => {
  assert.deepEqual(await client.listDevices(), []);
  const buid = await client.readBuid();
  assert.match(buid, /^[0-9A-F-]{36}$/i);
  await assert.rejects(client.findDevice(), (e: unknown) => e instanceof NoDeviceError && e.exitCode === 6);
  await assert.rejects(client.findDevice('00008110-001A2B3C4D5E801E'), NoDeviceError);
});

test('real usbmuxd, no device: a missing pair record is "none", not a crash; Listen opens and closes cleanly', { skip }, async () => {
  assert.equal(await client.readPairRecord('00008110-001A2B3C4D5E801E').catch(() => undefined), undefined);
  const l = await client.listen(() => assert.fail('no device events expected'));
  await new Promise((r) => setTimeout(r, 200));
  l.close();
  assert.equal(await l.done, undefined);
});

test('real usbmuxd, no device: listDevices gives an empty list with no warning about usbmuxd', { skip }, async () => {
  const r = await listDevices({ usbmux: client, usb: null });
  assert.deepEqual(r.devices, []);
  assert.deepEqual(r.warnings, []);
});

test('usbmuxd not running: the plain sentence comes first, the socket path only after it', { skip }, async () => {
  const gone = new UsbmuxClient({ address: { kind: 'unix', path: join(dir, 'not-there') } });
  await assert.rejects(gone.listDevices(), (e: unknown) => {
    assert.ok(e instanceof NoDeviceError);
    assert.match(e.message, /^this computer's iPhone service \(usbmuxd\) is not running: install and start it \(Debian\/Ubuntu: sudo apt install usbmuxd\)/);
    assert.ok(e.message.indexOf('ENOENT') > e.message.indexOf('try again'));
    return true;
  });
});
