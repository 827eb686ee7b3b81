import { test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialBlobTexts, readKeychainPasswords, WINDOWS_CREDENTIAL_SCRIPT, type RunCommand } from '../../src/recover/candidates/keychain.js';

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
  for (const platform of ['linux', 'freebsd'] as const) {
    const r = await readKeychainPasswords('U', { platform, run });
    assert.deepEqual(r.passwords, []);
    assert.match(r.note, /skipped/);
  }
  const r = await readKeychainPasswords(undefined, { platform: 'darwin', run });
  assert.match(r.note, /no device UDID/);
});

test('Windows: lists generic credentials through PowerShell and keeps those of backup tools or this device', async () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const line = (t: string, u: string, blob: Buffer) => JSON.stringify({ t: b64(t), u: b64(u), b: blob.toString('base64') });
  const stdout = [
    'some PowerShell banner',
    line('iMazing Backup', 'UDID-ABC', Buffer.from('Pässw0rd', 'utf16le')),
    line('LegacyGeneric:target=unrelated', 'me', Buffer.from('not-this-one', 'utf16le')),
    line('tool/udid-abc', '', Buffer.from('utf8-sëcret', 'utf8')),
    line('iOS Backup', '', Buffer.alloc(0)),
    '{broken json',
  ].join('\r\n');
  const calls: string[][] = [];
  const run: RunCommand = async (cmd, args) => {
    calls.push([cmd, ...args]);
    return { code: 0, stdout };
  };
  const r = await readKeychainPasswords('UDID-ABC', { platform: 'win32', run });
  assert.ok(r.passwords.includes('Pässw0rd'));
  assert.ok(r.passwords.includes('utf8-sëcret'), 'a UDID in the target name matches, case-insensitively');
  assert.ok(!r.passwords.includes('not-this-one'));
  assert.equal(calls.length, 1);
  assert.equal(calls[0][0], 'powershell.exe');
  const script = Buffer.from(calls[0][calls[0].length - 1], 'base64').toString('utf16le');
  assert.equal(script, WINDOWS_CREDENTIAL_SCRIPT, 'the script travels encoded, whole');
  assert.match(script, /CredEnumerateW/);
  assert.doesNotMatch(r.note, /Pässw0rd|sëcret/);
});

test('Windows: a PowerShell failure is a note, not an error', async () => {
  const r = await readKeychainPasswords(undefined, { platform: 'win32', run: async () => ({ code: 1, stdout: '' }) });
  assert.deepEqual(r.passwords, []);
  assert.match(r.note, /could not be read/);
});

test('credential blobs: UTF-16LE and UTF-8 readings that are plausible text', () => {
  assert.deepEqual(credentialBlobTexts(Buffer.from('abc', 'utf16le')), ['abc']);
  assert.deepEqual(credentialBlobTexts(Buffer.from('abc', 'utf8')), ['abc']);
  assert.deepEqual(credentialBlobTexts(Buffer.from('abcd', 'utf8')).sort(), ['abcd', Buffer.from('abcd').toString('utf16le')].sort());
  assert.deepEqual(credentialBlobTexts(Buffer.from([0, 1, 2])), []);
});
