/* test-model-json.c — Keras model JSON: seed models, real files, round trips, bad input. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include "studio-json-private.h"
#include "studio-model-json.h"

static void
add_layer (StudioArchitecture *architecture,
           CnnLayerType        type,
           void              (*configure) (CnnLayerSpec *spec, int value),
           int                 value)
{
  CnnLayerSpec spec;

  memset (&spec, 0, sizeof spec);
  cnn_layer_spec_init (&spec, type);
  if (configure != NULL)
    configure (&spec, value);
  g_array_append_val (architecture->layers, spec);
}

static void
set_conv (CnnLayerSpec *spec,
          int           filters)
{
  spec->filters = filters;
  spec->kernel_size[0] = spec->kernel_size[1] = 3;
  spec->activation = CNN_ACTIVATION_RELU;
}

static void
set_dense_relu (CnnLayerSpec *spec,
                int           units)
{
  spec->units = units;
  spec->activation = CNN_ACTIVATION_RELU;
}

static void
set_dense_softmax (CnnLayerSpec *spec,
                   int           units)
{
  spec->units = units;
  spec->activation = CNN_ACTIVATION_SOFTMAX;
}

/* Rates in percent keep the table of calls integer. */
static void
set_dropout (CnnLayerSpec *spec,
             int           percent)
{
  spec->rate = (float) percent / 100.0f;
}

/* DESIGN.md's seed model: three Conv2D blocks, then Dense, BatchNormalization, Dropout. */
static StudioArchitecture *
seed_architecture (int side,
                   int channels,
                   int block_dropout,
                   int dense_units,
                   int n_classes)
{
  StudioArchitecture *architecture = studio_architecture_new ("sequential", side, side,
                                                              channels);
  static const int filters[] = { 32, 64, 128 };

  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    {
      add_layer (architecture, CNN_LAYER_CONV2D, set_conv, filters[i]);
      add_layer (architecture, CNN_LAYER_BATCH_NORMALIZATION, NULL, 0);
      add_layer (architecture, CNN_LAYER_MAX_POOLING2D, NULL, 0);
      add_layer (architecture, CNN_LAYER_DROPOUT, set_dropout, block_dropout);
    }
  add_layer (architecture, CNN_LAYER_FLATTEN, NULL, 0);
  add_layer (architecture, CNN_LAYER_DENSE, set_dense_relu, dense_units);
  add_layer (architecture, CNN_LAYER_BATCH_NORMALIZATION, NULL, 0);
  add_layer (architecture, CNN_LAYER_DROPOUT, set_dropout, 50);
  add_layer (architecture, CNN_LAYER_DENSE, set_dense_softmax, n_classes);
  return architecture;
}

static char *
read_seed_file (const char *name)
{
  g_autofree char *path = g_build_filename (SOURCE_DATADIR, "models", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
check_seed_model (const char *file_name,
                  gint64      total_params,
                  gint64      non_trainable_params,
                  int         side,
                  int         channels)
{
  g_autofree char *path = g_build_filename (SOURCE_DATADIR, "models", file_name, NULL);
  g_autoptr(GError) error = NULL;
  static const char * const names[] = {
    "conv2d", "batch_normalization", "max_pooling2d", "dropout",
    "conv2d_1", "batch_normalization_1", "max_pooling2d_1", "dropout_1",
    "conv2d_2", "batch_normalization_2", "max_pooling2d_2", "dropout_2",
    "flatten", "dense", "batch_normalization_3", "dropout_3", "dense_1",
  };
  CnnModel *model;
  int height, width, input_channels;

  model = studio_model_new_from_json_file (path, 42, &error);
  g_assert_no_error (error);
  g_assert_nonnull (model);
  g_assert_cmpint (cnn_model_total_params (model), ==, total_params);
  g_assert_cmpint (cnn_model_total_params (model) - cnn_model_trainable_params (model), ==,
                   non_trainable_params);
  cnn_model_input_shape (model, &height, &width, &input_channels);
  g_assert_cmpint (height, ==, side);
  g_assert_cmpint (width, ==, side);
  g_assert_cmpint (input_channels, ==, channels);
  g_assert_cmpint (cnn_model_n_layers (model), ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpstr (cnn_model_layer_spec (model, (int) i)->name, ==, names[i]);
  cnn_model_free (model);
}

static void
test_seed_fashion_mnist (void)
{
  check_seed_model ("fashion-mnist.json", 102730, 576, 28, 1);
}

static void
test_seed_dogs_vs_cats (void)
{
  check_seed_model ("dogs-vs-cats.json", 12942786, 1472, 128, 3);
}

/* The seed files are exactly what the writer produces for DESIGN.md's models. */
static void
test_seed_files_match_writer (void)
{
  g_autoptr(StudioArchitecture) fashion = seed_architecture (28, 1, 20, 64, 10);
  g_autoptr(StudioArchitecture) dogs = seed_architecture (128, 3, 25, 512, 2);
  g_autofree char *fashion_json = studio_architecture_to_json (fashion);
  g_autofree char *dogs_json = studio_architecture_to_json (dogs);
  g_autofree char *fashion_file = read_seed_file ("fashion-mnist.json");
  g_autofree char *dogs_file = read_seed_file ("dogs-vs-cats.json");

  g_assert_cmpstr (g_strchomp (fashion_file), ==, fashion_json);
  g_assert_cmpstr (g_strchomp (dogs_file), ==, dogs_json);
}

/* What tf.keras 2.4 wrote: no InputLayer, batch_input_shape on the first layer, the
 * VarianceScaling spelling of glorot_uniform, BatchNormalization axis -1 and [1]. */
static const char tf_keras_24_json[] =
  "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"sequential_3\", \"layers\": ["
  "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"conv2d_7\", \"trainable\": true, "
  "\"batch_input_shape\": [null, 28, 28, 1], \"dtype\": \"float32\", \"filters\": 16, "
  "\"kernel_size\": [5, 3], \"strides\": [2, 1], \"padding\": \"same\", \"data_format\": "
  "\"channels_last\", \"dilation_rate\": [1, 1], \"activation\": \"tanh\", \"use_bias\": "
  "false, \"kernel_initializer\": {\"class_name\": \"VarianceScaling\", \"config\": "
  "{\"scale\": 1.0, \"mode\": \"fan_avg\", \"distribution\": \"uniform\", \"seed\": null}}, "
  "\"bias_initializer\": {\"class_name\": \"Zeros\", \"config\": {}}, \"kernel_regularizer\": "
  "null, \"bias_regularizer\": null, \"activity_regularizer\": null, \"kernel_constraint\": "
  "null, \"bias_constraint\": null}}, "
  "{\"class_name\": \"BatchNormalization\", \"config\": {\"name\": \"batch_normalization_4\", "
  "\"trainable\": true, \"dtype\": \"float32\", \"axis\": -1, \"momentum\": 0.9, \"epsilon\": "
  "1e-05, \"center\": true, \"scale\": true, \"beta_initializer\": {\"class_name\": \"Zeros\", "
  "\"config\": {}}, \"gamma_initializer\": {\"class_name\": \"Ones\", \"config\": {}}, "
  "\"moving_mean_initializer\": {\"class_name\": \"Zeros\", \"config\": {}}, "
  "\"moving_variance_initializer\": {\"class_name\": \"Ones\", \"config\": {}}, "
  "\"beta_regularizer\": null, \"gamma_regularizer\": null, \"beta_constraint\": null, "
  "\"gamma_constraint\": null}}, "
  "{\"class_name\": \"AveragePooling2D\", \"config\": {\"name\": \"average_pooling2d\", "
  "\"trainable\": true, \"dtype\": \"float32\", \"pool_size\": [3, 3], \"padding\": \"valid\", "
  "\"strides\": null, \"data_format\": \"channels_last\"}}, "
  "{\"class_name\": \"Activation\", \"config\": {\"name\": \"activation\", \"trainable\": true, "
  "\"dtype\": \"float32\", \"activation\": \"sigmoid\"}}, "
  "{\"class_name\": \"GlobalAveragePooling2D\", \"config\": {\"name\": "
  "\"global_average_pooling2d\", \"trainable\": true, \"dtype\": \"float32\", \"data_format\": "
  "\"channels_last\"}}, "
  "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense_9\", \"trainable\": true, "
  "\"dtype\": \"float32\", \"units\": 10, \"activation\": \"linear\", \"use_bias\": true, "
  "\"kernel_initializer\": {\"class_name\": \"GlorotUniform\", \"config\": {\"seed\": null}}, "
  "\"bias_initializer\": {\"class_name\": \"Zeros\", \"config\": {}}, \"kernel_regularizer\": "
  "null, \"bias_regularizer\": null, \"activity_regularizer\": null, \"kernel_constraint\": "
  "null, \"bias_constraint\": null}}, "
  "{\"class_name\": \"BatchNormalization\", \"config\": {\"name\": \"batch_normalization_5\", "
  "\"trainable\": true, \"dtype\": \"float32\", \"axis\": [1], \"momentum\": 0.99, "
  "\"epsilon\": 0.001, \"center\": true, \"scale\": true}}, "
  "{\"class_name\": \"Activation\", \"config\": {\"name\": \"activation_1\", \"trainable\": "
  "true, \"dtype\": \"float32\", \"activation\": \"softmax\"}}]}, "
  "\"keras_version\": \"2.4.0\", \"backend\": \"tensorflow\"}";

static void
test_tf_keras_24 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StudioArchitecture) architecture = NULL;
  const CnnLayerSpec *conv, *batch_norm, *pool, *dense;
  CnnModel *model;

  architecture = studio_architecture_new_from_json (tf_keras_24_json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (architecture->name, ==, "sequential_3");
  g_assert_cmpint (architecture->height, ==, 28);
  g_assert_cmpint (architecture->channels, ==, 1);
  g_assert_cmpuint (architecture->layers->len, ==, 8);

  conv = &g_array_index (architecture->layers, CnnLayerSpec, 0);
  g_assert_cmpint (conv->type, ==, CNN_LAYER_CONV2D);
  g_assert_cmpstr (conv->name, ==, "conv2d_7");
  g_assert_cmpint (conv->filters, ==, 16);
  g_assert_cmpint (conv->kernel_size[0], ==, 5);
  g_assert_cmpint (conv->kernel_size[1], ==, 3);
  g_assert_cmpint (conv->strides[0], ==, 2);
  g_assert_cmpint (conv->padding, ==, CNN_PADDING_SAME);
  g_assert_cmpint (conv->activation, ==, CNN_ACTIVATION_TANH);
  g_assert_cmpint (conv->use_bias, ==, 0);
  batch_norm = &g_array_index (architecture->layers, CnnLayerSpec, 1);
  g_assert_cmpfloat (batch_norm->momentum, ==, 0.9f);
  g_assert_cmpfloat (batch_norm->epsilon, ==, 1e-5f);
  pool = &g_array_index (architecture->layers, CnnLayerSpec, 2);
  g_assert_cmpint (pool->type, ==, CNN_LAYER_AVERAGE_POOLING2D);
  g_assert_cmpint (pool->pool_size[0], ==, 3);
  dense = &g_array_index (architecture->layers, CnnLayerSpec, 5);
  g_assert_cmpint (dense->units, ==, 10);
  g_assert_cmpint (dense->activation, ==, CNN_ACTIVATION_LINEAR);

  model = studio_architecture_build (architecture, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cnn_model_n_outputs (model), ==, 10);
  cnn_model_free (model);
}

/* file → specs → JSON → specs gives the same specs, and the JSON is stable. */
static void
test_round_trip (void)
{
  const char *documents[] = { tf_keras_24_json, NULL, NULL };
  g_autofree char *fashion = read_seed_file ("fashion-mnist.json");
  g_autofree char *dogs = read_seed_file ("dogs-vs-cats.json");

  documents[1] = fashion;
  documents[2] = dogs;
  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(StudioArchitecture) first = NULL;
      g_autoptr(StudioArchitecture) second = NULL;
      g_autofree char *first_json = NULL;
      g_autofree char *second_json = NULL;

      first = studio_architecture_new_from_json (documents[i], -1, &error);
      g_assert_no_error (error);
      first_json = studio_architecture_to_json (first);
      second = studio_architecture_new_from_json (first_json, -1, &error);
      g_assert_no_error (error);
      second_json = studio_architecture_to_json (second);

      g_assert_cmpstr (first->name, ==, second->name);
      g_assert_cmpint (first->height, ==, second->height);
      g_assert_cmpint (first->width, ==, second->width);
      g_assert_cmpint (first->channels, ==, second->channels);
      g_assert_cmpuint (first->layers->len, ==, second->layers->len);
      g_assert_cmpmem (first->layers->data, first->layers->len * sizeof (CnnLayerSpec),
                       second->layers->data, second->layers->len * sizeof (CnnLayerSpec));
      g_assert_cmpstr (first_json, ==, second_json);
    }
}

/* A built model writes the same JSON as the architecture it came from. */
static void
test_model_to_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StudioArchitecture) architecture = seed_architecture (28, 1, 20, 64, 10);
  g_autofree char *expected = studio_architecture_to_json (architecture);
  g_autofree char *written = NULL;
  CnnModel *model;

  model = studio_architecture_build (architecture, 7, &error);
  g_assert_no_error (error);
  written = studio_model_to_json (model);
  g_assert_cmpstr (written, ==, expected);
  cnn_model_free (model);
}

static void
test_number_format (void)
{
  static const struct {
    float value;
    const char *text;
  } floats[] = {
    { 0.2f, "0.2" }, { 0.99f, "0.99" }, { 0.001f, "0.001" }, { 1e-7f, "1e-07" },
    { 0.0f, "0.0" }, { 2.0f, "2.0" }, { 1.0f / 255.0f, "0.003921569" }, { -0.5f, "-0.5" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (floats); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      studio_json_append_float (out, floats[i].value);
      g_assert_cmpstr (out->str, ==, floats[i].text);
    }
  {
    g_autoptr(GString) out = g_string_new (NULL);

    studio_json_append_double (out, 0.1);
    g_string_append_c (out, ' ');
    studio_json_append_double (out, 1.0 / 3.0);
    g_string_append_c (out, ' ');
    studio_json_append_double (out, -1.0 / 0.0);
    g_assert_cmpstr (out->str, ==, "0.1 0.3333333333333333 \"-inf\"");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/studio/model-json/seed/fashion-mnist", test_seed_fashion_mnist);
  g_test_add_func ("/studio/model-json/seed/dogs-vs-cats", test_seed_dogs_vs_cats);
  g_test_add_func ("/studio/model-json/seed/files-match-writer", test_seed_files_match_writer);
  g_test_add_func ("/studio/model-json/tf-keras-2.4", test_tf_keras_24);
  g_test_add_func ("/studio/model-json/round-trip", test_round_trip);
  g_test_add_func ("/studio/model-json/model-to-json", test_model_to_json);
  g_test_add_func ("/studio/model-json/number-format", test_number_format);
  return g_test_run ();
}
