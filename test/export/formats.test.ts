import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromAppleTime, formatLocal, fromUnixSeconds } from '../../src/export/apple-time.js';
import { csvField, csvRow, parseCsv } from '../../src/export/csv.js';
import { sanitizeName } from '../../src/export/output.js';
import { textFromAttributedBody, isTypedStream } from '../../src/export/typedstream.js';
import { escapeHtml, hrefFor } from '../../src/export/html.js';
import { buildAttributedBody } from './fixtures/typedstream-writer.js';
import { smsAttachmentPath } from '../../src/export/paths.js';
import { handleKey } from '../../src/export/contact-index.js';

test('Apple epoch: seconds before iOS 11, nanoseconds after, same instant', () => {
  const iso = '2017-09-19T12:34:56.000Z';
  const seconds = (Date.parse(iso) - Date.UTC(2001, 0, 1)) / 1000;
  assert.equal(fromAppleTime(seconds)?.toISOString(), iso);
  assert.equal(fromAppleTime(BigInt(seconds) * 1_000_000_000n)?.toISOString(), iso);
  assert.equal(fromAppleTime(seconds * 1e9)?.toISOString(), iso);
  assert.equal(fromAppleTime(String(seconds))?.toISOString(), iso);
  assert.equal(fromAppleTime(-31622400)?.toISOString(), '2000-01-01T00:00:00.000Z');
  assert.equal(fromAppleTime(0), undefined);
  assert.equal(fromAppleTime(null), undefined);
  assert.equal(fromAppleTime('x'), undefined);
  assert.equal(fromUnixSeconds(1_000_000_000)?.toISOString(), '2001-09-09T01:46:40.000Z');
  assert.equal(formatLocal(new Date(iso), 'UTC'), '2017-09-19 12:34:56');
  assert.equal(formatLocal(undefined), '');
});

test('typedstream: text of NSString and NSMutableString bodies, short, 16-bit and 32-bit lengths', () => {
  for (const text of ['', 'hi', 'é😀 mixed', 'a'.repeat(127), 'b'.repeat(128), 'c'.repeat(40_000)]) {
    assert.equal(textFromAttributedBody(buildAttributedBody(text)), text);
    assert.equal(textFromAttributedBody(buildAttributedBody(text, 'NSMutableString')), text);
  }
  const body = buildAttributedBody('hello');
  assert.ok(isTypedStream(body));
  assert.equal(textFromAttributedBody(Buffer.from('bplist00 not a typedstream')), undefined);
  assert.equal(textFromAttributedBody(body.subarray(0, body.indexOf(Buffer.from('hello')) + 2)), undefined, 'truncated run');
  assert.equal(textFromAttributedBody(null), undefined);
});

test('CSV: quoting, CRLF, formula guard, round trip', () => {
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('=SUM(A1)'), "'=SUM(A1)");
  assert.equal(csvField('+1 (555) 123-0001'), '+1 (555) 123-0001');
  assert.equal(csvField(-5), '-5');
  assert.equal(csvField(null), '');
  const row = ['x', 'multi\nline', 'q"q', '', 'é😀'];
  assert.deepEqual(parseCsv(csvRow(row) + csvRow(['2'])), [row, ['2']]);
  assert.ok(csvRow(['a']).endsWith('\r\n'));
});

test('sanitizeName: hostile names become one harmless path segment', () => {
  assert.equal(sanitizeName('../../etc/passwd'), '_.._etc_passwd');
  assert.equal(sanitizeName('a/b\\c:d*e?f"g<h>i|j'), 'a_b_c_d_e_f_g_h_i_j');
  assert.equal(sanitizeName('...'), 'unnamed');
  assert.equal(sanitizeName('', 'fallback'), 'fallback');
  assert.equal(sanitizeName('CON'), '_CON');
  assert.equal(sanitizeName('nul.txt'), '_nul.txt');
  assert.equal(sanitizeName('name. '), 'name');
  assert.equal(sanitizeName('tab\there\u0000'), 'tab_here_');
  const long = sanitizeName('é'.repeat(200) + '.jpeg');
  assert.ok(Buffer.byteLength(long) <= 120 && long.endsWith('.jpeg') && !long.includes('\uFFFD'));
});

test('small helpers: HTML escaping, hrefs, attachment paths, handle keys', () => {
  assert.equal(escapeHtml(`<a href="x">'&`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
  assert.equal(hrefFor('attachments/Anna #1/50% off.jpg'), 'attachments/Anna%20%231/50%25%20off.jpg');
  assert.deepEqual(smsAttachmentPath('~/Library/SMS/Attachments/ab/01/X/a.jpg'), { domain: 'MediaDomain', relativePath: 'Library/SMS/Attachments/ab/01/X/a.jpg' });
  assert.deepEqual(smsAttachmentPath('/var/mobile/Library/SMS/Attachments/a.jpg'), { domain: 'MediaDomain', relativePath: 'Library/SMS/Attachments/a.jpg' });
  assert.equal(smsAttachmentPath('/private/etc/passwd'), undefined);
  assert.equal(handleKey('+44 20 7946 0000'), handleKey('020 7946 0000'));
  assert.equal(handleKey('Bob@Example.com'), 'bob@example.com');
  assert.equal(handleKey('12'), undefined);
});
