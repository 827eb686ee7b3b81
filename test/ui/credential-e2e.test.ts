/**
 * B2/B12 in the real browser: the wizard's credential never leaves with anything the browser sends
 * on its own. A second local server on another 127.0.0.1 port records every request it gets while
 * the wizard is open and unlocked in the same browser; none may carry a cookie, the page key or the
 * address token. The address token opens the wizard once, for a short while, and leaves the address.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { startUiServer, type UiServer } from '../../src/ui/server.js';
import { FIXTURE_PASSWORD, makeEncryptedBackup, scratchDir } from '../fixtures/backups.js';
import { chromiumMissing, launchBrowser, shot } from './browser.js';

const skip = chromiumMissing();
let browser: BrowserContext;
let wizard: UiServer;
let other: Server;
let otherOrigin: string;
const seen: Array<{ url: string; headers: Record<string, string | string[] | undefined> }> = [];

/** A page on the other port that does what any local page can: images, icons, fetches, and pokes at the wizard. */
function otherPage(wizardOrigin: string): string {
  return `<!doctype html><title>other local app</title><link rel="icon" href="/favicon.ico"><img src="/img.png" alt="">
<script>
(async () => {
  const tries = {};
  await fetch('/fetch', { credentials: 'include' }).catch(() => {});
  for (const [name, init] of [['plain', { credentials: 'include' }], ['keyed', { credentials: 'include', headers: { 'X-Irescue-Key': 'guess' } }]]) {
    try { const r = await fetch('${wizardOrigin}api/sessions', init); tries[name] = 'read ' + r.status + ' ' + (await r.text()); } catch (e) { tries[name] = 'blocked'; }
  }
  tries.storage = JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage });
  document.title = 'done';
  await fetch('/report', { method: 'POST', body: JSON.stringify(tries) });
})();
</script>`;
}

before(async () => {
  if (skip) return;
  const b = await makeEncryptedBackup();
  wizard = await startUiServer({ roots: [dirname(b.dir)], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo') });
  other = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: { ...req.headers, 'x-body': body } });
      if (req.url === '/page') {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end(otherPage(wizard.origin));
      } else {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('ok');
      }
    });
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await wizard?.close();
  await new Promise((r) => (other ? other.close(r) : r(undefined)));
});

test('another server on 127.0.0.1 gets no credential of an open, unlocked wizard', { skip }, async () => {
  const page = await browser.newPage();
  await page.goto(wizard.url);
  await page.getByRole('heading', { name: 'What do you need to do?' }).waitFor();
  assert.ok(!page.url().includes('token'), 'the token leaves the address bar');
  const key = await page.evaluate(() => sessionStorage.getItem('irescue-page-key'));
  assert.ok(key && key.length >= 20, 'the page keeps its key in this tab');
  assert.deepEqual(await browser.cookies(), [], 'no cookie at all');

  // Unlock through the page, so the wizard holds decrypted keys while the other port is visited.
  await page.goto(`${wizard.origin}#/backups`);
  await page.getByRole('link', { name: /Test iPhone/ }).click();
  await page.getByLabel('Backup password', { exact: true }).fill(FIXTURE_PASSWORD);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('heading', { name: 'Files', exact: true }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Files', exact: true }).waitFor();

  // The wizard's own tab navigates to the other port, and a second tab opens it directly.
  await page.evaluate((to) => {
    location.href = to;
  }, `${otherOrigin}/page`);
  await page.waitForFunction(() => document.title === 'done');
  const tab = await browser.newPage();
  await tab.goto(`${otherOrigin}/page`);
  await tab.waitForFunction(() => document.title === 'done');
  await new Promise((r) => setTimeout(r, 300));
  await tab.close();

  const urls = seen.map((s) => s.url);
  for (const want of ['/page', '/img.png', '/fetch', '/report']) assert.ok(urls.includes(want), `the other server saw ${want} (${urls.join(', ')})`);
  for (const s of seen) {
    assert.equal(s.headers.cookie, undefined, `no cookie on ${s.url}`);
    const all = s.url + JSON.stringify(s.headers);
    assert.ok(!all.includes(key!), `no page key in ${s.url}`);
    assert.ok(!all.includes(wizard.token), `no address token in ${s.url}`);
    assert.ok(!String(s.headers.referer ?? '').includes(String(wizard.port)), `no wizard referrer on ${s.url}`);
  }
  const reports = seen.filter((s) => s.url === '/report').map((s) => JSON.parse(String(s.headers['x-body'])));
  assert.equal(reports.length, 2);
  for (const r of reports) {
    assert.equal(r.plain, 'blocked', 'the other page cannot read the wizard');
    assert.equal(r.keyed, 'blocked', 'nor send a key header (the preflight is refused)');
    assert.ok(!r.storage.includes(key!), 'nor read the key from storage');
  }
  await page.close();
});

test('the address token works once: a second tab with the same address gets a plain refusal', { skip }, async () => {
  const s = await startUiServer({ roots: [], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo') });
  try {
    const first = await browser.newPage();
    await first.goto(s.url);
    await first.getByRole('heading', { name: 'What do you need to do?' }).waitFor();
    const second = await browser.newPage();
    await second.goto(s.url);
    await second.getByRole('heading', { name: 'This wizard page cannot open' }).waitFor();
    assert.match(await second.getByRole('alert').innerText(), /already used/);
    assert.ok(!second.url().includes('token'), 'even a refused token leaves the address bar');
    await shot(second, 'credential-used-address');
    // The tab that traded it keeps working after a reload; a new address opens a new tab.
    await first.reload();
    await first.getByRole('heading', { name: 'What do you need to do?' }).waitFor();
    await second.goto(s.newAddress());
    await second.getByRole('heading', { name: 'What do you need to do?' }).waitFor();
    await first.close();
    await second.close();
  } finally {
    await s.close();
  }
});

test('an address token nobody traded in time is refused as too old', { skip }, async () => {
  const s = await startUiServer({ roots: [], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo'), tokenTtlMs: 200 });
  try {
    await new Promise((r) => setTimeout(r, 400));
    const page = await browser.newPage();
    await page.goto(s.url);
    await page.getByRole('heading', { name: 'This wizard page cannot open' }).waitFor();
    assert.match(await page.getByRole('alert').innerText(), /too old/);
    await page.close();
  } finally {
    await s.close();
  }
});
