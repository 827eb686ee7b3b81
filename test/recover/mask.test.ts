import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MaskSource, parseMask } from '../../src/recover/candidates/mask.js';
import { UsageError } from '../../src/errors.js';

async function all(src: MaskSource, from = 0): Promise<string[]> {
  const c = src.open(from);
  const out: string[] = [];
  for (;;) {
    const got = await c.read(7); // an odd batch size crosses every odometer carry
    if (!got.length) return out;
    out.push(...got);
  }
}

test('mask keyspace: size, order (last position fastest) and direct index agree', async () => {
  const m = new MaskSource('a?d?1', { custom: ['xy'] });
  assert.equal(m.size, 20);
  const list = await all(m);
  assert.deepEqual(list.slice(0, 4), ['a0x', 'a0y', 'a1x', 'a1y']);
  assert.equal(list.length, 20);
  assert.equal(new Set(list).size, 20);
  list.forEach((c, i) => assert.equal(m.at(i), c));
  assert.deepEqual(await all(m, 13), list.slice(13));
});

test('built-in charsets and literal ??', () => {
  assert.equal(parseMask('?l')[0].length, 26);
  assert.equal(parseMask('?u')[0], 'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
  assert.equal(parseMask('?s')[0].length, 33);
  assert.equal(parseMask('?a')[0].length, 95);
  assert.equal(parseMask('?h')[0], '0123456789abcdef');
  assert.deepEqual(parseMask('??x'), ['?', 'x']);
  // custom charsets may use built-ins; repeated characters count once
  assert.equal(parseMask('?1', ['?dab0'])[0], '0123456789ab');
});

test('--increment tries the prefixes, shortest first', async () => {
  const m = new MaskSource('?d?d', { increment: true });
  assert.equal(m.size, 110);
  const list = await all(m);
  assert.deepEqual(list.slice(0, 11), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '00']);
  assert.equal(m.at(10), '00');
});

test('has(): exact pattern membership', () => {
  const m = new MaskSource('?u?l?d');
  assert.equal(m.has('Ab3'), true);
  assert.equal(m.has('ab3'), false);
  assert.equal(m.has('Ab33'), false);
});

test('invalid masks are usage errors that say what is wrong', () => {
  const cases: Array<[string, RegExp, Array<string | undefined>?]> = [
    ['', /empty/],
    ['abc?', /lone '\?'/],
    ['?x', /unknown charset \?x/],
    ['?1', /no -1 charset/],
    ['?1', /-1 .*unknown charset \?z/, ['?z']],
    ['?a?a?a?a?a?a?a?a?a', /too many/],
  ];
  for (const [mask, re, custom] of cases) {
    assert.throws(() => new MaskSource(mask, { custom }), (e: unknown) => e instanceof UsageError && e.exitCode === 2 && re.test(e.message), mask);
  }
});
