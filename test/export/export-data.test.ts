/** exportData: the one export entry for one category, several, or all (issue 13). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportData, selectCategories } from '../../src/export/index.js';
import * as pkg from '../../src/index.js';
import { CancelledError } from '../../src/errors.js';
import { fullBackup } from './fixtures/full-backup.js';

test('exportData: several categories in the fixed order, one report listing just them; a failure is a result, not a throw', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-data-'));
  const reader = fullBackup({ corruptCalls: true });
  try {
    const summary = await exportData(reader, ['notes', 'calls', 'contacts', 'notes'], { out: dir, timeZone: 'UTC' });
    assert.deepEqual(summary.categories.map((r) => r.category), ['contacts', 'calls', 'notes']);
    assert.equal(summary.categories[1].status, 'failed');
    assert.equal(summary.categories[1].errorCode, 'CORRUPT_INPUT');
    assert.equal(summary.categories[0].count, 1);
    assert.equal(summary.categories[2].count, 1);
    assert.equal(summary.complete, false);
    const index = await readFile(join(dir, 'index.html'), 'utf8');
    assert.match(index, /data-category="contacts"/);
    assert.match(index, /data-category="notes"/);
    assert.doesNotMatch(index, /data-category="photos"/);
  } finally {
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('exportData: one category and all give the same shape; complete when nothing failed or was skipped', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-data-'));
  const reader = fullBackup();
  try {
    const one = await exportData(reader, 'contacts', { out: join(dir, 'one') });
    assert.deepEqual(one.categories.map((r) => r.category), ['contacts']);
    assert.equal(one.complete, true);
    assert.deepEqual(one.skipped, []);
    const all = await exportData(reader, 'all', { out: join(dir, 'all'), timeZone: 'UTC' });
    assert.deepEqual(all.categories.map((r) => r.category), ['messages', 'contacts', 'calls', 'photos', 'notes', 'whatsapp']);
    assert.equal(all.complete, true);
    await assert.rejects(exportData(reader, 'all', { out: dir, signal: AbortSignal.abort() }), CancelledError);
  } finally {
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('selectCategories refuses an unknown name; the package entry exports exportData', () => {
  assert.throws(() => selectCategories(['selfies' as never]), /unknown export category "selfies"/);
  assert.equal(pkg.exportData, exportData);
});
