/**
 * A small HEIF file (ISO/IEC 23008-12) for the demo's camera roll, built box by box: a primary
 * image item coded as JPEG (the format allows it; an HEVC encoder is far beyond a demo) and an
 * Exif item linked to it (cdsc), as the iPhone links its own. Readers find the capture date the
 * way they do on a phone's HEIC: through iinf/iloc to the Exif item.
 */
import { tiffWithDate } from './jpeg-exif.js';

function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length + 8, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

function fullBox(type: string, version: number, flags: number, ...payload: Buffer[]): Buffer {
  const vf = Buffer.alloc(4);
  vf.writeUInt32BE(((version & 0xff) << 24) | (flags & 0xffffff), 0);
  return box(type, vf, ...payload);
}

const u16 = (n: number): Buffer => { const b = Buffer.alloc(2); b.writeUInt16BE(n); return b; };
const u32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');

function meta(width: number, height: number, jpeg: { offset: number; length: number }, exif: { offset: number; length: number }): Buffer {
  const infe = (id: number, type: string): Buffer => fullBox('infe', 2, 0, u16(id), u16(0), ascii(type), Buffer.from([0]));
  const iloc = fullBox('iloc', 0, 0, Buffer.from([0x44, 0x00]), u16(2),
    u16(1), u16(0), u16(1), u32(jpeg.offset), u32(jpeg.length),
    u16(2), u16(0), u16(1), u32(exif.offset), u32(exif.length));
  return fullBox('meta', 0, 0,
    fullBox('hdlr', 0, 0, u32(0), ascii('pict'), Buffer.alloc(12), Buffer.from([0])),
    fullBox('pitm', 0, 0, u16(1)),
    fullBox('iinf', 0, 0, u16(2), infe(1, 'jpeg'), infe(2, 'Exif')),
    fullBox('iref', 0, 0, box('cdsc', u16(2), u16(1), u16(1))),
    box('iprp', box('ipco', fullBox('ispe', 0, 0, u32(width), u32(height))), fullBox('ipma', 0, 0, u32(1), u16(1), Buffer.from([1, 0x01]))),
    iloc);
}

/** HEIF bytes holding `jpeg` (width x height) as its primary image, with an Exif DateTimeOriginal. */
export function heifWithJpeg(jpeg: Buffer, width: number, height: number, exifDate: string): Buffer {
  const exifPayload = Buffer.concat([u32(6), ascii('Exif\0\0'), tiffWithDate(exifDate)]);
  const ftyp = box('ftyp', ascii('mif1'), u32(0), ascii('mif1'), ascii('heic'), ascii('miaf'));
  // meta's size does not depend on the offsets it holds: measure it with zeros, then fill them in.
  const metaSize = meta(width, height, { offset: 0, length: 0 }, { offset: 0, length: 0 }).length;
  const dataStart = ftyp.length + metaSize + 8;
  const m = meta(width, height, { offset: dataStart, length: jpeg.length }, { offset: dataStart + jpeg.length, length: exifPayload.length });
  return Buffer.concat([ftyp, m, box('mdat', jpeg, exifPayload)]);
}
