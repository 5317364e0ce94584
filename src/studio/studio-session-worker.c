/* studio-session-worker.c — the worker half of a session: fit, pause, progress snapshots. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>
#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include <glib/gi18n-lib.h>

#include "studio-error.h"
#include "studio-model-copy.h"
#include "studio-progbar.h"
#include "studio-session-private.h"

/* Per-layer norms cost a pass over every weight: measure them at most this often. */
#define NORMS_INTERVAL_USEC (100 * 1000)

void
studio_session_snapshot_init (StudioSessionSnapshot *snapshot)
{
  memset (snapshot, 0, sizeof *snapshot);
  snapshot->batch_points = g_array_new (FALSE, FALSE, sizeof (StudioBatchPoint));
  snapshot->epochs = g_array_new (FALSE, FALSE, sizeof (CnnEpochLogs));
  snapshot->messages = g_ptr_array_new_with_free_func (g_free);
  snapshot->best_epoch = -1;
  snapshot->stopped_epoch = -1;
}

void
studio_session_snapshot_clear (StudioSessionSnapshot *snapshot)
{
  g_clear_pointer (&snapshot->batch_points, g_array_unref);
  g_clear_pointer (&snapshot->epochs, g_array_unref);
  g_clear_pointer (&snapshot->messages, g_ptr_array_unref);
  g_clear_pointer (&snapshot->weight_norms, g_free);
  g_clear_pointer (&snapshot->gradient_norms, g_free);
  g_clear_pointer (&snapshot->epoch_model, cnn_model_free);
}

void
studio_session_run_free (StudioSessionRun *run)
{
  g_clear_object (&run->dataset);
  g_clear_object (&run->cancellable);
  cnn_history_clear (&run->history);
  g_free (run);
}

static void
publish_message (StudioSessionRun *run,
                 char             *message)
{
  StudioSession *self = run->session;

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->snapshot.messages, message);
  self->snapshot.dirty = TRUE;
  g_mutex_unlock (&self->lock);
}

/* Sums squares per layer over the trainable weights (kernels, biases, gamma, beta): the
 * moving statistics of BatchNormalization are not learned and would drown the rest. */
static void
measure_norms (StudioSessionRun *run,
               double           *weight_norms,
               double           *gradient_norms,
               int               n_layers)
{
  int n_weights = cnn_model_n_weights (run->model);

  memset (weight_norms, 0, sizeof (double) * n_layers);
  memset (gradient_norms, 0, sizeof (double) * n_layers);
  for (int i = 0; i < n_weights; i++)
    {
      const CnnWeight *weight = cnn_model_weight (run->model, i);
      double weight_sum = 0, gradient_sum = 0;

      if (!weight->trainable || weight->layer < 0 || weight->layer >= n_layers)
        continue;
      for (gsize j = 0; j < weight->size; j++)
        {
          weight_sum += (double) weight->data[j] * weight->data[j];
          gradient_sum += (double) weight->grad[j] * weight->grad[j];
        }
      weight_norms[weight->layer] += weight_sum;
      gradient_norms[weight->layer] += gradient_sum;
    }
  for (int layer = 0; layer < n_layers; layer++)
    {
      weight_norms[layer] = sqrt (weight_norms[layer]);
      gradient_norms[layer] = sqrt (gradient_norms[layer]);
    }
}

static void
publish_norms (StudioSessionRun *run)
{
  StudioSession *self = run->session;
  int n_layers = cnn_model_n_layers (run->model);
  g_autofree double *weight_norms = g_new (double, MAX (n_layers, 1));
  g_autofree double *gradient_norms = g_new (double, MAX (n_layers, 1));

  measure_norms (run, weight_norms, gradient_norms, n_layers);
  g_mutex_lock (&self->lock);
  g_free (self->snapshot.weight_norms);
  g_free (self->snapshot.gradient_norms);
  self->snapshot.weight_norms = g_steal_pointer (&weight_norms);
  self->snapshot.gradient_norms = g_steal_pointer (&gradient_norms);
  self->snapshot.n_layers = n_layers;
  self->snapshot.has_norms = TRUE;
  self->snapshot.dirty = TRUE;
  g_mutex_unlock (&self->lock);
}

/* Blocks while paused; TRUE when the run should stop. */
static gboolean
wait_while_paused (StudioSession *self)
{
  gboolean stop;

  g_mutex_lock (&self->lock);
  while (self->pause_requested && !self->stop_requested)
    g_cond_wait (&self->resume_cond, &self->lock);
  stop = self->stop_requested;
  g_mutex_unlock (&self->lock);
  return stop;
}

static CnnControl
on_epoch_begin (void *user_data,
                int   epoch)
{
  StudioSessionRun *run = user_data;

  if (wait_while_paused (run->session))
    return CNN_STOP;
  run->epoch_start_time = g_get_monotonic_time ();
  run->previous_loss_sum = 0;
  run->previous_correct = 0;
  publish_message (run, g_strdup_printf ("Epoch %d/%d", epoch + 1, run->epochs));
  return CNN_CONTINUE;
}

/* The samples seen after `step` batches of this epoch, to turn running means into the
 * values of single batches. */
static double
samples_seen (StudioSessionRun *run,
              gint64            step)
{
  double seen = (double) step * run->config.batch_size;

  if (run->config.steps_per_epoch == 0)
    seen = MIN (seen, (double) run->n_train);
  return seen;
}

static CnnControl
on_batch_end (void               *user_data,
              const CnnBatchLogs *logs)
{
  StudioSessionRun *run = user_data;
  StudioSession *self = run->session;
  double elapsed = (g_get_monotonic_time () - run->epoch_start_time) / (double) G_USEC_PER_SEC;
  double seen = samples_seen (run, logs->step);
  double in_batch = MAX (seen - samples_seen (run, logs->step - 1), 1);
  double loss_sum = logs->loss * seen, correct = logs->accuracy * seen;
  StudioBatchPoint point = {
    .epoch_position = logs->epoch + (double) logs->step / MAX (logs->steps, 1),
    .loss = (loss_sum - run->previous_loss_sum) / in_batch,
    .accuracy = (correct - run->previous_correct) / in_batch,
    .lr = logs->lr,
  };
  gint64 now = g_get_monotonic_time ();

  run->previous_loss_sum = loss_sum;
  run->previous_correct = correct;
  if (now - run->last_norms_time >= NORMS_INTERVAL_USEC)
    {
      publish_norms (run);
      run->last_norms_time = now;
    }

  g_mutex_lock (&self->lock);
  g_array_append_val (self->snapshot.batch_points, point);
  self->snapshot.epoch = logs->epoch;
  self->snapshot.step = logs->step;
  self->snapshot.steps = logs->steps;
  self->snapshot.loss = logs->loss;
  self->snapshot.accuracy = logs->accuracy;
  self->snapshot.lr = logs->lr;
  self->snapshot.steps_per_second = elapsed > 0 ? logs->step / elapsed : 0;
  self->snapshot.eta_seconds = self->snapshot.steps_per_second > 0
                               ? (logs->steps - logs->step) / self->snapshot.steps_per_second
                               : 0;
  self->snapshot.dirty = TRUE;
  g_mutex_unlock (&self->lock);

  return wait_while_paused (self) ? CNN_STOP : CNN_CONTINUE;
}

/* Keras's verbose=2 line: lr is in the logs when ReduceLROnPlateau runs. */
static char *
epoch_line (StudioSessionRun   *run,
            const CnnEpochLogs *logs,
            gint64              steps)
{
  double elapsed = (g_get_monotonic_time () - run->epoch_start_time) / (double) G_USEC_PER_SEC;
  StudioMetric metrics[5];
  guint n = 0;

  metrics[n++] = (StudioMetric) { "loss", logs->loss };
  metrics[n++] = (StudioMetric) { "accuracy", logs->accuracy };
  if (logs->has_validation)
    {
      metrics[n++] = (StudioMetric) { "val_loss", logs->val_loss };
      metrics[n++] = (StudioMetric) { "val_accuracy", logs->val_accuracy };
    }
  if (run->reduce_lr != NULL)
    metrics[n++] = (StudioMetric) { "lr", logs->lr };
  return studio_progbar_epoch_line (steps, elapsed, metrics, n);
}

static CnnControl
on_epoch_end (void               *user_data,
              const CnnEpochLogs *logs)
{
  StudioSessionRun *run = user_data;
  StudioSession *self = run->session;
  CnnModel *copy = NULL;
  char *line;

  /* Here, between batches, nothing changes the weights: the copy is one consistent model.
   * A copy that fails (out of memory) only means no new picture of this epoch. */
  if (run->copy_at_epoch_end)
    copy = studio_model_copy (run->model, NULL);

  g_mutex_lock (&self->lock);
  if (copy != NULL)
    {
      g_clear_pointer (&self->snapshot.epoch_model, cnn_model_free);
      self->snapshot.epoch_model = copy;
    }
  line = epoch_line (run, logs, self->snapshot.steps);
  g_array_append_val (self->snapshot.epochs, *logs);
  g_ptr_array_add (self->snapshot.messages, line);
  if (run->early_stopping != NULL)
    {
      self->snapshot.best_epoch = run->early_stopping->best_epoch;
      self->snapshot.stopped_epoch = run->early_stopping->stopped_epoch;
    }
  self->snapshot.dirty = TRUE;
  g_mutex_unlock (&self->lock);

  publish_norms (run);
  return CNN_CONTINUE;
}

static void
on_message (void       *user_data,
            const char *message)
{
  publish_message (user_data, g_strdup (message));
}

void
studio_session_run_thread (GTask        *task,
                           gpointer      source_object,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  StudioSessionRun *run = task_data;
  g_autoptr(StudioTrainingData) data = NULL;
  GError *error = NULL;
  CnnError cnn_error = { 0 };
  CnnFitConfig fit;
  CnnFitCallbacks callbacks = {
    .user_data = run,
    .on_epoch_begin = on_epoch_begin,
    .on_batch_end = on_batch_end,
    .on_epoch_end = on_epoch_end,
    .on_message = on_message,
  };
  CnnStatus status;

#ifdef __linux__
  /* The window must stay responsive on a busy machine: the run yields to the main thread.
   * (On Linux a thread's nice value is its own.) */
  setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10);
  /* The engine's helper threads were started where the model was built (often the main
   * thread, at nice 0) and would compete with the window: start them anew from here, so
   * they inherit this thread's nice value. */
  {
    int n_threads = cnn_model_get_threads (run->model);
    CnnError engine_error;

    if (n_threads > 1)
      {
        cnn_model_set_threads (run->model, 1, &engine_error);
        cnn_model_set_threads (run->model, n_threads, &engine_error);
      }
  }
#endif
  data = studio_training_data_new (run->dataset, NULL, &run->config, &error);
  if (data == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  run->n_train = data->n_train;

  cnn_fit_config_init (&fit);
  fit.epochs = run->epochs;
  fit.initial_epoch = run->initial_epoch;
  fit.batch_size = run->config.batch_size;
  fit.steps_per_epoch = run->config.steps_per_epoch;
  fit.loss = run->config.loss;
  fit.early_stopping = run->early_stopping;
  fit.reduce_lr = run->reduce_lr;

  status = cnn_model_fit (run->model, run->optimizer, studio_batches_get_source (data->train),
                          data->validation != NULL
                            ? studio_batches_get_source (data->validation) : NULL,
                          &fit, &callbacks, &run->history, &cnn_error);
  if (status != CNN_OK)
    {
      /* Translators: %s is the engine's explanation, e.g. "The loss became NaN …". */
      studio_set_error_from_cnn (&error, &cnn_error, _("Training stopped: "));
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* ---------------------------------------------------------------- building a model */

typedef struct {
  StudioArchitecture *architecture;
  guint32 seed;
} BuildRequest;

static void
build_request_free (BuildRequest *request)
{
  studio_architecture_free (request->architecture);
  g_free (request);
}

static void
build_model_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  BuildRequest *request = task_data;
  GError *error = NULL;
  CnnModel *model = studio_architecture_build (request->architecture, request->seed, &error);

  if (model == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, model, (GDestroyNotify) cnn_model_free);
}

void
studio_session_build_model_async (StudioSession            *self,
                                  const StudioArchitecture *architecture,
                                  GCancellable             *cancellable,
                                  GAsyncReadyCallback       callback,
                                  gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  BuildRequest *request;

  g_return_if_fail (STUDIO_IS_SESSION (self));
  g_return_if_fail (architecture != NULL);

  request = g_new0 (BuildRequest, 1);
  request->architecture = studio_architecture_new (architecture->name, architecture->height,
                                                   architecture->width, architecture->channels);
  g_array_append_vals (request->architecture->layers, architecture->layers->data,
                       architecture->layers->len);
  request->seed = studio_session_get_config (self)->seed;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, studio_session_build_model_async);
  g_task_set_task_data (task, request, (GDestroyNotify) build_request_free);
  g_task_run_in_thread (task, build_model_thread);
}

gboolean
studio_session_build_model_finish (StudioSession  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  CnnModel *model;

  g_return_val_if_fail (STUDIO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  model = g_task_propagate_pointer (G_TASK (result), error);
  if (model == NULL)
    return FALSE;
  if (studio_session_is_running (self))
    {
      cnn_model_free (model);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                           _("The model cannot change while it trains."));
      return FALSE;
    }
  studio_session_set_model (self, model);
  return TRUE;
}
