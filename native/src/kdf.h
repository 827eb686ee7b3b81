/*
 * Shared declarations of the PBKDF2 engine. The hot loop of PBKDF2-HMAC is "kernel" work: with the
 * HMAC inner/outer states precomputed once per password, each iteration is exactly two
 * compressions of one padded block, so every path only implements that loop, for a fixed number
 * of lanes (passwords) at once. Everything else (key setup, first iteration, output) is portable.
 */
#ifndef IRESCUE_KDF_H
#define IRESCUE_KDF_H

#include <stddef.h>
#include <stdint.h>

/* One password's state in the SHA-256 hot loop (words, host order). */
typedef struct {
  uint32_t istate[8]; /* chaining value after the ipad block */
  uint32_t ostate[8]; /* chaining value after the opad block */
  uint32_t u[8];      /* U_i, the last HMAC output */
  uint32_t t[8];      /* T = U_1 xor ... xor U_i */
} lane256_t;

typedef struct {
  uint32_t istate[5];
  uint32_t ostate[5];
  uint32_t u[5];
  uint32_t t[5];
} lane160_t;

/* Runs `iters` more iterations on exactly `width` lanes. Returns 0, or -1 when cancelled. */
typedef int (*kernel256_fn)(lane256_t *lanes, uint64_t iters, const volatile int32_t *cancel);

/* Iterations between two looks at the cancel flag: well under a millisecond on every path. */
#define KDF_CANCEL_STRIDE 2048u

static inline int kdf_cancelled(const volatile int32_t *cancel) {
  return cancel != NULL && __atomic_load_n(cancel, __ATOMIC_RELAXED) != 0;
}

/* Portable SHA-256 / SHA-1 (streaming, for key setup and the first iteration). */
typedef struct { uint32_t h[8]; uint64_t len; uint8_t buf[64]; size_t n; } sha256_ctx;
typedef struct { uint32_t h[5]; uint64_t len; uint8_t buf[64]; size_t n; } sha1_ctx;
void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const uint8_t *p, size_t n);
void sha256_final(sha256_ctx *c, uint8_t out[32]);
void sha256_compress(uint32_t h[8], const uint8_t block[64]);
void sha1_init(sha1_ctx *c);
void sha1_update(sha1_ctx *c, const uint8_t *p, size_t n);
void sha1_final(sha1_ctx *c, uint8_t out[20]);
void sha1_compress(uint32_t h[5], const uint8_t block[64]);

extern const uint32_t kdf_sha256_k[64];
/* The round constants, visible to every kernel so the compiler folds K[i] + W[i] for the constant padding words. */
#define KDF_SHA256_K_INIT { \
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, \
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, \
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, \
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, \
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, \
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, \
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, \
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2, \
}
static const uint32_t KDF_K256[64] = KDF_SHA256_K_INIT;

/* Hot loops: portable scalar (1 lane). */
int kernel256_portable(lane256_t *lanes, uint64_t iters, const volatile int32_t *cancel);
int kernel160_portable(lane160_t *lane, uint64_t iters, const volatile int32_t *cancel);
/* Portable multi-buffer (plain C vector types: SSE2 / NEON / scalar). */
int kernel256_vec_x4(lane256_t *lanes, uint64_t iters, const volatile int32_t *cancel);
int kernel256_vec_x8(lane256_t *lanes, uint64_t iters, const volatile int32_t *cancel);

/* x86 hot loops; only call when cpu detection says the instructions exist. */
int kernel256_shani_x1(lane256_t *lanes, uint64_t iters, const volatile int32_t *cancel);
int kernel256_shani_x2(lane256_t *lanes, uint64_t iters, const volatile int32_t *cancel);
int kernel256_shani_x3(lane256_t *lanes, uint64_t iters, const volatile int32_t *cancel);
int kernel256_shani_x4(lane256_t *lanes, uint64_t iters, const volatile int32_t *cancel);
int kernel256_avx2_x8(lane256_t *lanes, uint64_t iters, const volatile int32_t *cancel);
int kernel256_avx2_x16(lane256_t *lanes, uint64_t iters, const volatile int32_t *cancel);
int kernel256_avx512_x16(lane256_t *lanes, uint64_t iters, const volatile int32_t *cancel);
int kernel256_avx512_x32(lane256_t *lanes, uint64_t iters, const volatile int32_t *cancel);
int kernel256_hybrid_x18(lane256_t *lanes, uint64_t iters, const volatile int32_t *cancel);
/* ARMv8 SHA2 hot loops. */
int kernel256_armv8_x1(lane256_t *lanes, uint64_t iters, const volatile int32_t *cancel);
int kernel256_armv8_x2(lane256_t *lanes, uint64_t iters, const volatile int32_t *cancel);

/* CPU features this build can use at run time. */
typedef struct {
  int sha_ni, sse41, avx2, avx512; /* avx512 = F + VL + OS support for ZMM state */
  int armv8_sha2;
} cpu_features_t;
void cpu_detect(cpu_features_t *f);

typedef struct {
  const char *name;        /* stable id: "sha-ni-x3", "avx512-x16", ... */
  const char *description; /* for humans */
  unsigned width;          /* lanes per kernel call */
  kernel256_fn fn;
} path_t;

/* Every path this binary knows; `available` filled by cpu detection. */
size_t kdf_paths(const path_t **out, int *available, size_t max);
const path_t *kdf_find_path(const char *name); /* NULL when unknown or not runnable here */

typedef enum { KDF_SHA1 = 1, KDF_SHA256 = 2 } kdf_hash_t;

/* Clears password-derived memory before it is freed (the call is not optimised away). */
void kdf_wipe(void *p, size_t n);

/*
 * PBKDF2 for n passwords sharing salt and iteration count. pw[i] / pwlen[i]; out gets n * dklen
 * bytes. path is ignored for SHA-1 (its 10,000 iterations are 0.1% of a backup guess). Returns 0,
 * -1 when cancelled, -2 on allocation failure.
 */
int kdf_pbkdf2_batch(kdf_hash_t hash, const path_t *path, const uint8_t *const *pw, const size_t *pwlen, size_t n,
                     const uint8_t *salt, size_t saltlen, uint64_t iterations, uint8_t *out, size_t dklen,
                     const volatile int32_t *cancel);

#endif
