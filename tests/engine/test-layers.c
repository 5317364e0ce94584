/* test-layers.c — forward golden values, naming, shape errors, Dropout masks, buffers. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "cnn-private.h"

static CnnModel *
build (int h, int w, int c, const CnnLayerSpec *specs, int n_layers, uint64_t seed)
{
  CnnError error = { 0 };
  CnnModel *model = cnn_model_new (h, w, c, specs, n_layers, seed, &error);

  g_assert_cmpstr (error.message, ==, "");
  g_assert_nonnull (model);
  return model;
}

static float *
weight_data (CnnModel *model, const char *name)
{
  const CnnWeight *weight = cnn_model_find_weight (model, name);

  g_assert_nonnull (weight);
  return weight->data;
}

static const float *
forward (CnnModel *model, const float *x, int batch, int training)
{
  const float *output = NULL;

  g_assert_cmpint (cnn_model_forward (model, x, batch, training, &output, NULL), ==, CNN_OK);
  return output;
}

static void
assert_floats (const float *actual, const float *expected, int n, double epsilon)
{
  for (int i = 0; i < n; i++)
    if (fabs (actual[i] - expected[i]) > epsilon)
      g_error ("value %d: got %.7g, expected %.7g", i, actual[i], expected[i]);
}

/* ---------------------------------------------------------------- Conv2D */

static CnnLayerSpec
conv_spec (int filters, int kh, int kw, int stride, CnnPadding padding)
{
  CnnLayerSpec spec;

  cnn_layer_spec_init (&spec, CNN_LAYER_CONV2D);
  spec.filters = filters;
  spec.kernel_size[0] = kh;
  spec.kernel_size[1] = kw;
  spec.strides[0] = spec.strides[1] = stride;
  spec.padding = padding;
  return spec;
}

/* x = 1, 2, …, 9 on a 3×3 map; kernel [[1, 2], [3, 4]]; bias 0.5. */
static void
test_conv2d_by_hand (void)
{
  CnnLayerSpec spec = conv_spec (1, 2, 2, 1, CNN_PADDING_VALID);
  CnnModel *model = build (3, 3, 1, &spec, 1, 1);
  const float x[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  const float kernel[4] = { 1, 2, 3, 4 };
  /* out[0][0] = 1·1 + 2·2 + 4·3 + 5·4 = 37, then 47, 67, 77 */
  const float expected[4] = { 37.5f, 47.5f, 67.5f, 77.5f };

  memcpy (weight_data (model, "conv2d/kernel"), kernel, sizeof kernel);
  weight_data (model, "conv2d/bias")[0] = 0.5f;
  assert_floats (forward (model, x, 1, 0), expected, 4, 1e-5);
  cnn_model_free (model);
}

/* TF's 'same' padding: pad_total = max((ceil(in/s) − 1)·s + k − in, 0), the smaller half
 * before. With a kernel of ones each output is the sum of the cells it covers. */
static void
test_conv2d_same_padding_offsets (void)
{
  /* 1×4 row, kernel 1×4, stride 1: pad_total 3 → 1 before, 2 after. */
  {
    CnnLayerSpec spec = conv_spec (1, 1, 4, 1, CNN_PADDING_SAME);
    CnnModel *model = build (1, 4, 1, &spec, 1, 1);
    const float x[4] = { 1, 2, 3, 4 };
    const float expected[4] = { 1 + 2 + 3, 1 + 2 + 3 + 4, 2 + 3 + 4, 3 + 4 };
    for (int i = 0; i < 4; i++)
      weight_data (model, "conv2d/kernel")[i] = 1.0f;
    assert_floats (forward (model, x, 1, 0), expected, 4, 1e-5);
    cnn_model_free (model);
  }
  /* 5×5 map 1..25, kernel 2×2, stride 2: out 3×3, pad_total 1 → all of it after. */
  {
    CnnLayerSpec spec = conv_spec (1, 2, 2, 2, CNN_PADDING_SAME);
    CnnModel *model = build (5, 5, 1, &spec, 1, 1);
    float x[25];
    for (int i = 0; i < 25; i++)
      x[i] = (float) (i + 1);
    const float expected[9] = {
      1 + 2 + 6 + 7, 3 + 4 + 8 + 9, 5 + 10,
      11 + 12 + 16 + 17, 13 + 14 + 18 + 19, 15 + 20,
      21 + 22, 23 + 24, 25,
    };
    for (int i = 0; i < 4; i++)
      weight_data (model, "conv2d/kernel")[i] = 1.0f;
    CnnLayerInfo info;
    cnn_model_layer_info (model, 0, &info);
    g_assert_cmpint (info.output_shape[0], ==, 3);
    g_assert_cmpint (info.output_shape[1], ==, 3);
    assert_floats (forward (model, x, 1, 0), expected, 9, 1e-5);
    cnn_model_free (model);
  }
}

/* Direct convolution, straight from the definition, as the reference for im2col+GEMM. */
static void
reference_conv (const float *x, int h, int w, int cin, const float *kernel, const float *bias,
                int kh, int kw, int cout, int stride, int out_h, int out_w, int pad_top,
                int pad_left, float *out)
{
  for (int oy = 0; oy < out_h; oy++)
    for (int ox = 0; ox < out_w; ox++)
      for (int co = 0; co < cout; co++)
        {
          double sum = bias[co];
          for (int ky = 0; ky < kh; ky++)
            for (int kx = 0; kx < kw; kx++)
              for (int ci = 0; ci < cin; ci++)
                {
                  int iy = oy * stride - pad_top + ky, ix = ox * stride - pad_left + kx;
                  if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                    continue;
                  sum += (double) x[(iy * w + ix) * cin + ci]
                         * kernel[((ky * kw + kx) * cin + ci) * cout + co];
                }
          out[(oy * out_w + ox) * cout + co] = (float) sum;
        }
}

static void
test_conv2d_against_reference (void)
{
  static const struct { int size, kernel, stride; CnnPadding padding; } cases[] = {
    { 7, 3, 1, CNN_PADDING_VALID }, { 7, 3, 2, CNN_PADDING_VALID },
    { 7, 3, 2, CNN_PADDING_SAME }, { 6, 2, 2, CNN_PADDING_SAME },
    { 6, 4, 3, CNN_PADDING_SAME }, { 5, 1, 1, CNN_PADDING_SAME },
  };
  GRand *rand = g_rand_new_with_seed (3);

  for (size_t c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      CnnLayerSpec spec = conv_spec (4, cases[c].kernel, cases[c].kernel, cases[c].stride,
                                     cases[c].padding);
      CnnModel *model = build (cases[c].size, cases[c].size, 3, &spec, 1, c);
      int size = cases[c].size, k = cases[c].kernel, s = cases[c].stride;
      int out = cases[c].padding == CNN_PADDING_SAME ? (size + s - 1) / s : (size - k) / s + 1;
      int pad = MAX ((out - 1) * s + k - size, 0) / 2;
      if (cases[c].padding == CNN_PADDING_VALID)
        pad = 0;
      float *bias = weight_data (model, "conv2d/bias");
      for (int i = 0; i < 4; i++)
        bias[i] = (float) g_rand_double_range (rand, -1, 1);
      g_autofree float *x = g_new (float, 2 * size * size * 3);
      g_autofree float *expected = g_new (float, 2 * out * out * 4);
      for (int i = 0; i < 2 * size * size * 3; i++)
        x[i] = (float) g_rand_double_range (rand, -1, 1);
      for (int b = 0; b < 2; b++)
        reference_conv (x + b * size * size * 3, size, size, 3,
                        weight_data (model, "conv2d/kernel"), bias, k, k, 4, s, out, out, pad,
                        pad, expected + b * out * out * 4);
      assert_floats (forward (model, x, 2, 0), expected, 2 * out * out * 4, 1e-5);
      cnn_model_free (model);
    }
  g_rand_free (rand);
}

/* ---------------------------------------------------------------- pooling, dense, misc */

static void
test_pooling_by_hand (void)
{
  float x16[16], x25[25];
  CnnLayerSpec spec;

  for (int i = 0; i < 25; i++)
    x25[i] = (float) (i + 1);
  for (int i = 0; i < 16; i++)
    x16[i] = (float) (i + 1);

  cnn_layer_spec_init (&spec, CNN_LAYER_MAX_POOLING2D);
  CnnModel *model = build (4, 4, 1, &spec, 1, 1);
  const float max_valid[4] = { 6, 8, 14, 16 };
  assert_floats (forward (model, x16, 1, 0), max_valid, 4, 0);
  g_assert_cmpint (cnn_model_layer_spec (model, 0)->strides[0], ==, 2);
  cnn_model_free (model);

  /* 'same' on 5×5: the last row and column see only real cells. */
  spec.padding = CNN_PADDING_SAME;
  model = build (5, 5, 1, &spec, 1, 1);
  const float max_same[9] = { 7, 9, 10, 17, 19, 20, 22, 24, 25 };
  assert_floats (forward (model, x25, 1, 0), max_same, 9, 0);
  cnn_model_free (model);

  /* Average pooling with 'same' averages over the cells inside only (Keras). */
  cnn_layer_spec_init (&spec, CNN_LAYER_AVERAGE_POOLING2D);
  spec.padding = CNN_PADDING_SAME;
  model = build (5, 5, 1, &spec, 1, 1);
  const float avg_same[9] = { 4, 6, 7.5f, 14, 16, 17.5f, 21.5f, 23.5f, 25 };
  assert_floats (forward (model, x25, 1, 0), avg_same, 9, 1e-5);
  cnn_model_free (model);

  /* Odd sizes round down with 'valid'. */
  cnn_layer_spec_init (&spec, CNN_LAYER_MAX_POOLING2D);
  model = build (5, 5, 1, &spec, 1, 1);
  const float max_valid_odd[4] = { 7, 9, 17, 19 };
  assert_floats (forward (model, x25, 1, 0), max_valid_odd, 4, 0);
  cnn_model_free (model);

  cnn_layer_spec_init (&spec, CNN_LAYER_GLOBAL_AVERAGE_POOLING2D);
  model = build (2, 2, 2, &spec, 1, 1);
  const float channels[8] = { 1, 10, 2, 20, 3, 30, 4, 40 };
  const float means[2] = { 2.5f, 25 };
  assert_floats (forward (model, channels, 1, 0), means, 2, 1e-6);
  cnn_model_free (model);
}

static void
test_flatten_dense_rescaling (void)
{
  CnnLayerSpec specs[3];
  const float x[4] = { 1, 2, 3, 4 }; /* (1, 2, 2, 1) NHWC */

  cnn_layer_spec_init (&specs[0], CNN_LAYER_RESCALING);
  specs[0].scale = 0.5f;
  specs[0].offset = 1.0f;
  cnn_layer_spec_init (&specs[1], CNN_LAYER_FLATTEN);
  cnn_layer_spec_init (&specs[2], CNN_LAYER_DENSE);
  specs[2].units = 2;
  CnnModel *model = build (2, 2, 1, specs, 3, 1);
  /* kernel (4, 2): column 0 sums the inputs, column 1 takes input 3 (NHWC order) */
  const float kernel[8] = { 1, 0, 1, 0, 1, 0, 1, 1 };
  memcpy (weight_data (model, "dense/kernel"), kernel, sizeof kernel);
  weight_data (model, "dense/bias")[1] = -1.0f;
  /* rescaled: 1.5, 2, 2.5, 3 */
  const float expected[2] = { 9.0f, 2.0f };
  assert_floats (forward (model, x, 1, 0), expected, 2, 1e-6);
  const float flattened[4] = { 1.5f, 2, 2.5f, 3 };
  assert_floats (model->layers[1].result, flattened, 4, 0);
  cnn_model_free (model);
}

static void
test_activations (void)
{
  const float x[3] = { -1.0f, 0.0f, 2.0f };
  const float expected[CNN_N_ACTIVATIONS][3] = {
    [CNN_ACTIVATION_LINEAR] = { -1.0f, 0.0f, 2.0f },
    [CNN_ACTIVATION_RELU] = { 0.0f, 0.0f, 2.0f },
    [CNN_ACTIVATION_SIGMOID] = { 0.26894142f, 0.5f, 0.88079708f },
    [CNN_ACTIVATION_TANH] = { -0.76159416f, 0.0f, 0.96402758f },
    [CNN_ACTIVATION_SOFTMAX] = { 0.04201007f, 0.1141952f, 0.84379473f },
  };

  for (int a = 0; a < CNN_N_ACTIVATIONS; a++)
    {
      CnnLayerSpec spec;
      CnnActivation parsed;
      cnn_layer_spec_init (&spec, CNN_LAYER_ACTIVATION);
      spec.activation = a;
      CnnModel *model = build (1, 1, 3, &spec, 1, 1);
      assert_floats (forward (model, x, 1, 0), expected[a], 3, 1e-6);
      g_assert_true (cnn_activation_from_name (cnn_activation_name (a), &parsed));
      g_assert_cmpint (parsed, ==, a);
      cnn_model_free (model);
    }
}

/* ---------------------------------------------------------------- BatchNormalization */

/* Three training passes, then inference; the moving statistics follow
 * moving = moving·0.99 + batch·0.01 with the n/(n−1) variance for images and the biased
 * one for flat inputs, computed here in double. */
static void
check_batch_norm (int image_input)
{
  enum { BATCH = 4, C = 2 };
  const int spatial = image_input ? 3 * 3 : 1;
  const int rows = BATCH * spatial;
  CnnLayerSpec specs[2];
  int n = 0;
  GRand *rand = g_rand_new_with_seed (image_input ? 17 : 18);

  if (!image_input)
    cnn_layer_spec_init (&specs[n++], CNN_LAYER_FLATTEN);
  cnn_layer_spec_init (&specs[n++], CNN_LAYER_BATCH_NORMALIZATION);
  CnnModel *model = image_input ? build (3, 3, C, specs, n, 1) : build (1, 1, C, specs, n, 1);
  float *gamma = weight_data (model, "batch_normalization/gamma");
  float *beta = weight_data (model, "batch_normalization/beta");
  gamma[0] = 1.5f, gamma[1] = 0.5f, beta[0] = -1.0f, beta[1] = 2.0f;
  double moving_mean[C] = { 0, 0 }, moving_variance[C] = { 1, 1 };
  g_autofree float *x = g_new (float, rows * C);
  g_autofree float *expected = g_new (float, rows * C);

  for (int pass = 0; pass < 3; pass++)
    {
      for (int i = 0; i < rows * C; i++)
        x[i] = (float) g_rand_double_range (rand, -2.0 + pass, 3.0 + pass);
      for (int c = 0; c < C; c++)
        {
          double mean = 0.0, variance = 0.0;
          for (int r = 0; r < rows; r++)
            mean += x[r * C + c] / (double) rows;
          for (int r = 0; r < rows; r++)
            variance += (x[r * C + c] - mean) * (x[r * C + c] - mean) / rows;
          double stored = image_input ? variance * rows / (rows - 1.0) : variance;
          moving_mean[c] = moving_mean[c] * 0.99 + mean * 0.01;
          moving_variance[c] = moving_variance[c] * 0.99 + stored * 0.01;
          for (int r = 0; r < rows; r++)
            expected[r * C + c] =
              (float) ((x[r * C + c] - mean) / sqrt (variance + 1e-3) * gamma[c] + beta[c]);
        }
      assert_floats (forward (model, x, BATCH, 1), expected, rows * C, 2e-5);
    }
  for (int c = 0; c < C; c++)
    {
      g_assert_cmpfloat_with_epsilon (weight_data (model, "batch_normalization/moving_mean")[c],
                                      moving_mean[c], 1e-6);
      g_assert_cmpfloat_with_epsilon (
        weight_data (model, "batch_normalization/moving_variance")[c], moving_variance[c],
        1e-6);
    }
  /* Inference normalises with the moving statistics and leaves them alone. */
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < C; c++)
      expected[r * C + c] = (float) ((x[r * C + c] - moving_mean[c])
                                     / sqrt (moving_variance[c] + 1e-3) * gamma[c] + beta[c]);
  assert_floats (forward (model, x, BATCH, 0), expected, rows * C, 2e-5);
  g_assert_cmpfloat_with_epsilon (weight_data (model, "batch_normalization/moving_mean")[0],
                                  moving_mean[0], 1e-6);
  g_rand_free (rand);
  cnn_model_free (model);
}

static void
test_batch_normalization (void)
{
  check_batch_norm (1);
  check_batch_norm (0);
}

/* ---------------------------------------------------------------- Dropout */

static void
test_dropout_masks (void)
{
  enum { BATCH = 8, SIZE = 10 * 10 * 4 };
  CnnLayerSpec spec;
  g_autofree float *x = g_new (float, BATCH * SIZE);
  g_autofree float *first = g_new (float, BATCH * SIZE);

  for (int i = 0; i < BATCH * SIZE; i++)
    x[i] = 1.0f + (float) i / (BATCH * SIZE);
  cnn_layer_spec_init (&spec, CNN_LAYER_DROPOUT);
  spec.rate = 0.25f;
  CnnModel *model = build (10, 10, 4, &spec, 1, 99);

  /* Inference: identity, and the step does not move. */
  assert_floats (forward (model, x, BATCH, 0), x, BATCH * SIZE, 0);
  g_assert_cmpint (cnn_model_get_step (model), ==, 0);

  const float *output = forward (model, x, BATCH, 1);
  g_assert_cmpint (cnn_model_get_step (model), ==, 1);
  memcpy (first, output, sizeof (float) * BATCH * SIZE);
  int dropped = 0;
  for (int i = 0; i < BATCH * SIZE; i++)
    {
      if (first[i] == 0.0f)
        dropped++;
      else
        g_assert_cmpfloat_with_epsilon (first[i], x[i] / 0.75f, 1e-6);
    }
  /* 3,200 units at rate 0.25: 800 expected, σ ≈ 24. */
  g_assert_cmpint (dropped, >, 700);
  g_assert_cmpint (dropped, <, 900);

  /* The next step draws another mask; going back to step 0 draws the first again. */
  output = forward (model, x, BATCH, 1);
  g_assert_cmpint (memcmp (output, first, sizeof (float) * BATCH * SIZE), !=, 0);
  cnn_model_set_step (model, 0);
  assert_floats (forward (model, x, BATCH, 1), first, BATCH * SIZE, 0);

  /* A second model with the same seed at the same step agrees; another seed does not. */
  CnnModel *twin = build (10, 10, 4, &spec, 1, 99);
  assert_floats (forward (twin, x, BATCH, 1), first, BATCH * SIZE, 0);
  CnnModel *other = build (10, 10, 4, &spec, 1, 100);
  g_assert_cmpint (memcmp (forward (other, x, BATCH, 1), first, sizeof (float) * BATCH * SIZE),
                   !=, 0);
  g_assert_cmpint (cnn_model_get_seed (other), ==, 100);
  cnn_model_free (twin);
  cnn_model_free (other);
  cnn_model_free (model);
}

/* ---------------------------------------------------------------- naming and errors */

static void
test_naming (void)
{
  CnnLayerSpec specs[6];
  CnnLayerType type;
  CnnError error = { 0 };

  cnn_layer_spec_init (&specs[0], CNN_LAYER_CONV2D);
  specs[0].filters = 2;
  cnn_layer_spec_init (&specs[1], CNN_LAYER_CONV2D);
  specs[1].filters = 2;
  g_strlcpy (specs[1].name, "my_conv", sizeof specs[1].name);
  cnn_layer_spec_init (&specs[2], CNN_LAYER_CONV2D);
  specs[2].filters = 2;
  cnn_layer_spec_init (&specs[3], CNN_LAYER_GLOBAL_AVERAGE_POOLING2D);
  cnn_layer_spec_init (&specs[4], CNN_LAYER_ACTIVATION);
  cnn_layer_spec_init (&specs[5], CNN_LAYER_ACTIVATION);
  CnnModel *model = build (9, 9, 1, specs, 6, 1);
  static const char *names[] = { "conv2d", "my_conv", "conv2d_1", "global_average_pooling2d",
                                 "activation", "activation_1" };
  for (int i = 0; i < 6; i++)
    g_assert_cmpstr (cnn_model_layer_spec (model, i)->name, ==, names[i]);
  g_assert_nonnull (cnn_model_find_weight (model, "my_conv/kernel"));
  g_assert_nonnull (cnn_model_find_weight (model, "conv2d_1/bias"));
  cnn_model_free (model);

  g_strlcpy (specs[1].name, "conv2d", sizeof specs[1].name);
  g_assert_null (cnn_model_new (9, 9, 1, specs, 6, 1, &error));
  g_assert_cmpint (error.status, ==, CNN_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "'conv2d'"));

  for (int t = 0; t < CNN_N_LAYER_TYPES; t++)
    {
      g_assert_true (cnn_layer_type_from_class_name (cnn_layer_type_class_name (t), &type));
      g_assert_cmpint (type, ==, t);
    }
  g_assert_true (cnn_layer_type_from_class_name ("MaxPool2D", &type));
  g_assert_cmpint (type, ==, CNN_LAYER_MAX_POOLING2D);
  g_assert_false (cnn_layer_type_from_class_name ("LSTM", &type));
  g_assert_cmpstr (cnn_layer_type_base_name (CNN_LAYER_BATCH_NORMALIZATION), ==,
                   "batch_normalization");

  for (int l = 0; l < CNN_N_LOSSES; l++)
    {
      CnnLoss loss;
      g_assert_true (cnn_loss_from_name (cnn_loss_name (l), &loss));
      g_assert_cmpint (loss, ==, l);
    }
}

static void
assert_build_fails (int size, const CnnLayerSpec *specs, int n, CnnStatus status,
                    const char *message_part)
{
  CnnError error = { 0 };

  g_assert_null (cnn_model_new (size, size, 1, specs, n, 1, &error));
  g_assert_cmpint (error.status, ==, status);
  if (!strstr (error.message, message_part))
    g_error ("message \"%s\" lacks \"%s\"", error.message, message_part);
}

static void
test_shape_errors (void)
{
  CnnLayerSpec specs[5];

  specs[0] = conv_spec (32, 3, 3, 1, CNN_PADDING_VALID);
  specs[1] = conv_spec (64, 3, 3, 1, CNN_PADDING_VALID);
  cnn_layer_spec_init (&specs[2], CNN_LAYER_MAX_POOLING2D);
  specs[3] = conv_spec (64, 3, 3, 1, CNN_PADDING_VALID);
  /* 7 → 5 → 3 → 1 (pool): a 3×3 kernel cannot fit. */
  assert_build_fails (7, specs, 4, CNN_ERROR_SHAPE,
                      "Layer conv2d_2 (Conv2D): a 3×3 kernel with padding 'valid' does not fit "
                      "the input (None, 1, 1, 64)");
  /* With 'same' it fits. */
  specs[3].padding = CNN_PADDING_SAME;
  CnnModel *model = build (7, 7, 1, specs, 4, 1);
  cnn_model_free (model);

  cnn_layer_spec_init (&specs[1], CNN_LAYER_DENSE);
  specs[1].units = 10;
  assert_build_fails (7, specs, 2, CNN_ERROR_SHAPE, "add a Flatten");

  cnn_layer_spec_init (&specs[1], CNN_LAYER_FLATTEN);
  specs[2] = conv_spec (4, 1, 1, 1, CNN_PADDING_VALID);
  assert_build_fails (7, specs, 3, CNN_ERROR_SHAPE, "needs an image input");

  specs[0].filters = 0;
  assert_build_fails (7, specs, 1, CNN_ERROR_INVALID_ARGUMENT, "filters");
  specs[0] = conv_spec (4, 0, 3, 1, CNN_PADDING_VALID);
  assert_build_fails (7, specs, 1, CNN_ERROR_INVALID_ARGUMENT, "kernel size");
  cnn_layer_spec_init (&specs[0], CNN_LAYER_DROPOUT);
  specs[0].rate = 1.0f;
  assert_build_fails (7, specs, 1, CNN_ERROR_INVALID_ARGUMENT, "rate");
  specs[0].rate = -0.1f;
  assert_build_fails (7, specs, 1, CNN_ERROR_INVALID_ARGUMENT, "rate");

  /* Absurd sizes are refused before anything is allocated. */
  cnn_layer_spec_init (&specs[0], CNN_LAYER_FLATTEN);
  cnn_layer_spec_init (&specs[1], CNN_LAYER_DENSE);
  specs[1].units = 1 << 30;
  assert_build_fails (7, specs, 2, CNN_ERROR_SHAPE, "too many weights");
  specs[0] = conv_spec (1 << 20, 3, 3, 1, CNN_PADDING_SAME);
  assert_build_fails (512, specs, 1, CNN_ERROR_SHAPE,
                      "its output (None, 512, 512, 1048576) holds too many values");
  cnn_layer_spec_init (&specs[0], CNN_LAYER_FLATTEN);
  assert_build_fails (100000, specs, 1, CNN_ERROR_SHAPE, "too large");
  assert_build_fails (0, specs, 1, CNN_ERROR_INVALID_ARGUMENT, "positive");
}

/* ---------------------------------------------------------------- buffers and init */

static void
test_buffers_reused (void)
{
  CnnLayerSpec specs[3];
  GRand *rand = g_rand_new_with_seed (5);
  float x[16 * 6 * 6];

  for (int i = 0; i < 16 * 6 * 6; i++)
    x[i] = (float) g_rand_double (rand);
  specs[0] = conv_spec (3, 3, 3, 1, CNN_PADDING_VALID);
  cnn_layer_spec_init (&specs[1], CNN_LAYER_FLATTEN);
  cnn_layer_spec_init (&specs[2], CNN_LAYER_DENSE);
  specs[2].units = 2;
  specs[2].activation = CNN_ACTIVATION_SOFTMAX;
  CnnModel *model = build (6, 6, 1, specs, 3, 1);

  const float *output8 = forward (model, x, 8, 1);
  float first_row[2] = { output8[0], output8[1] };
  void *block = model->batch_block;
  const float *output4 = forward (model, x, 4, 1);
  g_assert_true (output4 == output8);
  g_assert_true (model->batch_block == block);
  assert_floats (output4, first_row, 2, 1e-6);
  g_assert_cmpfloat_with_epsilon (output4[0] + output4[1], 1.0, 1e-6);
  /* Growing reallocates, and a sample's result does not depend on the batch around it. */
  const float *output16 = forward (model, x, 16, 1);
  g_assert_true (model->batch_block != block);
  g_assert_cmpint (model->capacity, ==, 16);
  assert_floats (output16, first_row, 2, 1e-6);
  g_rand_free (rand);
  cnn_model_free (model);
}

/* Errors of a pass are reported, not crashed on, and leave the model usable. */
static void
test_pass_errors (void)
{
  CnnLayerSpec specs[2];
  CnnError error = { 0 };
  const float *output;
  const float x[2] = { 1.0f, NAN };
  const int32_t labels[1] = { 0 };

  cnn_layer_spec_init (&specs[0], CNN_LAYER_FLATTEN);
  cnn_layer_spec_init (&specs[1], CNN_LAYER_ACTIVATION);
  specs[1].activation = CNN_ACTIVATION_SOFTMAX;
  CnnModel *model = build (1, 1, 2, specs, 2, 1);

  g_assert_cmpint (cnn_model_loss (model, CNN_LOSS_CATEGORICAL_CROSSENTROPY, labels, 0, NULL,
                                   NULL, &error), ==, CNN_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "forward pass first"));
  g_assert_cmpint (cnn_model_forward (model, x, 0, 0, &output, &error), ==,
                   CNN_ERROR_INVALID_ARGUMENT);

  /* Buffers that BLAS cannot address (2^31 floats and more) are refused up front. */
  g_assert_cmpint (cnn_model_forward (model, x, 1 << 30, 0, &output, &error), ==,
                   CNN_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "too large"));

  /* A NaN reaches the loss: reported as numeric trouble, and no gradient is taken. */
  forward (model, x, 1, 1);
  double loss = 0.0;
  g_assert_cmpint (cnn_model_loss (model, CNN_LOSS_CATEGORICAL_CROSSENTROPY, labels, 1, &loss,
                                   NULL, &error), ==, CNN_ERROR_NUMERIC);
  g_assert_true (isnan (loss));

  /* Binary crossentropy wants one output unit. */
  const float fine[2] = { 1.0f, 2.0f };
  forward (model, fine, 1, 0);
  g_assert_cmpint (cnn_model_loss (model, CNN_LOSS_BINARY_CROSSENTROPY, labels, 0, NULL,
                                   NULL, &error), ==, CNN_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "one sigmoid output"));
  g_assert_cmpint (cnn_model_loss (model, CNN_LOSS_CATEGORICAL_CROSSENTROPY, labels, 1, &loss,
                                   NULL, &error), ==, CNN_OK);
  g_assert_cmpfloat_with_epsilon (loss, log1p (exp (1.0)), 1e-6);
  cnn_model_free (model);
}

static void
test_initialisation (void)
{
  CnnLayerSpec specs[4];

  specs[0] = conv_spec (16, 3, 3, 1, CNN_PADDING_VALID);
  cnn_layer_spec_init (&specs[1], CNN_LAYER_BATCH_NORMALIZATION);
  cnn_layer_spec_init (&specs[2], CNN_LAYER_FLATTEN);
  cnn_layer_spec_init (&specs[3], CNN_LAYER_DENSE);
  specs[3].units = 30;
  CnnModel *model = build (8, 8, 4, specs, 4, 7);
  CnnModel *twin = build (8, 8, 4, specs, 4, 7);
  CnnModel *other = build (8, 8, 4, specs, 4, 8);
  /* glorot_uniform: conv fans are kh·kw·cin and kh·kw·cout; dense fans in and out. */
  const struct { const char *name; double limit; } kernels[] = {
    { "conv2d/kernel", sqrt (6.0 / (9 * 4 + 9 * 16)) },
    { "dense/kernel", sqrt (6.0 / (6 * 6 * 16 + 30)) },
  };

  for (size_t k = 0; k < G_N_ELEMENTS (kernels); k++)
    {
      const CnnWeight *weight = cnn_model_find_weight (model, kernels[k].name);
      double max = 0.0, mean = 0.0;
      for (size_t i = 0; i < weight->size; i++)
        {
          max = MAX (max, fabs (weight->data[i]));
          mean += weight->data[i] / (double) weight->size;
        }
      g_assert_cmpfloat (max, <=, kernels[k].limit);
      g_assert_cmpfloat (max, >, 0.95 * kernels[k].limit);
      g_assert_cmpfloat (fabs (mean), <, 0.1 * kernels[k].limit);
      g_assert_cmpint (memcmp (weight->data, cnn_model_find_weight (twin, weight->name)->data,
                               weight->size * sizeof (float)), ==, 0);
      g_assert_cmpint (memcmp (weight->data, cnn_model_find_weight (other, weight->name)->data,
                               weight->size * sizeof (float)), !=, 0);
    }
  static const struct { const char *name; float value; } constants[] = {
    { "conv2d/bias", 0 }, { "dense/bias", 0 },
    { "batch_normalization/gamma", 1 }, { "batch_normalization/beta", 0 },
    { "batch_normalization/moving_mean", 0 }, { "batch_normalization/moving_variance", 1 },
  };
  for (size_t c = 0; c < G_N_ELEMENTS (constants); c++)
    {
      const CnnWeight *weight = cnn_model_find_weight (model, constants[c].name);
      for (size_t i = 0; i < weight->size; i++)
        g_assert_cmpfloat (weight->data[i], ==, constants[c].value);
    }
  cnn_model_free (model);
  cnn_model_free (twin);
  cnn_model_free (other);
}

static void
test_rng (void)
{
  CnnRng a, b;
  int counts[6] = { 0 };

  cnn_rng_seed (&a, 42);
  cnn_rng_seed (&b, 42);
  for (int i = 0; i < 100; i++)
    g_assert_cmpuint (cnn_rng_next_u32 (&a), ==, cnn_rng_next_u32 (&b));
  for (int i = 0; i < 6000; i++)
    {
      double u = cnn_rng_uniform (&a);
      g_assert_cmpfloat (u, >=, 0.0);
      g_assert_cmpfloat (u, <, 1.0);
      uint32_t k = cnn_rng_below (&a, 6);
      g_assert_cmpuint (k, <, 6);
      counts[k]++;
    }
  for (int k = 0; k < 6; k++)
    g_assert_cmpint (ABS (counts[k] - 1000), <, 150);
  cnn_rng_seed (&b, 43);
  g_assert_cmpuint (cnn_rng_next_u32 (&a), !=, cnn_rng_next_u32 (&b));
}

static void
test_binary_accuracy (void)
{
  CnnLayerSpec specs[2];
  const float x[3] = { -2.0f, 0.5f, 3.0f };
  const int32_t labels[3] = { 0, 0, 1 };
  double loss;
  int correct;

  cnn_layer_spec_init (&specs[0], CNN_LAYER_FLATTEN);
  cnn_layer_spec_init (&specs[1], CNN_LAYER_ACTIVATION);
  specs[1].activation = CNN_ACTIVATION_SIGMOID;
  CnnModel *model = build (1, 1, 1, specs, 2, 1);
  forward (model, x, 3, 0);
  g_assert_cmpint (cnn_model_loss (model, CNN_LOSS_BINARY_CROSSENTROPY, labels, 0, &loss,
                                   &correct, NULL), ==, CNN_OK);
  g_assert_cmpint (correct, ==, 2);
  double expected = (log1p (exp (-2.0)) + (0.5 + log1p (exp (-0.5))) + log1p (exp (-3.0))) / 3;
  g_assert_cmpfloat_with_epsilon (loss, expected, 1e-6);
  cnn_model_free (model);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/layers/conv2d-by-hand", test_conv2d_by_hand);
  g_test_add_func ("/engine/layers/conv2d-same-padding", test_conv2d_same_padding_offsets);
  g_test_add_func ("/engine/layers/conv2d-reference", test_conv2d_against_reference);
  g_test_add_func ("/engine/layers/pooling", test_pooling_by_hand);
  g_test_add_func ("/engine/layers/flatten-dense-rescaling", test_flatten_dense_rescaling);
  g_test_add_func ("/engine/layers/activations", test_activations);
  g_test_add_func ("/engine/layers/batch-normalization", test_batch_normalization);
  g_test_add_func ("/engine/layers/dropout-masks", test_dropout_masks);
  g_test_add_func ("/engine/layers/naming", test_naming);
  g_test_add_func ("/engine/layers/shape-errors", test_shape_errors);
  g_test_add_func ("/engine/layers/buffers-reused", test_buffers_reused);
  g_test_add_func ("/engine/layers/pass-errors", test_pass_errors);
  g_test_add_func ("/engine/layers/initialisation", test_initialisation);
  g_test_add_func ("/engine/layers/rng", test_rng);
  g_test_add_func ("/engine/layers/binary-accuracy", test_binary_accuracy);
  return g_test_run ();
}
