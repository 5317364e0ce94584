/* test-session.c — training sessions on real Fashion-MNIST: run, pause, stop, save, resume. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "studio-model-copy.h"
#include "studio-session.h"

#define WAIT_SECONDS 60
/* Long enough runs to pause and stop in the middle: 9,600 training samples in batches of
 * 32 are 300 steps. */
#define LONG_LIMIT 12000
#define LONG_STEPS 300

static StudioDataset *fashion_mnist;
static GThread *main_thread;

/* What the signal handlers saw; every handler checks it runs on the main thread. */
typedef struct {
  guint n_batch_signals;
  guint n_epoch_signals;
  guint n_finished;
  GPtrArray *messages;
  GError *finish_error;
  gboolean wrong_thread;
} Observed;

static void
assert_main_thread (Observed *observed)
{
  if (g_thread_self () != main_thread || !g_main_context_is_owner (g_main_context_default ()))
    observed->wrong_thread = TRUE;
}

static void
on_batch_progress (StudioSession *session,
                   Observed      *observed)
{
  assert_main_thread (observed);
  observed->n_batch_signals++;
}

static void
on_epoch_end (StudioSession *session,
              guint          index,
              Observed      *observed)
{
  assert_main_thread (observed);
  g_assert_cmpuint (index, <, studio_session_get_history (session)->len);
  observed->n_epoch_signals++;
}

static void
on_message (StudioSession *session,
            const char    *message,
            Observed      *observed)
{
  assert_main_thread (observed);
  g_ptr_array_add (observed->messages, g_strdup (message));
}

static void
on_finished (StudioSession *session,
             const GError  *error,
             Observed      *observed)
{
  assert_main_thread (observed);
  observed->n_finished++;
  g_clear_error (&observed->finish_error);
  observed->finish_error = error != NULL ? g_error_copy (error) : NULL;
}

static void
observe (StudioSession *session,
         Observed      *observed)
{
  memset (observed, 0, sizeof *observed);
  observed->messages = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (session, "batch-progress", G_CALLBACK (on_batch_progress), observed);
  g_signal_connect (session, "epoch-end", G_CALLBACK (on_epoch_end), observed);
  g_signal_connect (session, "message", G_CALLBACK (on_message), observed);
  g_signal_connect (session, "finished", G_CALLBACK (on_finished), observed);
}

static void
observed_clear (StudioSession *session,
                Observed      *observed)
{
  g_signal_handlers_disconnect_by_data (session, observed);
  g_ptr_array_unref (observed->messages);
  g_clear_error (&observed->finish_error);
}

static gboolean
has_message (Observed   *observed,
             const char *prefix)
{
  for (guint i = 0; i < observed->messages->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (observed->messages, i), prefix))
      return TRUE;
  return FALSE;
}

/* A small CNN, so that each test trains in well under a second per epoch. */
static StudioArchitecture *
small_architecture (void)
{
  StudioArchitecture *architecture = studio_architecture_new ("sequential", 28, 28, 1);
  CnnLayerSpec spec;

  cnn_layer_spec_init (&spec, CNN_LAYER_CONV2D);
  spec.filters = 8;
  spec.kernel_size[0] = spec.kernel_size[1] = 3;
  spec.activation = CNN_ACTIVATION_RELU;
  g_array_append_val (architecture->layers, spec);
  cnn_layer_spec_init (&spec, CNN_LAYER_MAX_POOLING2D);
  g_array_append_val (architecture->layers, spec);
  cnn_layer_spec_init (&spec, CNN_LAYER_FLATTEN);
  g_array_append_val (architecture->layers, spec);
  cnn_layer_spec_init (&spec, CNN_LAYER_DENSE);
  spec.units = 10;
  spec.activation = CNN_ACTIVATION_SOFTMAX;
  g_array_append_val (architecture->layers, spec);
  return architecture;
}

static StudioSession *
new_session (gsize limit,
             int   batch_size,
             int   epochs)
{
  StudioSession *session = studio_session_new ();
  g_autoptr(StudioArchitecture) architecture = small_architecture ();
  g_autoptr(GError) error = NULL;
  StudioTrainingConfig config;

  studio_training_config_init (&config);
  config.limit = limit;
  config.batch_size = batch_size;
  config.epochs = epochs;
  config.validation_split = 0.2;
  studio_session_set_config (session, &config);
  studio_session_set_dataset (session, fashion_mnist);
  g_assert_true (studio_session_set_architecture (session, architecture, &error));
  g_assert_no_error (error);
  return session;
}

typedef gboolean (*Condition) (gpointer data);

/* Iterates the main context until `condition` holds or `seconds` pass. */
static gboolean
wait_until (Condition condition,
            gpointer  data,
            double    seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  gboolean held;

  while (!(held = condition (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  return held;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static gboolean
is_idle (gpointer session)
{
  return !studio_session_is_running (session);
}

static gboolean
has_batches (gpointer session)
{
  return studio_session_get_batch_points (session)->len >= 3;
}

static void
train_and_wait (StudioSession *session)
{
  studio_session_train_async (session, NULL, NULL, NULL);
  g_assert_true (studio_session_is_running (session));
  g_assert_true (wait_until (is_idle, session, WAIT_SECONDS));
}

static void
test_runs_to_completion (void)
{
  /* 480 training samples in batches of 48: 10 steps per epoch, 2 epochs. */
  g_autoptr(StudioSession) session = new_session (600, 48, 2);
  GArray *history = NULL;
  Observed observed;

  observe (session, &observed);
  train_and_wait (session);

  g_assert_false (observed.wrong_thread);
  g_assert_no_error (observed.finish_error);
  g_assert_cmpuint (observed.n_finished, ==, 1);
  g_assert_cmpuint (observed.n_epoch_signals, ==, 2);
  g_assert_cmpuint (observed.n_batch_signals, >=, 1);
  g_assert_cmpint (studio_session_get_state (session), ==, STUDIO_SESSION_IDLE);
  g_assert_cmpint (studio_session_get_stop_reason (session), ==, CNN_STOPPED_COMPLETED);

  history = studio_session_get_history (session);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpint (g_array_index (history, CnnEpochLogs, 1).epoch, ==, 1);
  g_assert_true (g_array_index (history, CnnEpochLogs, 1).has_validation);
  g_assert_cmpfloat (g_array_index (history, CnnEpochLogs, 1).loss, <,
                     g_array_index (history, CnnEpochLogs, 0).loss);
  g_assert_cmpuint (studio_session_get_batch_points (session)->len, ==, 20);
  g_assert_cmpint (studio_session_get_steps (session), ==, 10);
  g_assert_true (has_message (&observed, "Epoch 1/2"));
  g_assert_true (has_message (&observed, "10/10 - "));

  /* Every layer with weights has norms; the conv kernel has a gradient. */
  {
    double weight_norm = 0, gradient_norm = 0;

    g_assert_true (studio_session_get_layer_norms (session, 0, &weight_norm, &gradient_norm));
    g_assert_cmpfloat (weight_norm, >, 0);
    g_assert_cmpfloat (gradient_norm, >, 0);
    g_assert_true (studio_session_get_layer_norms (session, 2, &weight_norm, NULL));
    g_assert_cmpfloat (weight_norm, ==, 0); /* Flatten has no weights */
  }
  observed_clear (session, &observed);
}

static guint
n_batches (StudioSession *session)
{
  return studio_session_get_batch_points (session)->len;
}

static void
test_pause_holds_still (void)
{
  g_autoptr(StudioSession) session = new_session (LONG_LIMIT, 32, 1);
  guint paused_at;

  studio_session_train_async (session, NULL, NULL, NULL);
  g_assert_true (wait_until (has_batches, session, WAIT_SECONDS));
  studio_session_pause (session);
  g_assert_cmpint (studio_session_get_state (session), ==, STUDIO_SESSION_PAUSED);

  /* The batch under way finishes and its progress arrives; then nothing moves. */
  wait_until (never, NULL, 0.3);
  paused_at = n_batches (session);
  wait_until (never, NULL, 0.3);
  g_test_message ("paused after %u batches", paused_at);
  g_assert_cmpuint (n_batches (session), ==, paused_at);
  g_assert_cmpuint (paused_at, <, LONG_STEPS);

  studio_session_resume (session);
  g_assert_cmpint (studio_session_get_state (session), ==, STUDIO_SESSION_TRAINING);
  g_assert_true (wait_until (is_idle, session, WAIT_SECONDS));
  g_assert_cmpuint (n_batches (session), ==, LONG_STEPS);
  g_assert_cmpuint (studio_session_get_history (session)->len, ==, 1);
}

static void
test_stop_within_one_batch (void)
{
  g_autoptr(StudioSession) session = new_session (LONG_LIMIT, 32, 1);
  guint paused_at;
  gint64 stop_time;

  /* Exactly: stopped while paused, not one more batch runs. */
  studio_session_train_async (session, NULL, NULL, NULL);
  g_assert_true (wait_until (has_batches, session, WAIT_SECONDS));
  studio_session_pause (session);
  wait_until (never, NULL, 0.3);
  paused_at = n_batches (session);
  studio_session_stop (session);
  g_assert_cmpint (studio_session_get_state (session), ==, STUDIO_SESSION_STOPPING);
  g_assert_true (wait_until (is_idle, session, WAIT_SECONDS));
  g_assert_cmpuint (n_batches (session), ==, paused_at);
  g_assert_cmpint (studio_session_get_stop_reason (session), ==, CNN_STOPPED_BY_USER);
  /* Keras records nothing for an epoch that did not end. */
  g_assert_cmpuint (studio_session_get_history (session)->len, ==, 0);

  /* While running: the run ends promptly, long before its epoch would. */
  studio_session_train_async (session, NULL, NULL, NULL);
  g_assert_true (wait_until (has_batches, session, WAIT_SECONDS));
  stop_time = g_get_monotonic_time ();
  studio_session_stop (session);
  g_assert_true (wait_until (is_idle, session, WAIT_SECONDS));
  g_test_message ("stopped %.0f ms after the request, %u batches in all",
                  (g_get_monotonic_time () - stop_time) / 1000.0, n_batches (session));
  g_assert_cmpuint (n_batches (session), <, paused_at + LONG_STEPS);
  g_assert_cmpuint (studio_session_get_history (session)->len, ==, 0);
}

static void
test_cancellable_stops (void)
{
  g_autoptr(StudioSession) session = new_session (LONG_LIMIT, 32, 1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  studio_session_train_async (session, cancellable, NULL, NULL);
  g_assert_true (wait_until (has_batches, session, WAIT_SECONDS));
  g_cancellable_cancel (cancellable);
  g_assert_true (wait_until (is_idle, session, WAIT_SECONDS));
  g_assert_cmpint (studio_session_get_stop_reason (session), ==, CNN_STOPPED_BY_USER);
  g_assert_cmpuint (n_batches (session), <, LONG_STEPS);
}

static void
test_no_leak_after_stop (void)
{
  StudioSession *session = new_session (LONG_LIMIT, 32, 1);
  gpointer weak = session;

  g_object_add_weak_pointer (G_OBJECT (session), &weak);
  studio_session_train_async (session, NULL, NULL, NULL);
  g_assert_true (wait_until (has_batches, session, WAIT_SECONDS));
  studio_session_stop (session);
  g_assert_true (wait_until (is_idle, session, WAIT_SECONDS));
  g_object_unref (session);
  /* The run's task lets go of the session once its callback has been dispatched. */
  wait_until (never, NULL, 0.1);
  g_assert_null (weak);
}

static void
test_save_load_resume (void)
{
  g_autoptr(StudioSession) session = new_session (600, 48, 1);
  g_autoptr(StudioSession) resumed = studio_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_dir_make_tmp ("convstudio-session-XXXXXX", &error);
  g_autofree char *path = g_build_filename (folder, "model.safetensors", NULL);
  StudioTrainingConfig config;
  GArray *history;
  Observed observed;

  g_assert_no_error (error);
  train_and_wait (session);
  g_assert_cmpuint (studio_session_get_history (session)->len, ==, 1);
  g_assert_true (studio_session_save (session, path, &error));
  g_assert_no_error (error);

  g_assert_true (studio_session_load (resumed, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (studio_session_get_epochs_done (resumed), ==, 1);
  config = *studio_session_get_config (resumed);
  g_assert_cmpint (config.batch_size, ==, 48);
  config.limit = 600;
  config.validation_split = 0.2;
  config.epochs = 2;
  studio_session_set_config (resumed, &config);
  studio_session_set_dataset (resumed, fashion_mnist);

  observe (resumed, &observed);
  train_and_wait (resumed);
  g_assert_no_error (observed.finish_error);
  g_assert_true (has_message (&observed, "Epoch 2/2"));
  g_assert_false (has_message (&observed, "Epoch 1/2"));
  history = studio_session_get_history (resumed);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpint (g_array_index (history, CnnEpochLogs, 1).epoch, ==, 1);
  g_assert_cmpfloat (g_array_index (history, CnnEpochLogs, 0).loss, ==,
                     g_array_index (studio_session_get_history (session), CnnEpochLogs, 0).loss);
  observed_clear (resumed, &observed);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (folder), ==, 0);
}

static void
test_error_then_train_again (void)
{
  g_autoptr(StudioSession) session = new_session (600, 48, 1);
  StudioTrainingConfig config = *studio_session_get_config (session);
  g_autoptr(GError) error = NULL;
  Observed observed;

  cnn_optimizer_config_init (&config.optimizer, CNN_OPTIMIZER_SGD);
  config.optimizer.learning_rate = 1e30;
  studio_session_set_config (session, &config);
  observe (session, &observed);
  train_and_wait (session);
  g_assert_error (observed.finish_error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_NUMERIC);
  g_test_message ("%s", observed.finish_error->message);
  g_assert_cmpint (studio_session_get_state (session), ==, STUDIO_SESSION_IDLE);
  g_assert_cmpuint (studio_session_get_history (session)->len, ==, 0);

  /* The session stays usable: start over with a sane rate. */
  g_assert_true (studio_session_reset (session, &error));
  g_assert_no_error (error);
  config.optimizer.learning_rate = 0.01;
  studio_session_set_config (session, &config);
  train_and_wait (session);
  g_assert_no_error (observed.finish_error);
  g_assert_cmpuint (studio_session_get_history (session)->len, ==, 1);
  g_assert_true (isfinite (g_array_index (studio_session_get_history (session),
                                          CnnEpochLogs, 0).loss));
  observed_clear (session, &observed);
}

static void
test_not_ready (void)
{
  g_autoptr(StudioSession) session = studio_session_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (studio_session_check_ready (session, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  studio_session_set_dataset (session, fashion_mnist);
  g_assert_false (studio_session_check_ready (session, &error));
  g_assert_nonnull (error);
}

typedef struct {
  gboolean done;
  gboolean built;
  GError *error;
  gboolean wrong_thread;
} BuildResult;

static void
on_model_built (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  BuildResult *build = user_data;

  build->wrong_thread = g_thread_self () != main_thread;
  build->built = studio_session_build_model_finish (STUDIO_SESSION (source), result,
                                                    &build->error);
  build->done = TRUE;
}

static gboolean
is_built (gpointer build)
{
  return ((BuildResult *) build)->done;
}

/* The model is built on a worker and adopted on the main thread; a cancelled build changes
 * nothing, and a stack that cannot build reports why. */
static void
test_build_model_async (void)
{
  g_autoptr(StudioSession) session = studio_session_new ();
  g_autoptr(StudioArchitecture) architecture = small_architecture ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  BuildResult build = { 0 };
  CnnModel *first;

  studio_session_build_model_async (session, architecture, NULL, on_model_built, &build);
  g_assert_null (studio_session_get_model (session));
  g_assert_true (wait_until (is_built, &build, WAIT_SECONDS));
  g_assert_no_error (build.error);
  g_assert_true (build.built);
  g_assert_false (build.wrong_thread);
  first = studio_session_get_model (session);
  g_assert_nonnull (first);
  g_assert_cmpint (cnn_model_n_layers (first), ==, (int) architecture->layers->len);

  memset (&build, 0, sizeof build);
  studio_session_build_model_async (session, architecture, cancellable, on_model_built, &build);
  g_cancellable_cancel (cancellable);
  g_assert_true (wait_until (is_built, &build, WAIT_SECONDS));
  g_assert_error (build.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (build.built);
  g_assert_true (studio_session_get_model (session) == first);
  g_clear_error (&build.error);

  /* A Dense layer of 0 units cannot be built. */
  memset (&build, 0, sizeof build);
  g_array_index (architecture->layers, CnnLayerSpec, architecture->layers->len - 1).units = 0;
  studio_session_build_model_async (session, architecture, NULL, on_model_built, &build);
  g_assert_true (wait_until (is_built, &build, WAIT_SECONDS));
  g_assert_nonnull (build.error);
  g_assert_false (build.built);
  g_assert_true (studio_session_get_model (session) == first);
  g_clear_error (&build.error);
}

/* An epoch's copy holds that epoch's weights; later training leaves the copy alone. */
static void
take_epoch_copy (StudioSession *session,
                 guint          index,
                 CnnModel     **newest)
{
  /* Epochs that end within one delivery share one copy: the newest. */
  CnnModel *copy = studio_session_take_epoch_copy (session);

  if (copy == NULL)
    return;
  g_clear_pointer (newest, cnn_model_free);
  *newest = copy;
}

static float
first_kernel_value (CnnModel *model)
{
  return cnn_model_weight (model, 0)->data[0];
}

static void
test_epoch_copies (void)
{
  g_autoptr(StudioSession) session = new_session (600, 48, 2);
  CnnModel *newest = NULL;
  float copied;

  /* Off by default: nothing to take. */
  train_and_wait (session);
  g_assert_null (studio_session_take_epoch_copy (session));

  studio_session_set_epoch_copies (session, TRUE);
  g_signal_connect (session, "epoch-end", G_CALLBACK (take_epoch_copy), &newest);
  train_and_wait (session);
  g_assert_nonnull (newest);
  g_assert_true (newest != studio_session_get_model (session));
  g_assert_cmpint (cnn_model_n_layers (newest), ==,
                   cnn_model_n_layers (studio_session_get_model (session)));
  /* The copy of the last epoch is the trained model. */
  copied = first_kernel_value (newest);
  g_assert_cmpfloat (copied, ==, first_kernel_value (studio_session_get_model (session)));
  /* Taken: the session holds no other. */
  g_assert_null (studio_session_take_epoch_copy (session));

  /* Training on changes the model, not the copy a listener took. */
  g_signal_handlers_disconnect_by_data (session, &newest);
  train_and_wait (session);
  g_assert_cmpfloat (first_kernel_value (newest), ==, copied);
  g_assert_cmpfloat (first_kernel_value (studio_session_get_model (session)), !=, copied);
  cnn_model_free (newest);
}

int
main (int argc, char *argv[])
{
  const char *folder = g_getenv ("FASHION_MNIST_DIR");
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  main_thread = g_thread_self ();
  if (folder == NULL)
    folder = FASHION_MNIST_DIR;
  fashion_mnist = studio_dataset_open (folder, NULL, &error);
  if (fashion_mnist == NULL)
    {
      g_printerr ("SKIP: Fashion-MNIST is not installed: %s\n", error->message);
      return 77;
    }

  g_test_add_func ("/studio/session/runs-to-completion", test_runs_to_completion);
  g_test_add_func ("/studio/session/build-model-async", test_build_model_async);
  g_test_add_func ("/studio/session/pause-holds-still", test_pause_holds_still);
  g_test_add_func ("/studio/session/stop-within-one-batch", test_stop_within_one_batch);
  g_test_add_func ("/studio/session/cancellable-stops", test_cancellable_stops);
  g_test_add_func ("/studio/session/no-leak-after-stop", test_no_leak_after_stop);
  g_test_add_func ("/studio/session/save-load-resume", test_save_load_resume);
  g_test_add_func ("/studio/session/error-then-train-again", test_error_then_train_again);
  g_test_add_func ("/studio/session/not-ready", test_not_ready);
  g_test_add_func ("/studio/session/epoch-copies", test_epoch_copies);
  status = g_test_run ();
  g_object_unref (fashion_mnist);
  return status;
}
