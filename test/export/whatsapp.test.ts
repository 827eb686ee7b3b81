import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportWhatsApp } from '../../src/export/whatsapp.js';
import { OutputDir } from '../../src/export/output.js';
import { parseCsv } from '../../src/export/csv.js';
import { APPLE_EPOCH_MS } from '../../src/export/apple-time.js';
import { FakeBackup } from './fake-backup.js';
import { buildDb } from './fixtures/db-file.js';
import { createWhatsAppSchema } from './fixtures/whatsapp-db.js';
import { solidPng } from './fixtures/png.js';

const apple = (iso: string): number => (Date.parse(iso) - APPLE_EPOCH_MS) / 1000;
const DOMAIN = 'AppDomainGroup-group.net.whatsapp.WhatsApp.shared';
const PNG = solidPng(2, 2, [0, 128, 0]);

test('whatsapp (stretch): chats to HTML, CSV and JSON with group senders, media and deleted messages', async () => {
  const data = buildDb((db) => {
    createWhatsAppSchema(db);
    db.exec(`INSERT INTO ZWACHATSESSION (Z_PK, ZCONTACTJID, ZPARTNERNAME, ZSESSIONTYPE) VALUES (1, '15551230001@s.whatsapp.net', 'Anna', 0), (2, '1234-5678@g.us', 'Hiking <club>', 1);
      INSERT INTO ZWAGROUPMEMBER (Z_PK, ZCHATSESSION, ZMEMBERJID, ZCONTACTNAME) VALUES (1, 2, '15559990000@s.whatsapp.net', 'Bob');`);
    const msg = db.prepare('INSERT INTO ZWAMESSAGE (Z_PK, ZCHATSESSION, ZISFROMME, ZMESSAGEDATE, ZTEXT, ZFROMJID, ZMESSAGETYPE, ZGROUPMEMBER, ZMEDIAITEM) VALUES (?,?,?,?,?,?,?,?,?)');
    msg.run(1, 1, 0, apple('2024-04-01T08:00:00Z'), 'hello from WhatsApp', '15551230001@s.whatsapp.net', 0, null, null);
    msg.run(2, 1, 1, apple('2024-04-01T08:01:00Z'), null, null, 1, null, 1);
    msg.run(3, 2, 0, apple('2024-04-02T09:00:00Z'), 'see you at the trail', '1234-5678@g.us', 0, 1, null);
    msg.run(4, 2, 0, apple('2024-04-02T09:05:00Z'), null, '1234-5678@g.us', 14, 1, null);
    msg.run(5, 2, 1, apple('2024-04-02T09:06:00Z'), null, null, 8, null, 2);
    db.exec(`INSERT INTO ZWAMEDIAITEM (Z_PK, ZMESSAGE, ZMEDIALOCALPATH, ZFILESIZE) VALUES (1, 2, 'Media/15551230001@s.whatsapp.net/a/b/photo.png', 10),
      (2, 5, 'Media/1234-5678@g.us/c/d/route.gpx', 10);`);
  });
  const dir = await mkdtemp(join(tmpdir(), 'irescue-wa-'));
  const reader = new FakeBackup([
    { domain: DOMAIN, relativePath: 'ChatStorage.sqlite', data },
    { domain: DOMAIN, relativePath: 'Message/Media/15551230001@s.whatsapp.net/a/b/photo.png', data: PNG },
  ]);
  try {
    const r = await exportWhatsApp({ reader, out: await OutputDir.open(dir), options: { out: dir, timeZone: 'UTC' } });
    assert.equal(r.status, 'exported');
    assert.equal(r.count, 5);
    assert.deepEqual(r.missingColumns ?? [], []);
    assert.ok(r.warnings.some((w) => w.includes('route.gpx')), 'missing media reported');
    const rows = parseCsv(await readFile(join(dir, 'whatsapp', 'whatsapp.csv'), 'utf8'));
    const h = rows[0];
    assert.equal(rows.length, 6);
    assert.equal(rows[1][h.indexOf('text')], 'hello from WhatsApp');
    assert.equal(rows[1][h.indexOf('sender')], 'Anna');
    assert.equal(rows[1][h.indexOf('date_utc')], '2024-04-01T08:00:00.000Z');
    assert.equal(rows[2][h.indexOf('media')], 'photo.png');
    assert.equal(rows[3][h.indexOf('sender')], 'Bob');
    assert.equal(rows[3][h.indexOf('sender_jid')], '15559990000@s.whatsapp.net');
    assert.equal(rows[4][h.indexOf('type')], 'deleted');
    const json = JSON.parse(await readFile(join(dir, 'whatsapp', 'whatsapp.json'), 'utf8'));
    assert.equal(json.length, 5);
    const files = (await readdir(join(dir, 'whatsapp'))).sort();
    assert.deepEqual(files, ['Anna.html', 'Hiking _club_.html', 'index.html', 'media', 'whatsapp.csv', 'whatsapp.json']);
    const anna = await readFile(join(dir, 'whatsapp', 'Anna.html'), 'utf8');
    assert.match(anna, /<img src="media\/Anna\/photo\.png"/);
    assert.deepEqual(await readFile(join(dir, 'whatsapp', 'media', 'Anna', 'photo.png')), PNG);
    const group = await readFile(join(dir, 'whatsapp', 'Hiking _club_.html'), 'utf8');
    assert.match(group, /<h1>Hiking &lt;club&gt;<\/h1>/);
    assert.match(group, /This message was deleted/);
    assert.match(group, /Media not in this backup: route\.gpx/);
  } finally {
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('whatsapp: no ChatStorage.sqlite says so', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-wa-'));
  try {
    const r = await exportWhatsApp({ reader: new FakeBackup([]), out: await OutputDir.open(dir), options: { out: dir } });
    assert.equal(r.status, 'missing');
    assert.equal(r.message, 'no WhatsApp messages in this backup');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
