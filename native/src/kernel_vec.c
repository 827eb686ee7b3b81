/*
 * The portable path: multi-buffer SHA-256 in plain C with GCC/Clang vector types, 4 lanes of 32
 * bits, no CPU-specific intrinsics and no target attributes. The compiler maps it to the baseline
 * vector unit of the architecture (SSE2 on every x86-64, NEON on AArch64) or to scalar code.
 */
#include "kdf.h"

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define XOR3(x, y, z) ((x) ^ (y) ^ (z))
#define CH(e, f, g) ((g) ^ ((e) & ((f) ^ (g))))
#define MAJ(a, b, c) (((a) & (b)) | ((c) & ((a) | (b))))
#define TARGET_ATTR
#define VBYTES 16

#define K 1
#define NAME kernel256_vec_x4
#define VT vec_portable_x4
#include "kernel_simd.inc"
#undef NAME
#undef VT
#undef K
#define K 2
#define NAME kernel256_vec_x8
#define VT vec_portable_x8
#include "kernel_simd.inc"
