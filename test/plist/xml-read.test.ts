/**
 * Our XML plist reader against plist@5 (the vetted library, still our XML writer): generated
 * documents with every value type read the same; real-world spellings (comments, CDATA, entities,
 * DOCTYPE, self-closed elements) are read; damaged and hostile ones are refused with RangeError
 * (CorruptInputError through parsePlist), never a hang.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as plistLib from 'plist';
import { decodeXmlPlist, XML_MAX_NODES } from '../../src/plist/xml-read.js';
import { buildXmlPlist, parsePlist } from '../../src/plist/plist.js';
import type { PlistValue } from '../../src/plist/value.js';
import { CorruptInputError } from '../../src/errors.js';
import { SeededBytes } from '../../src/backup/writer.js';

function value(r: SeededBytes, depth: number): PlistValue {
  const n = r.next(1)[0];
  switch (n % (depth > 3 ? 6 : 8)) {
    case 0: return n % 2 === 0;
    case 1: return [0, 1, -1, 255, 65536, 2 ** 40, 2 ** 53 - 1, -(2 ** 40)][n % 8];
    case 2: return (n - 128) / 8;
    case 3: return r.next(n % 40);
    case 4: return ['', 'ascii', 'a < b & c > "d" \'e\'', 'Café ☃ 日本語 😀', ' spaced  \n text '][n % 5];
    case 5: return new Date(Date.UTC(2000 + (n % 30), n % 12, 1 + (n % 28), n % 24, n % 60, n % 60));
    case 6: return Array.from({ length: n % 10 }, () => value(r, depth + 1));
    default: return Object.fromEntries(Array.from({ length: n % 10 }, (_, i) => [`k${i}${i % 3 ? '' : '&<>'}`, value(r, depth + 1)]));
  }
}

function fromLibrary(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromLibrary);
  if (v instanceof Uint8Array && !Buffer.isBuffer(v)) return Buffer.from(v);
  if (v && typeof v === 'object' && !Buffer.isBuffer(v) && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromLibrary(x)]));
  return v;
}

test('reads what plist@5 reads, on 300 generated documents', () => {
  const r = new SeededBytes('xml-read');
  for (let i = 0; i < 300; i++) {
    const xml = buildXmlPlist({ root: value(r, 0) });
    assert.deepEqual(decodeXmlPlist(xml), fromLibrary(plistLib.parse(xml)), `document ${i}`);
  }
});

test('integers beyond 2^53 are exact bigints; safe ones stay numbers', () => {
  const v = decodeXmlPlist('<plist><dict><key>ecid</key><integer>18446744073709551615</integer><key>n</key><integer> -42 </integer></dict></plist>') as Record<string, unknown>;
  assert.equal(v.ecid, 18446744073709551615n);
  assert.equal(v.n, -42);
  assert.equal((parsePlist(Buffer.from(buildXmlPlist({ big: 9007199254740993n }))) as Record<string, unknown>).big, 9007199254740993n);
});

test('real-world spellings: declaration, DOCTYPE, comments, CDATA, character references, empty elements', () => {
  const xml = `\uFEFF<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<!-- made by hand -->
<plist version="1.0">
<dict>
\t<key>Device Name</key><string>Ann&apos;s &#x1F600; &#65;</string>
\t<key>Note</key><string><![CDATA[<not markup> & raw]]> tail</string>
\t<!-- a comment between entries -->
\t<key>Empty</key><string/>
\t<key>Flag</key><true/>
\t<key>List</key><array/>
\t<key>Blob</key><data>
\t\tAAEC
\t\t/w==
\t</data>
\t<key>When</key><date>2019-05-06T07:08:09Z</date>
</dict>
</plist>
`;
  const v = parsePlist(Buffer.from(xml)) as Record<string, unknown>;
  assert.deepEqual(v, {
    'Device Name': "Ann's 😀 A",
    Note: '<not markup> & raw tail',
    Empty: '',
    Flag: true,
    List: [],
    Blob: Buffer.from([0, 1, 2, 255]),
    When: new Date(Date.UTC(2019, 4, 6, 7, 8, 9)),
  });
});

test('a __proto__ key stays data', () => {
  const v = decodeXmlPlist('<plist><dict><key>__proto__</key><dict><key>polluted</key><true/></dict></dict></plist>') as Record<string, unknown>;
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(Object.keys(v), ['__proto__']);
});

test('damaged and hostile documents are refused, naming the file', () => {
  const bad = [
    '<plist><dict><key>a</key></dict></plist>', // key without value
    '<plist><dict><string>a</string></dict></plist>', // value without key
    '<plist><array><string>a</array></plist>', // mismatched close
    '<plist><integer>12x</integer></plist>',
    '<plist><real>abc</real></plist>',
    '<plist><date>not a date</date></plist>',
    '<plist><data>!!!</data></plist>',
    '<plist><string>a &bogus; b</string></plist>',
    '<plist><foo/></plist>',
    '<plist><string>a</string><string>b</string></plist>',
    '<plist><string>never closed',
    '<plist><dict>',
    '<plist><string>x</string></plist> trailing',
    '<!DOCTYPE plist [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><plist><string>&b;</string></plist>',
    '<plist>' + '<array>'.repeat(300) + '</array>'.repeat(300) + '</plist>',
  ];
  for (const xml of bad) {
    assert.throws(() => parsePlist(Buffer.from(xml), 'Info.plist'), (e: unknown) => e instanceof CorruptInputError && /Info\.plist/.test((e as Error).message), xml.slice(0, 60));
  }
  assert.throws(() => parsePlist(Buffer.from('<plist></plist>'), 'Info.plist'), /no content/);
});

test('the value count is bounded', () => {
  const xml = `<plist><array>${'<true/>'.repeat(XML_MAX_NODES + 1)}</array></plist>`;
  assert.throws(() => decodeXmlPlist(xml), /more than/);
});
