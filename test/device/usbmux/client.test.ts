import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeUsbmuxd } from '../../fakes/usbmuxd.js';
import { FakeDevice } from '../../fakes/fake-device.js';
import { UsbmuxClient, UsbmuxError } from '../../../src/device/usbmux/client.js';
import type { UsbmuxEvent } from '../../../src/device/usbmux/messages.js';
import { readPairRecordFromFolders } from '../../../src/device/lockdown/pair-records.js';
import { generatePairRecord, pairRecordToPlist } from '../../../src/device/lockdown/pairing.js';
import { buildXmlPlist } from '../../../src/plist/plist.js';
import { NoDeviceError, UsageError } from '../../../src/errors.js';

let mux: FakeUsbmuxd;
let client: UsbmuxClient;
before(async () => {
  mux = await FakeUsbmuxd.start();
  client = new UsbmuxClient({ address: { kind: 'unix', path: mux.socketPath } });
});
after(() => mux.close());

test('listen reports present devices, then attach and detach as they happen', async () => {
  const first = mux.attach(new FakeDevice({ udid: '00008030-000000000000AAAA' }));
  const events: UsbmuxEvent[] = [];
  let wake: () => void = () => undefined;
  const l = await client.listen((e) => {
    events.push(e);
    wake();
  });
  const until = (n: number) => new Promise<void>((r) => { wake = () => events.length >= n && r(); wake(); });
  await until(1);
  const second = mux.attach(new FakeDevice({ udid: '00008030-000000000000BBBB' }));
  await until(2);
  second.unplug();
  await until(3);
  l.close();
  assert.equal(await l.done, undefined);
  assert.deepEqual(events.map((e) => e.type), ['attached', 'attached', 'detached']);
  assert.equal(events[0].type === 'attached' && events[0].device.udid, first.udid);
  assert.equal(events[2].type === 'detached' && events[2].deviceId, second.deviceId);
  first.unplug();
});

test('findDevice: by UDID, the only one, or a usage error naming the choices', async () => {
  await assert.rejects(client.findDevice(), NoDeviceError);
  const a = mux.attach(new FakeDevice({ udid: '00008030-000000000000AAAA' }));
  assert.equal((await client.findDevice()).udid, a.udid);
  const b = mux.attach(new FakeDevice({ udid: '00008030-000000000000BBBB' }));
  await assert.rejects(client.findDevice(), (e: unknown) => e instanceof UsageError && e.message.includes(b.udid));
  assert.equal((await client.findDevice(b.udid)).deviceId, b.deviceId);
  await assert.rejects(client.findDevice('nope'), (e: unknown) => e instanceof NoDeviceError && /nope/.test(e.message));
  // a closed port is refused, a vanished device is lost
  await assert.rejects(client.connect(a, 1234), UsbmuxError);
  a.unplug();
  b.unplug();
  await assert.rejects(client.connect(a, 62078), /no longer connected/);
});

test('BUID and pair records through usbmuxd', async () => {
  assert.equal(await client.readBuid(), mux.buid);
  assert.equal(await client.readPairRecord('X'), undefined);
  await client.savePairRecord('X', Buffer.from('abc'));
  assert.deepEqual(await client.readPairRecord('X'), Buffer.from('abc'));
  await client.deletePairRecord('X');
  assert.equal(await client.readPairRecord('X'), undefined);
});

test('no usbmuxd at the address is NoDeviceError naming it', async () => {
  const c = new UsbmuxClient({ address: { kind: 'unix', path: join(mux.dir, 'absent.sock') } });
  await assert.rejects(c.listDevices(), (e: unknown) => e instanceof NoDeviceError && e.message.includes('absent.sock') && e.exitCode === 6);
});

test('pair records are read from the OS folders (usbmuxd layout <UDID>.plist)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-lockdown-'));
  try {
    const dev = new FakeDevice();
    const rec = await generatePairRecord({ devicePublicKeyPem: dev.values.DevicePublicKey as Buffer, systemBuid: 'B' });
    await writeFile(join(dir, `${dev.udid}.plist`), buildXmlPlist(pairRecordToPlist(rec)));
    assert.deepEqual(await readPairRecordFromFolders(dev.udid, [join(dir, 'missing'), dir]), rec);
    assert.equal(await readPairRecordFromFolders('OTHER', [dir]), undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('pair record folders per OS', async () => {
  const { pairRecordFolders } = await import('../../../src/device/lockdown/pair-records.js');
  assert.deepEqual(pairRecordFolders('linux'), ['/var/lib/lockdown', '/var/db/lockdown']);
  assert.deepEqual(pairRecordFolders('darwin'), ['/var/db/lockdown']);
  assert.deepEqual(pairRecordFolders('win32', {}), ['C:\\ProgramData\\Apple\\Lockdown']);
  assert.deepEqual(pairRecordFolders('win32', { ProgramData: 'D:\\PD' }), ['D:\\PD\\Apple\\Lockdown']);
});

test('an old usbmuxd without ListDevices: the device list comes from Listen', async () => {
  const a = mux.attach(new FakeDevice({ udid: '00008030-000000000000CCCC' }));
  mux.oldDaemon = true;
  try {
    const list = await client.listDevices();
    assert.deepEqual(list.map((d) => d.udid), [a.udid]);
  } finally {
    mux.oldDaemon = false;
    a.unplug();
  }
});
