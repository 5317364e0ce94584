/* studio-model-json-options.c — typed, checked readers of Keras layer config options. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "studio-json-private.h"
#include "studio-model-json-private.h"

#define LIMIT STUDIO_MODEL_ERROR_LIMIT

void
studio_layer_set_error (GError                   **error,
                        StudioModelError           code,
                        const StudioLayerContext  *layer,
                        const char                *format,
                        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (layer->name != NULL && layer->name[0] != '\0')
    {
      /* Translators: the layer's name, its Keras class (e.g. Conv2D) and what is wrong. */
      g_set_error (error, STUDIO_MODEL_ERROR, code, _("Layer '%s' (%s): %s"),
                   layer->name, layer->class_name, message);
    }
  else
    {
      /* Translators: the layer's position in the file (1, 2, …), its Keras class and what
       * is wrong. */
      g_set_error (error, STUDIO_MODEL_ERROR, code, _("Layer %d (%s): %s"),
                   layer->position, layer->class_name, message);
    }
}

char *
studio_layer_supported_classes (void)
{
  GString *list = g_string_new (NULL);

  for (int type = 0; type < CNN_N_LAYER_TYPES; type++)
    g_string_append_printf (list, "%s, ", cnn_layer_type_class_name ((CnnLayerType) type));
  g_string_append (list, "InputLayer");
  return g_string_free (list, FALSE);
}

char *
studio_layer_supported_activations (void)
{
  GString *list = g_string_new (NULL);

  for (int activation = 0; activation < CNN_N_ACTIVATIONS; activation++)
    g_string_append_printf (list, "%s%s", activation > 0 ? ", " : "",
                            cnn_activation_name ((CnnActivation) activation));
  return g_string_free (list, FALSE);
}

gboolean
studio_layer_has_option (JsonObject *config,
                         const char *key)
{
  JsonNode *node = json_object_get_member (config, key);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node);
}

/* Reads an integer option; an absent (or null) optional one leaves *value as it was. */
gboolean
studio_layer_read_int (const StudioLayerContext  *layer,
                       const char                *key,
                       gboolean                   required,
                       int                        minimum,
                       int                        maximum,
                       int                       *value,
                       GError                   **error)
{
  gint64 number;

  if (!studio_layer_has_option (layer->config, key))
    {
      if (required)
        studio_layer_set_error (error, STUDIO_MODEL_ERROR_INVALID, layer, _("'%s' is missing"),
                                key);
      return !required;
    }
  if (!studio_json_get_int64 (layer->config, key, &number))
    {
      studio_layer_set_error (error, STUDIO_MODEL_ERROR_INVALID, layer,
                              _("'%s' must be a whole number"), key);
      return FALSE;
    }
  if (number < minimum || number > maximum)
    {
      g_autofree char *shown = studio_format_count (number);
      g_autofree char *low = studio_format_count (minimum);
      g_autofree char *high = studio_format_count (maximum);

      studio_layer_set_error (error, number > maximum ? LIMIT : STUDIO_MODEL_ERROR_INVALID, layer,
                              /* Translators: the option's name, its value, and the range. */
                              _("'%s' is %s; ConvStudio accepts %s to %s"), key, shown, low,
                              high);
      return FALSE;
    }
  *value = (int) number;
  return TRUE;
}

/* Keras writes sizes as [h, w] but accepts a single integer for both sides. */
gboolean
studio_layer_read_pair (const StudioLayerContext  *layer,
                        const char                *key,
                        gboolean                   required,
                        int                        minimum,
                        int                        maximum,
                        int                        pair[2],
                        GError                   **error)
{
  JsonArray *array;
  gint64 sides[2];

  if (!studio_layer_has_option (layer->config, key))
    {
      if (required)
        studio_layer_set_error (error, STUDIO_MODEL_ERROR_INVALID, layer, _("'%s' is missing"),
                                key);
      return !required;
    }
  array = studio_json_get_array (layer->config, key);
  if (array == NULL)
    {
      if (!studio_layer_read_int (layer, key, TRUE, minimum, maximum, &pair[0], error))
        return FALSE;
      pair[1] = pair[0];
      return TRUE;
    }
  if (json_array_get_length (array) != 2
      || !studio_json_node_get_int64 (json_array_get_element (array, 0), &sides[0])
      || !studio_json_node_get_int64 (json_array_get_element (array, 1), &sides[1]))
    {
      studio_layer_set_error (error, STUDIO_MODEL_ERROR_INVALID, layer,
                              _("'%s' must be a whole number or a list of two"), key);
      return FALSE;
    }
  for (int i = 0; i < 2; i++)
    if (sides[i] < minimum || sides[i] > maximum)
      {
        studio_layer_set_error (error,
                                sides[i] > maximum ? LIMIT : STUDIO_MODEL_ERROR_INVALID, layer,
                                _("'%s' is [%lld, %lld]; ConvStudio accepts sides of %d to %d"),
                                key, (long long) sides[0], (long long) sides[1], minimum,
                                maximum);
        return FALSE;
      }
  pair[0] = (int) sides[0];
  pair[1] = (int) sides[1];
  return TRUE;
}

gboolean
studio_layer_read_float (const StudioLayerContext  *layer,
                         const char                *key,
                         gboolean                   required,
                         float                     *value,
                         GError                   **error)
{
  JsonNode *node = json_object_get_member (layer->config, key);
  double number;

  if (!studio_layer_has_option (layer->config, key))
    {
      if (required)
        studio_layer_set_error (error, STUDIO_MODEL_ERROR_INVALID, layer, _("'%s' is missing"),
                                key);
      return !required;
    }
  if (!JSON_NODE_HOLDS_VALUE (node)
      || (json_node_get_value_type (node) != G_TYPE_DOUBLE
          && json_node_get_value_type (node) != G_TYPE_INT64)
      || !isfinite (number = json_node_get_double (node))
      || fabs (number) > G_MAXFLOAT)
    {
      studio_layer_set_error (error, STUDIO_MODEL_ERROR_INVALID, layer,
                              _("'%s' must be a finite number"), key);
      return FALSE;
    }
  *value = (float) number;
  return TRUE;
}

/* A boolean option ConvStudio supports only at `expected` (Keras's default). */
gboolean
studio_layer_check_boolean (const StudioLayerContext  *layer,
                            const char                *key,
                            gboolean                   expected,
                            GError                   **error)
{
  gboolean value;

  if (!studio_layer_has_option (layer->config, key))
    return TRUE;
  if (!studio_json_get_boolean (layer->config, key, &value))
    {
      studio_layer_set_error (error, STUDIO_MODEL_ERROR_INVALID, layer,
                              _("'%s' must be true or false"), key);
      return FALSE;
    }
  if (value != expected)
    {
      studio_layer_set_error (error, STUDIO_MODEL_ERROR_UNSUPPORTED, layer,
                              /* Translators: the option's name, then true or false. */
                              _("'%s': %s is not supported by ConvStudio"), key,
                              value ? "true" : "false");
      return FALSE;
    }
  return TRUE;
}

/* Options that change the computation when set (regularizers, constraints, noise shapes):
 * Keras writes them as null, and ConvStudio supports only that. */
gboolean
studio_layer_check_unset (const StudioLayerContext  *layer,
                          const char * const        *keys,
                          GError                   **error)
{
  for (gsize i = 0; keys[i] != NULL; i++)
    if (studio_layer_has_option (layer->config, keys[i]))
      {
        studio_layer_set_error (error, STUDIO_MODEL_ERROR_UNSUPPORTED, layer,
                                _("'%s' is set, which ConvStudio does not support "
                                  "(it must be null)"),
                                keys[i]);
        return FALSE;
      }
  return TRUE;
}

gboolean
studio_layer_read_use_bias (const StudioLayerContext  *layer,
                            CnnLayerSpec              *spec,
                            GError                   **error)
{
  gboolean use_bias;

  if (!studio_layer_has_option (layer->config, "use_bias"))
    return TRUE;
  if (!studio_json_get_boolean (layer->config, "use_bias", &use_bias))
    {
      studio_layer_set_error (error, STUDIO_MODEL_ERROR_INVALID, layer,
                              _("'use_bias' must be true or false"));
      return FALSE;
    }
  spec->use_bias = use_bias ? 1 : 0;
  return TRUE;
}

gboolean
studio_layer_read_activation (const StudioLayerContext  *layer,
                              gboolean                   required,
                              CnnActivation             *activation,
                              GError                   **error)
{
  const char *name;

  if (!studio_layer_has_option (layer->config, "activation"))
    {
      if (required)
        studio_layer_set_error (error, STUDIO_MODEL_ERROR_INVALID, layer,
                                _("'activation' is missing"));
      else
        *activation = CNN_ACTIVATION_LINEAR;
      return !required;
    }
  name = studio_json_get_string (layer->config, "activation");
  if (name == NULL)
    {
      studio_layer_set_error (error, STUDIO_MODEL_ERROR_UNSUPPORTED, layer,
                              _("'activation' must be the name of a built-in activation"));
      return FALSE;
    }
  if (!cnn_activation_from_name (name, activation))
    {
      g_autofree char *supported = studio_layer_supported_activations ();

      studio_layer_set_error (error, STUDIO_MODEL_ERROR_UNSUPPORTED, layer,
                              _("activation '%s' is not supported. Supported: %s"), name,
                              supported);
      return FALSE;
    }
  return TRUE;
}

gboolean
studio_layer_read_padding (const StudioLayerContext  *layer,
                           CnnPadding                *padding,
                           GError                   **error)
{
  const char *name;

  if (!studio_layer_has_option (layer->config, "padding"))
    return TRUE;
  name = studio_json_get_string (layer->config, "padding");
  /* Keras lower-cases the padding name before using it. */
  if (name != NULL && g_ascii_strcasecmp (name, "valid") == 0)
    *padding = CNN_PADDING_VALID;
  else if (name != NULL && g_ascii_strcasecmp (name, "same") == 0)
    *padding = CNN_PADDING_SAME;
  else
    {
      studio_layer_set_error (error, STUDIO_MODEL_ERROR_UNSUPPORTED, layer,
                              _("padding '%s' is not supported. Supported: valid, same"),
                              name != NULL ? name : "?");
      return FALSE;
    }
  return TRUE;
}

gboolean
studio_layer_check_data_format (const StudioLayerContext  *layer,
                                GError                   **error)
{
  const char *format;

  if (!studio_layer_has_option (layer->config, "data_format"))
    return TRUE;
  format = studio_json_get_string (layer->config, "data_format");
  if (format != NULL && g_str_equal (format, "channels_last"))
    return TRUE;
  studio_layer_set_error (error, STUDIO_MODEL_ERROR_UNSUPPORTED, layer,
                          _("data_format '%s' is not supported; ConvStudio works in "
                            "channels_last (height, width, channels) like Keras on the CPU"),
                          format != NULL ? format : "?");
  return FALSE;
}

/* Keys every layer has: trainable and dtype change what training does. */
gboolean
studio_layer_check_common (const StudioLayerContext  *layer,
                           GError                   **error)
{
  static const char * const activity[] = { "activity_regularizer", NULL };
  JsonNode *dtype_node = json_object_get_member (layer->config, "dtype");
  const char *dtype = NULL;

  if (!studio_layer_check_boolean (layer, "trainable", TRUE, error)
      || !studio_layer_check_unset (layer, activity, error))
    return FALSE;
  if (dtype_node == NULL || JSON_NODE_HOLDS_NULL (dtype_node))
    return TRUE;
  if (JSON_NODE_HOLDS_OBJECT (dtype_node))
    {
      /* Keras 3 writes a DTypePolicy object whose config holds the name. */
      JsonObject *policy_config = studio_json_get_object (json_node_get_object (dtype_node),
                                                          "config");

      dtype = policy_config != NULL ? studio_json_get_string (policy_config, "name") : NULL;
    }
  else
    dtype = studio_json_get_string (layer->config, "dtype");
  if (dtype != NULL && g_str_equal (dtype, "float32"))
    return TRUE;
  studio_layer_set_error (error, STUDIO_MODEL_ERROR_UNSUPPORTED, layer,
                          _("dtype '%s' is not supported; ConvStudio computes in float32"),
                          dtype != NULL ? dtype : "?");
  return FALSE;
}
