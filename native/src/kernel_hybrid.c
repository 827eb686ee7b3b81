/*
 * Hybrid hot loop: 16 AVX-512 lanes and 2 SHA-NI lanes in one instruction stream, four rounds of
 * each in turn, so the SHA unit works while the vector ALUs do. On the AMD Zen 5 this was written
 * on it is about 10% faster than AVX-512 alone (3 or 4 SHA-NI lanes were slower again); the
 * start-up measurement decides whether it wins elsewhere.
 */
#include "kdf.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define TGT __attribute__((target("avx512f,avx512vl,avx2,sha,sse4.1")))
#define INL static inline __attribute__((always_inline)) TGT
typedef uint32_t v16 __attribute__((vector_size(64), aligned(64)));
#define M(x) ((__m512i)(x))
#define V(x) ((v16)(x))
#define ROTR(x, n) V(_mm512_ror_epi32(M(x), n))
#define XOR3(x, y, z) V(_mm512_ternarylogic_epi32(M(x), M(y), M(z), 0x96))
#define CH(e, f, g) V(_mm512_ternarylogic_epi32(M(e), M(f), M(g), 0xCA))
#define MAJ(a, b, c) V(_mm512_ternarylogic_epi32(M(a), M(b), M(c), 0xE8))
#define BSIG0(x) XOR3(ROTR(x, 2), ROTR(x, 13), ROTR(x, 22))
#define BSIG1(x) XOR3(ROTR(x, 6), ROTR(x, 11), ROTR(x, 25))
#define SSIG0(x) XOR3(ROTR(x, 7), ROTR(x, 18), ((x) >> 3))
#define SSIG1(x) XOR3(ROTR(x, 17), ROTR(x, 19), ((x) >> 10))

INL void to_abef(__m128i lo, __m128i hi, __m128i *s0, __m128i *s1) {
  __m128i t = _mm_shuffle_epi32(lo, 0xB1), u = _mm_shuffle_epi32(hi, 0x1B);
  *s0 = _mm_alignr_epi8(t, u, 8);
  *s1 = _mm_blend_epi16(u, t, 0xF0);
}

INL void from_abef(__m128i s0, __m128i s1, __m128i *lo, __m128i *hi) {
  __m128i t = _mm_shuffle_epi32(s0, 0x1B), u = _mm_shuffle_epi32(s1, 0xB1);
  *lo = _mm_blend_epi16(t, u, 0xF0);
  *hi = _mm_alignr_epi8(u, t, 8);
}

/* One compression for 16 vector lanes and SL SHA-NI lanes, four rounds of each in turn. */
INL void fused(int SL, const v16 st[8], const v16 m[8], v16 out[8], const __m128i *is0, const __m128i *is1, const __m128i *m0,
               const __m128i *m1, __m128i *lo, __m128i *hi) {
  v16 w[16], a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];
  for (int i = 0; i < 8; i++) w[i] = m[i];
  w[8] = (v16){0} + 0x80000000u;
  for (int i = 9; i < 15; i++) w[i] = (v16){0};
  w[15] = (v16){0} + 768u;
  __m128i sw[4][4], s0[4], s1[4];
  for (int j = 0; j < SL; j++) {
    sw[j][0] = m0[j]; sw[j][1] = m1[j];
    sw[j][2] = _mm_set_epi32(0, 0, 0, (int)0x80000000u); sw[j][3] = _mm_set_epi32(768, 0, 0, 0);
    s0[j] = is0[j]; s1[j] = is1[j];
  }
#pragma GCC unroll 16
  for (int gr = 0; gr < 16; gr++) {
#pragma GCC unroll 4
    for (int r = 0; r < 4; r++) {
      int i = 4 * gr + r;
      v16 wi;
      if (i < 16) wi = w[i];
      else wi = w[i & 15] += SSIG1(w[(i - 2) & 15]) + w[(i - 7) & 15] + SSIG0(w[(i - 15) & 15]);
      /* what is known early first, the newest e and a last: short dependency chains (kernel_simd.inc) */
      v16 hk = h + (wi + KDF_K256[i]), ch = CH(e, f, g), s1 = BSIG1(e);
      v16 t1 = (hk + ch) + s1;
      v16 en = ((d + hk) + ch) + s1;
      v16 an = (t1 + MAJ(a, b, c)) + BSIG0(a);
      h = g; g = f; f = e; e = en; d = c; c = b; b = a; a = an;
    }
    const __m128i k = _mm_loadu_si128((const __m128i *)&KDF_K256[4 * gr]);
#pragma GCC unroll 4
    for (int j = 0; j < SL; j++) {
      __m128i wg;
      if (gr < 4) {
        wg = sw[j][gr];
      } else {
        __m128i x = _mm_sha256msg1_epu32(sw[j][gr & 3], sw[j][(gr + 1) & 3]);
        x = _mm_add_epi32(x, _mm_alignr_epi8(sw[j][(gr + 3) & 3], sw[j][(gr + 2) & 3], 4));
        wg = _mm_sha256msg2_epu32(x, sw[j][(gr + 3) & 3]);
        sw[j][gr & 3] = wg;
      }
      __m128i msg = _mm_add_epi32(wg, k);
      s1[j] = _mm_sha256rnds2_epu32(s1[j], s0[j], msg);
      msg = _mm_shuffle_epi32(msg, 0x0E);
      s0[j] = _mm_sha256rnds2_epu32(s0[j], s1[j], msg);
    }
  }
  out[0] = st[0] + a; out[1] = st[1] + b; out[2] = st[2] + c; out[3] = st[3] + d;
  out[4] = st[4] + e; out[5] = st[5] + f; out[6] = st[6] + g; out[7] = st[7] + h;
  for (int j = 0; j < SL; j++) from_abef(_mm_add_epi32(s0[j], is0[j]), _mm_add_epi32(s1[j], is1[j]), &lo[j], &hi[j]);
}

INL int run_hybrid(int SL, lane256_t *lanes, uint64_t iters, const volatile int32_t *cancel) {
  v16 is[8], os[8], u[8], t[8], dg[8];
  for (int i = 0; i < 8; i++)
    for (int l = 0; l < 16; l++) { is[i][l] = lanes[l].istate[i]; os[i][l] = lanes[l].ostate[i]; u[i][l] = lanes[l].u[i]; t[i][l] = lanes[l].t[i]; }
  lane256_t *sl = lanes + 16;
  __m128i i0[4], i1[4], o0[4], o1[4], u0[4], u1[4], t0[4], t1[4], d0[4], d1[4];
  for (int j = 0; j < SL; j++) {
    to_abef(_mm_loadu_si128((const __m128i *)&sl[j].istate[0]), _mm_loadu_si128((const __m128i *)&sl[j].istate[4]), &i0[j], &i1[j]);
    to_abef(_mm_loadu_si128((const __m128i *)&sl[j].ostate[0]), _mm_loadu_si128((const __m128i *)&sl[j].ostate[4]), &o0[j], &o1[j]);
    u0[j] = _mm_loadu_si128((const __m128i *)&sl[j].u[0]); u1[j] = _mm_loadu_si128((const __m128i *)&sl[j].u[4]);
    t0[j] = _mm_loadu_si128((const __m128i *)&sl[j].t[0]); t1[j] = _mm_loadu_si128((const __m128i *)&sl[j].t[4]);
  }
  int rc = 0;
  while (iters > 0) {
    if (kdf_cancelled(cancel)) { rc = -1; break; }
    uint64_t chunk = iters < KDF_CANCEL_STRIDE ? iters : KDF_CANCEL_STRIDE;
    iters -= chunk;
    for (uint64_t n = 0; n < chunk; n++) {
      fused(SL, is, u, dg, i0, i1, u0, u1, d0, d1);
      fused(SL, os, dg, u, o0, o1, d0, d1, u0, u1);
      for (int i = 0; i < 8; i++) t[i] ^= u[i];
      for (int j = 0; j < SL; j++) { t0[j] = _mm_xor_si128(t0[j], u0[j]); t1[j] = _mm_xor_si128(t1[j], u1[j]); }
    }
  }
  for (int i = 0; i < 8; i++)
    for (int l = 0; l < 16; l++) { lanes[l].u[i] = u[i][l]; lanes[l].t[i] = t[i][l]; }
  for (int j = 0; j < SL; j++) {
    _mm_storeu_si128((__m128i *)&sl[j].u[0], u0[j]); _mm_storeu_si128((__m128i *)&sl[j].u[4], u1[j]);
    _mm_storeu_si128((__m128i *)&sl[j].t[0], t0[j]); _mm_storeu_si128((__m128i *)&sl[j].t[4], t1[j]);
  }
  return rc;
}

TGT int kernel256_hybrid_x18(lane256_t *l, uint64_t n, const volatile int32_t *c) { return run_hybrid(2, l, n, c); }
#endif
