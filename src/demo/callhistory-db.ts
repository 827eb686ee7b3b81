/** CallHistory.storedata (Core Data, iOS 14-17 layout) and the pre-iOS 8 call_history.db. */
import type Database from 'better-sqlite3';

export function createCallHistorySchema(db: Database.Database): void {
  db.exec(`
CREATE TABLE Z_PRIMARYKEY (Z_ENT INTEGER PRIMARY KEY, Z_NAME VARCHAR, Z_SUPER INTEGER, Z_MAX INTEGER);
CREATE TABLE Z_METADATA (Z_VERSION INTEGER PRIMARY KEY, Z_UUID VARCHAR(255), Z_PLIST BLOB);
CREATE TABLE Z_MODELCACHE (Z_CONTENT BLOB);
CREATE TABLE ZCALLRECORD (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZANSWERED INTEGER, ZCALL_CATEGORY INTEGER,
 ZCALLTYPE INTEGER, ZDISCONNECTED_CAUSE INTEGER, ZFACE_TIME_DATA INTEGER, ZHANDLE_TYPE INTEGER, ZNUMBER_AVAILABILITY INTEGER,
 ZORIGINATED INTEGER, ZREAD INTEGER, ZJUNKCONFIDENCE INTEGER, ZJUNKIDENTIFICATIONCATEGORY INTEGER, ZVERIFICATIONSTATUS INTEGER,
 ZDATE TIMESTAMP, ZDURATION FLOAT, ZADDRESS VARCHAR, ZDEVICE_ID VARCHAR, ZISO_COUNTRY_CODE VARCHAR, ZLOCATION VARCHAR,
 ZNAME VARCHAR, ZSERVICE_PROVIDER VARCHAR, ZUNIQUE_ID VARCHAR, ZLOCALPARTICIPANTUUID BLOB, ZOUTGOINGLOCALPARTICIPANTUUID BLOB,
 ZPARTICIPANTGROUPUUID BLOB);
INSERT INTO Z_PRIMARYKEY VALUES (1, 'CallRecord', 0, 0);
`);
}

export function addCall(db: Database.Database, c: { date: number; address: string | Buffer; answered: boolean; type: number; originated: boolean; duration: number; provider?: string; country?: string; name?: string }): void {
  db.prepare(`INSERT INTO ZCALLRECORD (Z_ENT, Z_OPT, ZANSWERED, ZCALLTYPE, ZORIGINATED, ZREAD, ZDATE, ZDURATION, ZADDRESS, ZISO_COUNTRY_CODE, ZNAME, ZSERVICE_PROVIDER, ZUNIQUE_ID)
    VALUES (1, 1, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)`).run(c.answered ? 1 : 0, c.type, c.originated ? 1 : 0, c.date, c.duration, c.address, c.country ?? 'us', c.name ?? null,
    c.provider ?? (c.type === 1 ? 'com.apple.Telephony' : 'com.apple.FaceTime'), `U-${Math.random()}`);
}

export function createLegacyCallHistorySchema(db: Database.Database): void {
  db.exec(`
CREATE TABLE _SqliteDatabaseProperties (key TEXT, value TEXT, UNIQUE(key));
CREATE TABLE call (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, address TEXT, date INTEGER, duration INTEGER, flags INTEGER, id INTEGER,
 name TEXT, country_code TEXT, network_code TEXT, read INTEGER, assisted INTEGER, face_time_data BLOB, originalAddress TEXT);
`);
}
