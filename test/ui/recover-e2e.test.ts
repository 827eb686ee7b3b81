/**
 * Password recovery in a real browser: from the list of backups, hint words typed from the
 * keyboard, the plan, the live search paused and resumed, the found password on screen (and nowhere
 * else), then the backup unlocked with it. Screenshots land in test-output/ui/.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { startUiServer } from '../../src/ui/server.js';
import { DEFAULT_WEB_ROOT } from '../../src/ui/static.js';
import { makeEncryptedBackup, scratchDir } from '../fixtures/backups.js';
import { assertLabelled, assertNoSidewaysScroll, chromiumMissing, launchBrowser, shot, tabTo } from './browser.js';

// node crypto keeps the search slow enough to pause while it runs (a native engine may finish first)
const savedKdf = process.env.IRESCUE_KDF_PATH;
process.env.IRESCUE_KDF_PATH = 'node-crypto';

const PASSWORD = 'Rex@1987'; // a variant of the hints "rex" and "1987", about 1,700 candidates in
const skip = chromiumMissing();
let browser: BrowserContext;

before(async () => {
  if (skip) return;
  assert.ok(existsSync(join(DEFAULT_WEB_ROOT, 'index.html')), `the wizard's page is not built (${DEFAULT_WEB_ROOT}): run npm run build`);
  browser = await launchBrowser();
});

after(async () => {
  if (savedKdf === undefined) delete process.env.IRESCUE_KDF_PATH;
  else process.env.IRESCUE_KDF_PATH = savedKdf;
  await browser?.close();
});

test('recover a password from hints: plan, live progress, pause and resume, found on screen only, unlock with it', { skip }, async () => {
  const b = await makeEncryptedBackup({ deviceName: 'Rex iPhone', encryption: { password: PASSWORD, dpic: 20000, iterations: 10 } });
  const server = await startUiServer({ roots: [dirname(b.dir)], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo'), cacheDir: scratchDir() });
  const page = await browser.newPage();
  try {
    await page.goto(server.url);
    await page.getByRole('link', { name: 'Forgot password' }).click();
    await page.getByRole('heading', { name: 'Recover a forgotten backup password' }).waitFor();
    await page.getByRole('link', { name: /Rex iPhone/ }).click();
    await page.getByLabel('Hint words (names, dates, pets, places…)').waitFor();
    await assertLabelled(page, 'recover form');

    // Nothing chosen: the server's message and next step.
    await page.getByLabel('Common passwords (the most used ones worldwide)').uncheck();
    await page.getByRole('button', { name: 'Show the plan' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Next step:.*hint words/s);

    // Keyboard only: the hint words, 4-digit PINs, Enter for the plan.
    await page.locator('h1').focus();
    await tabTo(page, 'hints');
    await page.keyboard.type('rex, 1987');
    await tabTo(page, 'pin4');
    await page.keyboard.press('Space');
    await tabTo(page, 'mask');
    await page.keyboard.press('Enter');
    const plan = page.getByTestId('plan');
    await plan.waitFor();
    const planText = await plan.innerText();
    assert.match(planText, /variants of 2 hint\(s\): [\d,]+/);
    assert.match(planText, /4-digit PINs: 10,000/);
    assert.match(planText, /Measured speed: [\d.,]+ passwords\/s/);
    await assertLabelled(page, 'recover plan');
    await shot(page, '30-recover-plan');

    await page.getByRole('button', { name: 'Start searching' }).click();
    await page.waitForURL(/#\/recover\/[^/]+\/[^/]+$/);
    await page.getByText('Searching…').waitFor();
    await page.getByText(/tried: [1-9][\d,]* of [\d,]+ passwords/).waitFor();
    assert.match(await page.locator('.progress-detail').innerText(), /variants of 2 hint\(s\)/, 'the current source is shown');
    await shot(page, '31-recover-running');

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText('Paused: the progress is saved.').waitFor();
    const pausedText = await page.getByTestId('progress-text').innerText();
    await assertLabelled(page, 'recover paused');
    await shot(page, '32-recover-paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByText('Searching…').waitFor();
    const found = page.getByTestId('found-password');
    await found.waitFor({ timeout: 60_000 });
    assert.equal(await found.innerText(), PASSWORD);
    assert.match(pausedText, /^paused: [1-9]/);

    assert.ok(!page.url().includes(PASSWORD) && !page.url().includes(encodeURIComponent(PASSWORD)), 'never in the address');
    const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    assert.ok(!storage.includes(PASSWORD), 'never in browser storage');
    await page.setViewportSize({ width: 375, height: 740 });
    await assertNoSidewaysScroll(page, 'recover found');
    await shot(page, '33-recover-found-phone');
    await page.setViewportSize({ width: 1100, height: 850 });

    await page.getByRole('button', { name: 'Unlock the backup with it' }).click();
    await page.getByRole('heading', { name: 'Files', exact: true }).waitFor({ timeout: 30_000 });
    assert.ok(!page.url().includes(PASSWORD));
  } finally {
    await page.close();
    await server.close();
  }
});
