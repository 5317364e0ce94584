/* studio-session-model.c — the session's model and its training state: building, replacing,
 * preparing for a run, saving and loading. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "studio-error.h"
#include "studio-session-private.h"

/* Drops what a run left (optimizer slots, callback state, history): it belonged to the
 * model being replaced. */
void
studio_session_forget_run (StudioSession *self)
{
  g_clear_pointer (&self->optimizer, cnn_optimizer_free);
  g_clear_pointer (&self->epoch_model, cnn_model_free);
  cnn_early_stopping_clear (&self->early_stopping);
  self->has_callback_state = FALSE;
  g_array_set_size (self->history, 0);
  g_array_set_size (self->batch_points, 0);
  self->stop_reason = CNN_STOPPED_COMPLETED;
  self->best_epoch = -1;
  self->stopped_epoch = -1;
  self->n_norm_layers = 0;
  g_clear_pointer (&self->weight_norms, g_free);
  g_clear_pointer (&self->gradient_norms, g_free);
}

void
studio_session_set_model (StudioSession *self,
                          CnnModel      *model)
{
  g_return_if_fail (STUDIO_IS_SESSION (self));
  g_return_if_fail (!studio_session_is_running (self));

  if (model == self->model)
    return;
  studio_session_forget_run (self);
  g_clear_pointer (&self->model, cnn_model_free);
  self->model = model;
  studio_session_notify_model_changed (self);
}

gboolean
studio_session_set_architecture (StudioSession             *self,
                                 const StudioArchitecture  *architecture,
                                 GError                   **error)
{
  CnnModel *model;

  g_return_val_if_fail (STUDIO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (architecture != NULL, FALSE);
  g_return_val_if_fail (!studio_session_is_running (self), FALSE);

  model = studio_architecture_build (architecture, self->config.seed, error);
  if (model == NULL)
    return FALSE;
  studio_session_set_model (self, model);
  return TRUE;
}

gboolean
studio_session_reset (StudioSession  *self,
                      GError        **error)
{
  g_autoptr(StudioArchitecture) architecture = NULL;

  g_return_val_if_fail (STUDIO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (!studio_session_is_running (self), FALSE);

  if (self->model == NULL)
    return TRUE;
  architecture = studio_architecture_new_from_model (self->model);
  return studio_session_set_architecture (self, architecture, error);
}

CnnModel *
studio_session_get_model (StudioSession *self)
{
  g_return_val_if_fail (STUDIO_IS_SESSION (self), NULL);

  return self->model;
}

gboolean
studio_session_check_ready (StudioSession  *self,
                            GError        **error)
{
  g_return_val_if_fail (STUDIO_IS_SESSION (self), FALSE);

  if (self->dataset == NULL)
    {
      g_set_error_literal (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_NOT_COMPILED,
                           _("Open a dataset to train on first."));
      return FALSE;
    }
  if (self->model == NULL)
    {
      g_set_error_literal (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_NOT_COMPILED,
                           _("Define a model to train first."));
      return FALSE;
    }
  return studio_training_check_model (self->model, self->dataset, self->config.loss, error);
}

static gboolean
same_early_stopping_settings (const CnnEarlyStopping *a,
                              const CnnEarlyStopping *b)
{
  return g_str_equal (a->monitor, b->monitor) && a->min_delta == b->min_delta
         && a->patience == b->patience && a->mode == b->mode
         && a->has_baseline == b->has_baseline && a->baseline == b->baseline
         && a->restore_best_weights == b->restore_best_weights;
}

static gboolean
same_reduce_lr_settings (const CnnReduceLROnPlateau *a,
                         const CnnReduceLROnPlateau *b)
{
  return g_str_equal (a->monitor, b->monitor) && a->factor == b->factor
         && a->patience == b->patience && a->mode == b->mode && a->min_delta == b->min_delta
         && a->cooldown == b->cooldown && a->min_lr == b->min_lr;
}

/* Keeps the callbacks' state (wait, best) when a run continues with the same settings,
 * as one long model.fit would; a run after EarlyStopping stopped may go on. */
void
studio_session_prepare_callback_state (StudioSession *self)
{
  const StudioTrainingConfig *config = &self->config;

  if (!self->has_callback_state
      || !same_early_stopping_settings (&self->early_stopping, &config->early_stopping))
    {
      cnn_early_stopping_clear (&self->early_stopping);
      self->early_stopping = config->early_stopping;
      self->early_stopping.best_weights = NULL;
      self->early_stopping.wait = 0;
      self->early_stopping.stopped_epoch = -1;
      self->early_stopping.best_epoch = -1;
    }
  if (!self->has_callback_state || !same_reduce_lr_settings (&self->reduce_lr, &config->reduce_lr))
    {
      self->reduce_lr = config->reduce_lr;
      self->reduce_lr.wait = 0;
      self->reduce_lr.cooldown_counter = 0;
      self->reduce_lr.best = NAN;
    }
  if (self->early_stopping.stopped_epoch >= 0)
    {
      self->early_stopping.stopped_epoch = -1;
      self->early_stopping.wait = 0;
    }
  self->has_callback_state = TRUE;
}

/* A new optimizer when there is none or its type changed; a continued run keeps its
 * slots and learning rate (which ReduceLROnPlateau may have lowered). */
gboolean
studio_session_prepare_optimizer (StudioSession  *self,
                                  GError        **error)
{
  size_t n_params = 0;
  CnnError cnn_error = { 0 };

  if (self->optimizer != NULL
      && cnn_optimizer_config (self->optimizer)->type == self->config.optimizer.type
      && self->history->len > 0)
    return TRUE;
  g_clear_pointer (&self->optimizer, cnn_optimizer_free);
  cnn_model_trainable_arena (self->model, &n_params);
  self->optimizer = cnn_optimizer_new (&self->config.optimizer, n_params, &cnn_error);
  if (self->optimizer == NULL)
    {
      studio_set_error_from_cnn (error, &cnn_error, _("Could not create the optimizer: "));
      return FALSE;
    }
  return TRUE;
}

gboolean
studio_session_save (StudioSession  *self,
                     const char     *path,
                     GError        **error)
{
  StudioModelFile file = { 0 };
  g_auto(GStrv) class_names = NULL;

  g_return_val_if_fail (STUDIO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->model == NULL)
    {
      g_set_error_literal (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_INVALID,
                           _("There is no model to save."));
      return FALSE;
    }
  if (self->state == STUDIO_SESSION_TRAINING || self->state == STUDIO_SESSION_STOPPING)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                           _("Pause or stop training before saving the model."));
      return FALSE;
    }
  file.model = self->model;
  file.optimizer = self->optimizer;
  file.has_loss = TRUE;
  file.loss = self->config.loss;
  if (self->dataset != NULL)
    file.class_names = (char **) studio_dataset_get_class_names (self->dataset);
  studio_training_state_set (&file.training, &self->config, (int) self->history->len,
                             self->has_callback_state && self->config.has_early_stopping
                               ? &self->early_stopping : NULL,
                             self->has_callback_state && self->config.has_reduce_lr
                               ? &self->reduce_lr : NULL,
                             self->history);
  return studio_model_file_save (&file, path, error);
}

static void
adopt_training_state (StudioSession       *self,
                      StudioModelFile     *file)
{
  StudioTrainingState *state = &file->training;

  self->optimizer = g_steal_pointer (&file->optimizer);
  if (file->has_loss)
    self->config.loss = file->loss;
  /* Seed, batch size, split, limit and augmentation: the batches the run drew. */
  studio_training_config_resume (&self->config, state);
  if (self->optimizer != NULL)
    self->config.optimizer = *cnn_optimizer_config (self->optimizer);
  self->config.has_early_stopping = state->has_early_stopping;
  self->config.has_reduce_lr = state->has_reduce_lr;
  if (state->has_early_stopping)
    {
      self->early_stopping = state->early_stopping;
      state->early_stopping.best_weights = NULL;
      self->config.early_stopping = self->early_stopping;
      self->config.early_stopping.best_weights = NULL;
    }
  if (state->has_reduce_lr)
    self->reduce_lr = self->config.reduce_lr = state->reduce_lr;
  self->has_callback_state = state->has_early_stopping || state->has_reduce_lr;
  if (state->history != NULL)
    g_array_append_vals (self->history, state->history->data, state->history->len);
  self->best_epoch = state->has_early_stopping ? self->early_stopping.best_epoch : -1;
}

gboolean
studio_session_load (StudioSession  *self,
                     const char     *path,
                     GError        **error)
{
  g_autoptr(StudioModelFile) file = NULL;
  CnnModel *model;

  g_return_val_if_fail (STUDIO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (!studio_session_is_running (self), FALSE);

  if (g_str_has_suffix (path, ".json") || g_str_has_suffix (path, ".JSON"))
    {
      model = studio_model_new_from_json_file (path, self->config.seed, error);
      if (model == NULL)
        return FALSE;
      studio_session_set_model (self, model);
      return TRUE;
    }

  file = studio_model_file_load (path, error);
  if (file == NULL)
    return FALSE;
  studio_session_forget_run (self);
  g_clear_pointer (&self->model, cnn_model_free);
  self->model = g_steal_pointer (&file->model);
  adopt_training_state (self, file);
  studio_session_notify_model_changed (self);
  return TRUE;
}
