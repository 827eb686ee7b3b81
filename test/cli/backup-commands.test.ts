import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, existsSync, cpSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { runCli } from './run-cli.js';
import { makeEncryptedBackup, makeBackup, scratchDir, FIXTURE_PASSWORD } from '../fixtures/backups.js';
import { snapshotTree } from '../fixtures/snapshot.js';

function passwordFile(pw: string): string {
  const f = join(scratchDir(), 'pw.txt');
  writeFileSync(f, pw + '\r\n');
  return f;
}

test('CLI on an encrypted backup: verify, ls, extract, decrypt, hash, info; original untouched; no password leaks', async () => {
  const w = await makeEncryptedBackup();
  const before = snapshotTree(w.dir);
  const pw = passwordFile(FIXTURE_PASSWORD);
  const all: string[] = [];
  const run = async (args: string[], env?: NodeJS.ProcessEnv) => {
    const r = await runCli(args, { env });
    all.push(r.stdout, r.stderr);
    return r;
  };

  assert.equal((await run(['verify', w.dir, '--password-file', pw])).code, 0);
  const wrong = await run(['verify', w.dir], { IRESCUE_PASSWORD: 'not it' });
  assert.equal(wrong.code, 3);
  assert.match(wrong.stderr, /wrong password.*irescue recover/);
  assert.doesNotMatch(wrong.stderr, /at .*\.ts:\d+/, 'no stack trace without --debug');

  const nopw = await run(['verify', w.dir]);
  assert.equal(nopw.code, 2);
  assert.match(nopw.stderr, /--password-file/);

  const ls = await run(['ls', w.dir, '--json', '--domain', 'HomeDomain', '--password-file', pw]);
  assert.equal(ls.code, 0, ls.stderr);
  const list = JSON.parse(ls.stdout) as Array<{ relativePath: string; kind: string }>;
  assert.ok(list.some((f) => f.relativePath === 'Documents/sixteen.bin' && f.kind === 'file'));
  assert.ok(list.every((f) => !('encryptionKey' in f)));

  const out = join(scratchDir(), 'x');
  const ex = await run(['extract', w.dir, '--out', out, '--json'], { IRESCUE_PASSWORD: FIXTURE_PASSWORD });
  assert.equal(ex.code, 0, ex.stderr);
  const sum = JSON.parse(ex.stdout);
  assert.equal(sum.written, 9);
  assert.equal(sum.missing.length, 1);
  assert.deepEqual(readFileSync(join(out, 'HomeDomain/Documents/sixteen.bin')), Buffer.alloc(64, 0x41));

  const copy = join(scratchDir(), 'copy');
  const dec = await run(['decrypt', w.dir, '--out', copy, '--password-file', pw]);
  assert.equal(dec.code, 0, dec.stderr);
  assert.ok(existsSync(join(copy, 'Manifest.plist')));
  const decInfo = await run(['info', copy, '--json']);
  assert.equal(JSON.parse(decInfo.stdout).encrypted, false);
  assert.equal(JSON.parse(decInfo.stdout).fileCount, 12);

  const h = await run(['hash', w.dir]);
  assert.equal(h.code, 0);
  assert.match(h.stdout.trim(), /^\$itunes_backup\$\*10\*[0-9a-f]{80}\*100\*[0-9a-f]{40}\*1000\*[0-9a-f]{40}$/);

  const info = await run(['info', w.dir, '--json']);
  const i = JSON.parse(info.stdout);
  assert.equal(i.encrypted, true);
  assert.equal(i.state, 'complete');
  assert.equal(i.deviceName, 'Test iPhone');

  assert.deepEqual(snapshotTree(w.dir), before, 'the original backup is byte-for-byte and mtime unchanged');
  for (const text of all) assert.ok(!text.includes(FIXTURE_PASSWORD), 'the password never appears in output');
});

test('backups lists good and damaged backups under --root without aborting', async () => {
  const good = await makeBackup();
  const root = dirname(good.dir);
  const bad = join(root, 'ffffffffffffffffffffffffffffffffffffffff');
  cpSync(good.dir, bad, { recursive: true });
  writeFileSync(join(bad, 'Manifest.plist'), readFileSync(join(bad, 'Manifest.plist')).subarray(0, 40));
  // A private cache folder: `backups` also lists the demo backup, which this machine's user may
  // have made already (`npm start`, `irescue demo`), and the count below is of --root's only.
  const env = { IRESCUE_CACHE_DIR: scratchDir() };
  const r = await runCli(['backups', '--root', root, '--json'], { env });
  assert.equal(r.code, 0, r.stderr);
  const list = JSON.parse(r.stdout).backups as Array<{ path: string; problems: string[] }>;
  assert.equal(list.length, 2);
  const damaged = list.find((b) => b.path === bad)!;
  assert.ok(damaged.problems.some((p) => /Manifest\.plist.*damaged/.test(p)), JSON.stringify(damaged.problems));
  const human = await runCli(['backups', '--root', root], { env });
  assert.match(human.stdout, /Test iPhone/);
});

test('bad input: one-line errors naming the file, exit 4, no stack trace', async () => {
  const w = await makeEncryptedBackup();
  const cases: Array<[string, Buffer, string[]]> = [
    ['Manifest.plist', readFileSync(join(w.dir, 'Manifest.plist')).subarray(0, 100), ['verify', w.dir]],
    ['Manifest.db', Buffer.alloc(4096, 7), ['ls', w.dir]],
  ];
  for (const [name, bytes, args] of cases) {
    const copy = join(scratchDir(), 'b');
    cpSync(w.dir, copy, { recursive: true });
    writeFileSync(join(copy, name), bytes);
    const r = await runCli([args[0], copy], { env: { IRESCUE_PASSWORD: FIXTURE_PASSWORD } });
    assert.equal(r.code, 4, `${name}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('irescue:'));
    assert.equal(lines.length, 1, r.stderr);
    assert.ok(lines[0].includes(join(copy, name)), lines[0]);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
  const notBackup = await runCli(['info', scratchDir()]);
  assert.equal(notBackup.code, 2);
  assert.match(notBackup.stderr, /not a backup folder/);
  const usage = await runCli(['extract', w.dir]);
  assert.equal(usage.code, 2);
});
