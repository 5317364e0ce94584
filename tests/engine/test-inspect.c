/* test-inspect.c — every layer's output for one image, against running the layers one by one. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include <math.h>
#include <string.h>

#include <glib.h>

#include "cnn.h"

/* A stack with every layer type, same and valid padding, strides 1 and 2. */
static int
make_specs (CnnLayerSpec specs[12])
{
  int n = 0;

  cnn_layer_spec_init (&specs[n], CNN_LAYER_RESCALING);
  specs[n++].scale = 1.0f / 255;
  cnn_layer_spec_init (&specs[n], CNN_LAYER_CONV2D);
  specs[n].filters = 6;
  specs[n].activation = CNN_ACTIVATION_RELU;
  specs[n++].padding = CNN_PADDING_SAME;
  cnn_layer_spec_init (&specs[n++], CNN_LAYER_BATCH_NORMALIZATION);
  cnn_layer_spec_init (&specs[n], CNN_LAYER_MAX_POOLING2D);
  specs[n].pool_size[0] = specs[n].pool_size[1] = 3;
  specs[n].strides[0] = specs[n].strides[1] = 2;
  specs[n++].padding = CNN_PADDING_SAME;
  cnn_layer_spec_init (&specs[n], CNN_LAYER_DROPOUT);
  specs[n++].rate = 0.3f;
  cnn_layer_spec_init (&specs[n], CNN_LAYER_CONV2D);
  specs[n].filters = 5;
  specs[n].kernel_size[1] = 2;
  specs[n].strides[0] = 2;
  specs[n++].activation = CNN_ACTIVATION_TANH;
  cnn_layer_spec_init (&specs[n++], CNN_LAYER_AVERAGE_POOLING2D);
  cnn_layer_spec_init (&specs[n], CNN_LAYER_ACTIVATION);
  specs[n++].activation = CNN_ACTIVATION_SIGMOID;
  cnn_layer_spec_init (&specs[n++], CNN_LAYER_FLATTEN);
  cnn_layer_spec_init (&specs[n], CNN_LAYER_DENSE);
  specs[n].units = 7;
  specs[n++].activation = CNN_ACTIVATION_RELU;
  cnn_layer_spec_init (&specs[n], CNN_LAYER_DENSE);
  specs[n].units = 3;
  specs[n++].activation = CNN_ACTIVATION_SOFTMAX;
  return n;
}

enum { SIDE = 13 };

static void
fill_image (float *x, size_t n)
{
  for (size_t i = 0; i < n; i++)
    x[i] = (float) ((i * 37 + 11) % 256);
}

/* Moves BatchNormalization's moving statistics away from 0 and 1, so they matter. */
static void
train_a_little (CnnModel *model, const float *x)
{
  const float *output;

  for (int i = 0; i < 5; i++)
    g_assert_cmpint (cnn_model_forward (model, x, 1, 1, &output, NULL), ==, CNN_OK);
}

static void
test_matches_truncated_models (void)
{
  CnnLayerSpec specs[12];
  int n = make_specs (specs);
  CnnError error = { 0 };
  CnnModel *model = cnn_model_new (SIDE, SIDE, 3, specs, n, 7, &error);
  float x[SIDE * SIDE * 3];
  CnnInspection inspection;

  g_assert_nonnull (model);
  fill_image (x, G_N_ELEMENTS (x));
  train_a_little (model, x);
  g_assert_cmpint (cnn_model_inspect (model, x, &inspection, &error), ==, CNN_OK);
  g_assert_cmpint (inspection.n_layers, ==, n);

  /* Layer k's output equals what a model made of the first k + 1 layers (same weights)
   * computes with the engine's fast, batched inference pass. */
  for (int k = 0; k < n; k++)
    {
      CnnLayerSpec prefix[12];
      CnnModel *truncated;
      CnnLayerInfo info;
      const float *output;
      size_t size;

      for (int i = 0; i <= k; i++)
        prefix[i] = *cnn_model_layer_spec (model, i);
      truncated = cnn_model_new (SIDE, SIDE, 3, prefix, k + 1, 1, &error);
      g_assert_nonnull (truncated);
      for (int w = 0; w < cnn_model_n_weights (truncated); w++)
        {
          const CnnWeight *to = cnn_model_weight (truncated, w);
          const CnnWeight *from = cnn_model_find_weight (model, to->name);

          g_assert_nonnull (from);
          memcpy (to->data, from->data, to->size * sizeof (float));
        }
      g_assert_cmpint (cnn_model_forward (truncated, x, 1, 0, &output, &error), ==, CNN_OK);

      cnn_model_layer_info (model, k, &info);
      size = info.output_rank == 3
               ? (size_t) info.output_shape[0] * info.output_shape[1] * info.output_shape[2]
               : (size_t) info.output_shape[0];
      for (size_t i = 0; i < size; i++)
        g_assert_cmpfloat_with_epsilon (inspection.outputs[k][i], output[i],
                                        1e-4 * (1 + fabsf (output[i])));
      cnn_model_free (truncated);
    }

  /* Feature maps are kept before the activation for Conv2D and Dense with one. */
  g_assert_nonnull (inspection.preactivations[1]);
  g_assert_null (inspection.preactivations[2]);
  for (int i = 0; i < SIDE * SIDE * 6; i++)
    g_assert_cmpfloat (inspection.outputs[1][i], ==, MAX (inspection.preactivations[1][i], 0));
  g_assert_nonnull (inspection.preactivations[5]);
  g_assert_nonnull (inspection.preactivations[10]);

  cnn_inspection_clear (&inspection);
  g_assert_null (inspection.outputs);
  cnn_model_free (model);
}

static void
test_bad_arguments (void)
{
  CnnInspection inspection;
  CnnError error = { 0 };

  g_assert_cmpint (cnn_model_inspect (NULL, NULL, &inspection, &error), ==,
                   CNN_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error.message, !=, "");
  cnn_inspection_clear (NULL);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/inspect/matches-truncated-models", test_matches_truncated_models);
  g_test_add_func ("/engine/inspect/bad-arguments", test_bad_arguments);

  return g_test_run ();
}
