/* studio-window-private.h — what studio-window.c and studio-window-actions.c share. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include "studio-window.h"

G_BEGIN_DECLS

struct _StudioWindow
{
  GtkApplicationWindow  parent_instance;

  /* Template children */
  GtkStack             *page_stack;
  StudioDataPage       *data_page;
  StudioModelPage      *model_page;
  StudioTrainingPage   *training_page;
  StudioPredictionsPage *predictions_page;
  StudioLayersView     *layers_view;
  GtkMenuButton        *primary_menu_button;
  GtkButton            *pause_button;

  StudioSession        *session;
  gsize                 training_limit;  /* 0 = every training sample */
  gboolean              close_after_stop;
  gboolean              save_after_stop;
  gboolean              close_after_save;

  GCancellable         *build_cancellable;  /* a model is being built for the session */
  GSettings            *settings;       /* NULL when our schema is not installed */
  GCancellable         *load_cancellable;
  char                 *loading_path;
  StudioImageProgress  *load_progress;   /* the current request's, polled while it loads */
  guint                 load_poll_id;
  StudioLoadResult     *load_result;     /* the shown dataset's scan outlives the page's view */
  GtkNativeDialog      *file_chooser;

  GCancellable         *predict_cancellable;  /* a prediction runs on a worker */
  gpointer              predict_job;          /* its PredictJob, polled for progress */
  guint                 predict_poll_id;

  CnnModel             *pending_layers_model; /* an epoch's copy, for the Layers page */
  gboolean              layers_model_stale;   /* the Layers page shows an older model */
};

/* studio-window.c */
/* The rescale training uses (the Data page's augmentation settings): 1/255 by default. */
double studio_window_get_rescale              (StudioWindow   *self);

/* studio-window-predict.c */
void studio_window_predict                    (StudioWindow   *self);
void studio_window_cancel_predict             (StudioWindow   *self);
gboolean studio_window_export_predictions     (StudioWindow   *self,
                                               const char     *path,
                                               gboolean        kaggle,
                                               GError        **error);
void studio_window_choose_predictions_file    (StudioWindow   *self);
/* A dialog that explains what went wrong; the window stays usable. */
void studio_window_show_problem               (StudioWindow   *self,
                                               const char     *title,
                                               const char     *message);
void studio_window_predict_dispose            (StudioWindow   *self);

/* studio-window-layers.c */
void studio_window_connect_layers             (StudioWindow   *self);
/* The session's model changed (built, opened, trained): the Layers page shows it next. */
void studio_window_layers_model_changed       (StudioWindow   *self);
void studio_window_layers_dispose             (StudioWindow   *self);

/* studio-window-actions.c */
void studio_window_class_install_actions (GtkWidgetClass *widget_class);
void studio_window_update_actions        (StudioWindow   *self);
/* Opens the Save Model chooser; with `then_close`, a successful save closes the window. */
void studio_window_choose_model_file     (StudioWindow   *self,
                                          gboolean        then_close);

G_END_DECLS
