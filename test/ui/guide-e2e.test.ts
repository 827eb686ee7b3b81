/**
 * The guide for a panicked owner, in the real browser, keyboard only: after "Show my options" the
 * answer takes focus and is on screen; "Do this first" and the warnings come before the routes;
 * "iOS 15" without a minor release shows the 15.2+ lock-screen erase with a note instead of
 * hiding it; Recovery mode's 15-minute limit is said. At 1280 and 390 px, screenshots kept.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { startUiServer, type UiServer } from '../../src/ui/server.js';
import { scratchDir } from '../fixtures/backups.js';
import { assertLabelled, assertNoSidewaysScroll, chromiumMissing, launchBrowser, shot, tabTo } from './browser.js';

const skip = chromiumMissing();
let browser: BrowserContext;
let server: UiServer;

before(async () => {
  if (skip) return;
  server = await startUiServer({ roots: [], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo') });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

for (const width of [1280, 390]) {
  test(`iPhone 7 on "iOS 15", keyboard only, at ${width} px: the answer comes into view first thing`, { skip }, async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width, height: width > 500 ? 900 : 844 });
    try {
      await page.goto(width === 1280 ? server.url : server.newAddress());
      await page.getByRole('heading', { name: 'What do you need to do?' }).waitFor();
      await page.goto(`${server.origin}#/guide`);
      await page.getByRole('heading', { name: /Locked out of your iPhone/ }).waitFor();
      await page.locator('h1').focus();
      // A radio group: Tab reaches it, the arrow keys choose.
      await tabTo(page, 'sit-forgot-passcode');
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.locator('#sit-unavailable').isChecked(), true);
      await tabTo(page, 'guide-model');
      await page.keyboard.type('iPhone 7');
      await tabTo(page, 'guide-ios');
      await page.keyboard.type('15');
      await page.keyboard.press('Enter');
      await page.getByTestId('guide-answer').waitFor();
      await page.waitForFunction(() => document.activeElement?.id === 'answer-title');
      const top = await page.evaluate(() => document.getElementById('answer-title')!.getBoundingClientRect().top);
      assert.ok(top > -2 && top < 200, `the answer's heading is at the top of the screen (${top} px)`);
      assert.match(await page.locator('#answer-title').innerText(), /iPhone 7 · iOS 15$/);

      // Order: Do this first, then the warnings, then the routes.
      const order = await page.evaluate(() => ['do-first-title', 'traps-title'].map((id) => document.getElementById(id)?.compareDocumentPosition(document.querySelector('li.route')!) ?? 0));
      for (const pos of order) assert.ok(pos & 4, 'before the first route'); // DOCUMENT_POSITION_FOLLOWING
      assert.match(await page.locator('.do-first').innerText(), /charging[\s\S]*Do not restart[\s\S]*Apple Account/);

      const erase = page.locator('li.route[data-route="lock-screen-erase"]');
      await erase.waitFor();
      assert.match(await erase.innerText(), /Only if your device has a later iOS 15 release \(needs iOS 15\.2 or later\)/);
      assert.equal(await page.getByText('you have 15.0').count(), 0, 'never read as 15.0');
      assert.match(await page.locator('section[data-family]').innerText(), /more than 15 minutes/);
      assert.equal((await page.locator('main').innerText()).includes('`'), false, 'no literal backticks');
      await assertLabelled(page, 'guide answer');
      if (width < 500) await assertNoSidewaysScroll(page, 'guide answer');
      await shot(page, `guide-iphone7-ios15-${width}`);
    } finally {
      await page.close();
    }
  });
}
