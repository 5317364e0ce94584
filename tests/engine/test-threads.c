/* test-threads.c — the engine's threads and profile: same numbers on any thread count. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <glib.h>

#include "cnn.h"
#include "cnn-kernels.h"

/* A small model with every layer type the seed models use, odd sizes so that slices of
 * the batch and of the dense units are uneven: 11×9×3 → conv 5 → BN → pool → dropout → conv 7
 * (same padding) → BN → flatten → dense 13 → BN → dropout → dense 3 softmax. */
static CnnModel *
build_model (int threads)
{
  CnnLayerSpec layers[11];
  CnnError error = { 0 };
  int n = 0;

  cnn_layer_spec_init (&layers[n], CNN_LAYER_CONV2D);
  layers[n].filters = 5;
  layers[n].kernel_size[0] = layers[n].kernel_size[1] = 3;
  layers[n++].activation = CNN_ACTIVATION_RELU;
  cnn_layer_spec_init (&layers[n++], CNN_LAYER_BATCH_NORMALIZATION);
  cnn_layer_spec_init (&layers[n++], CNN_LAYER_MAX_POOLING2D);
  cnn_layer_spec_init (&layers[n], CNN_LAYER_DROPOUT);
  layers[n++].rate = 0.3f;
  cnn_layer_spec_init (&layers[n], CNN_LAYER_CONV2D);
  layers[n].filters = 7;
  layers[n].kernel_size[0] = layers[n].kernel_size[1] = 3;
  layers[n].padding = CNN_PADDING_SAME;
  layers[n++].activation = CNN_ACTIVATION_RELU;
  cnn_layer_spec_init (&layers[n++], CNN_LAYER_BATCH_NORMALIZATION);
  cnn_layer_spec_init (&layers[n++], CNN_LAYER_FLATTEN);
  cnn_layer_spec_init (&layers[n], CNN_LAYER_DENSE);
  layers[n].units = 13;
  layers[n++].activation = CNN_ACTIVATION_RELU;
  cnn_layer_spec_init (&layers[n++], CNN_LAYER_BATCH_NORMALIZATION);
  cnn_layer_spec_init (&layers[n], CNN_LAYER_DROPOUT);
  layers[n++].rate = 0.5f;
  cnn_layer_spec_init (&layers[n], CNN_LAYER_DENSE);
  layers[n].units = 3;
  layers[n++].activation = CNN_ACTIVATION_SOFTMAX;

  CnnModel *model = cnn_model_new (11, 9, 3, layers, n, 7, &error);
  g_assert_nonnull (model);
  g_assert_cmpint (cnn_model_set_threads (model, threads, &error), ==, CNN_OK);
  g_assert_cmpint (cnn_model_get_threads (model), ==, threads);
  return model;
}

#define N_SAMPLES 23
#define SAMPLE_FLOATS (11 * 9 * 3)

static void
make_data (float *x, int32_t *labels)
{
  CnnRng rng;

  cnn_rng_seed (&rng, 99);
  for (int i = 0; i < N_SAMPLES * SAMPLE_FLOATS; i++)
    x[i] = (float) cnn_rng_uniform (&rng) * 2.0f - 1.0f;
  for (int i = 0; i < N_SAMPLES; i++)
    labels[i] = (int32_t) cnn_rng_below (&rng, 3);
}

/* Trains a few steps (batches of 9, 9, 5: uneven slices) with Adam, then predicts in
 * inference mode; returns the weights, the losses and the predictions. */
static void
train_and_predict (int threads, float **weights, size_t *n_weights, double losses[3],
                   float *predictions)
{
  float x[N_SAMPLES * SAMPLE_FLOATS];
  int32_t labels[N_SAMPLES];
  CnnModel *model = build_model (threads);
  CnnOptimizerConfig config;
  CnnError error = { 0 };
  int starts[3] = { 0, 9, 18 }, sizes[3] = { 9, 9, 5 };

  make_data (x, labels);
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
  g_assert_cmpint (cnn_model_predict (model, x, N_SAMPLES, 10, predictions, &error), ==,
                   CNN_OK);
  *weights = g_memdup2 (arena, *n_weights * sizeof (float));
  cnn_optimizer_free (optimizer);
  cnn_model_free (model);
}

/* The batch is always cut into max(threads, 2) slices: 1 and 2 threads agree to the bit. */
static void
test_one_and_two_threads_identical (void)
{
  float *one, *two, predictions_one[N_SAMPLES * 3], predictions_two[N_SAMPLES * 3];
  size_t n_one, n_two;
  double losses_one[3], losses_two[3];

  train_and_predict (1, &one, &n_one, losses_one, predictions_one);
  train_and_predict (2, &two, &n_two, losses_two, predictions_two);
  g_assert_cmpuint (n_one, ==, n_two);
  g_assert_true (memcmp (one, two, n_one * sizeof (float)) == 0);
  g_assert_true (memcmp (losses_one, losses_two, sizeof losses_one) == 0);
  g_assert_true (memcmp (predictions_one, predictions_two, sizeof predictions_one) == 0);
  /* Training did something: the weights moved and the predictions are distributions. */
  CnnModel *fresh = build_model (1);
  g_assert_true (memcmp (one, cnn_model_trainable_arena (fresh, NULL), n_one * sizeof (float))
                 != 0);
  cnn_model_free (fresh);
  for (int i = 0; i < N_SAMPLES; i++)
    g_assert_cmpfloat_with_epsilon (predictions_one[3 * i] + predictions_one[3 * i + 1]
                                    + predictions_one[3 * i + 2], 1.0, 1e-5);
  g_free (one);
  g_free (two);
}

/* Three threads cut the batch in three: a repeat is exact, and the numbers differ from the
 * two-slice run only by float rounding of the partial sums. */
static void
test_three_threads_repeat (void)
{
  float *first, *again, *two, predictions[N_SAMPLES * 3];
  size_t n_first, n_again, n_two;
  double losses_first[3], losses_again[3], losses_two[3];

  train_and_predict (3, &first, &n_first, losses_first, predictions);
  train_and_predict (3, &again, &n_again, losses_again, predictions);
  train_and_predict (2, &two, &n_two, losses_two, predictions);
  g_assert_true (memcmp (first, again, n_first * sizeof (float)) == 0);
  g_assert_true (memcmp (losses_first, losses_again, sizeof losses_first) == 0);
  for (int step = 0; step < 3; step++)
    g_assert_cmpfloat_with_epsilon (losses_first[step], losses_two[step], 1e-4);
  for (size_t i = 0; i < n_first; i++)
    g_assert_cmpfloat_with_epsilon (first[i], two[i], 1e-3);
  g_free (first);
  g_free (again);
  g_free (two);
}

static void
test_set_threads_checks (void)
{
  CnnModel *model = build_model (1);
  CnnError error = { 0 };

  g_assert_cmpint (cnn_model_set_threads (model, -1, &error), ==, CNN_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "threads"));
  g_assert_cmpint (cnn_model_get_threads (model), ==, 1);
  g_assert_cmpint (cnn_model_set_threads (model, 0, &error), ==, CNN_OK);
  g_assert_cmpint (cnn_model_get_threads (model), >=, 1);
  cnn_model_free (model);
}

/* A mask made in pieces (as slices make it) equals the mask made at once. */
static void
test_dropout_mask_pieces (void)
{
  enum { COUNT = 1037 };
  uint8_t whole[COUNT], pieces[COUNT];
  size_t cuts[] = { 0, 1, 6, 7, 400, 401, 1036, COUNT };
  int kept = 0;

  cnn_dropout_mask (0x1234, 0.4f, whole, COUNT);
  for (size_t i = 0; i + 1 < G_N_ELEMENTS (cuts); i++)
    cnn_dropout_mask_range (0x1234, 0.4f, pieces + cuts[i], cuts[i], cuts[i + 1] - cuts[i]);
  g_assert_true (memcmp (whole, pieces, COUNT) == 0);
  for (int i = 0; i < COUNT; i++)
    kept += whole[i];
  g_assert_cmpint (kept, >, COUNT / 2);
  g_assert_cmpint (kept, <, COUNT * 7 / 10);
}

static void
test_profile (void)
{
  CnnModel *model = build_model (2);
  float x[N_SAMPLES * SAMPLE_FLOATS];
  int32_t labels[N_SAMPLES];
  const float *output;
  double forward, backward, loss;
  CnnError error = { 0 };

  make_data (x, labels);
  cnn_model_set_profiling (model, 1);
  g_assert_cmpint (cnn_model_forward (model, x, N_SAMPLES, 1, &output, &error), ==, CNN_OK);
  g_assert_cmpint (cnn_model_loss (model, CNN_LOSS_SPARSE_CATEGORICAL_CROSSENTROPY, labels, 1,
                                   &loss, NULL, &error), ==, CNN_OK);
  cnn_model_layer_time (model, 0, &forward, &backward);
  g_assert_cmpfloat (forward, >, 0.0);
  g_assert_cmpfloat (backward, >, 0.0);
  cnn_model_set_profiling (model, 0);
  cnn_model_layer_time (model, 0, &forward, NULL);
  g_assert_cmpfloat (forward, >, 0.0);
  cnn_model_set_profiling (model, 1);
  cnn_model_layer_time (model, 0, &forward, &backward);
  g_assert_cmpfloat (forward, ==, 0.0);
  g_assert_cmpfloat (backward, ==, 0.0);
  cnn_model_layer_time (model, 99, &forward, NULL);
  g_assert_cmpfloat (forward, ==, 0.0);
  cnn_model_free (model);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/threads/one-and-two-identical", test_one_and_two_threads_identical);
  g_test_add_func ("/engine/threads/three-repeat", test_three_threads_repeat);
  g_test_add_func ("/engine/threads/set-threads", test_set_threads_checks);
  g_test_add_func ("/engine/threads/dropout-mask-pieces", test_dropout_mask_pieces);
  g_test_add_func ("/engine/threads/profile", test_profile);
  return g_test_run ();
}
