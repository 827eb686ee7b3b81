/**
 * The browse API: category counts from the manifest, a category's files, and the bounded preview
 * route (a JPEG's own EXIF thumbnail when it has one, else the picture; "no preview" for the rest).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { demoPicture, mosaicJpeg } from '../../src/demo/jpeg.js';
import { startUiServer, type UiServer } from '../../src/ui/server.js';
import { FIXTURE_PASSWORD, makeEncryptedBackup, scratchDir, standardFiles } from '../fixtures/backups.js';
import { api, keyed, login } from './http-client.js';

/** A JPEG whose APP1 Exif block carries `thumb` as its IFD1 thumbnail, as cameras write them. */
function jpegWithThumbnail(main: Buffer, thumb: Buffer): Buffer {
  const ifd1At = 8 + 2 + 4;
  const thumbAt = ifd1At + 2 + 2 * 12 + 4;
  const tiff = Buffer.alloc(thumbAt);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(0, 8); // IFD0: no entries, then the offset of IFD1
  tiff.writeUInt32LE(ifd1At, 10);
  tiff.writeUInt16LE(2, ifd1At);
  const entry = (i: number, tag: number, value: number) => {
    const o = ifd1At + 2 + i * 12;
    tiff.writeUInt16LE(tag, o);
    tiff.writeUInt16LE(4, o + 2); // LONG
    tiff.writeUInt32LE(1, o + 4);
    tiff.writeUInt32LE(value, o + 8);
  };
  entry(0, 0x0201, thumbAt); // JPEGInterchangeFormat
  entry(1, 0x0202, thumb.length); // JPEGInterchangeFormatLength
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff, thumb]);
  const app1 = Buffer.alloc(4);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([main.subarray(0, 2), app1, payload, main.subarray(2)]);
}

const THUMB = mosaicJpeg(8, 8, demoPicture(10), '2025:01:01 10:00:00');
const PLAIN = mosaicJpeg(32, 32, demoPicture(90), '2025:01:02 10:00:00');
const WITH_THUMB = jpegWithThumbnail(mosaicJpeg(64, 64, demoPicture(200), '2025:01:01 10:00:00'), THUMB);
const DCIM = 'Media/DCIM/100APPLE/';

let server: UiServer;
let key = '';
let sid = '';

before(async () => {
  const files = [
    ...standardFiles(),
    { domain: 'CameraRollDomain', relativePath: DCIM + 'IMG_0100.JPG', content: WITH_THUMB },
    { domain: 'CameraRollDomain', relativePath: DCIM + 'IMG_0101.JPG', content: PLAIN },
    { domain: 'CameraRollDomain', relativePath: DCIM + 'IMG_0102.HEIC', content: Buffer.from('not a real heic') },
    { domain: 'CameraRollDomain', relativePath: DCIM + 'IMG_0103.JPG', content: { size: 33 * 1024 * 1024 } },
  ];
  const b = await makeEncryptedBackup({ files });
  server = await startUiServer({ roots: [dirname(b.dir)], includeDefaultRoots: false, demoRoot: join(scratchDir(), 'demo') });
  key = await login(server.port, server.token);
  const list = JSON.parse((await api(server.port, key, 'GET', '/api/backups')).body);
  const unlocked = JSON.parse((await api(server.port, key, 'POST', `/api/backups/${list.backups[0].id}/unlock`, { password: FIXTURE_PASSWORD })).body);
  sid = unlocked.session.id;
});

after(async () => {
  await server?.close();
});

const preview = (path: string) => fetch(`${server.origin}api/sessions/${sid}/preview?${new URLSearchParams({ domain: 'CameraRollDomain', path })}`, { headers: keyed(key) });

test('categories: every file counted once, in people\'s words', async () => {
  const r = JSON.parse((await api(server.port, key, 'GET', `/api/sessions/${sid}/categories`)).body) as { categories: Array<{ id: string; label: string; files: number }> };
  assert.deepEqual(r.categories.map((c) => c.label), ['Photos', 'Messages', 'Notes', 'Contacts', 'Calls', 'Apps', 'Other files']);
  const photos = r.categories.find((c) => c.id === 'photos')!;
  assert.equal(photos.files, 5, 'the fixture IMG_0001.JPG plus the four added');
  const files = JSON.parse((await api(server.port, key, 'GET', `/api/sessions/${sid}/files?limit=500`)).body) as { files: Array<{ kind: string }> };
  assert.equal(r.categories.reduce((n, c) => n + c.files, 0), files.files.filter((f) => f.kind === 'file').length);
  const bad = await api(server.port, key, 'GET', `/api/sessions/${sid}/files?category=domains`);
  assert.equal(bad.status, 400);
});

test('preview: the EXIF thumbnail when the JPEG has one, else the picture itself, never anything for other files', async () => {
  const thumb = await preview(DCIM + 'IMG_0100.JPG');
  assert.equal(thumb.status, 200);
  assert.equal(thumb.headers.get('content-type'), 'image/jpeg');
  assert.equal(thumb.headers.get('cache-control'), 'no-store');
  assert.deepEqual(Buffer.from(await thumb.arrayBuffer()), THUMB, 'the small embedded thumbnail, not the photo');
  const plain = await preview(DCIM + 'IMG_0101.JPG');
  assert.deepEqual(Buffer.from(await plain.arrayBuffer()), PLAIN, 'no thumbnail: the picture, for the browser to scale');
  for (const path of [DCIM + 'IMG_0102.HEIC', DCIM + 'IMG_0103.JPG', DCIM + 'nope.JPG']) {
    const r = await preview(path);
    assert.equal(r.status, 404, path);
    await r.arrayBuffer();
  }
  const listed = JSON.parse((await api(server.port, key, 'GET', `/api/sessions/${sid}/files?category=photos`)).body) as { files: Array<{ relativePath: string; preview: string }> };
  assert.deepEqual(Object.fromEntries(listed.files.map((f) => [f.relativePath.slice(DCIM.length), f.preview])), { 'IMG_0001.JPG': 'image', 'IMG_0100.JPG': 'image', 'IMG_0101.JPG': 'image', 'IMG_0102.HEIC': 'heic', 'IMG_0103.JPG': 'none' });
});

test('preview needs the page key', async () => {
  const r = await fetch(`${server.origin}api/sessions/${sid}/preview?${new URLSearchParams({ domain: 'CameraRollDomain', path: DCIM + 'IMG_0101.JPG' })}`);
  assert.equal(r.status, 403);
  await r.arrayBuffer();
});
