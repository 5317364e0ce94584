/* test-layer-explain.c — the shape and parameter arithmetic against hand-computed values. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib.h>

#include "studio-layer-explain.h"
#include "studio-model-json.h"

static CnnModel *
seed_model (void)
{
  g_autofree char *path = g_build_filename (SOURCE_DATADIR, "models", "fashion-mnist.json", NULL);
  g_autoptr (GError) error = NULL;
  CnnModel *model = studio_model_new_from_json_file (path, 1, &error);

  g_assert_no_error (error);
  return model;
}

static void
assert_explained (CnnModel   *model,
                  int         index,
                  const char *shape,
                  const char *params)
{
  g_autofree char *shape_text = studio_explain_output_shape (model, index);
  g_autofree char *params_text = studio_explain_params (model, index);

  g_assert_cmpstr (shape_text, ==, shape);
  g_assert_cmpstr (params_text, ==, params);
}

static void
test_seed_model (void)
{
  CnnModel *model = seed_model ();

  /* conv2d, batch_normalization, max_pooling2d, dropout, conv2d_1, … as in the summary. */
  assert_explained (model, 0, "(28 − 3 + 2·0) / 1 + 1 = 26", "3·3·1·32 + 32 = 320");
  assert_explained (model, 1, NULL,
                    "4·32 = 128 (gamma and beta train: 64; the moving mean and variance do "
                    "not: 64)");
  assert_explained (model, 2, "⌊(26 − 2 + 2·0) / 2⌋ + 1 = 13", NULL);
  assert_explained (model, 3, NULL, NULL);
  assert_explained (model, 4, "(13 − 3 + 2·0) / 1 + 1 = 11", "3·3·32·64 + 64 = 18,496");
  assert_explained (model, 6, "⌊(11 − 2 + 2·0) / 2⌋ + 1 = 5", NULL);
  assert_explained (model, 8, "(5 − 3 + 2·0) / 1 + 1 = 3", "3·3·64·128 + 128 = 73,856");
  assert_explained (model, 10, "⌊(3 − 2 + 2·0) / 2⌋ + 1 = 1", NULL);
  assert_explained (model, 12, "1 · 1 · 128 = 128", NULL);
  assert_explained (model, 13, "128 inputs → 64 units", "128·64 + 64 = 8,256");
  assert_explained (model, 16, "64 inputs → 10 units", "64·10 + 10 = 650");
  cnn_model_free (model);
}

static CnnModel *
one_layer_model (int        height,
                 int        width,
                 CnnLayerSpec *spec)
{
  CnnError error = { 0 };
  CnnModel *model = cnn_model_new (height, width, 3, spec, 1, 1, &error);

  g_assert_cmpint (error.status, ==, CNN_OK);
  return model;
}

static void
test_padding_and_strides (void)
{
  static const struct {
    CnnLayerType type;
    int window, stride;
    CnnPadding padding;
    const char *expected;
  } cases[] = {
    { CNN_LAYER_CONV2D, 3, 1, CNN_PADDING_SAME, "⌈28 / 1⌉ = 28 (padding 1 + 1)" },
    { CNN_LAYER_CONV2D, 3, 2, CNN_PADDING_SAME, "⌈28 / 2⌉ = 14 (padding 0 + 1)" },
    { CNN_LAYER_CONV2D, 4, 2, CNN_PADDING_SAME, "⌈28 / 2⌉ = 14 (padding 1 + 1)" },
    { CNN_LAYER_CONV2D, 3, 2, CNN_PADDING_VALID, "⌊(28 − 3 + 2·0) / 2⌋ + 1 = 13" },
    { CNN_LAYER_CONV2D, 1, 1, CNN_PADDING_SAME, "⌈28 / 1⌉ = 28" },
    { CNN_LAYER_MAX_POOLING2D, 3, 2, CNN_PADDING_SAME, "⌈28 / 2⌉ = 14 (padding 0 + 1)" },
    { CNN_LAYER_AVERAGE_POOLING2D, 2, 1, CNN_PADDING_VALID, "(28 − 2 + 2·0) / 1 + 1 = 27" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CnnLayerSpec spec;
      CnnModel *model;
      g_autofree char *text = NULL;

      cnn_layer_spec_init (&spec, cases[i].type);
      spec.filters = 4;
      spec.kernel_size[0] = spec.kernel_size[1] = cases[i].window;
      spec.pool_size[0] = spec.pool_size[1] = cases[i].window;
      spec.strides[0] = spec.strides[1] = cases[i].stride;
      spec.padding = cases[i].padding;
      model = one_layer_model (28, 28, &spec);
      text = studio_explain_output_shape (model, 0);
      g_assert_cmpstr (text, ==, cases[i].expected);
      cnn_model_free (model);
    }
}

static void
test_rectangles_and_no_bias (void)
{
  CnnLayerSpec spec;
  CnnModel *model;
  g_autofree char *shape = NULL;
  g_autofree char *params = NULL;

  cnn_layer_spec_init (&spec, CNN_LAYER_CONV2D);
  spec.filters = 16;
  spec.kernel_size[0] = 3;
  spec.kernel_size[1] = 5;
  spec.use_bias = 0;
  model = one_layer_model (28, 20, &spec);
  shape = studio_explain_output_shape (model, 0);
  params = studio_explain_params (model, 0);
  g_assert_cmpstr (shape, ==, "height: (28 − 3 + 2·0) / 1 + 1 = 26\n"
                              "width: (20 − 5 + 2·0) / 1 + 1 = 16");
  g_assert_cmpstr (params, ==, "3·5·3·16 = 720");
  cnn_model_free (model);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studio/explain/seed-model", test_seed_model);
  g_test_add_func ("/studio/explain/padding-strides", test_padding_and_strides);
  g_test_add_func ("/studio/explain/rectangles", test_rectangles_and_no_bias);

  return g_test_run ();
}
