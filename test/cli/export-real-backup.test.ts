/**
 * The export CLI on a real (generated, encrypted) backup folder: the backup core and the exporters
 * meet here, through the same opener users get.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './run-cli.js';
import { makeEncryptedBackup, scratchDir, FIXTURE_PASSWORD } from '../fixtures/backups.js';
import { snapshotTree } from '../fixtures/snapshot.js';
import { fullBackupFiles } from '../export/fixtures/full-backup.js';

test('irescue export all on an encrypted backup folder writes every category and the report', async () => {
  const files = fullBackupFiles().map((f) => ({ domain: f.domain, relativePath: f.relativePath, content: f.data, mtime: f.mtime }));
  const w = await makeEncryptedBackup({ files });
  const before = snapshotTree(w.dir);
  const out = join(scratchDir(), 'export');
  const r = await runCli(['export', 'all', w.dir, '--out', out, '--json'], { env: { IRESCUE_PASSWORD: FIXTURE_PASSWORD } });
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout) as { categories: Array<{ category: string; status: string; count: number }> };
  const byName = Object.fromEntries(summary.categories.map((c) => [c.category, c]));
  for (const c of ['messages', 'contacts', 'calls', 'photos', 'notes']) assert.equal(byName[c]?.status, 'exported', `${c}: ${JSON.stringify(byName[c])}`);
  assert.ok(byName.messages.count > 0 && byName.contacts.count > 0);
  assert.ok(existsSync(join(out, 'index.html')));
  assert.match(readFileSync(join(out, 'index.html'), 'utf8'), /Test iPhone/);
  assert.deepEqual(snapshotTree(w.dir), before);
  const wrong = await runCli(['export', 'contacts', w.dir, '--out', join(scratchDir(), 'x')], { env: { IRESCUE_PASSWORD: 'wrong' } });
  assert.equal(wrong.code, 3);
});
