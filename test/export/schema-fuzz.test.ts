/**
 * Issue 15 item 2: every exporter reads the schema it finds. Seeded fuzzing per exporter: tables
 * dropped, columns dropped or renamed, values of unexpected types (text where a number was, blobs
 * where text was, NULLs, huge numbers). Every run must end in a documented outcome: exported,
 * empty or missing, or failed with CORRUPT_INPUT naming the database; never an unexpected error,
 * never a throw. The seed is printed on failure so a case can be replayed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportData, type ExportCategory } from '../../src/export/index.js';
import { KnownFiles } from '../../src/export/paths.js';
import { FakeBackup, type FakeFile } from './fake-backup.js';
import { fullBackupFiles } from './fixtures/full-backup.js';
import { buildDb } from './fixtures/db-file.js';
import { createWhatsAppSchema } from './fixtures/whatsapp-db.js';
import { jpegWithDate } from './fixtures/jpeg-exif.js';

const RUNS = Number(process.env.IRESCUE_FUZZ_RUNS ?? 25);

/** mulberry32: small, seeded, reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)];
const ODD_VALUES: unknown[] = ['text where a number was', Buffer.from([0, 0xff, 0x80, 0x41]), null, 42, -7, 1.5, 1e300, '12abc', '', '2024-01-01', 9007199254740991];

/** Applies 1 to 4 random schema or value mutations to a database and returns its new bytes. */
function mutate(bytes: Buffer, r: () => number, log: string[]): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'irescue-fuzz-'));
  try {
    const path = join(dir, 'db.sqlite');
    writeFileSync(path, bytes);
    const db = new Database(path);
    db.pragma('journal_mode = DELETE');
    db.pragma('ignore_check_constraints = ON');
    const ops = 1 + Math.floor(r() * 4);
    for (let i = 0; i < ops; i++) {
      const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'`).all() as Array<{ name: string }>).map((t) => t.name);
      if (!tables.length) break;
      const t = pick(r, tables);
      const cols = (db.prepare('SELECT name FROM pragma_table_info(?)').all(t) as Array<{ name: string }>).map((c) => c.name);
      const c = cols.length ? pick(r, cols) : undefined;
      const op = pick(r, ['dropTable', 'dropColumn', 'renameColumn', 'retype', 'retype', 'retype'] as const);
      try {
        if (op === 'dropTable' || !c) db.exec(`DROP TABLE "${t}"`);
        else if (op === 'dropColumn') db.exec(`ALTER TABLE "${t}" DROP COLUMN "${c}"`);
        else if (op === 'renameColumn') db.exec(`ALTER TABLE "${t}" RENAME COLUMN "${c}" TO "${c}_renamed"`);
        else {
          const v = pick(r, ODD_VALUES);
          db.prepare(`UPDATE "${t}" SET "${c}" = ?${r() < 0.5 ? ' WHERE rowid % 2 = 0' : ''}`).run(v as never);
        }
        log.push(`${op} ${t}${c ? '.' + c : ''}`);
      } catch (e) {
        // A column in an index, a key or a view cannot always be dropped: replace its values instead.
        log.push(`${op} ${t}.${c} refused (${(e as Error).message.slice(0, 40)})`);
        try {
          if (c) db.prepare(`UPDATE "${t}" SET "${c}" = NULL`).run();
        } catch {
          // NOT NULL primary keys: leave the table as it is
        }
      }
    }
    db.close();
    return readFileSync(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function whatsappDb(): Buffer {
  return buildDb((db) => {
    createWhatsAppSchema(db);
    db.exec(`INSERT INTO ZWACHATSESSION (Z_PK, ZCONTACTJID, ZPARTNERNAME, ZSESSIONTYPE) VALUES (1, '15551230001@s.whatsapp.net', 'Anna', 0), (2, '1234-5678@g.us', 'Club', 1);
      INSERT INTO ZWAGROUPMEMBER (Z_PK, ZCHATSESSION, ZMEMBERJID, ZCONTACTNAME) VALUES (1, 2, '15559990000@s.whatsapp.net', 'Bob');
      INSERT INTO ZWAPROFILEPUSHNAME (Z_PK, ZJID, ZPUSHNAME) VALUES (1, '15551230001@s.whatsapp.net', 'Anna P');
      INSERT INTO ZWAMESSAGE (Z_PK, ZCHATSESSION, ZISFROMME, ZMESSAGEDATE, ZTEXT, ZFROMJID, ZMESSAGETYPE, ZGROUPMEMBER, ZMEDIAITEM) VALUES
        (1, 1, 0, 700000000, 'hello', '15551230001@s.whatsapp.net', 0, NULL, NULL), (2, 1, 1, 700000060, NULL, NULL, 1, NULL, 1),
        (3, 2, 0, 700000120, 'trail', '1234-5678@g.us', 0, 1, NULL), (4, 2, 0, 700000180, NULL, '1234-5678@g.us', 5, 1, 2);
      INSERT INTO ZWAMEDIAITEM (Z_PK, ZMESSAGE, ZMEDIALOCALPATH, ZLATITUDE, ZLONGITUDE) VALUES (1, 2, 'Media/x/photo.jpg', NULL, NULL), (2, 4, NULL, 51.5, -0.1);`);
  });
}

interface Target {
  category: ExportCategory;
  file: { domain: string; relativePath: string };
  bytes: Buffer;
}

const base = fullBackupFiles();
const bytesOf = (p: { domain: string; relativePath: string }): Buffer => base.find((f) => f.domain === p.domain && f.relativePath === p.relativePath)!.data;
const TARGETS: Target[] = [
  { category: 'messages', file: KnownFiles.SMS_DB, bytes: bytesOf(KnownFiles.SMS_DB) },
  { category: 'contacts', file: KnownFiles.ADDRESS_BOOK, bytes: bytesOf(KnownFiles.ADDRESS_BOOK) },
  { category: 'calls', file: KnownFiles.CALL_HISTORY, bytes: bytesOf(KnownFiles.CALL_HISTORY) },
  { category: 'notes', file: KnownFiles.NOTE_STORE, bytes: bytesOf(KnownFiles.NOTE_STORE) },
  { category: 'whatsapp', file: KnownFiles.WHATSAPP_CHATS, bytes: whatsappDb() },
];

for (const target of TARGETS) {
  test(`schema fuzz: ${target.category} (${RUNS} seeded runs) ends in a documented outcome`, async () => {
    const dir = await mkdtemp(join(tmpdir(), `irescue-fuzz-${target.category}-`));
    const label = `${target.file.domain}/${target.file.relativePath}`;
    const outcomes = new Map<string, number>();
    try {
      for (let seed = 1; seed <= RUNS; seed++) {
        const log: string[] = [];
        const mutated = mutate(target.bytes, rng(seed * 7919 + target.category.length), log);
        const files: FakeFile[] = base.filter((f) => !(f.domain === target.file.domain && f.relativePath === target.file.relativePath)).concat({ ...target.file, data: mutated });
        // The contact index (names in messages and calls) reads the mutated AddressBook too.
        const reader = new FakeBackup(files);
        const where = `seed ${seed}: ${log.join('; ')}`;
        try {
          const s = await exportData(reader, target.category, { out: join(dir, String(seed)), timeZone: 'UTC' });
          const r = s.categories[0];
          const key = r.missingColumns?.length ? `${r.status}+missing` : r.status;
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
          assert.ok(['exported', 'empty', 'missing', 'failed'].includes(r.status), where);
          if (r.status === 'failed') {
            assert.equal(r.errorCode, 'CORRUPT_INPUT', `${where}: ${r.message}`);
            assert.ok(r.message!.startsWith(label), `${where}: ${r.message}`);
          }
          assert.doesNotMatch(r.message ?? '', /unexpected error/, where);
          for (const m of r.missingColumns ?? []) assert.match(m, /^[A-Za-z_][\w]*(\.[\w]+)?$/, where);
        } catch (e) {
          assert.fail(`${where}: threw ${(e as Error).stack}`);
        } finally {
          await reader.close();
        }
      }
      // The mutations must bite: some runs lose tables or columns and say so.
      const reported = [...outcomes].filter(([k]) => k.endsWith('+missing')).reduce((n, [, v]) => n + v, 0);
      assert.ok(reported > 0, `no run reported a missing table or column: ${JSON.stringify([...outcomes])}`);
      if (process.env.IRESCUE_FUZZ_DEBUG) console.log(target.category, JSON.stringify([...outcomes]));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

test(`schema fuzz: photos with damaged bytes and odd names (${RUNS} seeded runs) are exported`, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-fuzz-photos-'));
  try {
    for (let seed = 1; seed <= RUNS; seed++) {
      const r = rng(seed);
      const good = jpegWithDate('2021:05:06 07:08:09');
      const cut = good.subarray(0, Math.floor(r() * good.length));
      const noise = Buffer.from(Array.from({ length: 64 }, () => Math.floor(r() * 256)));
      const names = ['IMG_0001.JPG', 'con.jpg', '..jpg', 'a\u0000b.heic', 'x'.repeat(300) + '.jpg', 'ü.HEIC', 'IMG_0001.MOV'];
      const reader = new FakeBackup(names.map((n, i) => ({ domain: 'CameraRollDomain', relativePath: `Media/DCIM/10${i}APPLE/${n}`, data: pick(r, [good, cut, noise, Buffer.alloc(0)]) })));
      try {
        const s = await exportData(reader, 'photos', { out: join(dir, String(seed)), byDate: r() < 0.5 });
        assert.equal(s.categories[0].status, 'exported', `seed ${seed}`);
        assert.equal(s.categories[0].count, names.length, `seed ${seed}`);
      } finally {
        await reader.close();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
