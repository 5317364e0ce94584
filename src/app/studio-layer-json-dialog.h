/* studio-layer-json-dialog.h — choosing a Keras model JSON file to open or save, and errors. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Called with the chosen path when the user accepts the dialog. */
typedef void (*StudioLayerJsonChosen) (gpointer    user_data,
                                       const char *path,
                                       gboolean    saving);

/* Shows a native file chooser for *.json over `parent`'s window; returns it (owned by the
 * caller, who destroys it when going away). `callback` runs only on acceptance. */
GtkNativeDialog *studio_layer_json_dialog_new        (GtkWidget             *parent,
                                                      gboolean               saving,
                                                      StudioLayerJsonChosen  callback,
                                                      gpointer               user_data);
/* A modal message dialog: `primary` above the error's message. */
void             studio_layer_json_dialog_show_error (GtkWidget             *parent,
                                                      const char            *primary,
                                                      const GError          *error);

G_END_DECLS
