/**
 * Reads the plain text out of message.attributedBody: an NSAttributedString archived with
 * NSArchiver's "typedstream" format (iOS 16+ leaves message.text NULL and keeps only this).
 *
 * The stream starts with a version byte (4), the signature "streamtyped" and the system version;
 * the first object is the NSAttributedString, whose first instance data is its NSString, written
 * as the type string "+" followed by a length-prefixed UTF-8 byte run. Integers use typedstream's
 * tags: a byte below 0x80 is itself, 0x81 announces a 16-bit and 0x82 a 32-bit little-endian value.
 * Attributes (fonts, links, attachment markers) come after the string; we do not need them.
 */
const SIGNATURE = Buffer.from('streamtyped', 'latin1');
/**
 * A message body larger than this is not read (its text column, if any, still is). Real ones are
 * a few hundred bytes to a few KB; the parser below scans linearly and never recurses, so this
 * bounds its time as well as its memory.
 */
const TYPEDSTREAM_MAX_BYTES = 4 * 1024 * 1024;
/** How far past the class name the string's instance data may start. */
const INSTANCE_SEARCH_BYTES = 64;
const TAG_INT16 = 0x81;
const TAG_INT32 = 0x82;
const TAG_NEW = 0x84;
const STRING_CLASSES = ['NSString', 'NSMutableString'].map((s) => Buffer.from(s, 'latin1'));

interface Cursor {
  buf: Buffer;
  pos: number;
}

function readInt(c: Cursor): number | undefined {
  if (c.pos >= c.buf.length) return undefined;
  const b = c.buf[c.pos++];
  if (b === TAG_INT16) {
    if (c.pos + 2 > c.buf.length) return undefined;
    const v = c.buf.readInt16LE(c.pos);
    c.pos += 2;
    return v;
  }
  if (b === TAG_INT32) {
    if (c.pos + 4 > c.buf.length) return undefined;
    const v = c.buf.readInt32LE(c.pos);
    c.pos += 4;
    return v;
  }
  return b < 0x80 ? b : undefined;
}

/** True when the bytes look like a typedstream archive. */
export function isTypedStream(buf: Uint8Array): boolean {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  return b.length > 12 && (b[0] === 4 || b[0] === 3) && b[1] === SIGNATURE.length && b.subarray(2, 13).equals(SIGNATURE);
}

/** Finds a class name written as a new shared string: its length byte then its bytes. */
function findClassName(b: Buffer, from: number): number {
  let best = -1;
  for (const name of STRING_CLASSES) {
    let i = b.indexOf(name, from);
    while (i > 0 && b[i - 1] !== name.length) i = b.indexOf(name, i + 1);
    if (i > 0 && (best < 0 || i < best)) best = i + name.length;
  }
  return best;
}

/** The attributed string's text, or undefined when the blob is not a typedstream we can read. */
export function textFromAttributedBody(blob: Uint8Array | null | undefined): string | undefined {
  if (!blob || blob.byteLength > TYPEDSTREAM_MAX_BYTES || !isTypedStream(blob)) return undefined;
  const b = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const c: Cursor = { buf: b, pos: 13 };
  if (readInt(c) === undefined) return undefined; // system version (1000 on iOS/macOS)
  const afterClass = findClassName(b, c.pos);
  if (afterClass < 0) return undefined;
  // After the class name come its version and the superclass chain, then the instance data, which
  // opens with the type string "+" (new shared string: 0x84, length 1, '+').
  for (let i = afterClass; i < Math.min(b.length - 3, afterClass + INSTANCE_SEARCH_BYTES); i++) {
    if (b[i] === TAG_NEW && b[i + 1] === 1 && b[i + 2] === 0x2b) {
      c.pos = i + 3;
      const len = readInt(c);
      if (len === undefined || len < 0 || c.pos + len > b.length) return undefined;
      return b.toString('utf8', c.pos, c.pos + len);
    }
  }
  return undefined;
}
