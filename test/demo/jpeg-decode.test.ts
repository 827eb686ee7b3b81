/** The demo's generated JPEG is a real image: Chromium decodes it to the painted colours. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumMissing, launchBrowser } from '../ui/browser.js';
import { demoPicture, mosaicJpeg } from '../../src/demo/jpeg.js';
import { exifDateTaken } from '../../src/export/exif-date.js';

test('mosaicJpeg: decodes in Chromium at its size, with the painted colours, and carries its Exif date', { skip: chromiumMissing() }, async () => {
  const paint = demoPicture(20);
  const jpeg = mosaicJpeg(160, 120, paint, '2025:07:14 18:05:00');
  const taken = await exifDateTaken(jpeg);
  assert.equal(taken?.getFullYear(), 2025);
  const ctx = await launchBrowser();
  try {
    const page = await ctx.newPage();
    const src = 'data:image/jpeg;base64,' + jpeg.toString('base64');
    // A string, not a function: tsx's helpers do not exist in the page.
    const got = (await page.evaluate(`(async () => {
      const img = new Image();
      img.src = ${JSON.stringify(src)};
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      const px = function (x, y) { return Array.from(g.getImageData(x, y, 1, 1).data.slice(0, 3)); };
      return { w: img.width, h: img.height, sun: px(100, 36), sky: px(12, 12), sea: px(12, 108) };
    })()`)) as { w: number; h: number; sun: number[]; sky: number[]; sea: number[] };
    assert.equal(got.w, 160);
    assert.equal(got.h, 120);
    const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) <= 6);
    assert.ok(near(got.sun, paint(100, 36)), `sun ${got.sun}`);
    assert.ok(near(got.sky, paint(12, 12)), `sky ${got.sky}`);
    assert.ok(near(got.sea, paint(12, 108)), `sea ${got.sea}`);
  } finally {
    await ctx.close();
  }
});
