import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aesUnwrap, aesWrap, cbcDecrypt, cbcEncrypt } from '../../src/backup/crypto.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// RFC 3394 §4 test vectors.
const RFC3394 = [
  { kek: '000102030405060708090A0B0C0D0E0F', key: '00112233445566778899AABBCCDDEEFF', wrapped: '1FA68B0A8112B447 AEF34BD8FB5A7B82 9D3E862371D2CFE5' },
  { kek: '000102030405060708090A0B0C0D0E0F1011121314151617', key: '00112233445566778899AABBCCDDEEFF', wrapped: '96778B25AE6CA435 F92B5B97C050AED2 468AB8A17AD84E5D' },
  { kek: '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F', key: '00112233445566778899AABBCCDDEEFF', wrapped: '64E8C3F9CE0F5BA2 63E9777905818A2A 93C8191E7D6E8AE7' },
  { kek: '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F', key: '00112233445566778899AABBCCDDEEFF0001020304050607', wrapped: 'A8F9BC1612C68B3F F6E6F4FBE30E71E4 769C8B80A32CB895 8CD5D17D6B254DA1' },
  { kek: '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F', key: '00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F', wrapped: '28C9F404C4B810F4 CBCCB35CFB87F826 3F5786E2D80ED326 CBC7F0E71A99F43B FB988B9B7A02DD21' },
];

test('RFC 3394 wrap and unwrap vectors', () => {
  for (const v of RFC3394) {
    assert.deepEqual(aesWrap(hex(v.kek), hex(v.key)), hex(v.wrapped));
    assert.deepEqual(aesUnwrap(hex(v.kek), hex(v.wrapped)), hex(v.key));
  }
});

test('unwrap with the wrong key or damaged input returns null', () => {
  const v = RFC3394[4];
  const wrong = hex(v.kek);
  wrong[0] ^= 1;
  assert.equal(aesUnwrap(wrong, hex(v.wrapped)), null);
  const flipped = hex(v.wrapped);
  flipped[10] ^= 0x80;
  assert.equal(aesUnwrap(hex(v.kek), flipped), null);
  assert.equal(aesUnwrap(hex(v.kek), hex(v.wrapped).subarray(0, 20)), null);
});

test('CBC round trip keeps every length, including multiples of 16 and empty', () => {
  const key = Buffer.alloc(32, 7);
  for (const n of [0, 1, 15, 16, 17, 32, 1000]) {
    const data = Buffer.alloc(n, n & 0xff);
    const enc = cbcEncrypt(key, data);
    assert.equal(enc.length, (Math.floor(n / 16) + 1) * 16);
    assert.deepEqual(cbcDecrypt(key, enc), data);
  }
});
