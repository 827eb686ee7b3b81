import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hintCandidates, RULES } from '../../src/recover/candidates/hints.js';
import { typos } from '../../src/recover/candidates/typos.js';

test('hint candidates are ordered by likelihood across generators', () => {
  const c = hintCandidates(['Rex', 'fluffy', '2015']);
  const at = (w: string) => {
    const i = c.indexOf(w);
    assert.ok(i >= 0, `${w} is generated`);
    return i;
  };
  assert.equal(new Set(c).size, c.length, 'no duplicates');
  assert.equal(c[0], 'Rex'); // as typed comes first
  // a one-step mutation of one hint beats any combination of two or three
  assert.ok(at('rex1') < at('Rexfluffy'));
  assert.ok(at('Rex!') < at('rex_fluffy'));
  // combinations with separators, affixes, leetspeak, reversal, years
  assert.ok(at('Rexfluffy2015') < at('rex_fluffy_2015'));
  for (const w of ['Rex1987', 'fluffy!', 'xeR', 'r3x', 'Fluffy2015!', 'REX', '123fluffy', 'fluffyrex', 'f1uffy']) at(w);
  assert.ok(at('fluffy') < at('f1uffy'), 'leetspeak after the plain word');
});

test('typos of the user\'s own guesses: adjacent keys, doubled, dropped, swapped letters', () => {
  const t = typos('cat');
  for (const w of ['xat', 'ccat', 'at', 'act', 'car']) assert.ok(t.includes(w), w);
  const c = hintCandidates(['rex'], ['Winter2019']);
  assert.ok(c.includes('Wintr2019'));
  assert.ok(c.includes('Winter20119'));
});

test('a hard cap keeps the likeliest candidates', () => {
  const c = hintCandidates(['a', 'b', 'c', 'd'], [], 500);
  assert.equal(c.length, 500);
  assert.deepEqual(c, hintCandidates(['a', 'b', 'c', 'd']).slice(0, 500));
});

test('wordlist rules start with the word itself, then cheap mutations', () => {
  assert.equal(RULES[0]('Word'), 'Word');
  const out = RULES.map((r) => r('pass'));
  assert.ok(out.indexOf('pass1') < out.indexOf('PASS'));
  assert.ok(out.includes('Pass!'));
});
