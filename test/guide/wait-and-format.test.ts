import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitForMode } from '../../src/guide/wait-for-mode.js';
import { routesFor } from '../../src/guide/routes.js';
import { formatAnswer } from '../../src/cli/commands/guide.js';
import { CancelledError, NoDeviceError } from '../../src/errors.js';
import type { DeviceMode } from '../../src/guide/restore/target.js';

test('waitForMode returns as soon as the device appears in the wanted mode', async () => {
  const seen: Array<DeviceMode | undefined> = [];
  const modes: Array<DeviceMode | undefined> = [undefined, 'normal', 'recovery'];
  const mode = await waitForMode(async () => modes.shift(), ['recovery', 'dfu'], { intervalMs: 0, onSeen: (m) => seen.push(m) });
  assert.equal(mode, 'recovery');
  assert.deepEqual(seen, [undefined, 'normal', 'recovery']);
});

test('waitForMode gives up at the deadline or when aborted', async () => {
  await assert.rejects(waitForMode(async () => 'normal', ['dfu'], { intervalMs: 0, timeoutMs: 0 }), NoDeviceError);
  const c = new AbortController();
  const p = waitForMode(async () => undefined, ['dfu'], { intervalMs: 60_000, signal: c.signal });
  setImmediate(() => c.abort());
  await assert.rejects(p, CancelledError);
});

test('the text answer lists routes in order, what they keep, their sources, and the Recovery buttons', () => {
  const text = formatAnswer(routesFor({ situation: 'forgot-passcode', model: 'iPhone SE (1st generation)', ios: '15.8' }));
  const first = text.indexOf('1. Erase iPhone on the Security Lockout screen');
  const second = text.indexOf('2. Recovery Mode restore with a computer');
  assert.ok(first > 0 && second > first, text);
  assert.match(text, /erases the device/);
  assert.match(text, /Source: https:\/\/support\.apple\.com\/118430/);
  assert.match(text, /Home button/);
  assert.match(text, /attempt 5: 1 min/);
  assert.doesNotMatch(text, /\x1b\[/, 'no colour codes unless asked');
});
