/* studio-dataset-loader.c — opens any dataset a user points at: IDX files, image folders, CSVs. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "studio-dataset-loader.h"

void
studio_load_options_init (StudioLoadOptions *options)
{
  g_return_if_fail (options != NULL);

  options->height = 128;
  options->width = 128;
  options->channels = 3;
  options->layout = STUDIO_IMAGE_LAYOUT_AUTO;
  options->n_threads = 0;
}

void
studio_load_result_free (StudioLoadResult *result)
{
  if (result == NULL)
    return;
  g_clear_object (&result->dataset);
  g_clear_pointer (&result->scan, studio_image_scan_free);
  g_free (result);
}

static const char *
resolve_alias (const char *path)
{
  if (g_strcmp0 (path, "fashion-mnist") == 0)
    return studio_dataset_default_path ();
  return path;
}

static gboolean
is_csv (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  return g_str_has_suffix (lower, ".csv");
}

static gboolean
has_idx_files (const char *folder)
{
  g_autoptr (GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (strstr (name, "idx3-ubyte") != NULL)
      return TRUE;
  return FALSE;
}

gboolean
studio_path_is_idx (const char *path)
{
  path = resolve_alias (path);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return has_idx_files (path);
  return !is_csv (path) && strstr (path, "idx") != NULL;
}

static StudioLoadResult *
load_images (StudioImageScan          *scan,
             const StudioLoadOptions  *options,
             StudioImageProgress      *progress,
             GCancellable             *cancellable,
             GError                  **error)
{
  g_autoptr (StudioImageScan) owned_scan = scan;
  StudioLoadResult *result;
  StudioDataset *dataset;

  dataset = studio_image_scan_decode (owned_scan, options->height, options->width,
                                      options->channels, options->n_threads, progress,
                                      cancellable, error);
  if (dataset == NULL)
    return NULL;
  result = g_new0 (StudioLoadResult, 1);
  result->dataset = dataset;
  result->scan = g_steal_pointer (&owned_scan);
  return result;
}

StudioLoadResult *
studio_load_dataset (const char               *path,
                     const StudioLoadOptions  *options,
                     StudioImageProgress      *progress,
                     GCancellable             *cancellable,
                     GError                  **error)
{
  StudioLoadOptions defaults;
  StudioImageScan *scan;

  g_return_val_if_fail (path != NULL, NULL);

  if (options == NULL)
    {
      studio_load_options_init (&defaults);
      options = &defaults;
    }
  path = resolve_alias (path);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("“%s” does not exist."), path);
      return NULL;
    }

  if (studio_path_is_idx (path))
    {
      StudioDataset *dataset = studio_dataset_open (path, cancellable, error);
      StudioLoadResult *result;

      if (dataset == NULL)
        return NULL;
      result = g_new0 (StudioLoadResult, 1);
      result->dataset = dataset;
      return result;
    }

  if (is_csv (path))
    scan = studio_image_scan_csv (path, NULL, NULL, NULL, cancellable, error);
  else
    scan = studio_image_scan_folder (path, options->layout, cancellable, error);
  if (scan == NULL)
    return NULL;
  return load_images (scan, options, progress, cancellable, error);
}

typedef struct {
  char *path;
  StudioLoadOptions options;
  StudioImageProgress *progress;
} LoadTask;

static void
load_task_free (LoadTask *task)
{
  g_free (task->path);
  g_free (task);
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  LoadTask *load = task_data;
  GError *error = NULL;
  StudioLoadResult *result;

  result = studio_load_dataset (load->path, &load->options, load->progress, cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) studio_load_result_free);
}

void
studio_load_dataset_async (const char               *path,
                           const StudioLoadOptions  *options,
                           StudioImageProgress      *progress,
                           GCancellable             *cancellable,
                           GAsyncReadyCallback       callback,
                           gpointer                  user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  LoadTask *load = g_new0 (LoadTask, 1);

  g_return_if_fail (path != NULL);

  load->path = g_strdup (path);
  if (options != NULL)
    load->options = *options;
  else
    studio_load_options_init (&load->options);
  load->progress = progress;
  g_task_set_source_tag (task, studio_load_dataset_async);
  g_task_set_task_data (task, load, (GDestroyNotify) load_task_free);
  g_task_run_in_thread (task, load_in_thread);
}

StudioLoadResult *
studio_load_dataset_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
