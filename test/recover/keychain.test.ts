import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readKeychainPasswords, type RunCommand } from '../../src/recover/candidates/keychain.js';

test('macOS: asks `security` for both service names with the UDID as account', async () => {
  const calls: string[][] = [];
  const run: RunCommand = async (cmd, args) => {
    calls.push([cmd, ...args]);
    return args[2] === 'iOS Backup' ? { code: 0, stdout: 'saved-pw\n' } : { code: 44, stdout: '' };
  };
  const r = await readKeychainPasswords('UDID123', { platform: 'darwin', run });
  assert.deepEqual(r.passwords, ['saved-pw']);
  assert.deepEqual(calls, [
    ['security', 'find-generic-password', '-s', 'iOS Backup', '-a', 'UDID123', '-w'],
    ['security', 'find-generic-password', '-s', 'iPhone Backup', '-a', 'UDID123', '-w'],
  ]);
  assert.doesNotMatch(r.note, /saved-pw/, 'the note never shows the password');
});

test('elsewhere, or without a UDID: skipped with a note, nothing run', async () => {
  const run: RunCommand = async () => assert.fail('must not run anything');
  for (const platform of ['linux', 'win32'] as const) {
    const r = await readKeychainPasswords('U', { platform, run });
    assert.deepEqual(r.passwords, []);
    assert.match(r.note, /skipped/);
  }
  const r = await readKeychainPasswords(undefined, { platform: 'darwin', run });
  assert.match(r.note, /no device UDID/);
});
