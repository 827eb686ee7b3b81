/** Lockdown behaviours of real phones the plain fake did not show: dashless record IDs, a locked phone during Trust. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { FakeUsbmuxd } from '../../fakes/usbmuxd.js';
import { FakeDevice } from '../../fakes/fake-device.js';
import { UsbmuxClient } from '../../../src/device/usbmux/client.js';
import { openLockdown } from '../../../src/device/lockdown/session.js';
import { udidForms } from '../../../src/device/lockdown/pair-records.js';
import { LockdownError } from '../../../src/errors.js';

let mux: FakeUsbmuxd;
let client: UsbmuxClient;
before(async () => {
  mux = await FakeUsbmuxd.start();
  client = new UsbmuxClient({ address: { kind: 'unix', path: mux.socketPath } });
});
after(() => mux.close());

function fresh(opts: ConstructorParameters<typeof FakeDevice>[0] = {}): FakeDevice {
  for (const d of [...mux.devices]) mux.detach(d);
  mux.pairRecords.clear();
  return mux.attach(new FakeDevice(opts));
}

test('udidForms: the dashed UDID and the raw USB serial, both ways; 40-hex UDIDs have one form', () => {
  assert.deepEqual(udidForms('00008110-001A2B3C4D5E801E'), ['00008110-001A2B3C4D5E801E', '00008110001A2B3C4D5E801E']);
  assert.deepEqual(udidForms('00008110001A2B3C4D5E801E'), ['00008110001A2B3C4D5E801E', '00008110-001A2B3C4D5E801E']);
  assert.deepEqual(udidForms('a'.repeat(40)), ['a'.repeat(40)]);
});

test('a pair record kept by usbmuxd under the dashless serial is found: no second Trust prompt', async () => {
  const dev = fresh();
  const s = await openLockdown({ usbmux: client, pairIfNeeded: true, pairRecordFolders: [] });
  await s.close();
  const rec = mux.pairRecords.get(dev.udid)!;
  mux.pairRecords.delete(dev.udid);
  mux.pairRecords.set(dev.udid.replace('-', ''), rec);
  const pairs = dev.log.filter((r) => r.request === 'Pair').length;
  const s2 = await openLockdown({ usbmux: client, pairIfNeeded: true, pairRecordFolders: [] });
  try {
    assert.ok(s2.lockdown.inSession);
  } finally {
    await s2.close();
  }
  assert.equal(dev.log.filter((r) => r.request === 'Pair').length, pairs, 'no Pair sent');
});

test('a locked phone during Trust: says "unlock" once and keeps waiting; pairs once unlocked', async () => {
  const dev = fresh({ locked: true });
  let locked = 0;
  // the owner unlocks a little after being told to
  const onLocked = (): void => {
    locked++;
    setTimeout(() => (dev.options.locked = false), 200);
  };
  const s = await openLockdown({ usbmux: client, pairIfNeeded: true, pairRecordFolders: [], trust: { waitMs: 5000, pollMs: 50, onLocked } });
  try {
    assert.ok(s.lockdown.inSession);
  } finally {
    await s.close();
  }
  assert.equal(locked, 1);
  assert.ok(dev.log.filter((r) => r.request === 'Pair').length >= 2);
});

test('a phone that stays locked: PasswordProtected when the wait runs out', async () => {
  fresh({ locked: true });
  await assert.rejects(openLockdown({ usbmux: client, pairIfNeeded: true, pairRecordFolders: [], trust: { waitMs: 200, pollMs: 50 } }), (e: unknown) => e instanceof LockdownError && e.lockdownCode === 'PasswordProtected');
});
