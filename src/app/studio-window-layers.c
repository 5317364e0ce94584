/* studio-window-layers.c — keeps the Layers page on the current model and the chosen image. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "studio-model-copy.h"
#include "studio-window-private.h"

static gboolean
layers_page_visible (StudioWindow *self)
{
  return g_strcmp0 (studio_window_get_visible_page (self), "layers") == 0;
}

/* Hands the Layers view a model copy: an epoch's copy from the worker while training (the
 * live model changes under a copy taken now), else a copy of the idle model. */
static void
update_layers_model (StudioWindow *self)
{
  CnnModel *model = studio_session_get_model (self->session);
  CnnModel *snapshot = NULL;

  if (self->pending_layers_model != NULL)
    snapshot = g_steal_pointer (&self->pending_layers_model);
  else if (!self->layers_model_stale || studio_session_is_running (self->session))
    return;
  else if (model != NULL)
    snapshot = studio_model_copy (model, NULL);
  self->layers_model_stale = FALSE;
  studio_layers_view_set_model (self->layers_view, snapshot, studio_window_get_rescale (self));
}

/* Copying a large model costs a moment: copy only for a Layers page someone looks at. */
static void
update_if_visible (StudioWindow *self)
{
  if (layers_page_visible (self))
    update_layers_model (self);
}

void
studio_window_layers_model_changed (StudioWindow *self)
{
  g_clear_pointer (&self->pending_layers_model, cnn_model_free);
  self->layers_model_stale = TRUE;
  update_if_visible (self);
}

static void
on_epoch_end (StudioWindow *self)
{
  CnnModel *copy = studio_session_take_epoch_copy (self->session);

  if (copy == NULL)
    return;
  g_clear_pointer (&self->pending_layers_model, cnn_model_free);
  self->pending_layers_model = copy;
  update_if_visible (self);
}

/* A stopped run ends between epochs' copies: the next look copies the final weights. */
static void
on_training_finished (StudioWindow *self)
{
  if (self->pending_layers_model == NULL)
    self->layers_model_stale = TRUE;
  update_if_visible (self);
}

static void
show_sample (StudioWindow  *self,
             StudioDataset *dataset,
             int            split,
             guint64        index)
{
  if (dataset == NULL || index >= studio_dataset_get_n_samples (dataset, split))
    return;
  studio_layers_view_set_image (self->layers_view, dataset, (StudioSplit) split, index);
}

static void
on_data_sample_activated (StudioDataPage *page,
                          int             split,
                          guint64         index,
                          StudioWindow   *self)
{
  show_sample (self, studio_data_page_get_dataset (page), split, index);
}

static void
on_prediction_activated (StudioPredictionsPage *page,
                         int                    split,
                         guint64                index,
                         StudioWindow          *self)
{
  show_sample (self, studio_window_get_dataset (self), split, index);
}

/* A new dataset: its first image, until the user picks one. */
static void
on_dataset_changed (StudioWindow *self)
{
  StudioDataset *dataset = studio_window_get_dataset (self);

  if (dataset != NULL && studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TRAIN) > 0)
    studio_layers_view_set_image (self->layers_view, dataset, STUDIO_SPLIT_TRAIN, 0);
}

void
studio_window_connect_layers (StudioWindow *self)
{
  /* The worker copies the model at each epoch end, for this page to show while training. */
  studio_session_set_epoch_copies (self->session, TRUE);
  g_signal_connect_swapped (self->session, "epoch-end", G_CALLBACK (on_epoch_end), self);
  g_signal_connect_swapped (self->session, "finished", G_CALLBACK (on_training_finished),
                            self);
  g_signal_connect_swapped (self->page_stack, "notify::visible-child-name",
                            G_CALLBACK (update_if_visible), self);
  g_signal_connect (self->data_page, "sample-activated",
                    G_CALLBACK (on_data_sample_activated), self);
  g_signal_connect (self->predictions_page, "sample-activated",
                    G_CALLBACK (on_prediction_activated), self);
  g_signal_connect_swapped (self, "notify::dataset", G_CALLBACK (on_dataset_changed), self);
  self->layers_model_stale = TRUE;
}

void
studio_window_layers_dispose (StudioWindow *self)
{
  g_clear_pointer (&self->pending_layers_model, cnn_model_free);
  if (self->page_stack != NULL)
    g_signal_handlers_disconnect_by_data (self->page_stack, self);
}
