/**
 * The wizard's live device watch: normal mode from the fake usbmuxd's Listen, Recovery/DFU from a
 * scripted USB transport, warnings when a source is missing, and nothing left running afterwards.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createDeviceWatch } from '../../src/ui/device-watch.js';
import type { DeviceWatchEvent } from '../../src/ui/context.js';
import { UsbmuxClient } from '../../src/device/usbmux/client.js';
import { FakeUsbmuxd } from '../fakes/usbmuxd.js';
import { FakeDevice } from '../fakes/fake-device.js';
import { FakeUsbTransport, SERIALS } from '../fakes/usb-transport.js';

let mux: FakeUsbmuxd;
before(async () => {
  mux = await FakeUsbmuxd.start();
});
after(() => mux.close());

/** Waits until `ok` holds, checking after every event (no fixed sleeps). */
function until(events: DeviceWatchEvent[], ok: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}: ${JSON.stringify(events)}`)), 10_000);
    const check = () => (ok() ? (clearTimeout(t), resolve()) : setTimeout(check, 20));
    check();
  });
}

const keys = (events: DeviceWatchEvent[]) => events.map((e) => (e.type === 'warnings' ? `warnings:${e.warnings.length}` : `${e.type}:${(e.device as { mode: string }).mode}`));

test('normal and Recovery devices come and go; the watch stops with its last listener', async () => {
  const dev = mux.attach(new FakeDevice({ productType: 'iPhone14,5' }));
  const usb = new FakeUsbTransport([]);
  let polls = 0;
  const list = usb.list.bind(usb);
  usb.list = () => (polls++, list());
  const watch = createDeviceWatch({ sources: { usbmux: new UsbmuxClient({ address: { kind: 'unix', path: mux.socketPath } }), usb, pairRecordFolders: [] }, pollMs: 20 });
  const first = await watch.list();
  assert.deepEqual(first.map((d) => (d as { udid: string }).udid), [dev.udid]);
  const events: DeviceWatchEvent[] = [];
  const stop = watch.watch((e) => events.push(e));
  await until(events, () => keys(events).includes('attach:normal'), 'the normal-mode device');
  assert.equal((events.find((e) => e.type === 'attach')! as { device: { model: string } }).device.model, 'iPhone 13');

  usb.present.push({ productId: 0x1227, serial: SERIALS.iphoneXDfu, address: 50 });
  await until(events, () => keys(events).includes('attach:dfu'), 'the DFU device');
  mux.detach(dev);
  await until(events, () => keys(events).includes('detach:normal'), 'the unplugged device');
  usb.present.length = 0;
  await until(events, () => keys(events).includes('detach:dfu'), 'the DFU device leaving');
  assert.deepEqual(watch.warnings!(), []);

  stop();
  const after = polls;
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(polls <= after + 1, 'USB is not polled once nobody listens');
  watch.close();
});

test('no usbmuxd and no USB: warnings, not failures', async () => {
  const usb = new FakeUsbTransport([]);
  usb.list = () => Promise.reject(new Error('USB access for Recovery and DFU mode is unavailable: no permission'));
  const watch = createDeviceWatch({ sources: { usbmux: new UsbmuxClient({ address: { kind: 'unix', path: join(mux.dir, 'none.sock') } }), usb }, pollMs: 20, retryMs: 60_000 });
  assert.deepEqual(await watch.list(), []);
  assert.equal(watch.warnings!().length, 2);
  const events: DeviceWatchEvent[] = [];
  const stop = watch.watch((e) => events.push(e));
  await until(events, () => watch.warnings!().length === 2, 'both warnings');
  assert.match(watch.warnings!().join('\n'), /normal mode cannot be seen[\s\S]*Recovery and DFU mode cannot be seen/);
  assert.ok(events.some((e) => e.type === 'warnings'));
  stop();
  watch.close();
});
