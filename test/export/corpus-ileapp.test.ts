/**
 * Issue 15 item 5: our exporters on real device databases that iLEAPP keeps in its test suite
 * (admin/test/cases/data, extracted from public forensic images: Josh Hickman's iOS 15 and iOS 17
 * images, BelkaCTF 6), checked against the rows iLEAPP publishes for them in
 * admin/test/results/ (test/corpus/SOURCES.md names each file, commit and licence).
 *
 * The databases come with their -wal files, as the phone left them: the newest rows are only in
 * the WAL, so these tests also cover the WAL replay in src/export/sqlite.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportData } from '../../src/export/index.js';
import { parseCsv } from '../../src/export/csv.js';
import { KnownFiles } from '../../src/export/paths.js';
import type { ExportCategory } from '../../src/export/types.js';
import { withWal } from './corpus-files.js';
import { FakeBackup, type FakeFile } from './fake-backup.js';

interface Exported {
  result: Awaited<ReturnType<typeof exportData>>['categories'][number];
  rows: Array<Record<string, string>>;
  dir: string;
}

async function exportCsv(files: FakeFile[], category: ExportCategory, csv: string, check: (e: Exported) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-corpus-'));
  const reader = new FakeBackup(files);
  try {
    const s = await exportData(reader, category, { out: dir, timeZone: 'UTC' });
    const result = s.categories[0];
    assert.equal(result.status, 'exported', JSON.stringify(result));
    const [header, ...body] = parseCsv(await readFile(join(dir, category, csv), 'utf8'));
    const rows = body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    await check({ result, rows, dir });
  } finally {
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const unix = (seconds: number): string => new Date(seconds * 1000).toISOString().slice(0, 19);

test('corpus: iLEAPP hickman iOS 15 AddressBook (+WAL): the 9 people of iLEAPP\'s addressBook result, numbers, e-mails and photos', async () => {
  const files = [
    ...withWal(KnownFiles.ADDRESS_BOOK, 'hickman-ios15-AddressBook.sqlitedb'),
    ...withWal(KnownFiles.ADDRESS_BOOK_IMAGES, 'hickman-ios15-AddressBookImages.sqlitedb'),
  ];
  await exportCsv(files, 'contacts', 'contacts.csv', async ({ result, rows }) => {
    // iLEAPP admin/test/results/addressBook/addressBook.addressBook.josh_ios15_ffs.*.json: 9 rows.
    assert.equal(result.count, 9);
    assert.equal(rows.length, 9);
    const names = rows.map((r) => [r.first, r.last, r.organization]);
    assert.deepEqual(names.sort(), [
      ['', '', 'Apple Inc.'],
      ['Josh', 'Hickman', ''],
      ['Liz', '', ''],
      ['This', 'DFIR', ''],
      ['This Is', 'DFIR', ''],
      ['This Is', 'DFIR Two', ''],
      ['This Is', 'DFIR Two', ''],
      ['Thom', "De'Fer", ''],
      ['ThisIs', 'DFIRThree', ''],
    ].sort());
    const person = (first: string, last: string): Record<string, string> => rows.find((r) => r.first === first && r.last === last)!;
    // iLEAPP: "Mobile: (919) 579-0479\rTextNow: (919) 391-2507", e-mail joshuahickman957@gmail.com (no label).
    assert.equal(person('Josh', 'Hickman').phones, 'Mobile: (919) 579-0479; TextNow: (919) 391-2507');
    assert.equal(person('Josh', 'Hickman').emails, 'joshuahickman957@gmail.com');
    assert.equal(person('Liz', '').phones, 'Mobile: +1 (919) 208-4530');
    assert.equal(person('Thom', "De'Fer").phones, 'Mobile: (919) 802-7080');
    assert.equal(person('ThisIs', 'DFIRThree').emails, 'Home: thisisdfirthree@gmail.com');
    for (const r of rows.filter((x) => x.first === 'This Is' && x.last === 'DFIR Two')) {
      assert.equal(r.phones, 'Mobile: (919) 888-7386');
      assert.equal(r.emails, 'Home: thisisdfirtwo@gmail.com');
    }
    // iLEAPP: Apple Inc. "Main: 1-800-MY-APPLE", "HomePage: http://www.apple.com", a Work address in Cupertino 95014.
    const apple = rows.find((r) => r.organization === 'Apple Inc.')!;
    assert.equal(apple.phones, 'Main: 1-800-MY-APPLE');
    assert.equal(apple.urls, 'HomePage: http://www.apple.com');
    assert.match(apple.addresses, /^Work: One Apple Park Way\b.*Cupertino.*CA.*95014.*United States/);
    // iLEAPP embeds a thumbnail and a full-size image for exactly "This Is DFIR" and "This DFIR".
    assert.deepEqual(rows.filter((r) => r.has_photo === '1').map((r) => `${r.first} ${r.last}`).sort(), ['This DFIR', 'This Is DFIR']);
    assert.deepEqual(result.warnings, []);
  });
});

test('corpus: iLEAPP BelkaCTF 6 (iOS 16.3) AddressBook, rows only in the WAL: William Phorger as iLEAPP publishes him', async () => {
  const files = [
    ...withWal(KnownFiles.ADDRESS_BOOK, 'belkactf6-AddressBook.sqlitedb'),
    ...withWal(KnownFiles.ADDRESS_BOOK_IMAGES, 'belkactf6-AddressBookImages.sqlitedb'),
  ];
  await exportCsv(files, 'contacts', 'contacts.csv', async ({ result, rows }) => {
    // iLEAPP addressBook.addressBook.belkasoft_ctf6_ios_device1.*.json: one row,
    // William Phorger, "Home: billthemegakill@icloud.com".
    assert.equal(result.count, 1);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].first, 'William');
    assert.equal(rows[0].last, 'Phorger');
    assert.equal(rows[0].emails, 'Home: billthemegakill@icloud.com');
  });
});

test('corpus: iLEAPP BelkaCTF 6 AddressBook without its WAL: the 4 KiB main file alone holds no tables, and we say why', async () => {
  // The phone had not checkpointed, so every table is in the -wal (iLEAPP reads William Phorger
  // from it). A backup that lost the -wal must say so, not blame an unknown iOS version or fail.
  const dir = await mkdtemp(join(tmpdir(), 'irescue-corpus-'));
  const reader = new FakeBackup(withWal(KnownFiles.ADDRESS_BOOK, 'belkactf6-AddressBook.sqlitedb', false));
  try {
    const s = await exportData(reader, 'contacts', { out: dir, timeZone: 'UTC' });
    const r = s.categories[0];
    assert.equal(r.status, 'empty', JSON.stringify(r));
    assert.equal(r.count, 0);
    assert.equal(r.missingColumns, undefined);
    assert.deepEqual(r.warnings, ['HomeDomain/Library/AddressBook/AddressBook.sqlitedb holds no tables: its contents were probably in a -wal file this backup does not have']);
  } finally {
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('corpus: iLEAPP Magnet CTF 2023 (iOS 16.1.1) AddressBook (+WAL): no people, as iLEAPP publishes, and no complaint about the layout', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-corpus-'));
  const reader = new FakeBackup([
    ...withWal(KnownFiles.ADDRESS_BOOK, 'magnet-ios16-AddressBook.sqlitedb'),
    ...withWal(KnownFiles.ADDRESS_BOOK_IMAGES, 'magnet-ios16-AddressBookImages.sqlitedb'),
  ]);
  try {
    const s = await exportData(reader, 'contacts', { out: dir, timeZone: 'UTC' });
    const r = s.categories[0];
    // iLEAPP addressBook.addressBook.mvs_ios_2023.*.json: number_of_rows 0. The iOS 16 tables
    // are all there (in the WAL), so nothing is reported missing.
    assert.equal(r.status, 'empty', JSON.stringify(r));
    assert.equal(r.count, 0);
    assert.equal(r.missingColumns, undefined);
    assert.deepEqual(r.warnings, []);
  } finally {
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  }
});

interface IleappWhatsApp {
  seconds: number;
  fromMe: boolean;
  text: string | null;
  attachment: string;
  thumb: string;
  lat: number | string;
  lon: number | string;
}

/**
 * iLEAPP's whatsAppMessages result for the hickman iOS 15 ChatStorage.sqlite (admin/test/results/
 * whatsApp/whatsApp.whatsAppMessages.josh_ios15_ffs.20250621193412.json, 32 rows), columns
 * Timestamp, Sender Name (… "Local User" when sent), Message, Attachment File, Thumb, Latitude,
 * Longitude; rows in the order iLEAPP gives them. Media hashes there are "mock_hash_for_<file>".
 */
const ILEAPP_WHATSAPP: IleappWhatsApp[] = [
  ...[1654390010, 1648316646, 1654390010, 1648316646, 1658927513, 1648316646, 1657739445, 1658927513, 1657739445, 1658927513, 1683043007].map((seconds) => ({ seconds, fromMe: false, text: null, attachment: '', thumb: '', lat: '', lon: '' })),
  { seconds: 1683043007, fromMe: true, text: 'I’m here!', attachment: '', thumb: '', lat: '', lon: '' },
  { seconds: 1683043050, fromMe: false, text: 'Awesome. You had some chat history, eh?', attachment: '', thumb: '', lat: '', lon: '' },
  { seconds: 1683043104, fromMe: true, text: 'Yep. I don’t recall setting it to back up, but who knows.', attachment: '', thumb: '', lat: '', lon: '' },
  { seconds: 1683043181, fromMe: false, text: 'Makes sense with all the test data you generate.', attachment: '', thumb: '', lat: '', lon: '' },
  { seconds: 1683043276, fromMe: true, text: 'I do generate quite a bit. I need to up my storage. A lot.', attachment: '', thumb: '', lat: '', lon: '' },
  { seconds: 1683043325, fromMe: false, text: 'QNAP is the way, my friend.', attachment: '', thumb: '', lat: '', lon: '' },
  { seconds: 1683043383, fromMe: true, text: 'That’s what I keep hearing.', attachment: '', thumb: '', lat: '', lon: '' },
  { seconds: 1683043450, fromMe: false, text: 'You listen to good people then. Lol.', attachment: '', thumb: '', lat: '', lon: '' },
  { seconds: 1683043508, fromMe: true, text: 'I do. Lol. I’ll send a picture. Just a moment.', attachment: '', thumb: '', lat: '', lon: '' },
  { seconds: 1683043582, fromMe: true, text: null, attachment: 'mock_hash_for_d041d159-fd7d-4abb-9192-0e97c10ddb00', thumb: '', lat: '', lon: '' },
  { seconds: 1683043667, fromMe: false, text: 'Accurate.  Alright, I’ll send you one now.', attachment: '', thumb: '', lat: '', lon: '' },
  { seconds: 1683043754, fromMe: false, text: null, attachment: 'mock_hash_for_074dc9c5-d1e2-418b-8bcc-8c4ed1f67f7e', thumb: '', lat: '', lon: '' },
  { seconds: 1683043861, fromMe: true, text: 'Nice. I’ll audio call you.', attachment: '', thumb: '', lat: '', lon: '' },
  { seconds: 1683044069, fromMe: false, text: 'Now it’s my turn to audio call you.', attachment: '', thumb: '', lat: '', lon: '' },
  { seconds: 1683044347, fromMe: true, text: 'Here comes a video call.', attachment: '', thumb: '', lat: '', lon: '' },
  { seconds: 1683044586, fromMe: false, text: 'My turn. Here comes a video call.', attachment: '', thumb: '', lat: '', lon: '' },
  { seconds: 1683045066, fromMe: true, text: 'Done. It’s gone. 😀', attachment: '', thumb: '', lat: '', lon: '' },
  { seconds: 1684333336, fromMe: true, text: null, attachment: '', thumb: 'mock_hash_for_9d198855-8740-4fdd-99e8-804c696ab3c5.thumb', lat: 35.63850402832031, lon: -78.87605285644531 },
  { seconds: 1684333714, fromMe: false, text: null, attachment: '', thumb: 'mock_hash_for_72c1d11b-6662-476f-8dab-92945033eb69.thumb', lat: 35.64253234863281, lon: -78.86093139648438 },
  { seconds: 1684334106, fromMe: true, text: null, attachment: '', thumb: 'mock_hash_for_c55a35ee-7251-4916-aef4-4bcc1b813406.thumb', lat: 35.63634490966797, lon: -78.85387420654297 },
  { seconds: 1684334200, fromMe: false, text: null, attachment: '', thumb: 'mock_hash_for_ffb61db7-80c3-4877-958d-43d3f2fe6ac5.thumb', lat: 35.63439178466797, lon: -78.85267639160156 },
];

test('corpus: iLEAPP hickman iOS 15 WhatsApp ChatStorage.sqlite: the 32 messages of iLEAPP\'s result, texts, times, direction, media and places', async () => {
  await exportCsv(withWal(KnownFiles.WHATSAPP_CHATS, 'hickman-ios15-ChatStorage.sqlite', false), 'whatsapp', 'whatsapp.csv', async ({ result, rows }) => {
    assert.equal(rows.length, ILEAPP_WHATSAPP.length);
    // Every iLEAPP row is one of ours: same second, same direction, same text; each of ours used once.
    const left = [...rows];
    for (const want of ILEAPP_WHATSAPP) {
      const i = left.findIndex((r) => r.date_utc.slice(0, 19) === unix(want.seconds) && (r.is_from_me === '1') === want.fromMe &&
        (want.text === null ? !['text'].includes(r.type) : r.text === want.text));
      assert.ok(i >= 0, `no exported message for iLEAPP's row at ${unix(want.seconds)}: ${want.text ?? '(no text)'}`);
      const got = left.splice(i, 1)[0];
      // iLEAPP's Sender Name for the one-to-one chat's incoming rows: the chat partner's name
      // (the owner saved "This Is DFIR Two"; the push name the sender chose is "DFIR Two").
      if (!want.fromMe && got.chat === 'This Is DFIR Two' && got.type !== 'event') assert.equal(got.sender, 'This Is DFIR Two');
      // iLEAPP's rows with no text, no attachment and no place are the chats' system rows (group
      // events, ZMESSAGETYPE 6, and the notice each chat opens with, 10): events, not messages.
      const system = want.text === null && !want.attachment && typeof want.lat !== 'number';
      assert.equal(got.type === 'event', system, `${unix(want.seconds)} ${got.type}`);
      // Attachments: iLEAPP names the file (as mock_hash_for_<file name without extension>).
      if (want.attachment) assert.equal(got.media.replace(/\.[^.]+$/, ''), want.attachment.replace(/^mock_hash_for_/, ''));
      // Shared places: iLEAPP's latitude and longitude are what we print.
      if (typeof want.lat === 'number') {
        assert.equal(got.type, 'location');
        assert.equal(got.text, `${want.lat}, ${want.lon}`);
      }
    }
    assert.deepEqual(left, []);
    // Messages people wrote or shared: iLEAPP's 32 rows less its 11 system rows.
    assert.equal(result.count, ILEAPP_WHATSAPP.filter((w) => w.text !== null || w.attachment || typeof w.lat === 'number').length);
    assert.equal(result.count, 21);
    // The two photos are listed in the database, but the iLEAPP extract carries no media files.
    assert.equal(result.warnings.filter((w) => /^media not in the backup: /.test(w)).length, 2);
  });
});

test('corpus: iLEAPP hickman iOS 17 NoteStore.sqlite (+WAL, notes from iOS 13 to 17): the 12 notes iLEAPP lists outside Recently Deleted', async () => {
  await exportCsv(withWal(KnownFiles.NOTE_STORE, 'hickman-ios17-NoteStore.sqlite'), 'notes', 'notes.csv', async ({ result, rows, dir }) => {
    // iLEAPP notes.notes.josh_ios17_ffs.*.json: 14 rows, 2 of them "Marked for Deletion" in "Recently Deleted".
    assert.equal(result.count, 12);
    const byTitle = new Map(rows.map((r) => [r.title, r]));
    // [title, folder, created, modified, password protected] as iLEAPP lists them (seconds, UTC).
    const ileapp: Array<[string, string, string, string, boolean]> = [
      ['iOS 14 Note', 'Notes', '2021-02-15 20:21:41', '2021-02-15 20:22:13', false],
      ['iOS 15 Note', 'Notes', '2023-05-10 00:56:26', '2023-05-10 00:57:01', false],
      ['My First Note', 'Notes', '2020-03-28 00:36:48', '2020-03-28 00:37:43', false],
      ['iOS 16 Note', 'Notes', '2024-01-17 21:52:15', '2024-01-17 22:00:59', false],
      ['Secure iOS 15 Note', 'Notes', '2023-05-10 00:59:13', '2023-05-10 00:59:42', true],
      ['iOS 14 Locked Note', 'Notes', '2021-02-15 20:37:09', '2021-02-15 20:37:54', true],
      ['My Super Secret Note', 'My New Folder', '2020-03-28 00:48:37', '2020-03-28 00:49:13', true],
      ['My Secret Note', 'Notes', '2020-03-28 00:42:31', '2020-03-28 00:42:56', true],
      ['iOS 16 Secure Note', 'Notes', '2024-01-17 21:56:04', '2024-01-17 21:56:26', true],
      ['My iOS 17 Note', 'Notes', '2024-07-28 14:20:50', '2024-07-28 14:21:19', false],
      ['Shared iOS 17 Note', 'Notes', '2024-07-28 14:22:31', '2024-07-28 14:22:46', false],
      ['iOS 17 Locked Note', 'Notes', '2024-07-28 14:24:56', '2024-07-28 14:25:09', true],
    ];
    assert.deepEqual([...byTitle.keys()].sort(), ileapp.map((n) => n[0]).sort());
    for (const [title, folder, created, modified, locked] of ileapp) {
      const r = byTitle.get(title)!;
      assert.equal(r.folder, folder, title);
      assert.equal(r.created_utc.slice(0, 19), created.replace(' ', 'T'), title);
      assert.equal(r.modified_utc.slice(0, 19), modified.replace(' ', 'T'), title);
      assert.equal(r.locked, locked ? '1' : '0', title);
    }
    // iLEAPP's "Note Contents" for the unlocked notes: the body text follows the title.
    const body = async (title: string): Promise<string> => readFile(join(dir, 'notes', byTitle.get(title)!.markdown), 'utf8');
    assert.match(await body('iOS 14 Note'), /This is a note created for iOS 14\. {2}It is created on iPhone\./);
    assert.match(await body('iOS 15 Note'), /Here is the test iOS 15 note\./);
    assert.match(await body('My First Note'), /This is my first note\. {2}Nothing special\./);
    assert.match(await body('iOS 16 Note'), /Here is my first iOS 16 note\.[\s\S]*This is DFIR Two\. I wrote/);
    assert.match(await body('My iOS 17 Note'), /Test note 1/);
    assert.match(await body('Shared iOS 17 Note'), /My shared iOS 17 note/);
    assert.ok(!result.warnings.some((w) => /could not be decoded/.test(w)), result.warnings.join('\n'));
  });
});

test('corpus: a real AddressBook whose -wal the manifest lists but the folder lacks: exported from the main file, the -wal listed as skipped (issue 15 item 1)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-corpus-'));
  const ab = KnownFiles.ADDRESS_BOOK;
  const im = KnownFiles.ADDRESS_BOOK_IMAGES;
  const reader = new FakeBackup([...withWal(ab, 'hickman-ios15-AddressBook.sqlitedb', false), ...withWal(im, 'hickman-ios15-AddressBookImages.sqlitedb', false)]);
  reader.addListedOnly(ab.domain, ab.relativePath + '-wal');
  reader.addListedOnly(im.domain, im.relativePath + '-wal');
  try {
    const s = await exportData(reader, 'contacts', { out: dir, timeZone: 'UTC' });
    const r = s.categories[0];
    assert.equal(r.status, 'exported', JSON.stringify(r));
    assert.ok(r.count > 0);
    assert.deepEqual(r.skipped?.map((f) => f.file).sort(), [`${ab.domain}/${ab.relativePath}-wal`, `${im.domain}/${im.relativePath}-wal`]);
    assert.equal(s.complete, false);
    // The two pictures iLEAPP shows are only in AddressBookImages' WAL: without it, none.
    const [header, ...rows] = parseCsv(await readFile(join(dir, 'contacts', 'contacts.csv'), 'utf8'));
    assert.equal(rows.filter((row) => row[header.indexOf('has_photo')] === '1').length, 0);
  } finally {
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('corpus: BelkaCTF 6 AddressBook with its -wal listed but missing: "empty", the -wal skipped and named as the likely cause', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-corpus-'));
  const ab = KnownFiles.ADDRESS_BOOK;
  const reader = new FakeBackup(withWal(ab, 'belkactf6-AddressBook.sqlitedb', false));
  reader.addListedOnly(ab.domain, ab.relativePath + '-wal');
  try {
    const s = await exportData(reader, 'contacts', { out: dir, timeZone: 'UTC' });
    const r = s.categories[0];
    assert.equal(r.status, 'empty', JSON.stringify(r));
    assert.deepEqual(r.skipped?.map((f) => f.file), [`${ab.domain}/${ab.relativePath}-wal`]);
    assert.ok(r.warnings.some((w) => /holds no tables: its contents were probably in a -wal file/.test(w)), r.warnings.join('\n'));
    assert.equal(s.complete, false);
  } finally {
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  }
});
