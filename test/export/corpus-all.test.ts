/**
 * Issue 15 item 5: one `export all` over a backup holding every real database of the corpus
 * (test/corpus/SOURCES.md) together: each category finds its own file, the counts are the ones
 * the sources publish (plaso for Messages, iLEAPP for the rest), categories the backup lacks say
 * so, and the report is written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportData } from '../../src/export/index.js';
import { KnownFiles } from '../../src/export/paths.js';
import { withWal } from './corpus-files.js';
import { FakeBackup } from './fake-backup.js';

const plaso = (p: string): Buffer => readFileSync(fileURLToPath(new URL(`../corpus/plaso/${p}`, import.meta.url)));

test('corpus: export all over every real database at once: published counts per category, the absent ones reported, the report written', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-corpus-'));
  const reader = new FakeBackup([
    { ...KnownFiles.SMS_DB, data: plaso('imessage_chat.db') },
    ...withWal(KnownFiles.ADDRESS_BOOK, 'hickman-ios15-AddressBook.sqlitedb'),
    ...withWal(KnownFiles.ADDRESS_BOOK_IMAGES, 'hickman-ios15-AddressBookImages.sqlitedb'),
    ...withWal(KnownFiles.NOTE_STORE, 'hickman-ios17-NoteStore.sqlite'),
    ...withWal(KnownFiles.WHATSAPP_CHATS, 'hickman-ios15-ChatStorage.sqlite', false),
  ]);
  try {
    const s = await exportData(reader, 'all', { out: dir, timeZone: 'UTC' });
    const by = new Map(s.categories.map((c) => [c.category, c]));
    // plaso: 10 messages. iLEAPP: 9 people; 12 notes outside Recently Deleted; 32 WhatsApp rows,
    // 11 of them system rows.
    const published = { messages: 10, contacts: 9, notes: 12, whatsapp: 21 } as const;
    for (const [category, count] of Object.entries(published)) {
      const r = by.get(category as keyof typeof published)!;
      assert.equal(r.status, 'exported', JSON.stringify(r));
      assert.equal(r.count, count, category);
    }
    // No call history and no camera roll in this backup: said, not failed.
    for (const category of ['calls', 'photos'] as const) {
      assert.notEqual(by.get(category)?.status, 'exported', category);
      assert.notEqual(by.get(category)?.status, 'failed', category);
    }
    assert.deepEqual(s.skipped, []);
    assert.ok(s.report, 'a report is written');
    const index = await readFile(join(dir, s.report!), 'utf8');
    for (const page of ['messages/index.html', 'contacts/index.html', 'notes/index.html', 'whatsapp/index.html']) assert.ok(index.includes(page), page);
  } finally {
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  }
});
