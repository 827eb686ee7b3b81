/**
 * The wizard in a real browser: each flow on generated backups, with screenshots under
 * test-output/ui/ for a reviewer. One chromium for the whole file keeps it fast.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { startUiServer, type UiServer } from '../../src/ui/server.js';
import { DEFAULT_WEB_ROOT } from '../../src/ui/static.js';
import { FIXTURE_PASSWORD, makeEncryptedBackup, scratchDir } from '../fixtures/backups.js';
import { assertLabelled, chromiumMissing, launchBrowser, shot, tabTo } from './browser.js';

const skip = chromiumMissing();
let browser: BrowserContext;

before(async () => {
  if (skip) return;
  assert.ok(existsSync(join(DEFAULT_WEB_ROOT, 'index.html')), `the wizard's page is not built (${DEFAULT_WEB_ROOT}): run npm run build`);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});


test('unlock a backup (wrong password first, then keyboard only), browse by domain, extract and see the summary, decrypted copy', { skip }, async () => {
  const b = await makeEncryptedBackup();
  const server = await startUiServer({ roots: [dirname(b.dir)], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo') });
  const page = await browser.newPage();
  try {
    await page.goto(server.url);
    assert.ok(!page.url().includes('token='), 'the token leaves the address bar');
    await page.getByRole('heading', { name: 'What do you need to do?' }).waitFor();
    await assertLabelled(page, 'start');
    await shot(page, '01-start');

    await page.getByRole('link', { name: /Get my files out of a backup/ }).click();
    await page.getByRole('heading', { name: 'Backups on this computer' }).waitFor();
    await page.getByRole('link', { name: /Test iPhone/ }).waitFor();
    await assertLabelled(page, 'backups');
    await shot(page, '02-backups');

    await page.getByRole('link', { name: /Test iPhone/ }).click();
    await page.getByLabel('Backup password', { exact: true }).waitFor();
    assert.match(await page.locator('dl.info').innerText(), /Encrypted\s+yes/);
    await assertLabelled(page, 'backup info');

    // Wrong password first: the page shows the server's message and the next step.
    await page.getByLabel('Backup password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Unlock' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Next step:.*password/s);
    assert.equal(await page.getByLabel('Backup password', { exact: true }).inputValue(), '', 'the page drops the password after use');
    await shot(page, '03-wrong-password');

    // Then the right one, keyboard only.
    await page.locator('h1').focus();
    await tabTo(page, 'password');
    await page.keyboard.type(FIXTURE_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Files', exact: true }).waitFor();
    assert.ok(!page.url().includes(encodeURIComponent(FIXTURE_PASSWORD)) && !page.url().includes(FIXTURE_PASSWORD));
    const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    assert.ok(!storage.includes(FIXTURE_PASSWORD), 'no password in browser storage');
    await page.getByText(/Showing 1–\d+ of \d+ files/).waitFor();
    await assertLabelled(page, 'browse');
    await shot(page, '04-browse');

    await page.getByLabel('Domain', { exact: true }).selectOption('CameraRollDomain');
    await page.getByText('Showing 1–1 of 1 files').waitFor();
    assert.match(await page.locator('table.files tbody').innerText(), /IMG_0001\.JPG/);
    await shot(page, '05-browse-domain');
    await page.setViewportSize({ width: 375, height: 740 });
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth), false, 'no sideways scrolling on a phone');
    await shot(page, '05-phone-browse');
    await page.setViewportSize({ width: 1100, height: 850 });

    const out = join(scratchDir(), 'files');
    await page.getByLabel('Folder to copy the files into').fill(out);
    await page.getByRole('button', { name: 'Copy files' }).click();
    const summary = page.getByTestId('summary');
    await summary.waitFor();
    const text = await summary.innerText();
    assert.match(text, /\d+ files .* written to/);
    assert.ok(text.includes(out));
    assert.match(text, /Refused \(the name would land outside the folder\): \d+/);
    assert.equal(readFileSync(join(out, 'HomeDomain', 'Library/Notes/deep/er/note.txt'), 'utf8'), 'nested note\n');
    await assertLabelled(page, 'extract summary');
    await shot(page, '06-extract-done');

    await page.getByRole('link', { name: /Back to the backup/ }).click();
    const copy = join(scratchDir(), 'copy');
    await page.getByLabel('Folder for the decrypted copy').fill(copy);
    await page.getByRole('button', { name: 'Make the decrypted copy' }).click();
    await page.getByTestId('summary').waitFor();
    assert.ok(existsSync(join(copy, 'Manifest.plist')));
    await shot(page, '07-decrypted-copy-done');
  } finally {
    await page.close();
    await server.close();
  }
});

test('live progress over SSE; a reloaded page reattaches to the running job; cancel', { skip }, async () => {
  // A controllable job through the same generic registry every area uses.
  let step: () => void = () => {};
  const server = await startUiServer({ roots: [], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo') });
  const job = server.context.jobs.start({ kind: 'test', title: 'Slow test job', actions: { pause: () => {} } }, async (onProgress, signal) => {
    for (let i = 1; ; i++) {
      await new Promise<void>((resolve, reject) => {
        step = resolve;
        signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { code: 'ABORT_ERR' })), { once: true });
      });
      onProgress({ phase: 'testing', done: i, total: 10, unit: 'steps' });
    }
  });
  const page = await browser.newPage();
  try {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'What do you need to do?' }).waitFor();
    await page.goto(`${server.origin}#/jobs/${job.id}`);
    await page.getByText('Working…').waitFor();
    step();
    await page.getByText('testing: 1 of 10 steps').waitFor();
    step();
    await page.getByText(/testing: 2 of 10 steps/).waitFor();
    await shot(page, '08-job-progress');

    await page.reload();
    await page.getByText(/testing: 2 of 10 steps/).waitFor();
    step();
    await page.getByText(/testing: 3 of 10 steps/).waitFor();
    assert.equal(await page.getByRole('progressbar', { name: 'Slow test job' }).getAttribute('value'), '3');
    await assertLabelled(page, 'job');

    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Stopped.', { exact: true }).waitFor();
    assert.equal(server.context.jobs.get(job.id)?.state, 'cancelled');
    await shot(page, '09-job-cancelled');
  } finally {
    await page.close();
    await server.close();
  }
});

test('with no backups the demo is offered with its password, and opens', { skip }, async () => {
  const server = await startUiServer({ roots: [], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo') });
  const page = await browser.newPage();
  try {
    await page.goto(server.url);
    await page.goto(`${server.origin}#/backups`);
    await page.getByRole('heading', { name: 'Try the demo backup' }).waitFor();
    assert.equal(await page.locator('.demo .demo-password').innerText(), 'demo1234');
    await assertLabelled(page, 'demo offer');
    await shot(page, '10-demo-offered');

    await page.getByRole('button', { name: 'Create the demo backup' }).click();
    await page.getByLabel('Backup password', { exact: true }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Fill it in' }).click();
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Files', exact: true }).waitFor({ timeout: 60_000 });
    assert.match(await page.locator('table.files').innerText(), /welcome\.txt/);
    await shot(page, '11-demo-open');
  } finally {
    await page.close();
    await server.close();
  }
});

test('every area opens its real page (none is "coming" any more); a phone-sized window stays readable', { skip }, async () => {
  const server = await startUiServer({ roots: [], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo') });
  const page = await browser.newPage();
  await page.setViewportSize({ width: 375, height: 740 });
  try {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'What do you need to do?' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false, 'no sideways scrolling on a phone');
    await shot(page, '12-phone-start');
    // recover was the last area to land: its nav link now leads to the real page
    await page.getByRole('link', { name: 'Forgot password' }).click();
    await page.getByRole('heading', { name: 'Recover a forgotten backup password' }).waitFor();
    await page.getByText(/No encrypted backup found/).waitFor();
    assert.equal(await page.getByText('coming in a later version').count(), 0);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth), false, 'no sideways scrolling on a phone (recover)');
    await shot(page, '13-phone-recover');
  } finally {
    await page.close();
    await server.close();
  }
});
