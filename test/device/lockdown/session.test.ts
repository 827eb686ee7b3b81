import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { FakeUsbmuxd } from '../../fakes/usbmuxd.js';
import { FakeDevice } from '../../fakes/fake-device.js';
import { UsbmuxClient } from '../../../src/device/usbmux/client.js';
import { openLockdown } from '../../../src/device/lockdown/session.js';
import { DiagnosticsClient, DIAGNOSTICS_SERVICE } from '../../../src/device/services/diagnostics.js';
import { CancelledError, DeviceLostError, LockdownError, NoDeviceError } from '../../../src/errors.js';

let mux: FakeUsbmuxd;
let client: UsbmuxClient;
before(async () => {
  mux = await FakeUsbmuxd.start();
  client = new UsbmuxClient({ address: { kind: 'unix', path: mux.socketPath } });
});
after(() => mux.close());

function fresh(opts: ConstructorParameters<typeof FakeDevice>[0] = {}): FakeDevice {
  for (const d of [...mux.devices]) mux.detach(d);
  return mux.attach(new FakeDevice(opts));
}

test('an unpaired device gives its public values and refuses the rest', async () => {
  const dev = fresh({ productType: 'iPhone15,2' });
  const s = await openLockdown({ usbmux: client, session: false });
  try {
    assert.equal(s.device.udid, dev.udid);
    assert.equal(await s.lockdown.getValue('ProductType'), 'iPhone15,2');
    const all = await s.lockdown.getValues();
    assert.equal(all.UniqueDeviceID, dev.udid);
    assert.equal(all.SerialNumber, undefined);
    await assert.rejects(s.lockdown.getValue('SerialNumber'), (e: unknown) => e instanceof LockdownError && e.lockdownCode === 'GetProhibited');
  } finally {
    await s.close();
  }
});

test('pairing creates a record usbmuxd keeps, and a TLS session then reads paired-only values', async () => {
  const dev = fresh();
  const s = await openLockdown({ usbmux: client, pairIfNeeded: true });
  try {
    assert.ok(s.lockdown.sessionUsesTls);
    assert.equal(await s.lockdown.getValue('SerialNumber'), dev.values.SerialNumber);
    assert.ok(mux.pairRecords.has(dev.udid));
  } finally {
    await s.close();
  }
  // a second session reuses the stored record: no new Pair request
  const pairsBefore = dev.log.filter((r) => r.request === 'Pair').length;
  const s2 = await openLockdown({ usbmux: client });
  await s2.close();
  assert.equal(dev.log.filter((r) => r.request === 'Pair').length, pairsBefore);
  assert.equal(pairsBefore, 1);
});

for (const [state, opts, code] of [
  ['locked', { locked: true }, 'PasswordProtected'],
  ['Trust prompt pending', { trust: 'pending' as const }, 'PairingDialogResponsePending'],
  ['Trust denied', { trust: 'deny' as const }, 'UserDeniedPairing'],
] as const) {
  test(`pairing a ${state} device fails with ${code} and saves nothing`, async () => {
    const dev = fresh(opts);
    mux.pairRecords.clear();
    await assert.rejects(openLockdown({ usbmux: client, pairIfNeeded: true }), (e: unknown) => {
      assert.ok(e instanceof LockdownError);
      assert.equal(e.lockdownCode, code);
      assert.equal(e.exitCode, 6);
      assert.match(e.message, new RegExp(dev.udid));
      return true;
    });
    assert.equal(mux.pairRecords.size, 0);
  });
}

test('without a pair record and without pairing, the session is refused with a clear message', async () => {
  fresh();
  mux.pairRecords.clear();
  await assert.rejects(openLockdown({ usbmux: client }), (e: unknown) => e instanceof LockdownError && e.lockdownCode === 'InvalidHostID' && /pair/.test(e.message));
});

test('diagnostics_relay restart over a TLS service connection; the device then leaves', async () => {
  const dev = fresh();
  const s = await openLockdown({ usbmux: client, pairIfNeeded: true });
  const diag = new DiagnosticsClient(await s.startService(DIAGNOSTICS_SERVICE));
  await diag.restart();
  diag.close();
  await s.close();
  assert.ok(dev.log.some((r) => r.request === 'diagnostics:Restart'));
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(mux.devices.length, 0);
});

test('a device unplugged mid-operation is DeviceLostError', async () => {
  fresh({ unplugOn: 'GetValue' });
  const s = await openLockdown({ usbmux: client, session: false });
  await assert.rejects(s.lockdown.getValue('ProductType'), (e: unknown) => e instanceof DeviceLostError && e.exitCode === 6);
  await s.close();
});

test('no device attached is NoDeviceError', async () => {
  for (const d of [...mux.devices]) mux.detach(d);
  await assert.rejects(openLockdown({ usbmux: client }), NoDeviceError);
});

test('EnterRecovery needs a paired session on iOS 14.5 and later', async () => {
  fresh({ productVersion: '17.5' });
  const s = await openLockdown({ usbmux: client, session: false });
  await assert.rejects(s.lockdown.enterRecovery(), (e: unknown) => e instanceof LockdownError && e.lockdownCode === 'SessionInactive');
  await s.close();
  const s2 = await openLockdown({ usbmux: client, pairIfNeeded: true });
  await s2.lockdown.enterRecovery();
  await s2.close();
});

test('a stale pair record (device erased since) is replaced when pairing is allowed', async () => {
  fresh();
  const s = await openLockdown({ usbmux: client, pairIfNeeded: true });
  await s.close();
  const dev = fresh(); // same UDID, trusts nobody
  await assert.rejects(openLockdown({ usbmux: client }), (e: unknown) => e instanceof LockdownError && e.lockdownCode === 'InvalidHostID');
  const s2 = await openLockdown({ usbmux: client, pairIfNeeded: true });
  assert.equal(await s2.lockdown.getValue('SerialNumber'), dev.values.SerialNumber);
  await s2.close();
});

test('while "Trust This Computer?" is showing, pairing asks again until the user taps Trust', async () => {
  const dev = fresh({ trust: 'pending', trustAfterAttempts: 2 });
  mux.pairRecords.clear();
  let prompts = 0;
  const s = await openLockdown({ usbmux: client, pairIfNeeded: true, trust: { waitMs: 5000, pollMs: 10, onPrompt: () => prompts++ } });
  assert.equal(await s.lockdown.getValue('SerialNumber'), dev.values.SerialNumber);
  await s.close();
  assert.equal(prompts, 1);
  assert.equal(dev.log.filter((r) => r.request === 'Pair').length, 3);
});

test('waiting for Trust stops on abort (CancelledError) and on timeout (the pending message)', async () => {
  fresh({ trust: 'pending' });
  mux.pairRecords.clear();
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 50);
  await assert.rejects(openLockdown({ usbmux: client, pairIfNeeded: true, trust: { waitMs: 60_000, pollMs: 10, signal: ac.signal } }), (e: unknown) => e instanceof CancelledError && e.exitCode === 130);
  await assert.rejects(openLockdown({ usbmux: client, pairIfNeeded: true, trust: { waitMs: 30, pollMs: 10 } }), (e: unknown) => e instanceof LockdownError && e.lockdownCode === 'PairingDialogResponsePending');
  assert.equal(mux.pairRecords.size, 0);
});
