import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openBackup } from '../../src/backup/open.js';
import { NodeCryptoEngine } from '../../src/kdf/node-crypto.js';
import { findPasscodes, planPasscodeSearch, SCREEN_TIME_APPLE_ROUTE } from '../../src/keychain/screentime.js';
import { scratchDir } from '../fixtures/backups.js';
import { runCli } from '../cli/run-cli.js';
import { KC_PASSWORD, makeKeychainBackup, SCREEN_TIME_CODE } from './fixture.js';

const engine = new NodeCryptoEngine();
const env = { IRESCUE_PASSWORD: KC_PASSWORD };

test('the plan comes from the metadata alone, by iOS version and encryption', () => {
  const info = (productVersion: string | undefined, encrypted: boolean) => ({ path: '/b', productVersion, encrypted, state: 'complete' as const, manifestFormat: 'db' as const });
  assert.equal(planPasscodeSearch(info('17.5', true)).method, 'not-in-backup');
  assert.equal(planPasscodeSearch(info('13.0', true)).needsPassword, false);
  assert.equal(planPasscodeSearch(info('12.5.7', true)).method, 'keychain-and-restrictions');
  const unenc12 = planPasscodeSearch(info('12.1', false));
  assert.equal(unenc12.method, 'restrictions');
  assert.equal(unenc12.needsEncryptedBackup, true);
  assert.equal(planPasscodeSearch(info('11.4', false)).needsPassword, false);
  assert.equal(planPasscodeSearch(info('9.3.5', true)).needsPassword, true);
  assert.equal(planPasscodeSearch(info('6.1', false)).method, 'too-old');
  assert.equal(planPasscodeSearch(info(undefined, false)).method, 'unknown-version');
});

test('iOS 12 encrypted: the Screen Time passcode from the keychain; an older Restrictions code is reported too', async () => {
  const w = await makeKeychainBackup({ restrictions: '1234' });
  const b = await openBackup(w.dir, { password: KC_PASSWORD, engine });
  const r = await findPasscodes(b, planPasscodeSearch(b.info), { engine });
  await b.close();
  assert.equal(r.found, true);
  assert.equal(r.passcode, SCREEN_TIME_CODE);
  assert.equal(r.source, 'keychain');
  assert.deepEqual(r.candidates.map((c) => [c.source, c.passcode]), [['keychain', SCREEN_TIME_CODE], ['restrictions', '1234']]);
  assert.match(r.message, /more than one code/);
  const cli = await runCli(['screentime', w.dir, '--json'], { env });
  assert.equal(cli.code, 0, cli.stderr);
  const doc = JSON.parse(cli.stdout);
  assert.equal(doc.passcode, SCREEN_TIME_CODE);
  assert.equal(doc.iosVersion, '12.5.7');
  assert.ok(doc.backupDate);
  assert.equal((await runCli(['screentime', w.dir], { env: { IRESCUE_PASSWORD: 'wrong' } })).code, 3);
});

test('iOS 11 unencrypted: the Restrictions passcode, no password asked', async () => {
  const w = await makeKeychainBackup({ productVersion: '11.4.1', encrypted: false, keychain: false, restrictions: '7391' });
  const cli = await runCli(['screentime', w.dir]);
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /Restrictions passcode: 7391/);
});

test('iOS 13+: says it is not in backups, gives Apple\'s route and points to an older backup of the same device (exit 5)', async () => {
  const udid = '00008030001a2b3c4d5e6f70';
  const parent = scratchDir();
  const w = await makeKeychainBackup({ productVersion: '17.5', udid, dir: join(parent, udid) });
  const old = await makeKeychainBackup({ productVersion: '12.4', udid, dir: join(parent, `${udid}-20200101-000000`) });
  await makeKeychainBackup({ productVersion: '12.4', udid: 'ffff000000000000000000000000000000000000', dir: join(parent, 'other') });
  const cli = await runCli(['screentime', w.dir]);
  assert.equal(cli.code, 5);
  assert.match(cli.stderr, /iOS 13 and later keep the Screen Time passcode out of backups/);
  assert.match(cli.stderr, /Forgot Passcode\?/);
  assert.ok(cli.stderr.includes(old.dir), 'the kept iOS 12 copy of the same device is named');
  assert.ok(!cli.stderr.includes(join(parent, 'other')), 'other devices are not');
  assert.doesNotMatch(cli.stderr, /[Pp]assword for the backup/, 'no password is asked');
  const json = JSON.parse((await runCli(['screentime', w.dir, '--json'])).stdout);
  assert.equal(json.found, false);
  assert.deepEqual(json.appleRoute, [...SCREEN_TIME_APPLE_ROUTE]);
  assert.equal(json.olderBackups[0].path, old.dir);
});

test('iOS 12 unencrypted without a Restrictions file: not here, with how to make an encrypted backup', async () => {
  const w = await makeKeychainBackup({ encrypted: false });
  const cli = await runCli(['screentime', w.dir]);
  assert.equal(cli.code, 5);
  assert.match(cli.stderr, /encrypted backup.*Reset All Settings clears it/s);
});
