import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pbkdf2Sync } from 'node:crypto';
import { CancelledError, UsageError } from '../../src/errors.js';
import { NativeEngine, nativePaths } from '../../src/kdf/native.js';
import { loadNativeAddon } from '../../src/kdf/native-addon.js';
import type { Pbkdf2Hash } from '../../src/kdf/engine.js';
import { randomBytesFrom, randomPassword, rng } from './helpers.js';

const load = loadNativeAddon();
const skip = load.addon ? false : `native addon not built: ${'reason' in load ? load.reason : ''}`;
const runnable = nativePaths().filter((p) => p.available);

test('the addon lists the portable paths and at least one runnable path', { skip }, () => {
  const names = nativePaths().map((p) => p.name);
  assert.ok(names.includes('portable'));
  assert.ok(names.includes('portable-x4'));
  assert.ok(runnable.length >= 3);
  for (const p of nativePaths()) assert.ok(p.lanes >= 1 && p.description.length > 0, p.name);
});

for (const path of runnable) {
  test(`${path.name}: equals node crypto on random inputs, full and partial batches`, { skip }, async () => {
    const next = rng(0x5eed + path.lanes * 7919 + path.name.length);
    const engine = new NativeEngine({ path: path.name, threads: 2 });
    let checked = 0;
    // batch sizes: one, a partial group, exactly one group per thread, several groups plus a remainder
    const sizes = [1, Math.max(1, path.lanes - 1), path.lanes * 2, path.lanes * 3 + 1];
    for (const [round, size] of sizes.entries()) {
      for (const hash of ['sha256', 'sha1'] as Pbkdf2Hash[]) {
        const passwords = Array.from({ length: size }, () => randomPassword(next));
        const salt = randomBytesFrom(next, [0, 1, 13, 20, 63, 64, 65, 127][Math.floor(next() * 8)]);
        const iterations = 1 + Math.floor(next() * 300);
        const keyLength = [32, 32, 20, 1, 33, 64, 80][(round * 2 + (hash === 'sha1' ? 1 : 0)) % 7];
        const keys = await engine.pbkdf2(passwords, { hash, salt, iterations, keyLength });
        assert.equal(keys.length, size);
        passwords.forEach((pw, i) => {
          const want = pbkdf2Sync(pw, salt, iterations, keyLength, hash);
          assert.ok(keys[i].equals(want), `${path.name} ${hash} password #${i} (${pw.length} bytes), salt ${salt.length} bytes, ${iterations} iterations, ${keyLength}-byte key`);
          checked++;
        });
      }
    }
    assert.equal(checked, 2 * sizes.reduce((a, b) => a + b, 0));
  });
}

test('every runnable path matches node crypto at high iteration counts (up to 100,000)', { skip }, async () => {
  const salt = Buffer.from('0123456789abcdef0123', 'hex');
  const pw = Buffer.from('correct horse ✓', 'utf8');
  for (const [iterations, hash] of [[100_000, 'sha256'], [65_537, 'sha256'], [10_000, 'sha1']] as Array<[number, Pbkdf2Hash]>) {
    const want = pbkdf2Sync(pw, salt, iterations, 32, hash);
    for (const path of runnable) {
      if (path.name === 'portable' && iterations > 70_000) continue; // the slow scalar path: covered below at 65,537
      const [key] = await new NativeEngine({ path: path.name, threads: 1 }).pbkdf2([pw], { hash, salt, iterations, keyLength: 32 });
      assert.ok(key.equals(want), `${path.name} ${hash} ${iterations}`);
    }
  }
});

test('a batch of thousands of short derivations on the widest path equals node crypto', { skip }, async () => {
  const widest = [...runnable].sort((a, b) => b.lanes - a.lanes)[0];
  const next = rng(42);
  const passwords = Array.from({ length: 2000 }, () => randomPassword(next));
  const salt = randomBytesFrom(next, 19);
  const keys = await new NativeEngine({ path: widest.name }).pbkdf2(passwords, { hash: 'sha256', salt, iterations: 3, keyLength: 32 });
  passwords.forEach((pw, i) => assert.ok(keys[i].equals(pbkdf2Sync(pw, salt, 3, 32, 'sha256')), `#${i}`));
});

test('an empty batch resolves to no keys', { skip }, async () => {
  const keys = await new NativeEngine({ path: 'portable' }).pbkdf2([], { hash: 'sha256', salt: Buffer.alloc(4), iterations: 10, keyLength: 32 });
  assert.deepEqual(keys, []);
});

test('cancelling a running batch rejects with CancelledError long before it could finish', { skip }, async () => {
  const best = [...runnable].sort((a, b) => b.lanes - a.lanes)[0];
  const engine = new NativeEngine({ path: best.name, threads: 2 });
  const ac = new AbortController();
  const passwords = Array.from({ length: engine.batchSize }, (_, i) => Buffer.from(`pw${i}`));
  // 2^31 iterations: minutes of work per lane group, so only cancellation can end it this soon
  const run = engine.pbkdf2(passwords, { hash: 'sha256', salt: Buffer.alloc(16), iterations: 2 ** 31, keyLength: 32 }, ac.signal);
  setTimeout(() => ac.abort(), 50);
  const guard = new Promise((_, reject) => setTimeout(() => reject(new Error('not cancelled within 10 s')), 10_000).unref());
  await assert.rejects(Promise.race([run, guard]), CancelledError);
});

test('an already-aborted signal rejects without starting', { skip }, async () => {
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(new NativeEngine({ path: 'portable' }).pbkdf2([Buffer.from('x')], { hash: 'sha256', salt: Buffer.alloc(4), iterations: 1, keyLength: 32 }, ac.signal), CancelledError);
});

test('an unknown path is a UsageError naming it', { skip }, () => {
  assert.throws(() => new NativeEngine({ path: 'quantum-x64' }), (e: unknown) => e instanceof UsageError && /quantum-x64/.test(e.message));
});

test('batchSize is lanes times threads', { skip }, () => {
  const p = runnable[runnable.length - 1];
  const e = new NativeEngine({ path: p.name, threads: 3 });
  assert.equal(e.batchSize, p.lanes * 3);
  assert.equal(e.name, `native-${p.name}`);
});

test('a partial group goes to the path that finishes it first, and stays correct', { skip }, async () => {
  const wide = [...runnable].sort((a, b) => b.lanes - a.lanes)[0];
  const narrow = runnable.find((p) => p.lanes === 1 && p.name !== 'portable') ?? runnable.find((p) => p.name === 'portable')!;
  // the wide path is twice as fast per core, but one password would waste all but one of its lanes
  const rates = [
    { path: wide.name, lanes: wide.lanes, perCore: 2 },
    { path: narrow.name, lanes: 1, perCore: 1 },
  ];
  const engine = new NativeEngine({ path: wide.name, threads: 1, rates });
  assert.equal(engine.pathFor(1), wide.lanes >= 3 ? narrow.name : wide.name);
  assert.equal(engine.pathFor(wide.lanes), wide.name);
  const salt = Buffer.from('0011', 'hex');
  const [k] = await engine.pbkdf2([Buffer.from('one')], { hash: 'sha256', salt, iterations: 500, keyLength: 32 });
  assert.ok(k.equals(pbkdf2Sync('one', salt, 500, 32, 'sha256')));
});

test('uneven splits over threads keep every key in its password\'s place', { skip }, async () => {
  const next = rng(7);
  for (const p of runnable.filter((x) => x.lanes > 1)) {
    const engine = new NativeEngine({ path: p.name, threads: 3 });
    const passwords = Array.from({ length: p.lanes * 4 + 1 }, () => randomPassword(next));
    const salt = randomBytesFrom(next, 9);
    const keys = await engine.pbkdf2(passwords, { hash: 'sha256', salt, iterations: 2, keyLength: 16 });
    passwords.forEach((pw, i) => assert.ok(keys[i].equals(pbkdf2Sync(pw, salt, 2, 16, 'sha256')), `${p.name} #${i}`));
  }
});
