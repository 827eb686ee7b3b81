/**
 * NoteStore.sqlite with the iOS 12 (ZCREATIONDATE1, ZACCOUNT2) and iOS 16 (ZCREATIONDATE3, ZACCOUNT4)
 * column layouts, and note bodies encoded by hand with protobufjs's Writer (explicit field numbers,
 * independent of src/export/notestore.proto) then gzipped, as Notes stores them.
 */
import type Database from 'better-sqlite3';
import protobuf from 'protobufjs';
import { gzipSync } from 'node:zlib';

export type NotesSchema = 'ios12' | 'ios16';

export function createNoteStoreSchema(db: Database.Database, schema: NotesSchema): void {
  const ios16 = schema === 'ios16';
  db.exec(`
CREATE TABLE Z_PRIMARYKEY (Z_ENT INTEGER PRIMARY KEY, Z_NAME VARCHAR, Z_SUPER INTEGER, Z_MAX INTEGER);
CREATE TABLE Z_METADATA (Z_VERSION INTEGER PRIMARY KEY, Z_UUID VARCHAR(255), Z_PLIST BLOB);
CREATE TABLE ZICCLOUDSYNCINGOBJECT (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZCRYPTOITERATIONCOUNT INTEGER,
 ZMARKEDFORDELETION INTEGER, ZNEEDSINITIALFETCHFROMCLOUD INTEGER, ZCHECKEDFORLOCATION INTEGER, ZHASCHECKLIST INTEGER,
 ZISPASSWORDPROTECTED INTEGER, ZISPINNED INTEGER, ZFOLDER INTEGER, ZNOTEDATA INTEGER, ZACCOUNT2 INTEGER,
 ZMEDIA INTEGER, ZNOTE INTEGER, ZATTACHMENT1 INTEGER, ZFILESIZE INTEGER, ZTYPEUTI VARCHAR, ZFILENAME VARCHAR,
 ${ios16 ? 'ZACCOUNT3 INTEGER, ZACCOUNT4 INTEGER, ZCREATIONDATE3 TIMESTAMP, ZISSYSTEMPAPER INTEGER,' : ''}
 ZCREATIONDATE TIMESTAMP, ZCREATIONDATE1 TIMESTAMP, ZMODIFICATIONDATE TIMESTAMP, ZMODIFICATIONDATE1 TIMESTAMP,
 ZIDENTIFIER VARCHAR, ZPASSWORDHINT VARCHAR, ZSNIPPET VARCHAR, ZTITLE VARCHAR, ZTITLE1 VARCHAR, ZTITLE2 VARCHAR, ZNAME VARCHAR,
 ZCRYPTOINITIALIZATIONVECTOR BLOB, ZCRYPTOTAG BLOB, ZCRYPTOSALT BLOB, ZCRYPTOWRAPPEDKEY BLOB);
CREATE TABLE ZICNOTEDATA (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZNOTE INTEGER, ZCRYPTOTAG BLOB, ZCRYPTOINITIALIZATIONVECTOR BLOB, ZDATA BLOB);
INSERT INTO Z_PRIMARYKEY VALUES (5, 'ICCloudSyncingObject', 0, 0), (12, 'ICNote', 5, 0), (14, 'ICAccount', 5, 0), (15, 'ICFolder', 5, 0), (16, 'ICAttachment', 5, 0), (17, 'ICMedia', 5, 0), (19, 'ICNoteData', 0, 0);
`);
}

export interface RunSpec {
  length: number;
  style?: number;
  indent?: number;
  done?: boolean;
  weight?: number;
  strike?: boolean;
  link?: string;
  attachment?: { id: string; uti: string };
}

export function encodeNoteBody(text: string, runs: RunSpec[]): Buffer {
  const w = protobuf.Writer.create();
  w.uint32((1 << 3) | 0).int32(0); // top-level version field, ignored by readers
  w.uint32((2 << 3) | 2).fork(); // document
  w.uint32((1 << 3) | 0).int32(0);
  w.uint32((2 << 3) | 0).int32(0); // document version
  w.uint32((3 << 3) | 2).fork(); // note
  w.uint32((2 << 3) | 2).string(text); // note_text
  for (const r of runs) {
    w.uint32((5 << 3) | 2).fork(); // attribute_run
    w.uint32((1 << 3) | 0).int32(r.length);
    if (r.style !== undefined || r.done !== undefined || r.indent) {
      w.uint32((2 << 3) | 2).fork();
      if (r.style !== undefined) w.uint32((1 << 3) | 0).int32(r.style);
      if (r.indent) w.uint32((4 << 3) | 0).int32(r.indent);
      if (r.done !== undefined) w.uint32((5 << 3) | 2).fork().uint32((1 << 3) | 2).bytes(Buffer.alloc(16, 1)).uint32((2 << 3) | 0).int32(r.done ? 1 : 0).ldelim();
      w.ldelim();
    }
    if (r.weight) w.uint32((5 << 3) | 0).int32(r.weight);
    if (r.strike) w.uint32((7 << 3) | 0).int32(1);
    if (r.link) w.uint32((9 << 3) | 2).string(r.link);
    if (r.attachment) w.uint32((12 << 3) | 2).fork().uint32((1 << 3) | 2).string(r.attachment.id).uint32((2 << 3) | 2).string(r.attachment.uti).ldelim();
    w.ldelim();
  }
  w.ldelim().ldelim();
  return gzipSync(Buffer.from(w.finish()));
}

export function addFolder(db: Database.Database, title: string): number {
  return Number(db.prepare('INSERT INTO ZICCLOUDSYNCINGOBJECT (Z_ENT, Z_OPT, ZTITLE2, ZIDENTIFIER) VALUES (15, 1, ?, ?)').run(title, `F-${title}`).lastInsertRowid);
}

export function addNote(db: Database.Database, schema: NotesSchema, n: { folder: number; title: string; created: number; modified: number; body?: Buffer; locked?: boolean; deleted?: boolean }): number {
  const createdCol = schema === 'ios16' ? 'ZCREATIONDATE3' : 'ZCREATIONDATE1';
  const id = Number(db.prepare(`INSERT INTO ZICCLOUDSYNCINGOBJECT (Z_ENT, Z_OPT, ZTITLE1, ZFOLDER, ${createdCol}, ZMODIFICATIONDATE1, ZISPASSWORDPROTECTED, ZMARKEDFORDELETION, ZIDENTIFIER)
    VALUES (12, 1, ?, ?, ?, ?, ?, ?, ?)`).run(n.title, n.folder, n.created, n.modified, n.locked ? 1 : 0, n.deleted ? 1 : 0, `N-${n.title}`).lastInsertRowid);
  const dataId = Number(db.prepare('INSERT INTO ZICNOTEDATA (Z_ENT, Z_OPT, ZNOTE, ZDATA) VALUES (19, 1, ?, ?)').run(id, n.locked ? Buffer.from('encrypted bytes') : (n.body ?? null)).lastInsertRowid);
  db.prepare('UPDATE ZICCLOUDSYNCINGOBJECT SET ZNOTEDATA = ? WHERE Z_PK = ?').run(dataId, id);
  return id;
}

/** An ICAttachment row (what the body's attachment_info names) pointing at an ICMedia row (the file). */
export function addAttachment(db: Database.Database, note: number, a: { id: string; uti: string; mediaId: string; filename: string }): void {
  const media = Number(db.prepare('INSERT INTO ZICCLOUDSYNCINGOBJECT (Z_ENT, Z_OPT, ZIDENTIFIER, ZFILENAME) VALUES (17, 1, ?, ?)').run(a.mediaId, a.filename).lastInsertRowid);
  db.prepare('INSERT INTO ZICCLOUDSYNCINGOBJECT (Z_ENT, Z_OPT, ZIDENTIFIER, ZTYPEUTI, ZNOTE, ZMEDIA) VALUES (16, 1, ?, ?, ?, ?)').run(a.id, a.uti, note, media);
}
