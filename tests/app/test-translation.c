/* test-translation.c — with LANGUAGE=ko the catalogue and the window speak Korean. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "studio-application.h"
#include "studio-i18n.h"
#include "studio-window.h"
#include "test-app.h"

static void
test_catalogue (void)
{
  g_test_message ("Catalogue bound from %s", studio_i18n_get_localedir ());
  g_assert_cmpstr (_("Data"), ==, "데이터");
  g_assert_cmpstr (_("No Dataset Loaded"), !=, "No Dataset Loaded");
  g_assert_true (g_utf8_validate (_("No Dataset Loaded"), -1, NULL));
}

static void
test_window_titles (void)
{
  g_autoptr(StudioApplication) application = studio_application_new ();
  g_autoptr(GError) error = NULL;
  StudioWindow *window;
  GtkWidget *data_page, *stack;

  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (application), NULL, &error);
  g_assert_no_error (error);

  window = studio_window_new (application);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (test_wait_until (test_is_mapped, window, 30));

  /* The page titles come from the .ui file, so this checks GtkBuilder's domain too. */
  data_page = GTK_WIDGET (studio_window_get_data_page (window));
  stack = gtk_widget_get_parent (data_page);
  g_assert_true (GTK_IS_STACK (stack));
  g_assert_cmpstr (gtk_stack_page_get_title (gtk_stack_get_page (GTK_STACK (stack), data_page)),
                   ==, "데이터");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "ConvStudio");

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_auto(GStrv) system_data_dirs = NULL;
  /* gettext ignores LANGUAGE in the "C" locale, so pick the always-present C.UTF-8. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "ko", TRUE);
  studio_i18n_init ();

  system_data_dirs = test_get_system_data_dirs ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/app/translation/catalogue", test_catalogue);
  if (gtk_init_check ())
    {
      test_use_system_data_dirs ((const char * const *) system_data_dirs);
      g_test_add_func ("/app/translation/window-titles", test_window_titles);
    }
  else
    printf ("# no display: the window part is not run\n");

  return g_test_run ();
}
