/* studio-i18n.h — sets up gettext for the app and the CLI, from the installed or the build-tree
 * catalogue. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets the locale from the environment and binds our text domain. Call first thing in
 * main(), before gtk_init(). */
void        studio_i18n_init (void);

/* The folder our catalogues were bound to by studio_i18n_init(). */
const char *studio_i18n_get_localedir (void);

G_END_DECLS
