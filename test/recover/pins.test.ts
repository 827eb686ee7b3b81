import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PinSource, patternHead, pinOrder, topPins } from '../../src/recover/candidates/pins.js';

test('every PIN exactly once, most common first', () => {
  for (const len of [4, 6] as const) {
    const order = pinOrder(len);
    assert.equal(order.length, 10 ** len);
    const seen = new Uint8Array(10 ** len);
    for (const v of order) seen[v]++;
    assert.ok(seen.every((n) => n === 1), `${len}-digit order is a permutation`);
  }
  assert.deepEqual(topPins(4, 4), ['1234', '1111', '0000', '1212']);
  assert.deepEqual(topPins(6, 3), ['123456', '111111', '000000']);
  const p = new PinSource(4);
  // patterns before the numeric tail: a year and a date come before an arbitrary PIN
  const pos = (pin: string) => Array.from({ length: p.size }, (_, i) => i).find((i) => p.at(i) === pin)!;
  assert.ok(pos('1987') < pos('4827'));
  assert.ok(pos('0412') < pos('4827'));
  assert.equal(p.has('0042'), true);
  assert.equal(p.has('042'), false);
  assert.equal(p.has('12a4'), false);
});

test('topPins is the head of the full order, with or without the order built', () => {
  for (const len of [4, 6] as const) {
    const head = patternHead(len, 300);
    assert.deepEqual(head, Array.from(pinOrder(len).subarray(0, 300), (v) => String(v).padStart(len, '0')));
    assert.deepEqual(topPins(len, 300), head);
  }
});
