/**
 * Binary plist (bplist00) decoder. Written here because bplist-parser took ~90 µs per MBFile
 * record (measured): 30 s just to index a 300,000-file backup. This one is a single pass over the
 * offset table with every offset and length bounds-checked; a differential test keeps it equal to
 * bplist-parser on every value type. Throws RangeError on damage; plist.ts turns that into
 * CorruptInputError.
 */
import { PlistUid, type PlistValue } from './value.js';

const APPLE_EPOCH_MS = Date.UTC(2001, 0, 1);
/** Deepest nesting of arrays and dictionaries we follow (real backup plists nest under 10). */
const BPLIST_MAX_DEPTH = 256;
/** Most objects a file may declare in its trailer. */
export const BPLIST_MAX_OBJECTS = 1_000_000;
/**
 * Most values decoded from one file, counting a shared object each time it is reached: a few bytes
 * whose arrays share children expand to 2^60 values otherwise (a "DAG bomb"). A million is far
 * above any real Info.plist, Manifest.plist or file record.
 */
export const BPLIST_MAX_NODES = 1_000_000;
/** Most bytes of strings and data decoded from one file, shared objects counted each time. */
const BPLIST_MAX_DECODED_BYTES = 256 << 20;

export function decodeBplist(buf: Buffer): PlistValue {
  if (buf.length < 8 + 32) throw new RangeError('too short for a binary plist');
  const t = buf.length - 32;
  const offsetSize = buf[t + 6];
  const refSize = buf[t + 7];
  const numObjects = readSize(buf, t + 8);
  const top = readSize(buf, t + 16);
  const tableOffset = readSize(buf, t + 24);
  if (offsetSize < 1 || offsetSize > 8 || refSize < 1 || refSize > 8) throw new RangeError('bad trailer sizes');
  if (numObjects > BPLIST_MAX_OBJECTS) throw new RangeError(`declares ${numObjects} objects, more than the ${BPLIST_MAX_OBJECTS} we read`);
  if (numObjects < 1 || top >= numObjects || tableOffset < 8 || tableOffset + numObjects * offsetSize > t) throw new RangeError('bad trailer offsets');

  const uint = (off: number, size: number): number => {
    if (off + size > buf.length) throw new RangeError('read past the end');
    let v = 0;
    for (let i = 0; i < size; i++) v = v * 256 + buf[off + i];
    return v;
  };
  const offsetOf = (ref: number): number => {
    if (ref >= numObjects) throw new RangeError(`object reference ${ref} out of range`);
    const o = uint(tableOffset + ref * offsetSize, offsetSize);
    if (o < 8 || o >= tableOffset) throw new RangeError('object offset out of range');
    return o;
  };
  const active = new Set<number>();
  let nodes = 0;
  let bytes = 0;
  const spend = (n: number) => {
    bytes += n;
    if (bytes > BPLIST_MAX_DECODED_BYTES) throw new RangeError(`expands past ${BPLIST_MAX_DECODED_BYTES} bytes of strings and data (shared objects repeated)`);
  };

  const countAt = (off: number, low: number): [number, number] => {
    if (low !== 0xf) return [low, off + 1];
    const m = buf[off + 1];
    if (m === undefined || m >> 4 !== 0x1) throw new RangeError('bad length marker');
    const size = 1 << (m & 0xf);
    if (size > 8) throw new RangeError('length too large');
    return [uint(off + 2, size), off + 2 + size];
  };

  const parse = (ref: number, depth: number): PlistValue => {
    if (depth > BPLIST_MAX_DEPTH) throw new RangeError('nesting too deep');
    if (++nodes > BPLIST_MAX_NODES) throw new RangeError(`expands to more than ${BPLIST_MAX_NODES} values (shared objects repeated)`);
    const off = offsetOf(ref);
    const marker = buf[off];
    const type = marker >> 4;
    const low = marker & 0xf;
    switch (type) {
      case 0x0:
        if (marker === 0x08) return false;
        if (marker === 0x09) return true;
        return null as unknown as PlistValue;
      case 0x1: {
        const size = 1 << low;
        if (off + 1 + size > buf.length) throw new RangeError('integer past the end');
        if (size <= 4) return uint(off + 1, size);
        if (size === 8) {
          const v = buf.readBigInt64BE(off + 1);
          return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
        }
        if (size === 16) {
          // 128-bit: used for unsigned 64-bit values; keep the low 64 bits.
          const v = buf.readBigUInt64BE(off + 9);
          return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
        }
        throw new RangeError('bad integer size');
      }
      case 0x2: {
        if (low === 2) return buf.readFloatBE(off + 1);
        if (low === 3) return buf.readDoubleBE(off + 1);
        throw new RangeError('bad real size');
      }
      case 0x3:
        if (marker !== 0x33) throw new RangeError('bad date marker');
        return new Date(APPLE_EPOCH_MS + buf.readDoubleBE(off + 1) * 1000);
      case 0x4: {
        const [n, start] = countAt(off, low);
        if (start + n > tableOffset) throw new RangeError('data past the end');
        spend(n);
        return Buffer.from(buf.subarray(start, start + n));
      }
      case 0x5: {
        const [n, start] = countAt(off, low);
        if (start + n > tableOffset) throw new RangeError('string past the end');
        spend(n);
        return buf.toString('latin1', start, start + n);
      }
      case 0x6: {
        const [n, start] = countAt(off, low);
        if (start + 2 * n > tableOffset) throw new RangeError('string past the end');
        spend(2 * n);
        const b = Buffer.from(buf.subarray(start, start + 2 * n));
        b.swap16();
        return b.toString('utf16le');
      }
      case 0x8:
        return new PlistUid(uint(off + 1, low + 1));
      case 0xa:
      case 0xc:
      case 0xd: {
        if (active.has(ref)) throw new RangeError('reference cycle');
        const [n, start] = countAt(off, low);
        const refs = type === 0xd ? 2 * n : n;
        if (start + refs * refSize > tableOffset) throw new RangeError('collection past the end');
        active.add(ref);
        try {
          if (type !== 0xd) {
            const arr: PlistValue[] = new Array(n);
            for (let i = 0; i < n; i++) arr[i] = parse(uint(start + i * refSize, refSize), depth + 1);
            return arr;
          }
          const dict: { [k: string]: PlistValue } = {};
          for (let i = 0; i < n; i++) {
            const k = parse(uint(start + i * refSize, refSize), depth + 1);
            if (typeof k !== 'string') throw new RangeError('dictionary key is not a string');
            const v = parse(uint(start + (n + i) * refSize, refSize), depth + 1);
            // A key named __proto__ must stay data, not become the object's prototype.
            if (k === '__proto__') Object.defineProperty(dict, k, { value: v, enumerable: true, writable: true, configurable: true });
            else dict[k] = v;
          }
          return dict;
        } finally {
          active.delete(ref);
        }
      }
      default:
        throw new RangeError(`unknown object type 0x${marker.toString(16)}`);
    }
  };
  return parse(top, 0);
}

function readSize(buf: Buffer, off: number): number {
  const v = buf.readBigUInt64BE(off);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('trailer value too large');
  return Number(v);
}
