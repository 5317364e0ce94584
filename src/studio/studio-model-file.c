/* studio-model-file.c — .safetensors model files: the tensor layout and atomic saving. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include "studio-atomic-file.h"
#include "studio-json-private.h"
#include "studio-model-file-private.h"
#include "studio-model-json.h"

StudioModelFile *
studio_model_file_new (void)
{
  return g_new0 (StudioModelFile, 1);
}

void
studio_model_file_free (StudioModelFile *file)
{
  if (file == NULL)
    return;
  g_clear_pointer (&file->model, cnn_model_free);
  g_clear_pointer (&file->optimizer, cnn_optimizer_free);
  g_free (file->model_name);
  g_strfreev (file->class_names);
  if (file->training.has_early_stopping)
    cnn_early_stopping_clear (&file->training.early_stopping);
  g_clear_pointer (&file->training.history, g_array_unref);
  g_free (file);
}

static void
clear_tensor (gpointer data)
{
  StudioTensor *tensor = data;

  g_free (tensor->name);
}

static void
add_tensor (GArray          *tensors,
            char            *name,
            const CnnWeight *weight,
            float           *data)
{
  StudioTensor tensor = {
    .name = name, .rank = weight->rank, .data = data, .count = weight->size
  };

  memcpy (tensor.shape, weight->shape, sizeof tensor.shape);
  g_array_append_val (tensors, tensor);
}

GArray *
studio_model_file_plan_tensors (const StudioModelFile *file,
                                float                 *best_weights)
{
  GArray *tensors = g_array_new (FALSE, TRUE, sizeof (StudioTensor));
  int n_weights = cnn_model_n_weights (file->model);
  size_t n_trainable = 0;
  float *trainable = cnn_model_trainable_arena (file->model, &n_trainable);
  int n_slots = file->optimizer != NULL ? cnn_optimizer_n_slots (file->optimizer) : 0;

  g_array_set_clear_func (tensors, clear_tensor);
  for (int i = 0; i < n_weights; i++)
    {
      const CnnWeight *weight = cnn_model_weight (file->model, i);

      add_tensor (tensors, g_strdup (weight->name), weight, weight->data);
    }
  /* Slots run parallel to the trainable arena, so a weight's slot values sit at the
   * weight's offset in that arena. */
  for (int slot = 0; slot < n_slots; slot++)
    {
      const char *slot_name = NULL;
      float *values = cnn_optimizer_slot (file->optimizer, slot, &slot_name);

      for (int i = 0; i < n_weights; i++)
        {
          const CnnWeight *weight = cnn_model_weight (file->model, i);

          if (weight->trainable)
            add_tensor (tensors, g_strdup_printf ("optimizer/%s/%s", slot_name, weight->name),
                        weight, values + (weight->data - trainable));
        }
    }
  if (best_weights != NULL)
    {
      gsize offset = 0;

      for (int i = 0; i < n_weights; i++)
        {
          const CnnWeight *weight = cnn_model_weight (file->model, i);

          add_tensor (tensors, g_strdup_printf ("early_stopping/best_weights/%s", weight->name),
                      weight, best_weights + offset);
          offset += weight->size;
        }
    }
  return tensors;
}

/* ---------------------------------------------------------------- header */

static void
append_metadata_entry (GString    *out,
                       const char *key,
                       const char *value)
{
  g_string_append (out, ", ");
  studio_json_append_string (out, key);
  g_string_append (out, ": ");
  studio_json_append_string (out, value);
}

static void
append_metadata (GString               *out,
                 const StudioModelFile *file)
{
  g_autoptr(StudioArchitecture) architecture = studio_architecture_new_from_model (file->model);
  g_autofree char *architecture_json = NULL;
  g_autofree char *class_names = NULL;
  g_autofree char *input_shape = NULL;
  g_autofree char *training = NULL;

  if (file->model_name != NULL)
    {
      g_free (architecture->name);
      architecture->name = g_strdup (file->model_name);
    }
  architecture_json = studio_architecture_to_json (architecture);
  class_names = studio_metadata_class_names_to_json (file->class_names);
  input_shape = g_strdup_printf ("[%d, %d, %d]", architecture->height, architecture->width,
                                 architecture->channels);
  training = studio_metadata_training_to_json (&file->training,
                                               cnn_model_get_seed (file->model),
                                               cnn_model_get_step (file->model));

  g_string_append (out, "\"__metadata__\": {\"format\": \"convstudio\"");
  append_metadata_entry (out, "format_version", "1");
  append_metadata_entry (out, "architecture", architecture_json);
  append_metadata_entry (out, "class_names", class_names);
  append_metadata_entry (out, "input_shape", input_shape);
  if (file->optimizer != NULL)
    {
      g_autofree char *optimizer = studio_metadata_optimizer_to_json (file->optimizer);

      append_metadata_entry (out, "optimizer", optimizer);
    }
  if (file->has_loss)
    append_metadata_entry (out, "loss", cnn_loss_name (file->loss));
  append_metadata_entry (out, "training", training);
  g_string_append (out, "}");
}

/* The JSON header, padded with spaces to a multiple of 8 so the data stays aligned. */
static GString *
build_header (const StudioModelFile *file,
              GArray                *tensors)
{
  GString *out = g_string_new ("{");
  guint64 offset = 0;

  append_metadata (out, file);
  for (guint i = 0; i < tensors->len; i++)
    {
      const StudioTensor *tensor = &g_array_index (tensors, StudioTensor, i);
      guint64 end = offset + tensor->count * sizeof (float);

      g_string_append (out, ", ");
      studio_json_append_string (out, tensor->name);
      g_string_append (out, ": {\"dtype\": \"F32\", \"shape\": [");
      for (int d = 0; d < tensor->rank; d++)
        g_string_append_printf (out, "%s%d", d > 0 ? ", " : "", tensor->shape[d]);
      g_string_append_printf (out, "], \"data_offsets\": [%" G_GUINT64_FORMAT ", %"
                              G_GUINT64_FORMAT "]}", offset, end);
      offset = end;
    }
  g_string_append_c (out, '}');
  while (out->len % 8 != 0)
    g_string_append_c (out, ' ');
  return out;
}

/* ---------------------------------------------------------------- writing */

/* Tensor data is little-endian in the file whatever the machine's byte order. */
static gboolean
write_floats (StudioAtomicFile  *out,
              const float       *values,
              gsize              count,
              GError           **error)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  return studio_atomic_file_write (out, values, count * sizeof (float), error);
#else
  guint32 chunk[4096];

  while (count > 0)
    {
      gsize n = MIN (count, G_N_ELEMENTS (chunk));

      memcpy (chunk, values, n * sizeof (float));
      for (gsize i = 0; i < n; i++)
        chunk[i] = GUINT32_TO_LE (chunk[i]);
      if (!studio_atomic_file_write (out, chunk, n * sizeof (float), error))
        return FALSE;
      values += n;
      count -= n;
    }
  return TRUE;
#endif
}

gboolean
studio_model_file_save (const StudioModelFile  *file,
                        const char             *path,
                        GError                **error)
{
  g_autoptr(GArray) tensors = NULL;
  g_autoptr(GString) header = NULL;
  StudioAtomicFile *out;
  float *best_weights = NULL;
  guint64 header_length;

  g_return_val_if_fail (file != NULL, FALSE);
  g_return_val_if_fail (file->model != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (file->training.has_early_stopping)
    best_weights = file->training.early_stopping.best_weights;
  tensors = studio_model_file_plan_tensors (file, best_weights);
  header = build_header (file, tensors);
  header_length = GUINT64_TO_LE ((guint64) header->len);

  out = studio_atomic_file_begin (path, error);
  if (out == NULL
      || !studio_atomic_file_write (out, &header_length, sizeof header_length, error)
      || !studio_atomic_file_write (out, header->str, header->len, error))
    return FALSE;
  for (guint i = 0; i < tensors->len; i++)
    {
      const StudioTensor *tensor = &g_array_index (tensors, StudioTensor, i);

      if (!write_floats (out, tensor->data, tensor->count, error))
        return FALSE;
    }
  return studio_atomic_file_commit (out, error);
}
