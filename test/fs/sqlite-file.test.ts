import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { clearWalFlagSync, isSqliteHeader, prepareSqliteCopy } from '../../src/fs/sqlite-file.js';

async function walDb(dir: string, name = 'w.db'): Promise<string> {
  const f = join(dir, name);
  const db = new Database(f);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1);');
  db.close();
  return f;
}

test('prepareSqliteCopy checks the header and flips WAL to rollback unless the WAL is kept', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-sqlite-'));
  try {
    const f = await walDb(dir);
    const before = await readFile(f);
    assert.ok(isSqliteHeader(before));
    assert.deepEqual([before[18], before[19]], [2, 2]);
    assert.equal(await prepareSqliteCopy(f, { keepWal: true }), true);
    assert.deepEqual([...(await readFile(f)).subarray(18, 20)], [2, 2], 'kept for replay');
    assert.equal(await prepareSqliteCopy(f), true);
    assert.deepEqual([...(await readFile(f)).subarray(18, 20)], [1, 1]);
    const db = new Database(f, { readonly: true, fileMustExist: true });
    assert.deepEqual(db.prepare('SELECT x FROM t').all(), [{ x: 1 }]);
    db.close();

    const g = await walDb(dir, 'g.db');
    clearWalFlagSync(g);
    assert.deepEqual([...(await readFile(g)).subarray(18, 20)], [1, 1]);

    const bad = join(dir, 'bad.db');
    await writeFile(bad, 'not a database at all, just text');
    assert.equal(await prepareSqliteCopy(bad), false);
    assert.equal(await readFile(bad, 'utf8'), 'not a database at all, just text', 'nothing changed');
    await writeFile(bad, 'SQLite');
    assert.equal(await prepareSqliteCopy(bad), false, 'too short');
    assert.equal(isSqliteHeader(Buffer.from('SQLite format 3')), false);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
