/* test-display.h — keeps widget tests able to draw icons inside isolated test dirs. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

/* G_TEST_OPTION_ISOLATE_DIRS points XDG_DATA_DIRS at /dev/null, so GTK would find neither
 * the icon theme nor the MIME database it needs to load SVG icons. Call this before
 * g_test_init(): it remembers the real system data folders. */
static inline GStrv
test_get_system_data_dirs (void)
{
  return g_strdupv ((char **) g_get_system_data_dirs ());
}

/* After gtk_init_check(): points the icon theme and the MIME database at `data_dirs`. */
static inline void
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
