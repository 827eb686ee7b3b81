/**
 * What the demo backup holds, so that every step can be tried on it (issue 20): message threads
 * (iMessage and SMS, a photo attachment, a reaction, an edit), contacts (one with a photo), calls,
 * notes, JPEG and HEIF photos with Exif dates, a Live Photo pair and a WhatsApp chat. Everything is
 * generated here by code, from the same builders the tests use; the people and numbers are made
 * up (555 numbers).
 */
import { FileKind } from '../backup/types.js';
import type { WriterFile } from '../backup/writer.js';
import { APPLE_EPOCH_MS } from '../export/apple-time.js';
import { addPerson, createAddressBookImagesSchema, createAddressBookSchema } from './addressbook-db.js';
import { addCall, createCallHistorySchema } from './callhistory-db.js';
import { buildDb } from './db-file.js';
import { heifWithJpeg } from './heif.js';
import { demoPicture, mosaicJpeg } from './jpeg.js';
import { addFolder, addNote, createNoteStoreSchema, encodeNoteBody } from './notestore-db.js';
import { createSmsSchema, smsBuilder } from './sms-db.js';
import { createWhatsAppSchema } from './whatsapp-db.js';

const at = (iso: string): Date => new Date(iso);
const apple = (iso: string): number => (Date.parse(iso) - APPLE_EPOCH_MS) / 1000;

/** A QuickTime file's opening box: enough for a Live Photo's video to be recognised and paired. */
function tinyMov(): Buffer {
  const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 20]), Buffer.from('ftypqt  \0\0\0\0qt  ', 'latin1')]);
  const free = Buffer.concat([Buffer.from([0, 0, 0, 8]), Buffer.from('free', 'latin1')]);
  return Buffer.concat([ftyp, free]);
}

function smsDb(): Buffer {
  return buildDb((db) => {
    createSmsSchema(db, 'ios16');
    const b = smsBuilder(db, 'ios16');
    const mum = b.handle('+15551234567');
    const sam = b.handle('+15559876543', 'SMS');
    const mumChat = b.chat({ identifier: '+15551234567', handles: [mum] });
    const samChat = b.chat({ identifier: '+15559876543', handles: [sam], service: 'SMS' });
    b.message({ chat: mumChat, handle: mum, text: 'Did you get home safe? ❤️', date: at('2026-02-10T21:02:00Z'), guid: 'DEMO-M1' });
    b.message({ chat: mumChat, fromMe: true, text: 'Yes, just now. Thanks for dinner!', date: at('2026-02-10T21:05:00Z'), guid: 'DEMO-M2' });
    b.message({ chat: mumChat, handle: mum, reaction: { type: 2000, target: 'DEMO-M2' }, date: at('2026-02-10T21:06:00Z') });
    const photo = b.message({ chat: mumChat, fromMe: true, text: '\uFFFCThe view from the beach', date: at('2026-02-11T10:15:00Z'), guid: 'DEMO-M3' });
    b.attachment(photo, { filename: '~/Library/SMS/Attachments/4f/15/DEMO-A1/IMG_0042.JPG', transferName: 'IMG_0042.JPG', mime: 'image/jpeg', bytes: 900 });
    b.message({ chat: mumChat, handle: mum, text: 'Beautiful! Call me on Sunday', date: at('2026-02-11T10:20:00Z'), edited: at('2026-02-11T10:21:00Z'), guid: 'DEMO-M4' });
    b.message({ chat: samChat, handle: sam, text: 'Running 10 min late, sorry', date: at('2026-02-12T08:31:00Z'), service: 'SMS' });
    b.message({ chat: samChat, fromMe: true, text: 'No problem, see you at the café', date: at('2026-02-12T08:32:00Z'), service: 'SMS' });
    b.message({ chat: samChat, handle: sam, text: 'Here now', date: at('2026-02-12T08:44:00Z'), service: 'SMS' });
  });
}

function addressBook(): { main: Buffer; images: Buffer } {
  let mumId = 0;
  const main = buildDb((db) => {
    createAddressBookSchema(db);
    mumId = addPerson(db, { first: 'Jane', last: 'Doe', nickname: 'Mum', phones: [['_$!<Mobile>!$_', '+1 555 123 4567']], emails: [['_$!<Home>!$_', 'jane.doe@example.com']],
      addresses: [{ label: '_$!<Home>!$_', street: '1 Harbour Road', city: 'Seaside', zip: '12345', country: 'United States' }] });
    addPerson(db, { first: 'Sam', last: 'Lee', phones: [['_$!<Mobile>!$_', '+1 555 987 6543']] });
    addPerson(db, { org: 'Seaside Dental', phones: [['_$!<Work>!$_', '+1 555 010 2030']], note: 'Check-up every March' });
  });
  const images = buildDb((db) => {
    createAddressBookImagesSchema(db);
    const face = mosaicJpeg(64, 64, (x, y) => (Math.hypot(x - 32, y - 30) < 20 ? [236, 188, 150] : [120, 170, 220]), '2025:05:01 12:00:00');
    db.prepare('INSERT INTO ABFullSizeImage (record_id, data) VALUES (?, ?)').run(mumId, face);
  });
  return { main, images };
}

function callHistory(): Buffer {
  return buildDb((db) => {
    createCallHistorySchema(db);
    addCall(db, { date: apple('2026-02-09T18:00:00Z'), address: '+15551234567', answered: true, type: 1, originated: false, duration: 754 });
    addCall(db, { date: apple('2026-02-12T08:25:00Z'), address: '+15559876543', answered: false, type: 1, originated: false, duration: 0 });
    addCall(db, { date: apple('2026-02-13T19:30:00Z'), address: '+15551234567', answered: true, type: 8, originated: true, duration: 1260 });
    addCall(db, { date: apple('2026-02-14T09:00:00Z'), address: '+15550102030', answered: true, type: 1, originated: true, duration: 95 });
  });
}

function noteStore(): Buffer {
  return buildDb((db) => {
    createNoteStoreSchema(db, 'ios16');
    const notes = addFolder(db, 'Notes');
    const trips = addFolder(db, 'Trips');
    const groceries = 'Groceries\nmilk\neggs\ncoffee\n';
    addNote(db, 'ios16', { folder: notes, title: 'Groceries', created: apple('2026-02-01T09:00:00Z'), modified: apple('2026-02-13T17:00:00Z'),
      body: encodeNoteBody(groceries, [{ length: 10, style: 0 }, { length: 5, style: 103, done: true }, { length: 5, style: 103, done: false }, { length: 7, style: 103, done: false }]) });
    const trip = 'Summer trip\nBook the ferry before May.\nPack: sunscreen, charger, passport\n';
    addNote(db, 'ios16', { folder: trips, title: 'Summer trip', created: apple('2026-01-20T20:00:00Z'), modified: apple('2026-02-02T21:00:00Z'),
      body: encodeNoteBody(trip, [{ length: 12, style: 1 }, { length: 4, weight: 1 }, { length: trip.length - 16 }]) });
  });
}

function whatsAppDb(): Buffer {
  return buildDb((db) => {
    createWhatsAppSchema(db);
    db.exec(`INSERT INTO ZWACHATSESSION (Z_PK, ZCONTACTJID, ZPARTNERNAME, ZSESSIONTYPE) VALUES (1, '15552223333@s.whatsapp.net', 'Alex', 0);`);
    const msg = db.prepare('INSERT INTO ZWAMESSAGE (Z_PK, ZCHATSESSION, ZISFROMME, ZMESSAGEDATE, ZTEXT, ZFROMJID, ZMESSAGETYPE, ZMEDIAITEM) VALUES (?,?,?,?,?,?,?,?)');
    msg.run(1, 1, 0, apple('2026-02-08T12:00:00Z'), 'Are we still on for Saturday?', '15552223333@s.whatsapp.net', 0, null);
    msg.run(2, 1, 1, apple('2026-02-08T12:03:00Z'), 'Yes! 10am at the harbour', null, 0, null);
    msg.run(3, 1, 0, apple('2026-02-08T12:04:00Z'), null, '15552223333@s.whatsapp.net', 1, 1);
    db.exec(`INSERT INTO ZWAMEDIAITEM (Z_PK, ZMESSAGE, ZMEDIALOCALPATH, ZFILESIZE) VALUES (1, 3, 'Media/15552223333@s.whatsapp.net/a/1/boat.jpg', 900);`);
  });
}

/** Every file of the demo's content, ready for writeBackup. */
export function demoContentFiles(): WriterFile[] {
  const ab = addressBook();
  const photo = (hue: number, date: string): Buffer => mosaicJpeg(160, 120, demoPicture(hue), date);
  const dir = (domain: string, relativePath: string): WriterFile => ({ domain, relativePath, kind: FileKind.Directory });
  return [
    dir('HomeDomain', 'Library/SMS'),
    { domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', content: smsDb(), mtime: at('2026-02-12T08:44:00Z') },
    { domain: 'MediaDomain', relativePath: 'Library/SMS/Attachments/4f/15/DEMO-A1/IMG_0042.JPG', content: photo(40, '2026:02:11 10:14:00'), mtime: at('2026-02-11T10:15:00Z') },
    { domain: 'HomeDomain', relativePath: 'Library/AddressBook/AddressBook.sqlitedb', content: ab.main },
    { domain: 'HomeDomain', relativePath: 'Library/AddressBook/AddressBookImages.sqlitedb', content: ab.images },
    { domain: 'HomeDomain', relativePath: 'Library/CallHistoryDB/CallHistory.storedata', content: callHistory() },
    { domain: 'AppDomainGroup-group.com.apple.notes', relativePath: 'NoteStore.sqlite', content: noteStore() },
    { domain: 'CameraRollDomain', relativePath: 'Media/DCIM/100APPLE/IMG_0001.JPG', content: photo(0, '2025:07:14 18:05:00'), mtime: at('2025-07-14T18:05:00Z') },
    { domain: 'CameraRollDomain', relativePath: 'Media/DCIM/100APPLE/IMG_0002.HEIC', content: heifWithJpeg(photo(60, '2025:08:02 09:30:00'), 160, 120, '2025:08:02 09:30:00'), mtime: at('2025-08-02T09:30:00Z') },
    { domain: 'CameraRollDomain', relativePath: 'Media/DCIM/100APPLE/IMG_0003.JPG', content: photo(90, '2025:12:24 16:45:00'), mtime: at('2025-12-24T16:45:00Z') },
    { domain: 'CameraRollDomain', relativePath: 'Media/DCIM/100APPLE/IMG_0003.MOV', content: tinyMov(), mtime: at('2025-12-24T16:45:00Z') },
    { domain: 'AppDomainGroup-group.net.whatsapp.WhatsApp.shared', relativePath: 'ChatStorage.sqlite', content: whatsAppDb() },
    { domain: 'AppDomainGroup-group.net.whatsapp.WhatsApp.shared', relativePath: 'Message/Media/15552223333@s.whatsapp.net/a/1/boat.jpg', content: photo(120, '2026:02:08 12:04:00'), mtime: at('2026-02-08T12:04:00Z') },
  ];
}
