/* studio-model-file-load.c — reading .safetensors model files, checking every part. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "studio-json-private.h"
#include "studio-model-file-private.h"
#include "studio-model-json-private.h"
#include "studio-model-json.h"

#define MAX_RANK 8

/* A tensor as the file's header describes it. */
typedef struct {
  const char *name;   /* borrowed from the parsed header */
  int rank;
  gint64 shape[MAX_RANK];
  guint64 begin;      /* byte offsets in the data section */
  guint64 end;
  float *destination; /* set once matched to the model */
} HeaderEntry;

typedef struct {
  GInputStream *stream;
  guint64 file_size;
  guint64 data_size;
  JsonNode *header;
  JsonObject *metadata;
  GArray *entries;    /* of HeaderEntry */
} Reader;

static void
reader_clear (Reader *reader)
{
  g_clear_object (&reader->stream);
  g_clear_pointer (&reader->header, json_node_unref);
  g_clear_pointer (&reader->entries, g_array_unref);
}

static void G_GNUC_PRINTF (3, 4)
set_error (GError           **error,
           StudioModelError   code,
           const char        *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, STUDIO_MODEL_ERROR, code, message);
}

static gboolean
read_exactly (Reader   *reader,
              void     *buffer,
              gsize     length,
              GError  **error)
{
  gsize bytes_read = 0;

  if (!g_input_stream_read_all (reader->stream, buffer, length, &bytes_read, NULL, error))
    return FALSE;
  if (bytes_read != length)
    {
      set_error (error, STUDIO_MODEL_ERROR_TRUNCATED, _("the file ends unexpectedly"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
open_file (Reader      *reader,
           const char  *path,
           GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  GFileInputStream *stream;

  stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    return FALSE;
  reader->stream = G_INPUT_STREAM (stream);
  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, error);
  if (info == NULL)
    return FALSE;
  reader->file_size = (guint64) g_file_info_get_size (info);
  return TRUE;
}

static gboolean
read_header (Reader  *reader,
             GError **error)
{
  g_autofree char *text = NULL;
  guint64 header_length;

  if (reader->file_size < sizeof header_length)
    {
      set_error (error, STUDIO_MODEL_ERROR_NOT_MODEL_FILE,
                 _("it is not a safetensors model file (it is only %llu bytes long)"),
                 (unsigned long long) reader->file_size);
      return FALSE;
    }
  if (!read_exactly (reader, &header_length, sizeof header_length, error))
    return FALSE;
  header_length = GUINT64_FROM_LE (header_length);
  if (header_length > STUDIO_MODEL_FILE_MAX_HEADER
      || header_length > reader->file_size - sizeof header_length)
    {
      set_error (error, STUDIO_MODEL_ERROR_NOT_MODEL_FILE,
                 /* Translators: the header length the file claims, then the file's length. */
                 _("it is not a safetensors model file (its first 8 bytes give a header of "
                   "%llu bytes in a file of %llu)"),
                 (unsigned long long) header_length, (unsigned long long) reader->file_size);
      return FALSE;
    }
  text = g_malloc (header_length + 1);
  if (!read_exactly (reader, text, header_length, error))
    return FALSE;
  text[header_length] = '\0';
  reader->data_size = reader->file_size - sizeof header_length - header_length;

  if (header_length == 0 || text[0] != '{')
    {
      set_error (error, STUDIO_MODEL_ERROR_NOT_MODEL_FILE,
                 _("it is not a safetensors model file (no JSON header)"));
      return FALSE;
    }
  reader->header = studio_json_parse (text, (gssize) header_length, _("The file's header"),
                                      error);
  if (reader->header == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (reader->header))
    {
      set_error (error, STUDIO_MODEL_ERROR_NOT_MODEL_FILE,
                 _("it is not a safetensors model file (its header is not a JSON object)"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_shape (JsonArray    *shape,
             HeaderEntry  *entry,
             GError      **error)
{
  guint rank = shape != NULL ? json_array_get_length (shape) : 0;

  if (shape == NULL || rank > MAX_RANK)
    {
      set_error (error, STUDIO_MODEL_ERROR_CORRUPT,
                 _("tensor '%s' has no valid shape"), entry->name);
      return FALSE;
    }
  entry->rank = (int) rank;
  for (guint d = 0; d < rank; d++)
    if (!studio_json_node_get_int64 (json_array_get_element (shape, d), &entry->shape[d])
        || entry->shape[d] < 0)
      {
        set_error (error, STUDIO_MODEL_ERROR_CORRUPT,
                   _("tensor '%s' has a shape with a size that is not a whole number ≥ 0"),
                   entry->name);
        return FALSE;
      }
  return TRUE;
}

/* Checks that the byte range is a whole number of float32 values of the shape. */
static gboolean
parse_offsets (JsonArray    *offsets,
               HeaderEntry  *entry,
               GError      **error)
{
  gint64 begin, end;
  guint64 expected = sizeof (float);

  if (offsets == NULL || json_array_get_length (offsets) != 2
      || !studio_json_node_get_int64 (json_array_get_element (offsets, 0), &begin)
      || !studio_json_node_get_int64 (json_array_get_element (offsets, 1), &end)
      || begin < 0 || end < begin)
    {
      set_error (error, STUDIO_MODEL_ERROR_CORRUPT,
                 _("tensor '%s' has invalid data_offsets"), entry->name);
      return FALSE;
    }
  entry->begin = (guint64) begin;
  entry->end = (guint64) end;
  for (int d = 0; d < entry->rank; d++)
    if (!g_uint64_checked_mul (&expected, expected, (guint64) entry->shape[d]))
      expected = G_MAXUINT64;
  if (entry->end - entry->begin != expected)
    {
      set_error (error, STUDIO_MODEL_ERROR_CORRUPT,
                 /* Translators: a tensor's name, the bytes the file gives it, and the bytes it
                  * needs. */
                 _("tensor '%s' has %llu bytes of data but its shape needs %llu"), entry->name,
                 (unsigned long long) (entry->end - entry->begin), (unsigned long long) expected);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_entry (const char   *name,
             JsonNode     *node,
             HeaderEntry  *entry,
             GError      **error)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *dtype;

  entry->name = name;
  if (object == NULL)
    {
      set_error (error, STUDIO_MODEL_ERROR_CORRUPT,
                 _("the header entry '%s' is not a tensor description"), name);
      return FALSE;
    }
  dtype = studio_json_get_string (object, "dtype");
  if (dtype == NULL || !g_str_equal (dtype, "F32"))
    {
      set_error (error, STUDIO_MODEL_ERROR_CORRUPT,
                 /* Translators: a tensor's name and its safetensors dtype, e.g. F16. */
                 _("tensor '%s' has dtype %s; ConvStudio reads only F32 (float32) tensors"),
                 name, dtype != NULL ? dtype : _("(none)"));
      return FALSE;
    }
  return parse_shape (studio_json_get_array (object, "shape"), entry, error)
         && parse_offsets (studio_json_get_array (object, "data_offsets"), entry, error);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const HeaderEntry *left = a, *right = b;

  if (left->begin != right->begin)
    return left->begin < right->begin ? -1 : 1;
  return left->end < right->end ? -1 : left->end > right->end;
}

/* safetensors requires the tensors to tile the data section exactly. */
static gboolean
check_layout (Reader  *reader,
              GError **error)
{
  guint64 position = 0;

  g_array_sort (reader->entries, compare_entries);
  for (guint i = 0; i < reader->entries->len; i++)
    {
      const HeaderEntry *entry = &g_array_index (reader->entries, HeaderEntry, i);

      if (entry->begin < position)
        {
          set_error (error, STUDIO_MODEL_ERROR_CORRUPT,
                     /* Translators: a tensor's name, the offset where its data begins, and the
                      * offset where the tensor before it ends. */
                     _("tensor '%s' overlaps the tensor before it (data_offsets %llu where "
                       "%llu was expected)"), entry->name, (unsigned long long) entry->begin,
                     (unsigned long long) position);
          return FALSE;
        }
      if (entry->begin > position)
        {
          set_error (error, STUDIO_MODEL_ERROR_CORRUPT,
                     /* Translators: as above, for data that begins after the tensor before it
                      * ends. */
                     _("tensor '%s' leaves a gap after the tensor before it (data_offsets %llu "
                       "where %llu was expected)"), entry->name,
                     (unsigned long long) entry->begin, (unsigned long long) position);
          return FALSE;
        }
      position = entry->end;
    }
  if (position > reader->data_size)
    {
      set_error (error, STUDIO_MODEL_ERROR_TRUNCATED,
                 /* Translators: the bytes of tensor data in the file, then the bytes it should
                  * hold. */
                 _("the file is truncated: it holds %llu of the %llu bytes of tensor data its "
                   "header describes"), (unsigned long long) reader->data_size,
                 (unsigned long long) position);
      return FALSE;
    }
  if (position < reader->data_size)
    {
      set_error (error, STUDIO_MODEL_ERROR_CORRUPT,
                 _("%llu bytes after the last tensor belong to no tensor"),
                 (unsigned long long) (reader->data_size - position));
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_entries (Reader  *reader,
               GError **error)
{
  JsonObject *root = json_node_get_object (reader->header);
  g_autoptr(GList) members = json_object_get_members (root);

  reader->entries = g_array_new (FALSE, TRUE, sizeof (HeaderEntry));
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      HeaderEntry entry = { 0 };

      if (g_str_equal (name, "__metadata__"))
        continue;
      if (!parse_entry (name, json_object_get_member (root, name), &entry, error))
        return FALSE;
      g_array_append_val (reader->entries, entry);
    }
  reader->metadata = studio_json_get_object (root, "__metadata__");
  return check_layout (reader, error);
}

/* ---------------------------------------------------------------- metadata */

static const char *
metadata_string (Reader     *reader,
                 const char *key)
{
  return reader->metadata != NULL ? studio_json_get_string (reader->metadata, key) : NULL;
}

static gboolean
check_format (Reader  *reader,
              GError **error)
{
  const char *format = metadata_string (reader, "format");
  const char *version = metadata_string (reader, "format_version");

  if (format == NULL || !g_str_equal (format, "convstudio"))
    {
      set_error (error, STUDIO_MODEL_ERROR_NOT_MODEL_FILE,
                 _("it is a safetensors file but not a ConvStudio model (its metadata has no "
                   "\"format\": \"convstudio\")"));
      return FALSE;
    }
  if (version == NULL || !g_str_equal (version, "1"))
    {
      set_error (error, STUDIO_MODEL_ERROR_NOT_MODEL_FILE,
                 _("it was written in model file format version %s, which this version of "
                   "ConvStudio cannot read"), version != NULL ? version : _("(none)"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_training (Reader           *reader,
               StudioModelFile  *file,
               guint64          *model_seed,
               guint64          *model_step,
               gboolean         *has_best_weights,
               GError          **error)
{
  const char *training = metadata_string (reader, "training");

  *model_seed = *model_step = 0;
  *has_best_weights = FALSE;
  if (training == NULL)
    return TRUE;
  return studio_metadata_training_from_json (training, &file->training, model_seed, model_step,
                                             has_best_weights, error);
}

static gboolean
build_model (Reader           *reader,
             StudioModelFile  *file,
             guint64           model_seed,
             GError          **error)
{
  g_autoptr(StudioArchitecture) architecture = NULL;
  const char *json = metadata_string (reader, "architecture");
  const char *input_shape = metadata_string (reader, "input_shape");
  g_autofree char *expected_shape = NULL;
  guint64 kernel_floats;

  if (json == NULL)
    {
      set_error (error, STUDIO_MODEL_ERROR_CORRUPT, _("its metadata has no architecture"));
      return FALSE;
    }
  architecture = studio_architecture_new_from_json (json, -1, error);
  if (architecture == NULL)
    return FALSE;
  expected_shape = g_strdup_printf ("[%d, %d, %d]", architecture->height, architecture->width,
                                    architecture->channels);
  if (input_shape != NULL && !g_str_equal (input_shape, expected_shape))
    {
      set_error (error, STUDIO_MODEL_ERROR_CORRUPT,
                 /* Translators: two shapes, e.g. [28, 28, 1]: the file's input_shape, then the
                  * one its architecture gives. */
                 _("its input_shape %s differs from the architecture's %s"), input_shape,
                 expected_shape);
      return FALSE;
    }
  /* Every kernel is in the file as float32: a header whose architecture needs more than
   * the data section holds is refused before the model (maybe gigabytes) is built. */
  kernel_floats = studio_architecture_count_kernel_floats (architecture);
  if (kernel_floats > reader->data_size / sizeof (float))
    {
      set_error (error, STUDIO_MODEL_ERROR_CORRUPT,
                 _("its architecture has at least %llu weights but the file holds only %llu "
                   "bytes of tensor data"), (unsigned long long) kernel_floats,
                 (unsigned long long) reader->data_size);
      return FALSE;
    }
  file->model_name = g_strdup (architecture->name);
  file->model = studio_architecture_build (architecture, model_seed, error);
  return file->model != NULL;
}

static gboolean
read_optimizer_and_loss (Reader           *reader,
                         StudioModelFile  *file,
                         GError          **error)
{
  const char *optimizer = metadata_string (reader, "optimizer");
  const char *loss = metadata_string (reader, "loss");
  const char *class_names = metadata_string (reader, "class_names");
  size_t n_params = 0;

  if (loss != NULL && !(file->has_loss = cnn_loss_from_name (loss, &file->loss)))
    {
      set_error (error, STUDIO_MODEL_ERROR_CORRUPT,
                 _("its loss '%s' is not one ConvStudio knows"), loss);
      return FALSE;
    }
  if (class_names != NULL
      && (file->class_names = studio_metadata_class_names_from_json (class_names, error)) == NULL)
    return FALSE;
  if (optimizer == NULL)
    return TRUE;
  cnn_model_trainable_arena (file->model, &n_params);
  file->optimizer = studio_metadata_optimizer_from_json (optimizer, n_params, error);
  return file->optimizer != NULL;
}

/* ---------------------------------------------------------------- tensors */

static char *
format_shape (int           rank,
              const gint64 *shape)
{
  GString *out = g_string_new ("(");

  for (int d = 0; d < rank; d++)
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT, d > 0 ? ", " : "", shape[d]);
  g_string_append (out, rank == 1 ? ",)" : ")");
  return g_string_free (out, FALSE);
}

static gboolean
match_tensor (HeaderEntry         *entry,
              const StudioTensor  *tensor,
              GError             **error)
{
  gint64 expected[MAX_RANK];
  gboolean same = entry->rank == tensor->rank;

  for (int d = 0; d < tensor->rank; d++)
    {
      expected[d] = tensor->shape[d];
      same = same && entry->shape[d] == expected[d];
    }
  if (!same)
    {
      g_autofree char *found = format_shape (entry->rank, entry->shape);
      g_autofree char *wanted = format_shape (tensor->rank, expected);

      set_error (error, STUDIO_MODEL_ERROR_CORRUPT,
                 /* Translators: a tensor's name, its shape in the file, and the shape the model
                  * needs, e.g. (3, 3, 1, 32). */
                 _("tensor '%s' has shape %s but the architecture gives it %s"),
                 entry->name, found, wanted);
      return FALSE;
    }
  entry->destination = tensor->data;
  return TRUE;
}

/* Every tensor the model needs must be in the file with its shape, and nothing else. */
static gboolean
match_tensors (Reader   *reader,
               GArray   *tensors,
               GError  **error)
{
  g_autoptr(GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < reader->entries->len; i++)
    {
      HeaderEntry *entry = &g_array_index (reader->entries, HeaderEntry, i);

      g_hash_table_insert (by_name, (gpointer) entry->name, entry);
    }
  for (guint i = 0; i < tensors->len; i++)
    {
      const StudioTensor *tensor = &g_array_index (tensors, StudioTensor, i);
      HeaderEntry *entry = g_hash_table_lookup (by_name, tensor->name);

      if (entry == NULL)
        {
          set_error (error, STUDIO_MODEL_ERROR_CORRUPT,
                     _("tensor '%s', which the architecture needs, is missing"), tensor->name);
          return FALSE;
        }
      if (!match_tensor (entry, tensor, error))
        return FALSE;
    }
  for (guint i = 0; i < reader->entries->len; i++)
    {
      const HeaderEntry *entry = &g_array_index (reader->entries, HeaderEntry, i);

      if (entry->destination == NULL)
        {
          set_error (error, STUDIO_MODEL_ERROR_CORRUPT,
                     _("it holds tensor '%s', which the model does not have"), entry->name);
          return FALSE;
        }
    }
  return TRUE;
}

/* The entries are sorted by offset and tile the data section, so one forward pass reads
 * every tensor straight into its place. */
static gboolean
read_tensor_data (Reader  *reader,
                  GError **error)
{
  for (guint i = 0; i < reader->entries->len; i++)
    {
      const HeaderEntry *entry = &g_array_index (reader->entries, HeaderEntry, i);
      gsize length = (gsize) (entry->end - entry->begin);

      if (length == 0)
        continue;
      if (!read_exactly (reader, entry->destination, length, error))
        return FALSE;
#if G_BYTE_ORDER != G_LITTLE_ENDIAN
      {
        guint32 *words = (guint32 *) entry->destination;

        for (gsize w = 0; w < length / sizeof (float); w++)
          words[w] = GUINT32_FROM_LE (words[w]);
      }
#endif
    }
  return TRUE;
}

static gboolean
load_tensors (Reader           *reader,
              StudioModelFile  *file,
              gboolean          has_best_weights,
              GError          **error)
{
  g_autoptr(GArray) tensors = NULL;
  float *best_weights = NULL;

  if (has_best_weights && file->training.has_early_stopping)
    {
      size_t count = 0;

      for (int i = 0; i < cnn_model_n_weights (file->model); i++)
        count += cnn_model_weight (file->model, i)->size;
      /* The engine releases best_weights with free(). */
      best_weights = malloc (MAX (count, 1) * sizeof (float));
      if (best_weights == NULL)
        {
          set_error (error, STUDIO_MODEL_ERROR_NO_MEMORY,
                     _("out of memory for the best weights"));
          return FALSE;
        }
      file->training.early_stopping.best_weights = best_weights;
    }
  tensors = studio_model_file_plan_tensors (file, best_weights);
  return match_tensors (reader, tensors, error) && read_tensor_data (reader, error);
}

StudioModelFile *
studio_model_file_load (const char  *path,
                        GError     **error)
{
  g_autoptr(StudioModelFile) file = studio_model_file_new ();
  g_autoptr(GError) local_error = NULL;
  Reader reader = { 0 };
  guint64 model_seed, model_step;
  gboolean has_best_weights;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);

  ok = open_file (&reader, path, &local_error)
       && read_header (&reader, &local_error)
       && parse_entries (&reader, &local_error)
       && check_format (&reader, &local_error)
       && read_training (&reader, file, &model_seed, &model_step, &has_best_weights,
                         &local_error)
       && build_model (&reader, file, model_seed, &local_error)
       && read_optimizer_and_loss (&reader, file, &local_error)
       && load_tensors (&reader, file, has_best_weights, &local_error);
  reader_clear (&reader);
  if (!ok)
    {
      g_autofree char *display_name = g_filename_display_name (path);

      if (local_error->domain == G_IO_ERROR)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                    _("Could not load “%s”: "), display_name);
      return NULL;
    }
  cnn_model_set_step (file->model, model_step);
  return g_steal_pointer (&file);
}
