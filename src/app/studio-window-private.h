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
  GtkMenuButton        *primary_menu_button;

  GSettings            *settings;       /* NULL when our schema is not installed */
  GCancellable         *load_cancellable;
  char                 *loading_path;
  GtkNativeDialog      *file_chooser;
};

/* studio-window-actions.c */
void studio_window_class_install_actions (GtkWidgetClass *widget_class);
void studio_window_update_actions        (StudioWindow   *self);

G_END_DECLS
