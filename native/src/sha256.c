/* Portable SHA-256 (FIPS 180-4) and the portable PBKDF2 hot loop. */
#include <string.h>
#include "kdf.h"

const uint32_t kdf_sha256_k[64] = KDF_SHA256_K_INIT;

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define S0(x) (ROR(x, 2) ^ ROR(x, 13) ^ ROR(x, 22))
#define S1(x) (ROR(x, 6) ^ ROR(x, 11) ^ ROR(x, 25))
#define s0(x) (ROR(x, 7) ^ ROR(x, 18) ^ ((x) >> 3))
#define s1(x) (ROR(x, 17) ^ ROR(x, 19) ^ ((x) >> 10))
#define CH(e, f, g) ((g) ^ ((e) & ((f) ^ (g))))
#define MAJ(a, b, c) (((a) & (b)) | ((c) & ((a) | (b))))

/* One compression over 16 message words (host order). */
static inline __attribute__((always_inline)) void compress_words(uint32_t h[8], const uint32_t m[16], uint32_t out[8]) {
  uint32_t w[16];
  for (int i = 0; i < 16; i++) w[i] = m[i];
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
#pragma GCC unroll 64
  for (int i = 0; i < 64; i++) {
    uint32_t wi;
    if (i < 16) wi = w[i];
    else wi = w[i & 15] += s1(w[(i - 2) & 15]) + w[(i - 7) & 15] + s0(w[(i - 15) & 15]);
    uint32_t t1 = hh + S1(e) + CH(e, f, g) + KDF_K256[i] + wi;
    uint32_t t2 = S0(a) + MAJ(a, b, c);
    hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  out[0] = h[0] + a; out[1] = h[1] + b; out[2] = h[2] + c; out[3] = h[3] + d;
  out[4] = h[4] + e; out[5] = h[5] + f; out[6] = h[6] + g; out[7] = h[7] + hh;
}

void sha256_compress(uint32_t h[8], const uint8_t block[64]) {
  uint32_t m[16];
  for (int i = 0; i < 16; i++)
    m[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 | (uint32_t)block[4 * i + 2] << 8 | block[4 * i + 3];
  compress_words(h, m, h);
}

void sha256_init(sha256_ctx *c) {
  static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(c->h, iv, sizeof iv);
  c->len = 0;
  c->n = 0;
}

void sha256_update(sha256_ctx *c, const uint8_t *p, size_t n) {
  c->len += n;
  while (n > 0) {
    size_t take = 64 - c->n < n ? 64 - c->n : n;
    memcpy(c->buf + c->n, p, take);
    c->n += take; p += take; n -= take;
    if (c->n == 64) { sha256_compress(c->h, c->buf); c->n = 0; }
  }
}

void sha256_final(sha256_ctx *c, uint8_t out[32]) {
  uint64_t bits = c->len * 8;
  uint8_t pad = 0x80;
  sha256_update(c, &pad, 1);
  uint8_t zero = 0;
  while (c->n != 56) sha256_update(c, &zero, 1);
  uint8_t len[8];
  for (int i = 0; i < 8; i++) len[i] = (uint8_t)(bits >> (56 - 8 * i));
  sha256_update(c, len, 8);
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (uint8_t)(c->h[i] >> 24); out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
    out[4 * i + 2] = (uint8_t)(c->h[i] >> 8); out[4 * i + 3] = (uint8_t)c->h[i];
  }
}

/*
 * The hot loop: U_{i+1} = H(ostate, H(istate, U_i || pad)). The block is 32 bytes of data after a
 * 64-byte key block, so its padding is constant (0x80, zeros, length 768 bits) and the compiler
 * folds those message words.
 */
int kernel256_portable(lane256_t *l, uint64_t iters, const volatile int32_t *cancel) {
  uint32_t m[16] = {0};
  m[8] = 0x80000000u;
  m[15] = 768;
  uint32_t u[8], t[8], d[8];
  memcpy(u, l->u, sizeof u);
  memcpy(t, l->t, sizeof t);
  while (iters > 0) {
    if (kdf_cancelled(cancel)) return -1;
    uint64_t chunk = iters < KDF_CANCEL_STRIDE ? iters : KDF_CANCEL_STRIDE;
    iters -= chunk;
    for (uint64_t i = 0; i < chunk; i++) {
      memcpy(m, u, 32);
      compress_words(l->istate, m, d);
      memcpy(m, d, 32);
      compress_words(l->ostate, m, u);
      for (int j = 0; j < 8; j++) t[j] ^= u[j];
    }
  }
  memcpy(l->u, u, sizeof u);
  memcpy(l->t, t, sizeof t);
  return 0;
}
