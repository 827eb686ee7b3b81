import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBackupDatabase, ColumnPicker } from '../../src/export/sqlite.js';
import { CorruptInputError } from '../../src/errors.js';
import { FakeBackup } from './fake-backup.js';
import { buildDb } from './fixtures/db-file.js';

const DOMAIN = 'HomeDomain';
const PATH = 'Library/Test/test.db';

test('a WAL-mode database (header bytes 18-19 = 2) opens read-only from the temp copy; the backup bytes stay untouched', async () => {
  const data = buildDb((db) => db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1), (2);'), { wal: true });
  assert.deepEqual([data[18], data[19]], [2, 2]);
  const before = Buffer.from(data);
  const reader = new FakeBackup([{ domain: DOMAIN, relativePath: PATH, data }]);
  try {
    const opened = await openBackupDatabase(reader, reader.findFile(DOMAIN, PATH)!);
    assert.equal((opened.db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 2);
    assert.throws(() => opened.db.exec('INSERT INTO t VALUES (3)'), /readonly/i);
    await opened.close();
    assert.deepEqual(await reader.readFile(reader.findFile(DOMAIN, PATH)!), before);
  } finally {
    await reader.close();
  }
});

test('rows still in the backup\'s -wal file are replayed on our copy', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'irescue-wal-'));
  try {
    const path = join(dir, 'w.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (x)');
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.exec('INSERT INTO t VALUES (1), (2), (3)');
    // Copy while the connection is open: the three rows live only in the -wal file.
    const main = readFileSync(path);
    const wal = readFileSync(path + '-wal');
    db.close();
    assert.ok(wal.length > 0);
    const reader = new FakeBackup([{ domain: DOMAIN, relativePath: PATH, data: main }, { domain: DOMAIN, relativePath: PATH + '-wal', data: wal }]);
    const withoutWal = new FakeBackup([{ domain: DOMAIN, relativePath: PATH, data: main }]);
    try {
      const a = await openBackupDatabase(reader, reader.findFile(DOMAIN, PATH)!);
      assert.equal((a.db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 3);
      await a.close();
      const b = await openBackupDatabase(withoutWal, withoutWal.findFile(DOMAIN, PATH)!);
      assert.equal((b.db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 0);
      await b.close();
    } finally {
      await reader.close();
      await withoutWal.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('not SQLite, truncated, or damaged: CorruptInputError naming domain/path', async () => {
  const good = buildDb((db) => db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);'));
  const damaged = Buffer.from(good);
  damaged.fill(0xab, 100, damaged.length); // schema page overwritten
  for (const data of [Buffer.from('hello'), good.subarray(0, 10), damaged, Buffer.concat([good.subarray(0, 16), Buffer.alloc(200, 0xff)])]) {
    const reader = new FakeBackup([{ domain: DOMAIN, relativePath: PATH, data }]);
    try {
      await assert.rejects(openBackupDatabase(reader, reader.findFile(DOMAIN, PATH)!), (e: unknown) => {
        assert.ok(e instanceof CorruptInputError, String(e));
        assert.match(e.message, /^HomeDomain\/Library\/Test\/test\.db: /);
        return true;
      });
    } finally {
      await reader.close();
    }
  }
});

test('ColumnPicker: first present candidate, NULL and a note for absent columns', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE z (ZTITLE1, ZCREATIONDATE1)');
  const p = new ColumnPicker(db, 'z', 'n');
  assert.equal(p.pick('title', 'ZTITLE1', 'ZTITLE'), 'n."ZTITLE1" AS "title"');
  assert.equal(p.pick('created', 'ZCREATIONDATE3', 'ZCREATIONDATE1'), 'n."ZCREATIONDATE1" AS "created"');
  assert.equal(p.pick('locked', 'ZISPASSWORDPROTECTED'), 'NULL AS "locked"');
  assert.equal(p.optional('deleted', 'ZMARKEDFORDELETION'), 'NULL AS "deleted"');
  assert.deepEqual(p.missing, ['z.ZISPASSWORDPROTECTED']);
});
