/*
 * SHA-256 hot loop on the x86 SHA extensions. One SHA-NI stream is latency-bound (each
 * sha256rnds2 waits for the previous one), so L independent passwords are interleaved to fill the
 * pipeline. State lives in the instructions' ABEF/CDGH register layout for the whole loop; only the
 * 32-byte digest is reshuffled into message order between the two compressions of an iteration.
 * Compiled with per-function target attributes: the binary still loads on CPUs without SHA-NI.
 */
#include "kdf.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define TGT __attribute__((target("sha,sse4.1")))
#define INL static inline __attribute__((always_inline)) TGT

/* words (A..D),(E..H) -> ABEF, CDGH */
INL void to_abef(__m128i lo, __m128i hi, __m128i *s0, __m128i *s1) {
  __m128i t = _mm_shuffle_epi32(lo, 0xB1);
  __m128i u = _mm_shuffle_epi32(hi, 0x1B);
  *s0 = _mm_alignr_epi8(t, u, 8);
  *s1 = _mm_blend_epi16(u, t, 0xF0);
}

/* ABEF, CDGH -> words (A..D),(E..H) */
INL void from_abef(__m128i s0, __m128i s1, __m128i *lo, __m128i *hi) {
  __m128i t = _mm_shuffle_epi32(s0, 0x1B);
  __m128i u = _mm_shuffle_epi32(s1, 0xB1);
  *lo = _mm_blend_epi16(t, u, 0xF0);
  *hi = _mm_alignr_epi8(u, t, 8);
}

/*
 * L compressions of one block each: message words m0 (W0..3), m1 (W4..7), then the constant
 * padding of a 32-byte message after one 64-byte block. Returns digests as words in lo/hi.
 */
INL void compress_l(int L, const __m128i *is0, const __m128i *is1, const __m128i *m0, const __m128i *m1,
                    __m128i *lo, __m128i *hi) {
  const __m128i pad2 = _mm_set_epi32(0, 0, 0, (int)0x80000000u);
  const __m128i pad3 = _mm_set_epi32(768, 0, 0, 0);
  __m128i w[4][4], s0[4], s1[4];
#pragma GCC unroll 4
  for (int j = 0; j < L; j++) { w[j][0] = m0[j]; w[j][1] = m1[j]; w[j][2] = pad2; w[j][3] = pad3; s0[j] = is0[j]; s1[j] = is1[j]; }
#pragma GCC unroll 16
  for (int g = 0; g < 16; g++) {
    const __m128i k = _mm_loadu_si128((const __m128i *)&KDF_K256[4 * g]);
#pragma GCC unroll 4
    for (int j = 0; j < L; j++) {
      __m128i wg;
      if (g < 4) {
        wg = w[j][g];
      } else {
        __m128i x = _mm_sha256msg1_epu32(w[j][g & 3], w[j][(g + 1) & 3]);
        x = _mm_add_epi32(x, _mm_alignr_epi8(w[j][(g + 3) & 3], w[j][(g + 2) & 3], 4));
        wg = _mm_sha256msg2_epu32(x, w[j][(g + 3) & 3]);
        w[j][g & 3] = wg;
      }
      __m128i msg = _mm_add_epi32(wg, k);
      s1[j] = _mm_sha256rnds2_epu32(s1[j], s0[j], msg);
      msg = _mm_shuffle_epi32(msg, 0x0E);
      s0[j] = _mm_sha256rnds2_epu32(s0[j], s1[j], msg);
    }
  }
#pragma GCC unroll 4
  for (int j = 0; j < L; j++) from_abef(_mm_add_epi32(s0[j], is0[j]), _mm_add_epi32(s1[j], is1[j]), &lo[j], &hi[j]);
}

INL int run_l(int L, lane256_t *lanes, uint64_t iters, const volatile int32_t *cancel) {
  __m128i i0[4], i1[4], o0[4], o1[4], u0[4], u1[4], t0[4], t1[4], d0[4], d1[4];
  for (int j = 0; j < L; j++) {
    to_abef(_mm_loadu_si128((const __m128i *)&lanes[j].istate[0]), _mm_loadu_si128((const __m128i *)&lanes[j].istate[4]), &i0[j], &i1[j]);
    to_abef(_mm_loadu_si128((const __m128i *)&lanes[j].ostate[0]), _mm_loadu_si128((const __m128i *)&lanes[j].ostate[4]), &o0[j], &o1[j]);
    u0[j] = _mm_loadu_si128((const __m128i *)&lanes[j].u[0]);
    u1[j] = _mm_loadu_si128((const __m128i *)&lanes[j].u[4]);
    t0[j] = _mm_loadu_si128((const __m128i *)&lanes[j].t[0]);
    t1[j] = _mm_loadu_si128((const __m128i *)&lanes[j].t[4]);
  }
  int rc = 0;
  while (iters > 0) {
    if (kdf_cancelled(cancel)) { rc = -1; break; }
    uint64_t chunk = iters < KDF_CANCEL_STRIDE ? iters : KDF_CANCEL_STRIDE;
    iters -= chunk;
    for (uint64_t i = 0; i < chunk; i++) {
      compress_l(L, i0, i1, u0, u1, d0, d1);
      compress_l(L, o0, o1, d0, d1, u0, u1);
#pragma GCC unroll 4
      for (int j = 0; j < L; j++) { t0[j] = _mm_xor_si128(t0[j], u0[j]); t1[j] = _mm_xor_si128(t1[j], u1[j]); }
    }
  }
  for (int j = 0; j < L; j++) {
    _mm_storeu_si128((__m128i *)&lanes[j].u[0], u0[j]);
    _mm_storeu_si128((__m128i *)&lanes[j].u[4], u1[j]);
    _mm_storeu_si128((__m128i *)&lanes[j].t[0], t0[j]);
    _mm_storeu_si128((__m128i *)&lanes[j].t[4], t1[j]);
  }
  return rc;
}

TGT int kernel256_shani_x1(lane256_t *l, uint64_t n, const volatile int32_t *c) { return run_l(1, l, n, c); }
TGT int kernel256_shani_x2(lane256_t *l, uint64_t n, const volatile int32_t *c) { return run_l(2, l, n, c); }
TGT int kernel256_shani_x3(lane256_t *l, uint64_t n, const volatile int32_t *c) { return run_l(3, l, n, c); }
TGT int kernel256_shani_x4(lane256_t *l, uint64_t n, const volatile int32_t *c) { return run_l(4, l, n, c); }
#endif
