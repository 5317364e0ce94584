/* studio-model-json-read.c — Keras Sequential model JSON read into an architecture. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "studio-json-private.h"
#include "studio-model-json-private.h"
#include "studio-model-json.h"

#define MAX_UNITS STUDIO_MODEL_MAX_UNITS
#define MAX_WINDOW STUDIO_MODEL_MAX_WINDOW
#define MAX_JSON_BYTES STUDIO_MODEL_MAX_JSON_BYTES

static gboolean
read_conv2d (const StudioLayerContext  *layer,
             CnnLayerSpec              *spec,
             GError                   **error)
{
  static const char * const unset[] = {
    "kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint", NULL
  };
  int dilation[2] = { 1, 1 };
  int groups = 1;

  if (!studio_layer_read_int (layer, "filters", TRUE, 1, MAX_UNITS, &spec->filters, error)
      || !studio_layer_read_pair (layer, "kernel_size", TRUE, 1, MAX_WINDOW, spec->kernel_size,
                                  error)
      || !studio_layer_read_pair (layer, "strides", FALSE, 1, MAX_WINDOW, spec->strides, error)
      || !studio_layer_read_padding (layer, &spec->padding, error)
      || !studio_layer_check_data_format (layer, error)
      || !studio_layer_read_pair (layer, "dilation_rate", FALSE, 1, MAX_WINDOW, dilation, error)
      || !studio_layer_read_int (layer, "groups", FALSE, 1, MAX_UNITS, &groups, error)
      || !studio_layer_read_activation (layer, FALSE, &spec->activation, error)
      || !studio_layer_read_use_bias (layer, spec, error)
      || !studio_layer_check_unset (layer, unset, error))
    return FALSE;
  if (dilation[0] != 1 || dilation[1] != 1)
    {
      studio_layer_set_error (error, STUDIO_MODEL_ERROR_UNSUPPORTED, layer,
                              _("dilation_rate [%d, %d] is not supported (only [1, 1])"),
                              dilation[0], dilation[1]);
      return FALSE;
    }
  if (groups != 1)
    {
      studio_layer_set_error (error, STUDIO_MODEL_ERROR_UNSUPPORTED, layer,
                              _("groups %d is not supported (only 1)"), groups);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_dense (const StudioLayerContext  *layer,
            CnnLayerSpec              *spec,
            GError                   **error)
{
  static const char * const unset[] = {
    "kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint", NULL
  };

  return studio_layer_read_int (layer, "units", TRUE, 1, MAX_UNITS, &spec->units, error)
         && studio_layer_read_activation (layer, FALSE, &spec->activation, error)
         && studio_layer_read_use_bias (layer, spec, error)
         && studio_layer_check_unset (layer, unset, error);
}

static gboolean
read_pooling (const StudioLayerContext  *layer,
              CnnLayerSpec              *spec,
              GError                   **error)
{
  if (!studio_layer_read_pair (layer, "pool_size", FALSE, 1, MAX_WINDOW, spec->pool_size, error))
    return FALSE;
  /* Keras turns strides null into the pool size, and writes that back. */
  spec->strides[0] = spec->pool_size[0];
  spec->strides[1] = spec->pool_size[1];
  return studio_layer_read_pair (layer, "strides", FALSE, 1, MAX_WINDOW, spec->strides, error)
         && studio_layer_read_padding (layer, &spec->padding, error)
         && studio_layer_check_data_format (layer, error);
}

/* The normalised axis must be the channels, the last one; Keras writes -1 before the layer
 * is built and the positive index, in a list, after. */
static gboolean
check_batch_norm_axis (const StudioLayerContext  *layer,
                       const StudioShapeState          *shape,
                       GError                   **error)
{
  JsonNode *node = json_object_get_member (layer->config, "axis");
  JsonArray *list = studio_json_get_array (layer->config, "axis");
  gint64 axis = -1;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (list != NULL)
    node = json_array_get_length (list) == 1 ? json_array_get_element (list, 0) : NULL;
  if (!studio_json_node_get_int64 (node, &axis))
    {
      studio_layer_set_error (error, STUDIO_MODEL_ERROR_UNSUPPORTED, layer,
                              _("'axis' must be -1 or %d, the channels axis"), shape->rank - 1);
      return FALSE;
    }
  if (axis != -1 && axis != shape->rank - 1)
    {
      studio_layer_set_error (error, STUDIO_MODEL_ERROR_UNSUPPORTED, layer,
                              _("axis %lld is not supported; ConvStudio normalises the "
                                "channels axis (-1 or %d)"), (long long) axis, shape->rank - 1);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_batch_normalization (const StudioLayerContext  *layer,
                          const StudioShapeState          *shape,
                          CnnLayerSpec              *spec,
                          GError                   **error)
{
  static const char * const unset[] = {
    "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint",
    "virtual_batch_size", "adjustment", NULL
  };

  return check_batch_norm_axis (layer, shape, error)
         && studio_layer_read_float (layer, "momentum", FALSE, &spec->momentum, error)
         && studio_layer_read_float (layer, "epsilon", FALSE, &spec->epsilon, error)
         && studio_layer_check_boolean (layer, "center", TRUE, error)
         && studio_layer_check_boolean (layer, "scale", TRUE, error)
         && studio_layer_check_boolean (layer, "renorm", FALSE, error)
         && studio_layer_check_unset (layer, unset, error);
}

static gboolean
read_dropout (const StudioLayerContext  *layer,
              CnnLayerSpec              *spec,
              GError                   **error)
{
  static const char * const unset[] = { "noise_shape", NULL };

  if (!studio_layer_read_float (layer, "rate", TRUE, &spec->rate, error)
      || !studio_layer_check_unset (layer, unset, error))
    return FALSE;
  if (spec->rate < 0.0f || spec->rate >= 1.0f)
    {
      studio_layer_set_error (error, STUDIO_MODEL_ERROR_INVALID, layer,
                              _("'rate' must be at least 0 and below 1"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_layer_options (const StudioLayerContext  *layer,
                    const StudioShapeState          *shape,
                    CnnLayerSpec              *spec,
                    GError                   **error)
{
  switch (spec->type)
    {
    case CNN_LAYER_CONV2D:
      return read_conv2d (layer, spec, error);
    case CNN_LAYER_MAX_POOLING2D:
    case CNN_LAYER_AVERAGE_POOLING2D:
      return read_pooling (layer, spec, error);
    case CNN_LAYER_GLOBAL_AVERAGE_POOLING2D:
      return studio_layer_check_data_format (layer, error)
             && studio_layer_check_boolean (layer, "keepdims", FALSE, error);
    case CNN_LAYER_BATCH_NORMALIZATION:
      return read_batch_normalization (layer, shape, spec, error);
    case CNN_LAYER_DROPOUT:
      return read_dropout (layer, spec, error);
    case CNN_LAYER_FLATTEN:
      return studio_layer_check_data_format (layer, error);
    case CNN_LAYER_DENSE:
      return read_dense (layer, spec, error);
    case CNN_LAYER_ACTIVATION:
      return studio_layer_read_activation (layer, TRUE, &spec->activation, error);
    case CNN_LAYER_RESCALING:
      return studio_layer_read_float (layer, "scale", TRUE, &spec->scale, error)
             && studio_layer_read_float (layer, "offset", FALSE, &spec->offset, error);
    case CNN_N_LAYER_TYPES:
    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

/* Names become weight names ("conv2d/kernel"), so a '/' or a control character in one
 * would make the model file ambiguous. */
static gboolean
read_layer_name (StudioLayerContext  *layer,
                 GHashTable          *names_seen,
                 CnnLayerSpec        *spec,
                 GError             **error)
{
  const char *name;

  if (!studio_layer_has_option (layer->config, "name"))
    return TRUE;
  name = studio_json_get_string (layer->config, "name");
  if (name == NULL)
    {
      studio_layer_set_error (error, STUDIO_MODEL_ERROR_INVALID, layer,
                              _("'name' must be a string"));
      return FALSE;
    }
  if (strlen (name) >= CNN_NAME_MAX)
    {
      studio_layer_set_error (error, STUDIO_MODEL_ERROR_LIMIT, layer,
                              _("the name is longer than %d bytes"), CNN_NAME_MAX - 1);
      return FALSE;
    }
  for (const char *p = name; *p != '\0'; p++)
    if (*p == '/' || (guchar) *p < 0x20)
      {
        studio_layer_set_error (error, STUDIO_MODEL_ERROR_INVALID, layer,
                                _("the name '%s' holds a '/' or a control character"), name);
        return FALSE;
      }
  layer->name = name;
  if (name[0] != '\0' && !g_hash_table_add (names_seen, (gpointer) name))
    {
      studio_layer_set_error (error, STUDIO_MODEL_ERROR_INVALID, layer,
                              _("another layer has the same name; Keras layer names are unique"));
      return FALSE;
    }
  g_strlcpy (spec->name, name, sizeof spec->name);
  return TRUE;
}

/* [null, h, w, c] (with_batch) or [h, w, c]. */
static gboolean
read_input_shape (JsonArray   *dims,
                  gboolean     with_batch,
                  const char  *where,
                  StudioShapeState  *shape,
                  GError     **error)
{
  guint offset = with_batch ? 1 : 0;
  gint64 sides[3];
  static const gint64 maxima[3] = {
    STUDIO_MODEL_MAX_INPUT_SIDE, STUDIO_MODEL_MAX_INPUT_SIDE, STUDIO_MODEL_MAX_CHANNELS
  };

  if (json_array_get_length (dims) != offset + 3)
    {
      g_set_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_UNSUPPORTED,
                   /* Translators: %s is where the shape is: “the InputLayer”, “the first layer”
                    * or build_input_shape (a Keras key, not translated). */
                   _("The input shape in %s is not an image shape (height, width, channels); "
                     "ConvStudio builds image classifiers"), where);
      return FALSE;
    }
  for (guint i = 0; i < 3; i++)
    if (!studio_json_node_get_int64 (json_array_get_element (dims, offset + i), &sides[i]))
      {
        g_set_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_UNSUPPORTED,
                     /* Translators: %s is where the shape is, e.g. “the InputLayer”. */
                     _("The input shape in %s has a size that is not a whole number; "
                       "ConvStudio needs a fixed image size"), where);
        return FALSE;
      }
  for (guint i = 0; i < 3; i++)
    if (sides[i] < 1 || sides[i] > maxima[i])
      {
        g_set_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_LIMIT,
                     /* Translators: the first %s is where the shape is, e.g. “the InputLayer”;
                      * then come the height, width and channels it gives, and the largest side
                      * and channel count. */
                     _("The input shape in %s is (%lld, %lld, %lld); ConvStudio accepts sides "
                       "of 1 to %d and 1 to %d channels"), where, (long long) sides[0],
                     (long long) sides[1], (long long) sides[2],
                     STUDIO_MODEL_MAX_INPUT_SIDE, STUDIO_MODEL_MAX_CHANNELS);
        return FALSE;
      }
  shape->have_input_shape = TRUE;
  shape->height = (int) sides[0];
  shape->width = (int) sides[1];
  shape->channels = (int) sides[2];
  return TRUE;
}

/* The InputLayer (batch_input_shape, or Keras 3's batch_shape). */
static gboolean
read_input_layer (const StudioLayerContext  *layer,
                  StudioShapeState                *shape,
                  GError                   **error)
{
  JsonArray *dims = studio_json_get_array (layer->config, "batch_input_shape");

  if (layer->position != 1)
    {
      studio_layer_set_error (error, STUDIO_MODEL_ERROR_INVALID, layer,
                              _("an InputLayer can only come first in a Sequential model"));
      return FALSE;
    }
  if (dims == NULL)
    dims = studio_json_get_array (layer->config, "batch_shape");
  if (dims == NULL)
    {
      studio_layer_set_error (error, STUDIO_MODEL_ERROR_INVALID, layer,
                              _("'batch_input_shape' is missing"));
      return FALSE;
    }
  return studio_layer_check_boolean (layer, "sparse", FALSE, error)
         && studio_layer_check_boolean (layer, "ragged", FALSE, error)
         && studio_layer_check_common (layer, error)
         /* Translators: completes “The input shape in %s …”. */
         && read_input_shape (dims, TRUE, _("the InputLayer"), shape, error);
}

/* Older files (and tf.keras 2.4 without an InputLayer) put the shape on the first layer. */
static gboolean
read_first_layer_shape (const StudioLayerContext  *layer,
                        StudioShapeState                *shape,
                        GError                   **error)
{
  JsonArray *dims = studio_json_get_array (layer->config, "batch_input_shape");
  /* Translators: completes “The input shape in %s …”. */
  const char *where = _("the first layer");

  if (dims != NULL)
    return read_input_shape (dims, TRUE, where, shape, error);
  dims = studio_json_get_array (layer->config, "input_shape");
  if (dims != NULL)
    return read_input_shape (dims, FALSE, where, shape, error);
  return TRUE;
}

static void
track_rank (StudioShapeState         *shape,
            const CnnLayerSpec *spec)
{
  if (spec->type == CNN_LAYER_FLATTEN || spec->type == CNN_LAYER_GLOBAL_AVERAGE_POOLING2D)
    shape->rank = 2;
}

static gboolean
read_layer (JsonNode            *node,
            int                  position,
            StudioShapeState          *shape,
            GHashTable          *names_seen,
            StudioArchitecture  *architecture,
            GError             **error)
{
  StudioLayerContext layer = { .position = position };
  JsonObject *object = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
                       ? json_node_get_object (node) : NULL;
  CnnLayerSpec spec;
  CnnLayerType type;

  if (object != NULL)
    layer.class_name = studio_json_get_string (object, "class_name");
  if (object != NULL)
    layer.config = studio_json_get_object (object, "config");
  if (layer.class_name == NULL || layer.config == NULL)
    {
      g_set_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_INVALID,
                   _("Layer %d is not a Keras layer (an object with class_name and config)"),
                   position);
      return FALSE;
    }
  if (g_str_equal (layer.class_name, "InputLayer"))
    return read_input_layer (&layer, shape, error);

  memset (&spec, 0, sizeof spec);
  if (!cnn_layer_type_from_class_name (layer.class_name, &type))
    {
      g_autofree char *supported = studio_layer_supported_classes ();
      const char *name = studio_json_get_string (layer.config, "name");

      g_set_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_UNSUPPORTED,
                   /* Translators: the layer's name, its Keras class and the list of supported
                    * classes. */
                   _("Layer '%s' has class %s, which ConvStudio does not support. Supported: %s"),
                   name != NULL ? name : "?", layer.class_name, supported);
      return FALSE;
    }
  cnn_layer_spec_init (&spec, type);
  if (!read_layer_name (&layer, names_seen, &spec, error)
      || !studio_layer_check_common (&layer, error)
      || (!shape->have_input_shape && !read_first_layer_shape (&layer, shape, error))
      || !read_layer_options (&layer, shape, &spec, error))
    return FALSE;
  track_rank (shape, &spec);
  g_array_append_val (architecture->layers, spec);
  return TRUE;
}

/* tf.keras writes {"name": …, "layers": […]}; Keras before 2.2 wrote the list alone. */
static JsonArray *
find_layer_list (JsonObject  *root,
                 const char **model_name,
                 JsonObject **config,
                 GError     **error)
{
  const char *class_name = studio_json_get_string (root, "class_name");
  JsonNode *config_node = json_object_get_member (root, "config");
  JsonArray *layers = NULL;

  *config = NULL;
  if (class_name == NULL || config_node == NULL)
    {
      g_set_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_INVALID,
                   _("The JSON is not a Keras model (it has no class_name and config)"));
      return NULL;
    }
  if (!g_str_equal (class_name, "Sequential"))
    {
      g_set_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_UNSUPPORTED,
                   /* Translators: %s is the Keras model class, e.g. Functional. */
                   _("The JSON holds a %s model; ConvStudio reads Sequential models only"),
                   class_name);
      return NULL;
    }
  if (JSON_NODE_HOLDS_ARRAY (config_node))
    layers = json_node_get_array (config_node);
  else if (JSON_NODE_HOLDS_OBJECT (config_node))
    {
      *config = json_node_get_object (config_node);
      *model_name = studio_json_get_string (*config, "name");
      layers = studio_json_get_array (*config, "layers");
    }
  if (layers == NULL)
    g_set_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_INVALID,
                 _("The Sequential model JSON has no list of layers"));
  return layers;
}

/* Counts as Keras's model.layers does: an InputLayer entry is not a layer. */
static gboolean
check_layer_count (JsonArray  *layers,
                   GError    **error)
{
  guint n_layers = json_array_get_length (layers);
  JsonNode *first = n_layers > 0 ? json_array_get_element (layers, 0) : NULL;
  const char *first_class = NULL;

  if (first != NULL && JSON_NODE_HOLDS_OBJECT (first))
    first_class = studio_json_get_string (json_node_get_object (first), "class_name");
  if (first_class != NULL && g_str_equal (first_class, "InputLayer"))
    n_layers--;
  if (n_layers > STUDIO_MODEL_MAX_LAYERS)
    {
      g_autofree char *count = studio_format_count (n_layers);
      g_autofree char *limit = studio_format_count (STUDIO_MODEL_MAX_LAYERS);

      g_set_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_LIMIT,
                   _("The model has %s layers; ConvStudio reads models of at most %s layers"),
                   count, limit);
      return FALSE;
    }
  return TRUE;
}

StudioArchitecture *
studio_architecture_new_from_json (const char  *json,
                                   gssize       length,
                                   GError     **error)
{
  g_autoptr(StudioArchitecture) architecture = NULL;
  g_autoptr(GHashTable) names_seen = NULL;
  g_autoptr(JsonNode) root = NULL;
  StudioShapeState shape = { .rank = 4 };
  const char *model_name = NULL;
  JsonObject *config;
  JsonArray *layers;
  guint n_entries;

  g_return_val_if_fail (json != NULL, NULL);

  if (length > STUDIO_MODEL_MAX_JSON_BYTES
      || (length < 0 && strnlen (json, MAX_JSON_BYTES + 1) > MAX_JSON_BYTES))
    {
      g_set_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_LIMIT,
                   _("The model JSON is larger than %d MB"), STUDIO_MODEL_MAX_JSON_BYTES >> 20);
      return NULL;
    }
  root = studio_json_parse (json, length, _("The model JSON"), error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_INVALID,
                   _("The JSON is not a Keras model (it is not an object)"));
      return NULL;
    }
  layers = find_layer_list (json_node_get_object (root), &model_name, &config, error);
  if (layers == NULL)
    return NULL;
  n_entries = json_array_get_length (layers);
  if (!check_layer_count (layers, error))
    return NULL;

  architecture = studio_architecture_new (model_name != NULL ? model_name : "sequential",
                                          0, 0, 0);
  names_seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n_entries; i++)
    if (!read_layer (json_array_get_element (layers, i), (int) i + 1, &shape, names_seen,
                     architecture, error))
      return NULL;

  if (architecture->layers->len == 0)
    {
      g_set_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_INVALID,
                   _("The model has no layers"));
      return NULL;
    }
  if (!shape.have_input_shape && config != NULL
      && studio_json_get_array (config, "build_input_shape") != NULL
      && !read_input_shape (studio_json_get_array (config, "build_input_shape"), TRUE,
                            "build_input_shape", &shape, error))
    return NULL;
  if (!shape.have_input_shape)
    {
      g_set_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_INVALID,
                   _("The model JSON gives no input shape (no InputLayer, and no "
                     "batch_input_shape on the first layer)"));
      return NULL;
    }
  architecture->height = shape.height;
  architecture->width = shape.width;
  architecture->channels = shape.channels;
  return g_steal_pointer (&architecture);
}
