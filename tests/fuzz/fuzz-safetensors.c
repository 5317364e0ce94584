/* fuzz-safetensors.c — fuzzes the .safetensors model file loader (and re-saving). */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "fuzz-common.h"
#include "studio-model-file.h"

/* A file that loads must save and load again: the writer and reader agree on everything
 * the reader accepts. */
static void
check_save_and_reload (const StudioModelFile *file)
{
  g_autofree char *path = g_build_filename (fuzz_temp_folder (), "resaved.safetensors", NULL);
  g_autoptr(StudioModelFile) again = NULL;
  g_autoptr(GError) error = NULL;

  if (!studio_model_file_save (file, path, &error))
    g_error ("A loaded model file cannot be saved again: %s", error->message);
  again = studio_model_file_load (path, &error);
  if (again == NULL)
    g_error ("A re-saved model file does not load: %s", error->message);
  g_assert_cmpint (cnn_model_total_params (again->model), ==,
                   cnn_model_total_params (file->model));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(StudioModelFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fuzz_init_logging ();
  path = fuzz_write_file (fuzz_temp_folder (), "model.safetensors", data, size);
  file = studio_model_file_load (path, &error);
  g_assert_true ((file == NULL) == (error != NULL));
  fuzz_report (file != NULL ? "loaded" : "refused", error);
  if (file == NULL)
    return 0;
  g_assert_nonnull (file->model);
  check_save_and_reload (file);
  return 0;
}
