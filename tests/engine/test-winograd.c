/* test-winograd.c — Winograd F(4×4, 3×3) convolutions against exact sums and the im2col path. */
// SPDX-License-Identifier: GPL-3.0-or-later
//
// cnn-winograd.c computes 3×3 stride-1 correlations (a Conv2D's forward and its input
// gradient) with 4 times fewer multiply-adds than im2col + GEMM; the result differs by
// rounding only. The transforms scale inputs and products by up to 8 before summing them
// back, so each element's error is bounded by a multiple of the unit roundoff times the
// sum of the magnitudes of its 9 · in_c products. The stated bounds:
// - each element within 2e-5 · Σ|w·x| of the exact (double) correlation, forward and
//   input gradient, 'valid' and 'same', sizes that are and are not multiples of 4 (measured
//   worst: about 1e-6 on these shapes);
// - a model whose middle Conv2D runs on it, trained three RMSprop steps against the same
//   model on BLAS: first loss within 1e-5 relative, the next two within 1e-3, every weight
//   within 1e-3;
// and what must be exact is checked exactly: 1 and 2 threads give the same bits, a sample
// gives the same bits whichever batch it is in, and the AVX-512 and AVX2 forms of the GEMMs
// inside give the same bits.

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "cnn-kernels.h"
#include "cnn-private.h"
#include "cnn-training-private.h"

static void
random_floats (CnnRng *rng, float *x, size_t count)
{
  for (size_t i = 0; i < count; i++)
    x[i] = (float) cnn_rng_uniform (rng) * 2.0f - 1.0f;
}

typedef struct {
  int in_h, in_w, in_c, out_c;
  int same;                  /* padding 1 and an output of the input's size, else 'valid' */
} Case;

static const Case cases[] = {
  { 6, 6, 16, 16, 0 },       /* one tile */
  { 10, 10, 16, 32, 0 },     /* 8×8: whole tiles */
  { 9, 7, 24, 16, 0 },       /* 7×5: partial tiles on both edges */
  { 13, 11, 32, 24, 1 },
  { 30, 30, 64, 128, 0 },    /* Dogs vs Cats' third Conv2D: several blocks of tiles */
  { 14, 14, 32, 64, 1 },
  { 5, 21, 16, 40, 1 },
};

/* The exact correlation at output cell (oy, ox), channel o, and Σ|w·x| there. */
static double
exact_cell (const float *in, const float *kernel, int in_h, int in_w, int in_c, int out_c,
            int pad, int oy, int ox, int o, double *magnitude)
{
  double sum = 0.0;

  *magnitude = 0.0;
  for (int ky = 0; ky < 3; ky++)
    for (int kx = 0; kx < 3; kx++)
      {
        int y = oy + ky - pad, x = ox + kx - pad;
        if (y < 0 || x < 0 || y >= in_h || x >= in_w)
          continue;
        for (int i = 0; i < in_c; i++)
          {
            double product = (double) in[((size_t) y * in_w + x) * in_c + i]
                             * kernel[((size_t) (ky * 3 + kx) * in_c + i) * out_c + o];
            sum += product;
            *magnitude += fabs (product);
          }
      }
  return sum;
}

/* The worst |error| / Σ|w·x| of the forward of `c`. */
static double
forward_error (const Case *c, CnnRng *rng)
{
  const int pad = c->same ? 1 : 0;
  CnnWinogradShape shape = {
    .in_h = c->in_h, .in_w = c->in_w, .in_c = c->in_c,
    .out_h = c->in_h + 2 * pad - 2, .out_w = c->in_w + 2 * pad - 2, .out_c = c->out_c,
    .pad_top = pad, .pad_left = pad,
  };
  size_t in_floats = (size_t) c->in_h * c->in_w * c->in_c;
  size_t out_floats = (size_t) shape.out_h * shape.out_w * c->out_c;
  size_t kernel_floats = 9 * (size_t) c->in_c * c->out_c;
  float *in = g_new (float, in_floats), *kernel = g_new (float, kernel_floats);
  float *u = g_new (float, 4 * kernel_floats);
  float *out = g_new (float, out_floats + 1);
  float *scratch = g_new (float, cnn_winograd_scratch_floats (c->in_c, c->out_c));
  double worst = 0.0;

  random_floats (rng, in, in_floats);
  random_floats (rng, kernel, kernel_floats);
  out[out_floats] = 12345.0f; /* a guard past the end */
  cnn_winograd_kernel (kernel, c->in_c, c->out_c, u);
  cnn_winograd_correlate (&shape, u, in, out, scratch);
  g_assert_cmpfloat (out[out_floats], ==, 12345.0f);
  for (int oy = 0; oy < shape.out_h; oy++)
    for (int ox = 0; ox < shape.out_w; ox++)
      for (int o = 0; o < c->out_c; o++)
        {
          double magnitude;
          double exact = exact_cell (in, kernel, c->in_h, c->in_w, c->in_c, c->out_c, pad, oy,
                                     ox, o, &magnitude);
          double got = out[((size_t) oy * shape.out_w + ox) * c->out_c + o];
          double error = fabs (got - exact) / magnitude;
          worst = error > worst ? error : worst;
        }
  g_free (in);
  g_free (kernel);
  g_free (u);
  g_free (out);
  g_free (scratch);
  return worst;
}

static void
test_forward_against_exact (void)
{
  CnnRng rng;

  if (!cnn_winograd_fits (16, 16))
    {
      g_test_skip ("this CPU does not run the engine's own GEMM kernels");
      return;
    }
  cnn_rng_seed (&rng, 44);
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double worst = forward_error (&cases[i], &rng);
      g_test_message ("forward %dx%dx%d -> %d: worst error %.2e of sum |w*x|", cases[i].in_h,
                      cases[i].in_w, cases[i].in_c, cases[i].out_c, worst);
      g_assert_cmpfloat (worst, <=, 2e-5);
    }
}

/* The input gradient: dx (in_h, in_w, in_c) of a Conv2D with dout (out_h, out_w, out_c),
 * against the exact scatter of every dout · kernel product. */
static double
input_gradient_error (const Case *c, CnnRng *rng)
{
  const int pad = c->same ? 1 : 0;
  const int out_h = c->in_h + 2 * pad - 2, out_w = c->in_w + 2 * pad - 2;
  CnnWinogradShape shape = {
    .in_h = out_h, .in_w = out_w, .in_c = c->out_c,
    .out_h = c->in_h, .out_w = c->in_w, .out_c = c->in_c,
    .pad_top = 2 - pad, .pad_left = 2 - pad,
  };
  size_t in_floats = (size_t) c->in_h * c->in_w * c->in_c;
  size_t out_floats = (size_t) out_h * out_w * c->out_c;
  size_t kernel_floats = 9 * (size_t) c->in_c * c->out_c;
  float *dout = g_new (float, out_floats), *kernel = g_new (float, kernel_floats);
  float *u = g_new (float, 4 * kernel_floats), *dx = g_new (float, in_floats);
  float *scratch = g_new (float, cnn_winograd_scratch_floats (c->out_c, c->in_c));
  double *exact = g_new0 (double, in_floats), *magnitude = g_new0 (double, in_floats);
  double worst = 0.0;

  random_floats (rng, dout, out_floats);
  random_floats (rng, kernel, kernel_floats);
  float *turned = g_new (float, kernel_floats);
  cnn_winograd_turn_kernel (kernel, c->in_c, c->out_c, turned);
  cnn_winograd_kernel (turned, c->out_c, c->in_c, u);
  g_free (turned);
  cnn_winograd_correlate (&shape, u, dout, dx, scratch);
  for (int oy = 0; oy < out_h; oy++)
    for (int ox = 0; ox < out_w; ox++)
      for (int ky = 0; ky < 3; ky++)
        for (int kx = 0; kx < 3; kx++)
          {
            int y = oy + ky - pad, x = ox + kx - pad;
            if (y < 0 || x < 0 || y >= c->in_h || x >= c->in_w)
              continue;
            for (int i = 0; i < c->in_c; i++)
              for (int o = 0; o < c->out_c; o++)
                {
                  size_t cell = ((size_t) y * c->in_w + x) * c->in_c + i;
                  double product = (double) dout[((size_t) oy * out_w + ox) * c->out_c + o]
                                   * kernel[((size_t) (ky * 3 + kx) * c->in_c + i) * c->out_c
                                            + o];
                  exact[cell] += product;
                  magnitude[cell] += fabs (product);
                }
          }
  for (size_t cell = 0; cell < in_floats; cell++)
    {
      double error = fabs (dx[cell] - exact[cell]) / (magnitude[cell] + 1e-30);
      worst = error > worst ? error : worst;
    }
  g_free (dout);
  g_free (kernel);
  g_free (u);
  g_free (dx);
  g_free (scratch);
  g_free (exact);
  g_free (magnitude);
  return worst;
}

static void
test_input_gradient_against_exact (void)
{
  CnnRng rng;

  if (!cnn_winograd_fits (16, 16))
    {
      g_test_skip ("this CPU does not run the engine's own GEMM kernels");
      return;
    }
  cnn_rng_seed (&rng, 45);
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double worst = input_gradient_error (&cases[i], &rng);
      g_test_message ("input gradient %dx%dx%d <- %d: worst error %.2e of sum |w*dy|",
                      cases[i].in_h, cases[i].in_w, cases[i].in_c, cases[i].out_c, worst);
      g_assert_cmpfloat (worst, <=, 2e-5);
    }
}

/* The weight gradient of `c` from one sample plus a second one (du is added to), against
 * the exact Σ x · dy over both. */
static double
kernel_gradient_error (const Case *c, CnnRng *rng)
{
  const int pad = c->same ? 1 : 0;
  CnnWinogradShape shape = {
    .in_h = c->in_h, .in_w = c->in_w, .in_c = c->in_c,
    .out_h = c->in_h + 2 * pad - 2, .out_w = c->in_w + 2 * pad - 2, .out_c = c->out_c,
    .pad_top = pad, .pad_left = pad,
  };
  size_t in_floats = (size_t) c->in_h * c->in_w * c->in_c;
  size_t out_floats = (size_t) shape.out_h * shape.out_w * c->out_c;
  size_t kernel_floats = 9 * (size_t) c->in_c * c->out_c;
  float *in = g_new (float, 2 * in_floats), *dout = g_new (float, 2 * out_floats);
  float *du = g_new0 (float, 4 * kernel_floats), *grad = g_new (float, kernel_floats);
  float *scratch = g_new (float, cnn_winograd_scratch_floats (c->in_c, c->out_c));
  double *exact = g_new0 (double, kernel_floats), *magnitude = g_new0 (double, kernel_floats);
  double worst = 0.0;

  random_floats (rng, in, 2 * in_floats);
  random_floats (rng, dout, 2 * out_floats);
  for (int b = 0; b < 2; b++)
    cnn_winograd_kernel_gradient_add (&shape, in + b * in_floats, dout + b * out_floats, du,
                                      scratch);
  cnn_winograd_kernel_gradient (du, c->in_c, c->out_c, grad);
  for (int b = 0; b < 2; b++)
    for (int oy = 0; oy < shape.out_h; oy++)
      for (int ox = 0; ox < shape.out_w; ox++)
        for (int ky = 0; ky < 3; ky++)
          for (int kx = 0; kx < 3; kx++)
            {
              int y = oy + ky - pad, x = ox + kx - pad;
              if (y < 0 || x < 0 || y >= c->in_h || x >= c->in_w)
                continue;
              for (int i = 0; i < c->in_c; i++)
                for (int o = 0; o < c->out_c; o++)
                  {
                    size_t w = ((size_t) (ky * 3 + kx) * c->in_c + i) * c->out_c + o;
                    double product = (double) in[b * in_floats
                                                 + ((size_t) y * c->in_w + x) * c->in_c + i]
                                     * dout[b * out_floats
                                            + ((size_t) oy * shape.out_w + ox) * c->out_c + o];
                    exact[w] += product;
                    magnitude[w] += fabs (product);
                  }
            }
  for (size_t w = 0; w < kernel_floats; w++)
    {
      double error = fabs (grad[w] - exact[w]) / (magnitude[w] + 1e-30);
      worst = error > worst ? error : worst;
    }
  g_free (in);
  g_free (dout);
  g_free (du);
  g_free (grad);
  g_free (scratch);
  g_free (exact);
  g_free (magnitude);
  return worst;
}

static void
test_kernel_gradient_against_exact (void)
{
  CnnRng rng;

  if (!cnn_winograd_fits (16, 16))
    {
      g_test_skip ("this CPU does not run the engine's own GEMM kernels");
      return;
    }
  cnn_rng_seed (&rng, 46);
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double worst = kernel_gradient_error (&cases[i], &rng);
      g_test_message ("kernel gradient %dx%dx%d -> %d: worst error %.2e of sum |x*dy|",
                      cases[i].in_h, cases[i].in_w, cases[i].in_c, cases[i].out_c, worst);
      g_assert_cmpfloat (worst, <=, 2e-5);
    }
}

/* The GEMMs inside take their AVX-512 forms where the CPU has them and their AVX2 forms
 * elsewhere, with the same bits: so do the Winograd passes (on a CPU without AVX-512 both
 * runs take the AVX2 forms and the test holds trivially). */
static void
test_avx512_same_bits_as_avx2 (void)
{
  const Case *c = &cases[4];
  CnnWinogradShape shape = {
    .in_h = c->in_h, .in_w = c->in_w, .in_c = c->in_c,
    .out_h = c->in_h - 2, .out_w = c->in_w - 2, .out_c = c->out_c,
  };
  size_t in_floats = (size_t) c->in_h * c->in_w * c->in_c;
  size_t out_floats = (size_t) shape.out_h * shape.out_w * c->out_c;
  size_t kernel_floats = 9 * (size_t) c->in_c * c->out_c;
  g_autofree float *in = g_new (float, in_floats), *kernel = g_new (float, kernel_floats);
  g_autofree float *dout = g_new (float, out_floats);
  g_autofree float *u = g_new (float, 4 * kernel_floats);
  g_autofree float *scratch = g_new (float, cnn_winograd_scratch_floats (c->in_c, c->out_c));
  float *out[2], *du[2];
  CnnRng rng;

  if (!cnn_winograd_fits (16, 16))
    {
      g_test_skip ("this CPU does not run the engine's own GEMM kernels");
      return;
    }
  cnn_rng_seed (&rng, 47);
  random_floats (&rng, in, in_floats);
  random_floats (&rng, kernel, kernel_floats);
  random_floats (&rng, dout, out_floats);
  cnn_winograd_kernel (kernel, c->in_c, c->out_c, u);
  for (int wide = 0; wide < 2; wide++)
    {
      cnn_gemm_small_k_allow_avx512 (wide);
      out[wide] = g_new (float, out_floats);
      du[wide] = g_new0 (float, 4 * kernel_floats);
      cnn_winograd_correlate (&shape, u, in, out[wide], scratch);
      cnn_winograd_kernel_gradient_add (&shape, in, dout, du[wide], scratch);
    }
  cnn_gemm_small_k_allow_avx512 (1);
  g_assert_true (memcmp (out[0], out[1], out_floats * sizeof (float)) == 0);
  g_assert_true (memcmp (du[0], du[1], 4 * kernel_floats * sizeof (float)) == 0);
  for (int wide = 0; wide < 2; wide++)
    {
      g_free (out[wide]);
      g_free (du[wide]);
    }
}

/* 14×13×3 → Conv2D 16 'same' (small K) → BN → pool → Conv2D 32 (Winograd, 'valid' or
 * 'same') → BN → Conv2D 16 'same' (Winograd; its input gradient too) → pool → flatten →
 * Dense 3 softmax. */
static CnnModel *
build_model (int threads, int blas_only, CnnPadding padding)
{
  CnnLayerSpec layers[10];
  CnnError error = { 0 };
  int n = 0;
  const int filters[3] = { 16, 32, 16 };

  for (int conv = 0; conv < 3; conv++)
    {
      cnn_layer_spec_init (&layers[n], CNN_LAYER_CONV2D);
      layers[n].filters = filters[conv];
      layers[n].kernel_size[0] = layers[n].kernel_size[1] = 3;
      layers[n].padding = conv == 1 ? padding : CNN_PADDING_SAME;
      layers[n++].activation = CNN_ACTIVATION_RELU;
      if (conv < 2)
        cnn_layer_spec_init (&layers[n++], CNN_LAYER_BATCH_NORMALIZATION);
      if (conv != 1)
        cnn_layer_spec_init (&layers[n++], CNN_LAYER_MAX_POOLING2D);
    }
  cnn_layer_spec_init (&layers[n++], CNN_LAYER_FLATTEN);
  cnn_layer_spec_init (&layers[n], CNN_LAYER_DENSE);
  layers[n].units = 3;
  layers[n++].activation = CNN_ACTIVATION_SOFTMAX;

  CnnModel *model = cnn_model_new (14, 13, 3, layers, n, 17, &error);
  g_assert_nonnull (model);
  g_assert_cmpint (cnn_model_set_threads (model, threads, &error), ==, CNN_OK);
  g_assert_false (cnn_conv_winograd_fits (&model->layers[0]));
  g_assert_true (cnn_conv_winograd_fits (&model->layers[3])
                 == cnn_gemm_small_k_available ());
  g_assert_true (cnn_conv_winograd_fits (&model->layers[5]) == cnn_gemm_small_k_available ());
  model->blas_only = blas_only;
  return model;
}

#define N_SAMPLES 23
#define SAMPLE_FLOATS (14 * 13 * 3)

typedef struct {
  double losses[3];
  float *weights;
  size_t n_weights;
  float predictions[N_SAMPLES * 3];      /* in one batch of 23 */
  float predictions_by_4[N_SAMPLES * 3]; /* in batches of 4 */
} Run;

/* Three RMSprop steps (batches of 9, 9, 5), then the predictions of every sample, in one
 * batch of 23 and in batches of 4. */
static void
train_and_predict (int threads, int blas_only, CnnPadding padding, Run *run)
{
  static float x[N_SAMPLES * SAMPLE_FLOATS];
  int32_t labels[N_SAMPLES];
  CnnModel *model = build_model (threads, blas_only, padding);
  CnnOptimizerConfig config;
  CnnError error = { 0 };
  int starts[3] = { 0, 9, 18 }, sizes[3] = { 9, 9, 5 };
  CnnRng rng;

  cnn_rng_seed (&rng, 13);
  random_floats (&rng, x, G_N_ELEMENTS (x));
  for (int i = 0; i < N_SAMPLES; i++)
    labels[i] = (int32_t) cnn_rng_below (&rng, 3);
  cnn_optimizer_config_init (&config, CNN_OPTIMIZER_RMSPROP);
  config.learning_rate = 1e-3;
  float *arena = cnn_model_trainable_arena (model, &run->n_weights);
  CnnOptimizer *optimizer = cnn_optimizer_new (&config, run->n_weights, &error);
  g_assert_nonnull (optimizer);
  for (int step = 0; step < 3; step++)
    g_assert_cmpint (cnn_model_train_batch (model, optimizer,
                                            CNN_LOSS_SPARSE_CATEGORICAL_CROSSENTROPY,
                                            x + starts[step] * SAMPLE_FLOATS,
                                            labels + starts[step], sizes[step],
                                            &run->losses[step], NULL, &error), ==, CNN_OK);
  run->weights = g_memdup2 (arena, run->n_weights * sizeof (float));
  g_assert_cmpint (cnn_model_predict (model, x, N_SAMPLES, N_SAMPLES, run->predictions, &error),
                   ==, CNN_OK);
  g_assert_cmpint (cnn_model_predict (model, x, N_SAMPLES, 4, run->predictions_by_4, &error),
                   ==, CNN_OK);
  cnn_optimizer_free (optimizer);
  cnn_model_free (model);
}

static void
test_model_against_blas (gconstpointer padding_data)
{
  CnnPadding padding = GPOINTER_TO_INT (padding_data);
  Run winograd, blas;
  int differ = 0;

  train_and_predict (2, 0, padding, &winograd);
  train_and_predict (2, 1, padding, &blas);
  g_assert_cmpuint (winograd.n_weights, ==, blas.n_weights);
  g_assert_cmpfloat (fabs (winograd.losses[0] - blas.losses[0]), <=,
                     1e-5 * fabs (blas.losses[0]));
  for (int step = 1; step < 3; step++)
    g_assert_cmpfloat (fabs (winograd.losses[step] - blas.losses[step]), <=,
                       1e-3 * fabs (blas.losses[step]));
  for (size_t i = 0; i < winograd.n_weights; i++)
    {
      g_assert_cmpfloat_with_epsilon (winograd.weights[i], blas.weights[i], 1e-3);
      differ |= winograd.weights[i] != blas.weights[i];
    }
  for (size_t i = 0; i < G_N_ELEMENTS (winograd.predictions); i++)
    g_assert_cmpfloat_with_epsilon (winograd.predictions[i], blas.predictions[i], 1e-3);
  /* Where the kernels run, rounding shows: the Winograd passes really ran. */
  if (cnn_gemm_small_k_available ())
    g_assert_true (differ);
  g_free (winograd.weights);
  g_free (blas.weights);
}

static void
test_one_and_two_threads_identical (gconstpointer padding_data)
{
  CnnPadding padding = GPOINTER_TO_INT (padding_data);
  Run one, two;

  train_and_predict (1, 0, padding, &one);
  train_and_predict (2, 0, padding, &two);
  g_assert_true (memcmp (one.losses, two.losses, sizeof one.losses) == 0);
  g_assert_true (memcmp (one.weights, two.weights, one.n_weights * sizeof (float)) == 0);
  g_assert_true (memcmp (one.predictions, two.predictions, sizeof one.predictions) == 0);
  g_assert_true (memcmp (two.predictions, two.predictions_by_4, sizeof two.predictions) == 0);
  g_free (one.weights);
  g_free (two.weights);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/winograd/forward-against-exact", test_forward_against_exact);
  g_test_add_func ("/winograd/input-gradient-against-exact",
                   test_input_gradient_against_exact);
  g_test_add_func ("/winograd/kernel-gradient-against-exact",
                   test_kernel_gradient_against_exact);
  g_test_add_func ("/winograd/avx512-same-bits-as-avx2", test_avx512_same_bits_as_avx2);
  g_test_add_data_func ("/winograd/model-against-blas/valid",
                        GINT_TO_POINTER (CNN_PADDING_VALID), test_model_against_blas);
  g_test_add_data_func ("/winograd/model-against-blas/same",
                        GINT_TO_POINTER (CNN_PADDING_SAME), test_model_against_blas);
  g_test_add_data_func ("/winograd/one-and-two-threads-identical/valid",
                        GINT_TO_POINTER (CNN_PADDING_VALID), test_one_and_two_threads_identical);
  g_test_add_data_func ("/winograd/one-and-two-threads-identical/same",
                        GINT_TO_POINTER (CNN_PADDING_SAME), test_one_and_two_threads_identical);
  return g_test_run ();
}
