import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { openBackup } from '../../src/backup/open.js';
import { NodeCryptoEngine } from '../../src/kdf/node-crypto.js';
import { CSV_FORMATS, CSV_HEADERS, type CsvFormat } from '../../src/keychain/csv.js';
import { exportKeychain, summarizeKeychain } from '../../src/keychain/export.js';
import { readKeychain, UnencryptedKeychainError } from '../../src/keychain/read.js';
import { scratchDir } from '../fixtures/backups.js';
import { runCli } from '../cli/run-cli.js';
import { KC_PASSWORD, makeKeychainBackup, SCREEN_TIME_CODE } from './fixture.js';

const engine = new NodeCryptoEngine();

test('readKeychain: every decryptable item of a generated iOS 12 backup, ThisDeviceOnly counted', async () => {
  const w = await makeKeychainBackup();
  const b = await openBackup(w.dir, { password: KC_PASSWORD, engine });
  try {
    const r = await readKeychain(b);
    assert.equal(r.damaged.length, 0, JSON.stringify(r.damaged));
    assert.equal(r.keybagUuid, 'ABCD');
    const by = (t: string) => r.items.find((i) => i.title === t)!;
    const safari = by('example.com');
    assert.equal(safari.kind, 'website');
    assert.equal(safari.url, 'https://example.com');
    assert.equal(safari.username, 'alice@example.com');
    assert.equal(safari.password, 'pa,ss"word 1');
    assert.equal(safari.accessibility, 'WhenUnlocked');
    assert.equal(safari.synced, true);
    assert.equal(safari.created?.toISOString(), '2020-11-24T14:06:34.692Z');
    const http = by('intranet.local');
    assert.equal(http.url, 'http://intranet.local:8080/login', 'integer ptcl is the 4CC big-endian; non-default port kept');
    assert.equal(http.username, 'zoë@例え.jp');
    assert.equal(http.password, 'tökén');
    assert.equal(by('formula.example').url, 'https://formula.example', 'the scheme default port is left out');
    const wifi = r.items.find((i) => i.kind === 'wifi')!;
    assert.equal(wifi.title, 'Home "Wi-Fi", 5G');
    assert.equal(wifi.password, 'wifi,pass"word');
    const app = by('com.example.app');
    assert.equal(app.kind, 'app');
    assert.equal(app.username, 'data-typed-account', 'an OCTET STRING account reads as text');
    const binary = by('Safari History Key');
    assert.equal(binary.password, undefined, 'a binary secret is not text');
    assert.equal(binary.secret.length, 32);
    assert.equal(by('ParentalControls').password, SCREEN_TIME_CODE);
    assert.equal(r.items.filter((i) => i.kind === 'certificate').length, 1);
    assert.equal(r.items.filter((i) => i.kind === 'key').length, 1);
    assert.deepEqual(r.locked.map((l) => [l.table, l.protectionClass, l.accessibility]).sort(), [
      ['genp', 10, 'AfterFirstUnlockThisDeviceOnly'],
      ['genp', 11, 'AlwaysThisDeviceOnly'],
      ['inet', 9, 'WhenUnlockedThisDeviceOnly'],
    ]);
    const s = summarizeKeychain(r);
    assert.deepEqual([s.websites, s.wifi, s.apps, s.certificates, s.keys, s.locked.total], [3, 1, 3, 1, 1, 3]);
    assert.deepEqual(s.locked.byKind, { 'website passwords': 1, 'app passwords and Wi-Fi networks': 2 });
  } finally {
    await b.close();
  }
});

test('each CSV format parses back with a CSV library: exact headers, values byte for byte, files 0600', async () => {
  const w = await makeKeychainBackup();
  const b = await openBackup(w.dir, { password: KC_PASSWORD, engine });
  const r = await readKeychain(b);
  await b.close();
  for (const format of CSV_FORMATS) {
    const out = scratchDir();
    const res = await exportKeychain(r, { out, format, backup: w.dir });
    const csvPath = join(out, `keychain-${format}.csv`);
    assert.equal(statSync(csvPath).mode & 0o777, 0o600);
    assert.equal(statSync(join(out, 'keychain.json')).mode & 0o777, 0o600);
    const text = readFileSync(csvPath, 'utf8');
    assert.ok(text.startsWith(CSV_HEADERS[format].join(',') + '\r\n'), `${format} header`);
    const rows = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    const col = COLS[format];
    const safari = rows.find((x) => x[col.url] === 'https://example.com')!;
    assert.equal(safari[col.user], 'alice@example.com');
    assert.equal(safari[col.pw], 'pa,ss"word 1');
    assert.equal(rows.find((x) => x[col.url] === 'https://formula.example')![col.pw], '=1+2', 'a formula-like password is kept exactly');
    assert.equal(res.formulaCells, 1);
    const hasWifi = rows.some((x) => x[col.pw] === 'wifi,pass"word');
    if (format === 'chrome' || format === 'firefox') {
      assert.equal(rows.length, 3, `${format}: website logins only`);
      assert.equal(hasWifi, false);
    } else {
      assert.equal(rows.length, 6, `${format}: websites, apps (text secrets) and Wi-Fi`);
      assert.ok(hasWifi);
      assert.ok(!rows.some((x) => x[col.title!]?.includes('Safari History Key')), 'binary secrets stay out of CSV');
    }
    if (format === 'bitwarden') assert.ok(rows.every((x) => x.type === 'login'));
    if (format === 'firefox') {
      assert.equal(safari.timeCreated, String(Date.parse('2020-11-24T14:06:34.692Z')));
      assert.equal(safari.formActionOrigin, 'https://example.com');
      assert.match(safari.guid!, /^\{[0-9a-f-]{36}\}$/);
    }
    const json = JSON.parse(readFileSync(join(out, 'keychain.json'), 'utf8'));
    assert.equal(json.items.length, 9);
    assert.equal(json.locked.length, 3);
    assert.ok(json.locked.every((l: { decryptable: boolean; reason: string }) => !l.decryptable && /this device only/.test(l.reason)));
    const bin = json.items.find((i: { title: string }) => i.title === 'Safari History Key');
    assert.equal(bin.password, undefined);
    assert.equal(Buffer.from(bin.secretBase64, 'base64').length, 32);
  }
});

const COLS: Record<CsvFormat, { url: string; user: string; pw: string; title?: string }> = {
  apple: { url: 'URL', user: 'Username', pw: 'Password', title: 'Title' },
  chrome: { url: 'url', user: 'username', pw: 'password', title: 'name' },
  bitwarden: { url: 'login_uri', user: 'login_username', pw: 'login_password', title: 'name' },
  '1password': { url: 'website', user: 'username', pw: 'password', title: 'title' },
  firefox: { url: 'url', user: 'username', pw: 'password' },
};

test('an unencrypted backup: the keychain is bound to the iPhone, exit 4 with the way to an encrypted backup', async () => {
  const w = await makeKeychainBackup({ encrypted: false });
  const b = await openBackup(w.dir);
  await assert.rejects(readKeychain(b), (e: unknown) => e instanceof UnencryptedKeychainError && e.exitCode === 4 && /irescue device encryption on/.test((e as Error).message));
  await b.close();
  const cli = await runCli(['keychain', w.dir, '--out', scratchDir(), '--yes']);
  assert.equal(cli.code, 4);
  assert.match(cli.stderr, /not encrypted/);
});

test('CLI: needs confirmation off a terminal, writes with --yes, never prints a secret without --show', async () => {
  const w = await makeKeychainBackup();
  const pwFile = join(scratchDir(), 'pw');
  writeFileSync(pwFile, KC_PASSWORD + '\n');
  const out = scratchDir();
  const refused = await runCli(['keychain', w.dir, '--out', out, '--password-file', pwFile]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--yes/);
  const ok = await runCli(['keychain', w.dir, '--out', out, '--format', 'bitwarden', '--password-file', pwFile, '--yes']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stderr, /3 website password\(s\), 1 Wi-Fi network\(s\), 3 app password\(s\)/);
  assert.match(ok.stderr, /3 more item\(s\).*cannot be read from any backup/);
  for (const secret of ['pa,ss"word', 'wifi,pass', 'app-secret', SCREEN_TIME_CODE]) {
    assert.ok(!ok.stdout.includes(secret) && !ok.stderr.includes(secret), `no ${secret} on the terminal`);
  }
  assert.ok(readFileSync(join(out, 'keychain-bitwarden.csv'), 'utf8').includes('app-secret'));
  const json = await runCli(['keychain', w.dir, '--show', '--json', '--yes'], { env: { IRESCUE_PASSWORD: KC_PASSWORD } });
  assert.equal(json.code, 0, json.stderr);
  const doc = JSON.parse(json.stdout);
  assert.equal(doc.summary.websites, 3);
  assert.ok(doc.items.some((i: { password?: string }) => i.password === 'wifi,pass"word'));
  const wrong = await runCli(['keychain', w.dir, '--show', '--yes'], { env: { IRESCUE_PASSWORD: 'nope' } });
  assert.equal(wrong.code, 3);
});

test('damaged rows cost one item each, never the keychain', async () => {
  const { decodeKeychain } = await import('../../src/keychain/read.js');
  const { buildBinaryPlist } = await import('../../src/plist/plist.js');
  const { buildKeychainPlist } = await import('../../src/keychain/writer.js');
  const { keychainItems } = await import('./fixture.js');
  const keys = new Map([6, 7, 8, 9, 10, 11].map((c) => [c, Buffer.alloc(32, c)]));
  const good = buildKeychainPlist(keychainItems().slice(0, 2), keys);
  const { parsePlistDict } = await import('../../src/plist/plist.js');
  const root = parsePlistDict(good) as { inet: Array<{ v_Data: Buffer; v_PersistentRef: Buffer }> };
  const tampered = Buffer.from(root.inet[0]!.v_Data);
  tampered[tampered.length - 1]! ^= 1;
  const hostile = buildBinaryPlist({
    inet: [
      { v_Data: tampered, v_PersistentRef: root.inet[0]!.v_PersistentRef },
      root.inet[1]!,
      { v_Data: Buffer.alloc(5), v_PersistentRef: Buffer.alloc(12) },
      'not a row',
      { v_PersistentRef: Buffer.alloc(12) },
    ],
  });
  const r = decodeKeychain(hostile, (c) => keys.get(c));
  assert.equal(r.items.length, 1);
  assert.deepEqual(r.damaged.map((d) => d.reason), ['damaged', 'truncated', 'damaged', 'damaged']);
});
