import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportPhotos } from '../../src/export/photos.js';
import { exifDateTaken } from '../../src/export/exif-date.js';
import { OutputDir } from '../../src/export/output.js';
import { FakeBackup, type FakeFile } from './fake-backup.js';
import { heicLikeWithDate, jpegWithDate } from './fixtures/jpeg-exif.js';

const CR = 'CameraRollDomain';
const M1 = new Date('2022-02-03T04:05:06Z');
const M2 = new Date('2021-01-01T00:00:00Z');

function files(): FakeFile[] {
  return [
    { domain: CR, relativePath: 'Media/DCIM/100APPLE/IMG_0001.JPG', data: jpegWithDate('2019:07:04 15:30:00'), mtime: M1 },
    { domain: CR, relativePath: 'Media/DCIM/100APPLE/IMG_0002.HEIC', data: heicLikeWithDate('2020:12:31 23:59:58'), mtime: M1 },
    { domain: CR, relativePath: 'Media/DCIM/100APPLE/IMG_0002.MOV', data: Buffer.from('live video'), mtime: M1 },
    { domain: CR, relativePath: 'Media/DCIM/101APPLE/IMG_0001.JPG', data: Buffer.from([0xff, 0xd8, 0xff, 0xd9]), mtime: M2 },
    { domain: CR, relativePath: 'Media/DCIM/101APPLE/IMG_0003.MP4', data: Buffer.from('plain video'), mtime: M2 },
    { domain: CR, relativePath: 'Media/DCIM/101APPLE/..\\..\\evil:name?.png', data: Buffer.from('png'), mtime: M2 },
    { domain: CR, relativePath: 'Media/PhotoData/Thumbnails/V2/DCIM/100APPLE/IMG_0001.JPG/5005.JPG', data: Buffer.from('thumb'), mtime: M2 },
    { domain: CR, relativePath: 'Media/PhotoData/Photos.sqlite', data: Buffer.from('db'), mtime: M2 },
  ];
}

async function withExport(byDate: boolean, fn: (root: string, r: Awaited<ReturnType<typeof exportPhotos>>) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-photos-'));
  const reader = new FakeBackup(files());
  try {
    const out = await OutputDir.open(dir);
    const r = await exportPhotos({ reader, out, options: { out: dir, byDate } });
    await fn(join(dir, 'photos'), r);
  } finally {
    await reader.close();
    await rm(dir, { recursive: true, force: true });
  }
}

test('EXIF DateTimeOriginal from JPEG and from a HEIC Exif item', async () => {
  const j = await exifDateTaken(jpegWithDate('2019:07:04 15:30:00'));
  assert.ok(j);
  assert.deepEqual([j.getFullYear(), j.getMonth() + 1, j.getDate(), j.getHours(), j.getMinutes()], [2019, 7, 4, 15, 30]);
  const h = await exifDateTaken(heicLikeWithDate('2020:12:31 23:59:58'));
  assert.ok(h);
  assert.deepEqual([h.getFullYear(), h.getMonth() + 1, h.getDate()], [2020, 12, 31]);
  assert.equal(await exifDateTaken(Buffer.from('no exif here')), undefined);
});

test('photos: originals by camera-roll folder, manifest mtimes, HEIC byte for byte, Live Photo MOV beside its still', async () => {
  await withExport(false, async (root, r) => {
    assert.equal(r.status, 'exported');
    assert.equal(r.count, 5); // 2 JPEG, 1 HEIC (+ its MOV), 1 MP4, 1 PNG; thumbnails and Photos.sqlite left out
    assert.deepEqual((await readdir(join(root, '100APPLE'))).sort(), ['IMG_0001.JPG', 'IMG_0002.HEIC', 'IMG_0002.MOV']);
    assert.deepEqual((await readdir(join(root, '101APPLE'))).sort(), ['.._.._evil_name_.png', 'IMG_0001.JPG', 'IMG_0003.MP4'].map((n) => n.replace(/^\.\._/, '_')).sort());
    assert.deepEqual(await readFile(join(root, '100APPLE', 'IMG_0002.HEIC')), heicLikeWithDate('2020:12:31 23:59:58'));
    assert.equal((await stat(join(root, '100APPLE', 'IMG_0001.JPG'))).mtime.getTime(), M1.getTime());
    assert.equal((await stat(join(root, '101APPLE', 'IMG_0003.MP4'))).mtime.getTime(), M2.getTime());
    const csv = await readFile(join(root, 'photos.csv'), 'utf8');
    assert.match(csv, /100APPLE\/IMG_0002\.HEIC,CameraRollDomain\/Media\/DCIM\/100APPLE\/IMG_0002\.HEIC,2020-12-31 23:59:58,[^,]+,100APPLE\/IMG_0002\.MOV,/);
    assert.match(await readFile(join(root, 'index.html'), 'utf8'), /Live Photo video/);
  });
});

test('photos --by-date: YYYY/YYYY-MM-DD folders from EXIF (else the manifest date), names de-duplicated', async () => {
  await withExport(true, async (root) => {
    assert.deepEqual((await readdir(join(root, '2019', '2019-07-04'))), ['IMG_0001.JPG']);
    assert.deepEqual((await readdir(join(root, '2020', '2020-12-31'))).sort(), ['IMG_0002.HEIC', 'IMG_0002.MOV']);
    const m2 = `${M2.getFullYear()}-${String(M2.getMonth() + 1).padStart(2, '0')}-${String(M2.getDate()).padStart(2, '0')}`;
    const undatedJpeg = await readdir(join(root, String(M2.getFullYear()), m2));
    assert.ok(undatedJpeg.includes('IMG_0001.JPG') && undatedJpeg.includes('IMG_0003.MP4'), undatedJpeg.join());
  });
});

test('photos: none in the backup is a message', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'irescue-photos-'));
  try {
    const r = await exportPhotos({ reader: new FakeBackup([]), out: await OutputDir.open(dir), options: { out: dir } });
    assert.equal(r.status, 'missing');
    assert.equal(r.message, 'no photos in this backup');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
