import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { isInside } from '../../src/fs/inside.js';

test('isInside on POSIX paths: the folder itself and below, never beside or above', () => {
  const p = path.posix;
  assert.equal(isInside('/b/backup', '/b/backup', p), true);
  assert.equal(isInside('/b/backup', '/b/backup/', p), true);
  assert.equal(isInside('/b/backup', '/b/backup/x/y', p), true);
  assert.equal(isInside('/b/backup', '/b/backup/..notes', p), true, 'a name that starts with dots is inside');
  assert.equal(isInside('/b/backup', '/b/backup-copy', p), false, 'a sibling sharing a prefix is not inside');
  assert.equal(isInside('/b/backup', '/b', p), false);
  assert.equal(isInside('/b/backup', '/b/backup/../other', p), false);
  assert.equal(isInside('/b/backup', '/elsewhere', p), false);
});

test('isInside on Windows paths: backslashes, drive letters and case', () => {
  const w = path.win32;
  assert.equal(isInside('C:\\Users\\me\\Backup', 'C:\\Users\\me\\Backup\\out', w), true);
  assert.equal(isInside('C:\\Users\\me\\Backup', 'C:/Users/me/Backup/out', w), true, 'forward slashes are separators too');
  assert.equal(isInside('C:\\Users\\me\\Backup', 'c:\\users\\ME\\backup\\out', w), true, 'NTFS names are case-insensitive');
  assert.equal(isInside('C:\\Users\\me\\Backup', 'C:\\Users\\me\\Backup-2', w), false);
  assert.equal(isInside('C:\\Users\\me\\Backup', 'D:\\Users\\me\\Backup\\out', w), false, 'another drive');
  assert.equal(isInside('C:\\Users\\me\\Backup', 'C:\\Users\\me', w), false);
  // the check decrypted-copy.ts used before: a '/'-only prefix test misses a Windows copy inside the backup
  const out = 'C:\\Users\\me\\Backup\\copy';
  assert.equal(out.startsWith('C:\\Users\\me\\Backup' + '/'), false);
  assert.equal(isInside('C:\\Users\\me\\Backup', out, w), true);
});

test('isInside defaults to this platform and resolves relative paths', () => {
  assert.equal(isInside('.', 'a/b'), true);
  assert.equal(isInside('a', 'a/../b'), false);
});
