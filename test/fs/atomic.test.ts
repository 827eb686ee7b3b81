import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempPathFor, TEMP_MARK, withAtomicFile, writeAtomic, writeAtomicSync } from '../../src/fs/atomic.js';

async function scratch(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'irescue-fs-'));
}

test('writeAtomic writes the whole file, private by default, and leaves no temp', async () => {
  const dir = await scratch();
  try {
    const f = join(dir, 'a.plist');
    await writeAtomic(f, 'one');
    await writeAtomic(f, Buffer.from('two'), { fsync: true });
    assert.equal(await readFile(f, 'utf8'), 'two');
    if (process.platform !== 'win32') assert.equal((await stat(f)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(dir), ['a.plist']);
    const mtime = new Date('2020-01-02T03:04:05Z');
    await writeAtomic(join(dir, 'b'), 'x', { mode: 0o644, mtime });
    assert.equal((await stat(join(dir, 'b'))).mtime.getTime(), mtime.getTime());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a failed fill leaves the old file and no temp behind', async () => {
  const dir = await scratch();
  try {
    const f = join(dir, 'db');
    await writeFile(f, 'old');
    await assert.rejects(withAtomicFile(f, async (temp) => {
      await writeFile(temp, 'half');
      throw new Error('interrupted');
    }), /interrupted/);
    assert.equal(await readFile(f, 'utf8'), 'old');
    assert.deepEqual(await readdir(dir), ['db']);
    assert.equal(await withAtomicFile(f, async (temp) => { await writeFile(temp, 'new'); return 7; }), 7);
    assert.equal(await readFile(f, 'utf8'), 'new');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('writeAtomicSync and the temp name policy', async () => {
  const dir = await scratch();
  try {
    const f = join(dir, 'session.json');
    writeAtomicSync(f, '{"a":1}\n', { fsync: true });
    assert.equal(await readFile(f, 'utf8'), '{"a":1}\n');
    assert.throws(() => writeAtomicSync(join(dir, 'missing', 'x'), 'y'));
    assert.deepEqual(await readdir(dir), ['session.json']);
    const t1 = tempPathFor(f);
    assert.ok(t1.startsWith(f + TEMP_MARK) && t1.endsWith('.tmp'));
    assert.notEqual(t1, tempPathFor(f), 'two writers never share a temp');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
