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

test('next is a typed field: given as an option or in the details, shown by the wizard, in toJSON', async () => {
  const { UsageError, IrescueError, InternalError } = await import('../src/errors.js');
  const { describeError } = await import('../src/ui/http.js');
  const a = new UsageError('type its password', { next: 'Type the password chosen in Finder.' });
  assert.equal(a.next, 'Type the password chosen in Finder.');
  assert.equal('next' in a.details, false, 'one place for it, not two');
  assert.equal(describeError(a).body.next, 'Type the password chosen in Finder.');
  assert.equal((a.toJSON() as { next?: string }).next, 'Type the password chosen in Finder.');
  const b = new IrescueError('DEVICE', 'gone', { port: 1 }, { next: 'Plug it in again.' });
  assert.equal(b.next, 'Plug it in again.');
  assert.deepEqual(b.details, { port: 1 });
  const c = new UsageError('plain');
  assert.equal(c.next, undefined);
  assert.ok(describeError(c).body.next.length > 0, 'the code default');
  const i = new InternalError('broken invariant');
  assert.equal(i.code, 'INTERNAL');
  assert.equal(i.exitCode, 1);
  assert.ok(i instanceof IrescueError);
});
