import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { exportContacts, loadContactIndex } from '../../src/export/contacts.js';
import { buildVCard, foldLine, escapeText, escapeComponent } from '../../src/export/vcard.js';
import { OutputDir } from '../../src/export/output.js';
import { parseCsv } from '../../src/export/csv.js';
import { FakeBackup } from './fake-backup.js';
import { buildDb } from './fixtures/db-file.js';
import { addPerson, birthdayValue, createAddressBookImagesSchema, createAddressBookSchema } from './fixtures/addressbook-db.js';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300, 7), Buffer.from([0xff, 0xd9])]);

function fixtures(): { ab: Buffer; images: Buffer } {
  let annaId = 0;
  const ab = buildDb((db) => {
    createAddressBookSchema(db);
    annaId = addPerson(db, {
      first: 'Anna', last: 'Smith; Jones', org: 'Acme, Inc.', dept: 'R&D', title: 'Engineer', nickname: 'Annie',
      note: 'Line one\nLine two, with comma; and semicolon \\ backslash', birthday: birthdayValue(1985, 4, 12),
      phones: [['_$!<Mobile>!$_', '+1 (555) 123-0001'], ['_$!<Work>!$_', '+1 555 999 0000'], ['Boat phone', '+44 20 7946 0000']],
      emails: [['_$!<Home>!$_', 'anna@example.com'], ['iCloud', 'anna@icloud.com']],
      addresses: [{ label: '_$!<Home>!$_', street: '1 Infinite Loop\nBuilding 2', city: 'Cupertino', state: 'CA', zip: '95014', country: 'United States' }],
    });
    addPerson(db, { first: 'Zoë', last: 'Ünïcødé-' + 'é'.repeat(60), birthday: birthdayValue(1604, 12, 25), phones: [['iPhone', '020 7946 0001']] });
    addPerson(db, { org: 'Only A Company' });
  }, { wal: true });
  const images = buildDb((db) => {
    createAddressBookImagesSchema(db);
    db.prepare('INSERT INTO ABFullSizeImage (record_id, data) VALUES (?, ?)').run(annaId, JPEG);
  });
  return { ab, images };
}

test('vCard folding: 75 octets per line at most, never inside a UTF-8 character, unfolds to the original', () => {
  const line = 'NOTE:' + 'é'.repeat(100) + '😀'.repeat(30) + 'x'.repeat(77);
  const folded = foldLine(line);
  const physical = folded.split('\r\n').filter((l) => l !== '');
  assert.ok(physical.length > 3);
  for (const l of physical) {
    assert.ok(Buffer.byteLength(l) <= 75, `${Buffer.byteLength(l)} octets`);
    assert.ok(!l.includes('\uFFFD'));
  }
  assert.equal(folded.replace(/\r\n /g, '').replace(/\r\n$/, ''), line);
  assert.equal(escapeText('a,b;c\\d\ne'), 'a\\,b;c\\\\d\\ne');
  assert.equal(escapeComponent('a;b'), 'a\\;b');
});

test('contacts: vCard 4.0 parsed back by ical.js, CSV, labels, address, birthday, photo', async () => {
  const { ab, images } = fixtures();
  const dir = await mkdtemp(join(tmpdir(), 'irescue-contacts-'));
  const reader = new FakeBackup([
    { domain: 'HomeDomain', relativePath: 'Library/AddressBook/AddressBook.sqlitedb', data: ab },
    { domain: 'HomeDomain', relativePath: 'Library/AddressBook/AddressBookImages.sqlitedb', data: images },
  ]);
  try {
    const out = await OutputDir.open(dir);
    const r = await exportContacts({ reader, out, options: { out: dir } });
    assert.equal(r.status, 'exported');
    assert.equal(r.count, 3);
    const text = await readFile(join(dir, 'contacts', 'contacts.vcf'), 'utf8');
    for (const l of text.split('\r\n')) assert.ok(Buffer.byteLength(l) <= 75);
    assert.ok(!/[^\r]\n/.test(text), 'every line ends in CRLF');

    const parsed = ICAL.parse(text) as unknown[];
    const cards = (Array.isArray(parsed[0]) ? parsed : [parsed]).map((j) => new ICAL.Component(j as never));
    assert.equal(cards.length, 3);
    const anna = cards[0];
    assert.equal(anna.getFirstPropertyValue('version'), '4.0');
    assert.equal(anna.getFirstPropertyValue('fn'), 'Anna Smith; Jones');
    assert.deepEqual(anna.getFirstPropertyValue('n'), ['Smith; Jones', 'Anna', '', '', '']);
    assert.deepEqual(anna.getFirstPropertyValue('org'), ['Acme, Inc.', 'R&D']);
    assert.equal(anna.getFirstPropertyValue('note'), 'Line one\nLine two, with comma; and semicolon \\ backslash');
    assert.equal(String(anna.getFirstPropertyValue('bday')), '1985-04-12');
    const tels = anna.getAllProperties('tel');
    assert.deepEqual(tels.map((t) => t.getFirstValue()), ['+1 (555) 123-0001', '+1 555 999 0000', '+44 20 7946 0000']);
    assert.equal(tels[0].getParameter('type'), 'cell');
    assert.deepEqual(tels[1].getParameter('type'), ['work', 'voice']);
    const boat = anna.getAllProperties().find((p) => p.name === 'x-ablabel' && p.getFirstValue() === 'Boat phone');
    assert.ok(boat, 'custom label kept');
    const emails = anna.getAllProperties('email');
    assert.equal(emails[0].getParameter('type'), 'home');
    const adr = anna.getFirstPropertyValue('adr') as string[];
    assert.deepEqual(adr, ['', '', '1 Infinite Loop\nBuilding 2', 'Cupertino', 'CA', '95014', 'United States']);
    const photo = String(anna.getFirstPropertyValue('photo'));
    assert.equal(photo, `data:image/jpeg;base64,${JPEG.toString('base64')}`);

    const zoe = cards[1];
    assert.equal(zoe.getFirstPropertyValue('fn'), 'Zoë Ünïcødé-' + 'é'.repeat(60));
    assert.match(text, /BDAY:--1225\r\n/);
    assert.equal(cards[2].getFirstPropertyValue('fn'), 'Only A Company');

    const rows = parseCsv(await readFile(join(dir, 'contacts', 'contacts.csv'), 'utf8'));
    assert.equal(rows.length, 4);
    const phones = rows[1][rows[0].indexOf('phones')];
    assert.equal(phones, 'Mobile: +1 (555) 123-0001; Work: +1 555 999 0000; Boat phone: +44 20 7946 0000');
    assert.equal(rows[1][rows[0].indexOf('birthday')], '1985-04-12');
    assert.equal(rows[1][rows[0].indexOf('has_photo')], '1');

    const index = await loadContactIndex(reader);
    assert.equal(index?.lookup('+15551230001'), 'Anna Smith; Jones');
    assert.equal(index?.lookup('ANNA@example.com'), 'Anna Smith; Jones');
    assert.equal(index?.lookup('+44 20 7946 0001'), 'Zoë Ünïcødé-' + 'é'.repeat(60));
    assert.equal(index?.lookup('+1 555 000 0000'), undefined);
  } finally {
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('contacts: a backup without AddressBook says so', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-contacts-'));
  const reader = new FakeBackup([]);
  try {
    const r = await exportContacts({ reader, out: await OutputDir.open(dir), options: { out: dir } });
    assert.equal(r.status, 'missing');
    assert.equal(r.message, 'no contacts in this backup');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('buildVCard writes a minimal card', () => {
  const v = buildVCard({ fn: 'X', tel: [], email: [], adr: [], url: [] });
  assert.equal(v, 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:X\r\nEND:VCARD\r\n');
});
