/*
 * SHA-256 hot loop on the ARMv8 SHA2 instructions (every Apple-silicon Mac, most 64-bit ARM
 * servers). Two passwords interleaved hide the latency of sha256h/sha256h2. The state stays in
 * (ABCD, EFGH) registers, which is also message order, so no reshuffle between compressions.
 */
#include "kdf.h"

#if defined(__aarch64__)
#include <arm_neon.h>

#if defined(__clang__)
#define TGT __attribute__((target("sha2")))
#else
#define TGT __attribute__((target("+crypto")))
#endif
#define INL static inline __attribute__((always_inline)) TGT

INL void compress_l(int L, const uint32x4_t *s0, const uint32x4_t *s1, const uint32x4_t *m0, const uint32x4_t *m1,
                    uint32x4_t *o0, uint32x4_t *o1) {
  static const uint32_t pad[8] = {0x80000000u, 0, 0, 0, 0, 0, 0, 768};
  uint32x4_t w[2][4], a[2], e[2];
  for (int j = 0; j < L; j++) {
    w[j][0] = m0[j]; w[j][1] = m1[j]; w[j][2] = vld1q_u32(&pad[0]); w[j][3] = vld1q_u32(&pad[4]);
    a[j] = s0[j]; e[j] = s1[j];
  }
  for (int g = 0; g < 16; g++) {
    const uint32x4_t k = vld1q_u32(&KDF_K256[4 * g]);
    for (int j = 0; j < L; j++) {
      if (g >= 4) {
        /* W[g] from W[g-4] (w[g&3]), W[g-3], W[g-2], W[g-1] */
        w[j][g & 3] = vsha256su1q_u32(vsha256su0q_u32(w[j][g & 3], w[j][(g + 1) & 3]), w[j][(g + 2) & 3], w[j][(g + 3) & 3]);
      }
      uint32x4_t wk = vaddq_u32(w[j][g & 3], k);
      uint32x4_t a0 = a[j];
      a[j] = vsha256hq_u32(a[j], e[j], wk);
      e[j] = vsha256h2q_u32(e[j], a0, wk);
    }
  }
  for (int j = 0; j < L; j++) { o0[j] = vaddq_u32(a[j], s0[j]); o1[j] = vaddq_u32(e[j], s1[j]); }
}

INL int run_l(int L, lane256_t *lanes, uint64_t iters, const volatile int32_t *cancel) {
  uint32x4_t i0[2], i1[2], o0[2], o1[2], u0[2], u1[2], t0[2], t1[2], d0[2], d1[2];
  for (int j = 0; j < L; j++) {
    i0[j] = vld1q_u32(&lanes[j].istate[0]); i1[j] = vld1q_u32(&lanes[j].istate[4]);
    o0[j] = vld1q_u32(&lanes[j].ostate[0]); o1[j] = vld1q_u32(&lanes[j].ostate[4]);
    u0[j] = vld1q_u32(&lanes[j].u[0]); u1[j] = vld1q_u32(&lanes[j].u[4]);
    t0[j] = vld1q_u32(&lanes[j].t[0]); t1[j] = vld1q_u32(&lanes[j].t[4]);
  }
  int rc = 0;
  while (iters > 0) {
    if (kdf_cancelled(cancel)) { rc = -1; break; }
    uint64_t chunk = iters < KDF_CANCEL_STRIDE ? iters : KDF_CANCEL_STRIDE;
    iters -= chunk;
    for (uint64_t i = 0; i < chunk; i++) {
      compress_l(L, i0, i1, u0, u1, d0, d1);
      compress_l(L, o0, o1, d0, d1, u0, u1);
      for (int j = 0; j < L; j++) { t0[j] = veorq_u32(t0[j], u0[j]); t1[j] = veorq_u32(t1[j], u1[j]); }
    }
  }
  for (int j = 0; j < L; j++) {
    vst1q_u32(&lanes[j].u[0], u0[j]); vst1q_u32(&lanes[j].u[4], u1[j]);
    vst1q_u32(&lanes[j].t[0], t0[j]); vst1q_u32(&lanes[j].t[4], t1[j]);
  }
  return rc;
}

TGT int kernel256_armv8_x1(lane256_t *l, uint64_t n, const volatile int32_t *c) { return run_l(1, l, n, c); }
TGT int kernel256_armv8_x2(lane256_t *l, uint64_t n, const volatile int32_t *c) { return run_l(2, l, n, c); }
#endif
