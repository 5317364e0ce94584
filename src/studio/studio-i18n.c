/* studio-i18n.c — sets up gettext for the app and the CLI, from the installed or the build-tree
 * catalogue. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <libintl.h>
#include <locale.h>

#include <glib.h>

#include "studio-i18n.h"

static const char *bound_localedir = LOCALEDIR;

static gboolean
localedir_has_catalogue (const char *localedir,
                         const char *language)
{
  g_autofree char *path = g_build_filename (localedir, language, "LC_MESSAGES",
                                            GETTEXT_PACKAGE ".mo", NULL);

  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* The installed catalogues win; the build tree's are used only for a language that is not
 * installed, so a developer can run the uninstalled binary in Korean. */
static const char *
choose_localedir (void)
{
  const char * const *languages = g_get_language_names ();

  for (guint i = 0; languages[i] != NULL; i++)
    {
      if (g_str_equal (languages[i], "C") || g_str_equal (languages[i], "POSIX"))
        continue;
      if (localedir_has_catalogue (LOCALEDIR, languages[i]))
        return LOCALEDIR;
      if (localedir_has_catalogue (BUILD_LOCALEDIR, languages[i]))
        return BUILD_LOCALEDIR;
    }

  return LOCALEDIR;
}

void
studio_i18n_init (void)
{
  setlocale (LC_ALL, "");
  bound_localedir = choose_localedir ();
  bindtextdomain (GETTEXT_PACKAGE, bound_localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

const char *
studio_i18n_get_localedir (void)
{
  return bound_localedir;
}
