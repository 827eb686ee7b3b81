import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeJson } from '../../src/cli/json.js';
import { interruptible, runCommand } from '../../src/cli/common.js';

test('one JSON encoder: binary as base64, bigints exact, dates as ISO, whichever command prints', () => {
  const doc = { buf: Buffer.from('hi'), u8: new Uint8Array([1, 2, 3]), small: 5n, big: 2n ** 64n + 1n, neg: -(2n ** 60n), when: new Date('2024-01-02T03:04:05Z'), nested: [{ b: Buffer.alloc(0) }] };
  const back = JSON.parse(encodeJson(doc));
  assert.deepEqual(back, { buf: 'aGk=', u8: 'AQID', small: 5, big: '18446744073709551617', neg: '-1152921504606846976', when: '2024-01-02T03:04:05.000Z', nested: [{ b: '' }] });
  assert.ok(!encodeJson({ a: 1 }, 0).includes('\n'), 'one line for events');
  assert.ok(encodeJson({ a: 1 }).includes('\n  "a"'), 'indented for documents');
});

test('interrupts: the first Ctrl-C aborts cleanly, a second exits 130, dispose stops listening', () => {
  const before = process.listenerCount('SIGINT');
  let told = 0;
  const i = interruptible(() => told++);
  assert.equal(process.listenerCount('SIGINT'), before + 1);
  const exit = process.exit;
  let code: number | undefined;
  process.exit = ((c?: number) => {
    code = c;
    throw new Error('exit called');
  }) as typeof process.exit;
  try {
    process.emit('SIGINT');
    assert.equal(i.signal.aborted, true);
    assert.equal(told, 1);
    assert.equal(code, undefined, 'the first one does not exit');
    assert.throws(() => process.emit('SIGINT'), /exit called/);
    assert.equal(code, 130);
  } finally {
    process.exit = exit;
    i.dispose();
  }
  assert.equal(process.listenerCount('SIGINT'), before);
});

test('runCommand hands the body a signal, the printer and a progress renderer, and cleans up on failure', async () => {
  const before = process.listenerCount('SIGINT');
  await assert.rejects(
    runCommand({ json: true }, async (ctx) => {
      assert.equal(ctx.signal.aborted, false);
      assert.equal(ctx.json, true);
      assert.equal(typeof ctx.print, 'function');
      assert.equal(typeof ctx.progress.done, 'function');
      assert.equal(process.listenerCount('SIGINT'), before + 1);
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.equal(process.listenerCount('SIGINT'), before);
});
