import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportCalls } from '../../src/export/calls.js';
import { buildContactIndex } from '../../src/export/contact-index.js';
import { OutputDir } from '../../src/export/output.js';
import { parseCsv } from '../../src/export/csv.js';
import { APPLE_EPOCH_MS } from '../../src/export/apple-time.js';
import { FakeBackup } from './fake-backup.js';
import { buildDb } from './fixtures/db-file.js';
import { addCall, createCallHistorySchema, createLegacyCallHistorySchema } from './fixtures/callhistory-db.js';

const apple = (iso: string): number => (Date.parse(iso) - APPLE_EPOCH_MS) / 1000;

async function run(files: ConstructorParameters<typeof FakeBackup>[0]) {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-calls-'));
  const reader = new FakeBackup(files);
  try {
    const out = await OutputDir.open(dir);
    const contacts = buildContactIndex([{ name: 'Anna Smith', handles: ['+1 555 123 0001'] }]);
    const result = await exportCalls({ reader, out, options: { out: dir, timeZone: 'UTC' } }, { contacts });
    const csv = result.count ? parseCsv(await readFile(join(dir, 'calls', 'calls.csv'), 'utf8')) : [];
    const html = result.count ? await readFile(join(dir, 'calls', 'index.html'), 'utf8') : '';
    return { result, csv, html };
  } finally {
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  }
}

test('calls: CallHistory.storedata to CSV and HTML with contact names, direction, missed, FaceTime', async () => {
  const data = buildDb((db) => {
    createCallHistorySchema(db);
    addCall(db, { date: apple('2024-01-02T08:00:00Z'), address: '+15551230001', answered: true, type: 1, originated: false, duration: 3725.4 });
    addCall(db, { date: apple('2024-01-02T09:00:00Z'), address: Buffer.from('+15559990000'), answered: false, type: 1, originated: false, duration: 0 });
    addCall(db, { date: apple('2024-01-03T10:00:00Z'), address: 'bob@example.com', answered: true, type: 8, originated: true, duration: 60 });
    addCall(db, { date: apple('2024-01-03T11:00:00Z'), address: '+15550000002', answered: false, type: 16, originated: true, duration: 0, name: '<Carol>' });
  }, { wal: true });
  const { result, csv, html } = await run([{ domain: 'HomeDomain', relativePath: 'Library/CallHistoryDB/CallHistory.storedata', data }]);
  assert.equal(result.status, 'exported');
  assert.equal(result.count, 4);
  const h = csv[0];
  const get = (i: number, c: string) => csv[i][h.indexOf(c)];
  assert.equal(get(1, 'date_utc'), '2024-01-02T08:00:00.000Z');
  assert.equal(get(1, 'contact_name'), 'Anna Smith');
  assert.equal(get(1, 'status'), 'answered');
  assert.equal(get(1, 'duration'), '1:02:05');
  assert.equal(get(1, 'type'), 'Phone');
  assert.equal(get(2, 'number'), '+15559990000');
  assert.equal(get(2, 'status'), 'missed');
  assert.equal(get(3, 'direction'), 'outgoing');
  assert.equal(get(3, 'type'), 'FaceTime Video');
  assert.equal(get(4, 'type'), 'FaceTime Audio');
  assert.equal(get(4, 'status'), 'not answered');
  assert.equal(get(4, 'contact_name'), '<Carol>');
  assert.match(html, /&lt;Carol&gt;/);
  assert.match(html, /<td>missed<\/td>/);
});

test('calls: legacy call_history.db (Unix dates, flags)', async () => {
  const data = buildDb((db) => {
    createLegacyCallHistorySchema(db);
    db.prepare('INSERT INTO call (address, date, duration, flags, id) VALUES (?, ?, ?, ?, ?)').run('+15551230001', Date.parse('2012-06-01T12:00:00Z') / 1000, 0, 4, -1);
    db.prepare('INSERT INTO call (address, date, duration, flags, id) VALUES (?, ?, ?, ?, ?)').run('+15551230001', Date.parse('2012-06-01T13:00:00Z') / 1000, 42, 5, -1);
  });
  const { result, csv } = await run([{ domain: 'WirelessDomain', relativePath: 'Library/CallHistory/call_history.db', data }]);
  assert.equal(result.count, 2);
  assert.deepEqual(csv.slice(1).map((r) => [r[0], r[3], r[4], r[5]]), [
    ['2012-06-01T12:00:00.000Z', 'Anna Smith', 'incoming', 'missed'],
    ['2012-06-01T13:00:00.000Z', 'Anna Smith', 'outgoing', 'answered'],
  ]);
});

test('calls: none in the backup is a message, not an error; empty table says so', async () => {
  assert.equal((await run([])).result.message, 'no call history in this backup');
  const data = buildDb((db) => createCallHistorySchema(db));
  const { result } = await run([{ domain: 'HomeDomain', relativePath: 'Library/CallHistoryDB/CallHistory.storedata', data }]);
  assert.equal(result.status, 'empty');
});
