/* studio-layer-json-dialog.c — choosing a Keras model JSON file to open or save, and errors. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "studio-layer-json-dialog.h"

typedef struct
{
  StudioLayerJsonChosen callback;
  gpointer              user_data;
} ChooserRequest;

static GtkWindow *
parent_window (GtkWidget *parent)
{
  GtkRoot *root = gtk_widget_get_root (parent);

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
on_response (GtkNativeDialog *chooser,
             int              response,
             ChooserRequest  *request)
{
  gboolean saving = gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser))
                    == GTK_FILE_CHOOSER_ACTION_SAVE;
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  if (response == GTK_RESPONSE_ACCEPT && path != NULL)
    request->callback (request->user_data, path, saving);
}

GtkNativeDialog *
studio_layer_json_dialog_new (GtkWidget             *parent,
                              gboolean               saving,
                              StudioLayerJsonChosen  callback,
                              gpointer               user_data)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;
  ChooserRequest *request = g_new0 (ChooserRequest, 1);

  g_return_val_if_fail (GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (callback != NULL, NULL);

  chooser = gtk_file_chooser_native_new (saving ? _("Save Model JSON") : _("Open Model JSON"),
                                         parent_window (parent),
                                         saving ? GTK_FILE_CHOOSER_ACTION_SAVE
                                                : GTK_FILE_CHOOSER_ACTION_OPEN,
                                         saving ? _("_Save") : _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Keras model JSON"));
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  if (saving)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "model.json");
  request->callback = callback;
  request->user_data = user_data;
  g_object_set_data_full (G_OBJECT (chooser), "studio-request", request, g_free);
  g_signal_connect (chooser, "response", G_CALLBACK (on_response), request);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));

  return GTK_NATIVE_DIALOG (chooser);
}

void
studio_layer_json_dialog_show_error (GtkWidget    *parent,
                                     const char   *primary,
                                     const GError *error)
{
  GtkWidget *dialog;

  g_return_if_fail (GTK_IS_WIDGET (parent));
  g_return_if_fail (primary != NULL && error != NULL);

  dialog = gtk_message_dialog_new (parent_window (parent),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE, "%s", primary);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", error->message);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}
