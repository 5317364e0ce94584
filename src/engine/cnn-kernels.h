/* cnn-kernels.h — the engine's numeric kernels: GEMM, im2col, activations, pooling, BN. */
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Private to the engine. Kernels know nothing of models or layers: they take pointers and
// sizes. Arrays are row-major, NHWC for images; the shape of each argument is stated.

#pragma once

#include <stddef.h>
#include <stdint.h>

#include "cnn.h"

/* A sliding window over one NHWC sample: a conv kernel or a pooling window. */
typedef struct {
  int in_h, in_w, channels;
  int out_h, out_w;
  int window_h, window_w;
  int stride_h, stride_w;
  int pad_top, pad_left;
} CnnWindow;

/* The splitmix64 output function: a bijective mix of 64 bits. */
static inline uint64_t
cnn_mix64 (uint64_t z)
{
  z = (z ^ (z >> 30)) * UINT64_C (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * UINT64_C (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

/* c (m, n) = alpha · op(a) · op(b) + beta · c, row-major; op(a) is (m, k), op(b) (k, n).
 * Every BLAS call of the engine goes through here. */
void cnn_gemm (int transpose_a, int transpose_b, int m, int n, int k, float alpha,
               const float *a, const float *b, float beta, float *c);

/* The same on sub-matrices: explicit leading dimensions (row strides) of a, b and c. */
void cnn_gemm_strided (int transpose_a, int transpose_b, int m, int n, int k, float alpha,
                       const float *a, int lda, const float *b, int ldb, float beta, float *c,
                       int ldc);

/* GEMMs with a small inner size (cnn-small-gemm.c), for the first Conv2D of a model: k at
 * most CNN_SMALL_K_MAX and n a multiple of 8. Not bit-identical to cnn_gemm (rounding of
 * another summation order, fused multiply-adds), but each result element is computed the
 * same way wherever the rows are cut, so threads and chunks do not change the bits. */
#define CNN_SMALL_K_MAX 32
/* Whether this CPU runs them (x86-64: AVX2 and FMA); callers use cnn_gemm otherwise. Where
 * AVX-512 runs too they use it, with the same bits (each element's chain of fused
 * multiply-adds does not depend on the vector width). */
int  cnn_gemm_small_k_available (void);
/* Tests: 0 keeps these kernels on their AVX2 forms, 1 (the default) lets them use AVX-512. */
void cnn_gemm_small_k_allow_avx512 (int allowed);
/* c (m, n) = a (m, k) · b (k, n); this one takes any k (cnn-winograd.c's GEMMs have 16
 * to 1,024). */
void cnn_gemm_small_k (int m, int n, int k, const float *a, const float *b, float *c);
/* c (k, n) += aᵀ · d, a (m, k) and d (m, n): a weight gradient over m rows. */
void cnn_gemm_small_k_transposed_add (int m, int n, int k, const float *a, const float *d,
                                      float *c);
/* The same two with the rows of a read in place from an image, without an im2col copy:
 * element kk of row r is image[r · row_step + offsets[kk]] (offsets (k)). Same bits as on
 * the copied rows. */
void cnn_gemm_small_k_gather (int m, int n, int k, const float *image, size_t row_step,
                              const int32_t *offsets, const float *b, float *c);
void cnn_gemm_small_k_gather_transposed_add (int m, int n, int k, const float *image,
                                             size_t row_step, const int32_t *offsets,
                                             const float *d, float *c);
/* The other shape BLAS does poorly (same CPU check): c (m, n) = a (m, k) · b (k, n) for
 * m at most CNN_FEW_ROWS_MAX and n a multiple of 8, with explicit leading dimensions: a
 * Dense layer's forward in a small batch. Each element is one chain of fused multiply-adds
 * along k, whatever the split of the columns. */
#define CNN_FEW_ROWS_MAX 16
void cnn_gemm_few_rows (int m, int n, int k, const float *a, int lda, const float *b, int ldb,
                        float *c, int ldc);

/* 3×3 stride-1 convolutions by Winograd's F(4×4, 3×3) (cnn-winograd.c): 4 times fewer
 * multiply-adds than im2col + GEMM, the same result up to rounding. For one NHWC sample,
 * out (out_h, out_w, out_c) = the correlation of in (in_h, in_w, in_c), zero outside, with
 * a (3, 3, in_c, out_c) kernel, the first window's top-left cell at (−pad_top, −pad_left);
 * no bias. */
typedef struct {
  int in_h, in_w, in_c;
  int out_h, out_w, out_c;
  int pad_top, pad_left;
} CnnWinogradShape;
#define CNN_WINOGRAD_MIN_CHANNELS 16
/* Whether it runs here for these channel counts: both at least CNN_WINOGRAD_MIN_CHANNELS
 * and multiples of 8, on a CPU with the small-K kernels (cnn_gemm_small_k_available). */
int    cnn_winograd_fits (int in_c, int out_c);
/* Floats of scratch one cnn_winograd_correlate call needs (one per thread). */
size_t cnn_winograd_scratch_floats (int in_c, int out_c);
/* u (36, in_c, out_c): the transformed HWIO kernel (3, 3, in_c, out_c). */
void   cnn_winograd_kernel (const float *kernel, int in_c, int out_c, float *u);
/* turned (3, 3, out_c, in_c): the kernel of the input gradient — the kernel (3, 3, in_c,
 * out_c) turned by 180° with its channels swapped; the input gradient is the correlation
 * of dout with it, padding 2 − pad. */
void   cnn_winograd_turn_kernel (const float *kernel, int in_c, int out_c, float *turned);
void   cnn_winograd_correlate (const CnnWinogradShape *shape, const float *u, const float *in,
                               float *out, float *scratch);
/* The weight gradient the same way, for the forward `shape`: du (36, in_c, out_c) += the
 * transformed gradient of one sample, in (in_h, in_w, in_c) and dout (out_h, out_w,
 * out_c); after the last sample, cnn_winograd_kernel_gradient turns du into the HWIO
 * kernel gradient (3, 3, in_c, out_c) (written, not added). */
void   cnn_winograd_kernel_gradient_add (const CnnWinogradShape *shape, const float *in,
                                         const float *dout, float *du, float *scratch);
void   cnn_winograd_kernel_gradient (const float *du, int in_c, int out_c,
                                     float *kernel_grad);

/* in (in_h, in_w, channels) → columns (out_h · out_w, window_h · window_w · channels),
 * zeros where the window covers padding. Row order matches an HWIO kernel. */
void cnn_im2col (const CnnWindow *window, const float *in, float *columns);
/* The adjoint: din (in_h, in_w, channels) += columns scattered back. */
void cnn_col2im_add (const CnnWindow *window, const float *columns, float *din);

/* x (rows, cols) = activation (x + bias), bias (cols) or NULL; softmax is per row. */
void cnn_bias_activation (float *x, const float *bias, size_t rows, int cols,
                          CnnActivation activation);
/* dy (rows, cols) becomes the gradient before the activation, given its output y. */
void cnn_activation_backward (CnnActivation activation, const float *y, float *dy,
                              size_t rows, int cols);
/* sums (cols) += column sums of x (rows, cols). */
void cnn_column_sums_add (const float *x, size_t rows, int cols, float *sums);

/* Max pooling of one sample: out (out_h, out_w, channels); argmax gets the winning input
 * offset within the sample (padding never wins; Keras/TF pad with -inf). */
void cnn_max_pool_forward (const CnnWindow *window, const float *in, float *out,
                           int32_t *argmax);
/* The same on in · scale + shift, per channel (scale and shift (channels)): a
 * BatchNormalization applied while pooling, bit-identical to applying it first. */
void cnn_max_pool_forward_affine (const CnnWindow *window, const float *in,
                                  const float *scale, const float *shift, float *out,
                                  int32_t *argmax);
/* din (in_h, in_w, channels) must be zeroed; dout and argmax (out_h, out_w, channels). */
void cnn_max_pool_backward (const CnnWindow *window, const float *dout,
                            const int32_t *argmax, float *din);
/* Whether no input cell lies in two pooling windows (stride ≥ window on both axes). */
int  cnn_max_pool_windows_disjoint (const CnnWindow *window);
/* For disjoint windows: writes every cell of din (in_h, in_w, channels), dout where the
 * cell won its window and 0 elsewhere, so din needs no clearing and is written once. */
void cnn_max_pool_backward_disjoint (const CnnWindow *window, const float *dout,
                                     const int32_t *argmax, float *din);
/* Average pooling over the cells inside the input only (TF 'same' excludes padding). */
void cnn_avg_pool_forward (const CnnWindow *window, const float *in, float *out);
/* din (in_h, in_w, channels) must be zeroed. */
void cnn_avg_pool_backward (const CnnWindow *window, const float *dout, float *din);

/* sum and squares (channels) = per-channel Σx and Σx² of x (rows, channels), in double:
 * a slice's share of the batch statistics. */
void cnn_channel_sums (const float *x, size_t rows, int channels, double *sum,
                       double *squares);
/* The same added to sum and squares: rows summed in pieces give the same doubles as in one
 * call, so a Conv2D can gather the statistics of its next layer chunk by chunk. */
void cnn_channel_sums_add (const float *x, size_t rows, int channels, double *sum,
                           double *squares);
/* scale and shift (channels) of y = x · scale + shift for a BatchNormalization. */
void cnn_batch_norm_affine (int channels, const float *mean, const float *inv_std,
                            const float *gamma, const float *beta, float *scale,
                            float *shift);
/* y (rows, channels) = (x − mean) · inv_std · gamma + beta. */
void cnn_batch_norm_apply (const float *x, size_t rows, int channels, const float *mean,
                           const float *inv_std, const float *gamma, const float *beta,
                           float *y);
/* A slice's share of the batch-norm gradient sums (channels): Σdy and Σdy·x̂, in double. */
void cnn_batch_norm_backward_sums (const float *x, const float *dy, size_t rows, int channels,
                                   const float *mean, const float *inv_std, double *sum_dy,
                                   double *sum_dy_xhat);
/* dx (rows, channels) = gamma·inv_std·(dy − mean_dy − x̂·mean_dy_xhat), where mean_dy and
 * mean_dy_xhat (channels) are the batch means of the sums above (0 with moving statistics,
 * which do not depend on x). */
void cnn_batch_norm_backward_apply (const float *x, const float *dy, size_t rows, int channels,
                                    const float *mean, const float *inv_std, const float *gamma,
                                    const float *mean_dy, const float *mean_dy_xhat, float *dx);
/* The same, then through the ReLU that made x: dx = 0 where x ≤ 0 (x is the ReLU's
 * output), as cnn_activation_backward would do next, without another pass over dx. */
void cnn_batch_norm_backward_apply_relu (const float *x, const float *dy, size_t rows,
                                         int channels, const float *mean, const float *inv_std,
                                         const float *gamma, const float *mean_dy,
                                         const float *mean_dy_xhat, float *dx);

/* BatchNormalization before a disjoint MaxPooling2D (cnn_max_pool_windows_disjoint), for one
 * sample: the two passes above with dy read from the pooling's dout (out_h, out_w,
 * channels) and argmax, as cnn_max_pool_backward_disjoint would have written it, so that
 * the full-size dy is never stored. `pool` is the pooling's window; x and dx (in_h, in_w,
 * channels); at most CNN_POOLED_MAX_CHANNELS channels. The sums are added to, in the row
 * order and with the operations of cnn_batch_norm_backward_sums; dx gets the bits of
 * cnn_batch_norm_backward_apply (relu 0) or its _relu form (relu 1). */
#define CNN_POOLED_MAX_CHANNELS 1024
void cnn_batch_norm_backward_sums_pooled_add (const CnnWindow *pool, const float *x,
                                              const float *dout, const int32_t *argmax,
                                              const float *mean, const float *inv_std,
                                              double *sum_dy, double *sum_dy_xhat);
void cnn_batch_norm_backward_apply_pooled (const CnnWindow *pool, const float *x,
                                           const float *dout, const int32_t *argmax,
                                           const float *mean, const float *inv_std,
                                           const float *gamma, const float *mean_dy,
                                           const float *mean_dy_xhat, int relu, float *dx);

/* Dropout's keep mask (count): a pure function of `key` — unit u keeps when its 16 bits of
 * cnn_mix64 (key + (u / 4 + 1)·golden ratio) are at least rate·65536 — so that a resumed
 * run draws the same masks without any generator state. */
void cnn_dropout_mask (uint64_t key, float rate, uint8_t *mask, size_t count);
/* The units [first, first + count) of that mask, into mask (count). */
void cnn_dropout_mask_range (uint64_t key, float rate, uint8_t *mask, size_t first,
                             size_t count);
/* out (count) = mask ? in · scale : 0. */
void cnn_masked_scale (const uint8_t *mask, const float *in, float scale, float *out,
                       size_t count);
/* out (count) = in · scale + offset. */
void cnn_scale_shift (const float *in, float scale, float offset, float *out, size_t count);
/* din (positions, channels) = dout (channels) / positions, for one sample. */
void cnn_global_average_backward (const float *dout, size_t positions, int channels,
                                  float *din);
