/**
 * Issue 15 item 5: our exporters on real device-produced databases from public test sets
 * (test/corpus/SOURCES.md), checked against what their sources publish: plaso's own tests
 * (tests/parsers/sqlite_plugins/ios_notes.py and imessage.py at the recorded commit) and the
 * rows those tests read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportData } from '../../src/export/index.js';
import { parseCsv } from '../../src/export/csv.js';
import { KnownFiles } from '../../src/export/paths.js';
import { FakeBackup } from './fake-backup.js';

const corpus = (p: string): Buffer => readFileSync(fileURLToPath(new URL(`../corpus/${p}`, import.meta.url)));

test('corpus: plaso ios/NoteStore.sqlite (iOS 13 to 15 notes): 7 notes, 4 of them locked, dates as plaso publishes', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-corpus-'));
  const reader = new FakeBackup([{ ...KnownFiles.NOTE_STORE, data: corpus('plaso/NoteStore.sqlite') }]);
  try {
    const s = await exportData(reader, 'notes', { out: dir, timeZone: 'UTC' });
    const r = s.categories[0];
    assert.equal(r.status, 'exported', JSON.stringify(r));
    // 8 note rows; the one marked for deletion (no title) is left out.
    assert.equal(r.count, 7);
    const rows = parseCsv(await readFile(join(dir, 'notes', 'notes.csv'), 'utf8'));
    const header = rows[0];
    const col = (name: string): number => header.indexOf(name);
    const byTitle = new Map(rows.slice(1).map((row) => [row[col('title')], row]));
    assert.deepEqual([...byTitle.keys()].sort(), ['My First Note', 'My Secret Note', 'My Super Secret Note', 'Secure iOS 15 Note', 'iOS 14 Locked Note', 'iOS 14 Note', 'iOS 15 Note']);
    // plaso: title "My Secret Note", creation 2020-03-28T00:42:31.589267, modification 2020-03-28T00:42:56.774423.
    const secret = byTitle.get('My Secret Note')!;
    assert.equal(secret[col('created_utc')], '2020-03-28T00:42:31.589Z');
    assert.equal(secret[col('modified_utc')], '2020-03-28T00:42:56.774Z');
    assert.equal(secret[col('locked')], '1');
    assert.equal(rows.slice(1).filter((row) => row[col('locked')] === '1').length, 4);
    // The unlocked notes' bodies decode (no "could not be decoded" warning) and hold their titles.
    assert.ok(!r.warnings.some((w) => /could not be decoded/.test(w)), r.warnings.join('\n'));
    const first = await readFile(join(dir, 'notes', byTitle.get('My First Note')![col('markdown')]), 'utf8');
    assert.match(first, /My First Note/);
  } finally {
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('corpus: plaso sqlite/imessage_chat.db (Messages, the sms.db layout): 10 messages; message 8 as plaso publishes it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-corpus-'));
  const reader = new FakeBackup([{ ...KnownFiles.SMS_DB, data: corpus('plaso/imessage_chat.db') }]);
  try {
    const s = await exportData(reader, 'messages', { out: dir, timeZone: 'UTC' });
    const r = s.categories[0];
    assert.equal(r.status, 'exported', JSON.stringify(r));
    // plaso's test counts 10 message events.
    assert.equal(r.count, 10);
    const rows = parseCsv(await readFile(join(dir, 'messages', 'messages.csv'), 'utf8'));
    const header = rows[0];
    const col = (name: string): number => header.indexOf(name);
    const m8 = rows.find((row) => row[col('message_id')] === '8')!;
    // plaso: creation_time 2015-11-30T10:48:40, imessage_id xxxxxx2015@icloud.com, message_type 0 (received), service iMessage.
    assert.equal(m8[col('date_utc')], '2015-11-30T10:48:40.000Z');
    assert.equal(m8[col('sender_handle')], 'xxxxxx2015@icloud.com');
    assert.equal(m8[col('is_from_me')], '0');
    assert.equal(m8[col('service')], 'iMessage');
    assert.equal(m8[col('text')], 'Did you try to send me a message?');
    assert.deepEqual(r.missingColumns ?? [], []);
  } finally {
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  }
});
