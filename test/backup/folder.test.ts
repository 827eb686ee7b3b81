import { test, mock, type Mock } from 'node:test';
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { basename } from 'node:path';
import { findBackup } from '../../src/backup/folder.js';
import { openBackupForCli } from '../../src/cli/common.js';
import { targetFromBackupFolder } from '../../src/recover/target.js';
import { CorruptInputError, UsageError } from '../../src/errors.js';
import { makeBackup, makeEncryptedBackup, FIXTURE_PASSWORD } from '../fixtures/backups.js';

const ROOT_PLISTS = ['Info.plist', 'Status.plist', 'Manifest.plist'];

/**
 * Counts reads of the root plists and folder listings under `dir` while `run` runs: the spy sits
 * on node:fs/promises itself (synced into the ESM bindings), so no hook is needed in the library.
 */
async function countReads(dir: string, run: () => Promise<unknown>): Promise<{ plists: Map<string, number>; listings: number }> {
  const plists = new Map<string, number>();
  let listings = 0;
  const origRead = fsp.readFile;
  const origDir = fsp.readdir;
  const r = mock.method(fsp, 'readFile', (async (p: unknown, ...rest: unknown[]) => {
    const name = basename(String(p));
    if (String(p).startsWith(dir) && ROOT_PLISTS.includes(name)) plists.set(name, (plists.get(name) ?? 0) + 1);
    return (origRead as (...a: unknown[]) => Promise<unknown>)(p, ...rest);
  }) as typeof fsp.readFile);
  const d = mock.method(fsp, 'readdir', (async (p: unknown, ...rest: unknown[]) => {
    if (String(p).startsWith(dir)) listings++;
    return (origDir as (...a: unknown[]) => Promise<unknown>)(p, ...rest);
  }) as typeof fsp.readdir);
  syncBuiltinESMExports();
  try {
    await run();
  } finally {
    (r as Mock<typeof fsp.readFile>).mock.restore();
    (d as Mock<typeof fsp.readdir>).mock.restore();
    syncBuiltinESMExports();
  }
  return { plists, listings };
}

function assertOneReadEach(plists: Map<string, number>, what: string): void {
  for (const f of ROOT_PLISTS) assert.equal(plists.get(f), 1, `${what}: ${f} read ${plists.get(f) ?? 0} times`);
}

test('the spy sees reads (the count below cannot pass by missing them)', async () => {
  const w = await makeBackup();
  const { plists, listings } = await countReads(w.dir, async () => {
    await (await findBackup(w.dir)).summary({ size: true });
  });
  assertOneReadEach(plists, 'summary');
  assert.ok(listings > 0, 'summary with size walks the folder');
});

test('opening an encrypted backup from the CLI reads each root plist once and never walks the folder', async () => {
  const w = await makeEncryptedBackup();
  const prev = process.env.IRESCUE_PASSWORD;
  process.env.IRESCUE_PASSWORD = FIXTURE_PASSWORD;
  try {
    const { plists, listings } = await countReads(w.dir, async () => {
      const b = await openBackupForCli(w.dir, { json: true });
      assert.ok(b.files().length > 0);
      assert.equal(b.folder.dir, w.dir);
      await b.close();
    });
    assertOneReadEach(plists, 'openBackupForCli');
    assert.equal(listings, 0, 'no folder walk on unlock');
  } finally {
    if (prev === undefined) delete process.env.IRESCUE_PASSWORD;
    else process.env.IRESCUE_PASSWORD = prev;
  }
});

test('hash line, password target, verify and unlock all work from one read', async () => {
  const w = await makeEncryptedBackup();
  const { plists, listings } = await countReads(w.dir, async () => {
    const folder = await findBackup(w.dir);
    const h = folder.hashLine();
    assert.match(h.line, /^\$itunes_backup\$\*10\*/);
    assert.equal(h.mode, 14800);
    assert.equal(folder.passwordTarget().hashLine, h.line);
    assert.equal(await folder.verify(FIXTURE_PASSWORD), true);
    assert.equal(await folder.verify('wrong'), false);
    const b = await folder.unlock(FIXTURE_PASSWORD);
    assert.ok(b.domains().some((d) => d.domain === 'HomeDomain' && d.files > 0));
    await b.close();
  });
  assertOneReadEach(plists, 'folder tasks');
  assert.equal(listings, 0);
});

test('recover target reads the metadata once', async () => {
  const w = await makeEncryptedBackup();
  const { plists } = await countReads(w.dir, async () => {
    const t = await targetFromBackupFolder(w.dir);
    assert.equal(t.udid, w.udid);
    assert.ok(t.keybag);
  });
  assertOneReadEach(plists, 'targetFromBackupFolder');
});

test('one wording for "not encrypted" and for a missing keybag; legacy keybags give mode 14700', async () => {
  const plain = await findBackup((await makeBackup()).dir);
  assert.throws(() => plain.requireEncrypted(), (e: unknown) => e instanceof UsageError && /not encrypted, so it has no password/.test((e as Error).message));
  assert.throws(() => plain.hashLine(), UsageError);
  assert.throws(() => plain.passwordTarget(), UsageError);
  await assert.rejects(plain.verify('x'), UsageError);
  const legacy = await findBackup((await makeEncryptedBackup({ format: 'mbdb', encryption: { password: FIXTURE_PASSWORD, legacy: true, iterations: 100 } })).dir);
  assert.equal(legacy.hashLine().mode, 14700);
  assert.equal(legacy.legacyKdf, true);
  assert.ok(!(await findBackup((await makeEncryptedBackup()).dir)).legacyKdf);
  // the keybag check: an encrypted manifest without BackupKeyBag
  const w = await makeEncryptedBackup();
  const { buildBinaryPlist, readPlistDict } = await import('../../src/plist/plist.js');
  const m = await readPlistDict(`${w.dir}/Manifest.plist`);
  delete m.BackupKeyBag;
  await fsp.writeFile(`${w.dir}/Manifest.plist`, buildBinaryPlist(m));
  const noKb = await findBackup(w.dir);
  assert.throws(() => noKb.requireEncrypted(), (e: unknown) => e instanceof CorruptInputError && e.message.includes('Manifest.plist'));
});
