/**
 * The export, devices, restore and guide areas of the wizard in a real browser: an export of a
 * backup with real databases and its report, a fake device appearing in Recovery mode while the
 * page is open, the guide for an iPhone 12 on iOS 17.5, and a restore that cannot start without
 * the exact typed confirmation (fake idevicerestore). Screenshots land in test-output/ui/.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startUiServer, type UiServer } from '../../src/ui/server.js';
import { DEFAULT_WEB_ROOT } from '../../src/ui/static.js';
import { createDeviceWatch } from '../../src/ui/device-watch.js';
import { backupId } from '../../src/ui/routes/backups.js';
import { UsbmuxClient } from '../../src/device/usbmux/client.js';
import type { DeviceSources } from '../../src/device/devices.js';
import { FakeUsbmuxd } from '../fakes/usbmuxd.js';
import { FakeDevice } from '../fakes/fake-device.js';
import { FakeUsbTransport, SERIALS } from '../fakes/usb-transport.js';
import { FIXTURE_PASSWORD, makeEncryptedBackup, scratchDir } from '../fixtures/backups.js';
import { fullBackupFiles } from '../export/fixtures/full-backup.js';
import { REPO } from '../cli/run-cli.js';
import { assertLabelled, assertNoSidewaysScroll, chromiumMissing, launchBrowser, shot, tabTo } from './browser.js';

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

function deviceServer(usb: FakeUsbTransport, opts: { deadUsbmux?: boolean } = {}) {
  const path = opts.deadUsbmux ? join(mux.dir, 'no-such.sock') : mux.socketPath;
  const sources: DeviceSources = { usbmux: new UsbmuxClient({ address: { kind: 'unix', path } }), usb, pairRecordFolders: [] };
  const devices = createDeviceWatch({ sources, pollMs: 150, retryMs: 60_000 });
  return { devices, sources };
}

async function open(server: UiServer, hash: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.goto(`${server.origin}#/${hash}`);
  return page;
}

test('export: choose categories and a folder on an unlocked backup with real databases, live job, summary, report', { skip }, async () => {
  const files = fullBackupFiles().map((f) => ({ domain: f.domain, relativePath: f.relativePath, content: f.data, mtime: f.mtime }));
  const b = await makeEncryptedBackup({ files });
  const server = await startUiServer({ roots: [dirname(b.dir)], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo') });
  const page = await browser.newPage();
  try {
    await page.goto(server.url);
    const id = backupId(b.dir);
    const r = await page.evaluate(
      ([id, password]) => fetch(`/api/backups/${id}/unlock`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Irescue-Key': sessionStorage.getItem('irescue-page-key') ?? '' }, body: JSON.stringify({ password }) }).then((x) => x.json()),
      [id, FIXTURE_PASSWORD],
    );
    const sid = r.session.id as string;

    // From the export area, the open backup is offered.
    await page.goto(`${server.origin}#/export`);
    await page.getByRole('heading', { name: /Export messages/ }).waitFor();
    await page.getByRole('link', { name: /Test iPhone/ }).click();
    await page.getByLabel('Folder for the export').waitFor();
    await assertLabelled(page, 'export form');

    // Nothing chosen: a plain message, nothing runs.
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    assert.match(await page.getByRole('alert').innerText(), /Next step:.*Tick at least one/s);

    // Two categories, keyboard only.
    const some = join(scratchDir(), 'some');
    await page.locator('h1').focus();
    await tabTo(page, 'cat-messages');
    await page.keyboard.press('Space');
    await tabTo(page, 'cat-contacts');
    await page.keyboard.press('Space');
    await tabTo(page, 'export-out');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(some);
    await page.keyboard.press('Enter');
    const summary = page.getByTestId('summary');
    await summary.waitFor();
    const text = await summary.innerText();
    assert.match(text, /^Done/);
    assert.match(text, /Messages\s+exported\s+\d+/);
    assert.match(text, /Contacts\s+exported\s+\d+/);
    assert.doesNotMatch(text, /photos/i);
    const someReport = readFileSync(join(some, 'index.html'), 'utf8');
    assert.match(someReport, /messages/i);
    assert.ok(existsSync(join(some, 'contacts', 'contacts.vcf')));
    assert.ok(!existsSync(join(some, 'photos')), 'only the chosen categories are written');
    await assertLabelled(page, 'export summary');
    await shot(page, '20-export-two-done');

    // Everything, on a phone-sized window.
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${server.origin}#/export/${sid}`);
    await page.getByLabel('Everything').check();
    assert.equal(await page.getByLabel('Photos and videos').isChecked(), true);
    const all = join(scratchDir(), 'all');
    await page.getByLabel('Folder for the export').fill(all);
    await assertNoSidewaysScroll(page, 'export form');
    await shot(page, '21-export-form-phone');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByTestId('summary').waitFor();
    const allText = await page.getByTestId('summary').innerText();
    for (const c of ['Messages', 'Contacts', 'Calls', 'Photos', 'Notes']) assert.match(allText, new RegExp(`${c}\\s+exported`), `${c} in ${allText}`);
    const report = await page.getByTestId('report-path').innerText();
    assert.equal(report, join(all, 'index.html'));
    const view = await page.getByRole('link', { name: 'View the report' }).getAttribute('href');
    assert.match(view ?? '', /^\/out\/[A-Za-z0-9_-]{20,}\/index\.html$/);
    await assertNoSidewaysScroll(page, 'export summary');
    await shot(page, '22-export-all-done-phone');
    await page.setViewportSize({ width: 1100, height: 850 });

    // The report opens in the wizard itself (no desktop opener) and links the category pages.
    const rep = await browser.newPage();
    await rep.goto(new URL(view!, server.origin).href);
    assert.match(await rep.locator('body').innerText(), /Test iPhone/);
    const hrefs = await rep.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.includes('messages/index.html'), JSON.stringify(hrefs));
    await shot(rep, '23-export-report');
    await rep.getByRole('link', { name: /messages/i }).first().click();
    await rep.waitForURL(/\/messages\/index\.html$/);
    assert.ok(!rep.url().startsWith('file:'));
    await rep.close();
  } finally {
    await page.close();
    await server.close();
  }
});

test('devices: the live list updates when a device appears in Recovery mode; leaving Recovery; details', { skip }, async () => {
  for (const d of [...mux.devices]) mux.detach(d);
  const dev = mux.attach(new FakeDevice({ productType: 'iPhone15,2', productVersion: '18.1', deviceName: 'Anna’s iPhone' }));
  const usb = new FakeUsbTransport([]);
  const { devices, sources } = deviceServer(usb);
  const server = await startUiServer({ roots: [], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo'), devices, deviceSources: sources });
  const page = await open(server, 'devices');
  try {
    await page.getByRole('heading', { name: 'Connected devices' }).waitFor();
    await page.getByRole('heading', { name: /Anna’s iPhone: iPhone 14 Pro/ }).waitFor();
    await assertLabelled(page, 'devices');
    await page.getByRole('button', { name: 'Show details' }).click();
    await page.getByText('not trusted by the device').waitFor();
    assert.match(await page.locator('dl.info').innerText(), new RegExp(dev.udid));
    // iOS 18 obeys EnterRecovery only from a trusted computer: the page points at the buttons.
    await page.getByRole('button', { name: 'Enter Recovery mode' }).click();
    assert.match(await page.getByRole('alert').innerText(), /only from a computer it trusts[\s\S]*Next step: Use the buttons/);
    await shot(page, '24-devices-normal');

    // Plugged in while the page is open: no reload, the list changes.
    usb.present.push({ productId: 0x1281, serial: SERIALS.iphone13Recovery, address: 40 });
    const card = page.locator('li.device[data-mode="recovery"]');
    await card.waitFor();
    assert.match(await card.innerText(), /iPhone 13[\s\S]*Recovery mode[\s\S]*ECID 001A2B3C4D5E801E/);
    await shot(page, '25-devices-recovery-appeared');

    // The normal-mode device unplugged: gone from the list.
    mux.detach(dev);
    await page.getByRole('heading', { name: /Anna’s iPhone/ }).waitFor({ state: 'detached' });

    await card.getByRole('button', { name: 'Leave Recovery mode' }).click();
    await card.waitFor({ state: 'detached' });
    assert.deepEqual(usb.commands(), ['setenv auto-boot true\0', 'saveenv\0', 'reboot\0']);
    await page.getByText('No device connected').waitFor();
  } catch (e) {
    await shot(page, `failed-${Date.now()}`);
    console.error(await page.locator('main').innerText().catch(() => ''));
    throw e;
  } finally {
    await page.close();
    await server.close();
    devices.close();
  }
});

test('guide: iPhone 12 on iOS 17.5, forgot passcode: the 72-hour route first; Recovery steps; next step when the device appears', { skip }, async () => {
  const usb = new FakeUsbTransport([]);
  const { devices, sources } = deviceServer(usb, { deadUsbmux: true });
  const server = await startUiServer({ roots: [], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo'), devices, deviceSources: sources });
  const page = await open(server, '');
  try {
    await page.getByRole('link', { name: /My iPhone is locked/ }).click();
    await page.getByRole('heading', { name: /Locked out of your iPhone/ }).waitFor();
    await assertLabelled(page, 'guide questions');
    // Keyboard only: the model is typed by name into the searchable picker.
    await page.locator('h1').focus();
    await tabTo(page, 'sit-forgot-passcode');
    await page.keyboard.press('Space');
    assert.equal(await page.locator('#sit-forgot-passcode').isChecked(), true);
    await tabTo(page, 'guide-model');
    await page.keyboard.type('iPhone 12');
    await tabTo(page, 'guide-ios');
    await page.keyboard.type('17.5');
    await page.keyboard.press('Enter');
    const answer = page.getByTestId('guide-answer');
    await answer.waitFor();
    const routes = page.locator('li.route');
    assert.equal(await routes.first().getAttribute('data-route'), 'previous-passcode');
    assert.match(await routes.first().innerText(), /72 h[\s\S]*Keeps your data/);
    assert.match(await routes.nth(1).innerText(), /Erases the device/);
    assert.match(await routes.first().locator('a[href^="https://support.apple.com"]').first().getAttribute('href') ?? '', /^https:\/\/support\.apple\.com\//);
    assert.match(await page.locator('section[data-family="face-id-or-8"]').innerText(), /volume up[\s\S]*volume down[\s\S]*side button/i);
    // usbmuxd is not there: a plain note, and the page still waits for Recovery mode over USB.
    await page.getByTestId('device-note').first().waitFor();
    assert.match(await page.getByTestId('mode-next').innerText(), /next step shows here when the device appears in Recovery or DFU mode/);
    await assertLabelled(page, 'guide answer');
    await shot(page, '26-guide-iphone12-ios17');

    usb.present.push({ productId: 0x1281, serial: SERIALS.iphone13Recovery, address: 41 });
    await page.getByText(/Your device is in Recovery mode: iPhone 13/).waitFor();
    await page.getByRole('link', { name: 'restore it from this computer' }).waitFor();
    await shot(page, '27-guide-next-step');

    await page.setViewportSize({ width: 375, height: 740 });
    await assertNoSidewaysScroll(page, 'guide');
    await shot(page, '28-guide-phone');
  } catch (e) {
    await shot(page, `failed-${Date.now()}`);
    console.error(await page.locator('main').innerText().catch(() => ''));
    throw e;
  } finally {
    await page.close();
    await server.close();
    devices.close();
  }
});

test('restore: the plan first; no run without the exact typed "ERASE iPhone 13"; progress; decoded failure advice', { skip }, async () => {
  const env = { IRESCUE_IDEVICERESTORE: process.env.IRESCUE_IDEVICERESTORE, FAKE_IDEVICERESTORE_SCENARIO: process.env.FAKE_IDEVICERESTORE_SCENARIO };
  process.env.IRESCUE_IDEVICERESTORE = join(REPO, 'test', 'fakes', 'idevicerestore.mjs');
  process.env.FAKE_IDEVICERESTORE_SCENARIO = 'success';
  const usb = new FakeUsbTransport([{ productId: 0x1281, serial: SERIALS.iphone13Recovery }]);
  const { devices, sources } = deviceServer(usb, { deadUsbmux: true });
  const cacheDir = scratchDir();
  const server = await startUiServer({ roots: [], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo'), devices, deviceSources: sources, cacheDir });
  const page = await open(server, 'devices');
  try {
    await page.getByRole('link', { name: 'Restore this device…' }).click();
    await page.getByTestId('restore-device').filter({ hasText: 'iPhone 13' }).waitFor();
    await page.getByLabel(/Check that Apple’s servers answer/).uncheck();
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    const plan = page.getByTestId('restore-plan');
    await plan.waitFor();
    assert.match(await plan.innerText(), /Checks for the iPhone 13[\s\S]*libirecovery 1\.3\.1 knows the iPhone 13[\s\S]*Activation Lock/);
    const box = page.getByLabel('Type “ERASE iPhone 13” to confirm');
    const go = page.getByRole('button', { name: 'Erase and restore' });
    assert.equal(await go.isDisabled(), true);
    for (const wrong of ['erase iPhone 13', 'ERASE', 'ERASE iPhone 12', 'ERASE iPhone 13 Pro']) {
      await box.fill(wrong);
      assert.equal(await go.isDisabled(), true, wrong);
    }
    await box.press('Enter');
    await assertLabelled(page, 'restore plan');
    await shot(page, '29-restore-confirm');

    // The server does not take the page's word for it either.
    const planId = await page.evaluate(() => fetch('/api/restore/plan', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Irescue-Key': sessionStorage.getItem('irescue-page-key') ?? '' }, body: JSON.stringify({ ecid: '0x001A2B3C4D5E801E', model: 'iPhone14,5', networkCheck: false }) }).then((r) => r.json()).then((j) => j.plan.id));
    const refused = await page.evaluate((plan) => fetch('/api/restore/run', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Irescue-Key': sessionStorage.getItem('irescue-page-key') ?? '' }, body: JSON.stringify({ plan, confirmation: 'erase iPhone 13' }) }).then(async (r) => ({ status: r.status, body: await r.json() })), planId);
    assert.equal(refused.status, 400);
    assert.match(refused.body.error.message, /type exactly "ERASE iPhone 13"/);
    assert.equal(server.context.jobs.list().length, 0, 'nothing ran');

    await box.fill('ERASE iphone 13');
    await go.click();
    await page.getByTestId('summary').waitFor();
    assert.match(await page.getByTestId('summary').innerText(), /Restore finished[\s\S]*Full log: .*restore-.*\.log/);
    const job = server.context.jobs.list()[0];
    assert.equal(job.state, 'done');
    assert.equal(job.progress?.unit, 'percent', 'idevicerestore progress reached the job as percent');
    await shot(page, '30-restore-done');

    const again = async (scenario: string) => {
      process.env.FAKE_IDEVICERESTORE_SCENARIO = scenario;
      await page.goto(`${server.origin}#/devices/restore/recovery/001A2B3C4D5E801E`);
      await page.getByTestId('restore-device').filter({ hasText: 'iPhone 13' }).waitFor();
      await page.getByLabel(/Check that Apple’s servers answer/).uncheck();
      await page.getByRole('button', { name: 'Check', exact: true }).click();
      await page.getByLabel('Type “ERASE iPhone 13” to confirm').fill('ERASE iPhone 13');
      await page.getByRole('button', { name: 'Erase and restore' }).click();
    };

    // A restore still running: its step and percent live on the job page; Cancel stops it.
    await again('hang');
    await page.getByTestId('progress-text').filter({ hasText: /%/ }).waitFor();
    assert.match(await page.getByTestId('progress-text').innerText(), /^[A-Z][^:]+: [\d.]+ of 100 %/);
    await shot(page, '31-restore-progress');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Stopped.', { exact: true }).waitFor();

    // A failing restore: the decoded advice is the next step.
    await again('fail-4013');
    await page.getByText('Failed.', { exact: true }).waitFor();
    const alert = await page.getByRole('alert').innerText();
    assert.match(alert, /restore failed: The device stopped answering[\s\S]*Next step:.*cable/is);
    await shot(page, '32-restore-failed-advice');
  } catch (e) {
    await shot(page, `failed-${Date.now()}`);
    console.error(await page.locator('main').innerText().catch(() => ''));
    throw e;
  } finally {
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await page.close();
    await server.close();
    devices.close();
  }
});
