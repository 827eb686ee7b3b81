import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateMeter } from '../src/progress.js';
import { formatDuration } from '../src/format.js';

test('RateMeter computes rate and ETA over its window', () => {
  let t = 0;
  const m = new RateMeter(10_000, () => t);
  m.update(0, 100);
  t = 2000;
  const s = m.update(20, 100);
  assert.equal(s.rate, 10);
  assert.equal(s.etaSeconds, 8);
});

test('formatDuration is readable at every scale', () => {
  assert.equal(formatDuration(42), '42 s');
  assert.equal(formatDuration(65), '1 min 05 s');
  assert.equal(formatDuration(3900), '1 h 05 min');
  assert.equal(formatDuration(1e12), 'more than 100 years');
});
