/* test-summary.c — the two seed models' Keras summaries to the character, layer infos. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "cnn.h"

/* The expected texts were produced by a transcription of tf.keras 2.9–2.12's
 * layer_utils.print_summary (line_length 65, positions 29/55/65) fed with hand-computed
 * shapes and parameter counts — not by this engine. */
static const char fashion_summary[] =
  "Model: \"sequential\"\n"
  "_________________________________________________________________\n"
  " Layer (type)                Output Shape              Param #   \n"
  "=================================================================\n"
  " conv2d (Conv2D)             (None, 26, 26, 32)        320       \n"
  "                                                                 \n"
  " batch_normalization (BatchN  (None, 26, 26, 32)       128       \n"
  " ormalization)                                                   \n"
  "                                                                 \n"
  " max_pooling2d (MaxPooling2D  (None, 13, 13, 32)       0         \n"
  " )                                                               \n"
  "                                                                 \n"
  " dropout (Dropout)           (None, 13, 13, 32)        0         \n"
  "                                                                 \n"
  " conv2d_1 (Conv2D)           (None, 11, 11, 64)        18496     \n"
  "                                                                 \n"
  " batch_normalization_1 (Batc  (None, 11, 11, 64)       256       \n"
  " hNormalization)                                                 \n"
  "                                                                 \n"
  " max_pooling2d_1 (MaxPooling  (None, 5, 5, 64)         0         \n"
  " 2D)                                                             \n"
  "                                                                 \n"
  " dropout_1 (Dropout)         (None, 5, 5, 64)          0         \n"
  "                                                                 \n"
  " conv2d_2 (Conv2D)           (None, 3, 3, 128)         73856     \n"
  "                                                                 \n"
  " batch_normalization_2 (Batc  (None, 3, 3, 128)        512       \n"
  " hNormalization)                                                 \n"
  "                                                                 \n"
  " max_pooling2d_2 (MaxPooling  (None, 1, 1, 128)        0         \n"
  " 2D)                                                             \n"
  "                                                                 \n"
  " dropout_2 (Dropout)         (None, 1, 1, 128)         0         \n"
  "                                                                 \n"
  " flatten (Flatten)           (None, 128)               0         \n"
  "                                                                 \n"
  " dense (Dense)               (None, 64)                8256      \n"
  "                                                                 \n"
  " batch_normalization_3 (Batc  (None, 64)               256       \n"
  " hNormalization)                                                 \n"
  "                                                                 \n"
  " dropout_3 (Dropout)         (None, 64)                0         \n"
  "                                                                 \n"
  " dense_1 (Dense)             (None, 10)                650       \n"
  "=================================================================\n"
  "Total params: 102,730\n"
  "Trainable params: 102,154\n"
  "Non-trainable params: 576\n"
  "_________________________________________________________________\n"
  ;

static const char dogs_summary[] =
  "Model: \"sequential\"\n"
  "_________________________________________________________________\n"
  " Layer (type)                Output Shape              Param #   \n"
  "=================================================================\n"
  " conv2d (Conv2D)             (None, 126, 126, 32)      896       \n"
  "                                                                 \n"
  " batch_normalization (BatchN  (None, 126, 126, 32)     128       \n"
  " ormalization)                                                   \n"
  "                                                                 \n"
  " max_pooling2d (MaxPooling2D  (None, 63, 63, 32)       0         \n"
  " )                                                               \n"
  "                                                                 \n"
  " dropout (Dropout)           (None, 63, 63, 32)        0         \n"
  "                                                                 \n"
  " conv2d_1 (Conv2D)           (None, 61, 61, 64)        18496     \n"
  "                                                                 \n"
  " batch_normalization_1 (Batc  (None, 61, 61, 64)       256       \n"
  " hNormalization)                                                 \n"
  "                                                                 \n"
  " max_pooling2d_1 (MaxPooling  (None, 30, 30, 64)       0         \n"
  " 2D)                                                             \n"
  "                                                                 \n"
  " dropout_1 (Dropout)         (None, 30, 30, 64)        0         \n"
  "                                                                 \n"
  " conv2d_2 (Conv2D)           (None, 28, 28, 128)       73856     \n"
  "                                                                 \n"
  " batch_normalization_2 (Batc  (None, 28, 28, 128)      512       \n"
  " hNormalization)                                                 \n"
  "                                                                 \n"
  " max_pooling2d_2 (MaxPooling  (None, 14, 14, 128)      0         \n"
  " 2D)                                                             \n"
  "                                                                 \n"
  " dropout_2 (Dropout)         (None, 14, 14, 128)       0         \n"
  "                                                                 \n"
  " flatten (Flatten)           (None, 25088)             0         \n"
  "                                                                 \n"
  " dense (Dense)               (None, 512)               12845568  \n"
  "                                                                 \n"
  " batch_normalization_3 (Batc  (None, 512)              2048      \n"
  " hNormalization)                                                 \n"
  "                                                                 \n"
  " dropout_3 (Dropout)         (None, 512)               0         \n"
  "                                                                 \n"
  " dense_1 (Dense)             (None, 2)                 1026      \n"
  "=================================================================\n"
  "Total params: 12,942,786\n"
  "Trainable params: 12,941,314\n"
  "Non-trainable params: 1,472\n"
  "_________________________________________________________________\n"
  ;

/* The seed model of DESIGN.md: three Conv2D/BN/MaxPool/Dropout blocks and a dense head. */
static CnnModel *
build_seed_model (int size, int channels, float dropout, int dense_units, int classes)
{
  CnnLayerSpec specs[17];
  CnnError error = { 0 };
  int n = 0;
  CnnModel *model;

  for (int block = 0; block < 3; block++)
    {
      cnn_layer_spec_init (&specs[n], CNN_LAYER_CONV2D);
      specs[n].filters = 32 << block;
      specs[n++].activation = CNN_ACTIVATION_RELU;
      cnn_layer_spec_init (&specs[n++], CNN_LAYER_BATCH_NORMALIZATION);
      cnn_layer_spec_init (&specs[n++], CNN_LAYER_MAX_POOLING2D);
      cnn_layer_spec_init (&specs[n], CNN_LAYER_DROPOUT);
      specs[n++].rate = dropout;
    }
  cnn_layer_spec_init (&specs[n++], CNN_LAYER_FLATTEN);
  cnn_layer_spec_init (&specs[n], CNN_LAYER_DENSE);
  specs[n].units = dense_units;
  specs[n++].activation = CNN_ACTIVATION_RELU;
  cnn_layer_spec_init (&specs[n++], CNN_LAYER_BATCH_NORMALIZATION);
  cnn_layer_spec_init (&specs[n], CNN_LAYER_DROPOUT);
  specs[n++].rate = 0.5f;
  cnn_layer_spec_init (&specs[n], CNN_LAYER_DENSE);
  specs[n].units = classes;
  specs[n++].activation = CNN_ACTIVATION_SOFTMAX;
  g_assert_cmpint (n, ==, 17);

  model = cnn_model_new (size, size, channels, specs, n, 42, &error);
  g_assert_cmpstr (error.message, ==, "");
  g_assert_nonnull (model);
  return model;
}

static void
assert_lines_are_65_wide (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  /* Every line but the title and the footer's three "params" lines is 65 wide. */
  for (int i = 1; lines[i] && lines[i][0]; i++)
    if (!strstr (lines[i], "params:"))
      g_assert_cmpint (strlen (lines[i]), ==, 65);
}

static void
test_fashion_summary (void)
{
  CnnModel *model = build_seed_model (28, 1, 0.2f, 64, 10);
  char *summary = cnn_model_summary (model, NULL);

  assert_lines_are_65_wide (fashion_summary);
  g_assert_cmpstr (summary, ==, fashion_summary);
  g_assert_cmpint (cnn_model_total_params (model), ==, 102730);
  g_assert_cmpint (cnn_model_trainable_params (model), ==, 102154);
  free (summary);

  summary = cnn_model_summary (model, "fashion");
  g_assert_true (g_str_has_prefix (summary, "Model: \"fashion\"\n____"));
  free (summary);
  cnn_model_free (model);
}

static void
test_dogs_summary (void)
{
  CnnModel *model = build_seed_model (128, 3, 0.25f, 512, 2);
  char *summary = cnn_model_summary (model, NULL);

  assert_lines_are_65_wide (dogs_summary);
  g_assert_cmpstr (summary, ==, dogs_summary);
  g_assert_cmpint (cnn_model_total_params (model), ==, 12942786);
  g_assert_cmpint (cnn_model_trainable_params (model), ==, 12941314);
  free (summary);
  cnn_model_free (model);
}

typedef struct {
  const char *name;
  CnnLayerType type;
  int rank;
  int shape[3];
  int64_t params, trainable_params, macs;
} ExpectedInfo;

static void
assert_layer_infos (CnnModel *model, const ExpectedInfo *expected, int n)
{
  int64_t total_macs = 0;

  g_assert_cmpint (cnn_model_n_layers (model), ==, n);
  for (int i = 0; i < n; i++)
    {
      CnnLayerInfo info;
      cnn_model_layer_info (model, i, &info);
      g_assert_cmpstr (info.name, ==, expected[i].name);
      g_assert_cmpint (info.type, ==, expected[i].type);
      g_assert_cmpint (info.output_rank, ==, expected[i].rank);
      for (int d = 0; d < 3; d++)
        g_assert_cmpint (info.output_shape[d], ==, expected[i].shape[d]);
      g_assert_cmpint (info.params, ==, expected[i].params);
      g_assert_cmpint (info.trainable_params, ==, expected[i].trainable_params);
      g_assert_cmpint (info.macs, ==, expected[i].macs);
      total_macs += expected[i].macs;
    }
  g_assert_cmpint (cnn_model_total_macs (model), ==, total_macs);
}

static void
test_fashion_layer_info (void)
{
  /* MACs: conv out_h·out_w·cout·kh·kw·cin, dense in·out, the rest 0. */
  static const ExpectedInfo expected[] = {
    { "conv2d", CNN_LAYER_CONV2D, 3, { 26, 26, 32 }, 320, 320, 26 * 26 * 32 * 9 },
    { "batch_normalization", CNN_LAYER_BATCH_NORMALIZATION, 3, { 26, 26, 32 }, 128, 64, 0 },
    { "max_pooling2d", CNN_LAYER_MAX_POOLING2D, 3, { 13, 13, 32 }, 0, 0, 0 },
    { "dropout", CNN_LAYER_DROPOUT, 3, { 13, 13, 32 }, 0, 0, 0 },
    { "conv2d_1", CNN_LAYER_CONV2D, 3, { 11, 11, 64 }, 18496, 18496, 11 * 11 * 64 * 9 * 32 },
    { "batch_normalization_1", CNN_LAYER_BATCH_NORMALIZATION, 3, { 11, 11, 64 }, 256, 128, 0 },
    { "max_pooling2d_1", CNN_LAYER_MAX_POOLING2D, 3, { 5, 5, 64 }, 0, 0, 0 },
    { "dropout_1", CNN_LAYER_DROPOUT, 3, { 5, 5, 64 }, 0, 0, 0 },
    { "conv2d_2", CNN_LAYER_CONV2D, 3, { 3, 3, 128 }, 73856, 73856, 3 * 3 * 128 * 9 * 64 },
    { "batch_normalization_2", CNN_LAYER_BATCH_NORMALIZATION, 3, { 3, 3, 128 }, 512, 256, 0 },
    { "max_pooling2d_2", CNN_LAYER_MAX_POOLING2D, 3, { 1, 1, 128 }, 0, 0, 0 },
    { "dropout_2", CNN_LAYER_DROPOUT, 3, { 1, 1, 128 }, 0, 0, 0 },
    { "flatten", CNN_LAYER_FLATTEN, 1, { 128, 0, 0 }, 0, 0, 0 },
    { "dense", CNN_LAYER_DENSE, 1, { 64, 0, 0 }, 8256, 8256, 128 * 64 },
    { "batch_normalization_3", CNN_LAYER_BATCH_NORMALIZATION, 1, { 64, 0, 0 }, 256, 128, 0 },
    { "dropout_3", CNN_LAYER_DROPOUT, 1, { 64, 0, 0 }, 0, 0, 0 },
    { "dense_1", CNN_LAYER_DENSE, 1, { 10, 0, 0 }, 650, 650, 64 * 10 },
  };
  CnnModel *model = build_seed_model (28, 1, 0.2f, 64, 10);

  assert_layer_infos (model, expected, G_N_ELEMENTS (expected));
  g_assert_cmpint (cnn_model_total_macs (model), ==, 3097344);
  g_assert_cmpint (cnn_model_n_outputs (model), ==, 10);
  cnn_model_free (model);
}

static void
test_dogs_layer_info (void)
{
  static const ExpectedInfo expected[] = {
    { "conv2d", CNN_LAYER_CONV2D, 3, { 126, 126, 32 }, 896, 896, 126 * 126 * 32 * 27 },
    { "batch_normalization", CNN_LAYER_BATCH_NORMALIZATION, 3, { 126, 126, 32 }, 128, 64, 0 },
    { "max_pooling2d", CNN_LAYER_MAX_POOLING2D, 3, { 63, 63, 32 }, 0, 0, 0 },
    { "dropout", CNN_LAYER_DROPOUT, 3, { 63, 63, 32 }, 0, 0, 0 },
    { "conv2d_1", CNN_LAYER_CONV2D, 3, { 61, 61, 64 }, 18496, 18496, 61 * 61 * 64 * 288 },
    { "batch_normalization_1", CNN_LAYER_BATCH_NORMALIZATION, 3, { 61, 61, 64 }, 256, 128, 0 },
    { "max_pooling2d_1", CNN_LAYER_MAX_POOLING2D, 3, { 30, 30, 64 }, 0, 0, 0 },
    { "dropout_1", CNN_LAYER_DROPOUT, 3, { 30, 30, 64 }, 0, 0, 0 },
    { "conv2d_2", CNN_LAYER_CONV2D, 3, { 28, 28, 128 }, 73856, 73856, 28 * 28 * 128 * 576 },
    { "batch_normalization_2", CNN_LAYER_BATCH_NORMALIZATION, 3, { 28, 28, 128 }, 512, 256, 0 },
    { "max_pooling2d_2", CNN_LAYER_MAX_POOLING2D, 3, { 14, 14, 128 }, 0, 0, 0 },
    { "dropout_2", CNN_LAYER_DROPOUT, 3, { 14, 14, 128 }, 0, 0, 0 },
    { "flatten", CNN_LAYER_FLATTEN, 1, { 25088, 0, 0 }, 0, 0, 0 },
    { "dense", CNN_LAYER_DENSE, 1, { 512, 0, 0 }, 12845568, 12845568, 25088 * 512 },
    { "batch_normalization_3", CNN_LAYER_BATCH_NORMALIZATION, 1, { 512, 0, 0 }, 2048, 1024, 0 },
    { "dropout_3", CNN_LAYER_DROPOUT, 1, { 512, 0, 0 }, 0, 0, 0 },
    { "dense_1", CNN_LAYER_DENSE, 1, { 2, 0, 0 }, 1026, 1026, 512 * 2 },
  };
  CnnModel *model = build_seed_model (128, 3, 0.25f, 512, 2);

  assert_layer_infos (model, expected, G_N_ELEMENTS (expected));
  g_assert_cmpint (cnn_model_total_macs (model), ==, 152951168);
  cnn_model_free (model);
}

/* Weights are listed in Keras's model.weights order with Keras's names and shapes, and
 * the trainable ones are contiguous at the start of the arena. */
static void
test_weights_order (void)
{
  CnnModel *model = build_seed_model (28, 1, 0.2f, 64, 10);
  const CnnWeight *kernel = cnn_model_weight (model, 0);
  const CnnWeight *moving = cnn_model_find_weight (model, "batch_normalization/moving_mean");
  size_t trainable_count = 0, gradient_count = 0;
  float *arena = cnn_model_trainable_arena (model, &trainable_count);
  float *gradients = cnn_model_gradient_arena (model, &gradient_count);
  size_t offset = 0;

  g_assert_cmpint (cnn_model_n_weights (model), ==, 2 * 5 + 4 * 4);
  g_assert_cmpstr (kernel->name, ==, "conv2d/kernel");
  g_assert_cmpint (kernel->rank, ==, 4);
  g_assert_cmpint (kernel->shape[0], ==, 3);
  g_assert_cmpint (kernel->shape[1], ==, 3);
  g_assert_cmpint (kernel->shape[2], ==, 1);
  g_assert_cmpint (kernel->shape[3], ==, 32);
  g_assert_cmpstr (cnn_model_weight (model, 1)->name, ==, "conv2d/bias");
  g_assert_cmpstr (cnn_model_weight (model, 2)->name, ==, "batch_normalization/gamma");
  g_assert_cmpstr (cnn_model_weight (model, 5)->name, ==,
                   "batch_normalization/moving_variance");
  g_assert_nonnull (moving);
  g_assert_false (moving->trainable);
  g_assert_null (moving->grad);
  g_assert_null (cnn_model_find_weight (model, "dense_2/kernel"));
  g_assert_cmpint (trainable_count, ==, 102154);
  g_assert_cmpint (gradient_count, ==, 102154);
  for (int w = 0; w < cnn_model_n_weights (model); w++)
    {
      const CnnWeight *weight = cnn_model_weight (model, w);
      if (!weight->trainable)
        {
          g_assert_true (weight->data >= arena + trainable_count);
          continue;
        }
      g_assert_true (weight->data == arena + offset);
      g_assert_true (weight->grad == gradients + offset);
      offset += weight->size;
    }
  g_assert_cmpint (offset, ==, trainable_count);
  cnn_model_free (model);
}

/* Not tests of speed (nothing is asserted about time): with -m perf they report the
 * forward + loss + backward throughput of a seed model at its course batch size. */
static void
report_throughput (CnnModel *model, int size, int channels, int batch, int rounds,
                   const char *label)
{
  const size_t sample = (size_t) size * size * channels;
  g_autofree float *x = g_new (float, batch * sample);
  g_autofree int32_t *labels = g_new (int32_t, batch);
  GRand *rand = g_rand_new_with_seed (7);
  int classes = cnn_model_n_outputs (model);
  double loss;

  for (size_t i = 0; i < batch * sample; i++)
    x[i] = (float) g_rand_double (rand);
  for (int i = 0; i < batch; i++)
    labels[i] = g_rand_int_range (rand, 0, classes);
  /* The first pass allocates the batch buffers; time the steady state. */
  g_assert_cmpint (cnn_model_forward (model, x, batch, 1, NULL, NULL), ==, CNN_OK);
  g_test_timer_start ();
  for (int round = 0; round < rounds; round++)
    {
      g_assert_cmpint (cnn_model_forward (model, x, batch, 1, NULL, NULL), ==, CNN_OK);
      g_assert_cmpint (cnn_model_loss (model, CNN_LOSS_SPARSE_CATEGORICAL_CROSSENTROPY,
                                       labels, 1, &loss, NULL, NULL), ==, CNN_OK);
    }
  double seconds = g_test_timer_elapsed ();
  g_test_maximized_result (batch * rounds / seconds, "%s forward+backward: %.0f images/s",
                           label, batch * rounds / seconds);
  g_rand_free (rand);
}

static void
test_fashion_throughput (void)
{
  CnnModel *model = build_seed_model (28, 1, 0.2f, 64, 10);

  report_throughput (model, 28, 1, 200, 10, "Fashion-MNIST, batch 200,");
  cnn_model_free (model);
}

static void
test_dogs_throughput (void)
{
  CnnModel *model = build_seed_model (128, 3, 0.25f, 512, 2);

  report_throughput (model, 128, 3, 15, 20, "Dogs vs. Cats, batch 15,");
  cnn_model_free (model);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/summary/fashion-mnist", test_fashion_summary);
  g_test_add_func ("/engine/summary/dogs-vs-cats", test_dogs_summary);
  g_test_add_func ("/engine/summary/fashion-mnist-layer-info", test_fashion_layer_info);
  g_test_add_func ("/engine/summary/dogs-vs-cats-layer-info", test_dogs_layer_info);
  g_test_add_func ("/engine/summary/weights-order", test_weights_order);
  if (g_test_perf ())
    {
      g_test_add_func ("/engine/perf/fashion-mnist-train-step", test_fashion_throughput);
      g_test_add_func ("/engine/perf/dogs-vs-cats-train-step", test_dogs_throughput);
    }
  return g_test_run ();
}
