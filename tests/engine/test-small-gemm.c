/* test-small-gemm.c — the engine's own GEMM kernels and GEMM splits against exact sums and BLAS. */
// SPDX-License-Identifier: GPL-3.0-or-later
//
// cnn-small-gemm.c replaces cblas_sgemm where K ≤ 32 (a first Conv2D) and where a Dense
// forward has at most 16 rows. Its results differ from BLAS by rounding only, so the
// tolerances here are stated bounds on float rounding:
// - each forward element within 4e-6 · Σ|a·b| of the exact (double) dot product (K ≤ 32
//   products, one rounding each: K · 2⁻²⁴ ≈ 1.9e-6 · Σ|a·b|, doubled for margin);
// - each weight-gradient element within 2e-5 · (|c| + Σ|a·d|) of the exact sum (segments of
//   128 rows, then one addition per segment);
// - each few-rows element within (k + 1) · 6e-8 · Σ|a·b| (one chain of k roundings), and
//   equal to that chain done with fmaf, on AVX-512 as on AVX2;
// - a model trained three Adam steps on these kernels and on BLAS: the first loss (forward
//   only) within 1e-6 relative, the later ones within 1e-4, weights within 1e-4 absolute;
// - the optimizer fused into a large Dense backward against the separate step (OpenBLAS
//   rounds the block-shaped GEMMs its own way): losses within 1e-6, weights within 1e-5;
// and what must be exact is checked exactly: the rows cut anywhere give the same bits, the
// patches read in place from the image the bits of the copied patches, and 1 and 2 threads
// give the same model.

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "cnn-kernels.h"
#include "cnn-private.h"

static void
random_floats (CnnRng *rng, float *x, size_t count)
{
  for (size_t i = 0; i < count; i++)
    x[i] = (float) cnn_rng_uniform (rng) * 2.0f - 1.0f;
}

static void
test_forward_against_exact (void)
{
  CnnRng rng;

  cnn_rng_seed (&rng, 5);
  for (int trial = 0; trial < 60; trial++)
    {
      int m = 1 + (int) cnn_rng_below (&rng, 150);
      int n = 8 * (1 + (int) cnn_rng_below (&rng, 8));
      int k = 1 + (int) cnn_rng_below (&rng, CNN_SMALL_K_MAX);
      float *a = g_new (float, (size_t) m * k), *b = g_new (float, (size_t) k * n);
      float *c = g_new (float, (size_t) m * n);

      random_floats (&rng, a, (size_t) m * k);
      random_floats (&rng, b, (size_t) k * n);
      cnn_gemm_small_k (m, n, k, a, b, c);
      for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
          {
            double exact = 0.0, magnitude = 0.0;
            for (int kk = 0; kk < k; kk++)
              {
                double product = (double) a[i * k + kk] * b[kk * n + j];
                exact += product;
                magnitude += fabs (product);
              }
            g_assert_cmpfloat (fabs (c[i * n + j] - exact), <=, 4e-6 * magnitude + 1e-30);
          }
      g_free (a);
      g_free (b);
      g_free (c);
    }
}

/* Every kernel gives the same bits on its AVX-512 and AVX2 forms (on a CPU without AVX-512
 * both runs take the AVX2 form and the test holds trivially). */
static void
test_avx512_same_bits_as_avx2 (void)
{
  CnnRng rng;

  cnn_rng_seed (&rng, 10);
  for (int trial = 0; trial < 40; trial++)
    {
      int m = 1 + (int) cnn_rng_below (&rng, 300);
      int n = 8 * (1 + (int) cnn_rng_below (&rng, 9));
      int k = 1 + (int) cnn_rng_below (&rng, CNN_SMALL_K_MAX);
      int rows = 1 + (int) cnn_rng_below (&rng, CNN_FEW_ROWS_MAX), depth = 1 + k * 20;
      size_t a_floats = (size_t) (m > rows ? m : rows) * depth;
      float *a = g_new (float, a_floats), *b = g_new (float, (size_t) depth * n);
      /* Room for any of the four results: (m, n), (k, n) or (rows, n). */
      size_t out_floats = (size_t) (m > CNN_SMALL_K_MAX ? m : CNN_SMALL_K_MAX) * n;
      float *wide = g_new (float, out_floats), *narrow = g_new (float, out_floats);
      int32_t offsets[CNN_SMALL_K_MAX];

      random_floats (&rng, a, a_floats);
      random_floats (&rng, b, (size_t) depth * n);
      for (int kk = 0; kk < k; kk++)
        offsets[kk] = (int32_t) cnn_rng_below (&rng, (uint64_t) k * 3);
      for (int form = 0; form < 8; form++)
        {
          float *out = form % 2 ? narrow : wide;

          cnn_gemm_small_k_allow_avx512 (form % 2 == 0);
          memset (out, 0, out_floats * sizeof (float));
          switch (form / 2)
            {
            case 0: cnn_gemm_small_k (m, n, k, a, b, out); break;
            case 1: cnn_gemm_small_k_gather (m, n, k, a, 2, offsets, b, out); break;
            case 2: /* k × n gradient over m rows, d = the first m rows of b's floats */
              cnn_gemm_small_k_transposed_add (m > depth ? depth : m, n, k, a, b, out);
              break;
            default:
              cnn_gemm_few_rows (rows, n, depth, a, depth, b, n, out, n);
              break;
            }
          if (form % 2)
            g_assert_true (memcmp (wide, narrow, out_floats * sizeof (float)) == 0);
        }
      cnn_gemm_small_k_allow_avx512 (1);
      g_free (a);
      g_free (b);
      g_free (wide);
      g_free (narrow);
    }
}

/* A few rows times a long kernel, with leading dimensions (a slice's columns of a Dense). */
static void
test_few_rows_against_exact (void)
{
  CnnRng rng;

  cnn_rng_seed (&rng, 9);
  for (int trial = 0; trial < 40; trial++)
    {
      int m = 1 + (int) cnn_rng_below (&rng, CNN_FEW_ROWS_MAX);
      int n = 8 * (1 + (int) cnn_rng_below (&rng, 9)); /* strips of 32, 16 and 8 */
      int k = 1 + (int) cnn_rng_below (&rng, 700);
      int ldb = n + 8 * (int) cnn_rng_below (&rng, 3), ldc = ldb, lda = k + 3;
      float *a = g_new (float, (size_t) m * lda), *b = g_new (float, (size_t) k * ldb);
      float *c = g_new (float, (size_t) m * ldc);

      random_floats (&rng, a, (size_t) m * lda);
      random_floats (&rng, b, (size_t) k * ldb);
      random_floats (&rng, c, (size_t) m * ldc);
      float outside = c[n % ldc == 0 ? 0 : n]; /* a column past n when ldc > n */
      cnn_gemm_few_rows (m, n, k, a, lda, b, ldb, c, ldc);
      for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
          {
            double exact = 0.0, magnitude = 0.0;
            float chain = 0.0f;
            for (int kk = 0; kk < k; kk++)
              {
                double product = (double) a[i * lda + kk] * b[kk * ldb + j];
                exact += product;
                magnitude += fabs (product);
                chain = fmaf (a[i * lda + kk], b[kk * ldb + j], chain);
              }
            /* One chain of k fused multiply-adds: k roundings at most. */
            g_assert_cmpfloat (fabs (c[i * ldc + j] - exact), <=,
                               (k + 1) * 6e-8 * magnitude + 1e-30);
            /* Exactly that chain, whether the AVX-512 or the AVX2 blocks did it. */
            if (cnn_gemm_small_k_available ())
              g_assert_cmpfloat (c[i * ldc + j], ==, chain);
          }
      if (ldc > n)
        g_assert_cmpfloat (c[n], ==, outside);
      g_free (a);
      g_free (b);
      g_free (c);
    }
}

/* Rows computed in pieces (as slices and chunks cut them) give the bits of one call. */
static void
test_forward_rows_cut_anywhere (void)
{
  enum { M = 77, N = 40, K = 27 };
  float a[M * K], b[K * N], whole[M * N], pieces[M * N];
  int cuts[] = { 0, 1, 3, 10, 11, 50, M };
  CnnRng rng;

  cnn_rng_seed (&rng, 6);
  random_floats (&rng, a, G_N_ELEMENTS (a));
  random_floats (&rng, b, G_N_ELEMENTS (b));
  cnn_gemm_small_k (M, N, K, a, b, whole);
  for (size_t i = 0; i + 1 < G_N_ELEMENTS (cuts); i++)
    cnn_gemm_small_k (cuts[i + 1] - cuts[i], N, K, a + cuts[i] * K, b, pieces + cuts[i] * N);
  g_assert_true (memcmp (whole, pieces, sizeof whole) == 0);
}

static void
test_gradient_against_exact (void)
{
  CnnRng rng;

  cnn_rng_seed (&rng, 7);
  for (int trial = 0; trial < 30; trial++)
    {
      int m = 1 + (int) cnn_rng_below (&rng, 1000);
      int n = 8 * (1 + (int) cnn_rng_below (&rng, 5));
      int k = 1 + (int) cnn_rng_below (&rng, CNN_SMALL_K_MAX);
      float *a = g_new (float, (size_t) m * k), *d = g_new (float, (size_t) m * n);
      float *c = g_new (float, (size_t) k * n), *start = g_new (float, (size_t) k * n);

      random_floats (&rng, a, (size_t) m * k);
      random_floats (&rng, d, (size_t) m * n);
      random_floats (&rng, start, (size_t) k * n);
      memcpy (c, start, (size_t) k * n * sizeof (float));
      cnn_gemm_small_k_transposed_add (m, n, k, a, d, c);
      for (int kk = 0; kk < k; kk++)
        for (int j = 0; j < n; j++)
          {
            double exact = start[kk * n + j], magnitude = fabs (start[kk * n + j]);
            for (int i = 0; i < m; i++)
              {
                double product = (double) a[i * k + kk] * d[i * n + j];
                exact += product;
                magnitude += fabs (product);
              }
            g_assert_cmpfloat (fabs (c[kk * n + j] - exact), <=, 2e-5 * magnitude + 1e-30);
          }
      g_free (a);
      g_free (d);
      g_free (c);
      g_free (start);
    }
}

/* Patches read in place from an image give the bits of the same patches copied first. */
static void
test_gather_same_bits_as_copied (void)
{
  enum { H = 9, W = 11, C = 3, KH = 3, KW = 3, K = KH * KW * C, N = 24, STRIDE = 2 };
  enum { OUT_W = (W - KW) / STRIDE + 1 };
  float image[H * W * C], b[K * N], d[OUT_W * N], copied[OUT_W * K];
  float c_gather[OUT_W * N], c_copied[OUT_W * N], g_gather[K * N], g_copied[K * N];
  int32_t offsets[K];
  CnnRng rng;

  cnn_rng_seed (&rng, 8);
  random_floats (&rng, image, G_N_ELEMENTS (image));
  random_floats (&rng, b, G_N_ELEMENTS (b));
  random_floats (&rng, d, G_N_ELEMENTS (d));
  random_floats (&rng, g_gather, G_N_ELEMENTS (g_gather));
  memcpy (g_copied, g_gather, sizeof g_copied);
  for (int ky = 0, kk = 0; ky < KH; ky++)
    for (int kx = 0; kx < KW; kx++)
      for (int ch = 0; ch < C; ch++, kk++)
        offsets[kk] = (ky * W + kx) * C + ch;
  /* Output row 2: patches start at image row 4, every STRIDE columns. */
  const float *row = image + 4 * W * C;
  for (int r = 0; r < OUT_W; r++)
    for (int kk = 0; kk < K; kk++)
      copied[r * K + kk] = row[r * STRIDE * C + offsets[kk]];
  cnn_gemm_small_k_gather (OUT_W, N, K, row, STRIDE * C, offsets, b, c_gather);
  cnn_gemm_small_k (OUT_W, N, K, copied, b, c_copied);
  g_assert_true (memcmp (c_gather, c_copied, sizeof c_gather) == 0);
  cnn_gemm_small_k_gather_transposed_add (OUT_W, N, K, row, STRIDE * C, offsets, d, g_gather);
  cnn_gemm_small_k_transposed_add (OUT_W, N, K, copied, d, g_copied);
  g_assert_true (memcmp (g_gather, g_copied, sizeof g_gather) == 0);
}

/* 12×10×3 → Conv2D 16 3×3 (K = 27: the small-K kernels; 'valid' reads the patches in
 * place, 'same' copies them) → BN → pool → Conv2D 8 (K = 144: BLAS) → flatten → Dense 16
 * relu (batches of at most 16: cnn_gemm_few_rows, 8 units per slice) → Dense 3 softmax. */
static CnnModel *
build_model (int threads, int blas_only, int reference, CnnPadding padding)
{
  CnnLayerSpec layers[7];
  CnnError error = { 0 };
  int n = 0;

  cnn_layer_spec_init (&layers[n], CNN_LAYER_CONV2D);
  layers[n].filters = 16;
  layers[n].kernel_size[0] = layers[n].kernel_size[1] = 3;
  layers[n].padding = padding;
  layers[n++].activation = CNN_ACTIVATION_RELU;
  cnn_layer_spec_init (&layers[n++], CNN_LAYER_BATCH_NORMALIZATION);
  cnn_layer_spec_init (&layers[n++], CNN_LAYER_MAX_POOLING2D);
  cnn_layer_spec_init (&layers[n], CNN_LAYER_CONV2D);
  layers[n].filters = 8;
  layers[n].kernel_size[0] = layers[n].kernel_size[1] = 3;
  layers[n++].activation = CNN_ACTIVATION_RELU;
  cnn_layer_spec_init (&layers[n++], CNN_LAYER_FLATTEN);
  cnn_layer_spec_init (&layers[n], CNN_LAYER_DENSE);
  layers[n].units = 16;
  layers[n++].activation = CNN_ACTIVATION_RELU;
  cnn_layer_spec_init (&layers[n], CNN_LAYER_DENSE);
  layers[n].units = 3;
  layers[n++].activation = CNN_ACTIVATION_SOFTMAX;

  CnnModel *model = cnn_model_new (12, 10, 3, layers, n, 11, &error);
  g_assert_nonnull (model);
  g_assert_cmpint (cnn_model_set_threads (model, threads, &error), ==, CNN_OK);
  model->blas_only = blas_only;
  model->reference_passes = reference;
  return model;
}

#define N_SAMPLES 21
#define SAMPLE_FLOATS (12 * 10 * 3)

/* Three Adam steps (batches of 8, 8, 5); returns the weights and the losses. */
static float *
train (int threads, int blas_only, int reference, CnnPadding padding, size_t *n_weights,
       double losses[3])
{
  static float x[N_SAMPLES * SAMPLE_FLOATS];
  int32_t labels[N_SAMPLES];
  CnnModel *model = build_model (threads, blas_only, reference, padding);
  CnnOptimizerConfig config;
  CnnError error = { 0 };
  int starts[3] = { 0, 8, 16 }, sizes[3] = { 8, 8, 5 };
  CnnRng rng;

  cnn_rng_seed (&rng, 12);
  random_floats (&rng, x, G_N_ELEMENTS (x));
  for (int i = 0; i < N_SAMPLES; i++)
    labels[i] = (int32_t) cnn_rng_below (&rng, 3);
  cnn_optimizer_config_init (&config, CNN_OPTIMIZER_ADAM);
  config.learning_rate = 0.01;
  float *arena = cnn_model_trainable_arena (model, n_weights);
  CnnOptimizer *optimizer = cnn_optimizer_new (&config, *n_weights, &error);
  g_assert_nonnull (optimizer);
  for (int step = 0; step < 3; step++)
    g_assert_cmpint (cnn_model_train_batch (model, optimizer,
                                            CNN_LOSS_SPARSE_CATEGORICAL_CROSSENTROPY,
                                            x + starts[step] * SAMPLE_FLOATS,
                                            labels + starts[step], sizes[step],
                                            &losses[step], NULL, &error), ==, CNN_OK);
  float *weights = g_memdup2 (arena, *n_weights * sizeof (float));
  cnn_optimizer_free (optimizer);
  cnn_model_free (model);
  return weights;
}

static void
test_model_against_blas (gconstpointer padding_data)
{
  CnnPadding padding = GPOINTER_TO_INT (padding_data);
  size_t n_small, n_blas;
  double losses_small[3], losses_blas[3];
  float *small = train (2, 0, 0, padding, &n_small, losses_small);
  float *blas = train (2, 1, 0, padding, &n_blas, losses_blas);
  int differ = 0;

  g_assert_cmpuint (n_small, ==, n_blas);
  /* The first loss is the forward alone; the later ones follow Adam steps, which divide
   * each gradient by its own size and so carry its rounding into the weights at full
   * learning rate (0.01) where a gradient is nearly 0. */
  g_assert_cmpfloat (fabs (losses_small[0] - losses_blas[0]), <=,
                     1e-6 * fabs (losses_blas[0]));
  for (int step = 1; step < 3; step++)
    g_assert_cmpfloat (fabs (losses_small[step] - losses_blas[step]), <=,
                       1e-4 * fabs (losses_blas[step]));
  for (size_t i = 0; i < n_small; i++)
    {
      g_assert_cmpfloat_with_epsilon (small[i], blas[i], 1e-4);
      differ |= small[i] != blas[i];
    }
  /* On a CPU with the kernels the first layer really ran on them: rounding shows. */
  if (cnn_gemm_small_k_available ())
    g_assert_true (differ);
  g_free (small);
  g_free (blas);
}

static void
test_one_and_two_threads_identical (gconstpointer padding_data)
{
  CnnPadding padding = GPOINTER_TO_INT (padding_data);
  size_t n_one, n_two;
  double losses_one[3], losses_two[3];
  float *one = train (1, 0, 0, padding, &n_one, losses_one);
  float *two = train (2, 0, 0, padding, &n_two, losses_two);

  g_assert_cmpuint (n_one, ==, n_two);
  g_assert_true (memcmp (one, two, n_one * sizeof (float)) == 0);
  g_assert_true (memcmp (losses_one, losses_two, sizeof losses_one) == 0);
  g_free (one);
  g_free (two);
}

/* With the small-K kernels on both sides, the fused passes around them (statistics gathered
 * by the Conv2D, the pooling's backward left to the BatchNormalization, …) against the
 * plain passes: the same operations in the same order, so the same bits. */
static void
test_fused_match_reference (gconstpointer padding_data)
{
  CnnPadding padding = GPOINTER_TO_INT (padding_data);
  size_t n_fused, n_plain;
  double losses_fused[3], losses_plain[3];
  float *fused = train (2, 0, 0, padding, &n_fused, losses_fused);
  float *plain = train (2, 0, 1, padding, &n_plain, losses_plain);

  g_assert_cmpuint (n_fused, ==, n_plain);
  g_assert_true (memcmp (losses_fused, losses_plain, sizeof losses_fused) == 0);
  g_assert_true (memcmp (fused, plain, n_fused * sizeof (float)) == 0);
  g_free (fused);
  g_free (plain);
}

/* The optimizer fused into a large Dense backward (64-row blocks) against the separate
 * step: flatten of 40×40×2 (3,200 inputs) → Dense 64 relu → Dense 2 softmax, batch 15,
 * RMSprop, 3 steps, BLAS everywhere. The formulas are the same; OpenBLAS may round the
 * block-shaped GEMMs differently, so: losses within 1e-6 relative, weights within 1e-5. */
static void
test_fused_dense_update_against_separate (void)
{
  enum { SIDE = 40, CHANNELS = 2, BATCH = 15 };
  static float x[BATCH * SIDE * SIDE * CHANNELS];
  int32_t labels[BATCH];
  float *weights[2];
  double losses[2][3];
  size_t n_weights = 0;
  CnnRng rng;

  cnn_rng_seed (&rng, 14);
  random_floats (&rng, x, G_N_ELEMENTS (x));
  for (int i = 0; i < BATCH; i++)
    labels[i] = (int32_t) cnn_rng_below (&rng, 2);
  for (int fused = 0; fused < 2; fused++)
    {
      CnnLayerSpec layers[3];
      CnnOptimizerConfig config;
      CnnError error = { 0 };

      cnn_layer_spec_init (&layers[0], CNN_LAYER_FLATTEN);
      cnn_layer_spec_init (&layers[1], CNN_LAYER_DENSE);
      layers[1].units = 64;
      layers[1].activation = CNN_ACTIVATION_RELU;
      cnn_layer_spec_init (&layers[2], CNN_LAYER_DENSE);
      layers[2].units = 2;
      layers[2].activation = CNN_ACTIVATION_SOFTMAX;
      CnnModel *model = cnn_model_new (SIDE, SIDE, CHANNELS, layers, 3, 15, &error);
      g_assert_nonnull (model);
      g_assert_cmpint (cnn_model_set_threads (model, 2, &error), ==, CNN_OK);
      model->blas_only = 1;
      model->fused_update_min_floats = fused ? 0 : (size_t) -1;
      cnn_optimizer_config_init (&config, CNN_OPTIMIZER_RMSPROP);
      float *arena = cnn_model_trainable_arena (model, &n_weights);
      CnnOptimizer *optimizer = cnn_optimizer_new (&config, n_weights, &error);
      for (int step = 0; step < 3; step++)
        g_assert_cmpint (cnn_model_train_batch (model, optimizer,
                                                CNN_LOSS_SPARSE_CATEGORICAL_CROSSENTROPY, x,
                                                labels, BATCH, &losses[fused][step], NULL,
                                                &error), ==, CNN_OK);
      weights[fused] = g_memdup2 (arena, n_weights * sizeof (float));
      cnn_optimizer_free (optimizer);
      cnn_model_free (model);
    }
  for (int step = 0; step < 3; step++)
    g_assert_cmpfloat (fabs (losses[1][step] - losses[0][step]), <=,
                       1e-6 * fabs (losses[0][step]));
  g_assert_cmpfloat (losses[0][2], !=, losses[0][0]); /* it trained */
  for (size_t i = 0; i < n_weights; i++)
    g_assert_cmpfloat_with_epsilon (weights[1][i], weights[0][i], 1e-5);
  g_free (weights[0]);
  g_free (weights[1]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/small-gemm/forward-against-exact", test_forward_against_exact);
  g_test_add_func ("/small-gemm/forward-rows-cut-anywhere", test_forward_rows_cut_anywhere);
  g_test_add_func ("/small-gemm/gradient-against-exact", test_gradient_against_exact);
  g_test_add_func ("/small-gemm/gather-same-bits-as-copied", test_gather_same_bits_as_copied);
  g_test_add_func ("/small-gemm/few-rows-against-exact", test_few_rows_against_exact);
  g_test_add_func ("/small-gemm/avx512-same-bits-as-avx2", test_avx512_same_bits_as_avx2);
  g_test_add_func ("/small-gemm/fused-dense-update-against-separate",
                   test_fused_dense_update_against_separate);
  g_test_add_data_func ("/small-gemm/model-against-blas/valid",
                        GINT_TO_POINTER (CNN_PADDING_VALID), test_model_against_blas);
  g_test_add_data_func ("/small-gemm/model-against-blas/same",
                        GINT_TO_POINTER (CNN_PADDING_SAME), test_model_against_blas);
  g_test_add_data_func ("/small-gemm/fused-match-reference/valid",
                        GINT_TO_POINTER (CNN_PADDING_VALID), test_fused_match_reference);
  g_test_add_data_func ("/small-gemm/fused-match-reference/same",
                        GINT_TO_POINTER (CNN_PADDING_SAME), test_fused_match_reference);
  g_test_add_data_func ("/small-gemm/one-and-two-threads-identical/valid",
                        GINT_TO_POINTER (CNN_PADDING_VALID), test_one_and_two_threads_identical);
  g_test_add_data_func ("/small-gemm/one-and-two-threads-identical/same",
                        GINT_TO_POINTER (CNN_PADDING_SAME), test_one_and_two_threads_identical);
  return g_test_run ();
}
