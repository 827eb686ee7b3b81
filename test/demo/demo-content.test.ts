/**
 * Issue 20 item 1: the demo backup shows the product. `export all` on the generated demo writes
 * something in every category and the report lists each with its count; its photos are real
 * images (a JPEG a browser decodes is checked in the formats test) with Exif dates.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Only the package entry, as a library user would: find the demo, open it, export.
import { DEMO_PASSWORD, ensureDemoBackup, openBackup, exportData, EXPORT_CATEGORIES } from '../../src/index.js';
import { parseCsv } from '../../src/export/csv.js';
import { exifDateTaken } from '../../src/export/exif-date.js';

test('demo: export all writes every category, and the report shows each count', async () => {
  const root = await mkdtemp(join(tmpdir(), 'irescue-demo-'));
  try {
    const dir = await ensureDemoBackup(join(root, 'cache'));
    // A second call reuses the folder (the content version matches).
    assert.equal(await ensureDemoBackup(join(root, 'cache')), dir);
    const backup = await openBackup(dir, { password: DEMO_PASSWORD });
    const out = join(root, 'out');
    try {
      const s = await exportData(backup, 'all', { out, timeZone: 'UTC' });
      assert.equal(s.complete, true, JSON.stringify(s.categories));
      for (const c of EXPORT_CATEGORIES) {
        const r = s.categories.find((x) => x.category === c)!;
        assert.equal(r.status, 'exported', `${c}: ${JSON.stringify(r)}`);
        assert.ok(r.count > 0, c);
        assert.deepEqual(r.missingColumns ?? [], [], c);
      }
      const by = Object.fromEntries(s.categories.map((r) => [r.category, r]));
      assert.equal(by.messages.count, 7);
      assert.equal(by.contacts.count, 3);
      assert.equal(by.calls.count, 4);
      assert.equal(by.notes.count, 2);
      assert.equal(by.photos.count, 3);
      assert.equal(by.whatsapp.count, 3);
      const index = await readFile(join(out, 'index.html'), 'utf8');
      for (const c of EXPORT_CATEGORIES) assert.match(index, new RegExp(`data-category="${c}" data-status="exported"><td><a href=`), c);
      // Messages: iMessage and SMS threads, the attachment copied, the reaction and the edit shown.
      const rows = parseCsv(await readFile(join(out, 'messages', 'messages.csv'), 'utf8'));
      const col = (n: string): number => rows[0].indexOf(n);
      assert.deepEqual([...new Set(rows.slice(1).map((r) => r[col('service')]))].sort(), ['SMS', 'iMessage']);
      assert.ok(rows.some((r) => r[col('kind')] === 'reaction'));
      assert.ok(rows.some((r) => r[col('edited')] === '1'));
      assert.ok(rows.some((r) => r[col('attachments')] === 'IMG_0042.JPG'));
      const mum = (await readdir(join(out, 'messages'))).find((f) => f.startsWith('Jane Doe'))!;
      const page = await readFile(join(out, 'messages', mum), 'utf8');
      assert.match(page, /<img src="attachments\//);
      assert.match(page, /loved this/);
      // Contacts: one has a photo in the vCard.
      assert.match(await readFile(join(out, 'contacts', 'contacts.vcf'), 'utf8'), /PHOTO:data:image\/jpeg;base64,/);
      // Photos: JPEG and HEIF with their Exif dates, and the Live Photo pair side by side.
      const photos = (await readdir(join(out, 'photos', '100APPLE'))).sort();
      assert.deepEqual(photos, ['IMG_0001.JPG', 'IMG_0002.HEIC', 'IMG_0003.JPG', 'IMG_0003.MOV']);
      const taken = await exifDateTaken(await readFile(join(out, 'photos', '100APPLE', 'IMG_0002.HEIC')));
      assert.ok(taken);
      const csv = parseCsv(await readFile(join(out, 'photos', 'photos.csv'), 'utf8'));
      assert.equal(csv.find((r) => r[0].endsWith('IMG_0003.JPG'))![csv[0].indexOf('live_photo_video')], '100APPLE/IMG_0003.MOV');
    } finally {
      await backup.close();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
