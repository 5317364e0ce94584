/* test-app.c — what the widget tests share: waiting on the main loop, rendering widgets to
 * PNG files, the app's style sheet and the system data folders under isolated test dirs. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <stdio.h>

#include <glib/gstdio.h>

#include "test-app.h"

gboolean
test_keep_waking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
test_wait_until (TestCondition condition,
                 gpointer      data,
                 double        seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  guint tick = g_timeout_add (10, test_keep_waking, NULL);
  gboolean held;

  while (!(held = condition (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  return held;
}

gboolean
test_never (gpointer data)
{
  return FALSE;
}

void
test_settle (double seconds)
{
  test_wait_until (test_never, NULL, seconds);
}

gboolean
test_is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

GdkTexture *
test_render_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = 0, height = 0;

  /* A slow build (sanitizers) may not have drawn the widget yet: give it a few frames. */
  for (int attempt = 0; node == NULL && attempt < 50; attempt++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      if (attempt > 0)
        test_settle (0.1);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

char *
test_output_path (const char *filename)
{
  const char *build_dir = g_getenv ("TEST_BUILD_DIR");
  g_autofree char *folder = g_build_filename (build_dir != NULL ? build_dir : ".", "app", NULL);

  g_mkdir_with_parents (folder, 0755);
  return g_build_filename (folder, filename, NULL);
}

void
test_save_texture_png (GdkTexture *texture,
                       const char *filename)
{
  g_autofree char *path = test_output_path (filename);

  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Rendered to %s", path);
}

void
test_save_widget_png (GtkWidget  *widget,
                      const char *filename)
{
  g_autoptr(GdkTexture) texture = test_render_widget (widget);

  test_save_texture_png (texture, filename);
}

void
test_load_style (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/io/github/convstudio/ConvStudio/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

GStrv
test_get_system_data_dirs (void)
{
  return g_strdupv ((char **) g_get_system_data_dirs ());
}

void
test_use_system_data_dirs (const char * const *data_dirs)
{
  g_autoptr(GPtrArray) icon_dirs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) mime_dirs = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; data_dirs[i] != NULL; i++)
    {
      g_ptr_array_add (icon_dirs, g_build_filename (data_dirs[i], "icons", NULL));
      g_ptr_array_add (mime_dirs, g_build_filename (data_dirs[i], "mime", NULL));
    }
  g_ptr_array_add (icon_dirs, NULL);
  g_ptr_array_add (mime_dirs, NULL);
  g_content_type_set_mime_dirs ((const char * const *) mime_dirs->pdata);
  gtk_icon_theme_set_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                  (const char * const *) icon_dirs->pdata);
}

gboolean
test_app_init (int    *argc,
               char ***argv)
{
  g_auto(GStrv) system_data_dirs = test_get_system_data_dirs ();

  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!gtk_init_check ())
    {
      printf ("1..0 # SKIP no display\n");
      return FALSE;
    }
  test_use_system_data_dirs ((const char * const *) system_data_dirs);
  return TRUE;
}
