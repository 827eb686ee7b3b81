import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeCryptoEngine } from '../../src/kdf/node-crypto.js';
import { selfTest, trustEngine } from '../../src/kdf/self-test.js';
import { selectEngine } from '../../src/kdf/select.js';
import { loadNativeAddon } from '../../src/kdf/native-addon.js';
import { DESIGN_LINES, SELF_TEST_VECTOR } from '../../src/kdf/vectors.js';
import type { KdfEngine, Pbkdf2Params } from '../../src/kdf/engine.js';

const hasAddon = loadNativeAddon().addon !== undefined;
const reference = new NodeCryptoEngine();

/** An engine that computes right except where `spoil` changes its answer. */
function engine(name: string, batchSize: number, spoil: (keys: Buffer[], params: Pbkdf2Params) => Buffer[]): KdfEngine {
  return {
    name,
    detail: `${name} (test)`,
    batchSize,
    async pbkdf2(passwords: readonly Uint8Array[], params: Pbkdf2Params) {
      return spoil(await reference.pbkdf2(passwords, params), params);
    },
  };
}

test('the self-test vector is DESIGN.md\'s small-DPIC line', () => {
  const f = DESIGN_LINES[1].split('*');
  assert.equal(SELF_TEST_VECTOR.wpky.toString('hex'), f[2]);
  assert.equal(SELF_TEST_VECTOR.iterations, Number(f[3]));
  assert.equal(SELF_TEST_VECTOR.salt.toString('hex'), f[4]);
  assert.equal(SELF_TEST_VECTOR.dpic, Number(f[5]));
  assert.equal(SELF_TEST_VECTOR.dpsl.toString('hex'), f[6]);
});

test('a correct engine passes and is trusted as it is', async () => {
  const good = engine('test-good', 8, (k) => k);
  assert.equal(await selfTest(good), undefined);
  assert.equal(await trustEngine(good), good);
});

test('a wrong engine falls back to node crypto and says why', async () => {
  // one bad SIMD lane in the SHA-256 step only
  const badLane = engine('test-bad-lane', 16, (keys, p) => (p.hash === 'sha256' ? keys.map((k, i) => (i === 15 ? Buffer.from(k.map((b) => b ^ 1)) : k)) : keys));
  const r = await trustEngine(badLane);
  assert.equal(r.name, 'node-crypto');
  assert.match(r.detail, /test-bad-lane failed the known-answer self-test \(lane 16 of 16 derived a wrong key\)/);

  const throws = engine('test-throws', 4, () => {
    throw new Error('illegal instruction');
  });
  assert.match((await trustEngine(throws)).detail, /failed to run \(illegal instruction\)/);

  const short = engine('test-short', 4, (k, p) => (p.hash === 'sha1' ? k.slice(1) : k));
  assert.match((await selfTest(short)) ?? '', /3 keys for 4 passwords/);

  // a lane that returns the right key for a wrong password is as broken as a wrong key
  const copies = engine('test-copies', 4, (k) => k.map(() => k[0]));
  assert.match((await selfTest(copies)) ?? '', /lane 2 of 4/);
});

test('the verdict is cached per engine for the process', async () => {
  let calls = 0;
  const counted = engine('test-counted', 2, (k) => {
    calls++;
    return k;
  });
  await trustEngine(counted);
  const after = calls;
  await trustEngine(counted);
  assert.equal(calls, after, 'no second self-test');
  assert.ok(after > 0);
});

test('selectEngine self-tests the chosen and a forced native path (both pass on a working build)', { skip: hasAddon ? false : 'native addon not built' }, async () => {
  const forced = await selectEngine({ path: 'portable', threads: 1 });
  assert.equal(forced.name, 'native-portable');
  assert.equal(await selfTest(forced), undefined);
  const chosen = await selectEngine();
  assert.doesNotMatch(chosen.detail, /self-test/);
});
