/* test-dataset-faults.c — dataset files deleted or changed while a dataset is in use. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "faults-common.h"
#include "studio-batches.h"
#include "studio-dataset-loader.h"
#include "studio-session.h"

#define N_IMAGES 48
#define SIDE 16

/* A Kaggle-named folder of dark cats and light dogs. */
static char *
make_image_folder (void)
{
  char *folder = faults_make_temp_dir ();
  g_autoptr(GBytes) dark = faults_encode_image (SIDE * 2, SIDE * 2, "png", FALSE);
  g_autoptr(GBytes) light = faults_encode_image (SIDE * 2, SIDE * 2, "png", TRUE);

  for (int i = 0; i < N_IMAGES; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s.%d.png", i % 2 ? "dog" : "cat", i);

      faults_write_bytes (folder, name, i % 2 ? light : dark);
    }
  return folder;
}

static StudioLoadResult *
load_folder (const char *folder)
{
  g_autoptr(GError) error = NULL;
  StudioLoadOptions options;
  StudioLoadResult *result;

  studio_load_options_init (&options);
  options.height = options.width = SIDE;
  options.channels = 3;
  result = studio_load_dataset (folder, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (studio_dataset_get_n_samples (result->dataset, STUDIO_SPLIT_TRAIN), ==,
                    N_IMAGES);
  return result;
}

static void
on_finished (StudioSession *session,
             const GError  *error,
             GError       **finish_error)
{
  *finish_error = error != NULL ? g_error_copy (error) : NULL;
}

/* Trains two epochs and predicts every image: nothing of it touches the files. */
static void
train_and_predict (StudioDataset *dataset)
{
  g_autoptr(StudioSession) session = studio_session_new ();
  g_autoptr(GError) finish_error = NULL;
  g_autofree float *probabilities = g_new (float, N_IMAGES * 2);
  StudioBatches *batches;
  StudioTrainingConfig config;
  CnnError cnn_error = { 0 };
  gint64 deadline;

  studio_training_config_init (&config);
  config.epochs = 2;
  config.batch_size = 8;
  config.validation_split = 0.25;
  studio_session_set_config (session, &config);
  studio_session_set_dataset (session, dataset);
  studio_session_set_model (session, faults_small_model_new (SIDE, SIDE, 3, 4, 2, 8));
  g_signal_connect (session, "finished", G_CALLBACK (on_finished), &finish_error);
  studio_session_train_async (session, NULL, NULL, NULL);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (studio_session_is_running (session) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  g_assert_false (studio_session_is_running (session));
  g_assert_no_error (finish_error);
  g_assert_cmpuint (studio_session_get_history (session)->len, ==, 2);

  batches = studio_batches_new (dataset, STUDIO_SPLIT_TRAIN, NULL, 0, FALSE, NULL, 0);
  g_assert_cmpint (cnn_model_predict_source (studio_session_get_model (session),
                                             studio_batches_get_source (batches), 8,
                                             probabilities, &cnn_error), ==, CNN_OK);
  studio_batches_free (batches);
  for (int i = 0; i < N_IMAGES; i++)
    g_assert_cmpfloat_with_epsilon (probabilities[2 * i] + probabilities[2 * i + 1], 1.0, 1e-4);
  g_signal_handlers_disconnect_by_data (session, &finish_error);
}

/* Image folders are decoded into memory when they are opened: afterwards the files may go. */
static void
test_deleted_after_load (void)
{
  g_autofree char *folder = make_image_folder ();
  g_autoptr(StudioLoadResult) result = load_folder (folder);

  faults_remove_tree (folder);
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
  train_and_predict (result->dataset);
  g_assert_cmpstr (studio_dataset_get_filename (result->dataset, STUDIO_SPLIT_TRAIN, 0), ==,
                   "cat.0.png");
}

/* Files overwritten with other bytes after loading: the samples stay what was loaded. */
static void
test_changed_after_load (void)
{
  g_autofree char *folder = make_image_folder ();
  g_autoptr(StudioLoadResult) result = load_folder (folder);
  StudioDataset *dataset = result->dataset;
  gsize size = (gsize) N_IMAGES * SIDE * SIDE * 3;
  g_autofree guint8 *pixels = g_memdup2 (studio_dataset_get_pixels (dataset, STUDIO_SPLIT_TRAIN, 0),
                                         size);
  g_autoptr(GBytes) other = faults_encode_image (SIDE, SIDE, "png", TRUE);

  for (int i = 0; i < N_IMAGES; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s.%d.png", i % 2 ? "dog" : "cat", i);
      g_autofree char *path = g_build_filename (folder, name, NULL);

      if (i % 3 == 0)
        g_assert_true (g_file_set_contents (path, "no longer an image", -1, NULL));
      else if (i % 3 == 1)
        g_assert_cmpint (truncate (path, 10), ==, 0);
      else
        faults_write_bytes (folder, name, other);
    }
  train_and_predict (dataset);
  g_assert_cmpmem (studio_dataset_get_pixels (dataset, STUDIO_SPLIT_TRAIN, 0), size, pixels, size);
  faults_remove_tree (folder);
}

/* Between the scan and the decoding, files are replaced by text or cut short: they are
 * skipped with their reason, the rest decode. (Files deleted in between are covered by
 * tests/data/test-image-folder.c, /data/image-folder/broken-files.) */
static void
test_changed_between_scan_and_decode (void)
{
  g_autofree char *folder = make_image_folder ();
  g_autoptr(GError) error = NULL;
  g_autoptr(StudioImageScan) scan = NULL;
  g_autoptr(StudioDataset) dataset = NULL;
  g_autofree char *skipped = NULL;
  g_autofree char *text = g_build_filename (folder, "cat.0.png", NULL);
  g_autofree char *cut = g_build_filename (folder, "dog.1.png", NULL);

  scan = studio_image_scan_folder (folder, STUDIO_IMAGE_LAYOUT_AUTO, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scan->entries->len, ==, N_IMAGES);
  g_assert_true (g_file_set_contents (text, "no longer an image", -1, NULL));
  g_assert_cmpint (truncate (cut, 40), ==, 0);

  dataset = studio_image_scan_decode (scan, SIDE, SIDE, 3, 2, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TRAIN), ==, N_IMAGES - 2);
  skipped = studio_image_scan_format_skipped (scan, 10);
  g_test_message ("%s", skipped);
  g_assert_nonnull (strstr (skipped, "cat.0.png"));
  g_assert_nonnull (strstr (skipped, "dog.1.png"));
  faults_remove_tree (folder);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/faults/dataset/deleted-after-load", test_deleted_after_load);
  g_test_add_func ("/faults/dataset/changed-after-load", test_changed_after_load);
  g_test_add_func ("/faults/dataset/changed-between-scan-and-decode",
                   test_changed_between_scan_and_decode);
  return g_test_run ();
}
