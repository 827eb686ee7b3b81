import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { WordlistSource } from '../../src/recover/candidates/wordlist.js';
import { RULES } from '../../src/recover/candidates/hints.js';
import { CorruptInputError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'irescue-wl-'));

async function all(src: WordlistSource, from = 0): Promise<string[]> {
  const c = src.open(from);
  const out: string[] = [];
  for (;;) {
    const got = await c.read(3);
    if (!got.length) break;
    out.push(...got);
  }
  c.close();
  return out;
}

test('plain, CRLF, no final newline, blank lines keep their positions', async () => {
  const f = join(dir, 'a.txt');
  writeFileSync(f, 'alpha\r\nbeta\n\ngamma\ndelta');
  const w = await WordlistSource.open(f);
  assert.equal(w.size, 5);
  assert.deepEqual(await all(w), ['alpha', 'beta', '', 'gamma', 'delta']);
  assert.deepEqual(await all(w, 3), ['gamma', 'delta']);
});

test('gzip is recognised by its magic bytes, and UTF-8 words survive chunk boundaries', async () => {
  const words = Array.from({ length: 50_000 }, (_, i) => `wörd${i}`);
  const f = join(dir, 'b.lst');
  writeFileSync(f, gzipSync(words.join('\n') + '\n'));
  const w = await WordlistSource.open(f);
  assert.equal(w.size, words.length);
  assert.deepEqual(await all(w, 49_990), words.slice(49_990));
});

test('--rules: word x rule positions, rule 0 is the word, repeats within a word are blanks', async () => {
  const f = join(dir, 'c.txt');
  writeFileSync(f, 'pass\nWORD\n');
  const w = await WordlistSource.open(f, true);
  assert.equal(w.size, 2 * RULES.length);
  const out = await all(w);
  assert.equal(out[0], 'pass');
  assert.equal(out[RULES.length], 'WORD');
  assert.ok(out.includes('pass1') && out.includes('Word!'));
  const first = out.slice(0, RULES.length).filter(Boolean);
  assert.equal(new Set(first).size, first.length);
  assert.ok(w.isPlainWord(RULES.length) && !w.isPlainWord(1));
});

test('bad wordlists: missing, folder, binary, empty, unreadable, damaged gzip -> CorruptInputError (exit 4)', async () => {
  const bin = join(dir, 'bin.dat');
  writeFileSync(bin, Buffer.from([0x70, 0x61, 0x00, 0x01, 0x0a]));
  const empty = join(dir, 'empty.txt');
  writeFileSync(empty, '\n\r\n\n');
  const badgz = join(dir, 'bad.gz');
  writeFileSync(badgz, Buffer.concat([gzipSync('abc\n').subarray(0, 12), Buffer.from('garbage')]));
  const sub = join(dir, 'folder');
  mkdirSync(sub);
  const cases: Array<[string, RegExp]> = [
    [join(dir, 'missing.txt'), /does not exist|no such|not found/i],
    [sub, /folder/],
    [bin, /binary.*NUL byte at offset 2/],
    [empty, /no words/],
    [badgz, /gzip|cannot read/],
  ];
  if (process.getuid?.() !== 0) {
    const locked = join(dir, 'locked.txt');
    writeFileSync(locked, 'a\n');
    chmodSync(locked, 0);
    cases.push([locked, /permission|denied|cannot read/i]);
  }
  for (const [f, re] of cases) {
    await assert.rejects(WordlistSource.open(f), (e: unknown) => e instanceof CorruptInputError && e.exitCode === 4 && re.test(e.message) && e.message.includes(f), f);
  }
});
