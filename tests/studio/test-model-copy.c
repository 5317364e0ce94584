/* test-model-copy.c — a model's copy predicts as the original and stays put when it trains. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <glib.h>

#include "studio-model-copy.h"
#include "studio-model-json.h"

#define N_SAMPLES 8

typedef struct
{
  CnnModel     *model;
  CnnOptimizer *optimizer;
  float        *x;       /* (N_SAMPLES, h, w, c) */
  gint32        labels[N_SAMPLES];
  size_t        sample_size;
  int           n_outputs;
} Fixture;

static void
fill_random (Fixture *fixture,
             guint32  seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (size_t i = 0; i < N_SAMPLES * fixture->sample_size; i++)
    fixture->x[i] = (float) g_rand_double (rand);
  for (int i = 0; i < N_SAMPLES; i++)
    fixture->labels[i] = g_rand_int_range (rand, 0, fixture->n_outputs);
}

static void
fixture_set_up_with (Fixture  *fixture,
                     CnnModel *model)
{
  CnnOptimizerConfig config;
  CnnError cnn_error = { 0 };
  int height, width, channels;
  size_t n_params;

  fixture->model = model;
  cnn_model_input_shape (model, &height, &width, &channels);
  fixture->sample_size = (size_t) height * width * channels;
  fixture->n_outputs = cnn_model_n_outputs (model);
  fixture->x = g_new (float, N_SAMPLES * fixture->sample_size);
  fill_random (fixture, 7);

  cnn_optimizer_config_init (&config, CNN_OPTIMIZER_ADAM);
  cnn_model_trainable_arena (model, &n_params);
  fixture->optimizer = cnn_optimizer_new (&config, n_params, &cnn_error);
  g_assert_nonnull (fixture->optimizer);
}

/* One training step, so BatchNormalization's moving statistics and every weight move. */
static void
train_once (Fixture *fixture)
{
  CnnError cnn_error = { 0 };
  double loss;
  CnnStatus status;

  status = cnn_model_train_batch (fixture->model, fixture->optimizer,
                                  CNN_LOSS_SPARSE_CATEGORICAL_CROSSENTROPY, fixture->x,
                                  fixture->labels, N_SAMPLES, &loss, NULL, &cnn_error);
  g_assert_cmpint (status, ==, CNN_OK);
}

static float *
predict (CnnModel *model,
         Fixture  *fixture)
{
  float *output = g_new (float, N_SAMPLES * fixture->n_outputs);
  CnnError cnn_error = { 0 };

  g_assert_cmpint (cnn_model_predict (model, fixture->x, N_SAMPLES, N_SAMPLES, output,
                                      &cnn_error), ==, CNN_OK);
  return output;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cnn_optimizer_free (fixture->optimizer);
  cnn_model_free (fixture->model);
  g_free (fixture->x);
}

static void
fixture_set_up_fashion (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (SOURCE_DATADIR, "models", "fashion-mnist.json",
                                            NULL);
  g_autoptr(GError) error = NULL;
  CnnModel *model = studio_model_new_from_json_file (path, 3, &error);

  g_assert_no_error (error);
  fixture_set_up_with (fixture, model);
}

/* Same padding, strides 2, average pooling, GAP: options a copy must carry over too. */
static void
fixture_set_up_strided (Fixture       *fixture,
                        gconstpointer  data)
{
  CnnLayerSpec layers[5];
  CnnError cnn_error = { 0 };
  CnnModel *model;

  cnn_layer_spec_init (&layers[0], CNN_LAYER_CONV2D);
  layers[0].filters = 6;
  layers[0].kernel_size[0] = layers[0].kernel_size[1] = 3;
  layers[0].strides[0] = layers[0].strides[1] = 2;
  layers[0].padding = CNN_PADDING_SAME;
  layers[0].activation = CNN_ACTIVATION_TANH;
  cnn_layer_spec_init (&layers[1], CNN_LAYER_BATCH_NORMALIZATION);
  cnn_layer_spec_init (&layers[2], CNN_LAYER_AVERAGE_POOLING2D);
  cnn_layer_spec_init (&layers[3], CNN_LAYER_GLOBAL_AVERAGE_POOLING2D);
  cnn_layer_spec_init (&layers[4], CNN_LAYER_DENSE);
  layers[4].units = 4;
  layers[4].activation = CNN_ACTIVATION_SOFTMAX;
  model = cnn_model_new (12, 10, 3, layers, G_N_ELEMENTS (layers), 11, &cnn_error);
  g_assert_nonnull (model);
  fixture_set_up_with (fixture, model);
}

static void
assert_same_architecture (const CnnModel *a,
                          const CnnModel *b)
{
  g_assert_cmpint (cnn_model_n_layers (a), ==, cnn_model_n_layers (b));
  g_assert_cmpint (cnn_model_n_weights (a), ==, cnn_model_n_weights (b));
  for (int i = 0; i < cnn_model_n_layers (a); i++)
    {
      CnnLayerInfo info_a, info_b;

      cnn_model_layer_info (a, i, &info_a);
      cnn_model_layer_info (b, i, &info_b);
      g_assert_cmpstr (info_a.name, ==, info_b.name);
      g_assert_cmpint (info_a.type, ==, info_b.type);
      g_assert_cmpmem (info_a.output_shape, sizeof info_a.output_shape,
                       info_b.output_shape, sizeof info_b.output_shape);
      g_assert_cmpint (info_a.params, ==, info_b.params);
    }
  for (int i = 0; i < cnn_model_n_weights (a); i++)
    {
      const CnnWeight *weight_a = cnn_model_weight (a, i);
      const CnnWeight *weight_b = cnn_model_weight (b, i);

      g_assert_cmpstr (weight_a->name, ==, weight_b->name);
      g_assert_true (weight_a->data != weight_b->data);
      g_assert_cmpmem (weight_a->data, weight_a->size * sizeof (float),
                       weight_b->data, weight_b->size * sizeof (float));
    }
}

static void
test_copy_predicts_like_original (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree float *original_output = NULL;
  g_autofree float *copy_output = NULL;
  CnnModel *copy;

  train_once (fixture);
  train_once (fixture);
  copy = studio_model_copy (fixture->model, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);
  assert_same_architecture (fixture->model, copy);
  g_assert_cmpuint (cnn_model_get_seed (copy), ==, cnn_model_get_seed (fixture->model));
  g_assert_cmpuint (cnn_model_get_step (copy), ==, cnn_model_get_step (fixture->model));

  original_output = predict (fixture->model, fixture);
  copy_output = predict (copy, fixture);
  g_assert_cmpmem (original_output, N_SAMPLES * fixture->n_outputs * sizeof (float),
                   copy_output, N_SAMPLES * fixture->n_outputs * sizeof (float));
  cnn_model_free (copy);
}

static void
test_copy_ignores_later_training (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree float *before = NULL;
  g_autofree float *original_after = NULL;
  g_autofree float *copy_after = NULL;
  const CnnWeight *first_kernel;
  float copied_first_value;
  CnnModel *copy;
  size_t size = N_SAMPLES * fixture->n_outputs * sizeof (float);

  train_once (fixture);
  copy = studio_model_copy (fixture->model, &error);
  g_assert_no_error (error);
  before = predict (copy, fixture);
  first_kernel = cnn_model_weight (copy, 0);
  copied_first_value = first_kernel->data[0];

  for (int i = 0; i < 3; i++)
    train_once (fixture);
  original_after = predict (fixture->model, fixture);
  copy_after = predict (copy, fixture);

  g_assert_true (memcmp (before, original_after, size) != 0);
  g_assert_cmpmem (before, size, copy_after, size);
  g_assert_cmpfloat (cnn_model_weight (copy, 0)->data[0], ==, copied_first_value);
  g_assert_cmpfloat (cnn_model_weight (fixture->model, 0)->data[0], !=, copied_first_value);
  cnn_model_free (copy);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/studio/model-copy/fashion-mnist/predicts-like-original", Fixture, NULL,
              fixture_set_up_fashion, test_copy_predicts_like_original, fixture_tear_down);
  g_test_add ("/studio/model-copy/fashion-mnist/ignores-later-training", Fixture, NULL,
              fixture_set_up_fashion, test_copy_ignores_later_training, fixture_tear_down);
  g_test_add ("/studio/model-copy/strided-same/predicts-like-original", Fixture, NULL,
              fixture_set_up_strided, test_copy_predicts_like_original, fixture_tear_down);
  g_test_add ("/studio/model-copy/strided-same/ignores-later-training", Fixture, NULL,
              fixture_set_up_strided, test_copy_ignores_later_training, fixture_tear_down);

  return g_test_run ();
}
