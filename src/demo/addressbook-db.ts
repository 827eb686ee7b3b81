/** AddressBook.sqlitedb / AddressBookImages.sqlitedb with the iOS 12-17 table layouts (docs/schemas). */
import type Database from 'better-sqlite3';
import { APPLE_EPOCH_MS } from '../export/apple-time.js';

export function createAddressBookSchema(db: Database.Database): void {
  db.exec(`
CREATE TABLE ABPerson (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, First TEXT, Last TEXT, Middle TEXT, FirstPhonetic TEXT,
 MiddlePhonetic TEXT, LastPhonetic TEXT, Organization TEXT, Department TEXT, Note TEXT, Kind INTEGER, Birthday TEXT,
 JobTitle TEXT, Nickname TEXT, Prefix TEXT, Suffix TEXT, FirstSort TEXT, LastSort TEXT, CreationDate INTEGER,
 ModificationDate INTEGER, CompositeNameFallback TEXT, ExternalIdentifier TEXT, ExternalModificationTag TEXT,
 ExternalUUID TEXT, StoreID INTEGER, DisplayName TEXT, ExternalRepresentation BLOB, FirstSortSection TEXT,
 LastSortSection TEXT, FirstSortLanguageIndex INTEGER DEFAULT 2147483647, LastSortLanguageIndex INTEGER DEFAULT 2147483647,
 PersonLink INTEGER DEFAULT -1, ImageURI TEXT, IsPreferredName INTEGER DEFAULT 1, guid TEXT DEFAULT (ab_generate_guid()),
 PhonemeData TEXT, AlternateBirthday TEXT, MapsData TEXT, FirstPronunciation TEXT, MiddlePronunciation TEXT,
 LastPronunciation TEXT, OrganizationPhonetic TEXT, OrganizationPronunciation TEXT, PreviousFamilyName TEXT,
 PreferredLikenessSource TEXT, PreferredPersonaIdentifier TEXT, UNIQUE(guid));
CREATE TABLE ABMultiValue (UID INTEGER PRIMARY KEY, record_id INTEGER, property INTEGER, identifier INTEGER, label INTEGER, value TEXT, guid TEXT, UNIQUE(guid));
CREATE TABLE ABMultiValueLabel (value TEXT, UNIQUE(value));
CREATE TABLE ABMultiValueEntry (parent_id INTEGER, key INTEGER, value TEXT, UNIQUE(parent_id, key));
CREATE TABLE ABMultiValueEntryKey (value TEXT, UNIQUE(value));
CREATE TABLE ABGroup (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, Name TEXT, ExternalIdentifier TEXT, StoreID INTEGER);
`);
}

export function createAddressBookImagesSchema(db: Database.Database): void {
  db.exec(`
CREATE TABLE ABFullSizeImage (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, record_id INTEGER, crop_x INTEGER, crop_y INTEGER, crop_width INTEGER, crop_height INTEGER, data BLOB, UNIQUE(record_id));
CREATE TABLE ABThumbnailImage (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, record_id INTEGER, format INTEGER, derived_from_format INTEGER, data BLOB, UNIQUE(record_id, format));
`);
}

/** Apple stores Birthday as text: Apple-epoch seconds of that day's midnight. */
export function birthdayValue(year: number, month: number, day: number): string {
  return ((Date.UTC(year, month - 1, day) - APPLE_EPOCH_MS) / 1000).toFixed(6);
}

export interface PersonInput {
  first?: string; last?: string; org?: string; dept?: string; title?: string; note?: string; nickname?: string; birthday?: string;
  phones?: Array<[label: string, value: string]>;
  emails?: Array<[label: string, value: string]>;
  addresses?: Array<{ label: string; street?: string; city?: string; state?: string; zip?: string; country?: string }>;
}

export function addPerson(db: Database.Database, p: PersonInput): number {
  const id = Number(db.prepare('INSERT INTO ABPerson (First, Last, Organization, Department, JobTitle, Note, Nickname, Birthday, guid) VALUES (?,?,?,?,?,?,?,?,?)')
    .run(p.first ?? null, p.last ?? null, p.org ?? null, p.dept ?? null, p.title ?? null, p.note ?? null, p.nickname ?? null, p.birthday ?? null, `P-${Math.random()}`).lastInsertRowid);
  const label = (l: string): number => {
    db.prepare('INSERT OR IGNORE INTO ABMultiValueLabel (value) VALUES (?)').run(l);
    return (db.prepare('SELECT ROWID AS id FROM ABMultiValueLabel WHERE value = ?').get(l) as { id: number }).id;
  };
  const key = (k: string): number => {
    db.prepare('INSERT OR IGNORE INTO ABMultiValueEntryKey (value) VALUES (?)').run(k);
    return (db.prepare('SELECT ROWID AS id FROM ABMultiValueEntryKey WHERE value = ?').get(k) as { id: number }).id;
  };
  const mv = db.prepare('INSERT INTO ABMultiValue (record_id, property, identifier, label, value, guid) VALUES (?,?,?,?,?,?)');
  let ident = 0;
  for (const [l, v] of p.phones ?? []) mv.run(id, 3, ident++, label(l), v, `MV-${Math.random()}`);
  for (const [l, v] of p.emails ?? []) mv.run(id, 4, ident++, label(l), v, `MV-${Math.random()}`);
  for (const a of p.addresses ?? []) {
    const uid = Number(mv.run(id, 5, ident++, label(a.label), null, `MV-${Math.random()}`).lastInsertRowid);
    const parts: Array<[string, string | undefined]> = [['Street', a.street], ['City', a.city], ['State', a.state], ['ZIP', a.zip], ['Country', a.country]];
    for (const [k, v] of parts) if (v) db.prepare('INSERT INTO ABMultiValueEntry VALUES (?,?,?)').run(uid, key(k), v);
  }
  return id;
}
