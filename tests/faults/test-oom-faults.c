/* test-oom-faults.c — out of memory on a batch: a clear error, weights kept, training goes on. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "faults-common.h"
#include "studio-error.h"
#include "studio-session.h"

#define SUBPROCESS_USEC (20 * G_USEC_PER_SEC)
#define MIB (1024.0 * 1024.0)

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature (address_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif

/* The address space in use now (VmSize), in bytes. */
static guint64
address_space_in_use (void)
{
  g_autofree char *statm = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL));
  return g_ascii_strtoull (statm, NULL, 10) * (guint64) sysconf (_SC_PAGESIZE);
}

/* Leaves `headroom` bytes of address space: larger allocations fail from now on. */
static void
limit_address_space (guint64 headroom)
{
  struct rlimit limit;

  g_assert_cmpint (getrlimit (RLIMIT_AS, &limit), ==, 0);
  limit.rlim_cur = address_space_in_use () + headroom;
  g_assert_cmpint (setrlimit (RLIMIT_AS, &limit), ==, 0);
}

static gboolean
skip_under_sanitizer (void)
{
#ifdef UNDER_SANITIZER
  g_test_skip ("AddressSanitizer reserves terabytes of address space: RLIMIT_AS cannot apply");
  return TRUE;
#else
  return FALSE;
#endif
}

/* ---------------------------------------------------------------- the engine */

static void
engine_batch_in_subprocess (void)
{
  const int big = 1024, small = 8;
  const CnnLoss loss = CNN_LOSS_SPARSE_CATEGORICAL_CROSSENTROPY;
  CnnModel *model = faults_small_model_new (32, 32, 3, 64, 10, 11);
  gsize sample = 32 * 32 * 3;
  g_autofree float *x = g_new (float, big * sample);
  g_autofree gint32 *labels = g_new0 (gint32, big);
  g_autofree float *before = NULL;
  const float *output = NULL;
  CnnOptimizerConfig config;
  CnnOptimizer *optimizer;
  CnnError error = { 0 };
  gsize n_floats;

  faults_fill_pattern (x, big * sample, 5);
  for (int i = 0; i < big; i++)
    labels[i] = i % 10;
  cnn_optimizer_config_init (&config, CNN_OPTIMIZER_ADAM);
  optimizer = cnn_optimizer_new (&config, cnn_model_trainable_params (model), &error);
  g_assert_nonnull (optimizer);
  /* Warm up (threads, BLAS buffers) before memory runs short. */
  g_assert_cmpint (cnn_model_train_batch (model, optimizer, loss, x, labels, small, NULL, NULL,
                                          &error), ==, CNN_OK);
  before = faults_copy_weights (model, &n_floats);

  /* The activations of 1,024 samples need ~500 MiB; 48 MiB are left. */
  limit_address_space (48 * 1024 * 1024);
  g_assert_cmpint (cnn_model_train_batch (model, optimizer, loss, x, labels, big, NULL, NULL,
                                          &error), ==, CNN_ERROR_NO_MEMORY);
  g_test_message ("train_batch: %s", error.message);
  g_assert_nonnull (strstr (error.message, "Not enough memory"));
  g_assert_true (faults_weights_equal (model, before, n_floats));
  g_assert_cmpint (cnn_model_forward (model, x, big, 0, &output, &error), ==,
                   CNN_ERROR_NO_MEMORY);
  g_assert_true (faults_weights_equal (model, before, n_floats));

  /* Still usable: smaller batches train, with the memory that is left. */
  for (int step = 0; step < 3; step++)
    g_assert_cmpint (cnn_model_train_batch (model, optimizer, loss, x + step * small * sample,
                                            labels, small, NULL, NULL, &error), ==, CNN_OK);
  g_assert_false (faults_weights_equal (model, before, n_floats));
  g_assert_cmpint (cnn_model_forward (model, x, small, 0, &output, &error), ==, CNN_OK);
  cnn_optimizer_free (optimizer);
  cnn_model_free (model);
}

static void
test_engine_batch (void)
{
  if (g_test_subprocess ())
    {
      engine_batch_in_subprocess ();
      return;
    }
  if (skip_under_sanitizer ())
    return;
  g_test_trap_subprocess (NULL, SUBPROCESS_USEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* ---------------------------------------------------------------- a session */

typedef struct {
  gboolean finished;
  GError *error;
} Finished;

static void
on_finished (StudioSession *session,
             const GError  *error,
             Finished      *finished)
{
  finished->finished = TRUE;
  g_clear_error (&finished->error);
  finished->error = error != NULL ? g_error_copy (error) : NULL;
}

static void
train_and_wait (StudioSession *session,
                int            batch_size,
                Finished      *finished)
{
  StudioTrainingConfig config = *studio_session_get_config (session);

  config.batch_size = batch_size;
  studio_session_set_config (session, &config);
  finished->finished = FALSE;
  studio_session_train_async (session, NULL, NULL, NULL);
  g_assert_true (faults_wait_for_flag (&finished->finished, 15));
}

/* A session whose batch does not fit reports it in words, keeps its model and trains
 * again with a smaller batch. `headroom_mib` decides which allocation fails first. */
static void
session_batch_in_subprocess (int headroom_mib)
{
  g_autoptr(StudioSession) session = studio_session_new ();
  g_autoptr(StudioDataset) dataset = faults_small_dataset_new (32, 32, 3, 4096);
  g_autofree float *before = NULL;
  StudioTrainingConfig config;
  Finished finished = { 0 };
  gsize n_floats;

  studio_training_config_init (&config);
  config.epochs = 1;
  config.steps_per_epoch = 2;
  studio_session_set_config (session, &config);
  studio_session_set_dataset (session, dataset);
  studio_session_set_model (session, faults_small_model_new (32, 32, 3, 8, 2, 12));
  g_signal_connect (session, "finished", G_CALLBACK (on_finished), &finished);
  train_and_wait (session, 4, &finished); /* warm up: worker threads, BLAS */
  g_assert_no_error (finished.error);
  before = faults_copy_weights (studio_session_get_model (session), &n_floats);

  /* A batch of 4,096 images of 32×32×3 is 48 MiB of floats, its activations far more. */
  limit_address_space ((guint64) headroom_mib * 1024 * 1024);
  train_and_wait (session, 4096, &finished);
  g_assert_error (finished.error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_NO_MEMORY);
  g_test_message ("finished with: %s", finished.error->message);
  g_assert_nonnull (strstr (finished.error->message, "memory"));
  g_assert_true (faults_weights_equal (studio_session_get_model (session), before, n_floats));
  g_assert_cmpuint (studio_session_get_history (session)->len, ==, 1);

  train_and_wait (session, 8, &finished);
  g_assert_no_error (finished.error);
  g_assert_cmpuint (studio_session_get_history (session)->len, ==, 2);
  g_assert_false (faults_weights_equal (studio_session_get_model (session), before, n_floats));
  g_signal_handlers_disconnect_by_data (session, &finished);
}

static void
test_session_batch (gconstpointer data)
{
  int headroom_mib = GPOINTER_TO_INT (data);

  if (g_test_subprocess ())
    {
      session_batch_in_subprocess (headroom_mib);
      return;
    }
  if (skip_under_sanitizer ())
    return;
  g_test_trap_subprocess (NULL, SUBPROCESS_USEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/faults/oom/engine-batch", test_engine_batch);
  /* 24 MiB left: room for a new worker thread's stack (the session's task may need one),
   * none for a batch of 48 MiB. */
  g_test_add_data_func ("/faults/oom/session-batch", GINT_TO_POINTER (24), test_session_batch);
  return g_test_run ();
}
