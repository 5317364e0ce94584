/* cnn-kernels.c — the engine's numeric kernels: GEMM, im2col, activations, pooling, BN. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "cnn-kernels.h"

/* The elementwise kernels are memory-bound on DRAM but not on the L2-resident chunks the
 * passes hand them; the engine is built for baseline x86-64 (SSE2), so these get an AVX2
 * clone too, picked at load time. Each output element sees the same operations in the
 * same order in either clone (vectors run across channels, never along a sum), so the
 * results are bit-identical on any CPU. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define VECTOR_CLONES __attribute__ ((target_clones ("avx2", "default")))
#else
#define VECTOR_CLONES
#endif

/* Channel statistics are accumulated this many channels at a time, in double on the
 * stack, so the kernels never allocate. */
#define CHANNEL_BLOCK 256

void
cnn_gemm (int transpose_a, int transpose_b, int m, int n, int k, float alpha,
          const float *a, const float *b, float beta, float *c)
{
  int lda = transpose_a ? m : k;
  int ldb = transpose_b ? k : n;

  if (m == 0 || n == 0)
    return;
  cblas_sgemm (CblasRowMajor, transpose_a ? CblasTrans : CblasNoTrans,
               transpose_b ? CblasTrans : CblasNoTrans,
               m, n, k, alpha, a, lda, b, ldb, beta, c, n);
}

void
cnn_gemm_strided (int transpose_a, int transpose_b, int m, int n, int k, float alpha,
                  const float *a, int lda, const float *b, int ldb, float beta, float *c,
                  int ldc)
{
  if (m == 0 || n == 0)
    return;
  cblas_sgemm (CblasRowMajor, transpose_a ? CblasTrans : CblasNoTrans,
               transpose_b ? CblasTrans : CblasNoTrans,
               m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

/* Whether the window row starting at x0 lies wholly inside the input, so that its
 * window_w · channels floats are contiguous in NHWC. */
static inline int
window_row_inside (const CnnWindow *window, int x0)
{
  return x0 >= 0 && x0 + window->window_w <= window->in_w;
}

void
cnn_im2col (const CnnWindow *window, const float *in, float *columns)
{
  const size_t channels = (size_t) window->channels;
  const size_t row_floats = (size_t) window->window_w * channels;
  float *out = columns;

  for (int oy = 0; oy < window->out_h; oy++)
    for (int ox = 0; ox < window->out_w; ox++)
      {
        int y0 = oy * window->stride_h - window->pad_top;
        int x0 = ox * window->stride_w - window->pad_left;

        for (int ky = 0; ky < window->window_h; ky++, out += row_floats)
          {
            int iy = y0 + ky;
            const float *in_row = in + (size_t) iy * window->in_w * channels;

            if (iy < 0 || iy >= window->in_h)
              {
                memset (out, 0, row_floats * sizeof (float));
                continue;
              }
            if (window_row_inside (window, x0))
              {
                memcpy (out, in_row + (size_t) x0 * channels, row_floats * sizeof (float));
                continue;
              }
            for (int kx = 0; kx < window->window_w; kx++)
              {
                int ix = x0 + kx;
                float *cell = out + (size_t) kx * channels;

                if (ix < 0 || ix >= window->in_w)
                  memset (cell, 0, channels * sizeof (float));
                else
                  memcpy (cell, in_row + (size_t) ix * channels, channels * sizeof (float));
              }
          }
      }
}

VECTOR_CLONES void
cnn_col2im_add (const CnnWindow *window, const float *columns, float *din)
{
  const size_t channels = (size_t) window->channels;
  const size_t row_floats = (size_t) window->window_w * channels;
  const float *col = columns;

  for (int oy = 0; oy < window->out_h; oy++)
    for (int ox = 0; ox < window->out_w; ox++)
      {
        int y0 = oy * window->stride_h - window->pad_top;
        int x0 = ox * window->stride_w - window->pad_left;

        for (int ky = 0; ky < window->window_h; ky++, col += row_floats)
          {
            int iy = y0 + ky;
            float *din_row = din + (size_t) iy * window->in_w * channels;

            if (iy < 0 || iy >= window->in_h)
              continue;
            if (window_row_inside (window, x0))
              {
                float *target = din_row + (size_t) x0 * channels;
                for (size_t i = 0; i < row_floats; i++)
                  target[i] += col[i];
                continue;
              }
            for (int kx = 0; kx < window->window_w; kx++)
              {
                int ix = x0 + kx;
                if (ix < 0 || ix >= window->in_w)
                  continue;
                float *target = din_row + (size_t) ix * channels;
                const float *source = col + (size_t) kx * channels;
                for (size_t ch = 0; ch < channels; ch++)
                  target[ch] += source[ch];
              }
          }
      }
}

static void
softmax_row (float *row, int cols)
{
  float max = row[0];
  float sum = 0.0f;

  for (int j = 1; j < cols; j++)
    max = row[j] > max ? row[j] : max;
  for (int j = 0; j < cols; j++)
    {
      row[j] = expf (row[j] - max);
      sum += row[j];
    }
  for (int j = 0; j < cols; j++)
    row[j] /= sum;
}

VECTOR_CLONES void
cnn_bias_activation (float *x, const float *bias, size_t rows, int cols,
                     CnnActivation activation)
{
  for (size_t r = 0; r < rows; r++)
    {
      float *row = x + r * (size_t) cols;

      if (bias)
        for (int j = 0; j < cols; j++)
          row[j] += bias[j];
      switch (activation)
        {
        case CNN_ACTIVATION_RELU:
          for (int j = 0; j < cols; j++)
            row[j] = row[j] > 0.0f ? row[j] : 0.0f;
          break;
        case CNN_ACTIVATION_SIGMOID:
          for (int j = 0; j < cols; j++)
            row[j] = 1.0f / (1.0f + expf (-row[j]));
          break;
        case CNN_ACTIVATION_TANH:
          for (int j = 0; j < cols; j++)
            row[j] = tanhf (row[j]);
          break;
        case CNN_ACTIVATION_SOFTMAX:
          softmax_row (row, cols);
          break;
        case CNN_ACTIVATION_LINEAR:
        case CNN_N_ACTIVATIONS:
        default:
          break;
        }
    }
}

VECTOR_CLONES void
cnn_activation_backward (CnnActivation activation, const float *y, float *dy, size_t rows,
                         int cols)
{
  const size_t count = rows * (size_t) cols;

  switch (activation)
    {
    case CNN_ACTIVATION_RELU:
      for (size_t i = 0; i < count; i++)
        dy[i] = y[i] > 0.0f ? dy[i] : 0.0f;
      break;
    case CNN_ACTIVATION_SIGMOID:
      for (size_t i = 0; i < count; i++)
        dy[i] *= y[i] * (1.0f - y[i]);
      break;
    case CNN_ACTIVATION_TANH:
      for (size_t i = 0; i < count; i++)
        dy[i] *= 1.0f - y[i] * y[i];
      break;
    case CNN_ACTIVATION_SOFTMAX:
      for (size_t r = 0; r < rows; r++)
        {
          const float *y_row = y + r * (size_t) cols;
          float *dy_row = dy + r * (size_t) cols;
          float dot = 0.0f;

          for (int j = 0; j < cols; j++)
            dot += dy_row[j] * y_row[j];
          for (int j = 0; j < cols; j++)
            dy_row[j] = y_row[j] * (dy_row[j] - dot);
        }
      break;
    case CNN_ACTIVATION_LINEAR:
    case CNN_N_ACTIVATIONS:
    default:
      break;
    }
}

VECTOR_CLONES void
cnn_column_sums_add (const float *x, size_t rows, int cols, float *sums)
{
  for (int c0 = 0; c0 < cols; c0 += CHANNEL_BLOCK)
    {
      int c1 = cols - c0 < CHANNEL_BLOCK ? cols : c0 + CHANNEL_BLOCK;
      double block[CHANNEL_BLOCK] = { 0 };

      for (size_t r = 0; r < rows; r++)
        {
          const float *row = x + r * (size_t) cols;
          for (int j = c0; j < c1; j++)
            block[j - c0] += row[j];
        }
      for (int j = c0; j < c1; j++)
        sums[j] += (float) block[j - c0];
    }
}

/* The range [*first, *last) of window offsets that fall inside an input of `size` cells
 * when the window starts at `origin`. */
static inline void
clip_window (int origin, int window_size, int size, int *first, int *last)
{
  *first = origin < 0 ? -origin : 0;
  *last = origin + window_size > size ? size - origin : window_size;
}

/* Max pooling of in · scale + shift (scale NULL: of in). Inlined into its two callers
 * with `scale` constant, so that each gets its own vectorised inner loop. */
static inline __attribute__ ((always_inline)) void
max_pool_forward (const CnnWindow *window, const float *in, const float *scale,
                  const float *shift, float *out, int32_t *argmax)
{
  const int channels = window->channels;

  for (int oy = 0; oy < window->out_h; oy++)
    for (int ox = 0; ox < window->out_w; ox++)
      {
        size_t out_offset = ((size_t) oy * window->out_w + ox) * channels;
        float *o = out + out_offset;
        int32_t *a = argmax + out_offset;
        int y0 = oy * window->stride_h - window->pad_top;
        int x0 = ox * window->stride_w - window->pad_left;
        int ky0, ky1, kx0, kx1;

        clip_window (y0, window->window_h, window->in_h, &ky0, &ky1);
        clip_window (x0, window->window_w, window->in_w, &kx0, &kx1);
        for (int ch = 0; ch < channels; ch++)
          {
            o[ch] = -INFINITY;
            a[ch] = -1;
          }
        for (int ky = ky0; ky < ky1; ky++)
          for (int kx = kx0; kx < kx1; kx++)
            {
              int32_t base = ((y0 + ky) * window->in_w + (x0 + kx)) * channels;
              const float *p = in + base;
              /* Strictly greater: the first maximum in scan order wins, as in TF. The
               * argmax update is a bit mask, not a branch, so that GCC vectorises it. */
              for (int ch = 0; ch < channels; ch++)
                {
                  float value = scale ? p[ch] * scale[ch] + shift[ch] : p[ch];
                  int32_t better = -(int32_t) (value > o[ch]);
                  o[ch] = value > o[ch] ? value : o[ch];
                  a[ch] = (a[ch] & ~better) | ((base + ch) & better);
                }
            }
      }
}

VECTOR_CLONES void
cnn_max_pool_forward (const CnnWindow *window, const float *in, float *out, int32_t *argmax)
{
  max_pool_forward (window, in, NULL, NULL, out, argmax);
}

VECTOR_CLONES void
cnn_max_pool_forward_affine (const CnnWindow *window, const float *in, const float *scale,
                             const float *shift, float *out, int32_t *argmax)
{
  max_pool_forward (window, in, scale, shift, out, argmax);
}

void
cnn_max_pool_backward (const CnnWindow *window, const float *dout, const int32_t *argmax,
                       float *din)
{
  size_t count = (size_t) window->out_h * window->out_w * window->channels;

  for (size_t i = 0; i < count; i++)
    if (argmax[i] >= 0)
      din[argmax[i]] += dout[i];
}

int
cnn_max_pool_windows_disjoint (const CnnWindow *window)
{
  return window->stride_h >= window->window_h && window->stride_w >= window->window_w;
}

/* Whether input cell `i` (a row or a column) lies in a window: padding only comes before,
 * so it can only lie in window (i + pad) / stride. */
static inline int
cell_covered (int i, int pad, int stride, int window_size, int out_size)
{
  return (i + pad) / stride < out_size && (i + pad) % stride < window_size;
}

/* cell (channels) = dout where argmax names the cell's offset base + ch, else +0. A bit
 * mask rather than a branch or a product, so that GCC vectorises it and an infinite
 * gradient stays infinite where it won and 0 where it lost. */
static inline void
winner_gradient (const float *restrict dout, const int32_t *restrict argmax, int32_t base,
                 int channels, float *restrict cell)
{
  for (int ch = 0; ch < channels; ch++)
    {
      uint32_t bits;
      uint32_t keep = -(uint32_t) (argmax[ch] == base + ch);
      memcpy (&bits, &dout[ch], sizeof bits);
      bits &= keep;
      memcpy (&cell[ch], &bits, sizeof bits);
    }
}

VECTOR_CLONES void
cnn_max_pool_backward_disjoint (const CnnWindow *window, const float *dout,
                                const int32_t *argmax, float *din)
{
  const int channels = window->channels;
  const size_t row_floats = (size_t) window->in_w * channels;

  /* Every cell inside a window: the gradient where it won, 0 where it lost. */
  for (int oy = 0; oy < window->out_h; oy++)
    for (int ox = 0; ox < window->out_w; ox++)
      {
        size_t out_offset = ((size_t) oy * window->out_w + ox) * channels;
        const float *d = dout + out_offset;
        const int32_t *a = argmax + out_offset;
        int y0 = oy * window->stride_h - window->pad_top;
        int x0 = ox * window->stride_w - window->pad_left;
        int ky0, ky1, kx0, kx1;

        clip_window (y0, window->window_h, window->in_h, &ky0, &ky1);
        clip_window (x0, window->window_w, window->in_w, &kx0, &kx1);
        for (int ky = ky0; ky < ky1; ky++)
          for (int kx = kx0; kx < kx1; kx++)
            {
              int32_t base = ((y0 + ky) * window->in_w + (x0 + kx)) * channels;
              winner_gradient (d, a, base, channels, din + base);
            }
      }
  /* The cells no window reaches (the rows and columns a 'valid' pooling leaves over). */
  for (int iy = 0; iy < window->in_h; iy++)
    {
      float *row = din + (size_t) iy * row_floats;
      if (!cell_covered (iy, window->pad_top, window->stride_h, window->window_h,
                         window->out_h))
        {
          memset (row, 0, row_floats * sizeof (float));
          continue;
        }
      for (int ix = 0; ix < window->in_w; ix++)
        if (!cell_covered (ix, window->pad_left, window->stride_w, window->window_w,
                           window->out_w))
          memset (row + (size_t) ix * channels, 0, (size_t) channels * sizeof (float));
    }
}

void
cnn_avg_pool_forward (const CnnWindow *window, const float *in, float *out)
{
  const int channels = window->channels;

  for (int oy = 0; oy < window->out_h; oy++)
    for (int ox = 0; ox < window->out_w; ox++)
      {
        float *o = out + ((size_t) oy * window->out_w + ox) * channels;
        int y0 = oy * window->stride_h - window->pad_top;
        int x0 = ox * window->stride_w - window->pad_left;
        int ky0, ky1, kx0, kx1;

        clip_window (y0, window->window_h, window->in_h, &ky0, &ky1);
        clip_window (x0, window->window_w, window->in_w, &kx0, &kx1);
        memset (o, 0, (size_t) channels * sizeof (float));
        for (int ky = ky0; ky < ky1; ky++)
          for (int kx = kx0; kx < kx1; kx++)
            {
              const float *p = in + ((size_t) (y0 + ky) * window->in_w + (x0 + kx)) * channels;
              for (int ch = 0; ch < channels; ch++)
                o[ch] += p[ch];
            }
        float inv_count = 1.0f / (float) ((ky1 - ky0) * (kx1 - kx0));
        for (int ch = 0; ch < channels; ch++)
          o[ch] *= inv_count;
      }
}

void
cnn_avg_pool_backward (const CnnWindow *window, const float *dout, float *din)
{
  const int channels = window->channels;

  for (int oy = 0; oy < window->out_h; oy++)
    for (int ox = 0; ox < window->out_w; ox++)
      {
        const float *d = dout + ((size_t) oy * window->out_w + ox) * channels;
        int y0 = oy * window->stride_h - window->pad_top;
        int x0 = ox * window->stride_w - window->pad_left;
        int ky0, ky1, kx0, kx1;

        clip_window (y0, window->window_h, window->in_h, &ky0, &ky1);
        clip_window (x0, window->window_w, window->in_w, &kx0, &kx1);
        float inv_count = 1.0f / (float) ((ky1 - ky0) * (kx1 - kx0));
        for (int ky = ky0; ky < ky1; ky++)
          for (int kx = kx0; kx < kx1; kx++)
            {
              float *p = din + ((size_t) (y0 + ky) * window->in_w + (x0 + kx)) * channels;
              for (int ch = 0; ch < channels; ch++)
                p[ch] += d[ch] * inv_count;
            }
      }
}

void
cnn_channel_sums (const float *x, size_t rows, int channels, double *sum, double *squares)
{
  for (int j = 0; j < channels; j++)
    sum[j] = squares[j] = 0.0;
  cnn_channel_sums_add (x, rows, channels, sum, squares);
}

VECTOR_CLONES void
cnn_channel_sums_add (const float *x, size_t rows, int channels, double *sum,
                      double *squares)
{
  for (size_t r = 0; r < rows; r++)
    {
      const float *row = x + r * (size_t) channels;
      for (int j = 0; j < channels; j++)
        {
          double value = row[j];
          sum[j] += value;
          squares[j] += value * value;
        }
    }
}

void
cnn_batch_norm_affine (int channels, const float *mean, const float *inv_std,
                       const float *gamma, const float *beta, float *scale, float *shift)
{
  /* The same two expressions as cnn_batch_norm_apply, so both give the same bits. */
  for (int j = 0; j < channels; j++)
    {
      scale[j] = gamma[j] * inv_std[j];
      shift[j] = beta[j] - mean[j] * scale[j];
    }
}

VECTOR_CLONES void
cnn_batch_norm_apply (const float *x, size_t rows, int channels, const float *mean,
                      const float *inv_std, const float *gamma, const float *beta, float *y)
{
  for (int c0 = 0; c0 < channels; c0 += CHANNEL_BLOCK)
    {
      int c1 = channels - c0 < CHANNEL_BLOCK ? channels : c0 + CHANNEL_BLOCK;
      float scale[CHANNEL_BLOCK], shift[CHANNEL_BLOCK];

      for (int j = c0; j < c1; j++)
        {
          scale[j - c0] = gamma[j] * inv_std[j];
          shift[j - c0] = beta[j] - mean[j] * scale[j - c0];
        }
      for (size_t r = 0; r < rows; r++)
        {
          const float *in = x + r * (size_t) channels;
          float *out = y + r * (size_t) channels;
          for (int j = c0; j < c1; j++)
            out[j] = in[j] * scale[j - c0] + shift[j - c0];
        }
    }
}

VECTOR_CLONES void
cnn_batch_norm_backward_sums (const float *x, const float *dy, size_t rows, int channels,
                              const float *mean, const float *inv_std, double *sum_dy,
                              double *sum_dy_xhat)
{
  for (int j = 0; j < channels; j++)
    sum_dy[j] = sum_dy_xhat[j] = 0.0;
  for (size_t r = 0; r < rows; r++)
    {
      const float *x_row = x + r * (size_t) channels;
      const float *dy_row = dy + r * (size_t) channels;
      for (int j = 0; j < channels; j++)
        {
          float xhat = (x_row[j] - mean[j]) * inv_std[j];
          sum_dy[j] += dy_row[j];
          sum_dy_xhat[j] += dy_row[j] * xhat;
        }
    }
}

static inline __attribute__ ((always_inline)) void
batch_norm_backward_apply (const float *x, const float *dy, size_t rows, int channels,
                           const float *mean, const float *inv_std, const float *gamma,
                           const float *mean_dy, const float *mean_dy_xhat, int relu,
                           float *dx)
{
  for (int c0 = 0; c0 < channels; c0 += CHANNEL_BLOCK)
    {
      int c1 = channels - c0 < CHANNEL_BLOCK ? channels : c0 + CHANNEL_BLOCK;
      float scale[CHANNEL_BLOCK];

      for (int j = c0; j < c1; j++)
        scale[j - c0] = gamma[j] * inv_std[j];
      for (size_t r = 0; r < rows; r++)
        {
          const float *x_row = x + r * (size_t) channels;
          const float *dy_row = dy + r * (size_t) channels;
          float *dx_row = dx + r * (size_t) channels;
          for (int j = c0; j < c1; j++)
            {
              float xhat = (x_row[j] - mean[j]) * inv_std[j];
              float value = scale[j - c0] * (dy_row[j] - mean_dy[j] - xhat * mean_dy_xhat[j]);
              /* A bit mask, not a branch, so that GCC vectorises: +0 where the ReLU was off,
               * as cnn_activation_backward gives. */
              uint32_t bits, keep = -(uint32_t) (!relu || x_row[j] > 0.0f);
              memcpy (&bits, &value, sizeof bits);
              bits &= keep;
              memcpy (&dx_row[j], &bits, sizeof bits);
            }
        }
    }
}

VECTOR_CLONES void
cnn_batch_norm_backward_apply (const float *x, const float *dy, size_t rows, int channels,
                               const float *mean, const float *inv_std, const float *gamma,
                               const float *mean_dy, const float *mean_dy_xhat, float *dx)
{
  batch_norm_backward_apply (x, dy, rows, channels, mean, inv_std, gamma, mean_dy,
                             mean_dy_xhat, 0, dx);
}

VECTOR_CLONES void
cnn_batch_norm_backward_apply_relu (const float *x, const float *dy, size_t rows, int channels,
                                    const float *mean, const float *inv_std,
                                    const float *gamma, const float *mean_dy,
                                    const float *mean_dy_xhat, float *dx)
{
  batch_norm_backward_apply (x, dy, rows, channels, mean, inv_std, gamma, mean_dy,
                             mean_dy_xhat, 1, dx);
}

/* Walks the input cells of a disjoint pooling in row order, knowing for each the window
 * it lies in without dividing: rows [iy] are cut by stride_h, cells by stride_w. */
typedef struct {
  int row_covered;           /* the row lies in a window row */
  size_t row_out;            /* first output cell of that window row */
  int out_x, phase_x;        /* (ix + pad_left) / stride_w and % stride_w */
} PoolWalk;

static inline void
pool_walk_row (const CnnWindow *pool, int iy, PoolWalk *walk)
{
  walk->row_covered = cell_covered (iy, pool->pad_top, pool->stride_h, pool->window_h,
                                    pool->out_h);
  walk->row_out = (size_t) ((iy + pool->pad_top) / pool->stride_h) * pool->out_w;
  walk->out_x = pool->pad_left / pool->stride_w;
  walk->phase_x = pool->pad_left % pool->stride_w;
}

/* The gradient dy (channels) that cnn_max_pool_backward_disjoint writes into cell (iy, ix)
 * of the walk's row, computed where it is needed instead of stored: dout where the cell won
 * its window, +0 where it lost or lies in no window. Moves the walk to the next cell. */
static inline void
pooled_cell_gradient (const CnnWindow *pool, const float *dout, const int32_t *argmax,
                      int iy, int ix, PoolWalk *walk, float *dy)
{
  if (walk->row_covered && walk->out_x < pool->out_w && walk->phase_x < pool->window_w)
    {
      size_t out_offset = (walk->row_out + (size_t) walk->out_x) * pool->channels;
      int32_t base = (iy * pool->in_w + ix) * pool->channels;
      winner_gradient (dout + out_offset, argmax + out_offset, base, pool->channels, dy);
    }
  else
    memset (dy, 0, (size_t) pool->channels * sizeof (float));
  if (++walk->phase_x == pool->stride_w)
    {
      walk->phase_x = 0;
      walk->out_x++;
    }
}

VECTOR_CLONES void
cnn_batch_norm_backward_sums_pooled_add (const CnnWindow *pool, const float *x,
                                         const float *dout, const int32_t *argmax,
                                         const float *mean, const float *inv_std,
                                         double *sum_dy, double *sum_dy_xhat)
{
  const int channels = pool->channels;

  for (int iy = 0; iy < pool->in_h; iy++)
    {
      PoolWalk walk;
      pool_walk_row (pool, iy, &walk);
      for (int ix = 0; ix < pool->in_w; ix++)
        {
          float dy_row[CNN_POOLED_MAX_CHANNELS];
          const float *x_row = x + ((size_t) iy * pool->in_w + ix) * channels;

          pooled_cell_gradient (pool, dout, argmax, iy, ix, &walk, dy_row);
          /* The operations of cnn_batch_norm_backward_sums, row after row. */
          for (int j = 0; j < channels; j++)
            {
              float xhat = (x_row[j] - mean[j]) * inv_std[j];
              sum_dy[j] += dy_row[j];
              sum_dy_xhat[j] += dy_row[j] * xhat;
            }
        }
    }
}

VECTOR_CLONES void
cnn_batch_norm_backward_apply_pooled (const CnnWindow *pool, const float *x,
                                      const float *dout, const int32_t *argmax,
                                      const float *mean, const float *inv_std,
                                      const float *gamma, const float *mean_dy,
                                      const float *mean_dy_xhat, int relu, float *dx)
{
  const int channels = pool->channels;
  float scale[CNN_POOLED_MAX_CHANNELS];

  for (int j = 0; j < channels; j++)
    scale[j] = gamma[j] * inv_std[j];
  for (int iy = 0; iy < pool->in_h; iy++)
    {
      PoolWalk walk;
      pool_walk_row (pool, iy, &walk);
      for (int ix = 0; ix < pool->in_w; ix++)
        {
          float dy_row[CNN_POOLED_MAX_CHANNELS];
          size_t offset = ((size_t) iy * pool->in_w + ix) * channels;
          const float *x_row = x + offset;
          float *dx_row = dx + offset;

          pooled_cell_gradient (pool, dout, argmax, iy, ix, &walk, dy_row);
          /* The operations of cnn_batch_norm_backward_apply[_relu], cell after cell. */
          for (int j = 0; j < channels; j++)
            {
              float xhat = (x_row[j] - mean[j]) * inv_std[j];
              float value = scale[j] * (dy_row[j] - mean_dy[j] - xhat * mean_dy_xhat[j]);
              uint32_t bits, keep = -(uint32_t) (!relu || x_row[j] > 0.0f);
              memcpy (&bits, &value, sizeof bits);
              bits &= keep;
              memcpy (&dx_row[j], &bits, sizeof bits);
            }
        }
    }
}

/* Whether unit u of the mask keyed `key` is kept: its 16 bits of its group's hash. */
static inline uint8_t
dropout_keeps (uint64_t key, uint32_t threshold, size_t u)
{
  uint64_t bits = cnn_mix64 (key + (u / 4 + 1) * UINT64_C (0x9E3779B97F4A7C15));
  return ((bits >> (16 * (u % 4))) & 0xFFFF) >= threshold;
}

VECTOR_CLONES void
cnn_dropout_mask_range (uint64_t key, float rate, uint8_t *mask, size_t first, size_t count)
{
  const uint32_t threshold = (uint32_t) lrintf (rate * 65536.0f);
  const size_t end = first + count;
  size_t u = first;

  /* The units before the first whole group of 4, then whole groups (one hash each, a loop
   * GCC vectorises), then the rest. */
  for (; u < end && u % 4 != 0; u++)
    mask[u - first] = dropout_keeps (key, threshold, u);
  const size_t groups = (end - u) / 4;
  uint8_t *out = mask + (u - first);
  for (size_t g = 0; g < groups; g++)
    {
      uint64_t bits = cnn_mix64 (key + (u / 4 + g + 1) * UINT64_C (0x9E3779B97F4A7C15));
      out[4 * g] = (bits & 0xFFFF) >= threshold;
      out[4 * g + 1] = ((bits >> 16) & 0xFFFF) >= threshold;
      out[4 * g + 2] = ((bits >> 32) & 0xFFFF) >= threshold;
      out[4 * g + 3] = (bits >> 48) >= threshold;
    }
  for (u += 4 * groups; u < end; u++)
    mask[u - first] = dropout_keeps (key, threshold, u);
}

void
cnn_dropout_mask (uint64_t key, float rate, uint8_t *mask, size_t count)
{
  cnn_dropout_mask_range (key, rate, mask, 0, count);
}

VECTOR_CLONES void
cnn_masked_scale (const uint8_t *mask, const float *in, float scale, float *out, size_t count)
{
  for (size_t i = 0; i < count; i++)
    out[i] = in[i] * ((float) mask[i] * scale);
}

VECTOR_CLONES void
cnn_scale_shift (const float *in, float scale, float offset, float *out, size_t count)
{
  for (size_t i = 0; i < count; i++)
    out[i] = in[i] * scale + offset;
}

void
cnn_global_average_backward (const float *dout, size_t positions, int channels, float *din)
{
  const float inv_positions = 1.0f / (float) positions;

  for (size_t p = 0; p < positions; p++)
    for (int c = 0; c < channels; c++)
      din[p * channels + c] = dout[c] * inv_positions;
}
