/** Exact 64-bit integers through every plist path the device layer uses (ECIDs, sizes). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildBinaryPlist, buildXmlPlist, parsePlist, parsePlistDict } from '../../src/plist/plist.js';
import { decodePlistBody, encodePlistBody } from '../../src/device/plist-service.js';

const BIG = 0x1a2b3c4d5e6f7081n; // above 2^53: a double would round it
const xml = (body: string): Buffer => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict>${body}</dict></plist>`);

test('XML: integers above 2^53 come back exact as bigints, small ones stay numbers, strings untouched', () => {
  const v = parsePlistDict(xml(`<key>UniqueChipID</key><integer>${BIG}</integer><key>Size</key><integer>123</integer><key>Max</key><integer>18446744073709551615</integer><key>Neg</key><integer>-9007199254740993</integer><key>S</key><string>&lt;integer&gt;99999999999999999&lt;/integer&gt;</string>`));
  assert.equal(v.UniqueChipID, BIG);
  assert.equal(v.Size, 123);
  assert.equal(v.Max, 18446744073709551615n);
  assert.equal(v.Neg, -9007199254740993n);
  assert.equal(v.S, '<integer>99999999999999999</integer>');
});

test('XML and binary writers keep every digit, and round-trip', () => {
  const value = { UniqueChipID: BIG, Small: 7, List: [2n ** 63n - 1n] };
  const x = buildXmlPlist(value);
  assert.match(x, new RegExp(`<integer>${BIG}</integer>`));
  assert.deepEqual(parsePlist(Buffer.from(x)), value);
  assert.deepEqual(parsePlist(buildBinaryPlist(value)), value);
});

test('lockdown wire messages (XML framing) carry an ECID exactly', () => {
  const body = encodePlistBody({ Request: 'GetValue', Value: BIG }, 'xml');
  assert.equal(decodePlistBody(body, 'reply').Value, BIG);
});
