/* studio-application.h — the GtkApplication: app actions, accelerators, theme, settings. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define STUDIO_TYPE_APPLICATION (studio_application_get_type ())
G_DECLARE_FINAL_TYPE (StudioApplication, studio_application, STUDIO, APPLICATION, GtkApplication)

StudioApplication *studio_application_new          (void);
/* Our GSettings, or NULL when the schema is not installed (nothing is remembered then). */
GSettings         *studio_application_get_settings (StudioApplication *self);
/* Whether the dark variant of the theme is in use, from --dark or the desktop's setting. */
gboolean           studio_application_get_prefers_dark (StudioApplication *self);

G_END_DECLS
