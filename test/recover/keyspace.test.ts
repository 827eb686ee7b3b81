import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyspace } from '../../src/recover/keyspace.js';
import { buildSources } from '../../src/recover/sources.js';
import { FingerprintSet } from '../../src/recover/fingerprint-set.js';
import { UsageError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'irescue-ks-'));
const wl1 = join(dir, 'one.txt');
const wl2 = join(dir, 'two.txt');
writeFileSync(wl1, ['1234', 'dragon', 'rex1', 'dragon', 'zz', '77'].join('\n') + '\n');
writeFileSync(wl2, ['zz', 'new', '42'].join('\n') + '\n');

async function stream(ks: Keyspace, from = 0, batch = 3) {
  const cands: string[] = [];
  const positions: number[] = [];
  let expect = from;
  for await (const b of ks.batches(from, batch)) {
    assert.equal(b.start, expect, 'batches are contiguous');
    assert.ok(b.end > b.start);
    expect = b.end;
    cands.push(...b.candidates);
    positions.push(...b.positions);
  }
  assert.equal(expect, ks.total, 'every position settled');
  return { cands, positions };
}

const spec = { tries: ['rex1', 'Rex'], hints: ['rex'], wordlists: [wl1, wl2], masks: ['?d?d'], pins: [4 as const] };

test('each source is deduplicated against every earlier one, in the fixed order', async () => {
  const ks = new Keyspace(await buildSources(spec));
  assert.deepEqual(ks.sources.map((s) => s.kind), ['try', 'hint', 'wordlist', 'wordlist', 'mask', 'pins']);
  const { cands } = await stream(ks);
  assert.equal(new Set(cands).size, cands.length, 'no candidate twice');
  assert.deepEqual(cands.slice(0, 2), ['rex1', 'Rex']);
  // wordlist words already tried as hints or earlier lines are skipped; '77' and '42' wait for nothing
  const wordStart = cands.indexOf('dragon');
  assert.deepEqual(cands.slice(wordStart, wordStart + 2), ['dragon', 'zz']);
  assert.ok(!cands.slice(wordStart).includes('rex1'));
  // the mask skips '77' and '42' (wordlists), the PINs skip '1234' (wordlist)
  const maskPart = cands.filter((c) => /^[0-9]{2}$/.test(c));
  assert.equal(maskPart.length, 100);
  assert.equal(cands.filter((c) => /^[0-9]{4}$/.test(c)).length, 10_000);
});

test('resuming at any position gives exactly the rest of the full stream (with and without --rules)', async () => {
  for (const rules of [false, true]) {
    const ks = new Keyspace(await buildSources({ ...spec, rules }));
    const full = await stream(ks);
    const cuts = [0, 1, 2, 5, ks.offsets[2] + 1, ks.offsets[2] + 61, ks.offsets[3], ks.offsets[3] + 2, ks.offsets[4] + 50, ks.total - 3, ks.total];
    for (const from of cuts) {
      const part = await stream(ks, from, 4);
      const expected = full.positions.map((p, i) => [p, full.cands[i]] as const).filter(([p]) => p >= from);
      assert.deepEqual(part.positions, expected.map(([p]) => p), `rules ${rules}, from ${from}`);
      assert.deepEqual(part.cands, expected.map(([, c]) => c), `rules ${rules}, from ${from}`);
    }
  }
});

test('--rules: a repeated word adds nothing; a word also in an earlier source keeps its mutations', async () => {
  const wl = join(dir, 'rules.txt');
  writeFileSync(wl, 'pass\nzebra\npass\n');
  const ks = new Keyspace(await buildSources({ tries: ['zebra'], wordlists: [wl], rules: true }));
  const { cands, positions } = await stream(ks);
  assert.equal(new Set(cands).size, cands.length);
  assert.ok(cands.includes('pass1') && cands.includes('Zebra1') && cands.includes('zebra!'));
  assert.equal(cands.filter((c) => c === 'zebra').length, 1, 'the word itself only from --try');
  const perWord = ks.sources[1].size / 3;
  const thirdLine = ks.offsets[1] + 2 * perWord;
  assert.deepEqual(positions.filter((p) => p >= thirdLine), [], 'the repeated third line adds nothing');
});

test('an empty source list and empty hints are usage errors', async () => {
  await assert.rejects(buildSources({}), (e: unknown) => e instanceof UsageError && /no candidate source/.test(e.message));
  await assert.rejects(buildSources({ hints: ['  '] }), (e: unknown) => e instanceof UsageError && /empty/.test(e.message));
  await assert.rejects(buildSources({ rules: true, common: true }), UsageError);
});

test('fingerprint set: adds, finds, grows, and stops remembering at its cap', () => {
  const s = new FingerprintSet(16, 64);
  for (let i = 0; i < 40; i++) assert.equal(s.add(`w${i}`), true);
  assert.equal(s.add('w3'), false);
  assert.equal(s.has('w39'), true);
  assert.equal(s.has('w40'), false);
  for (let i = 40; i < 100; i++) s.add(`w${i}`);
  assert.equal(s.full, true);
  assert.equal(s.has('w0'), true);
});

test('fingerprint set: adding parts is adding the joined string', () => {
  const s = new FingerprintSet();
  const parts: Array<[string, string, string]> = [['', 'rex', '1'], ['!', 'Fluffy', ''], ['1', 'pärís', '2015'], ['', '', 'x']];
  for (const [a, b, c] of parts) assert.equal(s.addJoined(a, b, c), true);
  for (const [a, b, c] of parts) {
    assert.equal(s.has(a + b + c), true);
    assert.equal(s.add(a + b + c), false);
  }
  assert.equal(s.addJoined('re', 'x1', ''), false, 'the same text split elsewhere');
  assert.equal(s.has('rex'), false);
});

test('a hint list answers has() for every candidate it holds and nothing else', async () => {
  const [hint] = await buildSources({ hints: ['rex', 'fluffy'] });
  const all = await hint.open(0).read(hint.size);
  assert.equal(all.length, hint.size);
  assert.equal(new Set(all).size, all.length);
  for (const c of all) assert.equal(hint.has!(c), true, c);
  for (const c of ['rex2', 'Fluffy', 'rexfluffy']) assert.ok(all.includes(c), c);
  assert.equal(hint.has!('rexx_fluffyy'), false);
});
