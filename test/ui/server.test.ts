import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { startUiServer, type UiServer } from '../../src/ui/server.js';
import { FIXTURE_PASSWORD, makeEncryptedBackup, scratchDir } from '../fixtures/backups.js';
import { api, keyed, login, raw } from './http-client.js';
import { PageAccess } from '../../src/ui/access.js';
import { openerCommand } from '../../src/ui/open-external.js';

let server: UiServer;
let key: string;
let backupDir: string;
let webRoot: string;

before(async () => {
  const b = await makeEncryptedBackup();
  backupDir = b.dir;
  // A stand-in web root: these tests are about the server, not the built page.
  webRoot = scratchDir('irescue-web-');
  mkdirSync(join(webRoot, 'assets'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>wizard</title>');
  writeFileSync(join(webRoot, 'assets', 'app-1234.js'), 'console.log(1)');
  server = await startUiServer({ roots: [dirname(b.dir)], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo'), webRoot });
  key = await login(server.port, server.token);
});

after(async () => {
  await server.close();
});

test('the URL holds the token and points at 127.0.0.1', () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{20,}$/);
  assert.ok(server.url.includes(server.token));
});

test('an API request without the page key is refused with 403; the page itself holds no secret', async () => {
  for (const path of ['/api/backups', '/api/jobs', '/api/sessions/x', '/api/devices/events']) {
    const r = await raw(server.port, 'GET', path);
    assert.equal(r.status, 403, path);
    assert.match(JSON.parse(r.body).error.next, /irescue ui printed/);
  }
  const forged = await raw(server.port, 'GET', '/api/backups', { headers: keyed(server.token) });
  assert.equal(forged.status, 403, 'the address token itself is not a page key');
  const cookieOnly = await raw(server.port, 'GET', '/api/backups', { headers: { cookie: `irescue_${server.port}=${key}` } });
  assert.equal(cookieOnly.status, 403, 'a cookie carries no access');
  const page = await raw(server.port, 'GET', '/');
  assert.equal(page.status, 200);
  assert.ok(!page.body.includes(key) && !page.body.includes(server.token));
  assert.equal(page.headers['set-cookie'], undefined, 'no cookie is ever set');
  const withToken = await raw(server.port, 'GET', `/?token=${server.token}`);
  assert.equal(withToken.status, 200, 'the page loads and trades the token itself');
  assert.equal(withToken.headers['set-cookie'], undefined);
  assert.equal(withToken.headers['cache-control'], 'no-store');
});

test('a wrong Host header is refused even with a valid key (DNS rebinding)', async () => {
  for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, `127.0.0.1`, `[::1]:${server.port}`]) {
    const r = await raw(server.port, 'GET', '/api/backups', { headers: { host, ...keyed(key) } });
    assert.equal(r.status, 403, host);
    assert.match(r.body, /wrong Host/);
  }
  const ok = await raw(server.port, 'GET', '/api/jobs', { headers: { host: `localhost:${server.port}`, ...keyed(key) } });
  assert.equal(ok.status, 200);
});

test('the address token trades once, by POST from our origin, for a key of its own', async () => {
  const again = await raw(server.port, 'POST', '/api/session', { headers: { origin: `http://127.0.0.1:${server.port}`, 'content-type': 'application/json' }, body: JSON.stringify({ token: server.token }) });
  assert.equal(again.status, 403, 'a used address token is refused');
  assert.match(JSON.parse(again.body).error.message, /already used/);
  const wrong = await raw(server.port, 'POST', '/api/session', { headers: { origin: `http://127.0.0.1:${server.port}`, 'content-type': 'application/json' }, body: JSON.stringify({ token: 'not-the-token' }) });
  assert.equal(wrong.status, 403);
  const fresh = new URL(server.newAddress()).searchParams.get('token')!;
  assert.notEqual(fresh, server.token);
  const foreign = await raw(server.port, 'POST', '/api/session', { headers: { origin: 'http://127.0.0.1:1', 'content-type': 'application/json' }, body: JSON.stringify({ token: fresh }) });
  assert.equal(foreign.status, 403, 'another origin cannot trade it');
  const second = await login(server.port, fresh);
  assert.notEqual(second, key, 'one key per trade');
  assert.equal((await api(server.port, second, 'GET', '/api/jobs')).status, 200);
  assert.equal((await api(server.port, key, 'GET', '/api/jobs')).status, 200, 'earlier keys keep working');
  await assert.rejects(login(server.port, fresh), /403/);
  await assert.rejects(login(server.port, server.token), /403/, 'a new address retires the old one');
});

test('an address token that nobody traded expires', () => {
  let now = 1_000;
  const access = new PageAccess(60_000, 'tok', () => now);
  now += 60_001;
  assert.deepEqual(access.trade('tok'), { refused: 'expired' });
  const next = access.issue();
  now += 59_000;
  const t = access.trade(next);
  assert.ok('key' in t && access.allows(t.key));
  assert.deepEqual(access.trade(next), { refused: 'used' });
  assert.equal(access.allows('tok'), false);
  assert.equal(access.allows(undefined), false);
  assert.equal(access.allows(['a', 'b']), false);
});

test('the server refuses an expired address token', async () => {
  const s = await startUiServer({ roots: [], includeDefaultRoots: false, webRoot, tokenTtlMs: 1 });
  try {
    await new Promise((r) => setTimeout(r, 20));
    await assert.rejects(login(s.port, s.token), /too old/);
  } finally {
    await s.close();
  }
});

test('the page gets the security headers', async () => {
  const page = await raw(server.port, 'GET', '/');
  assert.match(page.body, /<title>wizard/);
  assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
  assert.equal(page.headers['referrer-policy'], 'no-referrer');
});

test('state-changing requests need our Origin and a JSON body; no CORS headers ever', async () => {
  const path = '/api/backups/add';
  const body = JSON.stringify({ path: '/nonexistent' });
  const noOrigin = await raw(server.port, 'POST', path, { headers: { ...keyed(key), 'content-type': 'application/json' }, body });
  assert.equal(noOrigin.status, 403);
  const foreign = await raw(server.port, 'POST', path, { headers: { ...keyed(key), 'content-type': 'application/json', origin: 'http://evil.example' }, body });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.headers['access-control-allow-origin'], undefined);
  const crossSite = await raw(server.port, 'POST', path, { headers: { ...keyed(key), 'content-type': 'application/json', origin: `http://127.0.0.1:${server.port}`, 'sec-fetch-site': 'cross-site' }, body });
  assert.equal(crossSite.status, 403);
  const form = await raw(server.port, 'POST', path, { headers: { ...keyed(key), 'content-type': 'text/plain', origin: `http://127.0.0.1:${server.port}` }, body });
  assert.equal(form.status, 415);
  const tokenPost = await raw(server.port, 'POST', `/api/demo?token=${server.token}`, { headers: { origin: `http://127.0.0.1:${server.port}`, 'content-type': 'application/json' }, body: '{}' });
  assert.equal(tokenPost.status, 403, 'the token opens pages, it does not authorize posts');
  const noKeyPost = await raw(server.port, 'POST', path, { headers: { origin: `http://127.0.0.1:${server.port}`, 'content-type': 'application/json' }, body });
  assert.equal(noKeyPost.status, 403, 'a post from our origin without the key is refused');
  const ok = await api(server.port, key, 'POST', path, { path: '/nonexistent' });
  assert.equal(ok.status, 400);
  assert.equal(JSON.parse(ok.body).error.code, 'USAGE');
  const options = await raw(server.port, 'OPTIONS', '/api/backups', { headers: { ...keyed(key), origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
  assert.notEqual(options.status, 200);
  assert.equal(options.headers['access-control-allow-origin'], undefined);
});

test('static files come from the web root only', async () => {
  const asset = await raw(server.port, 'GET', '/assets/app-1234.js', { headers: keyed(key) });
  assert.equal(asset.status, 200);
  assert.match(String(asset.headers['content-type']), /javascript/);
  for (const p of ['/../package.json', '/%2e%2e/package.json', '/assets/../../package.json', '/missing.js']) {
    const r = await raw(server.port, 'GET', p, { headers: keyed(key) });
    assert.ok(r.status === 404 || (r.status === 200 && r.body.includes('<title>wizard')), `${p}: ${r.status}`);
    assert.ok(!r.body.includes('"name": "irescue"'), p);
  }
});

test('listing, info, wrong password with a next step, unlock and browse', async () => {
  const list = JSON.parse((await api(server.port, key, 'GET', '/api/backups')).body);
  assert.equal(list.backups.length, 1);
  assert.equal(list.demo.offered, false);
  const b = list.backups[0];
  assert.equal(b.path, backupDir);
  assert.equal(b.encrypted, true);

  const wrong = await api(server.port, key, 'POST', `/api/backups/${b.id}/unlock`, { password: 'not it' });
  assert.equal(wrong.status, 422);
  const err = JSON.parse(wrong.body).error;
  assert.equal(err.code, 'WRONG_PASSWORD');
  assert.ok(err.next.length > 10);
  assert.ok(!wrong.body.includes('not it'), 'the password is never echoed');

  const missing = await api(server.port, key, 'POST', `/api/backups/${b.id}/unlock`, {});
  assert.equal(missing.status, 400);

  const open = await api(server.port, key, 'POST', `/api/backups/${b.id}/unlock`, { password: FIXTURE_PASSWORD });
  assert.equal(open.status, 200, open.body);
  const sid = JSON.parse(open.body).session.id;
  const session = JSON.parse((await api(server.port, key, 'GET', `/api/sessions/${sid}`)).body);
  assert.ok(session.domains.some((d: { domain: string }) => d.domain === 'CameraRollDomain'));
  const files = JSON.parse((await api(server.port, key, 'GET', `/api/sessions/${sid}/files?domain=CameraRollDomain`)).body);
  assert.deepEqual(files.files.map((f: { relativePath: string }) => f.relativePath), ['Media/DCIM/100APPLE/IMG_0001.JPG']);
  const q = JSON.parse((await api(server.port, key, 'GET', `/api/sessions/${sid}/files?q=with%20spaces`)).body);
  assert.equal(q.total, 1);

  // One file, decrypted, as a download; only recorded regular files, only with the key.
  const dl = `/api/sessions/${sid}/download?domain=CameraRollDomain&path=${encodeURIComponent('Media/DCIM/100APPLE/IMG_0001.JPG')}`;
  const got = await api(server.port, key, 'GET', dl);
  assert.equal(got.status, 200);
  assert.equal(got.body, 'not really a jpeg');
  assert.match(String(got.headers['content-disposition']), /^attachment; filename="IMG_0001\.JPG"/);
  assert.equal((await raw(server.port, 'GET', dl)).status, 403, 'no key, no file');
  for (const bad of ['domain=HomeDomain&path=Library/link-inside', 'domain=HomeDomain&path=Library', 'domain=Nope&path=x']) {
    assert.equal((await api(server.port, key, 'GET', `/api/sessions/${sid}/download?${bad}`)).status, 404, bad);
  }

  const inside = await api(server.port, key, 'POST', `/api/sessions/${sid}/extract`, { out: join(backupDir, 'out') });
  assert.equal(inside.status, 400, 'never writes into the backup folder');

  const out = join(scratchDir(), 'extracted');
  const started = JSON.parse((await api(server.port, key, 'POST', `/api/sessions/${sid}/extract`, { out, domain: 'HomeDomain' })).body);
  const done = await server.context.jobs.settled(started.job.id);
  assert.equal(done?.state, 'done', JSON.stringify(done?.error));
  const result = done!.result as { written: number; out: string; refused: { count: number } };
  assert.equal(result.out, out);
  assert.ok(result.written > 3);
  assert.ok(result.refused.count >= 1, 'the hostile names are reported');
  assert.ok(existsSync(join(out, 'HomeDomain', 'Library/Notes/deep/er/note.txt')));
  assert.ok(!existsSync(join(out, 'CameraRollDomain')), 'domain filter applied');

  const closed = await api(server.port, key, 'POST', `/api/sessions/${sid}/close`, {});
  assert.equal(JSON.parse(closed.body).closed, true);
  const gone = await api(server.port, key, 'GET', `/api/sessions/${sid}`);
  assert.equal(gone.status, 404);
  assert.match(JSON.parse(gone.body).error.next, /unlock it again/);
});

test('unknown API addresses and methods answer a plain error', async () => {
  const r = await api(server.port, key, 'GET', '/api/nope');
  assert.equal(r.status, 404);
  assert.equal(JSON.parse(r.body).error.code, 'USAGE');
  const m = await api(server.port, key, 'POST', '/api/backups', {});
  assert.equal(m.status, 405);
});

test('without a device watcher the device stream sends an empty list and stays open', async () => {
  const ac = new AbortController();
  const res = await fetch(`${server.origin}api/devices/events`, { headers: keyed(key), signal: ac.signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes('event: devices')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += Buffer.from(value).toString();
  }
  ac.abort();
  assert.match(text, /event: devices\ndata: \{"devices":\[\],"warnings":\[\]\}/);
});

test('a job the server does not know answers 404 with a next step, on its state and its event stream', async () => {
  for (const path of ['/api/jobs/nope', '/api/jobs/nope/events']) {
    const r = await api(server.port, key, 'GET', path);
    assert.equal(r.status, 404, path);
    assert.match(JSON.parse(r.body).error.next, /Start the task again/);
  }
});

test('a port already in use is a usage error naming the port', async () => {
  await assert.rejects(startUiServer({ port: server.port, roots: [], includeDefaultRoots: false }), (e: Error & { code?: string }) => e.code === 'USAGE' && e.message.includes(String(server.port)));
});

test('the desktop opener per platform', () => {
  assert.deepEqual(openerCommand('http://127.0.0.1:1/?token=a', 'linux'), { cmd: 'xdg-open', args: ['http://127.0.0.1:1/?token=a'] });
  assert.deepEqual(openerCommand('/tmp/x', 'darwin'), { cmd: 'open', args: ['/tmp/x'] });
  const win = openerCommand('http://127.0.0.1:1/?token=a', 'win32');
  assert.equal(win.cmd, 'cmd');
  assert.equal(win.verbatim, true);
  assert.equal(win.args.at(-1), 'start "" "http://127.0.0.1:1/?token=a"');
});

test('job ids and action names outside the allow-list are refused with a plain 404, never a 500', async () => {
  let release: () => void = () => {};
  let paused = 0;
  const job = server.context.jobs.start({ kind: 'test', title: 'held', actions: { pause: () => paused++ } }, () => new Promise<void>((r) => (release = r)));
  try {
    for (const name of ['valueOf', 'hasOwnProperty', '__defineGetter__', '__proto__', 'constructor', 'toString', 'resume', 'PAUSE']) {
      const r = await api(server.port, key, 'POST', `/api/jobs/${job.id}/actions/${encodeURIComponent(name)}`);
      assert.equal(r.status, 404, name);
      assert.equal(JSON.parse(r.body).error.code, 'USAGE', name);
    }
    for (const id of ['__proto__', 'constructor', 'x'.repeat(12) + '/', '../jobs', 'a%00b']) {
      for (const path of [`/api/jobs/${encodeURIComponent(id)}`, `/api/jobs/${encodeURIComponent(id)}/cancel`, `/api/jobs/${encodeURIComponent(id)}/actions/pause`]) {
        const r = await api(server.port, key, path.endsWith(id) || path.endsWith(encodeURIComponent(id)) ? 'GET' : 'POST', path);
        assert.equal(r.status, 404, path);
      }
    }
    assert.equal(paused, 0);
    assert.equal((await api(server.port, key, 'POST', `/api/jobs/${job.id}/actions/pause`)).status, 200, 'an offered action still works');
    assert.equal(paused, 1);
    assert.equal(server.context.jobs.action(job.id, 'valueOf'), false, 'the registry checks too');
  } finally {
    release();
    await server.context.jobs.settled(job.id);
  }
});

test('a report the wizard wrote is served by capability, only from inside its folder, with no script allowed', async () => {
  const out = scratchDir();
  mkdirSync(join(out, 'messages'));
  writeFileSync(join(out, 'index.html'), '<!doctype html><title>report</title><a href="messages/index.html">m</a>');
  writeFileSync(join(out, 'messages', 'index.html'), '<p>chat</p>');
  const report = join(out, 'index.html');
  const refused = await api(server.port, key, 'POST', '/api/view', { path: report });
  assert.equal(refused.status, 403, 'only what this wizard wrote');
  server.context.outputs.add(report);
  const { url } = JSON.parse((await api(server.port, key, 'POST', '/api/view', { path: report })).body);
  assert.match(url, /^\/out\/[A-Za-z0-9_-]{20,}\/index\.html$/);
  const page = await raw(server.port, 'GET', url);
  assert.equal(page.status, 200);
  assert.match(page.body, /<title>report/);
  assert.match(String(page.headers['content-security-policy']), /default-src 'none'/);
  assert.doesNotMatch(String(page.headers['content-security-policy']), /script-src/);
  const cap = url.split('/')[2];
  assert.equal((await raw(server.port, 'GET', `/out/${cap}/messages/index.html`)).status, 200);
  for (const p of [`/out/${cap}/../../package.json`, `/out/${cap}/%2e%2e/%2e%2e/etc/passwd`, `/out/${cap}/messages/..%2f..%2f..%2fetc%2fpasswd`, '/out/not-a-cap/index.html', `/out/${cap}/nope.html`]) {
    const r = await raw(server.port, 'GET', p);
    // WHATWG URL folds %2e%2e before routing: such a path leaves /out/ and gets the wizard's page.
    assert.ok(r.status === 404 || (r.status === 200 && /<title>(report|wizard)/.test(r.body)), `${p}: ${r.status}`);
    assert.ok(!r.body.includes('root:') && !r.body.includes('"name": "irescue"'), p);
  }
});
