import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as E from '../src/errors.js';

test('each error class carries the exit code DESIGN.md fixes', () => {
  const cases: Array<[E.IrescueError, number, string]> = [
    [new E.UsageError('x'), 2, 'USAGE'],
    [new E.NoPasswordSourceError(), 2, 'USAGE'],
    [new E.WrongPasswordError('x'), 3, 'WRONG_PASSWORD'],
    [new E.CorruptInputError('f', 'bad'), 4, 'CORRUPT_INPUT'],
    [new E.PasswordNotFoundError('x'), 5, 'NOT_FOUND'],
    [new E.NoDeviceError(), 6, 'DEVICE'],
    [new E.DeviceLostError(), 6, 'DEVICE'],
    [new E.LockdownError('PasswordProtected', 'locked'), 6, 'DEVICE'],
    [new E.CancelledError(), 130, 'CANCELLED'],
  ];
  for (const [err, exit, code] of cases) {
    assert.equal(err.exitCode, exit, err.name);
    assert.equal(err.code, code, err.name);
    assert.ok(err instanceof E.IrescueError);
  }
  assert.equal(new E.CorruptInputError('Manifest.plist', 'truncated').message, 'Manifest.plist: truncated');
});
