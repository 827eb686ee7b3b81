/**
 * The wizard's "put my data back" step without a browser: pick a backup from the list, check the
 * fake iPhone (sentences with next steps), refuse without confirmation or with a wrong password,
 * then the restore as a job whose events never carry the password.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { startUiServer, type UiServer } from '../../src/ui/server.js';
import { makeEncryptedBackup, scratchDir, FIXTURE_PASSWORD } from '../fixtures/backups.js';
import { snapshotTree } from '../fixtures/snapshot.js';
import { FakeUsbmuxd } from '../fakes/usbmuxd.js';
import { FakeDevice } from '../fakes/fake-device.js';
import { FakeUsbTransport } from '../fakes/usb-transport.js';
import { UsbmuxClient } from '../../src/device/usbmux/client.js';
import { api, login } from './http-client.js';
import type { WrittenBackup } from '../../src/backup/writer.js';

let server: UiServer;
let cookie: string;
let mux: FakeUsbmuxd;
let w: WrittenBackup;

before(async () => {
  mux = await FakeUsbmuxd.start();
  w = await makeEncryptedBackup();
  const usbmux = new UsbmuxClient({ address: { kind: 'unix', path: mux.socketPath } });
  server = await startUiServer({ roots: [dirname(w.dir)], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo'), deviceSources: { usbmux, usb: new FakeUsbTransport([]), pairRecordFolders: [] }, cacheDir: scratchDir() });
  cookie = await login(server.port, server.token);
});
after(async () => {
  await server.close();
  await mux.close();
});

const json = (r: { body: string }) => JSON.parse(r.body);

test('put my data back: checks, refusals, then the restore job with progress; no password in any answer; the backup unchanged', async () => {
  const dev = mux.attach(new FakeDevice({ udid: '00008120-00AA00BB00CC00FF', productVersion: '18.2' }));
  const snap = snapshotTree(w.dir);
  const { backups } = json(await api(server.port, cookie, 'GET', '/api/backups'));
  const id = backups.find((b: { path: string }) => b.path === w.dir).id;
  const wrong = json(await api(server.port, cookie, 'POST', '/api/device-restore/plan', { backup: id, password: 'not it' }));
  assert.equal(wrong.plan.canRestore, false);
  assert.match(wrong.plan.checks.find((c: { id: string }) => c.id === 'password').next, /irescue recover/);
  const noConfirm = await api(server.port, cookie, 'POST', '/api/device-restore/start', { backup: id, password: FIXTURE_PASSWORD });
  assert.equal(noConfirm.status, 400);
  assert.ok(json(noConfirm).error.next);
  const badPw = await api(server.port, cookie, 'POST', '/api/device-restore/start', { backup: id, password: 'not it', confirm: true });
  assert.equal(badPw.status, 409);
  assert.equal(json(badPw).error.code, 'WRONG_PASSWORD');
  assert.equal(dev.log.some((l) => l.request === 'mobilebackup2:Restore'), false);
  const ok = json(await api(server.port, cookie, 'POST', '/api/device-restore/plan', { backup: id, password: FIXTURE_PASSWORD }));
  assert.equal(ok.plan.canRestore, true, JSON.stringify(ok.plan.checks));
  const started = await api(server.port, cookie, 'POST', '/api/device-restore/start', { backup: id, password: FIXTURE_PASSWORD, confirm: true });
  assert.equal(started.status, 200, started.body);
  const jobId = json(started).job.id;
  let job;
  for (let i = 0; i < 400; i++) {
    job = json(await api(server.port, cookie, 'GET', `/api/jobs/${jobId}`)).job;
    if (job.state !== 'running') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(job.state, 'done', JSON.stringify(job.error));
  assert.ok(job.result.filesSent >= 8);
  assert.equal(dev.restore.finished, true);
  assert.equal(dev.restore.restored.size, w.plaintext.size - 1, 'every file but the one the backup lacks');
  for (const r of [started, { body: JSON.stringify(job) }]) assert.equal(r.body.includes(FIXTURE_PASSWORD), false);
  assert.deepEqual(snapshotTree(w.dir), snap);
});
