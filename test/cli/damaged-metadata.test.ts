/**
 * Issue 15 item 3: a damaged or missing root plist is reported as unknown plus what is wrong,
 * never guessed; `info` exits 4 and still prints what it could read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { listBackups } from '../../src/backup/info.js';
import { buildBinaryPlist, readPlistDict } from '../../src/plist/plist.js';
import { makeEncryptedBackup, scratchDir } from '../fixtures/backups.js';
import { runCli } from './run-cli.js';

type Damage = 'missing' | 'damaged';
const FILES = ['Info.plist', 'Status.plist', 'Manifest.plist'] as const;

async function damagedCopy(src: string, file: string, how: Damage): Promise<string> {
  const dir = join(scratchDir(), 'b');
  cpSync(src, dir, { recursive: true });
  if (how === 'missing') rmSync(join(dir, file));
  else writeFileSync(join(dir, file), readFileSync(join(dir, file)).subarray(0, 40));
  return dir;
}

test('info: each root plist missing or damaged gives exit 4, unknown where it would have told, and the rest', async () => {
  const w = await makeEncryptedBackup();
  for (const file of FILES) {
    for (const how of ['missing', 'damaged'] as const) {
      const dir = await damagedCopy(w.dir, file, how);
      const r = await runCli(['info', dir, '--json']);
      assert.equal(r.code, 4, `${file} ${how}: ${r.stderr}`);
      const s = JSON.parse(r.stdout);
      assert.deepEqual(s.unreadable, [file]);
      assert.ok(s.problems.some((p: string) => p.includes(join(dir, file))), JSON.stringify(s.problems));
      if (file === 'Manifest.plist') {
        assert.equal(s.encryption, 'unknown', `${file} ${how}`);
        assert.equal(s.encrypted, undefined, 'no guess in JSON either');
      } else {
        assert.equal(s.encryption, 'yes');
        assert.equal(s.encrypted, true);
      }
      if (file === 'Status.plist') assert.equal(s.state, 'unknown');
      // what could be read is still there: the device name comes from Manifest.plist's Lockdown when Info.plist is gone
      if (file !== 'Manifest.plist') assert.equal(s.deviceName, 'Test iPhone');
    }
  }
  const human = await runCli(['info', await damagedCopy(w.dir, 'Manifest.plist', 'damaged')]);
  assert.equal(human.code, 4);
  assert.match(human.stdout, /Encrypted\s+unknown \(Manifest\.plist is missing or damaged/);
  assert.doesNotMatch(human.stdout, /Encrypted\s+no/);
  assert.match(human.stdout, /^! .*Manifest\.plist: damaged/m);
  assert.match(human.stdout, /Device name\s+Test iPhone/, 'Info.plist still read');
});

test('a Manifest.plist without IsEncrypted is unknown, not "not encrypted"', async () => {
  const w = await makeEncryptedBackup();
  const dir = join(scratchDir(), 'b');
  cpSync(w.dir, dir, { recursive: true });
  const m = await readPlistDict(join(dir, 'Manifest.plist'));
  delete m.IsEncrypted;
  writeFileSync(join(dir, 'Manifest.plist'), buildBinaryPlist(m));
  const [s] = await listBackups([dir], { includeDefaults: false });
  assert.equal(s.encryption, 'unknown');
  assert.equal(s.encrypted, undefined);
  assert.ok(s.problems.some((p) => /no IsEncrypted/.test(p)), JSON.stringify(s.problems));
  const human = await runCli(['info', dir]);
  assert.match(human.stdout, /Encrypted\s+unknown \(Manifest\.plist has no IsEncrypted\)/);
  assert.equal(human.code, 0, 'the file itself reads fine');
});

test('backups and the wizard list (listBackups) say unknown for a damaged Manifest.plist, known for the good one', async () => {
  const w = await makeEncryptedBackup();
  const root = dirname(w.dir);
  const bad = join(root, 'ffffffffffffffffffffffffffffffffffffffff');
  cpSync(w.dir, bad, { recursive: true });
  writeFileSync(join(bad, 'Manifest.plist'), Buffer.from('bplist00 garbage that is not a plist at all, long enough...'));
  const list = await listBackups([root], { includeDefaults: false });
  const good = list.find((b) => b.path === w.dir)!;
  const damaged = list.find((b) => b.path === bad)!;
  assert.equal(good.encryption, 'yes');
  assert.equal(damaged.encryption, 'unknown');
  assert.equal(damaged.encrypted, undefined);
  const r = await runCli(['backups', '--root', root]);
  assert.equal(r.code, 0);
  const block = r.stdout.split('\n').findIndex((l) => l.includes(bad));
  assert.match(r.stdout.split('\n')[block - 1], /encryption unknown/);
  assert.match(r.stdout, /, encrypted\n/);
});
