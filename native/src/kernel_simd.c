/*
 * AVX2 (8 lanes per register) and AVX-512 (16 lanes) multi-buffer SHA-256 hot loops, from one
 * template (kernel_simd.inc) using GCC/Clang vector types. Per-function target attributes keep the
 * rest of the binary baseline x86-64, so it loads on CPUs without these instructions.
 */
#include "kdf.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)

/* AVX2: rotates are two shifts and an or; Ch/Maj in their three-operation forms. */
#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define XOR3(x, y, z) ((x) ^ (y) ^ (z))
#define CH(e, f, g) ((g) ^ ((e) & ((f) ^ (g))))
#define MAJ(a, b, c) (((a) & (b)) | ((c) & ((a) | (b))))

#define TARGET_ATTR __attribute__((target("avx2")))
#define VBYTES 32
#define K 1
#define NAME kernel256_avx2_x8
#define VT vec_avx2_x8
#include "kernel_simd.inc"
#undef NAME
#undef VT
#undef K
#define K 2
#define NAME kernel256_avx2_x16
#define VT vec_avx2_x16
#include "kernel_simd.inc"
#undef NAME
#undef VT
#undef K
#undef VBYTES
#undef TARGET_ATTR
#undef ROTR
#undef XOR3
#undef CH
#undef MAJ

/* AVX-512: native rotate (vprord) and three-input logic (vpternlogd) for Ch, Maj and the xors. */
#define M512(x) ((__m512i)(x))
#define V512(x) ((VT)(x))
#define ROTR(x, n) V512(_mm512_ror_epi32(M512(x), n))
#define XOR3(x, y, z) V512(_mm512_ternarylogic_epi32(M512(x), M512(y), M512(z), 0x96))
#define CH(e, f, g) V512(_mm512_ternarylogic_epi32(M512(e), M512(f), M512(g), 0xCA))
#define MAJ(a, b, c) V512(_mm512_ternarylogic_epi32(M512(a), M512(b), M512(c), 0xE8))

#define TARGET_ATTR __attribute__((target("avx512f,avx512vl,avx2")))
#define SHORT_CHAINS 1
#define VBYTES 64
#define K 1
#define NAME kernel256_avx512_x16
#define VT vec_avx512_x16
#include "kernel_simd.inc"
#undef NAME
#undef VT
#undef K
#define K 2
#define NAME kernel256_avx512_x32
#define VT vec_avx512_x32
#include "kernel_simd.inc"
#endif
