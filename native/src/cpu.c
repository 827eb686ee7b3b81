/* Run-time CPU feature detection and the table of paths this binary carries. */
#include <string.h>
#include "kdf.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
static uint64_t xgetbv0(void) {
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return ((uint64_t)hi << 32) | lo;
}
#endif
#if defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_SHA2
#define HWCAP_SHA2 (1 << 6)
#endif
#endif

void cpu_detect(cpu_features_t *f) {
  memset(f, 0, sizeof *f);
#if defined(__x86_64__) || defined(__i386__)
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return;
  int sse41 = (c >> 19) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
  unsigned max = __get_cpuid_max(0, NULL);
  unsigned b7 = 0;
  if (max >= 7) { unsigned a7, c7, d7; __cpuid_count(7, 0, a7, b7, c7, d7); (void)a7; (void)c7; (void)d7; }
  uint64_t xcr0 = osxsave ? xgetbv0() : 0;
  int ymm = (xcr0 & 0x6) == 0x6, zmm = (xcr0 & 0xe6) == 0xe6;
  f->sse41 = sse41;
  f->sha_ni = sse41 && ((b7 >> 29) & 1);
  f->avx2 = avx && ymm && ((b7 >> 5) & 1);
  f->avx512 = f->avx2 && zmm && ((b7 >> 16) & 1) && ((b7 >> 31) & 1);
#elif defined(__aarch64__)
#if defined(__APPLE__)
  f->armv8_sha2 = 1; /* every Apple-silicon core has the SHA2 instructions */
#elif defined(__linux__)
  f->armv8_sha2 = (getauxval(AT_HWCAP) & HWCAP_SHA2) != 0;
#endif
#endif
}

enum { NEED_NONE, NEED_SHANI, NEED_AVX2, NEED_AVX512, NEED_AVX512_SHANI, NEED_ARM };

static const struct { path_t p; int need; } PATHS[] = {
  {{"portable", "portable C, 1 lane, precomputed HMAC states", 1, kernel256_portable}, NEED_NONE},
  {{"portable-x4", "portable C vectors (SSE2/NEON), 4 lanes", 4, kernel256_vec_x4}, NEED_NONE},
  {{"portable-x8", "portable C vectors (SSE2/NEON), 2x4 interleaved lanes", 8, kernel256_vec_x8}, NEED_NONE},
#if defined(__x86_64__) || defined(__i386__)
  {{"sha-ni-x1", "x86 SHA extensions, 1 lane", 1, kernel256_shani_x1}, NEED_SHANI},
  {{"sha-ni-x2", "x86 SHA extensions, 2 interleaved lanes", 2, kernel256_shani_x2}, NEED_SHANI},
  {{"sha-ni-x3", "x86 SHA extensions, 3 interleaved lanes", 3, kernel256_shani_x3}, NEED_SHANI},
  {{"sha-ni-x4", "x86 SHA extensions, 4 interleaved lanes", 4, kernel256_shani_x4}, NEED_SHANI},
  {{"avx2-x8", "AVX2 multi-buffer, 8 lanes", 8, kernel256_avx2_x8}, NEED_AVX2},
  {{"avx2-x16", "AVX2 multi-buffer, 2x8 interleaved lanes", 16, kernel256_avx2_x16}, NEED_AVX2},
  {{"avx512-x16", "AVX-512 multi-buffer, 16 lanes", 16, kernel256_avx512_x16}, NEED_AVX512},
  {{"avx512-x32", "AVX-512 multi-buffer, 2x16 interleaved lanes", 32, kernel256_avx512_x32}, NEED_AVX512},
  {{"avx512-sha-ni-x18", "AVX-512 16 lanes and SHA-NI 2 lanes in one stream", 18, kernel256_hybrid_x18}, NEED_AVX512_SHANI},
#endif
#if defined(__aarch64__)
  {{"armv8-x1", "ARMv8 SHA2 instructions, 1 lane", 1, kernel256_armv8_x1}, NEED_ARM},
  {{"armv8-x2", "ARMv8 SHA2 instructions, 2 interleaved lanes", 2, kernel256_armv8_x2}, NEED_ARM},
#endif
};

static int runnable(int need, const cpu_features_t *f) {
  switch (need) {
    case NEED_NONE: return 1;
    case NEED_SHANI: return f->sha_ni;
    case NEED_AVX2: return f->avx2;
    case NEED_AVX512: return f->avx512;
    case NEED_AVX512_SHANI: return f->avx512 && f->sha_ni;
    case NEED_ARM: return f->armv8_sha2;
  }
  return 0;
}

size_t kdf_paths(const path_t **out, int *available, size_t max) {
  cpu_features_t f;
  cpu_detect(&f);
  size_t n = sizeof PATHS / sizeof PATHS[0];
  for (size_t i = 0; i < n && i < max; i++) {
    out[i] = &PATHS[i].p;
    available[i] = runnable(PATHS[i].need, &f);
  }
  return n < max ? n : max;
}

const path_t *kdf_find_path(const char *name) {
  cpu_features_t f;
  cpu_detect(&f);
  for (size_t i = 0; i < sizeof PATHS / sizeof PATHS[0]; i++)
    if (strcmp(PATHS[i].p.name, name) == 0) return runnable(PATHS[i].need, &f) ? &PATHS[i].p : NULL;
  return NULL;
}
