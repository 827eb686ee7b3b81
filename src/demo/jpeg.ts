/**
 * A small, real baseline JPEG for the demo's photos, encoded here so nothing binary is shipped:
 * each 8x8 block is one flat colour (only the DC coefficient is coded), which any viewer decodes
 * and which keeps the encoder tiny (no DCT of detail, two fixed Huffman tables). The picture is
 * whatever `paint(x, y)` returns, seen as a mosaic; an Exif APP1 carries the capture date.
 */
import { tiffWithDate } from './jpeg-exif.js';

type Rgb = [number, number, number];

const QUANT = 8;
/** DC table: the 12 size categories, each with a 4-bit code (0000, 0001, …: canonical order). */
const DC_BITS = [0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
/** AC table: only end-of-block (0x00), code "0". */
const AC_BITS = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

function segment(marker: number, body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

class BitWriter {
  private bytes: number[] = [];
  private acc = 0;
  private n = 0;
  put(value: number, bits: number): void {
    for (let i = bits - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      if (++this.n === 8) this.flushByte();
    }
  }
  private flushByte(): void {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0); // byte stuffing
    this.acc = 0;
    this.n = 0;
  }
  finish(): Buffer {
    while (this.n !== 0) this.put(1, 1); // pad with ones
    return Buffer.from(this.bytes);
  }
}

const clamp = (v: number): number => Math.max(0, Math.min(255, v));

/** A JPEG of width x height pixels (multiples of 8), painted by `paint`, taken at `exifDate` ("YYYY:MM:DD hh:mm:ss"). */
export function mosaicJpeg(width: number, height: number, paint: (x: number, y: number) => Rgb, exifDate: string): Buffer {
  const bw = Math.ceil(width / 8);
  const bh = Math.ceil(height / 8);
  const bits = new BitWriter();
  const prev = [0, 0, 0];
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      const [r, g, b] = paint(bx * 8 + 4, by * 8 + 4);
      const ycc = [
        0.299 * r + 0.587 * g + 0.114 * b,
        128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
        128 + 0.5 * r - 0.418688 * g - 0.081312 * b,
      ].map(clamp);
      for (let c = 0; c < 3; c++) {
        // A flat block's DC coefficient is 8 x (value - 128); quantized by 8 that is value - 128.
        const dc = Math.round((ycc[c] - 128) * 8 / QUANT);
        const diff = dc - prev[c];
        prev[c] = dc;
        const size = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
        bits.put(size, 4);
        if (size) bits.put(diff > 0 ? diff : diff + (1 << size) - 1, size);
        bits.put(0, 1); // end of block
      }
    }
  }
  const exif = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiffWithDate(exifDate)]);
  const dqt = Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, QUANT)]);
  const sof = Buffer.alloc(15);
  sof[0] = 8;
  sof.writeUInt16BE(height, 1);
  sof.writeUInt16BE(width, 3);
  sof[5] = 3;
  for (let c = 0; c < 3; c++) sof.set([c + 1, 0x11, 0], 6 + c * 3);
  const dht = Buffer.concat([
    Buffer.from([0x00]), Buffer.from(DC_BITS), Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
    Buffer.from([0x10]), Buffer.from(AC_BITS), Buffer.from([0x00]),
  ]);
  const sos = Buffer.from([3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe1, exif),
    segment(0xdb, dqt),
    segment(0xc0, sof),
    segment(0xc4, dht),
    segment(0xda, sos),
    bits.finish(),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** A sky-to-sea picture with a sun, the demo's stock image; `hue` shifts it so photos differ. */
export function demoPicture(hue: number): (x: number, y: number) => Rgb {
  return (x, y) => {
    const sun = Math.hypot(x - 100, y - 36) < 18;
    if (sun) return [255, 210 - hue, 60];
    if (y < 70) return [90 + hue, 150 + y, 235 - hue];
    return [20, 90 + hue / 2, 140 + (y - 70)];
  };
}
