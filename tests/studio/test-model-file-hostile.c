/* test-model-file-hostile.c — damaged and hostile model files are refused, never a crash. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "test-model-file-common.h"

typedef struct {
  char *dir;
  char *valid_path;
  guint8 *valid;          /* the bytes of a valid file */
  gsize valid_length;
  guint64 header_length;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  StudioModelFile file = { 0 };
  CnnOptimizerConfig config;
  size_t n_params = 0;

  fixture->dir = make_temp_dir ();
  fixture->valid_path = g_build_filename (fixture->dir, "valid.safetensors", NULL);
  file.model = small_model_new (8);
  cnn_model_trainable_arena (file.model, &n_params);
  cnn_optimizer_config_init (&config, CNN_OPTIMIZER_RMSPROP);
  file.optimizer = cnn_optimizer_new (&config, n_params, NULL);
  train_batches (file.model, file.optimizer, 3, 1);
  g_assert_true (studio_model_file_save (&file, fixture->valid_path, &error));
  g_assert_no_error (error);
  cnn_model_free (file.model);
  cnn_optimizer_free (file.optimizer);

  g_file_get_contents (fixture->valid_path, (char **) &fixture->valid, &fixture->valid_length,
                       &error);
  g_assert_no_error (error);
  memcpy (&fixture->header_length, fixture->valid, 8);
  fixture->header_length = GUINT64_FROM_LE (fixture->header_length);
  g_assert_cmpuint (fixture->header_length % 8, ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  remove_dir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->valid_path);
  g_free (fixture->valid);
}

static char *
write_bytes (Fixture      *fixture,
             const guint8 *bytes,
             gsize         length)
{
  char *path = g_build_filename (fixture->dir, "damaged.safetensors", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, (const char *) bytes, (gssize) length, &error);
  g_assert_no_error (error);
  return path;
}

/* Loads `path`, which must be refused with `code` (-1: any STUDIO_MODEL_ERROR code) and a
 * message naming the file and holding `keyword`. */
static void
assert_refused (const char *path,
                int         code,
                const char *keyword)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StudioModelFile) file = studio_model_file_load (path, &error);
  g_autofree char *base_name = g_path_get_basename (path);

  g_assert_null (file);
  g_assert_nonnull (error);
  g_assert_true (error->domain == STUDIO_MODEL_ERROR);
  if (code >= 0)
    g_assert_cmpint (error->code, ==, code);
  g_assert_nonnull (strstr (error->message, base_name));
  if (keyword != NULL && strstr (error->message, keyword) == NULL)
    g_error ("message “%s” lacks “%s”", error->message, keyword);
  g_test_message ("refused: %s", error->message);
}

static void
test_valid_file_loads (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StudioModelFile) file = studio_model_file_load (fixture->valid_path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (file->optimizer);
}

static void
test_truncated (Fixture       *fixture,
                gconstpointer  user_data)
{
  gsize data_start = 8 + fixture->header_length;
  gsize cuts[] = {
    0, 4, 7, 8, 12, data_start / 2, data_start - 1, data_start, data_start + 5,
    (data_start + fixture->valid_length) / 2, fixture->valid_length - 1,
  };

  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      g_autofree char *path = write_bytes (fixture, fixture->valid, cuts[i]);

      assert_refused (path, -1, NULL);
    }
}

static void
test_huge_header_length (Fixture       *fixture,
                         gconstpointer  user_data)
{
  guint64 lengths[] = { G_MAXUINT64, G_GUINT64_CONSTANT (200) << 20, fixture->valid_length };

  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      g_autofree guint8 *bytes = g_memdup2 (fixture->valid, fixture->valid_length);
      g_autofree char *path = NULL;
      guint64 length = GUINT64_TO_LE (lengths[i]);

      memcpy (bytes, &length, 8);
      path = write_bytes (fixture, bytes, fixture->valid_length);
      assert_refused (path, STUDIO_MODEL_ERROR_NOT_MODEL_FILE, "safetensors");
    }
}

static void
test_garbage (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (17);
  guint8 bytes[4096];
  g_autofree char *path = NULL;

  for (gsize i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8) g_rand_int_range (rand, 0, 256);
  path = write_bytes (fixture, bytes, sizeof bytes);
  assert_refused (path, -1, NULL);
}

/* Random damage to the header must end in a clean refusal or a clean load. */
static void
test_header_damage (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (23);

  for (int round = 0; round < 300; round++)
    {
      g_autofree guint8 *bytes = g_memdup2 (fixture->valid, fixture->valid_length);
      g_autofree char *path = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(StudioModelFile) file = NULL;

      for (int flip = 0; flip < 1 + round % 4; flip++)
        {
          gsize at = 8 + (gsize) g_rand_int_range (rand, 0, (gint32) fixture->header_length);

          bytes[at] = (guint8) g_rand_int_range (rand, 0, 256);
        }
      path = write_bytes (fixture, bytes, fixture->valid_length);
      file = studio_model_file_load (path, &error);
      g_assert_true ((file == NULL) != (error == NULL));
    }
}

/* ---------------------------------------------------------------- edited headers */

typedef void (*HeaderEdit) (JsonObject *header, GByteArray *data);

/* Rewrites the valid file's header through `edit` (which may change the data too). */
static char *
write_edited (Fixture    *fixture,
              HeaderEdit  edit)
{
  gsize data_start = 8 + fixture->header_length;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree char *header = NULL;
  g_autofree char *original = g_strndup ((const char *) fixture->valid + 8,
                                         fixture->header_length);
  g_autoptr(GString) padded = NULL;
  guint64 length;

  root = json_from_string (original, &error);
  g_assert_no_error (error);
  g_byte_array_append (data, fixture->valid + data_start,
                       (guint) (fixture->valid_length - data_start));
  edit (json_node_get_object (root), data);
  header = json_to_string (root, FALSE);
  padded = g_string_new (header);
  while (padded->len % 8 != 0)
    g_string_append_c (padded, ' ');
  length = GUINT64_TO_LE ((guint64) padded->len);
  g_byte_array_append (out, (const guint8 *) &length, 8);
  g_byte_array_append (out, (const guint8 *) padded->str, (guint) padded->len);
  g_byte_array_append (out, data->data, data->len);
  return write_bytes (fixture, out->data, out->len);
}

static JsonArray *
offsets_of (JsonObject *header,
            const char *name)
{
  return json_object_get_array_member (json_object_get_object_member (header, name),
                                       "data_offsets");
}

/* The tensor whose data starts at `begin`. */
static const char *
tensor_at (JsonObject *header,
           gint64      begin)
{
  g_autoptr(GList) members = json_object_get_members (header);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_str_equal (l->data, "__metadata__")
        && json_array_get_int_element (offsets_of (header, l->data), 0) == begin)
      return l->data;
  g_assert_not_reached ();
  return NULL;
}

static void
edit_overlap (JsonObject *header,
              GByteArray *data)
{
  gint64 second = json_array_get_int_element (offsets_of (header, tensor_at (header, 0)), 1);
  JsonArray *offsets = offsets_of (header, tensor_at (header, second));

  json_node_set_int (json_array_get_element (offsets, 0), second - 4);
  json_node_set_int (json_array_get_element (offsets, 1),
                     json_array_get_int_element (offsets, 1) - 4);
}

static void
edit_shape (JsonObject *header,
            GByteArray *data)
{
  JsonArray *shape = json_object_get_array_member (
    json_object_get_object_member (header, "conv2d/kernel"), "shape");

  /* (3, 3, 1, 4) → (3, 3, 4, 1): the same number of floats, the wrong layout. */
  json_node_set_int (json_array_get_element (shape, 2), 4);
  json_node_set_int (json_array_get_element (shape, 3), 1);
}

static void
edit_dtype (JsonObject *header,
            GByteArray *data)
{
  json_object_set_string_member (json_object_get_object_member (header, "dense/bias"),
                                 "dtype", "F16");
}

static void
edit_remove_last (JsonObject *header,
                  GByteArray *data)
{
  g_autoptr(GList) members = json_object_get_members (header);
  const char *last = NULL;
  gint64 last_begin = -1;

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_str_equal (l->data, "__metadata__")
        && json_array_get_int_element (offsets_of (header, l->data), 0) > last_begin)
      {
        last = l->data;
        last_begin = json_array_get_int_element (offsets_of (header, last), 0);
      }
  g_byte_array_set_size (data, (guint) last_begin);
  json_object_remove_member (header, last);
}

static void
edit_add_unknown (JsonObject *header,
                  GByteArray *data)
{
  JsonObject *tensor = json_object_new ();
  JsonArray *shape = json_array_new ();
  JsonArray *offsets = json_array_new ();
  const guint8 zeros[4] = { 0 };

  json_array_add_int_element (shape, 1);
  json_array_add_int_element (offsets, data->len);
  json_array_add_int_element (offsets, data->len + 4);
  json_object_set_string_member (tensor, "dtype", "F32");
  json_object_set_array_member (tensor, "shape", shape);
  json_object_set_array_member (tensor, "data_offsets", offsets);
  json_object_set_object_member (header, "mystery/kernel", tensor);
  g_byte_array_append (data, zeros, 4);
}

static void
edit_trailing_bytes (JsonObject *header,
                     GByteArray *data)
{
  const guint8 extra[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

  g_byte_array_append (data, extra, sizeof extra);
}

static void
edit_no_metadata (JsonObject *header,
                  GByteArray *data)
{
  json_object_remove_member (header, "__metadata__");
}

static void
edit_unsupported_layer (JsonObject *header,
                        GByteArray *data)
{
  json_object_set_string_member (
    json_object_get_object_member (header, "__metadata__"), "architecture",
    "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [{\"class_name\": \"LSTM\", "
    "\"config\": {\"name\": \"lstm\", \"batch_input_shape\": [null, 8, 8, 1]}}]}}");
}

static void
edit_newer_format (JsonObject *header,
                   GByteArray *data)
{
  json_object_set_string_member (json_object_get_object_member (header, "__metadata__"),
                                 "format_version", "2");
}

typedef struct {
  const char *test_name;
  HeaderEdit edit;
  StudioModelError code;
  const char *keyword;
} EditCase;

static const EditCase edit_cases[] = {
  { "overlapping-offsets", edit_overlap, STUDIO_MODEL_ERROR_CORRUPT, "overlaps" },
  { "wrong-shape", edit_shape, STUDIO_MODEL_ERROR_CORRUPT, "(3, 3, 1, 4)" },
  { "wrong-dtype", edit_dtype, STUDIO_MODEL_ERROR_CORRUPT, "F16" },
  { "missing-tensor", edit_remove_last, STUDIO_MODEL_ERROR_CORRUPT, "missing" },
  { "unknown-tensor", edit_add_unknown, STUDIO_MODEL_ERROR_CORRUPT, "mystery/kernel" },
  { "trailing-bytes", edit_trailing_bytes, STUDIO_MODEL_ERROR_CORRUPT, "no tensor" },
  { "not-convstudio", edit_no_metadata, STUDIO_MODEL_ERROR_NOT_MODEL_FILE, "ConvStudio" },
  { "unsupported-layer", edit_unsupported_layer, STUDIO_MODEL_ERROR_UNSUPPORTED, "LSTM" },
  { "newer-format", edit_newer_format, STUDIO_MODEL_ERROR_NOT_MODEL_FILE, "version 2" },
};

static void
test_edited (Fixture       *fixture,
             gconstpointer  user_data)
{
  const EditCase *edit_case = user_data;
  g_autofree char *path = write_edited (fixture, edit_case->edit);

  assert_refused (path, (int) edit_case->code, edit_case->keyword);
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StudioModelFile) file = studio_model_file_load ("/nonexistent/m.safetensors",
                                                            &error);

  g_assert_null (file);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, function) \
  g_test_add (path, Fixture, NULL, fixture_set_up, function, fixture_tear_down)
  ADD ("/studio/model-file/hostile/valid-file-loads", test_valid_file_loads);
  ADD ("/studio/model-file/hostile/truncated", test_truncated);
  ADD ("/studio/model-file/hostile/huge-header-length", test_huge_header_length);
  ADD ("/studio/model-file/hostile/garbage", test_garbage);
  ADD ("/studio/model-file/hostile/header-damage", test_header_damage);
#undef ADD
  for (guint i = 0; i < G_N_ELEMENTS (edit_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/studio/model-file/hostile/%s",
                                               edit_cases[i].test_name);

      g_test_add (path, Fixture, &edit_cases[i], fixture_set_up, test_edited,
                  fixture_tear_down);
    }
  g_test_add_func ("/studio/model-file/hostile/missing-file", test_missing_file);
  return g_test_run ();
}
