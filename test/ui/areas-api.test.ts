/**
 * The export, devices, restore and guide routes without a browser: answers, refusals with their
 * next step, and the restore that will not run without the exact typed confirmation.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startUiServer, type UiServer } from '../../src/ui/server.js';
import { REPO } from '../cli/run-cli.js';
import { scratchDir } from '../fixtures/backups.js';
import { FakeUsbTransport, SERIALS } from '../fakes/usb-transport.js';
import { UsbmuxClient } from '../../src/device/usbmux/client.js';
import { api, login } from './http-client.js';

let server: UiServer;
let cookie: string;
let usb: FakeUsbTransport;
const saved = process.env.IRESCUE_IDEVICERESTORE;

before(async () => {
  process.env.IRESCUE_IDEVICERESTORE = join(REPO, 'test', 'fakes', 'idevicerestore.mjs');
  usb = new FakeUsbTransport([{ productId: 0x1281, serial: SERIALS.iphone13Recovery }]);
  const dead = new UsbmuxClient({ address: { kind: 'unix', path: join(scratchDir(), 'no-usbmuxd.sock') } });
  server = await startUiServer({ roots: [], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo'), deviceSources: { usbmux: dead, usb, pairRecordFolders: [] }, cacheDir: scratchDir() });
  cookie = await login(server.port, server.token);
});

after(async () => {
  if (saved === undefined) delete process.env.IRESCUE_IDEVICERESTORE;
  else process.env.IRESCUE_IDEVICERESTORE = saved;
  await server.close();
});

const json = (r: { body: string }) => JSON.parse(r.body);

test('every area answers without any feature gating (/api/features is gone)', async () => {
  assert.equal((await api(server.port, cookie, 'GET', '/api/features')).status, 404);
  for (const path of ['/api/guide/questions', '/api/devices', '/api/backups', '/api/jobs']) assert.equal((await api(server.port, cookie, 'GET', path)).status, 200, path);
});

test('guide: iPhone 12 on iOS 17.5 who forgot the passcode gets the 72-hour route first; bad input is a plain error', async () => {
  const q = json(await api(server.port, cookie, 'GET', '/api/guide/questions'));
  assert.ok(q.situations.some((s: { id: string }) => s.id === 'forgot-passcode'));
  assert.ok(q.models.some((m: { productType: string }) => m.productType === 'iPhone13,2'));
  assert.ok(q.models.some((m: { productType: string; provisional?: boolean }) => m.productType === 'iPhone19,4' && m.provisional === true), 'provisional models are marked for the picker');
  const r = json(await api(server.port, cookie, 'GET', '/api/guide/routes?situation=forgot-passcode&model=iPhone13,2&ios=17.5'));
  assert.equal(r.answer.routes[0].id, 'previous-passcode');
  assert.equal(r.answer.routes[0].keepsData, true);
  assert.equal(r.answer.modes.family, 'face-id-or-8');
  const older = json(await api(server.port, cookie, 'GET', '/api/guide/routes?situation=forgot-passcode&model=iPhone13,2&ios=16.4'));
  assert.notEqual(older.answer.routes[0].id, 'previous-passcode', 'the 72-hour route needs iOS 17');
  const bad = await api(server.port, cookie, 'GET', '/api/guide/routes?situation=nope');
  assert.equal(bad.status, 400);
  assert.equal(json(bad).error.code, 'USAGE');
  assert.ok(json(bad).error.next);
});

test('devices: the list shows Recovery mode over USB and says why normal mode cannot be seen', async () => {
  const r = json(await api(server.port, cookie, 'GET', '/api/devices'));
  assert.deepEqual(r.devices.map((d: { mode: string; ecid: string }) => [d.mode, d.ecid]), [['recovery', '001A2B3C4D5E801E']]);
  assert.match(r.warnings.join('\n'), /usbmuxd/);
  const info = await api(server.port, cookie, 'GET', '/api/devices/info');
  assert.ok(info.status >= 400);
  assert.ok(json(info).error.next);
});

test('restore: the plan, then no run without exactly "ERASE iPhone 13"', async () => {
  const p = await api(server.port, cookie, 'POST', '/api/restore/plan', { ecid: '0x001A2B3C4D5E801E', cpid: 0x8110, bdid: 0x0a, mode: 'recovery', networkCheck: false });
  assert.equal(p.status, 200, p.body);
  const { plan } = json(p);
  assert.equal(plan.phrase, 'ERASE iPhone 13');
  assert.equal(plan.blocked, undefined);
  assert.equal(plan.checks[0].id, 'device', 'the first check is the device in Recovery or DFU mode');
  assert.ok(plan.warnings.some((w: string) => /Activation Lock/.test(w)));
  for (const confirmation of [undefined, '', 'erase iPhone 13', 'ERASE iPhone 12', 'ERASE']) {
    const r = await api(server.port, cookie, 'POST', '/api/restore/run', { plan: plan.id, confirmation });
    assert.equal(r.status, 400, String(confirmation));
    assert.match(json(r).error.message, /type exactly "ERASE iPhone 13"/);
  }
  assert.equal(server.context.jobs.list().length, 0, 'nothing ran');
  const bad = await api(server.port, cookie, 'POST', '/api/restore/plan', { ecid: 'not-an-ecid' });
  assert.equal(bad.status, 400);
});

test('export: a backup that is not open is refused with the next step', async () => {
  const none = await api(server.port, cookie, 'POST', '/api/export/nope', { categories: 'all', out: scratchDir() });
  assert.equal(none.status, 404);
  assert.match(json(none).error.next, /unlock the backup again/);
});
