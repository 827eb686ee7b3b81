/**
 * Debian's chromium driven by playwright-core (never `playwright install`), with a fresh profile
 * per run. Tests skip with a reason where /usr/bin/chromium is absent (CI installs `chromium`).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { REPO } from '../cli/run-cli.js';
import { scratchDir } from '../fixtures/backups.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = join(REPO, 'test-output', 'ui');

export function chromiumMissing(): string | false {
  return existsSync(CHROMIUM) ? false : `${CHROMIUM} not found: install Debian's chromium package (apt-get install chromium) to run the browser tests`;
}

export async function launchBrowser(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(scratchDir('irescue-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1100, height: 850 },
  });
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Every form control on the page that has no accessible name (label, aria-label or text). */
export function unlabeledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bad: string[] = [];
    for (const el of Array.from(document.querySelectorAll('input, select, textarea, button'))) {
      const e = el as HTMLInputElement;
      const named = (e.labels && e.labels.length > 0) || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || (el.tagName === 'BUTTON' && el.textContent?.trim());
      if (!named) bad.push(el.outerHTML.slice(0, 80));
    }
    return bad;
  });
}

export async function assertLabelled(page: Page, where: string): Promise<void> {
  assert.deepEqual(await unlabeledControls(page), [], `controls without a label on ${where}`);
}

/** Presses Tab until the element with this id has focus: the page works without a mouse. */
export async function tabTo(page: Page, id: string, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((want) => document.activeElement?.id === want, id)) return;
  }
  assert.fail(`#${id} was not reachable with Tab`);
}

export async function assertNoSidewaysScroll(page: Page, where: string): Promise<void> {
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth), false, `no sideways scrolling on a phone (${where})`);
}
