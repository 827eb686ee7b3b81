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

/** Batches of `per` units landing every `every` s, sampled each second: [rate, eta] after each sample. */
function feed(m: RateMeter, clock: { t: number }, state: { done: number }, seconds: number, every: number, per: number, total: number): Array<{ rate: number; eta?: number }> {
  const out = [];
  for (let s = 1; s <= seconds; s++) {
    clock.t += 1000;
    if (s % every === 0) state.done += per;
    const st = m.update(state.done, total);
    out.push({ rate: st.rate, eta: st.etaSeconds });
  }
  return out;
}

test('RateMeter: a batch that lands late moves the ETA a little, a real change of speed moves it all the way', () => {
  const clock = { t: 0 };
  const state = { done: 0 };
  const m = new RateMeter(20_000, () => clock.t);
  m.update(0, 100_000);
  const steady = feed(m, clock, state, 120, 4, 40, 100_000); // 10 a second, in batches of 40
  const before = steady.at(-1)!;
  assert.ok(Math.abs(before.rate - 10) < 1, `steady rate ${before.rate}`);
  // one batch takes 12 s instead of 4: the ETA may not jump by more than 15% from one second to the next
  const slow = feed(m, clock, state, 12, 12, 40, 100_000);
  let prev = before.eta!;
  for (const s of slow) {
    assert.ok(Math.abs(s.eta! - prev) / prev < 0.15, `ETA jumped from ${prev} to ${s.eta}`);
    prev = s.eta!;
  }
  // the engine really halves its speed: after two minutes the rate says so
  const halved = feed(m, clock, state, 120, 8, 40, 100_000);
  assert.ok(Math.abs(halved.at(-1)!.rate - 5) < 0.75, `rate after the change ${halved.at(-1)!.rate}`);
});

test("RateMeter: the first count is a baseline (a resumed position), and a worker's own measured speed wins", () => {
  let t = 0;
  const m = new RateMeter(20_000, () => t);
  m.update(5000, 10_000); // resumed at 5,000: not work done in no time
  t = 500;
  assert.equal(m.update(5010, 10_000).rate, 0, 'half a second of samples is too little to tell');
  t = 2000;
  const r = m.update(5020, 10_000).rate;
  assert.ok(Math.abs(r - 10) < 0.2, `rate ${r}: 20 in 2 s`);
  const measured = new RateMeter(20_000, () => t);
  measured.update(0, 1000, 321);
  t += 1000;
  const s = measured.update(10, 1000, 321);
  assert.equal(s.rate, 321);
  assert.ok(Math.abs(s.etaSeconds! - 990 / 321) < 1e-9);
});
