/**
 * Browsing and the report as people see them, in the real Chromium: the demo backup opened with
 * the keyboard only, its categories and photo grid, one file picked and downloaded, Photos
 * exported, the report opened; then every new page at 1280 and 390 px through axe-core, with no
 * sideways scrolling on a phone. Screenshots land in test-output/ui/browse-*.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { demoContentFiles } from '../../src/demo/content.js';
import { DEMO_PASSWORD } from '../../src/demo/demo-backup.js';
import { formatDateTime } from '../../src/format.js';
import { startUiServer, type UiServer } from '../../src/ui/server.js';
import { DEFAULT_WEB_ROOT } from '../../src/ui/static.js';
import { FIXTURE_PASSWORD, makeEncryptedBackup, scratchDir } from '../fixtures/backups.js';
import { assertAxeClean, assertNoSidewaysScroll, chromiumMissing, launchBrowser, shot, tabToText } from './browser.js';

const skip = chromiumMissing();
let browser: BrowserContext;
let server: UiServer;

const demoPhotos = demoContentFiles().filter((f) => f.domain === 'CameraRollDomain' && /\.(jpe?g|heic|mov)$/i.test(f.relativePath));

before(async () => {
  if (skip) return;
  assert.ok(existsSync(join(DEFAULT_WEB_ROOT, 'index.html')), `the wizard's page is not built (${DEFAULT_WEB_ROOT}): run npm run build:web`);
  // No backup found, so the wizard offers the demo, as on a first run.
  server = await startUiServer({ roots: [], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo') });
  browser = await launchBrowser({ bypassCSP: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A call to the wizard's API from inside the page, with its key (as the page itself makes them). */
function api<T>(page: Page, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const headers = { 'Content-Type': 'application/json', 'X-Irescue-Key': sessionStorage.getItem('irescue-page-key') ?? '' };
      const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const type = r.headers.get('content-type') ?? '';
      return { status: r.status, type, json: type.includes('json') ? await r.json() : undefined, bytes: type.includes('json') ? 0 : (await r.arrayBuffer()).byteLength } as T;
    },
    { method, path, body },
  );
}

async function waitJob(page: Page, id: string): Promise<{ state: string; result: { categories: Array<{ category: string; status: string; count: number }>; report: string } }> {
  for (;;) {
    const r = await api<{ json: { job: { state: string; result: never } } }>(page, 'GET', `/api/jobs/${id}`);
    if (r.json.job.state !== 'running') return r.json.job;
    await new Promise((res) => setTimeout(res, 200));
  }
}

test('keyboard only: open the demo, browse its photos, pick and download one, export Photos, open the report', { skip, timeout: 240_000 }, async () => {
  const page = await browser.newPage();
  page.setDefaultTimeout(60_000);
  try {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'What do you need to do?' }).waitFor();
    await tabToText(page, /Get my files out of a backup/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Backups on this computer' }).waitFor();
    await tabToText(page, /Create the demo backup/);
    await page.keyboard.press('Enter');
    // Made, the demo opens on its own unlock page.
    await page.getByLabel('Backup password', { exact: true }).waitFor({ timeout: 120_000 });
    await tabToText(page, /Fill it in/);
    await page.keyboard.press('Space');
    assert.equal(await page.locator('#password').inputValue(), DEMO_PASSWORD);
    await tabToText(page, /^\s*Unlock\s*$/);
    await page.keyboard.press('Enter');

    // Categories with counts, people's words, no domains needed.
    const categories = page.getByTestId('categories');
    await categories.waitFor({ timeout: 120_000 });
    const photosButton = categories.locator('button[data-category="photos"]');
    assert.match(await photosButton.innerText(), new RegExp(`Photos\\s+${demoPhotos.length} photos and videos`));
    for (const name of ['Messages', 'Notes', 'Contacts', 'Calls', 'Apps', 'Other files']) assert.ok((await categories.innerText()).includes(name), `category ${name} shown`);
    await shot(page, 'browse-01-categories-1280');
    await tabToText(page, /^\s*Photos/);
    await page.keyboard.press('Space');
    assert.equal(await photosButton.getAttribute('aria-pressed'), 'true');

    const grid = page.getByTestId('photo-grid');
    await grid.waitFor();
    assert.equal(await grid.locator('li').count(), demoPhotos.length, 'one tile per photo or video');
    const jpegTile = grid.locator('li', { hasText: 'IMG_0001.JPG' });
    const preview = jpegTile.locator('img');
    await preview.waitFor();
    await page.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, await preview.elementHandle());
    assert.equal(await preview.getAttribute('width'), '160');
    await grid.locator('li', { hasText: 'IMG_0002.HEIC' }).getByText('No preview (HEIC)').waitFor();
    await grid.locator('li', { hasText: 'IMG_0003.MOV' }).getByText('No preview (MOV)').waitFor();
    await shot(page, 'browse-02-photo-grid-1280');

    // Pick one photo with Space, then download it with Enter: the bytes are the backup's own.
    await tabToText(page, /IMG_0001\.JPG/);
    await page.keyboard.press('Space');
    await page.getByTestId('picked').getByText('1 file picked').waitFor();
    await tabToText(page, /Download IMG_0001\.JPG/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    assert.equal(download.suggestedFilename(), 'IMG_0001.JPG');
    const saved = await download.path();
    assert.ok(saved);
    const original = demoPhotos.find((f) => f.relativePath.endsWith('IMG_0001.JPG'))!.content as Buffer;
    assert.deepEqual(readFileSync(saved), Buffer.from(original));

    // Export Photos into a scratch folder (typed with the keyboard), then open the report.
    await tabToText(page, /Export messages, contacts, calls, photos and notes/);
    await page.keyboard.press('Enter');
    await page.getByLabel('Everything').waitFor();
    await tabToText(page, /Photos and videos/);
    await page.keyboard.press('Space');
    await tabToText(page, /Folder for the export/);
    const out = join(scratchDir(), 'photos-export');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(out);
    await page.keyboard.press('Enter');
    const summary = page.getByTestId('summary');
    await summary.waitFor({ timeout: 120_000 });
    assert.equal(await summary.getByRole('heading').innerText(), 'Done');
    assert.match(await summary.locator('tr[data-status="exported"]').innerText(), /Photos/);
    await shot(page, 'browse-03-export-done-1280');
    await tabToText(page, /View the report/);
    const [report] = await Promise.all([page.context().waitForEvent('page'), page.keyboard.press('Enter')]);
    await report.waitForLoadState('load');
    assert.match(await report.title(), /Backup of Demo/);
    assert.match(await report.locator('tr[data-category="photos"]').innerText(), /Photos and videos/);
    await shot(report, 'browse-04-report-1280');
    await report.close();
  } finally {
    await page.close();
  }
});

test('browse pages, the photo grid and every report page pass axe at 1280 and 390 px, without sideways scrolling', { skip, timeout: 300_000 }, async () => {
  const page = await browser.newPage();
  page.setDefaultTimeout(60_000);
  try {
    await page.goto(server.newAddress());
    await page.getByRole('heading', { name: 'What do you need to do?' }).waitFor();
    const demo = await api<{ json: { backup: { id: string } } }>(page, 'POST', '/api/demo');
    const unlocked = await api<{ json: { session: { id: string } } }>(page, 'POST', `/api/backups/${demo.json.backup.id}/unlock`, { password: DEMO_PASSWORD });
    const sid = unlocked.json.session.id;

    // The preview route: a picture comes back as an image, anything else gets "no preview".
    const files = await api<{ json: { files: Array<{ domain: string; relativePath: string; preview: string }> } }>(page, 'GET', `/api/sessions/${sid}/files?category=photos`);
    const jpeg = files.json.files.find((f) => f.relativePath.endsWith('IMG_0001.JPG'))!;
    assert.equal(jpeg.preview, 'image');
    const pic = await api<{ status: number; type: string; bytes: number }>(page, 'GET', `/api/sessions/${sid}/preview?${new URLSearchParams({ domain: jpeg.domain, path: jpeg.relativePath })}`);
    assert.equal(pic.status, 200);
    assert.equal(pic.type, 'image/jpeg');
    assert.ok(pic.bytes > 0);
    const notes = await api<{ status: number }>(page, 'GET', `/api/sessions/${sid}/preview?${new URLSearchParams({ domain: 'AppDomainGroup-group.com.apple.notes', path: 'NoteStore.sqlite' })}`);
    assert.equal(notes.status, 404);

    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width > 500 ? 900 : 844 });
      await page.goto(`${server.origin}#/open/${sid}`);
      await page.getByTestId('categories').waitFor();
      await page.getByText(/Showing 1–/).waitFor();
      await assertAxeClean(page, `browse at ${width} px`);
      if (width < 500) await assertNoSidewaysScroll(page, 'browse');
      await shot(page, `browse-10-all-${width}`);
      await page.locator('button[data-category="photos"]').click();
      await page.getByTestId('photo-grid').locator('img').first().waitFor();
      await page.getByTestId('photo-grid').locator('input[type=checkbox]').first().check();
      await page.getByTestId('picked').waitFor();
      await assertAxeClean(page, `photo grid at ${width} px`);
      if (width < 500) await assertNoSidewaysScroll(page, 'photo grid');
      await shot(page, `browse-11-photos-${width}`);
    }

    // Everything exported, then each page of the report the wizard serves.
    const out = join(scratchDir(), 'all-export');
    const started = await api<{ json: { job: { id: string } } }>(page, 'POST', `/api/export/${sid}`, { categories: 'all', out });
    const job = await waitJob(page, started.json.job.id);
    assert.equal(job.state, 'done');
    const view = await api<{ json: { url: string } }>(page, 'POST', '/api/view', { path: job.result.report });
    const base = new URL(view.json.url, server.origin).href.replace(/index\.html$/, '');
    const report = await browser.newPage();
    try {
      await report.goto(base + 'index.html');
      const pages = ['index.html', 'messages/index.html', 'photos/index.html', 'contacts/index.html', 'calls/index.html', 'notes/index.html', 'whatsapp/index.html'];
      await report.goto(base + 'messages/index.html');
      pages.push('messages/' + (await report.locator('table a').first().getAttribute('href')));
      await report.goto(base + 'whatsapp/index.html');
      pages.push('whatsapp/' + (await report.locator('table a').first().getAttribute('href')));
      for (const width of [1280, 390]) {
        await report.setViewportSize({ width, height: width > 500 ? 900 : 844 });
        for (const [i, p] of pages.entries()) {
          await report.goto(base + p);
          await report.locator('h1').waitFor();
          await assertAxeClean(report, `report ${p} at ${width} px`);
          if (width < 500) await assertNoSidewaysScroll(report, `report ${p}`);
          await shot(report, `browse-2${i}-report-${p.replace(/[^a-z0-9]+/gi, '-')}-${width}`);
        }
      }

      // A conversation reads like the phone: one heading per day, the sender once per run of bubbles.
      await report.goto(base + pages[7]);
      const days = await report.locator('h2.day').allInnerTexts();
      assert.ok(days.length >= 2, `day headings: ${days}`);
      assert.equal(new Set(days).size, days.length, 'each day once');
      const bubbles = await report.locator('.msg').count();
      const names = await report.locator('p.who').allInnerTexts();
      assert.ok(names.length > 0 && names.length <= bubbles, `${names.length} sender names for ${bubbles} bubbles`);
      // One date format everywhere: the wizard's, never the old ISO-like one.
      const times = await report.locator('.msg time').evaluateAll((ts) => ts.map((t) => [t.getAttribute('datetime'), t.getAttribute('title')]));
      for (const [iso, title] of times) assert.equal(title, formatDateTime(new Date(iso!)));
      await report.goto(base + 'index.html');
      assert.doesNotMatch(await report.locator('body').innerText(), /\d{4}-\d\d-\d\d \d\d:\d\d/);

      await report.goto(base + 'photos/index.html');
      assert.equal(await report.locator('ul.grid li').count(), 3, 'a tile per photo (the Live Photo video rides with its still)');
      await report.emulateMedia({ colorScheme: 'dark' });
      assert.equal(await report.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(22, 22, 22)', 'the report follows dark mode');
      await report.setViewportSize({ width: 390, height: 844 });
      await assertAxeClean(report, 'report photos, dark, 390 px');
      await shot(report, 'browse-30-report-photos-dark-390');
    } finally {
      await report.close();
    }
  } finally {
    await page.close();
  }
});

test('an export that finds nothing says "Nothing to export", not "Done"', { skip, timeout: 120_000 }, async () => {
  // A backup with no contacts database in it.
  const b = await makeEncryptedBackup();
  const bare = await startUiServer({ roots: [dirname(b.dir)], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo') });
  const page = await browser.newPage();
  try {
    await page.goto(bare.url);
    await page.getByRole('heading', { name: 'What do you need to do?' }).waitFor();
    const list = await api<{ json: { backups: Array<{ id: string }> } }>(page, 'GET', '/api/backups');
    const unlocked = await api<{ json: { session: { id: string } } }>(page, 'POST', `/api/backups/${list.json.backups[0].id}/unlock`, { password: FIXTURE_PASSWORD });
    await page.goto(`${bare.origin}#/export/${unlocked.json.session.id}`);
    await page.getByLabel('Contacts (vCard and CSV)').check();
    await page.getByLabel('Folder for the export').fill(join(scratchDir(), 'nothing'));
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const summary = page.getByTestId('summary');
    await summary.waitFor({ timeout: 60_000 });
    assert.equal(await summary.getByRole('heading').innerText(), 'Nothing to export');
    await assertAxeClean(page, 'nothing to export');
    await shot(page, 'browse-40-nothing-to-export-1100');
  } finally {
    await page.close();
    await bare.close();
  }
});
