/* studio-session.c — a training session: model, dataset and run on a worker thread. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "studio-error.h"
#include "studio-session-private.h"

/* How often the worker's progress reaches the main thread while a run goes on. */
#define PROGRESS_INTERVAL_MS 75

enum {
  PROP_0,
  PROP_STATE,
  PROP_DATASET,
  PROP_HAS_MODEL,
  PROP_EPOCHS_DONE,
  PROP_EPOCH,
  PROP_N_EPOCHS,
  PROP_STEP,
  PROP_STEPS,
  PROP_LOSS,
  PROP_ACCURACY,
  PROP_VAL_LOSS,
  PROP_VAL_ACCURACY,
  PROP_LR,
  PROP_STEPS_PER_SECOND,
  PROP_ETA_SECONDS,
  PROP_BEST_EPOCH,
  PROP_STOPPED_EPOCH,
  N_PROPS
};

enum {
  BATCH_PROGRESS,
  EPOCH_END,
  MESSAGE,
  FINISHED,
  MODEL_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (StudioSession, studio_session, G_TYPE_OBJECT)

GType
studio_session_state_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { STUDIO_SESSION_IDLE, "STUDIO_SESSION_IDLE", "idle" },
        { STUDIO_SESSION_TRAINING, "STUDIO_SESSION_TRAINING", "training" },
        { STUDIO_SESSION_PAUSED, "STUDIO_SESSION_PAUSED", "paused" },
        { STUDIO_SESSION_STOPPING, "STUDIO_SESSION_STOPPING", "stopping" },
        { 0, NULL, NULL },
      };
      GType type = g_enum_register_static (g_intern_static_string ("StudioSessionState"),
                                           values);
      g_once_init_leave (&type_id, type);
    }
  return type_id;
}

static void
set_state (StudioSession      *self,
           StudioSessionState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* ---------------------------------------------------------------- progress delivery */

static void
notify_progress (StudioSession *self)
{
  static const guint progress_props[] = {
    PROP_EPOCH, PROP_N_EPOCHS, PROP_STEP, PROP_STEPS, PROP_LOSS, PROP_ACCURACY, PROP_LR,
    PROP_STEPS_PER_SECOND, PROP_ETA_SECONDS, PROP_BEST_EPOCH, PROP_STOPPED_EPOCH,
  };

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < G_N_ELEMENTS (progress_props); i++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[progress_props[i]]);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Moves what the worker published into the main-thread view, then tells the listeners:
 * messages first (in order), then batches, then finished epochs. */
static void
flush_progress (StudioSession *self)
{
  g_autoptr(GArray) epochs = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  StudioSessionSnapshot *snapshot = &self->snapshot;
  guint first_new_epoch = self->history->len;

  g_mutex_lock (&self->lock);
  if (!snapshot->dirty)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  self->epoch = snapshot->epoch + 1;
  self->n_epochs = snapshot->n_epochs;
  self->step = snapshot->step;
  self->steps = snapshot->steps;
  self->loss = snapshot->loss;
  self->accuracy = snapshot->accuracy;
  self->lr = snapshot->lr;
  self->steps_per_second = snapshot->steps_per_second;
  self->eta_seconds = snapshot->eta_seconds;
  self->best_epoch = snapshot->best_epoch;
  self->stopped_epoch = snapshot->stopped_epoch;
  if (snapshot->has_norms)
    {
      g_free (self->weight_norms);
      g_free (self->gradient_norms);
      self->weight_norms = g_steal_pointer (&snapshot->weight_norms);
      self->gradient_norms = g_steal_pointer (&snapshot->gradient_norms);
      self->n_norm_layers = snapshot->n_layers;
      snapshot->has_norms = FALSE;
    }
  g_array_append_vals (self->batch_points, snapshot->batch_points->data,
                       snapshot->batch_points->len);
  g_array_set_size (snapshot->batch_points, 0);
  epochs = g_steal_pointer (&snapshot->epochs);
  snapshot->epochs = g_array_new (FALSE, FALSE, sizeof (CnnEpochLogs));
  messages = g_steal_pointer (&snapshot->messages);
  snapshot->messages = g_ptr_array_new_with_free_func (g_free);
  if (snapshot->epoch_model != NULL)
    {
      g_clear_pointer (&self->epoch_model, cnn_model_free);
      self->epoch_model = g_steal_pointer (&snapshot->epoch_model);
    }
  snapshot->dirty = FALSE;
  g_mutex_unlock (&self->lock);

  for (guint i = 0; i < messages->len; i++)
    g_signal_emit (self, signals[MESSAGE], 0, (const char *) g_ptr_array_index (messages, i));
  notify_progress (self);
  g_signal_emit (self, signals[BATCH_PROGRESS], 0);

  g_array_append_vals (self->history, epochs->data, epochs->len);
  if (epochs->len > 0)
    {
      g_object_freeze_notify (G_OBJECT (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EPOCHS_DONE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VAL_LOSS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VAL_ACCURACY]);
      g_object_thaw_notify (G_OBJECT (self));
    }
  for (guint i = 0; i < epochs->len; i++)
    g_signal_emit (self, signals[EPOCH_END], 0, first_new_epoch + i);
}

static gboolean
on_progress_tick (gpointer user_data)
{
  flush_progress (user_data);
  return G_SOURCE_CONTINUE;
}

/* ---------------------------------------------------------------- model and state */

void
studio_session_notify_model_changed (StudioSession *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MODEL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EPOCHS_DONE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BEST_EPOCH]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STOPPED_EPOCH]);
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[MODEL_CHANGED], 0);
}

void
studio_session_set_dataset (StudioSession *self,
                            StudioDataset *dataset)
{
  g_return_if_fail (STUDIO_IS_SESSION (self));
  g_return_if_fail (dataset == NULL || STUDIO_IS_DATASET (dataset));
  g_return_if_fail (!studio_session_is_running (self));

  if (g_set_object (&self->dataset, dataset))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATASET]);
}

StudioDataset *
studio_session_get_dataset (StudioSession *self)
{
  g_return_val_if_fail (STUDIO_IS_SESSION (self), NULL);

  return self->dataset;
}

void
studio_session_set_config (StudioSession              *self,
                           const StudioTrainingConfig *config)
{
  g_return_if_fail (STUDIO_IS_SESSION (self));
  g_return_if_fail (config != NULL);

  self->config = *config;
}

const StudioTrainingConfig *
studio_session_get_config (StudioSession *self)
{
  g_return_val_if_fail (STUDIO_IS_SESSION (self), NULL);

  return &self->config;
}

/* ---------------------------------------------------------------- training runs */

static StudioSessionRun *
run_new (StudioSession *self)
{
  StudioSessionRun *run = g_new0 (StudioSessionRun, 1);
  int done = (int) self->history->len;

  run->session = self;
  run->config = self->config;
  run->dataset = g_object_ref (self->dataset);
  run->model = self->model;
  run->optimizer = self->optimizer;
  run->early_stopping = self->config.has_early_stopping ? &self->early_stopping : NULL;
  run->reduce_lr = self->config.has_reduce_lr ? &self->reduce_lr : NULL;
  run->initial_epoch = done;
  run->epochs = done < self->config.epochs ? self->config.epochs : done + self->config.epochs;
  run->last_norms_time = 0;
  run->copy_at_epoch_end = self->epoch_copies;
  return run;
}

static void
on_run_done (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  StudioSession *self = STUDIO_SESSION (source_object);
  StudioSessionRun *run = self->run;
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  if (run->cancellable != NULL)
    g_cancellable_disconnect (run->cancellable, run->cancelled_id);
  flush_progress (self);
  g_clear_pointer (&self->progress_source, g_source_destroy);
  if (error == NULL)
    self->stop_reason = run->history.stop_reason;
  self->run = NULL;
  self->epoch = 0;
  self->steps_per_second = 0;
  self->eta_seconds = 0;
  notify_progress (self);
  set_state (self, STUDIO_SESSION_IDLE);

  g_signal_emit (self, signals[FINISHED], 0, error);
  if (error != NULL)
    g_task_return_error (outer, g_steal_pointer (&error));
  else
    g_task_return_boolean (outer, TRUE);
}

static void
on_cancelled (GCancellable  *cancellable,
              StudioSession *self)
{
  /* Any thread: only the flags under the lock. */
  g_mutex_lock (&self->lock);
  self->stop_requested = TRUE;
  g_cond_broadcast (&self->resume_cond);
  g_mutex_unlock (&self->lock);
}

void
studio_session_train_async (StudioSession       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

  g_return_if_fail (STUDIO_IS_SESSION (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, studio_session_train_async);
  /* Cancelling stops the run; what it trained until then is a result, not an error. */
  g_task_set_check_cancellable (outer, FALSE);
  if (studio_session_is_running (self))
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The model is training already."));
      return;
    }
  if (!studio_session_check_ready (self, &error)
      || !studio_session_prepare_optimizer (self, &error))
    {
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }
  studio_session_prepare_callback_state (self);

  self->run = run_new (self);
  g_mutex_lock (&self->lock);
  self->pause_requested = FALSE;
  self->stop_requested = FALSE;
  self->snapshot.n_epochs = self->run->epochs;
  self->snapshot.epoch = self->run->initial_epoch;
  self->snapshot.best_epoch = self->early_stopping.best_epoch;
  self->snapshot.stopped_epoch = -1;
  g_mutex_unlock (&self->lock);
  if (cancellable != NULL)
    {
      self->run->cancellable = g_object_ref (cancellable);
      self->run->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                       self, NULL);
    }

  self->progress_source = g_timeout_source_new (PROGRESS_INTERVAL_MS);
  g_source_set_callback (self->progress_source, on_progress_tick, self, NULL);
  g_source_set_name (self->progress_source, "[convstudio] training progress");
  g_source_attach (self->progress_source, context);
  g_source_unref (self->progress_source);

  set_state (self, STUDIO_SESSION_TRAINING);
  inner = g_task_new (self, NULL, on_run_done, g_steal_pointer (&outer));
  g_task_set_source_tag (inner, studio_session_run_thread);
  g_task_set_task_data (inner, self->run, (GDestroyNotify) studio_session_run_free);
  g_task_run_in_thread (inner, studio_session_run_thread);
}

gboolean
studio_session_train_finish (StudioSession  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
studio_session_pause (StudioSession *self)
{
  g_return_if_fail (STUDIO_IS_SESSION (self));

  if (self->state != STUDIO_SESSION_TRAINING)
    return;
  g_mutex_lock (&self->lock);
  self->pause_requested = TRUE;
  g_mutex_unlock (&self->lock);
  set_state (self, STUDIO_SESSION_PAUSED);
}

void
studio_session_resume (StudioSession *self)
{
  g_return_if_fail (STUDIO_IS_SESSION (self));

  if (self->state != STUDIO_SESSION_PAUSED)
    return;
  g_mutex_lock (&self->lock);
  self->pause_requested = FALSE;
  g_cond_broadcast (&self->resume_cond);
  g_mutex_unlock (&self->lock);
  set_state (self, STUDIO_SESSION_TRAINING);
}

void
studio_session_stop (StudioSession *self)
{
  g_return_if_fail (STUDIO_IS_SESSION (self));

  if (!studio_session_is_running (self))
    return;
  g_mutex_lock (&self->lock);
  self->stop_requested = TRUE;
  g_cond_broadcast (&self->resume_cond);
  g_mutex_unlock (&self->lock);
  set_state (self, STUDIO_SESSION_STOPPING);
}

/* ---------------------------------------------------------------- getters */

StudioSessionState
studio_session_get_state (StudioSession *self)
{
  g_return_val_if_fail (STUDIO_IS_SESSION (self), STUDIO_SESSION_IDLE);
  return self->state;
}

gboolean
studio_session_is_running (StudioSession *self)
{
  g_return_val_if_fail (STUDIO_IS_SESSION (self), FALSE);
  return self->run != NULL;
}

int
studio_session_get_epochs_done (StudioSession *self)
{
  g_return_val_if_fail (STUDIO_IS_SESSION (self), 0);
  return (int) self->history->len;
}

GArray *
studio_session_get_history (StudioSession *self)
{
  g_return_val_if_fail (STUDIO_IS_SESSION (self), NULL);
  return self->history;
}

GArray *
studio_session_get_batch_points (StudioSession *self)
{
  g_return_val_if_fail (STUDIO_IS_SESSION (self), NULL);
  return self->batch_points;
}

CnnStopReason
studio_session_get_stop_reason (StudioSession *self)
{
  g_return_val_if_fail (STUDIO_IS_SESSION (self), CNN_STOPPED_COMPLETED);
  return self->stop_reason;
}

int
studio_session_get_best_epoch (StudioSession *self)
{
  g_return_val_if_fail (STUDIO_IS_SESSION (self), -1);
  return self->best_epoch;
}

int
studio_session_get_stopped_epoch (StudioSession *self)
{
  g_return_val_if_fail (STUDIO_IS_SESSION (self), -1);
  return self->stopped_epoch;
}

gint64
studio_session_get_step (StudioSession *self)
{
  g_return_val_if_fail (STUDIO_IS_SESSION (self), 0);
  return self->step;
}

gint64
studio_session_get_steps (StudioSession *self)
{
  g_return_val_if_fail (STUDIO_IS_SESSION (self), 0);
  return self->steps;
}

int
studio_session_get_epoch (StudioSession *self)
{
  g_return_val_if_fail (STUDIO_IS_SESSION (self), 0);
  return self->epoch;
}

int
studio_session_get_n_epochs (StudioSession *self)
{
  g_return_val_if_fail (STUDIO_IS_SESSION (self), 0);
  return self->n_epochs;
}

double
studio_session_get_steps_per_second (StudioSession *self)
{
  g_return_val_if_fail (STUDIO_IS_SESSION (self), 0);
  return self->steps_per_second;
}

double
studio_session_get_eta_seconds (StudioSession *self)
{
  g_return_val_if_fail (STUDIO_IS_SESSION (self), 0);
  return self->eta_seconds;
}

double
studio_session_get_lr (StudioSession *self)
{
  g_return_val_if_fail (STUDIO_IS_SESSION (self), 0);
  if (self->run == NULL && self->optimizer != NULL)
    return cnn_optimizer_get_learning_rate (self->optimizer);
  return self->run != NULL ? self->lr : self->config.optimizer.learning_rate;
}

gboolean
studio_session_get_layer_norms (StudioSession *self,
                                int            layer,
                                double        *weight_norm,
                                double        *gradient_norm)
{
  g_return_val_if_fail (STUDIO_IS_SESSION (self), FALSE);

  if (layer < 0 || layer >= self->n_norm_layers)
    return FALSE;
  if (weight_norm != NULL)
    *weight_norm = self->weight_norms[layer];
  if (gradient_norm != NULL)
    *gradient_norm = self->gradient_norms[layer];
  return TRUE;
}

static double
last_epoch_value (StudioSession *self,
                  const char    *name)
{
  double value = NAN;

  if (self->history->len > 0)
    cnn_epoch_logs_get (&g_array_index (self->history, CnnEpochLogs, self->history->len - 1),
                        name, &value);
  return value;
}


void
studio_session_set_epoch_copies (StudioSession *self,
                                 gboolean       enabled)
{
  g_return_if_fail (STUDIO_IS_SESSION (self));

  /* A run reads the flag once, when it starts. */
  self->epoch_copies = !!enabled;
  if (!self->epoch_copies)
    g_clear_pointer (&self->epoch_model, cnn_model_free);
}

CnnModel *
studio_session_take_epoch_copy (StudioSession *self)
{
  g_return_val_if_fail (STUDIO_IS_SESSION (self), NULL);

  return g_steal_pointer (&self->epoch_model);
}

/* ---------------------------------------------------------------- GObject */

static void
studio_session_dispose (GObject *object)
{
  StudioSession *self = STUDIO_SESSION (object);

  /* A run holds a reference through its task, so none can be going on here. */
  g_assert (self->run == NULL);
  g_clear_pointer (&self->progress_source, g_source_destroy);
  g_clear_object (&self->dataset);

  G_OBJECT_CLASS (studio_session_parent_class)->dispose (object);
}

static void
studio_session_finalize (GObject *object)
{
  StudioSession *self = STUDIO_SESSION (object);

  studio_session_forget_run (self);
  g_clear_pointer (&self->model, cnn_model_free);
  g_clear_pointer (&self->epoch_model, cnn_model_free);
  g_clear_pointer (&self->history, g_array_unref);
  g_clear_pointer (&self->batch_points, g_array_unref);
  studio_session_snapshot_clear (&self->snapshot);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->resume_cond);

  G_OBJECT_CLASS (studio_session_parent_class)->finalize (object);
}

static void
studio_session_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  StudioSession *self = STUDIO_SESSION (object);

  switch (prop_id)
    {
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_DATASET: g_value_set_object (value, self->dataset); break;
    case PROP_HAS_MODEL: g_value_set_boolean (value, self->model != NULL); break;
    case PROP_EPOCHS_DONE: g_value_set_int (value, (int) self->history->len); break;
    case PROP_EPOCH: g_value_set_int (value, self->epoch); break;
    case PROP_N_EPOCHS: g_value_set_int (value, self->n_epochs); break;
    case PROP_STEP: g_value_set_int64 (value, self->step); break;
    case PROP_STEPS: g_value_set_int64 (value, self->steps); break;
    case PROP_LOSS: g_value_set_double (value, self->loss); break;
    case PROP_ACCURACY: g_value_set_double (value, self->accuracy); break;
    case PROP_VAL_LOSS: g_value_set_double (value, last_epoch_value (self, "val_loss")); break;
    case PROP_VAL_ACCURACY:
      g_value_set_double (value, last_epoch_value (self, "val_accuracy"));
      break;
    case PROP_LR: g_value_set_double (value, studio_session_get_lr (self)); break;
    case PROP_STEPS_PER_SECOND: g_value_set_double (value, self->steps_per_second); break;
    case PROP_ETA_SECONDS: g_value_set_double (value, self->eta_seconds); break;
    case PROP_BEST_EPOCH: g_value_set_int (value, self->best_epoch); break;
    case PROP_STOPPED_EPOCH: g_value_set_int (value, self->stopped_epoch); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
studio_session_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  StudioSession *self = STUDIO_SESSION (object);

  switch (prop_id)
    {
    case PROP_DATASET: studio_session_set_dataset (self, g_value_get_object (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
readable_double (const char *name)
{
  return g_param_spec_double (name, NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
readable_int (const char *name,
              int         minimum)
{
  return g_param_spec_int (name, NULL, NULL, minimum, G_MAXINT, MAX (minimum, 0),
                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static void
studio_session_class_init (StudioSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = studio_session_dispose;
  object_class->finalize = studio_session_finalize;
  object_class->get_property = studio_session_get_property;
  object_class->set_property = studio_session_set_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, STUDIO_TYPE_SESSION_STATE, STUDIO_SESSION_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DATASET] =
    g_param_spec_object ("dataset", NULL, NULL, STUDIO_TYPE_DATASET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_MODEL] =
    g_param_spec_boolean ("has-model", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_EPOCHS_DONE] = readable_int ("epochs-done", 0);
  properties[PROP_EPOCH] = readable_int ("epoch", 0);
  properties[PROP_N_EPOCHS] = readable_int ("n-epochs", 0);
  properties[PROP_STEP] =
    g_param_spec_int64 ("step", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STEPS] =
    g_param_spec_int64 ("steps", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOSS] = readable_double ("loss");
  properties[PROP_ACCURACY] = readable_double ("accuracy");
  properties[PROP_VAL_LOSS] = readable_double ("val-loss");
  properties[PROP_VAL_ACCURACY] = readable_double ("val-accuracy");
  properties[PROP_LR] = readable_double ("lr");
  properties[PROP_STEPS_PER_SECOND] = readable_double ("steps-per-second");
  properties[PROP_ETA_SECONDS] = readable_double ("eta-seconds");
  properties[PROP_BEST_EPOCH] = readable_int ("best-epoch", -1);
  properties[PROP_STOPPED_EPOCH] = readable_int ("stopped-epoch", -1);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[BATCH_PROGRESS] = g_signal_new ("batch-progress", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
  signals[EPOCH_END] = g_signal_new ("epoch-end", G_TYPE_FROM_CLASS (klass),
                                     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[MODEL_CHANGED] = g_signal_new ("model-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);
}

static void
studio_session_init (StudioSession *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->resume_cond);
  studio_training_config_init (&self->config);
  studio_session_snapshot_init (&self->snapshot);
  self->history = g_array_new (FALSE, FALSE, sizeof (CnnEpochLogs));
  self->batch_points = g_array_new (FALSE, FALSE, sizeof (StudioBatchPoint));
  self->best_epoch = -1;
  self->stopped_epoch = -1;
}

StudioSession *
studio_session_new (void)
{
  return g_object_new (STUDIO_TYPE_SESSION, NULL);
}
