/**
 * "Put my data back" in a real browser: from the erase's end to a restored fake iPhone. Pick the
 * backup, type its password, check the device, confirm, follow the job to its summary; the place
 * (backup, job) is in the hash. Screenshots land in test-output/ui/.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { startUiServer } from '../../src/ui/server.js';
import { DEFAULT_WEB_ROOT } from '../../src/ui/static.js';
import { backupId } from '../../src/ui/routes/backups.js';
import { UsbmuxClient } from '../../src/device/usbmux/client.js';
import { FakeUsbmuxd } from '../fakes/usbmuxd.js';
import { FakeDevice } from '../fakes/fake-device.js';
import { FakeUsbTransport } from '../fakes/usb-transport.js';
import { FIXTURE_PASSWORD, makeEncryptedBackup, scratchDir } from '../fixtures/backups.js';
import { snapshotTree } from '../fixtures/snapshot.js';
import { assertLabelled, chromiumMissing, launchBrowser, shot } from './browser.js';

const skip = chromiumMissing();
let browser: BrowserContext;
let mux: FakeUsbmuxd;

before(async () => {
  if (skip) return;
  assert.ok(existsSync(join(DEFAULT_WEB_ROOT, 'index.html')), `the wizard's page is not built (${DEFAULT_WEB_ROOT}): run npm run build`);
  browser = await launchBrowser();
  mux = await FakeUsbmuxd.start();
});
after(async () => {
  await browser?.close();
  await mux?.close();
});

test('put my data back: an encrypted backup onto the connected fake iPhone, through the page', { skip }, async () => {
  const b = await makeEncryptedBackup();
  const snap = snapshotTree(b.dir);
  const dev = mux.attach(new FakeDevice({ udid: '00008120-00AA00BB00CC0100', productVersion: '18.2' }));
  const usbmux = new UsbmuxClient({ address: { kind: 'unix', path: mux.socketPath } });
  const server = await startUiServer({ roots: [dirname(b.dir)], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo'), deviceSources: { usbmux, usb: new FakeUsbTransport([]), pairRecordFolders: [] }, cacheDir: scratchDir() });
  const page = await browser.newPage();
  try {
    await page.goto(server.url);
    await page.goto(`${server.origin}#/put-back`);
    await page.getByRole('heading', { name: 'Put my data back' }).waitFor();
    await page.getByLabel('Backup', { exact: true }).selectOption(backupId(b.dir));
    await page.getByLabel('Backup password').fill(FIXTURE_PASSWORD);
    await assertLabelled(page, 'put-back');
    await page.getByRole('button', { name: 'Check the device' }).click();
    await page.getByTestId('checks').waitFor();
    assert.match(await page.getByTestId('checks').innerText(), /The backup password is correct/);
    await shot(page, 'put-back-checks');
    const start = page.getByRole('button', { name: 'Put my data back' });
    assert.equal(await start.isDisabled(), true, 'nothing starts before the confirmation');
    await page.getByLabel(/Replace the data on/).check();
    await start.click();
    await page.getByTestId('summary').waitFor({ timeout: 60_000 });
    assert.match(await page.getByTestId('summary').innerText(), /Your data is back/);
    assert.match(page.url(), /#\/put-back\/[^/]+\/job\//);
    await shot(page, 'put-back-done');
    assert.equal(dev.restore.finished, true);
    assert.deepEqual(snapshotTree(b.dir), snap);
  } finally {
    await page.close();
    await server.close();
  }
});

test('the guide offers to keep the old backup before "Reset All Settings, then back up again"; the copy is made, the original untouched', { skip }, async () => {
  const b = await makeEncryptedBackup();
  const snap = snapshotTree(b.dir);
  const server = await startUiServer({ roots: [dirname(b.dir)], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo'), deviceSources: { usb: new FakeUsbTransport([]), pairRecordFolders: [] }, cacheDir: scratchDir() });
  const page = await browser.newPage();
  try {
    await page.goto(server.url);
    await page.goto(`${server.origin}#/guide`);
    await page.locator('#sit-backup-password').check();
    await page.getByLabel('2. Which model?').fill('iPhone 12');
    await page.locator('#guide-ios').fill('18.1');
    await page.keyboard.press('Enter');
    const answer = page.getByTestId('guide-answer');
    await answer.waitFor();
    assert.match(await page.locator('li.route[data-route="reset-all-settings"]').innerText(), /First keep a copy of the old backup/);
    await page.getByRole('link', { name: 'Keep a copy of a backup now' }).click();
    await page.getByRole('heading', { name: 'Keep a copy of a backup' }).waitFor();
    await assertLabelled(page, 'keep');
    await page.getByRole('button', { name: /Keep a copy of the backup of Test iPhone/ }).first().click();
    await page.getByTestId('kept').waitFor();
    const to = await page.getByTestId('kept').locator('code').innerText();
    assert.match(to, /00008110-000A1B2C3D4E5F60-20260115-102030$/);
    assert.ok(existsSync(join(to, 'Manifest.plist')));
    await shot(page, 'keep-done');
    assert.deepEqual(snapshotTree(b.dir), snap);
  } finally {
    await page.close();
    await server.close();
  }
});
