import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, readlinkSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { openBackup } from '../../src/backup/open.js';
import { extractFiles } from '../../src/backup/extract.js';
import { writeDecryptedCopy } from '../../src/backup/decrypted-copy.js';
import { safeOutputParts } from '../../src/backup/safe-path.js';
import { makeEncryptedBackup, makeBackup, scratchDir, FIXTURE_PASSWORD } from '../fixtures/backups.js';
import { snapshotTree, listTree } from '../fixtures/snapshot.js';

test('extract writes every file under OUT/<domain>/<path> with its mtime and reports the rest', async () => {
  const w = await makeEncryptedBackup();
  const before = snapshotTree(w.dir);
  const out = join(scratchDir(), 'out');
  const b = await openBackup(w.dir, { password: FIXTURE_PASSWORD });
  const events: number[] = [];
  const s = await extractFiles(b, { out, onProgress: (e) => events.push(e.done) });
  await b.close();
  for (const [key, content] of w.plaintext) {
    if (key.includes('missing.txt') || key.includes('escape') || key.includes('absolute')) continue;
    assert.deepEqual(readFileSync(join(out, key)), content, key);
  }
  assert.equal(statSync(join(out, 'HomeDomain/Library/Notes/deep/er/note.txt')).mtime.toISOString(), '2024-03-04T05:06:07.000Z');
  assert.deepEqual(s.missing.map((m) => m.relativePath), ['Documents/missing.txt']);
  assert.deepEqual(s.refused.map((m) => m.relativePath).sort(), ['../../escape.txt', '/etc/absolute.txt']);
  assert.equal(s.symlinks, 1);
  assert.equal(readlinkSync(join(out, 'HomeDomain/Library/link-inside')), 'Notes/deep/er/note.txt');
  assert.deepEqual(s.skipped.map((m) => m.relativePath), ['Library/link-outside']);
  assert.equal(s.failed.length, 0);
  assert.ok(events.length >= 2 && events.at(-1) === s.written + s.missing.length);
  // nothing escaped OUT, no temp files left, the original is untouched
  assert.ok(!existsSync(join(dirname(out), 'escape.txt')));
  assert.ok(!listTree(out).some((p) => p.includes('.irescue-')));
  assert.deepEqual(snapshotTree(w.dir), before);
});

test('extract filters by domain and path glob', async () => {
  const w = await makeBackup();
  const b = await openBackup(w.dir);
  const out = join(scratchDir(), 'o');
  const s = await extractFiles(b, { out, domain: 'HomeDomain', path: 'Documents/*.bin' });
  await b.close();
  assert.equal(s.written, 2);
  assert.deepEqual(listTree(out), ['HomeDomain', 'HomeDomain/Documents', 'HomeDomain/Documents/empty.bin', 'HomeDomain/Documents/sixteen.bin']);
});

test('a damaged file is reported as failed and the others still extract', async () => {
  const { writeFileSync } = await import('node:fs');
  const w = await makeEncryptedBackup();
  const b = await openBackup(w.dir, { password: FIXTURE_PASSWORD });
  const rec = b.findFile('HomeDomain', 'Documents/sixteen.bin')!;
  writeFileSync((await b.dataPath(rec))!, Buffer.alloc(33)); // not a whole number of AES blocks
  const s = await extractFiles(b, { out: join(scratchDir(), 'o') });
  await b.close();
  assert.equal(s.failed.length, 1);
  assert.match(s.failed[0].reason, /does not decrypt.*truncated or damaged/);
  assert.equal(s.written, 8);
});

test('safe paths: escapes refused, Windows-illegal names sanitized in portable mode', () => {
  assert.equal(safeOutputParts('HomeDomain', 'a/../../b').ok, false);
  assert.equal(safeOutputParts('HomeDomain', '/abs').ok, false);
  assert.equal(safeOutputParts('HomeDomain', 'C:/x').ok, false);
  assert.equal(safeOutputParts('HomeDomain', 'a\0b').ok, false);
  assert.equal(safeOutputParts('..', 'a').ok, false);
  assert.deepEqual(safeOutputParts('HomeDomain', 'a//./b'), { ok: true, parts: ['HomeDomain', 'a', 'b'] });
  const r = safeOutputParts('HomeDomain', 'dir/CON.txt/what?.txt/trailing. ', { portable: true });
  assert.ok(r.ok && r.parts.join('/') === 'HomeDomain/dir/_CON.txt/what_.txt/trailing__' && r.sanitized);
  const long = safeOutputParts('D', 'x'.repeat(300));
  assert.ok(long.ok && Buffer.byteLength(long.parts[1]) <= 255);
});

for (const format of ['db', 'mbdb'] as const) {
  test(`decrypted copy (${format}) opens without a password and holds the same plaintext`, async () => {
    const w = await makeEncryptedBackup(format === 'mbdb' ? { format, encryption: { password: FIXTURE_PASSWORD, legacy: true, iterations: 100 } } : {});
    const before = snapshotTree(w.dir);
    const b = await openBackup(w.dir, { password: FIXTURE_PASSWORD });
    const out = join(scratchDir(), 'plain');
    const s = await writeDecryptedCopy(b, { out });
    await b.close();
    assert.equal(s.missing.length, 1);
    const copy = await openBackup(out);
    assert.equal(copy.info.encrypted, false);
    for (const [key, content] of w.plaintext) {
      if (key.includes('missing.txt')) continue;
      const [domain, ...rest] = key.split('/');
      const rec = copy.findFile(domain, rest.join('/'))!;
      assert.deepEqual(await copy.readFile(rec), content, key);
      assert.equal(rec.size, content.length, `${key}: Size is corrected to the plaintext length`);
      assert.equal((rec as { encryptionKey?: Buffer }).encryptionKey, undefined);
    }
    await copy.close();
    assert.deepEqual(snapshotTree(w.dir), before);
    assert.ok(!listTree(out).some((p) => p.includes('.irescue-')));
  });
}

test('decrypted copy (db): a record whose manifest Size is wrong gets the plaintext length, the others keep theirs', async () => {
  const { writeBackup } = await import('../../src/backup/writer.js');
  const files = Array.from({ length: 70 }, (_, i) => ({ domain: 'HomeDomain', relativePath: `Documents/f${i}.txt`, content: Buffer.alloc(10 + i, i) }));
  files.push({ domain: 'HomeDomain', relativePath: 'Documents/wrong-size.txt', content: Buffer.from('forty-one bytes of text, not the listed 3'), sizeOverride: 3 } as (typeof files)[number]);
  const w = await writeBackup({ dir: join(scratchDir(), 'b'), seed: 'size', files, encryption: { password: FIXTURE_PASSWORD, dpic: 10, iterations: 10 } });
  const b = await openBackup(w.dir, { password: FIXTURE_PASSWORD });
  const out = join(scratchDir(), 'plain');
  const s = await writeDecryptedCopy(b, { out });
  await b.close();
  assert.equal(s.complete, true);
  const copy = await openBackup(out);
  try {
    assert.equal(copy.findFile('HomeDomain', 'Documents/wrong-size.txt')!.size, 41);
    for (let i = 0; i < 70; i++) assert.equal(copy.findFile('HomeDomain', `Documents/f${i}.txt`)!.size, 10 + i);
    assert.deepEqual(await copy.readFile(copy.findFile('HomeDomain', 'Documents/wrong-size.txt')!), Buffer.from('forty-one bytes of text, not the listed 3'));
  } finally {
    await copy.close();
  }
});
