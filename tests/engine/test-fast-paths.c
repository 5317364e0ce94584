/* test-fast-paths.c — the engine's fused and specialised passes against the plain ones. */
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The fast paths (batch statistics gathered by the Conv2D, normalisation applied while
// pooling, inference Conv2D+BatchNormalization+MaxPooling2D in one pass, the ReLU undone by
// the BatchNormalization's backward, max-pool gradients written without clearing or left
// to the BatchNormalization's backward, the optimizer applied by the Dense backward block by
// block) do the same float operations in the same order as the plain passes, so they must
// agree to the bit: every comparison here is exact (tolerance 0). (The Dense blocks are
// GEMMs of other shapes: on these small layers OpenBLAS rounds them alike; on large layers
// test-small-gemm.c bounds the difference.) The small-K kernels of a first Conv2D round
// differently and are tested in test-small-gemm.c; the models here have none (6 filters).

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "cnn-kernels.h"
#include "cnn-private.h"
#include "cnn-training-private.h"

static float
uniform (CnnRng *rng, float low, float high)
{
  return low + (high - low) * (float) cnn_rng_uniform (rng);
}

static void
assert_same_floats (const float *got, const float *expected, size_t count)
{
  for (size_t i = 0; i < count; i++)
    if (!(got[i] == expected[i]) && !(isnan (got[i]) && isnan (expected[i])))
      g_error ("value %zu: got %.9g, expected %.9g", i, got[i], expected[i]);
}

/* A random pooling window: sizes 1–9, windows 1–3, 'valid' or 'same' as Keras resolves
 * them; with `disjoint`, strides of at least the window. */
static CnnWindow
random_window (CnnRng *rng, int disjoint)
{
  CnnWindow window = { 0 };

  window.in_h = 1 + (int) cnn_rng_below (rng, 9);
  window.in_w = 1 + (int) cnn_rng_below (rng, 9);
  window.channels = 1 + (int) cnn_rng_below (rng, 19);
  window.window_h = 1 + (int) cnn_rng_below (rng, window.in_h < 3 ? window.in_h : 3);
  window.window_w = 1 + (int) cnn_rng_below (rng, window.in_w < 3 ? window.in_w : 3);
  window.stride_h = disjoint ? window.window_h + (int) cnn_rng_below (rng, 2)
                             : 1 + (int) cnn_rng_below (rng, 3);
  window.stride_w = disjoint ? window.window_w + (int) cnn_rng_below (rng, 2)
                             : 1 + (int) cnn_rng_below (rng, 3);
  if (cnn_rng_below (rng, 2) == 0)
    {
      window.out_h = (window.in_h - window.window_h) / window.stride_h + 1;
      window.out_w = (window.in_w - window.window_w) / window.stride_w + 1;
    }
  else
    {
      /* TF 'same': ceil (in / stride) outputs, the smaller half of the padding before. */
      window.out_h = (window.in_h + window.stride_h - 1) / window.stride_h;
      window.out_w = (window.in_w + window.stride_w - 1) / window.stride_w;
      int pad_h = (window.out_h - 1) * window.stride_h + window.window_h - window.in_h;
      int pad_w = (window.out_w - 1) * window.stride_w + window.window_w - window.in_w;
      window.pad_top = pad_h > 0 ? pad_h / 2 : 0;
      window.pad_left = pad_w > 0 ? pad_w / 2 : 0;
    }
  return window;
}

static size_t
in_floats (const CnnWindow *window)
{
  return (size_t) window->in_h * window->in_w * window->channels;
}

static size_t
out_floats (const CnnWindow *window)
{
  return (size_t) window->out_h * window->out_w * window->channels;
}

/* Pooling while normalising equals normalising, then pooling: values and winners, for
 * negative scales too (where the minimum wins) and overlapping windows. */
static void
test_max_pool_affine (void)
{
  CnnRng rng;

  cnn_rng_seed (&rng, 11);
  for (int trial = 0; trial < 300; trial++)
    {
      CnnWindow window = random_window (&rng, (int) cnn_rng_below (&rng, 2));
      size_t n_in = in_floats (&window), n_out = out_floats (&window);
      g_autofree float *x = g_new (float, n_in);
      g_autofree float *normalised = g_new (float, n_in);
      g_autofree float *scale = g_new (float, window.channels);
      g_autofree float *shift = g_new (float, window.channels);
      g_autofree float *mean = g_new (float, window.channels);
      g_autofree float *inv_std = g_new (float, window.channels);
      g_autofree float *gamma = g_new (float, window.channels);
      g_autofree float *beta = g_new (float, window.channels);
      g_autofree float *expected = g_new (float, n_out);
      g_autofree float *got = g_new (float, n_out);
      g_autofree int32_t *expected_argmax = g_new (int32_t, n_out);
      g_autofree int32_t *got_argmax = g_new (int32_t, n_out);

      for (size_t i = 0; i < n_in; i++)
        x[i] = cnn_rng_below (&rng, 4) == 0 ? 0.0f : uniform (&rng, -2.0f, 2.0f);
      for (int c = 0; c < window.channels; c++)
        {
          mean[c] = uniform (&rng, -0.5f, 0.5f);
          inv_std[c] = uniform (&rng, 0.2f, 3.0f);
          gamma[c] = uniform (&rng, -1.5f, 1.5f);
          beta[c] = uniform (&rng, -1.0f, 1.0f);
        }
      cnn_batch_norm_affine (window.channels, mean, inv_std, gamma, beta, scale, shift);
      cnn_batch_norm_apply (x, (size_t) window.in_h * window.in_w, window.channels, mean,
                            inv_std, gamma, beta, normalised);
      cnn_max_pool_forward (&window, normalised, expected, expected_argmax);
      cnn_max_pool_forward_affine (&window, x, scale, shift, got, got_argmax);
      assert_same_floats (got, expected, n_out);
      g_assert_true (memcmp (got_argmax, expected_argmax, n_out * sizeof (int32_t)) == 0);
    }
}

/* For windows that share no cell, writing every input cell once equals clearing and
 * scattering, including the rows and columns no window reaches. */
static void
test_max_pool_backward_disjoint (void)
{
  CnnRng rng;

  cnn_rng_seed (&rng, 12);
  for (int trial = 0; trial < 300; trial++)
    {
      CnnWindow window = random_window (&rng, 1);
      size_t n_in = in_floats (&window), n_out = out_floats (&window);
      g_autofree float *x = g_new (float, n_in);
      g_autofree float *pooled = g_new (float, n_out);
      g_autofree int32_t *argmax = g_new (int32_t, n_out);
      g_autofree float *dout = g_new (float, n_out);
      g_autofree float *expected = g_new0 (float, n_in);
      g_autofree float *got = g_new (float, n_in);

      g_assert_true (cnn_max_pool_windows_disjoint (&window));
      for (size_t i = 0; i < n_in; i++)
        x[i] = uniform (&rng, -1.0f, 1.0f);
      for (size_t i = 0; i < n_out; i++)
        dout[i] = uniform (&rng, -1.0f, 1.0f);
      for (size_t i = 0; i < n_in; i++)
        got[i] = NAN; /* every cell must be written */
      cnn_max_pool_forward (&window, x, pooled, argmax);
      cnn_max_pool_backward (&window, dout, argmax, expected);
      cnn_max_pool_backward_disjoint (&window, dout, argmax, got);
      for (size_t i = 0; i < n_in; i++)
        g_assert_false (isnan (got[i]));
      assert_same_floats (got, expected, n_in);
    }
}

/* Channel sums gathered in pieces (as a Conv2D does chunk by chunk) equal one pass. */
static void
test_channel_sums_in_pieces (void)
{
  enum { ROWS = 301, CHANNELS = 13 };
  CnnRng rng;
  float x[ROWS * CHANNELS];
  double sum[CHANNELS], squares[CHANNELS], piece_sum[CHANNELS], piece_squares[CHANNELS];

  cnn_rng_seed (&rng, 13);
  for (int i = 0; i < ROWS * CHANNELS; i++)
    x[i] = uniform (&rng, -3.0f, 3.0f);
  cnn_channel_sums (x, ROWS, CHANNELS, sum, squares);
  memset (piece_sum, 0, sizeof piece_sum);
  memset (piece_squares, 0, sizeof piece_squares);
  for (int row = 0; row < ROWS;)
    {
      int rows = 1 + (int) cnn_rng_below (&rng, 40);
      rows = row + rows > ROWS ? ROWS - row : rows;
      cnn_channel_sums_add (x + row * CHANNELS, rows, CHANNELS, piece_sum, piece_squares);
      row += rows;
    }
  g_assert_true (memcmp (sum, piece_sum, sizeof sum) == 0);
  g_assert_true (memcmp (squares, piece_squares, sizeof squares) == 0);
}

/* Conv2D relu → BN → MaxPool 2×2 (fused) → Conv2D same relu → BN → MaxPool 3×3 stride 2
 * (overlapping: not fused backward) → Flatten → Dense relu → BN → Dropout → Dense softmax. */
static CnnModel *
build_model (int threads, int reference)
{
  CnnLayerSpec layers[11];
  CnnError error = { 0 };
  int n = 0;

  cnn_layer_spec_init (&layers[n], CNN_LAYER_CONV2D);
  layers[n].filters = 6;
  layers[n].kernel_size[0] = layers[n].kernel_size[1] = 3;
  layers[n++].activation = CNN_ACTIVATION_RELU;
  cnn_layer_spec_init (&layers[n++], CNN_LAYER_BATCH_NORMALIZATION);
  cnn_layer_spec_init (&layers[n++], CNN_LAYER_MAX_POOLING2D);
  cnn_layer_spec_init (&layers[n], CNN_LAYER_CONV2D);
  layers[n].filters = 9;
  layers[n].kernel_size[0] = layers[n].kernel_size[1] = 3;
  layers[n].padding = CNN_PADDING_SAME;
  layers[n++].activation = CNN_ACTIVATION_RELU;
  cnn_layer_spec_init (&layers[n++], CNN_LAYER_BATCH_NORMALIZATION);
  cnn_layer_spec_init (&layers[n], CNN_LAYER_MAX_POOLING2D);
  layers[n].pool_size[0] = layers[n].pool_size[1] = 3;
  layers[n].strides[0] = layers[n].strides[1] = 2;
  layers[n++].padding = CNN_PADDING_SAME;
  cnn_layer_spec_init (&layers[n++], CNN_LAYER_FLATTEN);
  cnn_layer_spec_init (&layers[n], CNN_LAYER_DENSE);
  layers[n].units = 11;
  layers[n++].activation = CNN_ACTIVATION_RELU;
  cnn_layer_spec_init (&layers[n++], CNN_LAYER_BATCH_NORMALIZATION);
  cnn_layer_spec_init (&layers[n], CNN_LAYER_DROPOUT);
  layers[n++].rate = 0.4f;
  cnn_layer_spec_init (&layers[n], CNN_LAYER_DENSE);
  layers[n].units = 4;
  layers[n++].activation = CNN_ACTIVATION_SOFTMAX;

  CnnModel *model = cnn_model_new (13, 11, 2, layers, n, 5, &error);
  g_assert_nonnull (model);
  g_assert_cmpint (cnn_model_set_threads (model, threads, &error), ==, CNN_OK);
  model->reference_passes = reference;
  /* Every Dense kernel, however small, gets the optimizer fused into its backward. */
  model->fused_update_min_floats = 0;
  return model;
}

#define N_SAMPLES 21
#define SAMPLE_FLOATS (13 * 11 * 2)

typedef struct {
  double losses[3];
  float *weights;            /* every parameter, moving statistics included */
  size_t n_weights;
  float predictions[N_SAMPLES * 4];
} Run;

/* Three training steps (batches of 8, 8, 5), then inference on every sample. */
static void
train_and_predict (int threads, int reference, CnnOptimizerType optimizer_type, Run *run)
{
  float x[N_SAMPLES * SAMPLE_FLOATS];
  int32_t labels[N_SAMPLES];
  CnnModel *model = build_model (threads, reference);
  CnnOptimizerConfig config;
  CnnError error = { 0 };
  CnnRng rng;
  int starts[3] = { 0, 8, 16 }, sizes[3] = { 8, 8, 5 };
  size_t n_trainable;

  cnn_rng_seed (&rng, 21);
  for (int i = 0; i < N_SAMPLES * SAMPLE_FLOATS; i++)
    x[i] = uniform (&rng, -1.0f, 1.0f);
  for (int i = 0; i < N_SAMPLES; i++)
    labels[i] = (int32_t) cnn_rng_below (&rng, 4);
  cnn_optimizer_config_init (&config, optimizer_type);
  config.learning_rate = 0.02;
  config.momentum = 0.9; /* SGD: the update with a slot */
  cnn_model_trainable_arena (model, &n_trainable);
  CnnOptimizer *optimizer = cnn_optimizer_new (&config, n_trainable, &error);
  g_assert_nonnull (optimizer);
  for (int step = 0; step < 3; step++)
    g_assert_cmpint (cnn_model_train_batch (model, optimizer,
                                            CNN_LOSS_SPARSE_CATEGORICAL_CROSSENTROPY,
                                            x + starts[step] * SAMPLE_FLOATS,
                                            labels + starts[step], sizes[step],
                                            &run->losses[step], NULL, &error), ==, CNN_OK);
  g_assert_cmpint (cnn_model_predict (model, x, N_SAMPLES, 7, run->predictions, &error), ==,
                   CNN_OK);
  run->n_weights = model->n_params;
  run->weights = g_memdup2 (model->params, model->n_params * sizeof (float));
  cnn_optimizer_free (optimizer);
  cnn_model_free (model);
}

/* Also the optimizer applied by the Dense backward, block by block, against the update of
 * the whole arena after the backward: Adam, RMSprop and SGD with momentum. */
static void
test_fused_passes_match_reference (void)
{
  static const CnnOptimizerType optimizers[] = {
    CNN_OPTIMIZER_ADAM, CNN_OPTIMIZER_RMSPROP, CNN_OPTIMIZER_SGD,
  };

  for (int run = 0; run < 6; run++)
    {
      int threads = 1 + run % 2;
      CnnOptimizerType optimizer = optimizers[run / 2];
      Run fused, reference;

      train_and_predict (threads, 0, optimizer, &fused);
      train_and_predict (threads, 1, optimizer, &reference);
      g_assert_true (memcmp (fused.losses, reference.losses, sizeof fused.losses) == 0);
      g_assert_cmpuint (fused.n_weights, ==, reference.n_weights);
      assert_same_floats (fused.weights, reference.weights, fused.n_weights);
      assert_same_floats (fused.predictions, reference.predictions, N_SAMPLES * 4);
      /* The run trained: the loss moved and the rows are distributions. */
      g_assert_cmpfloat (fused.losses[0], !=, fused.losses[2]);
      for (int i = 0; i < N_SAMPLES; i++)
        g_assert_cmpfloat_with_epsilon (fused.predictions[4 * i] + fused.predictions[4 * i + 1]
                                        + fused.predictions[4 * i + 2]
                                        + fused.predictions[4 * i + 3], 1.0, 1e-5);
      g_free (fused.weights);
      g_free (reference.weights);
    }
}

/* During a training step the backward of a Dense updates its kernel itself, and the
 * optimizer step then updates every other weight once and that kernel not again. */
static void
test_dense_backward_updates_kernel (void)
{
  float x[8 * SAMPLE_FLOATS];
  int32_t labels[8];
  CnnModel *model = build_model (2, 0);
  CnnOptimizerConfig config;
  CnnError error = { 0 };
  CnnRng rng;
  size_t n_trainable;
  double loss;
  const int dense = 7, conv = 0;

  cnn_rng_seed (&rng, 23);
  for (int i = 0; i < 8 * SAMPLE_FLOATS; i++)
    x[i] = uniform (&rng, -1.0f, 1.0f);
  for (int i = 0; i < 8; i++)
    labels[i] = (int32_t) cnn_rng_below (&rng, 4);
  cnn_optimizer_config_init (&config, CNN_OPTIMIZER_SGD);
  cnn_model_trainable_arena (model, &n_trainable);
  CnnOptimizer *optimizer = cnn_optimizer_new (&config, n_trainable, &error);
  g_assert_cmpint (model->layers[dense].spec.type, ==, CNN_LAYER_DENSE);
  CnnLayer *dense_layer = &model->layers[dense], *conv_layer = &model->layers[conv];
  size_t dense_floats = (size_t) dense_layer->in.c * dense_layer->out.c;
  g_autofree float *dense_before = g_memdup2 (dense_layer->kernel, dense_floats * 4);
  float conv_before = conv_layer->kernel[0];

  g_assert_cmpint (cnn_model_forward (model, x, 8, 1, NULL, &error), ==, CNN_OK);
  cnn_model_fuse_optimizer (model, optimizer);
  g_assert_cmpint (cnn_model_loss (model, CNN_LOSS_SPARSE_CATEGORICAL_CROSSENTROPY, labels, 1,
                                   &loss, NULL, &error), ==, CNN_OK);
  cnn_model_fuse_optimizer (model, NULL);
  /* Plain SGD: w − lr·g, done by the backward for the Dense kernel only. */
  g_assert_true (dense_layer->kernel_updated);
  for (size_t i = 0; i < dense_floats; i++)
    g_assert_cmpfloat (dense_layer->kernel[i], ==,
                       dense_before[i] - (float) config.learning_rate
                                         * dense_layer->kernel_grad[i]);
  g_assert_cmpfloat (conv_layer->kernel[0], ==, conv_before);
  g_autofree float *dense_updated = g_memdup2 (dense_layer->kernel, dense_floats * 4);
  cnn_model_optimizer_step (model, optimizer);
  g_assert_false (dense_layer->kernel_updated);
  g_assert_true (memcmp (dense_layer->kernel, dense_updated, dense_floats * 4) == 0);
  g_assert_cmpfloat (conv_layer->kernel[0], ==,
                     conv_before - (float) config.learning_rate * conv_layer->kernel_grad[0]);
  cnn_optimizer_free (optimizer);
  cnn_model_free (model);
}

/* The gradient arena is not cleared before a backward: every trainable gradient must be
 * written by its layer. Poisoned with NaN, it must come back identical to a clean run, and
 * a second backward must not add to the first. */
static void
test_gradients_overwritten (void)
{
  float x[8 * SAMPLE_FLOATS];
  int32_t labels[8];
  CnnModel *model = build_model (2, 0);
  CnnError error = { 0 };
  CnnRng rng;
  size_t count;
  double loss;

  cnn_rng_seed (&rng, 22);
  for (int i = 0; i < 8 * SAMPLE_FLOATS; i++)
    x[i] = uniform (&rng, -1.0f, 1.0f);
  for (int i = 0; i < 8; i++)
    labels[i] = (int32_t) cnn_rng_below (&rng, 4);
  float *grads = cnn_model_gradient_arena (model, &count);
  g_assert_cmpint (cnn_model_forward (model, x, 8, 1, NULL, &error), ==, CNN_OK);
  g_assert_cmpint (cnn_model_loss (model, CNN_LOSS_SPARSE_CATEGORICAL_CROSSENTROPY, labels, 1,
                                   &loss, NULL, &error), ==, CNN_OK);
  g_autofree float *first = g_memdup2 (grads, count * sizeof (float));
  for (size_t i = 0; i < count; i++)
    grads[i] = NAN;
  g_assert_cmpint (cnn_model_loss (model, CNN_LOSS_SPARSE_CATEGORICAL_CROSSENTROPY, labels, 1,
                                   &loss, NULL, &error), ==, CNN_OK);
  assert_same_floats (grads, first, count);
  size_t nonzero = 0;
  for (size_t i = 0; i < count; i++)
    nonzero += first[i] != 0.0f;
  g_assert_cmpuint (nonzero, >, count / 2);
  cnn_model_free (model);
}

/* Many short passes in a row, and passes after the workers fell asleep: every slice runs
 * exactly once each time, whether the workers were spinning or sleeping. */
typedef struct {
  int counts[8];
} CountTask;

static void
count_slice (void *data, int slice, int n_slices)
{
  CountTask *task = data;

  g_assert_cmpint (slice, <, n_slices);
  task->counts[slice]++;
}

static void
test_pool_spin_and_sleep (void)
{
  CnnModel *model = build_model (3, 0);
  CountTask task = { { 0 } };

  for (int run = 0; run < 2000; run++)
    cnn_model_run_slices (model, count_slice, &task);
  for (int run = 0; run < 5; run++)
    {
      g_usleep (3000); /* long past the spin: the workers sleep */
      cnn_model_run_slices (model, count_slice, &task);
    }
  g_assert_cmpint (model->n_slices, ==, 3);
  for (int slice = 0; slice < 3; slice++)
    g_assert_cmpint (task.counts[slice], ==, 2005);
  cnn_model_free (model);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/fast-paths/max-pool-affine", test_max_pool_affine);
  g_test_add_func ("/engine/fast-paths/max-pool-backward-disjoint",
                   test_max_pool_backward_disjoint);
  g_test_add_func ("/engine/fast-paths/channel-sums-in-pieces", test_channel_sums_in_pieces);
  g_test_add_func ("/engine/fast-paths/fused-match-reference",
                   test_fused_passes_match_reference);
  g_test_add_func ("/engine/fast-paths/gradients-overwritten", test_gradients_overwritten);
  g_test_add_func ("/engine/fast-paths/dense-backward-updates-kernel",
                   test_dense_backward_updates_kernel);
  g_test_add_func ("/engine/fast-paths/pool-spin-and-sleep", test_pool_spin_and_sleep);
  return g_test_run ();
}
