/* cnn-small-gemm.c — GEMM kernels for shapes BLAS does poorly: small K, or very few rows. */
// SPDX-License-Identifier: GPL-3.0-or-later
//
// A first convolution has K = window · input channels = 9 (grey) or 27 (RGB) and 32
// outputs: OpenBLAS's packing and its 2-thread split cost more than the arithmetic there
// (55–77 GFLOP/s measured, against ~100 per core on large shapes). These kernels keep a
// block of the result in registers and read the operands straight from the im2col chunk,
// which is still in the cache, or from the image itself when no padding is involved. Each result element is one fused multiply-add chain in a
// fixed order that does not depend on where its block starts, so any split of the rows
// (threads, chunks) gives the same bits, and so does the vector width: AVX-512 forms run
// where the CPU has it, AVX2 ones elsewhere. They differ from cblas_sgemm only by rounding.
//
// A Dense layer in a small batch (Dogs vs Cats: 15 rows × 25,088 inputs × 512 units) is
// the other case: BLAS packs the 51 MB kernel before it multiplies it with so few rows;
// cnn_gemm_few_rows reads the kernel once, straight through (1.5–2× faster here).

#include <string.h>

#include "cnn-kernels.h"

/* The weight gradient sums rows in segments of this many into registers, then adds each
 * segment's sum to the result: the segments of the operands stay in L1, and the running
 * sums stay short, so their rounding error grows with m / 128, not m. */
#define SEGMENT_ROWS 128

/* cnn_gemm_few_rows goes through b in blocks of this many rows, so that the block (at most
 * 256 rows of a slice's columns) stays in L2 while every 8-column strip of it is done. */
#define FEW_ROWS_K_BLOCK 256

#if defined(__x86_64__) && defined(__GNUC__)

#include <immintrin.h>

#define AVX2_FMA __attribute__ ((target ("avx2,fma")))

int
cnn_gemm_small_k_available (void)
{
  __builtin_cpu_init ();
  return __builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma");
}

/* Element kk of row r of the left operand: a (m, k) when offsets is NULL, else gathered
 * from an image at a[r · row_step + offsets[kk]] (cnn_gemm_small_k_gather). */
static inline __attribute__ ((always_inline)) const float *
element (const float *a, size_t row_step, const int32_t *offsets, int r, int kk)
{
  return a + (size_t) r * row_step + (offsets ? (size_t) offsets[kk] : (size_t) kk);
}

/* c[rows, 8·vectors columns from j] = a[rows] · b[:, j…], rows ≤ 4, vectors ≤ 2. */
static inline __attribute__ ((always_inline)) AVX2_FMA void
forward_block (const float *a, size_t row_step, const int32_t *offsets, const float *b,
               float *c, int k, int n, int j, const int rows, const int vectors)
{
  __m256 acc[4][2];

  for (int r = 0; r < rows; r++)
    for (int v = 0; v < vectors; v++)
      acc[r][v] = _mm256_setzero_ps ();
  for (int kk = 0; kk < k; kk++)
    {
      __m256 weight[2];
      for (int v = 0; v < vectors; v++)
        weight[v] = _mm256_loadu_ps (b + (size_t) kk * n + j + 8 * v);
      for (int r = 0; r < rows; r++)
        {
          __m256 x = _mm256_broadcast_ss (element (a, row_step, offsets, r, kk));
          for (int v = 0; v < vectors; v++)
            acc[r][v] = _mm256_fmadd_ps (x, weight[v], acc[r][v]);
        }
    }
  for (int r = 0; r < rows; r++)
    for (int v = 0; v < vectors; v++)
      _mm256_storeu_ps (c + (size_t) r * n + j + 8 * v, acc[r][v]);
}

/* All column blocks of `rows` (a constant) rows. */
static inline __attribute__ ((always_inline)) AVX2_FMA void
forward_rows (const float *a, size_t row_step, const int32_t *offsets, const float *b,
              float *c, int k, int n, const int rows)
{
  int j = 0;

  for (; j + 16 <= n; j += 16)
    forward_block (a, row_step, offsets, b, c, k, n, j, rows, 2);
  if (j < n)
    forward_block (a, row_step, offsets, b, c, k, n, j, rows, 1);
}

static inline __attribute__ ((always_inline)) AVX2_FMA void
forward (int m, int n, int k, const float *a, size_t row_step, const int32_t *offsets,
         const float *b, float *c)
{
  int i = 0;

  for (; i + 4 <= m; i += 4)
    forward_rows (a + (size_t) i * row_step, row_step, offsets, b, c + (size_t) i * n, k, n,
                  4);
  for (; i < m; i++)
    forward_rows (a + (size_t) i * row_step, row_step, offsets, b, c + (size_t) i * n, k, n,
                  1);
}

#define AVX512 __attribute__ ((target ("avx512f")))

/* The AVX-512 forms of forward and gradient: 16 columns per vector, the last vector of a
 * row masked when n is not a multiple of 16. Every element gets the same chain of fused
 * multiply-adds in the same order as in the AVX2 forms, so the same bits. */
static inline __attribute__ ((always_inline)) AVX512 void
forward_block_512 (const float *a, size_t row_step, const int32_t *offsets, const float *b,
                   float *c, int k, int n, int j, const int rows, const int vectors,
                   __mmask16 last)
{
  __m512 acc[8][2];

  for (int r = 0; r < rows; r++)
    for (int v = 0; v < vectors; v++)
      acc[r][v] = _mm512_setzero_ps ();
  for (int kk = 0; kk < k; kk++)
    {
      __m512 weight[2];
      for (int v = 0; v < vectors; v++)
        weight[v] = _mm512_maskz_loadu_ps (v == vectors - 1 ? last : 0xFFFF,
                                           b + (size_t) kk * n + j + 16 * v);
      for (int r = 0; r < rows; r++)
        {
          __m512 x = _mm512_set1_ps (*element (a, row_step, offsets, r, kk));
          for (int v = 0; v < vectors; v++)
            acc[r][v] = _mm512_fmadd_ps (x, weight[v], acc[r][v]);
        }
    }
  for (int r = 0; r < rows; r++)
    for (int v = 0; v < vectors; v++)
      _mm512_mask_storeu_ps (c + (size_t) r * n + j + 16 * v,
                             v == vectors - 1 ? last : 0xFFFF, acc[r][v]);
}

static inline __attribute__ ((always_inline)) AVX512 void
forward_rows_512 (const float *a, size_t row_step, const int32_t *offsets, const float *b,
                  float *c, int k, int n, const int rows)
{
  int j = 0;

  for (; j + 32 <= n; j += 32)
    forward_block_512 (a, row_step, offsets, b, c, k, n, j, rows, 2, 0xFFFF);
  if (n - j > 16)
    forward_block_512 (a, row_step, offsets, b, c, k, n, j, rows, 2,
                       (__mmask16) ((1u << (n - j - 16)) - 1));
  else if (n - j > 0)
    forward_block_512 (a, row_step, offsets, b, c, k, n, j, rows, 1,
                       (__mmask16) ((1u << (n - j)) - 1));
}

static AVX512 void
forward_512 (int m, int n, int k, const float *a, size_t row_step, const int32_t *offsets,
             const float *b, float *c)
{
  int i = 0;

  for (; i + 8 <= m; i += 8)
    forward_rows_512 (a + (size_t) i * row_step, row_step, offsets, b, c + (size_t) i * n, k,
                      n, 8);
  for (; i < m; i++)
    forward_rows_512 (a + (size_t) i * row_step, row_step, offsets, b, c + (size_t) i * n, k,
                      n, 1);
}

static inline __attribute__ ((always_inline)) AVX512 void
gradient_block_512 (const float *a, size_t row_step, const int32_t *offsets, const float *d,
                    float *c, int rows, int n, int kk0, int j, const int depth,
                    const int vectors, __mmask16 last)
{
  __m512 acc[6][2];

  for (int t = 0; t < depth; t++)
    for (int v = 0; v < vectors; v++)
      acc[t][v] = _mm512_setzero_ps ();
  for (int i = 0; i < rows; i++)
    {
      __m512 dy[2];
      for (int v = 0; v < vectors; v++)
        dy[v] = _mm512_maskz_loadu_ps (v == vectors - 1 ? last : 0xFFFF,
                                       d + (size_t) i * n + j + 16 * v);
      for (int t = 0; t < depth; t++)
        {
          __m512 x = _mm512_set1_ps (*element (a, row_step, offsets, i, kk0 + t));
          for (int v = 0; v < vectors; v++)
            acc[t][v] = _mm512_fmadd_ps (x, dy[v], acc[t][v]);
        }
    }
  for (int t = 0; t < depth; t++)
    for (int v = 0; v < vectors; v++)
      {
        __mmask16 mask = v == vectors - 1 ? last : 0xFFFF;
        float *target = c + (size_t) (kk0 + t) * n + j + 16 * v;
        _mm512_mask_storeu_ps (target, mask,
                               _mm512_add_ps (_mm512_maskz_loadu_ps (mask, target),
                                              acc[t][v]));
      }
}

static inline __attribute__ ((always_inline)) AVX512 void
gradient_rows_512 (const float *a, size_t row_step, const int32_t *offsets, const float *d,
                   float *c, int rows, int n, int kk0, const int depth)
{
  int j = 0;

  for (; j + 32 <= n; j += 32)
    gradient_block_512 (a, row_step, offsets, d, c, rows, n, kk0, j, depth, 2, 0xFFFF);
  if (n - j > 16)
    gradient_block_512 (a, row_step, offsets, d, c, rows, n, kk0, j, depth, 2,
                        (__mmask16) ((1u << (n - j - 16)) - 1));
  else if (n - j > 0)
    gradient_block_512 (a, row_step, offsets, d, c, rows, n, kk0, j, depth, 1,
                        (__mmask16) ((1u << (n - j)) - 1));
}

static AVX512 void
gradient_512 (int m, int n, int k, const float *a, size_t row_step, const int32_t *offsets,
              const float *d, float *c)
{
  for (int i0 = 0; i0 < m; i0 += SEGMENT_ROWS)
    {
      int rows = m - i0 < SEGMENT_ROWS ? m - i0 : SEGMENT_ROWS;
      const float *as = a + (size_t) i0 * row_step;
      const float *ds = d + (size_t) i0 * n;
      int kk0 = 0;

      for (; kk0 + 6 <= k; kk0 += 6)
        gradient_rows_512 (as, row_step, offsets, ds, c, rows, n, kk0, 6);
      switch (k - kk0)
        {
        case 5: gradient_rows_512 (as, row_step, offsets, ds, c, rows, n, kk0, 5); break;
        case 4: gradient_rows_512 (as, row_step, offsets, ds, c, rows, n, kk0, 4); break;
        case 3: gradient_rows_512 (as, row_step, offsets, ds, c, rows, n, kk0, 3); break;
        case 2: gradient_rows_512 (as, row_step, offsets, ds, c, rows, n, kk0, 2); break;
        case 1: gradient_rows_512 (as, row_step, offsets, ds, c, rows, n, kk0, 1); break;
        default: break;
        }
    }
}

/* Tests may keep the AVX2 forms (cnn_gemm_small_k_allow_avx512) to compare the two. */
static _Atomic int avx512_allowed = 1;

void
cnn_gemm_small_k_allow_avx512 (int allowed)
{
  avx512_allowed = allowed != 0;
}

/* Whether the AVX-512 forms run here. */
static int
has_avx512 (void)
{
  __builtin_cpu_init ();
  return avx512_allowed && __builtin_cpu_supports ("avx512f");
}

AVX2_FMA void
cnn_gemm_small_k (int m, int n, int k, const float *a, const float *b, float *c)
{
  if (has_avx512 ())
    forward_512 (m, n, k, a, (size_t) k, NULL, b, c);
  else
    forward (m, n, k, a, (size_t) k, NULL, b, c);
}

AVX2_FMA void
cnn_gemm_small_k_gather (int m, int n, int k, const float *image, size_t row_step,
                         const int32_t *offsets, const float *b, float *c)
{
  if (has_avx512 ())
    forward_512 (m, n, k, image, row_step, offsets, b, c);
  else
    forward (m, n, k, image, row_step, offsets, b, c);
}

/* c[kk0 .. kk0 + depth, 8·vectors columns from j] += Σ over `rows` rows of
 * a[:, kk0…]ᵀ · d[:, j…], depth ≤ 6 and vectors ≤ 2 constants. */
static inline __attribute__ ((always_inline)) AVX2_FMA void
gradient_block (const float *a, size_t row_step, const int32_t *offsets, const float *d,
                float *c, int rows, int n, int kk0, int j, const int depth, const int vectors)
{
  __m256 acc[6][2];

  for (int t = 0; t < depth; t++)
    for (int v = 0; v < vectors; v++)
      acc[t][v] = _mm256_setzero_ps ();
  for (int i = 0; i < rows; i++)
    {
      __m256 dy[2];
      for (int v = 0; v < vectors; v++)
        dy[v] = _mm256_loadu_ps (d + (size_t) i * n + j + 8 * v);
      for (int t = 0; t < depth; t++)
        {
          __m256 x = _mm256_broadcast_ss (element (a, row_step, offsets, i, kk0 + t));
          for (int v = 0; v < vectors; v++)
            acc[t][v] = _mm256_fmadd_ps (x, dy[v], acc[t][v]);
        }
    }
  for (int t = 0; t < depth; t++)
    for (int v = 0; v < vectors; v++)
      {
        float *target = c + (size_t) (kk0 + t) * n + j + 8 * v;
        _mm256_storeu_ps (target, _mm256_add_ps (_mm256_loadu_ps (target), acc[t][v]));
      }
}

/* All column blocks for rows kk0 .. kk0 + depth of c, depth a constant. */
static inline __attribute__ ((always_inline)) AVX2_FMA void
gradient_rows (const float *a, size_t row_step, const int32_t *offsets, const float *d,
               float *c, int rows, int n, int kk0, const int depth)
{
  int j = 0;

  for (; j + 16 <= n; j += 16)
    gradient_block (a, row_step, offsets, d, c, rows, n, kk0, j, depth, 2);
  if (j < n)
    gradient_block (a, row_step, offsets, d, c, rows, n, kk0, j, depth, 1);
}

static inline __attribute__ ((always_inline)) AVX2_FMA void
gradient (int m, int n, int k, const float *a, size_t row_step, const int32_t *offsets,
          const float *d, float *c)
{
  for (int i0 = 0; i0 < m; i0 += SEGMENT_ROWS)
    {
      int rows = m - i0 < SEGMENT_ROWS ? m - i0 : SEGMENT_ROWS;
      const float *a_segment = a + (size_t) i0 * row_step;
      const float *d_segment = d + (size_t) i0 * n;
      int kk0 = 0;

      for (; kk0 + 6 <= k; kk0 += 6)
        gradient_rows (a_segment, row_step, offsets, d_segment, c, rows, n, kk0, 6);
      switch (k - kk0)
        {
        case 5: gradient_rows (a_segment, row_step, offsets, d_segment, c, rows, n, kk0, 5);
          break;
        case 4: gradient_rows (a_segment, row_step, offsets, d_segment, c, rows, n, kk0, 4);
          break;
        case 3: gradient_rows (a_segment, row_step, offsets, d_segment, c, rows, n, kk0, 3);
          break;
        case 2: gradient_rows (a_segment, row_step, offsets, d_segment, c, rows, n, kk0, 2);
          break;
        case 1: gradient_rows (a_segment, row_step, offsets, d_segment, c, rows, n, kk0, 1);
          break;
        default:
          break;
        }
    }
}

AVX2_FMA void
cnn_gemm_small_k_transposed_add (int m, int n, int k, const float *a, const float *d,
                                 float *c)
{
  if (has_avx512 ())
    gradient_512 (m, n, k, a, (size_t) k, NULL, d, c);
  else
    gradient (m, n, k, a, (size_t) k, NULL, d, c);
}

AVX2_FMA void
cnn_gemm_small_k_gather_transposed_add (int m, int n, int k, const float *image,
                                        size_t row_step, const int32_t *offsets,
                                        const float *d, float *c)
{
  if (has_avx512 ())
    gradient_512 (m, n, k, image, row_step, offsets, d, c);
  else
    gradient (m, n, k, image, row_step, offsets, d, c);
}

/* c[r0 .. r0 + rows, j .. j + 8] = continued FMA chains over k in [k0, k1): from 0 when
 * k0 is 0, else from what c holds (a stored float continues the chain exactly). */
static inline __attribute__ ((always_inline)) AVX2_FMA void
few_rows_block (const float *a, int lda, const float *b, int ldb, float *c, int ldc, int j,
                int k0, int k1, const int rows)
{
  __m256 acc[8];

  for (int r = 0; r < rows; r++)
    acc[r] = k0 == 0 ? _mm256_setzero_ps () : _mm256_loadu_ps (c + (size_t) r * ldc + j);
  for (int kk = k0; kk < k1; kk++)
    {
      __m256 weight = _mm256_loadu_ps (b + (size_t) kk * ldb + j);
      for (int r = 0; r < rows; r++)
        acc[r] = _mm256_fmadd_ps (_mm256_broadcast_ss (a + (size_t) r * lda + kk), weight,
                                  acc[r]);
    }
  for (int r = 0; r < rows; r++)
    _mm256_storeu_ps (c + (size_t) r * ldc + j, acc[r]);
}

/* few_rows_block on AVX-512, 16 · vectors columns: every element gets the same chain of
 * fused multiply-adds in the same order, so the same bits as the AVX2 blocks. */
static inline __attribute__ ((always_inline)) AVX512 void
few_rows_block_512 (const float *a, int lda, const float *b, int ldb, float *c, int ldc, int j,
                    int k0, int k1, const int rows, const int vectors)
{
  __m512 acc[8][2];

  for (int r = 0; r < rows; r++)
    for (int v = 0; v < vectors; v++)
      acc[r][v] = k0 == 0 ? _mm512_setzero_ps ()
                          : _mm512_loadu_ps (c + (size_t) r * ldc + j + 16 * v);
  for (int kk = k0; kk < k1; kk++)
    {
      __m512 weight[2];
      for (int v = 0; v < vectors; v++)
        weight[v] = _mm512_loadu_ps (b + (size_t) kk * ldb + j + 16 * v);
      for (int r = 0; r < rows; r++)
        {
          __m512 x = _mm512_set1_ps (a[(size_t) r * lda + kk]);
          for (int v = 0; v < vectors; v++)
            acc[r][v] = _mm512_fmadd_ps (x, weight[v], acc[r][v]);
        }
    }
  for (int r = 0; r < rows; r++)
    for (int v = 0; v < vectors; v++)
      _mm512_storeu_ps (c + (size_t) r * ldc + j + 16 * v, acc[r][v]);
}

/* Columns [j, j + 16 · vectors) of every row on AVX-512, 8 rows at a time. */
static inline __attribute__ ((always_inline)) AVX512 void
few_rows_columns_512 (int m, const float *a, int lda, const float *b, int ldb, float *c,
                      int ldc, int j, int k0, int k1, const int vectors)
{
  for (int r0 = 0; r0 < m; r0 += 8)
    {
      const float *ar = a + (size_t) r0 * lda;
      float *cr = c + (size_t) r0 * ldc;
      switch (m - r0 < 8 ? m - r0 : 8)
        {
        case 8: few_rows_block_512 (ar, lda, b, ldb, cr, ldc, j, k0, k1, 8, vectors); break;
        case 7: few_rows_block_512 (ar, lda, b, ldb, cr, ldc, j, k0, k1, 7, vectors); break;
        case 6: few_rows_block_512 (ar, lda, b, ldb, cr, ldc, j, k0, k1, 6, vectors); break;
        case 5: few_rows_block_512 (ar, lda, b, ldb, cr, ldc, j, k0, k1, 5, vectors); break;
        case 4: few_rows_block_512 (ar, lda, b, ldb, cr, ldc, j, k0, k1, 4, vectors); break;
        case 3: few_rows_block_512 (ar, lda, b, ldb, cr, ldc, j, k0, k1, 3, vectors); break;
        case 2: few_rows_block_512 (ar, lda, b, ldb, cr, ldc, j, k0, k1, 2, vectors); break;
        default: few_rows_block_512 (ar, lda, b, ldb, cr, ldc, j, k0, k1, 1, vectors); break;
        }
    }
}

/* The strips of 32 and 16 columns from j on AVX-512; returns the first column left. */
static AVX512 int
few_rows_512 (int m, int n, const float *a, int lda, const float *b, int ldb, float *c,
              int ldc, int k0, int k1)
{
  int j = 0;

  for (; j + 32 <= n; j += 32)
    few_rows_columns_512 (m, a, lda, b, ldb, c, ldc, j, k0, k1, 2);
  if (j + 16 <= n)
    {
      few_rows_columns_512 (m, a, lda, b, ldb, c, ldc, j, k0, k1, 1);
      j += 16;
    }
  return j;
}

AVX2_FMA void
cnn_gemm_few_rows (int m, int n, int k, const float *a, int lda, const float *b, int ldb,
                   float *c, int ldc)
{
  const int wide = has_avx512 ();

  for (int k0 = 0; k0 < k; k0 += FEW_ROWS_K_BLOCK)
    {
      int k1 = k - k0 < FEW_ROWS_K_BLOCK ? k : k0 + FEW_ROWS_K_BLOCK;
      for (int j = wide ? few_rows_512 (m, n, a, lda, b, ldb, c, ldc, k0, k1) : 0; j < n;
           j += 8)
        for (int r0 = 0; r0 < m; r0 += 8)
          {
            const float *a_rows = a + (size_t) r0 * lda;
            float *c_rows = c + (size_t) r0 * ldc;
            switch (m - r0 < 8 ? m - r0 : 8)
              {
              case 8: few_rows_block (a_rows, lda, b, ldb, c_rows, ldc, j, k0, k1, 8); break;
              case 7: few_rows_block (a_rows, lda, b, ldb, c_rows, ldc, j, k0, k1, 7); break;
              case 6: few_rows_block (a_rows, lda, b, ldb, c_rows, ldc, j, k0, k1, 6); break;
              case 5: few_rows_block (a_rows, lda, b, ldb, c_rows, ldc, j, k0, k1, 5); break;
              case 4: few_rows_block (a_rows, lda, b, ldb, c_rows, ldc, j, k0, k1, 4); break;
              case 3: few_rows_block (a_rows, lda, b, ldb, c_rows, ldc, j, k0, k1, 3); break;
              case 2: few_rows_block (a_rows, lda, b, ldb, c_rows, ldc, j, k0, k1, 2); break;
              default: few_rows_block (a_rows, lda, b, ldb, c_rows, ldc, j, k0, k1, 1); break;
              }
          }
    }
}

#else /* not x86-64 with GCC: the same order of operations in portable C */

#include <math.h>

void
cnn_gemm_small_k_allow_avx512 (int allowed)
{
  (void) allowed; /* one form only here */
}

int
cnn_gemm_small_k_available (void)
{
  return 1;
}

static const float *
element (const float *a, size_t row_step, const int32_t *offsets, int r, int kk)
{
  return a + (size_t) r * row_step + (offsets ? (size_t) offsets[kk] : (size_t) kk);
}

void
cnn_gemm_small_k_gather (int m, int n, int k, const float *image, size_t row_step,
                         const int32_t *offsets, const float *b, float *c)
{
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++)
      {
        float acc = 0.0f;
        for (int kk = 0; kk < k; kk++)
          acc = fmaf (*element (image, row_step, offsets, i, kk), b[(size_t) kk * n + j], acc);
        c[(size_t) i * n + j] = acc;
      }
}

void
cnn_gemm_small_k (int m, int n, int k, const float *a, const float *b, float *c)
{
  cnn_gemm_small_k_gather (m, n, k, a, (size_t) k, NULL, b, c);
}

void
cnn_gemm_small_k_gather_transposed_add (int m, int n, int k, const float *image,
                                        size_t row_step, const int32_t *offsets,
                                        const float *d, float *c)
{
  for (int i0 = 0; i0 < m; i0 += SEGMENT_ROWS)
    {
      int rows = m - i0 < SEGMENT_ROWS ? m - i0 : SEGMENT_ROWS;
      for (int kk = 0; kk < k; kk++)
        for (int j = 0; j < n; j++)
          {
            float acc = 0.0f;
            for (int i = i0; i < i0 + rows; i++)
              acc = fmaf (*element (image, row_step, offsets, i, kk), d[(size_t) i * n + j],
                          acc);
            c[(size_t) kk * n + j] += acc;
          }
    }
}

void
cnn_gemm_small_k_transposed_add (int m, int n, int k, const float *a, const float *d,
                                 float *c)
{
  cnn_gemm_small_k_gather_transposed_add (m, n, k, a, (size_t) k, NULL, d, c);
}

void
cnn_gemm_few_rows (int m, int n, int k, const float *a, int lda, const float *b, int ldb,
                   float *c, int ldc)
{
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++)
      {
        float acc = 0.0f;
        for (int kk = 0; kk < k; kk++)
          acc = fmaf (a[(size_t) i * lda + kk], b[(size_t) kk * ldb + j], acc);
        c[(size_t) i * ldc + j] = acc;
      }
}

#endif
