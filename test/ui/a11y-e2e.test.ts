/**
 * Every wizard page through axe-core in the real Chromium, at 1280 and 390 px: no serious or
 * critical accessibility violation, no sideways scrolling on a phone. Screenshots of each page
 * land in test-output/ui/a11y-*. axe is injected with playwright's addScriptTag; the context
 * bypasses our own CSP for that one script (the page itself allows only its own files).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startUiServer, type UiServer } from '../../src/ui/server.js';
import { FIXTURE_PASSWORD, makeEncryptedBackup, scratchDir } from '../fixtures/backups.js';
import { CHROMIUM, assertAxeClean, assertNoSidewaysScroll, chromiumMissing, shot } from './browser.js';

const skip = chromiumMissing();
let browser: BrowserContext;
let server: UiServer;
let sid = '';
let backupId = '';

before(async () => {
  if (skip) return;
  const b = await makeEncryptedBackup();
  server = await startUiServer({ roots: [dirname(b.dir)], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo') });
  browser = await chromium.launchPersistentContext(scratchDir('irescue-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    bypassCSP: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Each page: its address and what shows once it has loaded. */
const PAGES: Array<{ name: string; hash: () => string; ready: (p: Page) => Promise<unknown> }> = [
  { name: 'start', hash: () => '', ready: (p) => p.getByRole('heading', { name: 'What do you need to do?' }).waitFor() },
  { name: 'backups', hash: () => '#/backups', ready: (p) => p.getByRole('link', { name: /Test iPhone/ }).waitFor() },
  { name: 'backup', hash: () => `#/backups/${backupId}`, ready: (p) => p.getByLabel('Backup password', { exact: true }).waitFor() },
  { name: 'browse', hash: () => `#/open/${sid}`, ready: (p) => p.getByRole('heading', { name: 'Files', exact: true }).waitFor() },
  { name: 'export', hash: () => `#/export/${sid}`, ready: (p) => p.getByLabel('Everything').waitFor() },
  { name: 'recover', hash: () => '#/recover', ready: (p) => p.getByRole('heading', { name: 'Recover a forgotten backup password' }).waitFor() },
  { name: 'recover-form', hash: () => `#/recover/${backupId}`, ready: (p) => p.locator('#hints').waitFor() },
  { name: 'guide', hash: () => '#/guide', ready: (p) => p.locator('#guide-model').waitFor() },
  { name: 'guide-answer', hash: () => '#/guide/unavailable/iPhone13,2/15', ready: (p) => p.getByTestId('guide-answer').waitFor() },
  { name: 'devices', hash: () => '#/devices', ready: (p) => p.getByTestId('device-list').waitFor() },
  { name: 'not-found', hash: () => '#/nowhere', ready: (p) => p.locator('h1').waitFor() },
];

test('every page passes axe (no serious or critical violations) at 1280 and 390 px', { skip }, async () => {
  const page = await browser.newPage();
  try {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'What do you need to do?' }).waitFor();
    const opened = await page.evaluate(async (password) => {
      const headers = { 'Content-Type': 'application/json', 'X-Irescue-Key': sessionStorage.getItem('irescue-page-key') ?? '' };
      const list = await fetch('/api/backups', { headers }).then((r) => r.json());
      const id = list.backups[0].id as string;
      const r = await fetch(`/api/backups/${id}/unlock`, { method: 'POST', headers, body: JSON.stringify({ password }) }).then((x) => x.json());
      return { id, sid: r.session.id as string };
    }, FIXTURE_PASSWORD);
    backupId = opened.id;
    sid = opened.sid;
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width > 500 ? 900 : 844 });
      for (const p of PAGES) {
        await page.goto(`${server.origin}${p.hash()}`);
        await p.ready(page);
        await assertAxeClean(page, `${p.name} at ${width} px`);
        if (width < 500) await assertNoSidewaysScroll(page, p.name);
        await shot(page, `a11y-${p.name}-${width}`);
      }
    }
  } finally {
    await page.close();
  }
});

test('the page shown for a used address passes axe too', { skip }, async () => {
  const page = await browser.newPage();
  try {
    await page.goto(`${server.origin}?token=used-or-wrong`);
    await page.getByRole('heading', { name: 'This wizard page cannot open' }).waitFor();
    await assertAxeClean(page, 'no access');
  } finally {
    await page.close();
  }
});

test('an export report page reads on a 390 px phone without sideways scrolling, and follows dark mode', { skip }, async () => {
  const { page: reportPage, table } = await import('../../src/export/html.js');
  const rows = Array.from({ length: 5 }, (_, i) => [`Contact ${i} with a rather long name`, `+44 20 7946 09${i}${i}`, `someone.with.a.very.long.address${i}@example-mail-provider.com`, 'https://example.com/' + 'x'.repeat(60)]);
  const html = reportPage({ title: 'Contacts', body: table(['Name', 'Phone', 'Email', 'Link'], rows) });
  const page = await browser.newPage();
  try {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.setContent(html);
    await assertNoSidewaysScroll(page, 'report contacts');
    await page.emulateMedia({ colorScheme: 'dark' });
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(22, 22, 22)', 'dark background in dark mode');
    await assertAxeClean(page, 'report contacts, dark, 390 px');
    await shot(page, 'a11y-report-contacts-dark-390');
  } finally {
    await page.close();
  }
});
