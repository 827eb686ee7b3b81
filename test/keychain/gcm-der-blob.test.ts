import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { CorruptInputError } from '../../src/errors.js';
import { gcmOpenEmptyIv, gcmSealEmptyIv } from '../../src/keychain/gcm.js';
import { decodeDer, decodeDerDict, encodeDer, DER_MAX_DEPTH } from '../../src/keychain/der.js';
import { openItemBlob, parseItemBlob, sealItemBlob, isFailure } from '../../src/keychain/blob.js';

const KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
// An IV for which Node's GCM computes J0 = 0 under this key: an independent cross-check (KEYCHAIN.md §4).
const J0_ZERO_IV = Buffer.from('c3c64c71328ffae30c1aaf5d72f0b7bd', 'hex');

test('AES-256-GCM with an empty IV: the KEYCHAIN.md known answer', () => {
  const pt = Buffer.from('irescue: AES-256-GCM, empty IV, no AAD');
  const { ciphertext, tag } = gcmSealEmptyIv(KEY, pt);
  assert.equal(ciphertext.toString('hex'), '992f13dd29ccfadf86b7de6265f0030b23fbf693990ce6d078dcd015517abdb9bc2c761269c5');
  assert.equal(tag.toString('hex'), 'cffa36f092736b5018769cb77ebe59fe');
  assert.deepEqual(gcmOpenEmptyIv(KEY, ciphertext, tag), pt);
});

test('GCM agrees with Node\'s own GCM at every length (J0 = 0 IV), and a flipped bit fails the tag', () => {
  for (const n of [0, 1, 15, 16, 17, 31, 32, 33, 255, 1000]) {
    const pt = randomBytes(n);
    const c = createCipheriv('aes-256-gcm', KEY, J0_ZERO_IV);
    const ct = Buffer.concat([c.update(pt), c.final()]);
    const ours = gcmSealEmptyIv(KEY, pt);
    assert.deepEqual(ours.ciphertext, ct, `ciphertext ${n}`);
    assert.deepEqual(ours.tag, c.getAuthTag(), `tag ${n}`);
    if (n) {
      const bad = Buffer.from(ct);
      bad[n >> 1]! ^= 1;
      assert.equal(gcmOpenEmptyIv(KEY, bad, ours.tag), null);
    }
    const badTag = Buffer.from(ours.tag);
    badTag[0]! ^= 0x80;
    assert.equal(gcmOpenEmptyIv(KEY, ct, badTag), null);
    assert.equal(gcmOpenEmptyIv(KEY, ct, ours.tag.subarray(0, 12)), null);
  }
});

test('DER dictionaries round-trip every value type; strings may come as OCTET STRING', () => {
  const v = { acct: 'zoë', v_Data: Buffer.from([0, 1, 2]), port: 8080n, neg: -129n, big: 2n ** 70n, sync: true, none: null, cdat: new Date('2020-11-24T14:06:34.692Z'), list: ['a', 1n, [Buffer.alloc(200, 7)]], nested: { x: 'y' } };
  const enc = encodeDer(v);
  assert.deepEqual({ ...decodeDerDict(enc) }, v);
  // the writer sorts pairs (shorter first, then bytewise): a reader must not depend on it
  assert.deepEqual(Object.keys(decodeDerDict(encodeDer({ b: 'x', a: 'y' }))).sort(), ['a', 'b']);
});

test('hostile DER ends in CorruptInputError naming the item', () => {
  const good = encodeDer({ acct: 'x' });
  const cases: Buffer[] = [
    Buffer.concat([good, Buffer.from([0])]), // trailing byte
    good.subarray(0, good.length - 1), // truncated
    Buffer.from([0x31, 0x80, 0x00, 0x00]), // indefinite length
    Buffer.from([0x31, 0x84, 0xff, 0xff, 0xff, 0xff]), // absurd length
    Buffer.from([0x31, 0x03, 0x04, 0x01, 0x00]), // dictionary entry not a SEQUENCE
    Buffer.from([0x31, 0x05, 0x30, 0x03, 0x02, 0x01, 0x05]), // key is an INTEGER
    Buffer.from([0x31, 0x02, 0x13, 0x00]), // unknown tag (PrintableString)
    Buffer.from([0x30, 0x03, 0x01, 0x02, 0x00]), // BOOLEAN of length 2
  ];
  let deep: Buffer = encodeDer('x');
  for (let i = 0; i <= DER_MAX_DEPTH + 2; i++) deep = Buffer.concat([Buffer.from([0x30, deep.length < 128 ? deep.length : 0x81]), ...(deep.length >= 128 ? [Buffer.from([deep.length])] : []), deep]);
  cases.push(deep);
  for (const c of cases) assert.throws(() => decodeDer(c, 'item 7'), (e: unknown) => e instanceof CorruptInputError && /^item 7: DER /.test((e as Error).message), c.toString('hex'));
  assert.throws(() => decodeDerDict(encodeDer(['not', 'a', 'dict']), 'item 8'), CorruptInputError);
});

test('item blobs: v3 round trip; truncated, other versions, absurd lengths and a wrong tag are per-item failures', () => {
  const classKey = randomBytes(32);
  const blob = sealItemBlob(encodeDer({ acct: 'a' }), 6, classKey, randomBytes(32));
  const parsed = parseItemBlob(blob);
  assert.ok(!isFailure(parsed));
  assert.equal(parsed.keyclass, 6);
  assert.deepEqual(decodeDerDict(openItemBlob(parsed, classKey) as Buffer), { acct: 'a' });
  const reason = (b: Buffer) => { const p = parseItemBlob(b); return isFailure(p) ? p.reason : 'ok'; };
  assert.equal(reason(blob.subarray(0, 8)), 'truncated');
  assert.equal(reason(blob.subarray(0, 60)), 'truncated');
  const v4 = Buffer.from(blob); v4.writeUInt32LE(4, 0);
  assert.equal(reason(v4), 'unsupported-version');
  const huge = Buffer.from(blob); huge.writeUInt32LE(0xffffffff, 8);
  assert.equal(reason(huge), 'damaged');
  const badTag = Buffer.from(blob); badTag[badTag.length - 1]! ^= 1;
  const r = openItemBlob(parseItemBlob(badTag) as never, classKey);
  assert.ok(isFailure(r) && r.reason === 'damaged' && /integrity/.test(r.detail));
  const wrongKey = openItemBlob(parsed, randomBytes(32));
  assert.ok(isFailure(wrongKey) && /unwrap/.test(wrongKey.detail));
});
