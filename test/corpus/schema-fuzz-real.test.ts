/**
 * Issue 15 items 2 and 5: the schema fuzz of test/export/schema-fuzz.test.ts on the real databases
 * of the corpus (SOURCES.md) rather than on our generated fixtures: real layouts from iOS 13 to 17
 * and macOS, with every table and column a phone writes, lose tables and columns or get values of
 * unexpected types; every run must still end in a documented outcome. The seed is printed on
 * failure so a case can be replayed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportData, type ExportCategory } from '../../src/export/index.js';
import { KnownFiles, type BackupPath } from '../../src/export/paths.js';
import { withWal } from '../export/corpus-files.js';
import { FakeBackup } from '../export/fake-backup.js';
import { mutate, rng, runSchemaFuzz } from '../export/fixtures/schema-mutate.js';

const RUNS = Number(process.env.IRESCUE_FUZZ_RUNS ?? 12);

const plaso = (p: string): Buffer => readFileSync(fileURLToPath(new URL(`./plaso/${p}`, import.meta.url)));

/** The database with its WAL written into it (the mutations need one self-contained file). */
function checkpointed(at: BackupPath, name: string, wal: boolean): Buffer {
  const [main, log] = withWal(at, name, wal);
  const dir = mkdtempSync(join(tmpdir(), 'irescue-corpus-fuzz-'));
  try {
    const path = join(dir, 'db.sqlite');
    writeFileSync(path, main.data);
    if (log) writeFileSync(path + '-wal', log.data);
    const db = new Database(path);
    db.pragma('journal_mode = DELETE');
    db.close();
    return readFileSync(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Target {
  name: string;
  category: ExportCategory;
  file: BackupPath;
  bytes: () => Buffer;
}

/** The tables each exporter reads (docs/schemas/): the mutations go there. */
const READS: Record<string, readonly string[]> = {
  messages: ['message', 'handle', 'chat', 'chat_message_join', 'chat_handle_join', 'attachment', 'message_attachment_join'],
  notes: ['ZICCLOUDSYNCINGOBJECT', 'ZICNOTEDATA', 'Z_PRIMARYKEY'],
  contacts: ['ABPerson', 'ABMultiValue', 'ABMultiValueLabel', 'ABMultiValueEntry', 'ABMultiValueEntryKey'],
  whatsapp: ['ZWAMESSAGE', 'ZWACHATSESSION', 'ZWAGROUPMEMBER', 'ZWAPROFILEPUSHNAME', 'ZWAMEDIAITEM'],
};

const TARGETS: Target[] = [
  { name: 'plaso imessage_chat.db', category: 'messages', file: KnownFiles.SMS_DB, bytes: () => plaso('imessage_chat.db') },
  { name: 'plaso NoteStore.sqlite', category: 'notes', file: KnownFiles.NOTE_STORE, bytes: () => plaso('NoteStore.sqlite') },
  { name: 'hickman iOS 17 NoteStore.sqlite', category: 'notes', file: KnownFiles.NOTE_STORE, bytes: () => checkpointed(KnownFiles.NOTE_STORE, 'hickman-ios17-NoteStore.sqlite', true) },
  { name: 'hickman iOS 15 AddressBook.sqlitedb', category: 'contacts', file: KnownFiles.ADDRESS_BOOK, bytes: () => checkpointed(KnownFiles.ADDRESS_BOOK, 'hickman-ios15-AddressBook.sqlitedb', true) },
  { name: 'BelkaCTF 6 AddressBook.sqlitedb', category: 'contacts', file: KnownFiles.ADDRESS_BOOK, bytes: () => checkpointed(KnownFiles.ADDRESS_BOOK, 'belkactf6-AddressBook.sqlitedb', true) },
  { name: 'hickman iOS 15 ChatStorage.sqlite', category: 'whatsapp', file: KnownFiles.WHATSAPP_CHATS, bytes: () => checkpointed(KnownFiles.WHATSAPP_CHATS, 'hickman-ios15-ChatStorage.sqlite', false) },
];

for (const target of TARGETS) {
  test(`corpus schema fuzz: ${target.name} (${target.category}, ${RUNS} seeded runs) ends in a documented outcome`, async () => {
    const original = target.bytes();
    const dir = await mkdtemp(join(tmpdir(), `irescue-corpus-fuzz-${target.category}-`));
    try {
      await runSchemaFuzz({
        category: target.category,
        label: `${target.file.domain}/${target.file.relativePath}`,
        runs: RUNS,
        dir,
        mutated: (seed, log) => mutate(original, rng(seed * 104729 + target.name.length), log, READS[target.category]),
        files: (data) => [{ ...target.file, data }],
      });
      // The unmutated store exports (the control).
      const control = new FakeBackup([{ ...target.file, data: original }]);
      try {
        const s = await exportData(control, target.category, { out: join(dir, 'control'), timeZone: 'UTC' });
        assert.equal(s.categories[0].status, 'exported', JSON.stringify(s.categories[0]));
      } finally {
        await control.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
