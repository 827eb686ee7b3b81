/**
 * "Passwords and Screen Time" without a browser: GET tells what the backup holds with counts only;
 * the passcode comes back only in a POST's answer; the keychain file is written only with consent,
 * 0600, outside the backup; no secret reaches a job event or the GET.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startUiServer, type UiServer } from '../../src/ui/server.js';
import { scratchDir } from '../fixtures/backups.js';
import { KC_PASSWORD, makeKeychainBackup, SCREEN_TIME_CODE } from '../keychain/fixture.js';
import { api, login } from './http-client.js';

let server: UiServer;
let cookie: string;
let sid: string;
let backupDir: string;
const json = (r: { body: string }) => JSON.parse(r.body);

before(async () => {
  const b = await makeKeychainBackup();
  backupDir = b.dir;
  server = await startUiServer({ roots: [dirname(b.dir)], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo'), cacheDir: scratchDir() });
  cookie = await login(server.port, server.token);
  const { backups } = json(await api(server.port, cookie, 'GET', '/api/backups'));
  const r = await api(server.port, cookie, 'POST', `/api/backups/${backups[0].id}/unlock`, { password: KC_PASSWORD });
  assert.equal(r.status, 200, r.body);
  sid = json(r).session.id;
});

after(async () => {
  await server?.close();
});

test('GET: the plan and the keychain counts, never a secret', async () => {
  const r = await api(server.port, cookie, 'GET', `/api/secrets/${sid}`);
  assert.equal(r.status, 200, r.body);
  const d = json(r);
  assert.equal(d.passcode.method, 'keychain-and-restrictions');
  assert.equal(d.keychain.summary.websites, 3);
  assert.equal(d.keychain.summary.locked.total, 3);
  for (const secret of [SCREEN_TIME_CODE, 'pa,ss', 'wifi,pass', 'app-secret']) assert.ok(!r.body.includes(secret), secret);
});

test('the passcode in the POST answer; the keychain file only with consent, 0600, never inside the backup', async () => {
  const p = json(await api(server.port, cookie, 'POST', `/api/secrets/${sid}/passcode`, {}));
  assert.equal(p.found, true);
  assert.equal(p.passcode, SCREEN_TIME_CODE);
  const out = join(scratchDir(), 'pw');
  const refused = await api(server.port, cookie, 'POST', `/api/secrets/${sid}/keychain`, { format: 'chrome', out });
  assert.equal(refused.status, 400);
  assert.match(json(refused).error.message, /confirm/);
  const inside = await api(server.port, cookie, 'POST', `/api/secrets/${sid}/keychain`, { consent: true, format: 'chrome', out: join(backupDir, 'x') });
  assert.equal(inside.status, 400);
  const ok = await api(server.port, cookie, 'POST', `/api/secrets/${sid}/keychain`, { consent: true, format: 'chrome', out });
  assert.equal(ok.status, 200, ok.body);
  const csv = join(out, 'keychain-chrome.csv');
  assert.equal(statSync(csv).mode & 0o777, 0o600);
  assert.ok(readFileSync(csv, 'utf8').startsWith('name,url,username,password,note\r\n'));
  assert.ok(!ok.body.includes('pa,ss'), 'the answer names files, not secrets');
  const jobs = await api(server.port, cookie, 'GET', '/api/jobs');
  assert.ok(!jobs.body.includes(SCREEN_TIME_CODE));
  const bad = await api(server.port, cookie, 'POST', `/api/secrets/${sid}/keychain`, { consent: true, format: 'excel', out });
  assert.equal(bad.status, 400);
});
