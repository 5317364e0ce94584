/* studio-window-actions.c — the window's actions: open a dataset, cancel, switch pages. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "studio-window-private.h"

static void
on_file_chooser_response (GtkNativeDialog *dialog,
                          int              response,
                          StudioWindow    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        studio_window_open_dataset (self, path);
      else
        studio_data_page_show_error (self->data_page,
                                     _("Only local files and folders can be opened."));
    }

  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->file_chooser);
}

/* Starts the chooser where the current dataset lives, or in the default dataset folder. */
static void
set_initial_folder (StudioWindow   *self,
                    GtkFileChooser *chooser)
{
  StudioDataset *dataset = studio_window_get_dataset (self);
  const char *source = dataset != NULL ? studio_dataset_get_source (dataset) : NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GFile) file = NULL;

  if (source != NULL)
    folder = g_path_get_dirname (source);
  else if (g_file_test (studio_dataset_default_path (), G_FILE_TEST_IS_DIR))
    folder = g_strdup (studio_dataset_default_path ());
  if (folder == NULL)
    return;

  file = g_file_new_for_path (folder);
  gtk_file_chooser_set_current_folder (chooser, file, NULL);
}

static void
show_file_chooser (StudioWindow         *self,
                   GtkFileChooserAction  action,
                   const char           *title)
{
  GtkFileChooserNative *chooser;

  if (self->file_chooser != NULL)
    {
      gtk_native_dialog_show (self->file_chooser);
      return;
    }

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action,
                                         _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (action == GTK_FILE_CHOOSER_ACTION_OPEN)
    {
      g_autoptr(GtkFileFilter) idx_filter = gtk_file_filter_new ();
      g_autoptr(GtkFileFilter) all_filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (idx_filter, _("IDX Image Files"));
      gtk_file_filter_add_pattern (idx_filter, "*idx3-ubyte");
      gtk_file_filter_add_pattern (idx_filter, "*idx3-ubyte.gz");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), idx_filter);
      gtk_file_filter_set_name (all_filter, _("All Files"));
      gtk_file_filter_add_pattern (all_filter, "*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all_filter);
    }
  set_initial_folder (self, GTK_FILE_CHOOSER (chooser));

  self->file_chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chooser_response), self);
  gtk_native_dialog_show (self->file_chooser);
}

static void
open_dataset_folder_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  show_file_chooser (STUDIO_WINDOW (widget), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                     _("Open Dataset Folder"));
}

static void
open_idx_file_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  show_file_chooser (STUDIO_WINDOW (widget), GTK_FILE_CHOOSER_ACTION_OPEN,
                     _("Open IDX Images File"));
}

static void
open_dataset_path_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  studio_window_open_dataset (STUDIO_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
cancel_loading_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  studio_window_cancel_loading (STUDIO_WINDOW (widget));
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  studio_window_show_page (STUDIO_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

void
studio_window_class_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open-dataset", NULL,
                                   open_dataset_folder_action);
  gtk_widget_class_install_action (widget_class, "win.open-idx-file", NULL,
                                   open_idx_file_action);
  gtk_widget_class_install_action (widget_class, "win.open-dataset-path", "s",
                                   open_dataset_path_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-loading", NULL,
                                   cancel_loading_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
}

void
studio_window_update_actions (StudioWindow *self)
{
  g_return_if_fail (STUDIO_IS_WINDOW (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-loading",
                                 studio_window_get_loading (self));
}
