/* test-cancel-faults.c — stop and close in every phase: scan, decode, train, predict, export. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "faults-common.h"
#include "studio-batches.h"
#include "studio-dataset-loader.h"
#include "studio-export.h"
#include "studio-image-folder.h"
#include "studio-model-json.h"
#include "studio-session.h"

/* How long a phase may go on after it was told to stop. */
#define PROMPT_SECONDS 1.0
#define WAIT_SECONDS 30.0

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* ---------------------------------------------------------------- scan */

typedef struct {
  GCancellable *cancellable;
  gulong delay_usec;
  gint64 cancel_time;
} DelayedCancel;

static gpointer
cancel_later (gpointer data)
{
  DelayedCancel *cancel = data;

  g_usleep (cancel->delay_usec);
  cancel->cancel_time = g_get_monotonic_time ();
  g_cancellable_cancel (cancel->cancellable);
  return NULL;
}

/* A folder of 12,000 Kaggle-named files: a scan long enough to cancel in the middle. */
static void
test_cancel_scan (void)
{
  g_autofree char *folder = faults_make_scratch_dir ();
  g_autoptr(GBytes) image = faults_encode_image (4, 4, "png", FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  StudioImageScan *scan;
  DelayedCancel cancel = { cancellable, 0, 0 };
  GThread *thread;
  gint64 start, end;
  double full_seconds;

  for (int i = 0; i < 12000; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s.%d.png", i % 2 ? "dog" : "cat", i);

      faults_write_bytes (folder, name, image);
    }
  start = g_get_monotonic_time ();
  scan = studio_image_scan_folder (folder, STUDIO_IMAGE_LAYOUT_AUTO, NULL, &error);
  full_seconds = seconds_since (start);
  g_assert_no_error (error);
  g_assert_cmpuint (scan->entries->len, ==, 12000);
  studio_image_scan_free (scan);

  /* Cancelled at a third of the way: G_IO_ERROR_CANCELLED, promptly, nothing returned. */
  cancel.delay_usec = (gulong) (full_seconds * G_USEC_PER_SEC / 3);
  thread = g_thread_new ("cancel-scan", cancel_later, &cancel);
  scan = studio_image_scan_folder (folder, STUDIO_IMAGE_LAYOUT_AUTO, cancellable, &error);
  end = g_get_monotonic_time ();
  g_thread_join (thread);
  g_test_message ("full scan %.0f ms; cancelled after %.0f ms, returned %.1f ms later",
                  full_seconds * 1000, cancel.delay_usec / 1000.0,
                  (end - cancel.cancel_time) / 1000.0);
  if (end < cancel.cancel_time)
    {
      g_test_incomplete ("the scan finished before the cancel (machine too fast)");
      g_clear_pointer (&scan, studio_image_scan_free);
    }
  else
    {
      g_assert_null (scan);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpfloat ((end - cancel.cancel_time) / (double) G_USEC_PER_SEC, <,
                         PROMPT_SECONDS);
    }
  faults_remove_scratch_dir (folder);
}

/* ---------------------------------------------------------------- decode */

typedef struct {
  gboolean done;
  StudioLoadResult *result;
  GError *error;
  gint64 done_time;
} LoadOutcome;

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  LoadOutcome *outcome = user_data;

  outcome->result = studio_load_dataset_finish (result, &outcome->error);
  outcome->done_time = g_get_monotonic_time ();
  outcome->done = TRUE;
}

/* The loader the window uses, cancelled while it decodes large JPEGs. */
static void
test_cancel_decode (void)
{
  g_autofree char *folder = faults_make_temp_dir ();
  g_autoptr(GBytes) image = faults_encode_image (1024, 768, "jpeg", TRUE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  StudioImageProgress progress = { 0, 0 };
  StudioLoadOptions options;
  LoadOutcome outcome = { 0 };
  gint64 deadline, cancel_time;

  for (int i = 0; i < 200; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s.%d.jpg", i % 2 ? "dog" : "cat", i);

      faults_write_bytes (folder, name, image);
    }
  studio_load_options_init (&options);
  options.height = options.width = 64;
  options.channels = 3;
  studio_load_dataset_async (folder, &options, &progress, cancellable, on_loaded, &outcome);
  deadline = g_get_monotonic_time () + (gint64) (WAIT_SECONDS * G_USEC_PER_SEC);
  while (g_atomic_int_get (&progress.done) < 4 && !outcome.done
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (500);
  g_assert_false (outcome.done);
  cancel_time = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  g_assert_true (faults_wait_for_flag (&outcome.done, WAIT_SECONDS));
  g_test_message ("cancelled after %d of %d files; finished %.1f ms later",
                  g_atomic_int_get (&progress.done), progress.total,
                  (outcome.done_time - cancel_time) / 1000.0);
  g_assert_null (outcome.result);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_atomic_int_get (&progress.done), <, 200);
  g_assert_cmpfloat ((outcome.done_time - cancel_time) / (double) G_USEC_PER_SEC, <,
                     PROMPT_SECONDS);
  g_clear_error (&outcome.error);
  faults_remove_tree (folder);
}

/* ---------------------------------------------------------------- train */

/* 3,200 samples of 24×24 in batches of 16 for 1,000 epochs: minutes of work, unless stopped. */
static StudioSession *
new_training_session (void)
{
  StudioSession *session = studio_session_new ();
  g_autoptr(StudioDataset) dataset = faults_small_dataset_new (24, 24, 1, 3200);
  StudioTrainingConfig config;

  studio_training_config_init (&config);
  config.batch_size = 16;
  config.epochs = 1000;
  studio_session_set_config (session, &config);
  studio_session_set_dataset (session, dataset);
  studio_session_set_model (session, faults_small_model_new (24, 24, 1, 16, 2, 5));
  return session;
}

static void
on_finished (StudioSession *session,
             const GError  *error,
             gboolean      *finished)
{
  *finished = TRUE;
}

static gboolean
wait_for_batches (StudioSession *session,
                  guint          n)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (WAIT_SECONDS * G_USEC_PER_SEC);

  while (studio_session_get_batch_points (session)->len < n
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  return studio_session_get_batch_points (session)->len >= n;
}

/* Stop during an epoch ends the run within a second; the session trains again after. */
static void
test_stop_training (void)
{
  g_autoptr(StudioSession) session = new_training_session ();
  gboolean finished = FALSE;
  gint64 stop_time;
  double stop_seconds;

  g_signal_connect (session, "finished", G_CALLBACK (on_finished), &finished);
  studio_session_train_async (session, NULL, NULL, NULL);
  g_assert_true (wait_for_batches (session, 3));
  g_assert_true (studio_session_is_running (session));
  stop_time = g_get_monotonic_time ();
  studio_session_stop (session);
  g_assert_true (faults_wait_for_flag (&finished, WAIT_SECONDS));
  stop_seconds = seconds_since (stop_time);
  g_test_message ("stopped %.1f ms after the request", stop_seconds * 1000);
  g_assert_cmpfloat (stop_seconds, <, PROMPT_SECONDS);
  g_assert_false (studio_session_is_running (session));
  g_assert_cmpint (studio_session_get_stop_reason (session), ==, CNN_STOPPED_BY_USER);
  g_assert_cmpuint (studio_session_get_history (session)->len, ==, 0);

  /* Not a broken session: the next run goes to its end. */
  {
    StudioTrainingConfig config = *studio_session_get_config (session);

    config.epochs = 1;
    config.steps_per_epoch = 5;
    studio_session_set_config (session, &config);
  }
  finished = FALSE;
  studio_session_train_async (session, NULL, NULL, NULL);
  g_assert_true (faults_wait_for_flag (&finished, WAIT_SECONDS));
  g_assert_cmpint (studio_session_get_stop_reason (session), ==, CNN_STOPPED_COMPLETED);
  g_assert_cmpuint (studio_session_get_history (session)->len, ==, 1);
  g_signal_handlers_disconnect_by_data (session, &finished);
}

/* Closing while training: the owner drops its reference mid-epoch (the window stops the run
 * first; a caller with only a cancellable cancels later). Either way the run ends promptly
 * and the session is freed: the weak pointer clears. */
static void
test_close_while_training (gconstpointer data)
{
  gboolean stop_first = GPOINTER_TO_INT (data);
  StudioSession *session = new_training_session ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gpointer weak = session;
  gboolean finished = FALSE;
  gint64 close_time;

  g_object_add_weak_pointer (G_OBJECT (session), &weak);
  g_signal_connect (session, "finished", G_CALLBACK (on_finished), &finished);
  studio_session_train_async (session, cancellable, NULL, NULL);
  g_assert_true (wait_for_batches (session, 2));
  g_assert_true (studio_session_is_running (session));

  close_time = g_get_monotonic_time ();
  if (stop_first)
    studio_session_stop (session);
  g_object_unref (session);
  /* The run's task keeps it alive until the run has ended. */
  g_assert_nonnull (weak);
  if (!stop_first)
    g_cancellable_cancel (cancellable);
  g_assert_true (faults_wait_for_flag (&finished, WAIT_SECONDS));
  for (int i = 0; i < 100 && weak != NULL; i++)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  g_test_message ("freed %.1f ms after the close", seconds_since (close_time) * 1000);
  g_assert_null (weak);
  g_assert_cmpfloat (seconds_since (close_time), <, PROMPT_SECONDS);
}

/* ---------------------------------------------------------------- predict */

/* A batch source that gives up when its cancellable is cancelled: how a caller stops the
 * engine's predict (which has no cancellable) between two batches. */
typedef struct {
  CnnBatchSource source;
  CnnBatchSource *inner;
  GCancellable *cancellable;
  gint batches;
} CancellableSource;

static CnnStatus
cancellable_next_batch (void     *user_data,
                        float    *x,
                        int32_t  *labels,
                        int       max_batch,
                        int      *n_filled,
                        CnnError *error)
{
  CancellableSource *source = user_data;

  if (g_cancellable_is_cancelled (source->cancellable))
    return cnn_error_set (error, CNN_ERROR_DATA, "Prediction cancelled");
  g_atomic_int_inc (&source->batches);
  return source->inner->next_batch (source->inner->user_data, x, labels, max_batch, n_filled,
                                    error);
}

static CnnStatus
cancellable_begin_epoch (void     *user_data,
                         int       epoch,
                         CnnError *error)
{
  CancellableSource *source = user_data;

  if (source->inner->begin_epoch == NULL)
    return CNN_OK;
  return source->inner->begin_epoch (source->inner->user_data, epoch, error);
}

typedef struct {
  CnnModel *model;
  CancellableSource *source;
  float *output;
  CnnStatus status;
  CnnError error;
  gint64 end_time;
} PredictRun;

static gpointer
predict_in_thread (gpointer data)
{
  PredictRun *run = data;

  run->status = cnn_model_predict_source (run->model, &run->source->source, 32, run->output,
                                          &run->error);
  run->end_time = g_get_monotonic_time ();
  return NULL;
}

static void
test_cancel_predict (void)
{
  const gsize n = 6000;
  g_autoptr(StudioDataset) dataset = faults_small_dataset_new (32, 32, 1, n);
  CnnModel *model = faults_small_model_new (32, 32, 1, 32, 2, 6);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree float *output = g_new0 (float, n * 2);
  g_autofree float *expected = g_new0 (float, 64 * 2);
  g_autofree float *again = g_new0 (float, 64 * 2);
  StudioBatches *batches = studio_batches_new (dataset, STUDIO_SPLIT_TRAIN, NULL, 0, FALSE,
                                               NULL, 0);
  CancellableSource source = {
    .source = { .n_samples = (gint64) n, .begin_epoch = cancellable_begin_epoch,
                .next_batch = cancellable_next_batch },
    .inner = studio_batches_get_source (batches),
    .cancellable = cancellable,
  };
  PredictRun run = { model, &source, output, CNN_OK, { 0 }, 0 };
  GThread *thread;
  gint64 cancel_time;
  double after_cancel;

  source.source.user_data = &source;
  thread = g_thread_new ("predict", predict_in_thread, &run);
  while (g_atomic_int_get (&source.batches) < 3)
    g_usleep (200);
  cancel_time = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  g_thread_join (thread);
  after_cancel = (run.end_time - cancel_time) / (double) G_USEC_PER_SEC;
  g_test_message ("predict returned %.1f ms after the cancel, %d of %zu batches",
                  after_cancel * 1000, g_atomic_int_get (&source.batches), n / 32 + 1);
  if (run.status == CNN_OK)
    g_test_incomplete ("every batch was predicted before the cancel was seen");
  else
    {
      g_assert_cmpint (run.status, ==, CNN_ERROR_DATA);
      g_assert_nonnull (strstr (run.error.message, "cancelled"));
      g_assert_cmpfloat (after_cancel, <, PROMPT_SECONDS);
    }
  /* The prefetching batches are freed mid-epoch; the model predicts as before. */
  studio_batches_free (batches);
  {
    g_autofree float *x = g_new (float, 64 * 32 * 32);
    CnnError error = { 0 };

    faults_fill_pattern (x, 64 * 32 * 32, 9);
    g_assert_cmpint (cnn_model_predict (model, x, 64, 32, expected, &error), ==, CNN_OK);
    g_assert_cmpint (cnn_model_predict (model, x, 64, 16, again, &error), ==, CNN_OK);
    for (int i = 0; i < 64 * 2; i++)
      g_assert_cmpfloat_with_epsilon (expected[i], again[i], 1e-5);
  }
  cnn_model_free (model);
}

/* ---------------------------------------------------------------- export */

typedef struct {
  const char *folder;
  gint started;
} Remover;

static gpointer
remove_folder (gpointer data)
{
  Remover *remover = data;

  while (!g_atomic_int_get (&remover->started))
    g_thread_yield ();
  g_usleep (2000);
  faults_remove_tree (remover->folder);
  return NULL;
}

/* The folder of a large CSV export vanishes while it is written: a clear error (or, when the
 * removal came too late, the complete file), never a crash and never a stray file. */
static void
test_export_folder_removed (void)
{
  g_autofree char *parent = faults_make_temp_dir ();
  g_autofree char *folder = g_build_filename (parent, "exports", NULL);
  g_autofree char *path = g_build_filename (folder, "predictions.csv", NULL);
  const gsize n = 200000;
  const char * const class_names[] = { "cat", "dog" };
  g_autofree float *probabilities = g_new (float, n * 2);
  g_autofree char *csv = NULL;
  g_autoptr(GError) error = NULL;
  Remover remover = { folder, 0 };
  GThread *thread;
  gboolean written;

  faults_fill_pattern (probabilities, n * 2, 3);
  csv = studio_predictions_to_csv (NULL, NULL, probabilities, n, class_names, 2);
  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  thread = g_thread_new ("remove", remove_folder, &remover);
  g_atomic_int_set (&remover.started, 1);
  written = studio_write_file_atomically (path, csv, strlen (csv), &error);
  g_thread_join (thread);

  if (written)
    g_test_message ("the export finished before the folder was removed");
  else
    {
      g_test_message ("error: %s", error->message);
      g_assert_true (error->domain == G_IO_ERROR);
      g_assert_nonnull (strstr (error->message, "predictions.csv"));
    }
  /* Whatever happened, no temporary file is left: the folder is gone, or holds the export. */
  if (g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        if (!(written && g_str_equal (name, "predictions.csv")))
          g_error ("the interrupted export left “%s” behind", name);
    }
  faults_remove_tree (folder);
  /* A second export into the missing folder fails with "not found", naming the file. */
  g_clear_error (&error);
  g_assert_false (studio_write_file_atomically (path, csv, strlen (csv), &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "predictions.csv"));
  faults_remove_tree (parent);
}

int
main (int   argc,
      char *argv[])
{
  faults_init_mounts ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/faults/cancel/scan", test_cancel_scan);
  g_test_add_func ("/faults/cancel/decode", test_cancel_decode);
  g_test_add_func ("/faults/cancel/train-stop", test_stop_training);
  g_test_add_data_func ("/faults/cancel/close-while-training/stop-then-unref",
                        GINT_TO_POINTER (TRUE), test_close_while_training);
  g_test_add_data_func ("/faults/cancel/close-while-training/unref-then-cancel",
                        GINT_TO_POINTER (FALSE), test_close_while_training);
  g_test_add_func ("/faults/cancel/predict", test_cancel_predict);
  g_test_add_func ("/faults/cancel/export-folder-removed", test_export_folder_removed);
  return g_test_run ();
}
