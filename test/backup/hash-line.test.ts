import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHashLine, formatHashLine } from '../../src/backup/hash-line.js';
import { targetFromHashLine } from '../../src/backup/password-target.js';
import { deriveBackupKeys } from '../../src/kdf/backup-key.js';
import { NodeCryptoEngine } from '../../src/kdf/node-crypto.js';
import { CorruptInputError } from '../../src/errors.js';

import { VECTOR_9, VECTOR_10_FAST, VECTOR_10_REAL } from './vectors.js';

const engine = new NodeCryptoEngine();

async function opens(line: string, password: string): Promise<boolean> {
  const target = targetFromHashLine(parseHashLine(line));
  const [key] = await deriveBackupKeys(engine, [Buffer.from(password)], target.kdf);
  return target.check(key);
}

test('hash lines round-trip through parse and format', () => {
  for (const line of [VECTOR_9, VECTOR_10_FAST, VECTOR_10_REAL]) assert.equal(formatHashLine(parseHashLine(line)), line);
  const h = parseHashLine(VECTOR_10_REAL);
  assert.equal(h.version, 10);
  assert.equal(h.dpic, 10_000_000);
  assert.equal(h.iterations, 10_000);
});

test('known answers: "hashcat" opens the version 9 and fast version 10 vectors, other words do not', async () => {
  assert.equal(await opens(VECTOR_9, 'hashcat'), true);
  assert.equal(await opens(VECTOR_9, 'hashcaT'), false);
  assert.equal(await opens(VECTOR_10_FAST, 'hashcat'), true);
  assert.equal(await opens(VECTOR_10_FAST, 'hashcat '), false);
});

test('known answer at the real 10,000,000 rounds', async () => {
  assert.equal(await opens(VECTOR_10_REAL, 'hashcat'), true);
});

test('malformed hash lines are CorruptInputError naming the problem', () => {
  const bad: Array<[string, RegExp]> = [
    ['', /expected it to start/],
    ['$itunes_backup$*11*' + 'a'.repeat(80) + '*10000*' + 'b'.repeat(40) + '**', /version must be 9 or 10/],
    ['$itunes_backup$*9*' + 'a'.repeat(79) + '*10000*' + 'b'.repeat(40) + '**', /WPKY must be 80 hex/],
    ['$itunes_backup$*9*' + 'a'.repeat(80) + '*x*' + 'b'.repeat(40) + '**', /ITER must be a decimal/],
    ['$itunes_backup$*9*' + 'a'.repeat(80) + '*10000*' + 'g'.repeat(40) + '**', /SALT must be 40 hex/],
    ['$itunes_backup$*10*' + 'a'.repeat(80) + '*10000*' + 'b'.repeat(40) + '**', /DPIC must be a decimal/],
    ['$itunes_backup$*10*' + 'a'.repeat(80) + '*10000*' + 'b'.repeat(40) + '*0*' + 'c'.repeat(40), /DPIC 0 is out of range/],
    ['$itunes_backup$*9*' + 'a'.repeat(80) + '*10000', /7 '\*'-separated fields/],
  ];
  for (const [line, re] of bad) {
    assert.throws(() => parseHashLine(line, 'hash.txt'), (e: unknown) => e instanceof CorruptInputError && re.test(e.message) && e.message.startsWith('hash.txt: '), line);
  }
});
