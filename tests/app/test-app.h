/* test-app.h — what the widget tests share: waiting on the main loop, rendering widgets to
 * PNG files, the app's style sheet and the system data folders under isolated test dirs. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef gboolean (*TestCondition) (gpointer data);

/* A timeout callback that only wakes the main loop, so a blocking iteration returns in time
 * to check a deadline. */
gboolean    test_keep_waking           (gpointer            data);
/* Runs the main loop until `condition` holds or `seconds` pass; TRUE when it held. */
gboolean    test_wait_until            (TestCondition       condition,
                                        gpointer            data,
                                        double              seconds);
/* Lets GTK lay out and draw what changed for `seconds`. */
void        test_settle                (double              seconds);
/* Conditions for test_wait_until(). */
gboolean    test_never                 (gpointer            data);
gboolean    test_is_mapped             (gpointer            widget);

/* The widget as GTK draws it, at its allocated size. */
GdkTexture *test_render_widget         (GtkWidget          *widget);
/* $TEST_BUILD_DIR/app/filename, its folder created. */
char       *test_output_path           (const char         *filename);
/* Saves the texture, or the widget as rendered, as test_output_path (filename). */
void        test_save_texture_png      (GdkTexture         *texture,
                                        const char         *filename);
void        test_save_widget_png       (GtkWidget          *widget,
                                        const char         *filename);
/* Loads ui/style.css (from the resources) as the application does, for tests that show a
 * page without the application. */
void        test_load_style            (void);

/* g_test_init() with isolated dirs, then gtk_init_check() with the system's icons and MIME
 * data; FALSE (after printing the TAP skip line) when there is no display. */
gboolean    test_app_init              (int                *argc,
                                        char             ***argv);

/* G_TEST_OPTION_ISOLATE_DIRS points XDG_DATA_DIRS at /dev/null, so GTK would find neither
 * the icon theme nor the MIME database it needs to load SVG icons. Call this before
 * g_test_init(): it remembers the real system data folders. */
GStrv       test_get_system_data_dirs  (void);
/* After gtk_init_check(): points the icon theme and the MIME database at `data_dirs`. */
void        test_use_system_data_dirs  (const char * const *data_dirs);

/* Sanitizer builds run several times slower: there latencies are measured and reported,
 * and they are asserted in the normal build. */
static inline gboolean
test_timing_asserted (void)
{
#if defined(__SANITIZE_ADDRESS__)
  return FALSE;
#else
  return TRUE;
#endif
}

G_END_DECLS
