/*
 * PBKDF2 (RFC 8018) driver: key setup and the first iteration are portable and per password; the
 * remaining iterations run in the chosen path's multi-lane kernel. A partial last group is padded
 * by repeating its last password; those lanes' results are dropped.
 */
#include <stdlib.h>
#include <string.h>
#include "kdf.h"

static const uint32_t SHA256_IV[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
static const uint32_t SHA1_IV[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};

static void *(*const volatile wipe_memset)(void *, int, size_t) = memset;
void kdf_wipe(void *p, size_t n) {
  if (p) wipe_memset(p, 0, n);
}

static void key_block(const uint8_t *key, size_t keylen, int sha256, uint8_t block[64]) {
  memset(block, 0, 64);
  if (keylen > 64) {
    if (sha256) { sha256_ctx c; sha256_init(&c); sha256_update(&c, key, keylen); sha256_final(&c, block); }
    else { sha1_ctx c; sha1_init(&c); sha1_update(&c, key, keylen); sha1_final(&c, block); }
  } else if (keylen > 0) {
    memcpy(block, key, keylen);
  }
}

static void be32_words(const uint8_t *in, uint32_t *out, int n) {
  for (int i = 0; i < n; i++)
    out[i] = (uint32_t)in[4 * i] << 24 | (uint32_t)in[4 * i + 1] << 16 | (uint32_t)in[4 * i + 2] << 8 | in[4 * i + 3];
}

static void words_be32(const uint32_t *in, uint8_t *out, int n) {
  for (int i = 0; i < n; i++) {
    out[4 * i] = (uint8_t)(in[i] >> 24); out[4 * i + 1] = (uint8_t)(in[i] >> 16);
    out[4 * i + 2] = (uint8_t)(in[i] >> 8); out[4 * i + 3] = (uint8_t)in[i];
  }
}

static void setup256(lane256_t *l, const uint8_t *pw, size_t pwlen) {
  uint8_t k[64], b[64];
  key_block(pw, pwlen, 1, k);
  memcpy(l->istate, SHA256_IV, 32);
  memcpy(l->ostate, SHA256_IV, 32);
  for (int i = 0; i < 64; i++) b[i] = k[i] ^ 0x36;
  sha256_compress(l->istate, b);
  for (int i = 0; i < 64; i++) b[i] = k[i] ^ 0x5c;
  sha256_compress(l->ostate, b);
}

static void first256(lane256_t *l, const uint8_t *salt, size_t saltlen, uint32_t block_index) {
  uint8_t be[4] = {(uint8_t)(block_index >> 24), (uint8_t)(block_index >> 16), (uint8_t)(block_index >> 8), (uint8_t)block_index};
  uint8_t inner[32], outer[32];
  sha256_ctx c;
  memcpy(c.h, l->istate, 32); c.len = 64; c.n = 0;
  sha256_update(&c, salt, saltlen);
  sha256_update(&c, be, 4);
  sha256_final(&c, inner);
  memcpy(c.h, l->ostate, 32); c.len = 64; c.n = 0;
  sha256_update(&c, inner, 32);
  sha256_final(&c, outer);
  be32_words(outer, l->u, 8);
  memcpy(l->t, l->u, 32);
}

static void setup160(lane160_t *l, const uint8_t *pw, size_t pwlen) {
  uint8_t k[64], b[64];
  key_block(pw, pwlen, 0, k);
  memcpy(l->istate, SHA1_IV, 20);
  memcpy(l->ostate, SHA1_IV, 20);
  for (int i = 0; i < 64; i++) b[i] = k[i] ^ 0x36;
  sha1_compress(l->istate, b);
  for (int i = 0; i < 64; i++) b[i] = k[i] ^ 0x5c;
  sha1_compress(l->ostate, b);
}

static void first160(lane160_t *l, const uint8_t *salt, size_t saltlen, uint32_t block_index) {
  uint8_t be[4] = {(uint8_t)(block_index >> 24), (uint8_t)(block_index >> 16), (uint8_t)(block_index >> 8), (uint8_t)block_index};
  uint8_t inner[20], outer[20];
  sha1_ctx c;
  memcpy(c.h, l->istate, 20); c.len = 64; c.n = 0;
  sha1_update(&c, salt, saltlen);
  sha1_update(&c, be, 4);
  sha1_final(&c, inner);
  memcpy(c.h, l->ostate, 20); c.len = 64; c.n = 0;
  sha1_update(&c, inner, 20);
  sha1_final(&c, outer);
  be32_words(outer, l->u, 5);
  memcpy(l->t, l->u, 20);
}

static int batch256(const path_t *path, const uint8_t *const *pw, const size_t *pwlen, size_t n, const uint8_t *salt,
                    size_t saltlen, uint64_t iterations, uint8_t *out, size_t dklen, const volatile int32_t *cancel) {
  unsigned w = path->width;
  lane256_t *lanes = aligned_alloc(64, ((sizeof(lane256_t) * w + 63) / 64) * 64);
  lane256_t *keys = malloc(sizeof(lane256_t) * w);
  if (!lanes || !keys) { free(lanes); free(keys); return -2; }
  size_t blocks = (dklen + 31) / 32;
  int rc = 0;
  for (size_t g = 0; g < n && rc == 0; g += w) {
    for (unsigned j = 0; j < w; j++) {
      size_t idx = g + j < n ? g + j : n - 1;
      setup256(&keys[j], pw[idx], pwlen[idx]);
    }
    for (size_t b = 0; b < blocks && rc == 0; b++) {
      if (kdf_cancelled(cancel)) { rc = -1; break; }
      for (unsigned j = 0; j < w; j++) {
        lanes[j] = keys[j];
        first256(&lanes[j], salt, saltlen, (uint32_t)(b + 1));
      }
      if (iterations > 1 && path->fn(lanes, iterations - 1, cancel) != 0) { rc = -1; break; }
      for (unsigned j = 0; j < w && g + j < n; j++) {
        uint8_t t[32];
        words_be32(lanes[j].t, t, 8);
        size_t take = dklen - b * 32 < 32 ? dklen - b * 32 : 32;
        memcpy(out + (g + j) * dklen + b * 32, t, take);
      }
    }
  }
  kdf_wipe(lanes, sizeof(lane256_t) * w);
  free(lanes);
  kdf_wipe(keys, sizeof(lane256_t) * w);
  free(keys);
  return rc;
}

static int batch160(const uint8_t *const *pw, const size_t *pwlen, size_t n, const uint8_t *salt, size_t saltlen,
                    uint64_t iterations, uint8_t *out, size_t dklen, const volatile int32_t *cancel) {
  size_t blocks = (dklen + 19) / 20;
  for (size_t i = 0; i < n; i++) {
    lane160_t key, l;
    setup160(&key, pw[i], pwlen[i]);
    for (size_t b = 0; b < blocks; b++) {
      if (kdf_cancelled(cancel)) return -1;
      l = key;
      first160(&l, salt, saltlen, (uint32_t)(b + 1));
      if (iterations > 1 && kernel160_portable(&l, iterations - 1, cancel) != 0) return -1;
      uint8_t t[20];
      words_be32(l.t, t, 5);
      size_t take = dklen - b * 20 < 20 ? dklen - b * 20 : 20;
      memcpy(out + i * dklen + b * 20, t, take);
    }
    kdf_wipe(&key, sizeof key);
    kdf_wipe(&l, sizeof l);
  }
  return 0;
}

int kdf_pbkdf2_batch(kdf_hash_t hash, const path_t *path, const uint8_t *const *pw, const size_t *pwlen, size_t n,
                     const uint8_t *salt, size_t saltlen, uint64_t iterations, uint8_t *out, size_t dklen,
                     const volatile int32_t *cancel) {
  if (n == 0 || dklen == 0) return 0;
  if (hash == KDF_SHA1) return batch160(pw, pwlen, n, salt, saltlen, iterations, out, dklen, cancel);
  return batch256(path, pw, pwlen, n, salt, saltlen, iterations, out, dklen, cancel);
}
