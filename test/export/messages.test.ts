import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportMessages } from '../../src/export/messages.js';
import { OutputDir } from '../../src/export/output.js';
import { parseCsv } from '../../src/export/csv.js';
import { buildContactIndex } from '../../src/export/contact-index.js';
import { CorruptInputError } from '../../src/errors.js';
import type { ProgressEvent } from '../../src/progress.js';
import { FakeBackup } from './fake-backup.js';
import { buildDb } from './fixtures/db-file.js';
import { createSmsSchema, smsBuilder, type SmsSchema } from './fixtures/sms-db.js';
import { buildAttributedBody } from './fixtures/typedstream-writer.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const T0 = new Date('2023-05-06T10:00:00Z');
const at = (min: number): Date => new Date(T0.getTime() + min * 60_000);

function smsFixture(schema: SmsSchema): Buffer {
  return buildDb((db) => {
    createSmsSchema(db, schema);
    const b = smsBuilder(db, schema);
    const anna = b.handle('+15551230001');
    const bob = b.handle('bob@example.com');
    const c1 = b.chat({ identifier: '+15551230001', handles: [anna] });
    const group = b.chat({ identifier: 'chat123', handles: [anna, bob], displayName: 'Family <Trip>', group: true });
    b.message({ chat: c1, handle: anna, text: 'Hello, "world"\nsecond line', date: at(0), guid: 'G-HELLO' });
    b.message({ chat: c1, handle: anna, text: null, body: buildAttributedBody('From the typedstream ✓ ' + 'x'.repeat(200)), date: at(1) });
    const withPic = b.message({ chat: c1, fromMe: true, text: '\uFFFC', date: at(2) });
    b.attachment(withPic, { filename: '~/Library/SMS/Attachments/ab/01/AT1/IMG_0001.png', transferName: 'IMG_0001.png', mime: 'image/png' });
    const withPdf = b.message({ chat: c1, fromMe: true, text: 'the plan', date: at(3) });
    b.attachment(withPdf, { filename: '/var/mobile/Library/SMS/Attachments/cd/02/AT2/../../../evil.pdf', transferName: '../../evil.pdf', mime: 'application/pdf' });
    b.message({ chat: c1, handle: anna, date: at(4), reaction: { type: 2000, target: 'G-HELLO' } });
    b.message({ chat: group, handle: bob, text: 'in the group', date: at(5) });
    b.message({ chat: group, fromMe: true, date: at(6), itemType: 2, groupTitle: 'Family <Trip>' });
    if (schema === 'ios16') {
      b.message({ chat: group, handle: bob, text: 'fixed typo', date: at(7), edited: at(8) });
      b.message({ chat: group, fromMe: true, text: '', date: at(9), edited: at(10), retracted: at(10) });
    }
  }, { wal: true });
}

async function setup(files: ConstructorParameters<typeof FakeBackup>[0]) {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-msg-'));
  const reader = new FakeBackup(files);
  const out = await OutputDir.open(join(dir, 'out'));
  return { dir, reader, out, cleanup: async () => { await reader.close(); await rm(dir, { recursive: true, force: true }); } };
}

for (const schema of ['ios10', 'ios16'] as const) {
  test(`messages (${schema}): HTML per conversation, CSV and JSON with one row per message`, async () => {
    const s = await setup([
      { domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', data: smsFixture(schema) },
      { domain: 'MediaDomain', relativePath: 'Library/SMS/Attachments/ab/01/AT1/IMG_0001.png', data: PNG, mtime: T0 },
      { domain: 'MediaDomain', relativePath: 'Library/SMS/Attachments/cd/02/AT2/../../../evil.pdf', data: Buffer.from('%PDF-1.4') },
    ]);
    try {
      const events: ProgressEvent[] = [];
      const contacts = buildContactIndex([{ name: 'Anna Smith', handles: ['(555) 123-0001'] }]);
      const r = await exportMessages({ reader: s.reader, out: s.out, options: { out: s.out.root, timeZone: 'UTC', onProgress: (e) => events.push(e) } }, { contacts });
      const expectedMessages = schema === 'ios16' ? 7 : 5;
      assert.equal(r.status, 'exported');
      assert.equal(r.count, expectedMessages);
      assert.deepEqual(r.missingColumns ?? [], []);
      assert.ok(events.length > 0 && events.at(-1)!.done === events.at(-1)!.total);

      const rows = parseCsv(await readFile(join(s.out.root, 'messages', 'messages.csv'), 'utf8'));
      const header = rows[0];
      const col = (r: string[], name: string) => r[header.indexOf(name)];
      assert.equal(rows.length - 1, expectedMessages + 2); // + one reaction + one group event
      const hello = rows.find((r) => col(r, 'guid') === 'G-HELLO')!;
      assert.equal(col(hello, 'text'), 'Hello, "world"\nsecond line');
      assert.equal(col(hello, 'date_utc'), T0.toISOString());
      assert.equal(col(hello, 'date_local'), '2023-05-06 10:00:00');
      assert.equal(col(hello, 'sender'), 'Anna Smith (+15551230001)');
      assert.ok(rows.some((r) => col(r, 'text').startsWith('From the typedstream ✓ xxx') && col(r, 'text').length === 23 + 200));
      const reaction = rows.find((r) => col(r, 'kind') === 'reaction')!;
      assert.equal(col(reaction, 'reaction'), 'loved');
      assert.equal(col(reaction, 'reacts_to'), 'G-HELLO');
      if (schema === 'ios16') {
        assert.equal(col(rows.find((r) => col(r, 'text') === 'fixed typo')!, 'edited'), '1');
        assert.equal(rows.filter((r) => col(r, 'unsent') === '1').length, 1);
      }

      const json = JSON.parse(await readFile(join(s.out.root, 'messages', 'messages.json'), 'utf8'));
      assert.equal(json.length, rows.length - 1);
      assert.deepEqual(json.find((m: { guid: string }) => m.guid === 'G-HELLO').text, 'Hello, "world"\nsecond line');

      const files = (await readdir(join(s.out.root, 'messages'))).sort();
      assert.ok(files.includes('Family _Trip_.html'), files.join(','));
      const annaPage = files.find((f) => f.startsWith('Anna Smith'))!;
      const html = await readFile(join(s.out.root, 'messages', annaPage), 'utf8');
      assert.match(html, /Hello, &quot;world&quot;<br>second line/);
      assert.match(html, /<img src="attachments\/Anna%20Smith[^"]*\/IMG_0001\.png"/);
      assert.match(html, /Anna Smith \(\+15551230001\) loved this/);
      assert.match(html, /href="attachments\/[^"]*\/evil\.pdf"/);
      const attDir = join(s.out.root, 'messages', 'attachments', annaPage.replace(/\.html$/, ''));
      assert.deepEqual((await readdir(attDir)).sort(), ['IMG_0001.png', 'evil.pdf']);
      assert.deepEqual(await readFile(join(attDir, 'IMG_0001.png')), PNG);
      const groupHtml = await readFile(join(s.out.root, 'messages', 'Family _Trip_.html'), 'utf8');
      assert.match(groupHtml, /<h1>Family &lt;Trip&gt;<\/h1>/);
      assert.match(groupHtml, /named the conversation &quot;Family &lt;Trip&gt;&quot;/);
      if (schema === 'ios16') {
        assert.match(groupHtml, /Edited/);
        assert.match(groupHtml, /This message was unsent/);
      }
      const index = await readFile(join(s.out.root, 'messages', 'index.html'), 'utf8');
      assert.match(index, new RegExp(`${expectedMessages} messages in 2 conversations`));
      assert.equal((await readdir(join(s.out.root, 'messages'))).filter((f) => f.includes('.tmp')).length, 0);
    } finally {
      await s.cleanup();
    }
  });
}

test('messages: no sms.db is "no messages in this backup", not an error', async () => {
  const s = await setup([]);
  try {
    const r = await exportMessages({ reader: s.reader, out: s.out, options: { out: s.out.root } });
    assert.equal(r.status, 'missing');
    assert.equal(r.message, 'no messages in this backup');
    assert.equal(r.count, 0);
  } finally {
    await s.cleanup();
  }
});

test('messages: a damaged sms.db is a CorruptInputError naming the file', async () => {
  const s = await setup([{ domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', data: Buffer.from('this is not sqlite at all, just text padding') }]);
  try {
    await assert.rejects(exportMessages({ reader: s.reader, out: s.out, options: { out: s.out.root } }), (e: unknown) => {
      assert.ok(e instanceof CorruptInputError);
      assert.equal(e.exitCode, 4);
      assert.match(e.message, /^HomeDomain\/Library\/SMS\/sms\.db: /);
      return true;
    });
  } finally {
    await s.cleanup();
  }
});

test('messages: an unknown schema exports what it can and names the missing columns', async () => {
  const data = buildDb((db) => {
    db.exec(`CREATE TABLE message (ROWID INTEGER PRIMARY KEY, guid TEXT, body_text TEXT, handle_id INTEGER, date INTEGER, is_from_me INTEGER);
      CREATE TABLE handle (ROWID INTEGER PRIMARY KEY, id TEXT);
      INSERT INTO handle VALUES (1, '+15550000001');
      INSERT INTO message VALUES (1, 'G1', 'ignored', 1, 700000000000000000, 0), (2, 'G2', 'x', 1, 700000100000000000, 1);`);
  });
  const s = await setup([{ domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', data }]);
  try {
    const r = await exportMessages({ reader: s.reader, out: s.out, options: { out: s.out.root, timeZone: 'UTC' } });
    assert.equal(r.count, 2);
    assert.ok(r.missingColumns!.includes('message.text'), r.missingColumns!.join());
    assert.ok(r.missingColumns!.includes('message.service'));
    assert.ok(r.missingColumns!.includes('chat'));
    assert.ok(r.warnings.some((w) => w.includes('message.text')));
    const rows = parseCsv(await readFile(join(s.out.root, 'messages', 'messages.csv'), 'utf8'));
    assert.equal(rows.length, 3);
    assert.equal(rows[1][rows[0].indexOf('date_utc')], new Date(Date.UTC(2001, 0, 1) + 700000000000).toISOString());
  } finally {
    await s.cleanup();
  }
});

test('messages: damage found while reading rows is a CorruptInputError naming sms.db', async () => {
  const data = buildDb((db) => {
    createSmsSchema(db, 'ios10');
    const b = smsBuilder(db, 'ios10');
    const h = b.handle('+15550000009');
    const c = b.chat({ identifier: '+15550000009', handles: [h] });
    for (let i = 0; i < 3000; i++) b.message({ chat: c, handle: h, text: `message ${i} `.padEnd(200, 'x'), date: at(i) });
  });
  const pageSize = data.readUInt16BE(16);
  const pages = data.length / pageSize;
  // Leave the first pages (schema, small tables) intact and scribble over the message table's leaves.
  for (let p = Math.floor(pages * 0.4); p < Math.floor(pages * 0.6); p++) data.fill(0xfe, p * pageSize, (p + 1) * pageSize);
  const s = await setup([{ domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', data }]);
  try {
    await assert.rejects(exportMessages({ reader: s.reader, out: s.out, options: { out: s.out.root } }), (e: unknown) => {
      assert.ok(e instanceof CorruptInputError, String(e));
      assert.match(e.message, /^HomeDomain\/Library\/SMS\/sms\.db: damaged database/);
      return true;
    });
    // Nothing half-written is left at a final name.
    const left = await readdir(join(s.out.root, 'messages')).catch(() => [] as string[]);
    assert.ok(!left.some((f) => f.endsWith('.csv') || f.endsWith('.json') || f.includes('.tmp')), left.join());
  } finally {
    await s.cleanup();
  }
});

test('messages: a conversation called "index" does not replace the conversation list', async () => {
  const data = buildDb((db) => {
    createSmsSchema(db, 'ios16');
    const b = smsBuilder(db, 'ios16');
    const h = b.handle('+15550000010');
    const c = b.chat({ identifier: 'chat9', handles: [h], displayName: 'index', group: true });
    b.message({ chat: c, handle: h, text: 'hi', date: at(0) });
  });
  const s = await setup([{ domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', data }]);
  try {
    await exportMessages({ reader: s.reader, out: s.out, options: { out: s.out.root } });
    const files = (await readdir(join(s.out.root, 'messages'))).sort();
    assert.deepEqual(files, ['index (2).html', 'index.html', 'messages.csv', 'messages.json']);
    assert.match(await readFile(join(s.out.root, 'messages', 'index.html'), 'utf8'), /href="index%20\(2\)\.html"/);
  } finally {
    await s.cleanup();
  }
});
