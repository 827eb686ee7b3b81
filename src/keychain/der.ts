/**
 * Apple's DER property lists (`der_plist`), the plaintext of a keychain item: a dictionary is a
 * SET (0x31) of SEQUENCEs {UTF8String key, value}; values are UTF8String, OCTET STRING, INTEGER,
 * BOOLEAN, NULL, SEQUENCE (array), SET (dictionary) or GeneralizedTime. Strict and bounded: definite
 * lengths only, no trailing bytes, a depth and a node limit, every length checked against what is
 * left. Pure. The encoder (fixtures, demo) sorts encoded pairs bytewise as Apple's writer does.
 */
import { CorruptInputError } from '../errors.js';

export type DerValue = string | Buffer | bigint | boolean | null | Date | DerValue[] | DerDict;
export interface DerDict {
  [key: string]: DerValue;
}

/** Limits: a keychain item is a handful of attributes; deeper or larger input is not one. */
export const DER_MAX_DEPTH = 16;
const DER_MAX_NODES = 10_000;

const TAG = { BOOLEAN: 0x01, INTEGER: 0x02, OCTETS: 0x04, NULL: 0x05, UTF8: 0x0c, SEQUENCE: 0x30, SET: 0x31, GENTIME: 0x18 } as const;

class Reader {
  nodes = 0;
  constructor(readonly buf: Buffer, readonly name: string) {}
  fail(off: number, what: string): never {
    throw new CorruptInputError(this.name, `DER ${what} at byte ${off}`);
  }
  header(off: number, end: number): { tag: number; start: number; end: number } {
    if (off + 2 > end) this.fail(off, 'truncated header');
    const tag = this.buf[off]!;
    let len = this.buf[off + 1]!;
    let p = off + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0) this.fail(off, 'indefinite length is not allowed');
      if (n > 4) this.fail(off, `length of ${n} bytes is too large`);
      if (p + n > end) this.fail(off, 'truncated length');
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + this.buf[p + i]!;
      p += n;
    }
    if (len > end - p) this.fail(off, `length ${len} runs past the end (${end - p} bytes left)`);
    return { tag, start: p, end: p + len };
  }
  value(off: number, end: number, depth: number): { v: DerValue; next: number } {
    if (++this.nodes > DER_MAX_NODES) this.fail(off, `has more than ${DER_MAX_NODES} values`);
    if (depth > DER_MAX_DEPTH) this.fail(off, `nesting deeper than ${DER_MAX_DEPTH}`);
    const h = this.header(off, end);
    const body = this.buf.subarray(h.start, h.end);
    switch (h.tag) {
      case TAG.UTF8:
        return { v: body.toString('utf8'), next: h.end };
      case TAG.OCTETS:
        return { v: Buffer.from(body), next: h.end };
      case TAG.INTEGER: {
        if (body.length === 0) this.fail(off, 'empty INTEGER');
        if (body.length > 16) this.fail(off, 'INTEGER wider than 128 bits');
        let v = BigInt('0x' + body.toString('hex'));
        if (body[0]! & 0x80) v -= 1n << BigInt(body.length * 8);
        return { v, next: h.end };
      }
      case TAG.BOOLEAN:
        if (body.length !== 1) this.fail(off, 'BOOLEAN of wrong length');
        return { v: body[0] !== 0, next: h.end };
      case TAG.NULL:
        if (body.length !== 0) this.fail(off, 'NULL with content');
        return { v: null, next: h.end };
      case TAG.GENTIME:
        return { v: parseGeneralizedTime(body.toString('latin1'), () => this.fail(off, 'bad GeneralizedTime')), next: h.end };
      case TAG.SEQUENCE: {
        const arr: DerValue[] = [];
        for (let p = h.start; p < h.end; ) {
          const r = this.value(p, h.end, depth + 1);
          arr.push(r.v);
          p = r.next;
        }
        return { v: arr, next: h.end };
      }
      case TAG.SET: {
        const dict: DerDict = {};
        for (let p = h.start; p < h.end; ) {
          const pair = this.header(p, h.end);
          if (pair.tag !== TAG.SEQUENCE) this.fail(p, `dictionary entry has tag 0x${pair.tag.toString(16)}, expected a SEQUENCE`);
          if (++this.nodes > DER_MAX_NODES) this.fail(p, `has more than ${DER_MAX_NODES} values`);
          const k = this.value(pair.start, pair.end, depth + 1);
          if (typeof k.v !== 'string') this.fail(pair.start, 'dictionary key is not a UTF8String');
          const val = this.value(k.next, pair.end, depth + 1);
          if (val.next !== pair.end) this.fail(val.next, 'extra bytes in a dictionary entry');
          // defineProperty: a key named __proto__ must stay a plain key, not a prototype
          Object.defineProperty(dict, k.v, { value: val.v, enumerable: true, writable: true, configurable: true });
          p = pair.end;
        }
        return { v: dict, next: h.end };
      }
      default:
        return this.fail(off, `unknown tag 0x${h.tag.toString(16)}`);
    }
  }
}

function parseGeneralizedTime(s: string, bad: () => never): Date {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,9}))?Z$/.exec(s);
  if (!m) return bad();
  const ms = m[7] ? Math.floor(Number('0.' + m[7]) * 1000) : 0;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, ms));
  if (Number.isNaN(d.getTime())) return bad();
  return d;
}

/** Decodes one DER value that must fill `bytes` exactly. */
export function decodeDer(bytes: Buffer, name = 'keychain item'): DerValue {
  const r = new Reader(bytes, name);
  const { v, next } = r.value(0, bytes.length, 0);
  if (next !== bytes.length) r.fail(next, `has ${bytes.length - next} trailing bytes`);
  return v;
}

/** Decodes an item plaintext, which must be a dictionary. */
export function decodeDerDict(bytes: Buffer, name = 'keychain item'): DerDict {
  const v = decodeDer(bytes, name);
  if (v === null || typeof v !== 'object' || Array.isArray(v) || Buffer.isBuffer(v) || v instanceof Date) {
    throw new CorruptInputError(name, 'DER item is not a dictionary');
  }
  return v;
}

// ---- encoding ----

function encLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encLength(body.length), body]);
}

function encInteger(v: bigint): Buffer {
  // minimal two's complement
  let hex = (v < 0n ? (1n << 128n) + v : v).toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let b = Buffer.from(hex, 'hex');
  if (v >= 0n && b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  if (v < 0n) {
    while (b.length > 1 && b[0] === 0xff && b[1]! & 0x80) b = b.subarray(1);
  }
  return b;
}

function encTime(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const base = `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
  const ms = d.getUTCMilliseconds();
  return base + (ms ? '.' + p(ms, 3).replace(/0+$/, '') : '') + 'Z';
}

export function encodeDer(v: DerValue): Buffer {
  if (typeof v === 'string') return tlv(TAG.UTF8, Buffer.from(v, 'utf8'));
  if (Buffer.isBuffer(v)) return tlv(TAG.OCTETS, v);
  if (typeof v === 'bigint') return tlv(TAG.INTEGER, encInteger(v));
  if (typeof v === 'boolean') return tlv(TAG.BOOLEAN, Buffer.from([v ? 0xff : 0]));
  if (v === null) return Buffer.from([TAG.NULL, 0]);
  if (v instanceof Date) return tlv(TAG.GENTIME, Buffer.from(encTime(v), 'latin1'));
  if (Array.isArray(v)) return tlv(TAG.SEQUENCE, Buffer.concat(v.map(encodeDer)));
  const pairs = Object.entries(v).map(([k, val]) => tlv(TAG.SEQUENCE, Buffer.concat([encodeDer(k), encodeDer(val)])));
  pairs.sort((a, b) => a.length - b.length || Buffer.compare(a, b));
  return tlv(TAG.SET, Buffer.concat(pairs));
}
