/**
 * Debian's chromium driven by playwright-core (never `playwright install`), with a fresh profile
 * per run. Tests skip with a reason where /usr/bin/chromium is absent (CI installs `chromium`).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { REPO } from '../cli/run-cli.js';
import { scratchDir } from '../fixtures/backups.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = join(REPO, 'test-output', 'ui');

export function chromiumMissing(): string | false {
  return existsSync(CHROMIUM) ? false : `${CHROMIUM} not found: install Debian's chromium package (apt-get install chromium) to run the browser tests`;
}

/** `bypassCSP` lets a test inject axe-core into pages whose policy runs no script of ours (the report). */
export async function launchBrowser(opts: { bypassCSP?: boolean } = {}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(scratchDir('irescue-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    bypassCSP: opts.bypassCSP ?? false,
    acceptDownloads: true,
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

/** Presses Tab until the focused element's text or accessible label matches: keyboard-only flows. */
export async function tabToText(page: Page, want: RegExp, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const text = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      // Past the last control focus rests on the page itself, whose text holds everything.
      return el && el !== document.body && el !== document.documentElement ? `${el.getAttribute('aria-label') ?? ''} ${el.innerText ?? ''} ${(el as HTMLInputElement).labels?.[0]?.innerText ?? ''}` : '';
    });
    if (want.test(text)) return;
  }
  assert.fail(`nothing matching ${want} was reachable with Tab`);
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** axe-core in the page (the context must bypass CSP): fails on any serious or critical violation. */
export async function assertAxeClean(page: Page, name: string): Promise<void> {
  await page.addScriptTag({ path: AXE });
  const violations = (await page.evaluate(() => (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: unknown[] }> } }).axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations))) as Violation[];
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`),
    [],
    `axe on ${name}`,
  );
}
