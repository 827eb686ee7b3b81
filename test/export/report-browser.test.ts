/**
 * End to end: `export all` output opened in Debian's chromium through playwright-core. Skips when
 * /usr/bin/chromium is absent (apt-get install chromium).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exportAll } from '../../src/export/index.js';
import { fullBackup } from './fixtures/full-backup.js';

const CHROMIUM = '/usr/bin/chromium';

test('report: index.html and category pages render in chromium, links work, images decode', async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip(`${CHROMIUM} not installed (apt-get install chromium)`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const dir = await mkdtemp(join(tmpdir(), 'irescue-report-'));
  const reader = fullBackup({ corruptCalls: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    await exportAll(reader, { out: dir, timeZone: 'UTC' });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(join(dir, 'index.html')).href);
    assert.equal(await page.title(), 'Backup of Anna’s iPhone <3');
    const rows = await page.$$eval('table.categories tr[data-category]', (trs) => trs.map((tr) => [tr.getAttribute('data-category'), tr.getAttribute('data-status'), tr.querySelector('.count')?.textContent]));
    assert.deepEqual(rows, [
      ['messages', 'exported', '2 messages'], ['contacts', 'exported', '1 contact'], ['calls', 'failed', ''], ['photos', 'exported', '2 files'], ['notes', 'exported', '1 note'], ['whatsapp', 'missing', 'none'],
    ]);
    assert.match(await page.textContent('table.device') ?? '', /iPhone 13 \(iPhone14,5\)/);

    await page.click('text=Messages');
    assert.equal(await page.title(), 'Messages');
    await page.click('table a');
    await page.waitForLoadState('load');
    assert.match(await page.title(), /Anna Smith/);
    const img = await page.waitForSelector('.msg img');
    assert.equal(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth), 4, 'attachment image decoded');
    assert.match(await page.textContent('.msg .text') ?? '', /Hi there/);

    await page.goto(pathToFileURL(join(dir, 'photos', 'index.html')).href);
    const widths = await page.$$eval('img', (imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth));
    assert.ok(widths.includes(4), `photo previews decode: ${widths}`);
    await page.click('text=Report');
    assert.equal(await page.title(), 'Backup of Anna’s iPhone <3');

    await page.goto(pathToFileURL(join(dir, 'notes', 'Notes', 'Groceries.html')).href);
    assert.equal(await page.textContent('h2'), 'Groceries');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  }
});
