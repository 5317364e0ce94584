/* test-model-json-errors.c — model JSON that ConvStudio must refuse, with useful messages. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include "studio-model-json.h"

#define INPUT_28 "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": " \
                 "[null, 28, 28, 1], \"name\": \"input\"}}, "
#define CONV(extra) "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"conv2d\", " \
                    "\"filters\": 8, \"kernel_size\": [3, 3]" extra "}}"

typedef struct {
  const char *test_name;
  const char *layers;           /* the layer list, wrapped in a Sequential document */
  const char *document;         /* or a whole document */
  StudioModelError code;
  const char *keywords[4];      /* each must appear in the message */
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "not-json", NULL, "{\"class_name\": \"Sequential\", ", STUDIO_MODEL_ERROR_INVALID,
    { "not valid JSON" } },
  { "not-an-object", NULL, "[1, 2, 3]", STUDIO_MODEL_ERROR_INVALID, { "not a Keras model" } },
  { "not-utf8", NULL, "{\"class_name\": \"Seq\xff\xfe\"}", STUDIO_MODEL_ERROR_INVALID,
    { "UTF-8" } },
  { "functional", NULL, "{\"class_name\": \"Functional\", \"config\": {\"layers\": []}}",
    STUDIO_MODEL_ERROR_UNSUPPORTED, { "Functional", "Sequential" } },
  { "unknown-class",
    INPUT_28 "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm\", \"units\": 4}}",
    NULL, STUDIO_MODEL_ERROR_UNSUPPORTED, { "'lstm'", "LSTM", "Supported: Conv2D", "Dense" } },
  { "missing-filters",
    INPUT_28 "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"conv2d\", "
    "\"kernel_size\": [3, 3]}}", NULL, STUDIO_MODEL_ERROR_INVALID,
    { "'conv2d'", "'filters'", "missing" } },
  { "filters-not-a-number",
    INPUT_28 "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"conv2d\", "
    "\"filters\": \"32\", \"kernel_size\": 3}}", NULL, STUDIO_MODEL_ERROR_INVALID,
    { "'filters'", "whole number" } },
  { "channels-first", INPUT_28 CONV (", \"data_format\": \"channels_first\""), NULL,
    STUDIO_MODEL_ERROR_UNSUPPORTED, { "'conv2d'", "channels_first" } },
  { "dilation", INPUT_28 CONV (", \"dilation_rate\": [2, 2]"), NULL,
    STUDIO_MODEL_ERROR_UNSUPPORTED, { "dilation_rate", "[2, 2]" } },
  { "groups", INPUT_28 CONV (", \"groups\": 2"), NULL, STUDIO_MODEL_ERROR_UNSUPPORTED,
    { "groups" } },
  { "activation", INPUT_28 CONV (", \"activation\": \"elu\""), NULL,
    STUDIO_MODEL_ERROR_UNSUPPORTED, { "'elu'", "Supported", "relu", "softmax" } },
  { "causal-padding", INPUT_28 CONV (", \"padding\": \"causal\""), NULL,
    STUDIO_MODEL_ERROR_UNSUPPORTED, { "causal", "valid, same" } },
  { "frozen", INPUT_28 CONV (", \"trainable\": false"), NULL, STUDIO_MODEL_ERROR_UNSUPPORTED,
    { "trainable" } },
  { "float16", INPUT_28 CONV (", \"dtype\": \"mixed_float16\""), NULL,
    STUDIO_MODEL_ERROR_UNSUPPORTED, { "mixed_float16", "float32" } },
  { "regularizer",
    INPUT_28 CONV (", \"kernel_regularizer\": {\"class_name\": \"L2\", \"config\": "
                   "{\"l2\": 0.01}}"), NULL, STUDIO_MODEL_ERROR_UNSUPPORTED,
    { "kernel_regularizer" } },
  { "batch-norm-axis",
    INPUT_28 "{\"class_name\": \"BatchNormalization\", \"config\": {\"name\": \"bn\", "
    "\"axis\": [1]}}", NULL, STUDIO_MODEL_ERROR_UNSUPPORTED, { "'bn'", "axis" } },
  { "dropout-rate",
    INPUT_28 "{\"class_name\": \"Dropout\", \"config\": {\"name\": \"dropout\", "
    "\"rate\": 1.5}}", NULL, STUDIO_MODEL_ERROR_INVALID, { "'dropout'", "'rate'" } },
  { "too-many-filters",
    INPUT_28 "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"conv2d\", "
    "\"filters\": 100000, \"kernel_size\": 3}}", NULL, STUDIO_MODEL_ERROR_LIMIT,
    { "'filters'", "100,000", "65,536" } },
  { "huge-kernel",
    INPUT_28 "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"conv2d\", "
    "\"filters\": 4, \"kernel_size\": [2000, 3]}}", NULL, STUDIO_MODEL_ERROR_LIMIT,
    { "kernel_size", "2000" } },
  { "huge-input",
    "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": "
    "[null, 20000, 28, 1]}}, " CONV (""), NULL, STUDIO_MODEL_ERROR_LIMIT,
    { "input shape", "20000" } },
  { "variable-input",
    "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": "
    "[null, null, null, 3]}}, " CONV (""), NULL, STUDIO_MODEL_ERROR_UNSUPPORTED,
    { "fixed image size" } },
  { "vector-input",
    "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 784]}}, "
    "{\"class_name\": \"Dense\", \"config\": {\"units\": 10}}", NULL,
    STUDIO_MODEL_ERROR_UNSUPPORTED, { "image shape" } },
  { "no-input-shape", CONV (""), NULL, STUDIO_MODEL_ERROR_INVALID, { "no input shape" } },
  { "input-layer-later", CONV ("") ", " INPUT_28 "{\"class_name\": \"Flatten\", \"config\": {}}",
    NULL, STUDIO_MODEL_ERROR_INVALID, { "InputLayer", "first" } },
  { "duplicate-names",
    INPUT_28 "{\"class_name\": \"Flatten\", \"config\": {\"name\": \"same\"}}, "
    "{\"class_name\": \"Dense\", \"config\": {\"name\": \"same\", \"units\": 2}}", NULL,
    STUDIO_MODEL_ERROR_INVALID, { "'same'", "same name" } },
  { "slash-in-name",
    INPUT_28 "{\"class_name\": \"Flatten\", \"config\": {\"name\": \"a/b\"}}", NULL,
    STUDIO_MODEL_ERROR_INVALID, { "'a/b'", "'/'" } },
  { "layer-not-object", INPUT_28 "42", NULL, STUDIO_MODEL_ERROR_INVALID, { "Layer 2" } },
  { "no-layers", "", NULL, STUDIO_MODEL_ERROR_INVALID, { "no layers" } },
  { "conv-on-1x1",
    "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 1, 1, 1]}}, "
    "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"tiny_conv\", \"filters\": 4, "
    "\"kernel_size\": [3, 3]}}", NULL, STUDIO_MODEL_ERROR_SHAPE, { "tiny_conv" } },
};

static char *
wrap_layers (const char *layers)
{
  return g_strdup_printf ("{\"class_name\": \"Sequential\", \"config\": {\"name\": "
                          "\"sequential\", \"layers\": [%s]}, \"keras_version\": \"2.12.0\"}",
                          layers);
}

static void
assert_refused (const char       *document,
                StudioModelError  code,
                const char *const *keywords)
{
  g_autoptr(GError) error = NULL;
  CnnModel *model = studio_model_new_from_json (document, -1, 1, &error);

  g_assert_null (model);
  g_assert_error (error, STUDIO_MODEL_ERROR, (gint) code);
  for (guint k = 0; k < 4 && keywords[k] != NULL; k++)
    if (strstr (error->message, keywords[k]) == NULL)
      g_error ("message “%s” lacks “%s”", error->message, keywords[k]);
  g_test_message ("refused: %s", error->message);
}

static void
test_error_case (gconstpointer data)
{
  const ErrorCase *error_case = data;
  g_autofree char *document = NULL;

  document = error_case->document != NULL ? g_strdup (error_case->document)
                                          : wrap_layers (error_case->layers);
  assert_refused (document, error_case->code, error_case->keywords);
}

static void
test_too_many_layers (void)
{
  g_autoptr(GString) layers = g_string_new (INPUT_28);
  g_autofree char *document = NULL;
  static const char * const keywords[] = { "10,000", "1,000", NULL, NULL };

  for (int i = 0; i < 10000; i++)
    g_string_append_printf (layers, "%s{\"class_name\": \"Activation\", \"config\": "
                            "{\"activation\": \"relu\"}}", i > 0 ? ", " : "");
  document = wrap_layers (layers->str);
  assert_refused (document, STUDIO_MODEL_ERROR_LIMIT, keywords);
}

static void
test_deep_nesting (void)
{
  g_autoptr(GString) document = g_string_new ("{\"class_name\": \"Sequential\", \"x\": ");
  static const char * const keywords[] = { "levels", NULL, NULL, NULL };

  for (int i = 0; i < 100000; i++)
    g_string_append_c (document, '[');
  assert_refused (document->str, STUDIO_MODEL_ERROR_LIMIT, keywords);
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  CnnModel *model = studio_model_new_from_json_file ("/nonexistent/model.json", 1, &error);

  g_assert_null (model);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/studio/model-json/refuses/%s",
                                               error_cases[i].test_name);

      g_test_add_data_func (path, &error_cases[i], test_error_case);
    }
  g_test_add_func ("/studio/model-json/refuses/too-many-layers", test_too_many_layers);
  g_test_add_func ("/studio/model-json/refuses/deep-nesting", test_deep_nesting);
  g_test_add_func ("/studio/model-json/refuses/missing-file", test_missing_file);
  return g_test_run ();
}
