import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KernelBench } from '../../bench/kernel-ceiling.js';

test('the C-only kernel harness builds with the system compiler and measures a path', { timeout: 180_000 }, async () => {
  const { bench, reason } = await KernelBench.build();
  assert.ok(bench, `kernel-bench did not build: ${reason}`);
  try {
    const r = await bench.measure('portable', 2, 0.2, 1000);
    assert.equal(r.path, 'portable');
    assert.equal(r.threads, 2);
    assert.equal(r.iterations, 1000);
    assert.ok(r.guesses > 0 && r.guessesPerSecond > 0, JSON.stringify(r));
    await assert.rejects(bench.measure('no-such-path', 1, 0.1, 10), /unknown or not runnable/);
  } finally {
    bench.dispose();
  }
});

test('a compiler that does not exist is a reason, not a crash', async () => {
  const { bench, reason } = await KernelBench.build('/nonexistent/cc');
  assert.equal(bench, undefined);
  assert.match(reason!, /did not build/);
});
