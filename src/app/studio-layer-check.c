/* studio-layer-check.c — shape inference and the Keras summary of a stack, on a worker. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "studio-layer-check.h"
#include "studio-model-json.h"

/* Weights are irrelevant to a summary; a fixed seed keeps builds reproducible. */
#define CHECK_SEED 0

typedef struct
{
  int           height;
  int           width;
  int           channels;
  CnnLayerSpec *layers;
  guint         n_layers;
} CheckRequest;

void
studio_layer_check_free (StudioLayerCheck *check)
{
  if (check == NULL)
    return;
  g_free (check->error_message);
  g_clear_pointer (&check->layers, g_array_unref);
  g_free (check->keras_text);
  g_free (check);
}

gboolean
studio_layer_name_is_automatic (const char   *name,
                                CnnLayerType  type)
{
  const char *base = cnn_layer_type_base_name (type);
  gsize base_length = strlen (base);
  const char *suffix;

  if (name[0] == '\0')
    return TRUE;
  if (strncmp (name, base, base_length) != 0)
    return FALSE;
  suffix = name + base_length;
  if (*suffix == '\0')
    return TRUE;
  if (suffix[0] != '_' || suffix[1] == '\0')
    return FALSE;
  for (suffix++; *suffix != '\0'; suffix++)
    if (!g_ascii_isdigit (*suffix))
      return FALSE;
  return TRUE;
}

void
studio_layer_check_resolve_names (const CnnLayerSpec *layers,
                                  guint               n_layers,
                                  StudioLayerName    *names)
{
  guint counters[CNN_N_LAYER_TYPES] = { 0 };

  for (guint i = 0; i < n_layers; i++)
    {
      const CnnLayerSpec *spec = &layers[i];
      guint number;

      if (spec->name[0] != '\0' || (guint) spec->type >= CNN_N_LAYER_TYPES)
        {
          g_strlcpy (names[i], spec->name, CNN_NAME_MAX);
          continue;
        }
      /* As the engine (and Keras's unique_object_name) does: only unnamed layers count. */
      number = counters[spec->type]++;
      if (number == 0)
        g_strlcpy (names[i], cnn_layer_type_base_name (spec->type), CNN_NAME_MAX);
      else
        g_snprintf (names[i], CNN_NAME_MAX, "%s_%u", cnn_layer_type_base_name (spec->type),
                    number);
    }
}

/* The engine's messages name the layer ("Layer conv2d_2 (Conv2D): …", "… by layer dense");
 * the row to mark is the one with that name (the longest match, as conv2d_1 contains conv2d). */
static int
find_error_layer (const char      *message,
                  StudioLayerName *names,
                  guint            n_layers)
{
  int found = -1;
  gsize found_length = 0;

  for (guint i = 0; i < n_layers; i++)
    {
      g_autofree char *as_subject = g_strdup_printf ("Layer %s ", names[i]);
      g_autofree char *as_subject_colon = g_strdup_printf ("Layer %s:", names[i]);
      g_autofree char *as_object = g_strdup_printf ("by layer %s", names[i]);
      gsize length = strlen (names[i]);
      gboolean named = g_str_has_prefix (message, as_subject)
                       || g_str_has_prefix (message, as_subject_colon)
                       || g_str_has_suffix (message, as_object);

      if (named && length > found_length)
        {
          found = (int) i;
          found_length = length;
        }
    }
  /* Two layers with one name: the engine reports the later one. */
  for (guint i = 0; found < 0 && i < n_layers; i++)
    for (guint j = 0; j < i; j++)
      if (strcmp (names[i], names[j]) == 0)
        {
          found = (int) i;
          break;
        }
  return found;
}

static void
fill_from_model (StudioLayerCheck *check,
                 const CnnModel   *model)
{
  int n_layers = cnn_model_n_layers (model);

  check->valid = TRUE;
  check->error_layer = -1;
  g_array_set_size (check->layers, n_layers);
  for (int i = 0; i < n_layers; i++)
    cnn_model_layer_info (model, i, &g_array_index (check->layers, CnnLayerInfo, i));
  check->total_params = cnn_model_total_params (model);
  check->trainable_params = cnn_model_trainable_params (model);
  check->total_macs = cnn_model_total_macs (model);
  {
    char *text = cnn_model_summary (model, NULL);

    check->keras_text = g_strdup (text);
    free (text);
  }
}

StudioLayerCheck *
studio_layer_check_run (int                 height,
                        int                 width,
                        int                 channels,
                        const CnnLayerSpec *layers,
                        guint               n_layers)
{
  StudioLayerCheck *check = g_new0 (StudioLayerCheck, 1);
  CnnError error = { 0 };
  CnnModel *model;

  check->layers = g_array_new (FALSE, TRUE, sizeof (CnnLayerInfo));
  model = cnn_model_new (height, width, channels, layers, (int) n_layers, CHECK_SEED, &error);
  if (model != NULL)
    {
      fill_from_model (check, model);
      cnn_model_free (model);
    }
  else
    {
      g_autofree StudioLayerName *names = g_new0 (StudioLayerName, MAX (n_layers, 1));

      studio_layer_check_resolve_names (layers, n_layers, names);
      check->valid = FALSE;
      check->error_message = g_strdup (error.message);
      check->error_layer = find_error_layer (error.message, names, n_layers);
    }
  return check;
}

static void
check_request_free (CheckRequest *request)
{
  g_free (request->layers);
  g_free (request);
}

static void
run_check_in_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  CheckRequest *request = task_data;

  g_task_return_pointer (task,
                         studio_layer_check_run (request->height, request->width,
                                                 request->channels, request->layers,
                                                 request->n_layers),
                         (GDestroyNotify) studio_layer_check_free);
}

void
studio_layer_check_async (int                  height,
                          int                  width,
                          int                  channels,
                          const CnnLayerSpec  *layers,
                          guint                n_layers,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  CheckRequest *request = g_new0 (CheckRequest, 1);

  request->height = height;
  request->width = width;
  request->channels = channels;
  request->layers = g_new0 (CnnLayerSpec, MAX (n_layers, 1));
  if (n_layers > 0)
    memcpy (request->layers, layers, sizeof (CnnLayerSpec) * n_layers);
  request->n_layers = n_layers;
  g_task_set_source_tag (task, studio_layer_check_async);
  g_task_set_task_data (task, request, (GDestroyNotify) check_request_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, run_check_in_thread);
}

StudioLayerCheck *
studio_layer_check_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Keras requires these settings; the values a course would start from. */
void
studio_layer_spec_init_for_insert (CnnLayerSpec *spec,
                                   CnnLayerType  type)
{
  cnn_layer_spec_init (spec, type);
  switch (type)
    {
    case CNN_LAYER_CONV2D:
      spec->filters = 32;
      spec->activation = CNN_ACTIVATION_RELU;
      break;
    case CNN_LAYER_DENSE:
      spec->units = 64;
      spec->activation = CNN_ACTIVATION_RELU;
      break;
    case CNN_LAYER_DROPOUT:
      spec->rate = 0.25f;
      break;
    case CNN_LAYER_ACTIVATION:
      spec->activation = CNN_ACTIVATION_RELU;
      break;
    case CNN_LAYER_RESCALING:
      spec->scale = 1.0f / 255.0f;
      break;
    default:
      break;
    }
}

/* Auto names are cleared so the engine numbers them in order, like a model written anew. */
void
studio_layer_clear_automatic_names (StudioArchitecture *architecture)
{
  for (guint i = 0; i < architecture->layers->len; i++)
    {
      CnnLayerSpec *spec = &g_array_index (architecture->layers, CnnLayerSpec, i);

      if (studio_layer_name_is_automatic (spec->name, spec->type))
        spec->name[0] = '\0';
    }
}

StudioArchitecture *
studio_layer_copy_architecture (const StudioArchitecture *architecture)
{
  StudioArchitecture *copy = studio_architecture_new (architecture->name, architecture->height,
                                                      architecture->width,
                                                      architecture->channels);

  g_array_append_vals (copy->layers, architecture->layers->data, architecture->layers->len);
  return copy;
}
