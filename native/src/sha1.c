/* Portable SHA-1 (FIPS 180-4) and its PBKDF2 hot loop (the backup's 10,000-iteration second step). */
#include <string.h>
#include "kdf.h"

#define ROL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))

static inline __attribute__((always_inline)) void compress_words(const uint32_t h[5], const uint32_t m[16], uint32_t out[5]) {
  uint32_t w[16];
  for (int i = 0; i < 16; i++) w[i] = m[i];
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
#pragma GCC unroll 80
  for (int i = 0; i < 80; i++) {
    uint32_t wi;
    if (i < 16) wi = w[i];
    else { wi = ROL(w[(i - 3) & 15] ^ w[(i - 8) & 15] ^ w[(i - 14) & 15] ^ w[i & 15], 1); w[i & 15] = wi; }
    uint32_t f, k;
    if (i < 20) { f = d ^ (b & (c ^ d)); k = 0x5a827999; }
    else if (i < 40) { f = b ^ c ^ d; k = 0x6ed9eba1; }
    else if (i < 60) { f = (b & c) | (d & (b | c)); k = 0x8f1bbcdc; }
    else { f = b ^ c ^ d; k = 0xca62c1d6; }
    uint32_t t = ROL(a, 5) + f + e + k + wi;
    e = d; d = c; c = ROL(b, 30); b = a; a = t;
  }
  out[0] = h[0] + a; out[1] = h[1] + b; out[2] = h[2] + c; out[3] = h[3] + d; out[4] = h[4] + e;
}

void sha1_compress(uint32_t h[5], const uint8_t block[64]) {
  uint32_t m[16];
  for (int i = 0; i < 16; i++)
    m[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 | (uint32_t)block[4 * i + 2] << 8 | block[4 * i + 3];
  compress_words(h, m, h);
}

void sha1_init(sha1_ctx *c) {
  static const uint32_t iv[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
  memcpy(c->h, iv, sizeof iv);
  c->len = 0;
  c->n = 0;
}

void sha1_update(sha1_ctx *c, const uint8_t *p, size_t n) {
  c->len += n;
  while (n > 0) {
    size_t take = 64 - c->n < n ? 64 - c->n : n;
    memcpy(c->buf + c->n, p, take);
    c->n += take; p += take; n -= take;
    if (c->n == 64) { sha1_compress(c->h, c->buf); c->n = 0; }
  }
}

void sha1_final(sha1_ctx *c, uint8_t out[20]) {
  uint64_t bits = c->len * 8;
  uint8_t pad = 0x80;
  sha1_update(c, &pad, 1);
  uint8_t zero = 0;
  while (c->n != 56) sha1_update(c, &zero, 1);
  uint8_t len[8];
  for (int i = 0; i < 8; i++) len[i] = (uint8_t)(bits >> (56 - 8 * i));
  sha1_update(c, len, 8);
  for (int i = 0; i < 5; i++) {
    out[4 * i] = (uint8_t)(c->h[i] >> 24); out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
    out[4 * i + 2] = (uint8_t)(c->h[i] >> 8); out[4 * i + 3] = (uint8_t)c->h[i];
  }
}

/* 20 bytes of data after a 64-byte key block: constant padding, length 672 bits. */
int kernel160_portable(lane160_t *l, uint64_t iters, const volatile int32_t *cancel) {
  uint32_t m[16] = {0};
  m[5] = 0x80000000u;
  m[15] = 672;
  uint32_t u[5], t[5], d[5];
  memcpy(u, l->u, sizeof u);
  memcpy(t, l->t, sizeof t);
  while (iters > 0) {
    if (kdf_cancelled(cancel)) return -1;
    uint64_t chunk = iters < KDF_CANCEL_STRIDE ? iters : KDF_CANCEL_STRIDE;
    iters -= chunk;
    for (uint64_t i = 0; i < chunk; i++) {
      memcpy(m, u, 20);
      compress_words(l->istate, m, d);
      memcpy(m, d, 20);
      compress_words(l->ostate, m, u);
      for (int j = 0; j < 5; j++) t[j] ^= u[j];
    }
  }
  memcpy(l->u, u, sizeof u);
  memcpy(l->t, t, sizeof t);
  return 0;
}
