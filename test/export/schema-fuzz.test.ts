/**
 * Issue 15 item 2: every exporter reads the schema it finds. Seeded fuzzing per exporter: tables
 * dropped, columns dropped or renamed, values of unexpected types (text where a number was, blobs
 * where text was, NULLs, huge numbers). Every run must end in a documented outcome: exported,
 * empty or missing, or failed with CORRUPT_INPUT naming the database; never an unexpected error,
 * never a throw. The seed is printed on failure so a case can be replayed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportData, type ExportCategory } from '../../src/export/index.js';
import { KnownFiles } from '../../src/export/paths.js';
import { FakeBackup } from './fake-backup.js';
import { fullBackupFiles } from './fixtures/full-backup.js';
import { buildDb } from './fixtures/db-file.js';
import { createWhatsAppSchema } from './fixtures/whatsapp-db.js';
import { jpegWithDate } from './fixtures/jpeg-exif.js';
import { mutate, pick, rng, runSchemaFuzz } from './fixtures/schema-mutate.js';

const RUNS = Number(process.env.IRESCUE_FUZZ_RUNS ?? 25);

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
    try {
      await runSchemaFuzz({
        category: target.category,
        label: `${target.file.domain}/${target.file.relativePath}`,
        runs: RUNS,
        dir,
        mutated: (seed, log) => mutate(target.bytes, rng(seed * 7919 + target.category.length), log),
        // The contact index (names in messages and calls) reads the mutated AddressBook too.
        files: (data) => base.filter((f) => !(f.domain === target.file.domain && f.relativePath === target.file.relativePath)).concat({ ...target.file, data }),
      });
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
