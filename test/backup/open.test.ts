import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openBackup, verifyBackupPassword } from '../../src/backup/open.js';
import { FileKind } from '../../src/backup/types.js';
import { WrongPasswordError, UsageError } from '../../src/errors.js';
import { makeBackup, makeEncryptedBackup, FIXTURE_PASSWORD } from '../fixtures/backups.js';

for (const [label, make] of [
  ['encrypted', () => makeEncryptedBackup()],
  ['unencrypted', () => makeBackup()],
  ['encrypted mbdb (iOS 9)', () => makeEncryptedBackup({ format: 'mbdb', encryption: { password: FIXTURE_PASSWORD, legacy: true, iterations: 100 } })],
  ['unencrypted mbdb, XML plists', () => makeBackup({ format: 'mbdb', xmlPlists: true })],
] as const) {
  test(`opens a generated ${label} backup and reads every file back`, async () => {
    const w = await make();
    const b = await openBackup(w.dir, { password: FIXTURE_PASSWORD });
    try {
      assert.equal(b.info.udid?.toLowerCase(), w.udid.toLowerCase());
      assert.equal(b.info.state, 'complete');
      for (const [key, content] of w.plaintext) {
        const [domain, ...rest] = key.split('/');
        const rec = b.findFile(domain, rest.join('/'));
        assert.ok(rec, key);
        if (key.endsWith('missing.txt')) {
          await assert.rejects(b.readFile(rec), /missing from the backup/);
          continue;
        }
        assert.deepEqual(await b.readFile(rec), content, key);
      }
      const link = b.findFile('HomeDomain', 'Library/link-inside');
      assert.equal(link?.kind, FileKind.Symlink);
      assert.equal(link?.target, 'Notes/deep/er/note.txt');
      assert.equal(b.files({ domain: 'CameraRollDomain' }).length, 1);
      assert.equal(b.files({ path: 'Documents/*.txt' }).length, 5);
      const wrong = b.findFile('HomeDomain', 'Documents/wrong-size.txt')!;
      assert.equal(wrong.size, 3);
      assert.equal((await b.readFile(wrong)).length, 41);
    } finally {
      await b.close();
    }
  });
}

test('a wrong password is WrongPasswordError (exit 3) and verify says false', async () => {
  const w = await makeEncryptedBackup();
  await assert.rejects(openBackup(w.dir, { password: 'nope' }), (e: unknown) => e instanceof WrongPasswordError && e.exitCode === 3 && /irescue recover/.test(e.message));
  assert.equal(await verifyBackupPassword(w.dir, 'nope'), false);
  assert.equal(await verifyBackupPassword(w.dir, FIXTURE_PASSWORD), true);
});

test('an encrypted backup without a password is a usage error', async () => {
  const w = await makeEncryptedBackup();
  await assert.rejects(openBackup(w.dir), UsageError);
});
