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
  GtkNativeDialog      *file_chooser;
};

/* studio-window-actions.c */
void studio_window_class_install_actions (GtkWidgetClass *widget_class);
void studio_window_update_actions        (StudioWindow   *self);
/* Opens the Save Model chooser; with `then_close`, a successful save closes the window. */
void studio_window_choose_model_file     (StudioWindow   *self,
                                          gboolean        then_close);

G_END_DECLS
