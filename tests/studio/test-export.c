/* test-export.c — predictions, Kaggle and history CSVs, and atomic writes. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include <string.h>

#include <glib/gstdio.h>

#include "studio-export.h"

static void
test_predictions_csv (void)
{
  const char * const class_names[] = { "cat", "dog, big", NULL };
  const char * const filenames[] = { "cat.1.jpg", "say \"hi\".png", NULL, "4.jpg" };
  const gint32 labels[] = { 0, 0, 1, -1 };
  const float probabilities[] = { 0.75f, 0.25f, 0.125f, 0.875f, 0.5f, 0.5f, 0.25f, 0.75f };
  g_autofree char *csv = studio_predictions_to_csv (filenames, labels, probabilities, 4,
                                                    class_names, 2);
  g_autofree char *unlabelled = studio_predictions_to_csv (filenames, NULL, probabilities, 2,
                                                           class_names, 2);

  g_assert_cmpstr (csv, ==,
                   "filename,predicted_class,confidence,true_class,correct,cat,\"dog, big\"\r\n"
                   "cat.1.jpg,cat,0.75,cat,1,0.75,0.25\r\n"
                   "\"say \"\"hi\"\".png\",\"dog, big\",0.875,cat,0,0.125,0.875\r\n"
                   /* a tie goes to the first class, as numpy's argmax; no filename → index */
                   "2,cat,0.5,\"dog, big\",0,0.5,0.5\r\n"
                   /* an unknown label: no true class, no verdict */
                   "4.jpg,\"dog, big\",0.75,,,0.25,0.75\r\n");
  g_assert_cmpstr (unlabelled, ==,
                   "filename,predicted_class,confidence,cat,\"dog, big\"\r\n"
                   "cat.1.jpg,cat,0.75,0.75,0.25\r\n"
                   "\"say \"\"hi\"\".png\",\"dog, big\",0.875,0.125,0.875\r\n");
}

static void
test_kaggle_csv (void)
{
  const char * const filenames[] = { "test1/1.jpg", "test1/12500.jpg", "10.png" };
  const float probabilities[] = { 0.1f, 0.9f, 0.6f, 0.4f, 0.3f, 0.7f };
  g_autofree char *csv = studio_predictions_to_kaggle_csv (filenames, probabilities, 3, 2);

  g_assert_cmpstr (csv, ==, "id,label\r\n1,1\r\n12500,0\r\n10,1\r\n");
}

static void
test_history_round_trip (void)
{
  const CnnEpochLogs epochs[] = {
    { .epoch = 0, .loss = 0.5123, .accuracy = 0.8125, .has_validation = TRUE,
      .val_loss = 0.41, .val_accuracy = 0.85, .lr = 0.001 },
    { .epoch = 1, .loss = 0.25, .accuracy = 0.9, .has_validation = FALSE, .lr = 0.0005000000237487257 },
  };
  g_autofree char *csv = studio_history_to_csv (epochs, 2);
  g_autoptr (GArray) read_back = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpstr (csv, ==, "epoch,loss,accuracy,val_loss,val_accuracy,lr\r\n"
                            "1,0.5123,0.8125,0.41,0.85,0.001\r\n"
                            "2,0.25,0.9,,,0.0005000000237487257\r\n");
  read_back = studio_history_from_csv (csv, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (read_back->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      CnnEpochLogs *logs = &g_array_index (read_back, CnnEpochLogs, i);

      g_assert_cmpint (logs->epoch, ==, epochs[i].epoch);
      g_assert_cmpfloat (logs->loss, ==, epochs[i].loss);
      g_assert_cmpfloat (logs->lr, ==, epochs[i].lr);
      g_assert_cmpint (logs->has_validation, ==, epochs[i].has_validation);
    }

  g_assert_null (studio_history_from_csv ("id,label\n1,1\n", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
test_atomic_write (void)
{
  g_autofree char *folder = g_dir_make_tmp ("convstudio-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (folder, "predictions.csv", NULL);
  g_autofree char *missing = g_build_filename (folder, "no-such-folder", "x.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = NULL;
  guint n_files = 0;

  g_assert_true (studio_write_file_atomically (path, "old\n", 4, &error));
  g_assert_no_error (error);
  g_assert_false (studio_write_file_atomically (missing, "new\n", 4, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "x.csv"));

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old\n");
  /* No temporary file is left behind. */
  dir = g_dir_open (folder, 0, NULL);
  while (g_dir_read_name (dir) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 1);

  g_remove (path);
  g_rmdir (folder);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studio/export/predictions-csv", test_predictions_csv);
  g_test_add_func ("/studio/export/kaggle-csv", test_kaggle_csv);
  g_test_add_func ("/studio/export/history-round-trip", test_history_round_trip);
  g_test_add_func ("/studio/export/atomic-write", test_atomic_write);

  return g_test_run ();
}
