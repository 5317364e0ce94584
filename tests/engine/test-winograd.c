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

/* The forward of `c`: 'valid', or 'same' (padding 1). */
static CnnWinogradShape
forward_shape (const Case *c)
{
  const int pad = c->same ? 1 : 0;

  return (CnnWinogradShape) {
    .in_h = c->in_h, .in_w = c->in_w, .in_c = c->in_c,
    .out_h = c->in_h + 2 * pad - 2, .out_w = c->in_w + 2 * pad - 2, .out_c = c->out_c,
    .pad_top = pad, .pad_left = pad,
  };
}

/* Exact sums, each with the sum of its terms' magnitudes: what a pass should give, and the
 * scale of its rounding error. */
typedef struct {
  double *sum;
  double *magnitude;
} Exact;

static void
exact_init (Exact *exact, size_t count)
{
  exact->sum = g_new0 (double, count);
  exact->magnitude = g_new0 (double, count);
}

static void
exact_clear (Exact *exact)
{
  g_free (exact->sum);
  g_free (exact->magnitude);
}

static void
exact_add_term (Exact *exact, size_t element, double term)
{
  exact->sum[element] += term;
  exact->magnitude[element] += fabs (term);
}

/* Adds one sample's terms, in double, to those of the three correlations given (not NULL):
 * the forward out (out_h, out_w, out_c) = Σ in · kernel, the input gradient dx (in_h, in_w,
 * in_c) = Σ dout · kernel and the kernel gradient dk (3, 3, in_c, out_c) = Σ in · dout, all
 * over the same (output cell, kernel cell, channel pair) terms of the forward `shape`. */
static void
exact_add (const CnnWinogradShape *shape, const float *in, const float *kernel,
           const float *dout, Exact *out, Exact *dx, Exact *dk)
{
  for (int oy = 0; oy < shape->out_h; oy++)
    for (int ox = 0; ox < shape->out_w; ox++)
      for (int ky = 0; ky < 3; ky++)
        for (int kx = 0; kx < 3; kx++)
          {
            int y = oy + ky - shape->pad_top, x = ox + kx - shape->pad_left;
            if (y < 0 || x < 0 || y >= shape->in_h || x >= shape->in_w)
              continue;
            for (int i = 0; i < shape->in_c; i++)
              for (int o = 0; o < shape->out_c; o++)
                {
                  size_t in_cell = ((size_t) y * shape->in_w + x) * shape->in_c + i;
                  size_t out_cell = ((size_t) oy * shape->out_w + ox) * shape->out_c + o;
                  size_t weight = ((size_t) (ky * 3 + kx) * shape->in_c + i) * shape->out_c + o;
                  if (out)
                    exact_add_term (out, out_cell, (double) in[in_cell] * kernel[weight]);
                  if (dx)
                    exact_add_term (dx, in_cell, (double) dout[out_cell] * kernel[weight]);
                  if (dk)
                    exact_add_term (dk, weight, (double) in[in_cell] * dout[out_cell]);
                }
          }
}

/* The worst |got − exact| / Σ|term| over `count` elements. */
static double
worst_error (const float *got, const Exact *exact, size_t count)
{
  double worst = 0.0;

  for (size_t e = 0; e < count; e++)
    {
      double error = fabs (got[e] - exact->sum[e]) / (exact->magnitude[e] + 1e-30);
      worst = error > worst ? error : worst;
    }
  return worst;
}

typedef enum {
  FORWARD,
  INPUT_GRADIENT,
  KERNEL_GRADIENT,
} Pass;

static const char *const pass_names[] = { "forward", "input gradient", "kernel gradient" };

/* The worst error of `pass` on `c`, with random data: one sample, or two for the kernel
 * gradient, whose transformed sum du adds up over a batch. */
static double
pass_error (Pass pass, const Case *c, CnnRng *rng)
{
  const CnnWinogradShape shape = forward_shape (c);
  const int samples = pass == KERNEL_GRADIENT ? 2 : 1;
  size_t in_floats = (size_t) c->in_h * c->in_w * c->in_c;
  size_t out_floats = (size_t) shape.out_h * shape.out_w * c->out_c;
  size_t kernel_floats = 9 * (size_t) c->in_c * c->out_c;
  size_t scratch_floats = MAX (cnn_winograd_scratch_floats (c->in_c, c->out_c),
                               cnn_winograd_scratch_floats (c->out_c, c->in_c));
  g_autofree float *in = g_new (float, samples * in_floats);
  g_autofree float *dout = g_new (float, samples * out_floats);
  g_autofree float *kernel = g_new (float, kernel_floats);
  g_autofree float *u = g_new (float, 4 * kernel_floats);
  g_autofree float *scratch = g_new (float, scratch_floats);
  /* What the pass computes: out, dx or dk, and one float past it, a guard. */
  size_t result_floats = pass == FORWARD ? out_floats
                         : pass == INPUT_GRADIENT ? in_floats : kernel_floats;
  g_autofree float *result = g_new (float, result_floats + 1);
  Exact exact;
  double worst;

  random_floats (rng, in, samples * in_floats);
  random_floats (rng, dout, samples * out_floats);
  random_floats (rng, kernel, kernel_floats);
  result[result_floats] = 12345.0f;
  exact_init (&exact, result_floats);
  switch (pass)
    {
    case FORWARD:
      cnn_winograd_kernel (kernel, c->in_c, c->out_c, u);
      cnn_winograd_correlate (&shape, u, in, result, scratch);
      exact_add (&shape, in, kernel, dout, &exact, NULL, NULL);
      break;
    case INPUT_GRADIENT:
      {
        const CnnWinogradShape backward = {
          .in_h = shape.out_h, .in_w = shape.out_w, .in_c = c->out_c,
          .out_h = c->in_h, .out_w = c->in_w, .out_c = c->in_c,
          .pad_top = 2 - shape.pad_top, .pad_left = 2 - shape.pad_left,
        };
        g_autofree float *turned = g_new (float, kernel_floats);

        cnn_winograd_turn_kernel (kernel, c->in_c, c->out_c, turned);
        cnn_winograd_kernel (turned, c->out_c, c->in_c, u);
        cnn_winograd_correlate (&backward, u, dout, result, scratch);
        exact_add (&shape, in, kernel, dout, NULL, &exact, NULL);
        break;
      }
    case KERNEL_GRADIENT:
      memset (u, 0, 4 * kernel_floats * sizeof (float)); /* du, added to */
      for (int b = 0; b < samples; b++)
        {
          cnn_winograd_kernel_gradient_add (&shape, in + b * in_floats, dout + b * out_floats,
                                            u, scratch);
          exact_add (&shape, in + b * in_floats, kernel, dout + b * out_floats, NULL, NULL,
                     &exact);
        }
      cnn_winograd_kernel_gradient (u, c->in_c, c->out_c, result);
      break;
    }
  g_assert_cmpfloat (result[result_floats], ==, 12345.0f);
  worst = worst_error (result, &exact, result_floats);
  exact_clear (&exact);
  return worst;
}

static void
test_pass_against_exact (gconstpointer pass_data)
{
  Pass pass = GPOINTER_TO_INT (pass_data);
  CnnRng rng;

  if (!cnn_winograd_fits (16, 16))
    {
      g_test_skip ("this CPU does not run the engine's own GEMM kernels");
      return;
    }
  cnn_rng_seed (&rng, 44 + pass);
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double worst = pass_error (pass, &cases[i], &rng);
      g_test_message ("%s %dx%dx%d -> %d: worst error %.2e of the sum of |terms|",
                      pass_names[pass], cases[i].in_h, cases[i].in_w, cases[i].in_c,
                      cases[i].out_c, worst);
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
  const CnnWinogradShape shape = forward_shape (c);
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
  g_test_add_data_func ("/winograd/forward-against-exact", GINT_TO_POINTER (FORWARD),
                        test_pass_against_exact);
  g_test_add_data_func ("/winograd/input-gradient-against-exact",
                        GINT_TO_POINTER (INPUT_GRADIENT), test_pass_against_exact);
  g_test_add_data_func ("/winograd/kernel-gradient-against-exact",
                        GINT_TO_POINTER (KERNEL_GRADIENT), test_pass_against_exact);
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
