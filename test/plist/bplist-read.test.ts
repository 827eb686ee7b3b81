/**
 * Differential test: our binary plist decoder against bplist-parser (the vetted library) on
 * generated documents with every value type, and on damaged ones (both must fail or agree).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as bplistParser from 'bplist-parser';
import { decodeBplist } from '../../src/plist/bplist-read.js';
import { buildBinaryPlist, PlistUid, type PlistValue } from '../../src/plist/plist.js';
import { SeededBytes } from '../../src/backup/writer.js';

function fromLibrary(v: unknown): unknown {
  if (v instanceof bplistParser.UID) return new PlistUid(v.UID);
  if (Array.isArray(v)) return v.map(fromLibrary);
  if (v && typeof v === 'object' && !Buffer.isBuffer(v) && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromLibrary(x)]));
  return v;
}

function randomValue(r: SeededBytes, depth: number): PlistValue {
  const pick = r.next(1)[0] % (depth > 3 ? 7 : 9);
  const n = r.next(1)[0];
  switch (pick) {
    case 0: return n % 2 === 0;
    case 1: return [0, 1, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, -1, -(2 ** 40)][n % 11];
    case 2: return (n - 128) / 7;
    case 3: return new Date(Date.UTC(2000 + (n % 30), n % 12, 1 + (n % 28), n % 24));
    case 4: return r.next(n % 40);
    case 5: return ['', 'ascii', 'Café ☃ 日本語', 'x'.repeat(20 + n), 'é'.repeat(n % 17)][n % 5];
    case 6: return new PlistUid(n * 3);
    case 7: return Array.from({ length: n % 20 }, () => randomValue(r, depth + 1));
    default: {
      const d: Record<string, PlistValue> = {};
      for (let i = 0; i < n % 20; i++) d[`k${i}${i % 3 === 0 ? 'ü' : ''}`] = randomValue(r, depth + 1);
      return d;
    }
  }
}

test('decodes what bplist-parser decodes, on 500 generated documents', () => {
  const r = new SeededBytes('bplist-diff');
  for (let i = 0; i < 500; i++) {
    const doc = { root: randomValue(r, 0), big: BigInt('9223372036854775807') } as unknown as PlistValue;
    const bytes = buildBinaryPlist(doc);
    assert.deepEqual(decodeBplist(bytes), fromLibrary(bplistParser.parseBuffer(bytes)[0]), `document ${i}`);
  }
});

test('damaged documents throw RangeError only, never hang or crash', () => {
  const r = new SeededBytes('bplist-damage');
  const bytes = buildBinaryPlist({ a: [1, 2, { b: 'c', d: Buffer.alloc(30) }], e: new PlistUid(4), f: 'x'.repeat(300) });
  for (let i = 0; i < 2000; i++) {
    const b = Buffer.from(bytes);
    const rr = r.next(4);
    b[rr.readUInt16LE(0) % b.length] = rr[2];
    const cut = i % 3 === 0 ? b.subarray(0, rr[3] % b.length) : b;
    try {
      decodeBplist(cut);
    } catch (e) {
      assert.ok(e instanceof RangeError, String((e as Error).stack));
    }
  }
});

function handBuilt(objects: Buffer[]): Buffer {
  const offsets: number[] = [];
  let off = 8;
  for (const o of objects) {
    offsets.push(off);
    off += o.length;
  }
  const trailer = Buffer.alloc(32);
  trailer[6] = 1;
  trailer[7] = 1;
  trailer.writeBigUInt64BE(BigInt(objects.length), 8);
  trailer.writeBigUInt64BE(0n, 16);
  trailer.writeBigUInt64BE(BigInt(off), 24);
  return Buffer.concat([Buffer.from('bplist00'), ...objects, Buffer.from(offsets), trailer]);
}

test('a reference cycle is refused, and a __proto__ key stays data', () => {
  // {"a": <the dict itself>}
  assert.throws(() => decodeBplist(handBuilt([Buffer.from([0xd1, 0x01, 0x00]), Buffer.from([0x51, 0x61])])), /cycle/);
  // {"__proto__": {"polluted": true}}
  const proto = decodeBplist(
    handBuilt([Buffer.from([0xd1, 0x01, 0x02]), Buffer.from([0x59, ...Buffer.from('__proto__')]), Buffer.from([0xd1, 0x03, 0x04]), Buffer.from([0x58, ...Buffer.from('polluted')]), Buffer.from([0x09])]),
  ) as Record<string, unknown>;
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(proto), Object.prototype);
  assert.deepEqual(Object.keys(proto), ['__proto__']);
});
