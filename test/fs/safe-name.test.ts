import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitName, NAME_MAX_BYTES, sanitizeName, windowsSafeName } from '../../src/fs/safe-name.js';
import { sanitizeName as exportName } from '../../src/export/output.js';
import { safeOutputParts } from '../../src/backup/safe-path.js';

test('windowsSafeName changes only what Windows refuses', () => {
  assert.equal(windowsSafeName('.DS_Store'), '.DS_Store', 'leading dots stay: the device named it so');
  assert.equal(windowsSafeName('a:b?c'), 'a_b_c');
  assert.equal(windowsSafeName('trailing. '), 'trailing__');
  assert.equal(windowsSafeName('CON'), '_CON');
  assert.equal(windowsSafeName('com¹.txt'), '_com¹.txt', 'superscript digits are reserved too');
  assert.equal(windowsSafeName('console'), 'console');
  assert.equal(windowsSafeName('tab\tx'), 'tab_x');
});

test('sanitizeName tidies free text with the same rules', () => {
  assert.equal(sanitizeName('../../etc/passwd'), '_.._etc_passwd');
  assert.equal(sanitizeName('  .hidden name.  '), 'hidden name');
  assert.equal(sanitizeName('...', 'fallback'), 'fallback');
  assert.equal(sanitizeName(undefined), 'unnamed');
  assert.equal(sanitizeName('LPT³'), '_LPT³');
  assert.equal(sanitizeName('e\u0301'), '\u00e9', 'NFC');
});

test('one length rule: extension kept, cut at a character, a hash keeps long names apart', () => {
  const a = fitName('é'.repeat(200) + '-a.jpeg', 120);
  const b = fitName('é'.repeat(200) + '-b.jpeg', 120);
  for (const n of [a, b]) {
    assert.ok(Buffer.byteLength(n) <= 120, n);
    assert.ok(n.endsWith('.jpeg'));
    assert.ok(!n.includes('\uFFFD'));
    assert.match(n, /~[0-9a-f]{8}\.jpeg$/);
  }
  assert.notEqual(a, b, 'two long names that share a beginning stay two files');
  assert.equal(fitName('short.txt'), 'short.txt');
  assert.ok(Buffer.byteLength(fitName('x'.repeat(1000))) <= NAME_MAX_BYTES);
  assert.equal(fitName('x'.repeat(1000)), fitName('x'.repeat(1000)), 'deterministic');
});

test('export and extraction share the rule set', () => {
  assert.equal(exportName('COM²'), '_COM²', 'exports now also refuse the superscript device names');
  assert.ok(Buffer.byteLength(exportName('x'.repeat(500))) <= 120, 'exports keep their 120-byte budget');
  const r = safeOutputParts('D', `dir/${'y'.repeat(400)}.txt`);
  assert.ok(r.ok && Buffer.byteLength(r.parts[2]) <= NAME_MAX_BYTES && r.parts[2].endsWith('.txt'));
});
