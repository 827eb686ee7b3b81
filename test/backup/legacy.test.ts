/**
 * Issue 15 item 4: iOS 5 to 9 backups (Manifest.mbdb, flat layout, pre-10.2 keybag) are treated
 * as what they are.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { findBackup } from '../../src/backup/folder.js';
import { fileIdOf, parseMbdb } from '../../src/backup/mbdb.js';
import { openBackup } from '../../src/backup/open.js';
import { extractFiles } from '../../src/backup/extract.js';
import { makeBackup, makeEncryptedBackup, scratchDir, FIXTURE_PASSWORD } from '../fixtures/backups.js';
import { runCli } from '../cli/run-cli.js';

const legacyEncrypted = () => makeEncryptedBackup({ format: 'mbdb', encryption: { password: FIXTURE_PASSWORD, legacy: true, iterations: 10_000 } });

test('the writer puts the SHA-1 of the stored bytes in each mbdb record, as devices do', async () => {
  for (const w of [await makeBackup({ format: 'mbdb' }), await legacyEncrypted()]) {
    const records = parseMbdb(readFileSync(join(w.dir, 'Manifest.mbdb')));
    let checked = 0;
    for (const r of records) {
      if (!r.dataHash || r.relativePath.endsWith('missing.txt')) continue;
      const stored = readFileSync(join(w.dir, fileIdOf(r.domain, r.relativePath)));
      assert.deepEqual(r.dataHash, createHash('sha1').update(stored).digest(), `${r.domain}/${r.relativePath}`);
      checked++;
    }
    assert.ok(checked >= 8, `checked ${checked}`);
  }
});

test('a pre-10.2 keybag: verify says it is only the SHA-1 stage and uses no measured engine', async () => {
  const w = await legacyEncrypted();
  const folder = await findBackup(w.dir);
  assert.equal(folder.legacyKdf, true);
  assert.match((await folder.kdfEngine()).detail, /before iOS 10\.2/);
  assert.equal(await folder.verify(FIXTURE_PASSWORD), true);
  const r = await runCli(['verify', w.dir, '--debug'], { env: { IRESCUE_PASSWORD: FIXTURE_PASSWORD, IRESCUE_KDF_PATH: undefined } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /only the 10,000-round SHA-1 stage, a few milliseconds/);
  assert.match(r.stderr, /key derivation engine: node-crypto .*before iOS 10\.2/);
  const modern = await runCli(['verify', (await makeEncryptedBackup()).dir], { env: { IRESCUE_PASSWORD: FIXTURE_PASSWORD } });
  assert.equal(modern.code, 0, modern.stderr);
  assert.doesNotMatch(modern.stderr, /SHA-1 stage/);
});

test('messages name files in the flat layout the backup uses', async () => {
  const w = await legacyEncrypted();
  const b = await openBackup(w.dir, { password: FIXTURE_PASSWORD });
  try {
    const rec = b.findFile('HomeDomain', 'Documents/missing.txt')!;
    const flat = join(w.dir, rec.fileID);
    assert.equal(b.storedPath(rec), flat);
    await assert.rejects(b.readFile(rec), (e: unknown) => (e as Error).message.includes(flat) && !(e as Error).message.includes(join(w.dir, rec.fileID.slice(0, 2), rec.fileID)));
  } finally {
    await b.close();
  }
  const modern = await openBackup((await makeBackup()).dir);
  const rec = modern.findFile('HomeDomain', 'Documents/missing.txt')!;
  assert.equal(modern.storedPath(rec), join(modern.dir, rec.fileID.slice(0, 2), rec.fileID));
  await modern.close();
});

test('a Size that does not match the data is advisory: the data is extracted whole and a note is given', async () => {
  const w = await legacyEncrypted();
  const b = await openBackup(w.dir, { password: FIXTURE_PASSWORD });
  const out = join(scratchDir(), 'out');
  try {
    const s = await extractFiles(b, { out, domain: 'HomeDomain', path: 'Documents/wrong-size.txt' });
    assert.equal(s.written, 1);
    assert.equal(s.failed.length, 0);
    assert.deepEqual(readFileSync(join(out, 'HomeDomain/Documents/wrong-size.txt')), w.plaintext.get('HomeDomain/Documents/wrong-size.txt'));
    assert.deepEqual(b.sizeMismatches, [{ domain: 'HomeDomain', relativePath: 'Documents/wrong-size.txt', listed: 3, actual: 41 }]);
  } finally {
    await b.close();
  }
  const r = await runCli(['extract', w.dir, '--out', join(scratchDir(), 'o2'), '--path', 'Documents/*'], { env: { IRESCUE_PASSWORD: FIXTURE_PASSWORD } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Note: 1 file\(s\) had a size in the manifest that does not match their data \(first: HomeDomain\/Documents\/wrong-size\.txt, listed 3 bytes, has 41\)/);
});
