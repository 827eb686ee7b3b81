/**
 * Our binary plist encoder, checked by bplist-parser (an independent reader) and by our decoder:
 * every value type, every size class of integers, counts and references, and the values a plist
 * cannot hold refused with an error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as bplistParser from 'bplist-parser';
import { encodeBplist } from '../../src/plist/bplist-write.js';
import { decodeBplist } from '../../src/plist/bplist-read.js';
import { PlistReal, PlistUid, type PlistValue } from '../../src/plist/value.js';
import { SeededBytes } from '../../src/backup/writer.js';

function fromLibrary(v: unknown): unknown {
  if (v instanceof bplistParser.UID) return new PlistUid(v.UID);
  if (Array.isArray(v)) return v.map(fromLibrary);
  if (v && typeof v === 'object' && !Buffer.isBuffer(v) && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromLibrary(x)]));
  return v;
}

const INTEGERS = [0, 1, 14, 15, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, -1, -255, -(2 ** 40)];

test('every value type reads back the same with bplist-parser and with our decoder', () => {
  const doc: Record<string, PlistValue> = {
    ints: INTEGERS,
    reals: [0.5, -1.25, 1e300],
    bools: [true, false],
    date: new Date(Date.UTC(2019, 4, 6, 7, 8, 9)),
    data: Buffer.from([0, 1, 2, 255]),
    longData: Buffer.alloc(300, 7),
    ascii: 'hello',
    utf16: 'Café ☃ 日本語 😀',
    long: 'x'.repeat(70000),
    empty: '',
    uids: [new PlistUid(0), new PlistUid(255), new PlistUid(256), new PlistUid(70000)],
    nested: { a: [[], {}], same: 'hello' },
  };
  const bytes = encodeBplist(doc);
  assert.deepEqual(fromLibrary(bplistParser.parseBuffer(bytes)[0]), doc);
  assert.deepEqual(decodeBplist(bytes), doc);
});

test('integers beyond 2^53 stay exact, a PlistReal stays a real, undefined entries are left out', () => {
  const bytes = encodeBplist({ big: 9223372036854775807n, neg: -9223372036854775808n, huge: 18446744073709551615n, real: new PlistReal(2), gone: undefined } as never);
  const back = decodeBplist(bytes) as Record<string, unknown>;
  assert.equal(back.big, 9223372036854775807n);
  assert.equal(back.neg, -9223372036854775808n);
  assert.equal(back.huge, 18446744073709551615n);
  assert.equal(back.real, 2);
  assert.ok(!('gone' in back));
  // the real's marker byte (0x23) is in the file: a peer that checks the type sees a real
  assert.ok(bytes.includes(Buffer.from([0x23, 0x40, 0x00, 0, 0, 0, 0, 0, 0])));
});

test('more than 255 objects (bplist-parser reads at most 32,768) and offsets past 64 KiB take wider references', () => {
  const many = Array.from({ length: 30000 }, (_, i) => `s${i}`);
  const bytes = encodeBplist({ many });
  assert.ok(bytes.length > 65536);
  assert.deepEqual((decodeBplist(bytes) as { many: string[] }).many, many);
  assert.deepEqual(fromLibrary(bplistParser.parseBuffer(bytes)[0]), { many });
});

test('repeated strings are written once', () => {
  const one = encodeBplist({ a: 'repeated-string-value' });
  const three = encodeBplist({ a: 'repeated-string-value', b: 'repeated-string-value', c: 'repeated-string-value' });
  assert.equal(three.indexOf('repeated-string-value'), three.lastIndexOf('repeated-string-value'));
  assert.ok(three.length < one.length + 30);
});

test('500 generated documents read back the same', () => {
  const r = new SeededBytes('bplist-write');
  const value = (depth: number): PlistValue => {
    const n = r.next(1)[0];
    switch (n % (depth > 3 ? 6 : 8)) {
      case 0: return n % 2 === 0;
      case 1: return INTEGERS[n % INTEGERS.length];
      case 2: return (n - 128) / 7;
      case 3: return r.next(n % 40);
      case 4: return ['', 'ascii', 'é'.repeat(n % 17), 'x'.repeat(n)][n % 4];
      case 5: return new PlistUid(n * 3);
      case 6: return Array.from({ length: n % 20 }, () => value(depth + 1));
      default: return Object.fromEntries(Array.from({ length: n % 20 }, (_, i) => [`k${i}`, value(depth + 1)]));
    }
  };
  for (let i = 0; i < 500; i++) {
    const doc = { root: value(0) };
    const bytes = encodeBplist(doc);
    assert.deepEqual(decodeBplist(bytes), doc, `document ${i}`);
    assert.deepEqual(fromLibrary(bplistParser.parseBuffer(bytes)[0]), doc, `document ${i}`);
  }
});

test('values a plist cannot hold are refused', () => {
  assert.throws(() => encodeBplist({ a: null } as never), TypeError);
  assert.throws(() => encodeBplist({ a: new Date(NaN) }), RangeError);
  assert.throws(() => encodeBplist({ a: -(1n << 64n) }), RangeError);
  assert.throws(() => encodeBplist({ a: 1n << 128n }), RangeError);
});
