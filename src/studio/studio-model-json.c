/* studio-model-json.c — architectures: building models from them, and model JSON files. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n-lib.h>

#include "studio-json-private.h"
#include "studio-model-json-private.h"
#include "studio-model-json.h"

StudioArchitecture *
studio_architecture_new (const char *name,
                         int         height,
                         int         width,
                         int         channels)
{
  StudioArchitecture *architecture = g_new0 (StudioArchitecture, 1);

  architecture->name = g_strdup (name != NULL ? name : "sequential");
  architecture->height = height;
  architecture->width = width;
  architecture->channels = channels;
  architecture->layers = g_array_new (FALSE, TRUE, sizeof (CnnLayerSpec));
  return architecture;
}

void
studio_architecture_free (StudioArchitecture *architecture)
{
  if (architecture == NULL)
    return;
  g_free (architecture->name);
  g_array_unref (architecture->layers);
  g_free (architecture);
}

StudioArchitecture *
studio_architecture_new_from_model (const CnnModel *model)
{
  StudioArchitecture *architecture;
  int height, width, channels;

  g_return_val_if_fail (model != NULL, NULL);

  cnn_model_input_shape (model, &height, &width, &channels);
  architecture = studio_architecture_new ("sequential", height, width, channels);
  for (int i = 0; i < cnn_model_n_layers (model); i++)
    g_array_append_vals (architecture->layers, cnn_model_layer_spec (model, i), 1);
  return architecture;
}

/* The engine's window arithmetic (TensorFlow's): cells a window of `window` covers. */
static guint64
window_output (guint64 size, int window, int stride, CnnPadding padding)
{
  if (window <= 0 || stride <= 0)
    return 0;
  if (padding == CNN_PADDING_SAME)
    return (size + (guint64) stride - 1) / (guint64) stride;
  return size < (guint64) window ? 0 : (size - (guint64) window) / (guint64) stride + 1;
}

static guint64
saturating_product (guint64 a, guint64 b)
{
  guint64 product;

  return g_uint64_checked_mul (&product, a, b) ? product : G_MAXUINT64;
}

guint64
studio_architecture_count_kernel_floats (const StudioArchitecture *architecture)
{
  guint64 height, width, channels, total = 0;
  gboolean flat = FALSE;

  g_return_val_if_fail (architecture != NULL, 0);

  height = (guint64) MAX (architecture->height, 0);
  width = (guint64) MAX (architecture->width, 0);
  channels = (guint64) MAX (architecture->channels, 0);
  for (guint i = 0; i < architecture->layers->len; i++)
    {
      const CnnLayerSpec *spec = &g_array_index (architecture->layers, CnnLayerSpec, i);
      guint64 kernel = 0;

      switch (spec->type)
        {
        case CNN_LAYER_CONV2D:
          if (flat)
            return total; /* the engine refuses it: no further weights to count */
          kernel = saturating_product (saturating_product ((guint64) spec->kernel_size[0],
                                                           (guint64) spec->kernel_size[1]),
                                       saturating_product (channels, (guint64) spec->filters));
          height = window_output (height, spec->kernel_size[0], spec->strides[0],
                                  spec->padding);
          width = window_output (width, spec->kernel_size[1], spec->strides[1], spec->padding);
          channels = (guint64) MAX (spec->filters, 0);
          break;
        case CNN_LAYER_MAX_POOLING2D:
        case CNN_LAYER_AVERAGE_POOLING2D:
          if (flat)
            return total;
          height = window_output (height, spec->pool_size[0],
                                  spec->strides[0] > 0 ? spec->strides[0] : spec->pool_size[0],
                                  spec->padding);
          width = window_output (width, spec->pool_size[1],
                                 spec->strides[1] > 0 ? spec->strides[1] : spec->pool_size[1],
                                 spec->padding);
          break;
        case CNN_LAYER_GLOBAL_AVERAGE_POOLING2D:
          height = width = 1;
          flat = TRUE;
          break;
        case CNN_LAYER_FLATTEN:
          channels = saturating_product (saturating_product (height, width), channels);
          height = width = 1;
          flat = TRUE;
          break;
        case CNN_LAYER_DENSE:
          if (!flat)
            return total; /* Dense on images: counted no further, a lower bound still */
          kernel = saturating_product (channels, (guint64) MAX (spec->units, 0));
          channels = (guint64) MAX (spec->units, 0);
          break;
        case CNN_LAYER_BATCH_NORMALIZATION:
        case CNN_LAYER_DROPOUT:
        case CNN_LAYER_ACTIVATION:
        case CNN_LAYER_RESCALING:
        case CNN_N_LAYER_TYPES:
        default:
          break;
        }
      if (height == 0 || width == 0 || channels == 0)
        return total; /* an impossible shape: the engine refuses the model */
      total = total > G_MAXUINT64 - kernel ? G_MAXUINT64 : total + kernel;
    }
  return total;
}

CnnModel *
studio_architecture_build (const StudioArchitecture  *architecture,
                           guint64                    seed,
                           GError                   **error)
{
  CnnError cnn_error = { 0 };
  CnnModel *model;
  guint64 kernel_floats;

  g_return_val_if_fail (architecture != NULL, NULL);

  /* The engine would allocate and initialise gigabytes before a caller could say no. */
  kernel_floats = studio_architecture_count_kernel_floats (architecture);
  if (kernel_floats > STUDIO_MODEL_MAX_WEIGHTS)
    {
      g_autofree char *count = studio_format_count ((gint64) MIN (kernel_floats, G_MAXINT64));
      g_autofree char *limit = studio_format_count ((gint64) STUDIO_MODEL_MAX_WEIGHTS);

      g_set_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_LIMIT,
                   /* Translators: the model's weight count, then the most ConvStudio can train. */
                   _("Could not build the model: it has at least %s weights, more than the %s "
                     "ConvStudio can train"), count, limit);
      return NULL;
    }
  model = cnn_model_new (architecture->height, architecture->width, architecture->channels,
                         (const CnnLayerSpec *) (gpointer) architecture->layers->data,
                         (int) architecture->layers->len, seed, &cnn_error);
  if (model == NULL)
    studio_set_error_from_cnn (error, &cnn_error, _("Could not build the model: "));
  return model;
}

CnnModel *
studio_model_new_from_json (const char  *json,
                            gssize       length,
                            guint64      seed,
                            GError     **error)
{
  g_autoptr(StudioArchitecture) architecture = NULL;

  architecture = studio_architecture_new_from_json (json, length, error);
  if (architecture == NULL)
    return NULL;
  return studio_architecture_build (architecture, seed, error);
}

CnnModel *
studio_model_new_from_json_file (const char  *path,
                                 guint64      seed,
                                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *display_name = NULL;
  gsize length = 0;
  CnnModel *model;

  g_return_val_if_fail (path != NULL, NULL);

  display_name = g_filename_display_name (path);
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_file_error (local_error->code),
                   "%s", local_error->message);
      return NULL;
    }
  model = studio_model_new_from_json (contents, (gssize) length, seed, &local_error);
  if (model == NULL)
    {
      /* Translators: %s is a file name; the explanation of what is wrong in it follows. */
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), _("“%s”: "),
                                  display_name);
      return NULL;
    }
  return model;
}

char *
studio_model_to_json (const CnnModel *model)
{
  g_autoptr(StudioArchitecture) architecture = NULL;

  g_return_val_if_fail (model != NULL, NULL);

  architecture = studio_architecture_new_from_model (model);
  return studio_architecture_to_json (architecture);
}

/* ---------------------------------------------------------------- writing */

static void
append_pair (GString   *out,
             const int  pair[2])
{
  g_string_append_printf (out, "[%d, %d]", pair[0], pair[1]);
}

static void
append_initializer (GString    *out,
                    const char *key,
                    const char *class_name)
{
  /* Keras 2.12 writes seeded initializers with "seed": null and the others with {}. */
  gboolean seeded = g_str_equal (class_name, "GlorotUniform");

  g_string_append_printf (out, ", \"%s\": {\"class_name\": \"%s\", \"config\": {%s}}",
                          key, class_name, seeded ? "\"seed\": null" : "");
}

static void
append_nulls (GString            *out,
              const char * const *keys)
{
  for (gsize i = 0; keys[i] != NULL; i++)
    g_string_append_printf (out, ", \"%s\": null", keys[i]);
}

static void
append_activation (GString       *out,
                   CnnActivation  activation)
{
  g_string_append (out, ", \"activation\": ");
  studio_json_append_string (out, cnn_activation_name (activation));
}

static const char *
padding_name (CnnPadding padding)
{
  return padding == CNN_PADDING_SAME ? "same" : "valid";
}

static void
append_kernel_layer_tail (GString            *out,
                          const CnnLayerSpec *spec)
{
  static const char * const nulls[] = {
    "kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
    "bias_constraint", NULL
  };

  append_activation (out, spec->activation);
  g_string_append_printf (out, ", \"use_bias\": %s", spec->use_bias ? "true" : "false");
  append_initializer (out, "kernel_initializer", "GlorotUniform");
  append_initializer (out, "bias_initializer", "Zeros");
  append_nulls (out, nulls);
}

static void
append_batch_normalization (GString            *out,
                            const CnnLayerSpec *spec,
                            int                 rank)
{
  static const char * const nulls[] = {
    "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint", NULL
  };

  /* A built layer lists its axis as a positive index: [3] after a Conv2D, [1] after Dense. */
  g_string_append_printf (out, ", \"axis\": [%d], \"momentum\": ", rank - 1);
  studio_json_append_float (out, spec->momentum);
  g_string_append (out, ", \"epsilon\": ");
  studio_json_append_float (out, spec->epsilon);
  g_string_append (out, ", \"center\": true, \"scale\": true");
  append_initializer (out, "beta_initializer", "Zeros");
  append_initializer (out, "gamma_initializer", "Ones");
  append_initializer (out, "moving_mean_initializer", "Zeros");
  append_initializer (out, "moving_variance_initializer", "Ones");
  append_nulls (out, nulls);
}

static void
append_pooling (GString            *out,
                const CnnLayerSpec *spec)
{
  const int *strides = spec->strides[0] > 0 ? spec->strides : spec->pool_size;

  g_string_append (out, ", \"pool_size\": ");
  append_pair (out, spec->pool_size);
  g_string_append_printf (out, ", \"padding\": \"%s\", \"strides\": ",
                          padding_name (spec->padding));
  append_pair (out, strides);
  g_string_append (out, ", \"data_format\": \"channels_last\"");
}

/* The keys after name, trainable, dtype (and batch_input_shape), in Keras 2.12's order. */
static void
append_type_options (GString            *out,
                     const CnnLayerSpec *spec,
                     int                 rank)
{
  switch (spec->type)
    {
    case CNN_LAYER_CONV2D:
      g_string_append_printf (out, ", \"filters\": %d, \"kernel_size\": ", spec->filters);
      append_pair (out, spec->kernel_size);
      g_string_append (out, ", \"strides\": ");
      append_pair (out, spec->strides);
      g_string_append_printf (out, ", \"padding\": \"%s\", \"data_format\": \"channels_last\", "
                              "\"dilation_rate\": [1, 1], \"groups\": 1",
                              padding_name (spec->padding));
      append_kernel_layer_tail (out, spec);
      break;
    case CNN_LAYER_MAX_POOLING2D:
    case CNN_LAYER_AVERAGE_POOLING2D:
      append_pooling (out, spec);
      break;
    case CNN_LAYER_GLOBAL_AVERAGE_POOLING2D:
      g_string_append (out, ", \"data_format\": \"channels_last\", \"keepdims\": false");
      break;
    case CNN_LAYER_BATCH_NORMALIZATION:
      append_batch_normalization (out, spec, rank);
      break;
    case CNN_LAYER_DROPOUT:
      g_string_append (out, ", \"rate\": ");
      studio_json_append_float (out, spec->rate);
      g_string_append (out, ", \"noise_shape\": null, \"seed\": null");
      break;
    case CNN_LAYER_FLATTEN:
      g_string_append (out, ", \"data_format\": \"channels_last\"");
      break;
    case CNN_LAYER_DENSE:
      g_string_append_printf (out, ", \"units\": %d", spec->units);
      append_kernel_layer_tail (out, spec);
      break;
    case CNN_LAYER_ACTIVATION:
      append_activation (out, spec->activation);
      break;
    case CNN_LAYER_RESCALING:
      g_string_append (out, ", \"scale\": ");
      studio_json_append_float (out, spec->scale);
      g_string_append (out, ", \"offset\": ");
      studio_json_append_float (out, spec->offset);
      break;
    case CNN_N_LAYER_TYPES:
    default:
      g_assert_not_reached ();
    }
}

/* Keras names unnamed layers conv2d, conv2d_1, … per class; names the file already uses
 * are skipped so the result stays unique. */
static char **
resolve_names (const StudioArchitecture *architecture)
{
  guint n_layers = architecture->layers->len;
  g_autoptr(GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);
  int counters[CNN_N_LAYER_TYPES] = { 0 };
  char **names = g_new0 (char *, n_layers + 1);

  for (guint i = 0; i < n_layers; i++)
    {
      const CnnLayerSpec *spec = &g_array_index (architecture->layers, CnnLayerSpec, i);

      if (spec->name[0] != '\0')
        g_hash_table_add (taken, (gpointer) spec->name);
    }
  for (guint i = 0; i < n_layers; i++)
    {
      const CnnLayerSpec *spec = &g_array_index (architecture->layers, CnnLayerSpec, i);
      const char *base = cnn_layer_type_base_name (spec->type);

      if (spec->name[0] != '\0')
        {
          names[i] = g_strdup (spec->name);
          continue;
        }
      do
        {
          int count = counters[spec->type]++;

          g_free (names[i]);
          names[i] = count == 0 ? g_strdup (base) : g_strdup_printf ("%s_%d", base, count);
        }
      while (g_hash_table_contains (taken, names[i]));
    }
  return names;
}

static void
append_layer (GString                  *out,
              const StudioArchitecture *architecture,
              const CnnLayerSpec       *spec,
              const char               *name,
              gboolean                  first,
              int                       rank)
{
  g_string_append_printf (out, ", {\"class_name\": \"%s\", \"config\": {\"name\": ",
                          cnn_layer_type_class_name (spec->type));
  studio_json_append_string (out, name);
  g_string_append (out, ", \"trainable\": true, \"dtype\": \"float32\"");
  if (first)
    g_string_append_printf (out, ", \"batch_input_shape\": [null, %d, %d, %d]",
                            architecture->height, architecture->width, architecture->channels);
  append_type_options (out, spec, rank);
  g_string_append (out, "}}");
}

char *
studio_architecture_to_json (const StudioArchitecture *architecture)
{
  g_auto(GStrv) names = NULL;
  g_autofree char *input_name = NULL;
  GString *out;
  int rank = 4;

  g_return_val_if_fail (architecture != NULL, NULL);

  names = resolve_names (architecture);
  /* Sequential names its implicit input after the first layer. */
  input_name = g_strdup_printf ("%s_input", names[0] != NULL ? names[0] : "input");
  out = g_string_new ("{\"class_name\": \"Sequential\", \"config\": {\"name\": ");
  studio_json_append_string (out, architecture->name);
  g_string_append_printf (out, ", \"layers\": [{\"class_name\": \"InputLayer\", \"config\": "
                          "{\"batch_input_shape\": [null, %d, %d, %d], \"dtype\": \"float32\", "
                          "\"sparse\": false, \"ragged\": false, \"name\": ",
                          architecture->height, architecture->width, architecture->channels);
  studio_json_append_string (out, input_name);
  g_string_append (out, "}}");
  for (guint i = 0; i < architecture->layers->len; i++)
    {
      const CnnLayerSpec *spec = &g_array_index (architecture->layers, CnnLayerSpec, i);

      append_layer (out, architecture, spec, names[i], i == 0, rank);
      if (spec->type == CNN_LAYER_FLATTEN || spec->type == CNN_LAYER_GLOBAL_AVERAGE_POOLING2D)
        rank = 2;
    }
  g_string_append (out, "]}, \"keras_version\": \"2.12.0\", \"backend\": \"tensorflow\"}");
  return g_string_free (out, FALSE);
}
