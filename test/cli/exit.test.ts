import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { exitFor, isDebug } from '../../src/cli/exit.js';

test('exitFor: 0 when everything was done, the failure kind\'s status when part was not', () => {
  assert.equal(exitFor(false), 0);
  assert.equal(exitFor(true), 4, 'damaged input by default (a file that failed)');
  assert.equal(exitFor(true, 'NOT_FOUND'), 5);
  assert.equal(exitFor(false, 'NOT_FOUND'), 0);
});

test('isDebug: one detector for the parsed option, argv and IRESCUE_DEBUG', async () => {
  const saved = process.env.IRESCUE_DEBUG;
  delete process.env.IRESCUE_DEBUG;
  try {
    let seen: boolean[] = [];
    const program = new Command('irescue').option('--debug').exitOverride();
    program.command('x').action((_o, cmd: Command) => void seen.push(isDebug(cmd)));
    await program.parseAsync(['node', 'irescue', '--debug', 'x']);
    await program.parseAsync(['node', 'irescue', 'x']);
    assert.deepEqual(seen, [true, false]);
    process.env.IRESCUE_DEBUG = '1';
    seen = [];
    await program.parseAsync(['node', 'irescue', 'x']);
    assert.deepEqual(seen, [true]);
    assert.equal(isDebug(), true);
  } finally {
    if (saved === undefined) delete process.env.IRESCUE_DEBUG;
    else process.env.IRESCUE_DEBUG = saved;
  }
});
