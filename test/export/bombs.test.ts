/**
 * Issue 14 item 2 / SECURITY-REVIEW.md B5 for exports: note bodies that inflate without end, notes
 * with millions of style runs, and databases whose tables are endless views or whose columns are
 * generated, each run in a child process under a heap limit and a timeout, so that a regression
 * fails the test instead of the machine. Each must end with the rest exported and memory bounded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { createWriteStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { CategoryResult } from '../../src/export/index.js';
import { exportData } from '../../src/export/index.js';
import { KnownFiles } from '../../src/export/paths.js';
import { FakeBackup } from './fake-backup.js';
import { buildDb } from './fixtures/db-file.js';
import { addFolder, addNote, createNoteStoreSchema, encodeNoteBody } from './fixtures/notestore-db.js';
import { addCall, createCallHistorySchema } from './fixtures/callhistory-db.js';
import { createSmsSchema, smsBuilder } from './fixtures/sms-db.js';

const CHILD = fileURLToPath(new URL('./fixtures/bomb-child.ts', import.meta.url));
const HEAP_MIB = 192;
const TIMEOUT_MS = 60_000;
const RSS_LIMIT_MIB = 400;

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return Buffer.from(out);
}
const ld = (field: number, body: Buffer): Buffer => Buffer.concat([varint((field << 3) | 2), varint(body.length), body]);

/** document(2) { note(3) { note_text(2) = "bomb", attribute_run(5) x runs, each empty } }. */
function runsBomb(runs: number): Buffer {
  const note = Buffer.concat([ld(2, Buffer.from('bomb')), Buffer.alloc(runs * 2, Buffer.from([0x2a, 0x00]))]);
  return gzipSync(ld(2, ld(3, note)), { level: 9 });
}

/** A note_text of `bytes` x "A", gzipped in a stream so the test never holds it whole. */
async function textBomb(path: string, bytes: number): Promise<void> {
  const head = Buffer.concat([varint((2 << 3) | 2), varint(bytes + 20), varint((3 << 3) | 2), varint(bytes + 10), varint((2 << 3) | 2), varint(bytes)]);
  const chunk = Buffer.alloc(1 << 20, 0x41);
  async function* body(): AsyncGenerator<Buffer> {
    yield head;
    for (let left = bytes; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
  }
  await pipeline(Readable.from(body()), createGzip({ level: 9 }), createWriteStream(path));
}

function runChild(category: string, files: Array<[string, string]>): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MIB}`, '--import', 'tsx', CHILD, category, ...files.flat()], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, err });
    });
  });
}

interface ChildResult {
  result: CategoryResult;
  ms: number;
  maxRssMiB: number;
}

function parse(r: { code: number | null; signal: NodeJS.Signals | null; out: string; err: string }): ChildResult {
  assert.equal(r.signal, null, `child killed (${r.signal}): over ${TIMEOUT_MS} ms or out of memory\n${r.err.slice(-2000)}`);
  assert.equal(r.code, 0, r.err.slice(-2000));
  return JSON.parse(r.out.trim().split('\n').pop()!) as ChildResult;
}

test('B5: a note of 24 million empty style runs (47 KB stored) and a note inflating to 96 MiB are listed as damaged; the other note is exported', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-bomb-'));
  try {
    const textPath = join(dir, 'text.gz');
    await textBomb(textPath, 96 * 1024 * 1024);
    const runs = runsBomb(24_000_000);
    assert.ok(runs.length < 100_000, `runs bomb is ${runs.length} bytes`);
    const store = buildDb((db) => {
      createNoteStoreSchema(db, 'ios16');
      const f = addFolder(db, 'Notes');
      addNote(db, 'ios16', { folder: f, title: 'Groceries', created: 700000000, modified: 700000100, body: encodeNoteBody('Groceries\nmilk\n', [{ length: 10, style: 0 }, { length: 5 }]) });
      addNote(db, 'ios16', { folder: f, title: 'Runs', created: 700000000, modified: 700000100, body: runs });
      addNote(db, 'ios16', { folder: f, title: 'Text', created: 700000000, modified: 700000100, body: readFileSync(textPath) });
    });
    const dbPath = join(dir, 'NoteStore.sqlite');
    await writeFile(dbPath, store);
    const { result, maxRssMiB } = parse(await runChild('notes', [[`${KnownFiles.NOTE_STORE.domain}/${KnownFiles.NOTE_STORE.relativePath}`, dbPath]]));
    assert.equal(result.status, 'exported');
    assert.equal(result.count, 3);
    const warnings = result.warnings.join('\n');
    assert.match(warnings, /NoteStore\.sqlite: note \d+ \("Runs"\): body could not be decoded \(more than 1000000 style runs for 4 bytes of text \(NOTE_MAX_RUNS\)/);
    assert.match(warnings, /NoteStore\.sqlite: note \d+ \("Text"\): body could not be decoded \(the note's text inflates past 64 MiB \(NOTE_MAX_INFLATED_BYTES\)/);
    assert.ok(maxRssMiB < RSS_LIMIT_MIB, `peak memory ${maxRssMiB} MiB`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('B4 for exports: an endless recursive view named message is never read; generated columns are not evaluated', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-bomb-'));
  try {
    const sms = buildDb((db) => {
      createSmsSchema(db, 'ios16');
      db.exec(`DROP TABLE message;
        CREATE VIEW message AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT x AS ROWID, 'loop' AS text, x AS date, 0 AS is_from_me FROM c;`);
    });
    const calls = buildDb((db) => {
      createCallHistorySchema(db);
      addCall(db, { date: 700000000, address: '+15550001111', answered: true, type: 1, originated: false, duration: 30 });
      // A 400 MB value computed for each row read: a generated column is the backup's own SQL.
      db.exec(`ALTER TABLE ZCALLRECORD ADD COLUMN ZNAME_GEN BLOB GENERATED ALWAYS AS (zeroblob(400000000)) VIRTUAL;
        ALTER TABLE ZCALLRECORD RENAME COLUMN ZNAME TO ZNAME_OLD;
        ALTER TABLE ZCALLRECORD RENAME COLUMN ZNAME_GEN TO ZNAME;`);
    });
    await writeFile(join(dir, 'sms.db'), sms);
    await writeFile(join(dir, 'calls.db'), calls);
    const m = parse(await runChild('messages', [[`${KnownFiles.SMS_DB.domain}/${KnownFiles.SMS_DB.relativePath}`, join(dir, 'sms.db')]]));
    assert.equal(m.result.status, 'empty');
    assert.deepEqual(m.result.missingColumns, ['message']);
    const c = parse(await runChild('calls', [[`${KnownFiles.CALL_HISTORY.domain}/${KnownFiles.CALL_HISTORY.relativePath}`, join(dir, 'calls.db')]]));
    assert.equal(c.result.status, 'exported');
    assert.equal(c.result.count, 1);
    assert.ok(c.result.missingColumns?.includes('ZCALLRECORD.ZNAME'));
    assert.ok(c.maxRssMiB < RSS_LIMIT_MIB, `peak memory ${c.maxRssMiB} MiB`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a database past its row budget fails by name (EXPORT_DB_MAX_ROWS); a trigger never runs', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-budget-'));
  const calls = buildDb((db) => {
    createCallHistorySchema(db);
    for (let i = 0; i < 50; i++) addCall(db, { date: 700000000 + i, address: `+1555000${1000 + i}`, answered: true, type: 1, originated: false, duration: 3 });
  });
  const sms = buildDb((db) => {
    createSmsSchema(db, 'ios16');
    const b = smsBuilder(db, 'ios16');
    const h = b.handle('+15551230001');
    const chat = b.chat({ identifier: '+15551230001', handles: [h] });
    b.message({ chat, handle: h, text: 'hello', date: new Date('2024-01-01T00:00:00Z') });
    // Would fail every statement that writes; exports never write, so it never fires.
    db.exec(`CREATE TRIGGER boom BEFORE INSERT ON handle BEGIN SELECT RAISE(ABORT, 'trigger ran'); END;`);
  });
  const reader = new FakeBackup([
    { ...KnownFiles.CALL_HISTORY, data: calls },
    { ...KnownFiles.SMS_DB, data: sms },
  ]);
  try {
    const s = await exportData(reader, ['calls', 'messages'], { out: dir, databaseLimits: { maxRows: 10 } });
    const calls = s.categories.find((r) => r.category === 'calls')!;
    assert.equal(calls.status, 'failed');
    assert.equal(calls.errorCode, 'CORRUPT_INPUT');
    assert.match(calls.message!, /^HomeDomain\/Library\/CallHistoryDB\/CallHistory\.storedata: more than 10 rows \(EXPORT_DB_MAX_ROWS\)/);
    assert.equal(s.categories.find((r) => r.category === 'messages')!.count, 1);
  } finally {
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  }
});
