/**
 * Issue 15 item 5, end to end: the real databases of test/corpus (SOURCES.md), their -wal files
 * beside them, inside an encrypted backup folder written by our writer, exported by the CLI as
 * an owner would run it. The backup core (manifest, decryption) and the exporters meet real data
 * here; the counts are the ones the sources publish.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KnownFiles } from '../../src/export/paths.js';
import { runCli } from '../cli/run-cli.js';
import { withWal } from '../export/corpus-files.js';
import { FIXTURE_PASSWORD, makeEncryptedBackup, scratchDir } from '../fixtures/backups.js';
import { snapshotTree } from '../fixtures/snapshot.js';

const plaso = (p: string): Buffer => readFileSync(fileURLToPath(new URL(`./plaso/${p}`, import.meta.url)));

test('corpus: irescue export all --json on an encrypted backup holding the real databases and their WALs: published counts, backup untouched', async () => {
  const real = [
    { ...KnownFiles.SMS_DB, data: plaso('imessage_chat.db') },
    ...withWal(KnownFiles.ADDRESS_BOOK, 'hickman-ios15-AddressBook.sqlitedb'),
    ...withWal(KnownFiles.ADDRESS_BOOK_IMAGES, 'hickman-ios15-AddressBookImages.sqlitedb'),
    ...withWal(KnownFiles.NOTE_STORE, 'hickman-ios17-NoteStore.sqlite'),
    ...withWal(KnownFiles.WHATSAPP_CHATS, 'hickman-ios15-ChatStorage.sqlite', false),
  ];
  const w = await makeEncryptedBackup({ files: real.map((f) => ({ domain: f.domain, relativePath: f.relativePath, content: f.data })) });
  const before = snapshotTree(w.dir);
  const out = join(scratchDir(), 'export');
  const r = await runCli(['export', 'all', w.dir, '--out', out, '--json'], { env: { IRESCUE_PASSWORD: FIXTURE_PASSWORD } });
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout) as { categories: Array<{ category: string; status: string; count: number }> };
  const by = Object.fromEntries(summary.categories.map((c) => [c.category, c]));
  // plaso imessage.py: 10 messages. iLEAPP results: 9 people, 12 notes not marked for deletion,
  // 32 WhatsApp rows of which 11 are system rows.
  for (const [category, count] of [['messages', 10], ['contacts', 9], ['notes', 12], ['whatsapp', 21]] as const) {
    assert.equal(by[category]?.status, 'exported', `${category}: ${JSON.stringify(by[category])}`);
    assert.equal(by[category].count, count, category);
  }
  // The exported CSV holds a row iLEAPP publishes: Josh Hickman's numbers, read from the WAL.
  assert.match(readFileSync(join(out, 'contacts', 'contacts.csv'), 'utf8'), /Josh,,Hickman,.*Mobile: \(919\) 579-0479; TextNow: \(919\) 391-2507/);
  assert.deepEqual(snapshotTree(w.dir), before);
});
