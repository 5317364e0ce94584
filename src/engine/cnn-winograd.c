/* cnn-winograd.c — 3×3 stride-1 convolutions by Winograd's minimal filtering F(4×4, 3×3). */
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Done as im2col + GEMM, a 3×3 convolution costs 9 multiply-adds per output cell and pair
// of channels. F(4×4, 3×3) (Lavin & Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2015) gets a 4×4 block of outputs (a tile) from the 6×6 block of inputs under
// it with 36: the input block and the kernel are transformed (V = Bᵀ d B, U = G g Gᵀ), the
// 36 positions of a tile are then 36 independent products summed over the input channels
// — 36 GEMMs (tiles, in_c) · (in_c, out_c) — and the result is transformed back
// (Y = Aᵀ M A). That is 2.25 multiply-adds per output instead of 9; the transforms cost a
// few additions per value, little next to the GEMMs when there are 16 channels or more.
//
// The backward passes go the same way. The input gradient is the correlation of the output
// gradient with the kernel turned by 180° and its channels swapped, padding 2 − pad. The
// kernel gradient is the adjoint of the forward: per position, du = Σ over tiles of
// Vᵀ · (A dy Aᵀ) — 36 GEMMs again — summed over the batch, then g = Gᵀ du G once.
//
// The GEMMs run on the engine's register-blocked kernel (cnn_gemm_small_k) on blocks of
// tiles sized so that their V and M stay in the L2 cache. Each sample is computed the same
// way whatever the thread or chunk it falls in, so threads do not change the bits. The
// result differs from im2col + GEMM by rounding: the transforms scale values by up to 8
// before they are summed, so the error is a few times that of a direct sum
// (tests/engine/test-winograd.c states and checks the bound).

#include <string.h>

#include "cnn-kernels.h"

/* A block's V (36, tiles, in_c) and M (36, tiles, out_c) take at most this many floats
 * (512 KiB), half of a core's L2 cache here, leaving room for a position's U. */
#define BLOCK_FLOATS ((size_t) 1 << 17)

/* Consecutive positions of V and M lie a block plus one cache line apart: at exactly a
 * block (often a multiple of 4 KiB) the 36 rows a tile's transform writes would all fall
 * in one set of the L1 cache and evict each other. */
#define POSITION_PAD 16

/* Where a block's arrays lie in the scratch. */
typedef struct {
  int tiles;                 /* tiles per block: a multiple of 8 (the GEMM's row block) */
  size_t v_step, m_step;     /* floats from one position to the next */
  float *v;                  /* (36, v_step): tile t's in_c values at t · in_c */
  float *m;                  /* (36, m_step): tile t's out_c values at t · out_c */
  float *patch;              /* (6, 6, in_c): an input block that crosses the edge */
  float *tile;               /* (4, 4, out_c): an output tile that crosses the edge */
} Blocks;

static Blocks
blocks_in (float *scratch, int in_c, int out_c)
{
  Blocks b;
  size_t tiles = BLOCK_FLOATS / (36 * (size_t) (in_c + out_c)) / 8 * 8;

  b.tiles = tiles < 8 ? 8 : tiles > 64 ? 64 : (int) tiles;
  b.v_step = (size_t) b.tiles * in_c + POSITION_PAD;
  b.m_step = (size_t) b.tiles * out_c + POSITION_PAD;
  b.v = scratch;
  b.m = b.v + 36 * b.v_step;
  b.patch = b.m + 36 * b.m_step;
  b.tile = b.patch + 36 * (size_t) in_c;
  return b;
}

int
cnn_winograd_fits (int in_c, int out_c)
{
  return in_c >= CNN_WINOGRAD_MIN_CHANNELS && out_c >= CNN_WINOGRAD_MIN_CHANNELS
         && in_c % 8 == 0 && out_c % 8 == 0 && cnn_gemm_small_k_available ();
}

size_t
cnn_winograd_scratch_floats (int in_c, int out_c)
{
  Blocks b = blocks_in (NULL, in_c, out_c);

  return 36 * (b.v_step + b.m_step) + 36 * (size_t) in_c + 16 * (size_t) out_c;
}

void
cnn_winograd_turn_kernel (const float *kernel, int in_c, int out_c, float *turned)
{
  for (int y = 0; y < 3; y++)
    for (int x = 0; x < 3; x++)
      {
        const float *from = kernel + (size_t) ((2 - y) * 3 + (2 - x)) * in_c * out_c;
        float *to = turned + (size_t) (y * 3 + x) * out_c * in_c;
        for (int o = 0; o < out_c; o++)
          for (int i = 0; i < in_c; i++)
            to[(size_t) o * in_c + i] = from[(size_t) i * out_c + o];
      }
}

/* The transforms go eight channels at a time, in GCC's generic vectors: AVX registers on
 * x86-64 (where cnn_gemm_small_k_available has checked for AVX2), whatever the target has
 * elsewhere. */
#if defined(__x86_64__)
#define AVX2_FMA __attribute__ ((target ("avx2,fma")))
#else
#define AVX2_FMA
#endif
#define INLINE static inline __attribute__ ((always_inline)) AVX2_FMA

typedef float v8 __attribute__ ((vector_size (32)));

INLINE v8
load8 (const float *p)
{
  v8 v;
  memcpy (&v, p, sizeof v);
  return v;
}

INLINE void
store8 (float *p, v8 v)
{
  memcpy (p, &v, sizeof v);
}

/* r (6) = G g (3). */
INLINE void
kernel_1d (const v8 *g, v8 *r)
{
  r[0] = g[0] / 4.0f;
  r[1] = -(g[0] + g[1] + g[2]) / 6.0f;
  r[2] = -(g[0] - g[1] + g[2]) / 6.0f;
  r[3] = g[0] / 24.0f + g[1] / 12.0f + g[2] / 6.0f;
  r[4] = g[0] / 24.0f - g[1] / 12.0f + g[2] / 6.0f;
  r[5] = g[2];
}

/* r (3) = Gᵀ u (6): the adjoint of kernel_1d. */
INLINE void
kernel_gradient_1d (const v8 *u, v8 *r)
{
  r[0] = u[0] / 4.0f - (u[1] + u[2]) / 6.0f + (u[3] + u[4]) / 24.0f;
  r[1] = (u[2] - u[1]) / 6.0f + (u[3] - u[4]) / 12.0f;
  r[2] = (u[3] + u[4] - u[1] - u[2]) / 6.0f + u[5];
}

/* r (6) = Bᵀ d (6). */
INLINE void
input_1d (const v8 *d, v8 *r)
{
  r[0] = (d[4] - 5.0f * d[2]) + 4.0f * d[0];
  r[1] = (d[3] + d[4]) - 4.0f * (d[1] + d[2]);
  r[2] = (d[4] - d[3]) + 4.0f * (d[1] - d[2]);
  r[3] = (d[4] - d[2]) + 2.0f * (d[3] - d[1]);
  r[4] = (d[4] - d[2]) - 2.0f * (d[3] - d[1]);
  r[5] = (d[5] - 5.0f * d[3]) + 4.0f * d[1];
}

/* r (4) = Aᵀ m (6). */
INLINE void
output_1d (const v8 *m, v8 *r)
{
  const v8 sum12 = m[1] + m[2], diff12 = m[1] - m[2];
  const v8 sum34 = m[3] + m[4], diff34 = m[3] - m[4];

  r[0] = (m[0] + sum12) + sum34;
  r[1] = diff12 + 2.0f * diff34;
  r[2] = sum12 + 4.0f * sum34;
  r[3] = (diff12 + 8.0f * diff34) + m[5];
}

/* r (6) = A y (4): the adjoint of output_1d. */
INLINE void
output_gradient_1d (const v8 *y, v8 *r)
{
  const v8 even = y[0] + y[2], odd = y[1] + y[3];
  const v8 even4 = y[0] + 4.0f * y[2], odd8 = 2.0f * y[1] + 8.0f * y[3];

  r[0] = y[0];
  r[1] = even + odd;
  r[2] = even - odd;
  r[3] = even4 + odd8;
  r[4] = even4 - odd8;
  r[5] = y[3];
}

/* The five 1-D transforms; each 2-D transform applies one to the columns of a block, then
 * to the rows of the result. */
typedef enum {
  KERNEL,                    /* G: 3 → 6 */
  KERNEL_GRADIENT,           /* Gᵀ: 6 → 3 */
  INPUT,                     /* Bᵀ: 6 → 6 */
  OUTPUT,                    /* Aᵀ: 6 → 4 */
  OUTPUT_GRADIENT,           /* A: 4 → 6 */
} Transform;

INLINE int
transform_inputs (Transform transform)
{
  return transform == KERNEL ? 3 : transform == OUTPUT_GRADIENT ? 4 : 6;
}

INLINE int
transform_outputs (Transform transform)
{
  return transform == KERNEL_GRADIENT ? 3 : transform == OUTPUT ? 4 : 6;
}

INLINE void
transform_1d (Transform transform, const v8 *v, v8 *r)
{
  switch (transform)
    {
    case KERNEL: kernel_1d (v, r); break;
    case KERNEL_GRADIENT: kernel_gradient_1d (v, r); break;
    case INPUT: input_1d (v, r); break;
    case OUTPUT: output_1d (v, r); break;
    case OUTPUT_GRADIENT: output_gradient_1d (v, r); break;
    }
}

/* Eight channels of one block: to (m, m) = T from Tᵀ for the 1-D transform T (n → m), with
 * from[y · from_row + x · from_col] and to[i · to_row + j · to_col]. Called with a constant
 * `transform`, so that each caller gets its own unrolled code. */
INLINE void
transform_2d (Transform transform, const float *from, size_t from_row, size_t from_col,
              float *to, size_t to_row, size_t to_col)
{
  const int n = transform_inputs (transform), m = transform_outputs (transform);
  v8 t[6][6];

  for (int x = 0; x < n; x++)
    {
      v8 column[6], r[6];
      for (int y = 0; y < n; y++)
        column[y] = load8 (from + y * from_row + x * from_col);
      transform_1d (transform, column, r);
      for (int i = 0; i < m; i++)
        t[i][x] = r[i];
    }
  for (int i = 0; i < m; i++)
    {
      v8 r[6];
      transform_1d (transform, t[i], r);
      for (int j = 0; j < m; j++)
        store8 (to + i * to_row + j * to_col, r[j]);
    }
}

void AVX2_FMA
cnn_winograd_kernel (const float *kernel, int in_c, int out_c, float *u)
{
  const size_t pairs = (size_t) in_c * out_c;

  for (size_t pair = 0; pair < pairs; pair += 8)
    transform_2d (KERNEL, kernel + pair, 3 * pairs, pairs, u + pair, 6 * pairs, pairs);
}

void AVX2_FMA
cnn_winograd_kernel_gradient (const float *du, int in_c, int out_c, float *kernel_grad)
{
  const size_t pairs = (size_t) in_c * out_c;

  for (size_t pair = 0; pair < pairs; pair += 8)
    transform_2d (KERNEL_GRADIENT, du + pair, 6 * pairs, pairs, kernel_grad + pair, 3 * pairs,
                  pairs);
}

/* V of one tile: d (6, 6, channels) with row and column steps → v (36, stride `step`,
 * channels). */
static AVX2_FMA void
input_tile (const float *d, size_t row_step, size_t col_step, int channels, float *v,
            size_t step)
{
  for (int c = 0; c < channels; c += 8)
    transform_2d (INPUT, d + c, row_step, col_step, v + c, 6 * step, step);
}

/* Y of one tile: m (36, stride `step`, channels) → y (4, 4, channels) with a row step. */
static AVX2_FMA void
output_tile (const float *m, size_t step, int channels, float *y, size_t row_step)
{
  for (int c = 0; c < channels; c += 8)
    transform_2d (OUTPUT, m + c, 6 * step, step, y + c, row_step, (size_t) channels);
}

/* The gradient of a tile's M from the gradient of its outputs: y (4, 4, channels) with a
 * row step → m (36, stride `step`, channels) = A y Aᵀ. */
static AVX2_FMA void
gradient_tile (const float *y, size_t row_step, int channels, float *m, size_t step)
{
  for (int c = 0; c < channels; c += 8)
    transform_2d (OUTPUT_GRADIENT, y + c, row_step, (size_t) channels, m + c, 6 * step, step);
}

/* V of tile (y0, x0) — its input block's top-left cell, possibly outside the input — into
 * v (36, stride `step`, in_c); cells outside the input count as 0. */
static void
transform_input_block (const CnnWinogradShape *shape, const float *in, int y0, int x0,
                       float *patch, float *v, size_t step)
{
  const int c = shape->in_c;
  const size_t row_step = (size_t) shape->in_w * c;

  if (y0 >= 0 && x0 >= 0 && y0 + 6 <= shape->in_h && x0 + 6 <= shape->in_w)
    {
      input_tile (in + (size_t) y0 * row_step + (size_t) x0 * c, row_step, (size_t) c, c, v,
                  step);
      return;
    }
  memset (patch, 0, 36 * (size_t) c * sizeof (float));
  for (int y = y0 < 0 ? -y0 : 0; y < 6 && y0 + y < shape->in_h; y++)
    {
      int x = x0 < 0 ? -x0 : 0, end = x0 + 6 <= shape->in_w ? 6 : shape->in_w - x0;
      if (x < end)
        memcpy (patch + (size_t) (y * 6 + x) * c,
                in + (size_t) (y0 + y) * row_step + (size_t) (x0 + x) * c,
                (size_t) (end - x) * c * sizeof (float));
    }
  input_tile (patch, 6 * (size_t) c, (size_t) c, c, v, step);
}

/* Y of tile (y0, x0) — its first output cell — from m (36, stride `step`, out_c); cells
 * past the output's edge are dropped. */
static void
transform_output_tile (const CnnWinogradShape *shape, const float *m, size_t step, int y0,
                       int x0, float *tile, float *out)
{
  const int c = shape->out_c;
  const size_t row_step = (size_t) shape->out_w * c;
  float *first = out + (size_t) y0 * row_step + (size_t) x0 * c;

  if (y0 + 4 <= shape->out_h && x0 + 4 <= shape->out_w)
    {
      output_tile (m, step, c, first, row_step);
      return;
    }
  output_tile (m, step, c, tile, 4 * (size_t) c);
  int rows = shape->out_h - y0 < 4 ? shape->out_h - y0 : 4;
  int cols = shape->out_w - x0 < 4 ? shape->out_w - x0 : 4;
  for (int y = 0; y < rows; y++)
    memcpy (first + y * row_step, tile + (size_t) y * 4 * c, (size_t) cols * c * sizeof (float));
}

/* The gradient of M for the tile whose first output cell is (y0, x0), from dout
 * (out_h, out_w, out_c); cells past the output's edge count as 0. */
static void
transform_gradient_tile (const CnnWinogradShape *shape, const float *dout, int y0, int x0,
                         float *tile, float *m, size_t step)
{
  const int c = shape->out_c;
  const size_t row_step = (size_t) shape->out_w * c;
  const float *first = dout + (size_t) y0 * row_step + (size_t) x0 * c;

  if (y0 + 4 <= shape->out_h && x0 + 4 <= shape->out_w)
    {
      gradient_tile (first, row_step, c, m, step);
      return;
    }
  int rows = shape->out_h - y0 < 4 ? shape->out_h - y0 : 4;
  int cols = shape->out_w - x0 < 4 ? shape->out_w - x0 : 4;
  memset (tile, 0, 16 * (size_t) c * sizeof (float));
  for (int y = 0; y < rows; y++)
    memcpy (tile + (size_t) y * 4 * c, first + y * row_step, (size_t) cols * c * sizeof (float));
  gradient_tile (tile, 4 * (size_t) c, c, m, step);
}

void
cnn_winograd_correlate (const CnnWinogradShape *shape, const float *u, const float *in,
                        float *out, float *scratch)
{
  const int in_c = shape->in_c, out_c = shape->out_c;
  const Blocks b = blocks_in (scratch, in_c, out_c);
  const int tiles_w = (shape->out_w + 3) / 4;
  const int tiles = (shape->out_h + 3) / 4 * tiles_w;

  for (int t0 = 0; t0 < tiles; t0 += b.tiles)
    {
      const int count = tiles - t0 < b.tiles ? tiles - t0 : b.tiles;

      for (int k = 0; k < count; k++)
        {
          int ty = (t0 + k) / tiles_w, tx = (t0 + k) % tiles_w;
          transform_input_block (shape, in, 4 * ty - shape->pad_top, 4 * tx - shape->pad_left,
                                 b.patch, b.v + (size_t) k * in_c, b.v_step);
        }
      for (int p = 0; p < 36; p++)
        cnn_gemm_small_k (count, out_c, in_c, b.v + p * b.v_step, u + (size_t) p * in_c * out_c,
                          b.m + p * b.m_step);
      for (int k = 0; k < count; k++)
        {
          int ty = (t0 + k) / tiles_w, tx = (t0 + k) % tiles_w;
          transform_output_tile (shape, b.m + (size_t) k * out_c, b.m_step, 4 * ty, 4 * tx,
                                 b.tile, out);
        }
    }
}

void
cnn_winograd_kernel_gradient_add (const CnnWinogradShape *shape, const float *in,
                                  const float *dout, float *du, float *scratch)
{
  const int in_c = shape->in_c, out_c = shape->out_c;
  const Blocks b = blocks_in (scratch, in_c, out_c);
  const int tiles_w = (shape->out_w + 3) / 4;
  const int tiles = (shape->out_h + 3) / 4 * tiles_w;

  for (int t0 = 0; t0 < tiles; t0 += b.tiles)
    {
      const int count = tiles - t0 < b.tiles ? tiles - t0 : b.tiles;

      for (int k = 0; k < count; k++)
        {
          int ty = (t0 + k) / tiles_w, tx = (t0 + k) % tiles_w;
          transform_input_block (shape, in, 4 * ty - shape->pad_top, 4 * tx - shape->pad_left,
                                 b.patch, b.v + (size_t) k * in_c, b.v_step);
          transform_gradient_tile (shape, dout, 4 * ty, 4 * tx, b.tile, b.m + (size_t) k * out_c,
                                   b.m_step);
        }
      for (int p = 0; p < 36; p++)
        cnn_gemm_small_k_transposed_add (count, out_c, in_c, b.v + p * b.v_step,
                                         b.m + p * b.m_step, du + (size_t) p * in_c * out_c);
    }
}
