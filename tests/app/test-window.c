/* test-window.c — drives the real window under Xvfb: Fashion-MNIST, menus, errors, PNGs. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <stdio.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "studio-application.h"
#include "studio-sample-list.h"
#include "studio-window.h"
#include "test-app.h"

#define WAIT_SECONDS 60

static StudioApplication *application;

static gboolean
is_done_loading (gpointer window)
{
  return !studio_window_get_loading (window);
}

static StudioWindow *
create_window (void)
{
  StudioWindow *window = studio_window_new (application);

  gtk_window_set_default_size (GTK_WINDOW (window), 1180, 780);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (test_wait_until (test_is_mapped, window, WAIT_SECONDS));

  return window;
}

static void
destroy_window (StudioWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  test_settle (0.05);
}

static const char *
fashion_mnist_dir (void)
{
  const char *dir = g_getenv ("FASHION_MNIST_DIR");

  return dir != NULL && *dir != '\0' ? dir : FASHION_MNIST_DIR;
}

static void
open_dataset_and_wait (StudioWindow *window,
                       const char   *path)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-dataset-path", "s", path);
  g_assert_true (studio_window_get_loading (window));
  g_assert_cmpstr (studio_data_page_get_state (studio_window_get_data_page (window)), ==,
                   "loading");
  g_assert_true (test_wait_until (is_done_loading, window, WAIT_SECONDS));
}

/* Mean of R, G and B over the texture, 0–255. */
static double
mean_brightness (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guint8 *pixels = g_malloc (stride * height);
  double sum = 0;

  gdk_texture_download (texture, pixels, stride);
  for (gsize i = 0; i < stride * height; i += 4)
    sum += (pixels[i] + pixels[i + 1] + pixels[i + 2]) / 3.0;  /* BGRA: alpha skipped */

  return sum / ((double) width * height);
}

static double
save_window_png (StudioWindow *window,
                 const char   *filename)
{
  g_autoptr(GdkTexture) texture = test_render_widget (GTK_WIDGET (window));

  test_save_texture_png (texture, filename);
  return mean_brightness (texture);
}

static void
set_prefer_dark (gboolean prefer_dark)
{
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", prefer_dark,
                NULL);
  test_settle (0.3);
}

static void
test_empty_state (void)
{
  StudioWindow *window = create_window ();
  StudioDataPage *data_page = studio_window_get_data_page (window);

  g_assert_cmpstr (studio_window_get_visible_page (window), ==, "data");
  g_assert_cmpstr (studio_data_page_get_state (data_page), ==, "empty");
  g_assert_null (studio_window_get_dataset (window));
  g_assert_null (studio_data_page_get_error (data_page));

  for (guint i = 0; i < 4; i++)
    {
      static const char *pages[] = { "model", "training", "predictions", "data" };

      gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", pages[i]);
      g_assert_cmpstr (studio_window_get_visible_page (window), ==, pages[i]);
    }

  destroy_window (window);
}

static void
assert_class_chart (StudioClassChart *chart,
                    StudioDataset    *dataset,
                    gsize             per_class)
{
  g_assert_cmpuint (studio_class_chart_get_n_classes (chart), ==, 10);
  for (guint i = 0; i < 10; i++)
    {
      g_assert_cmpuint (studio_class_chart_get_count (chart, i), ==, per_class);
      g_assert_cmpstr (studio_class_chart_get_class_name (chart, i), ==,
                       studio_dataset_get_class_name (dataset, i));
    }
}

static void
assert_sample_grid (StudioSampleGrid *grid,
                    StudioDataset    *dataset,
                    StudioSplit       split)
{
  g_assert_cmpuint (studio_sample_grid_get_n_samples (grid), ==, STUDIO_DATA_PAGE_N_SAMPLES);
  for (guint i = 0; i < studio_sample_grid_get_n_samples (grid); i++)
    {
      gsize index = studio_sample_grid_get_sample_index (grid, i);
      gint32 label = studio_dataset_get_label (dataset, split, index);

      g_assert_cmpuint (index, <, studio_dataset_get_n_samples (dataset, split));
      g_assert_cmpstr (studio_sample_grid_get_caption (grid, i), ==,
                       studio_dataset_get_class_name (dataset, label));
    }
}

static StudioSampleRow *
table_row (GtkColumnView *table,
           guint          position)
{
  g_autoptr(StudioSampleRow) row = g_list_model_get_item (
    G_LIST_MODEL (gtk_column_view_get_model (table)), position);

  g_assert_nonnull (row);
  return row;  /* the model keeps its own reference */
}

static GtkColumnViewColumn *
table_column (GtkColumnView *table,
              guint          position)
{
  g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (
    gtk_column_view_get_columns (table), position);

  return column;
}

static void
assert_table_sorts (GtkColumnView *table,
                    StudioDataset *dataset)
{
  GListModel *rows = G_LIST_MODEL (gtk_column_view_get_model (table));
  guint n_rows = g_list_model_get_n_items (rows);
  gint64 start = g_get_monotonic_time ();

  gtk_column_view_sort_by_column (table, table_column (table, 1), GTK_SORT_ASCENDING);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, n_rows);
  g_test_message ("Sorting %u rows by category took %.0f ms", n_rows,
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpstr (studio_sample_row_get_category (table_row (table, 0)), ==, "Ankle boot");
  for (guint i = 1; i < n_rows; i++)
    g_assert_cmpint (g_utf8_collate (studio_sample_row_get_category (table_row (table, i - 1)),
                                     studio_sample_row_get_category (table_row (table, i))),
                     <=, 0);

  gtk_column_view_sort_by_column (table, table_column (table, 0), GTK_SORT_DESCENDING);
  g_assert_cmpuint (studio_sample_row_get_index (table_row (table, 0)), ==, n_rows - 1);
  g_assert_cmpuint (studio_sample_row_get_index (table_row (table, n_rows - 1)), ==, 0);
  g_assert_cmpstr (studio_sample_row_get_category (table_row (table, 0)), ==,
                   studio_dataset_get_class_name (dataset,
                                                  studio_dataset_get_label (dataset,
                                                                            STUDIO_SPLIT_TRAIN,
                                                                            n_rows - 1)));
}

static void
test_fashion_mnist (void)
{
  StudioWindow *window;
  StudioDataPage *data_page;
  StudioDataset *dataset;
  GtkColumnView *table;
  g_autofree char *images = g_build_filename (fashion_mnist_dir (),
                                              "train-images-idx3-ubyte.gz", NULL);
  double light, dark;
  guint32 seed;

  if (!g_file_test (images, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("Fashion-MNIST is not installed (dataset-fashion-mnist)");
      return;
    }

  window = create_window ();
  data_page = studio_window_get_data_page (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "model");
  open_dataset_and_wait (window, fashion_mnist_dir ());

  dataset = studio_window_get_dataset (window);
  g_assert_nonnull (dataset);
  g_assert_null (studio_data_page_get_error (data_page));
  g_assert_cmpstr (studio_window_get_visible_page (window), ==, "data");
  g_assert_cmpstr (studio_data_page_get_state (data_page), ==, "dataset");
  g_assert_cmpstr (studio_data_page_get_fact (data_page, STUDIO_DATA_FACT_TRAIN_SAMPLES), ==,
                   "60,000");
  g_assert_cmpstr (studio_data_page_get_fact (data_page, STUDIO_DATA_FACT_TEST_SAMPLES), ==,
                   "10,000");
  g_assert_cmpstr (studio_data_page_get_fact (data_page, STUDIO_DATA_FACT_IMAGE_SIZE), ==,
                   "28 × 28 × 1");
  g_assert_cmpstr (studio_data_page_get_fact (data_page, STUDIO_DATA_FACT_CLASSES), ==, "10");

  assert_class_chart (studio_data_page_get_class_chart (data_page), dataset, 6000);
  assert_sample_grid (studio_data_page_get_sample_grid (data_page), dataset, STUDIO_SPLIT_TRAIN);
  table = studio_data_page_get_sample_table (data_page);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (table))),
                    ==, 60000);

  test_settle (0.5);
  light = save_window_png (window, "window-data.png");
  set_prefer_dark (TRUE);
  dark = save_window_png (window, "window-data-dark.png");
  set_prefer_dark (FALSE);
  g_test_message ("Mean brightness: light %.1f, dark %.1f", light, dark);
  g_assert_cmpfloat (dark + 60, <, light);

  assert_table_sorts (table, dataset);

  /* Shuffling shows other samples; the test split has 1,000 images per class. */
  seed = studio_data_page_get_sample_seed (data_page);
  {
    gsize first_sample = studio_sample_grid_get_sample_index (
      studio_data_page_get_sample_grid (data_page), 0);
    gsize second_sample = studio_sample_grid_get_sample_index (
      studio_data_page_get_sample_grid (data_page), 1);

    studio_data_page_shuffle_samples (data_page);
    g_assert_cmpuint (studio_data_page_get_sample_seed (data_page), !=, seed);
    g_assert_false (first_sample == studio_sample_grid_get_sample_index (
                      studio_data_page_get_sample_grid (data_page), 0)
                    && second_sample == studio_sample_grid_get_sample_index (
                      studio_data_page_get_sample_grid (data_page), 1));
  }
  studio_data_page_set_split (data_page, STUDIO_SPLIT_TEST);
  assert_class_chart (studio_data_page_get_class_chart (data_page), dataset, 1000);
  assert_sample_grid (studio_data_page_get_sample_grid (data_page), dataset, STUDIO_SPLIT_TEST);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (table))),
                    ==, 10000);

  /* A broken path shows its error, and the loaded dataset stays. */
  open_dataset_and_wait (window, "/nonexistent/convstudio-dataset");
  g_assert_nonnull (studio_data_page_get_error (data_page));
  g_assert_nonnull (strstr (studio_data_page_get_error (data_page), "convstudio-dataset"));
  g_assert_true (studio_window_get_dataset (window) == dataset);
  g_assert_cmpstr (studio_data_page_get_state (data_page), ==, "dataset");

  destroy_window (window);
}

static void
test_broken_file (void)
{
  StudioWindow *window = create_window ();
  StudioDataPage *data_page = studio_window_get_data_page (window);
  const char *folder = g_get_user_cache_dir ();  /* isolated per test */
  g_autofree char *path = g_build_filename (folder, "broken-images-idx3-ubyte", NULL);
  g_autofree char *labels_path = g_build_filename (folder, "broken-labels-idx1-ubyte", NULL);
  static const guint8 not_idx[] = { 0x89, 'P', 'N', 'G', 0, 0, 0, 1, 0, 0, 0, 28 };
  static const guint8 labels[] = { 0, 0, 8, 1, 0, 0, 0, 1, 3 };
  g_autoptr(GError) error = NULL;

  /* Labels that are fine, beside images whose magic number is a PNG's. */
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_file_set_contents (path, (const char *) not_idx, sizeof not_idx, &error);
  g_assert_no_error (error);
  g_file_set_contents (labels_path, (const char *) labels, sizeof labels, &error);
  g_assert_no_error (error);

  open_dataset_and_wait (window, path);
  g_assert_null (studio_window_get_dataset (window));
  g_assert_cmpstr (studio_data_page_get_state (data_page), ==, "empty");
  g_assert_nonnull (studio_data_page_get_error (data_page));
  g_test_message ("Error shown: %s", studio_data_page_get_error (data_page));
  g_assert_nonnull (strstr (studio_data_page_get_error (data_page), "broken-images-idx3-ubyte"));

  /* The window keeps working: the banner goes away and the pages still switch. */
  studio_data_page_dismiss_error (data_page);
  g_assert_null (studio_data_page_get_error (data_page));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "training");
  g_assert_cmpstr (studio_window_get_visible_page (window), ==, "training");

  g_unlink (path);
  g_unlink (labels_path);
  destroy_window (window);
}

static void
test_cancel_loading (void)
{
  StudioWindow *window;
  StudioDataPage *data_page;

  if (!g_file_test (fashion_mnist_dir (), G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("Fashion-MNIST is not installed (dataset-fashion-mnist)");
      return;
    }

  window = create_window ();
  data_page = studio_window_get_data_page (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-dataset-path", "s",
                              fashion_mnist_dir ());
  g_assert_true (studio_window_get_loading (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-loading", NULL);
  g_assert_false (studio_window_get_loading (window));
  g_assert_cmpstr (studio_data_page_get_state (data_page), ==, "empty");

  /* The cancelled worker's late answer must not bring the dataset in. */
  test_settle (2.0);
  g_assert_null (studio_window_get_dataset (window));
  g_assert_cmpstr (studio_data_page_get_state (data_page), ==, "empty");
  g_assert_null (studio_data_page_get_error (data_page));

  destroy_window (window);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type)
          && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return toplevel;
    }

  return NULL;
}

static gboolean
about_dialog_shown (gpointer data)
{
  return find_toplevel (GTK_TYPE_ABOUT_DIALOG) != NULL;
}

static gboolean
shortcuts_window_shown (gpointer data)
{
  return find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW) != NULL;
}

static void
test_menu_actions (void)
{
  StudioWindow *window = create_window ();
  GtkWindow *about, *shortcuts;

  g_action_group_activate_action (G_ACTION_GROUP (application), "about", NULL);
  g_assert_true (test_wait_until (about_dialog_shown, NULL, WAIT_SECONDS));
  about = find_toplevel (GTK_TYPE_ABOUT_DIALOG);
  g_assert_cmpstr (gtk_about_dialog_get_program_name (GTK_ABOUT_DIALOG (about)), ==, "ConvStudio");
  g_assert_cmpstr (gtk_about_dialog_get_version (GTK_ABOUT_DIALOG (about)), ==, PACKAGE_VERSION);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));
  gtk_window_close (about);
  test_settle (0.1);
  g_assert_null (find_toplevel (GTK_TYPE_ABOUT_DIALOG));

  g_action_group_activate_action (G_ACTION_GROUP (application), "shortcuts", NULL);
  g_assert_true (test_wait_until (shortcuts_window_shown, NULL, WAIT_SECONDS));
  shortcuts = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_true (gtk_window_get_transient_for (shortcuts) == GTK_WINDOW (window));
  gtk_window_close (shortcuts);
  test_settle (0.1);
  g_assert_null (find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW));

  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_auto(GStrv) system_data_dirs = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  /* The assertions compare English text. */
  g_setenv ("LANGUAGE", "C", TRUE);
  system_data_dirs = test_get_system_data_dirs ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!gtk_init_check ())
    {
      printf ("1..0 # SKIP no display\n");
      return 0;
    }

  test_use_system_data_dirs ((const char * const *) system_data_dirs);
  application = studio_application_new ();
  /* Several test programs may run at once on one session bus. */
  g_application_set_flags (G_APPLICATION (application),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_application_register (G_APPLICATION (application), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/app/window/empty-state", test_empty_state);
  g_test_add_func ("/app/window/fashion-mnist", test_fashion_mnist);
  g_test_add_func ("/app/window/broken-file", test_broken_file);
  g_test_add_func ("/app/window/cancel-loading", test_cancel_loading);
  g_test_add_func ("/app/window/menu-actions", test_menu_actions);
  status = g_test_run ();

  g_clear_object (&application);
  return status;
}
