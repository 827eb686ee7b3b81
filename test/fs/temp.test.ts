import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makePrivateTempDir, removePrivateTempDir, sweepStaleTempDirs } from '../../src/fs/temp.js';

test('scratch folders are private, carry the pid, and a killed run\'s are removed by the next run', () => {
  const d = makePrivateTempDir('irescue-test-');
  assert.equal(statSync(d).mode & 0o777, 0o700);
  assert.match(d, new RegExp(`irescue-test-p${process.pid}-[A-Za-z0-9]{6}$`));
  removePrivateTempDir(d);
  assert.equal(existsSync(d), false);

  const root = mkdtempSync(join(tmpdir(), 'sweep-'));
  try {
    // a pid far above any real one (Linux pid_max is at most 2^22): that process is gone
    const dead = join(root, 'irescue-p4194999-abcDEF');
    const mine = join(root, `irescue-p${process.pid}-abcdef`);
    const parent = join(root, `irescue-writer-p${process.ppid}-ABCDEF`);
    const other = join(root, 'irescue-not-ours');
    for (const f of [dead, mine, parent, other]) mkdirSync(f);
    writeFileSync(join(dead, 'Manifest.db'), 'decrypted');
    assert.equal(sweepStaleTempDirs(root), 1);
    assert.equal(existsSync(dead), false, 'a dead process\'s decrypted scratch is gone');
    for (const f of [mine, parent, other]) assert.equal(existsSync(f), true, f);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
