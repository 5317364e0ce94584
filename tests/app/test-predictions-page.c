/* test-predictions-page.c — the Predictions page under Xvfb: filters, sorting, confusion
 * cells, metrics, both CSV forms, unlabelled data, a large set, and PNGs. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>
#include <stdio.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "studio-prediction-cell.h"
#include "studio-predictions-page.h"
#include "test-app.h"

#define WAIT_SECONDS 30
#define SIDE         8

static const char * const class_names[] = { "cat", "dog", "bird", NULL };

/* Nine test images, true → predicted (confidence):
 *   0 cat→cat .90   1 cat→cat .60   2 cat→dog .80   3 dog→dog .70   4 dog→dog .95
 *   5 dog→cat .50   6 bird→bird .85 7 bird→dog .40  8 bird→bird .55 */
static const gint32 labels[] = { 0, 0, 0, 1, 1, 1, 2, 2, 2 };
static const float probabilities[] = {
  0.90f, 0.05f, 0.05f,
  0.60f, 0.30f, 0.10f,
  0.15f, 0.80f, 0.05f,
  0.20f, 0.70f, 0.10f,
  0.03f, 0.95f, 0.02f,
  0.50f, 0.30f, 0.20f,
  0.05f, 0.10f, 0.85f,
  0.30f, 0.40f, 0.30f,
  0.25f, 0.20f, 0.55f,
};
#define N_ROWS 9

static StudioDataset *
create_dataset (gsize         n,
                const gint32 *known_labels,
                gboolean      with_filenames)
{
  StudioDataset *dataset = studio_dataset_new ("pets", SIDE, SIDE, 3, class_names);
  guint8 *pixels = g_malloc ((gsize) n * SIDE * SIDE * 3);
  gint32 *sample_labels = g_new (gint32, n);
  char **filenames = with_filenames ? g_new0 (char *, n + 1) : NULL;

  for (gsize i = 0; i < n * SIDE * SIDE * 3; i++)
    pixels[i] = (guint8) (i * 37 + i / 192 * 91);
  for (gsize i = 0; i < n; i++)
    {
      sample_labels[i] = known_labels != NULL ? known_labels[i % N_ROWS] : -1;
      if (filenames != NULL)
        filenames[i] = g_strdup_printf ("test/%zu.png", i + 1);
    }
  studio_dataset_set_split (dataset, STUDIO_SPLIT_TEST, n, pixels, sample_labels, filenames);
  return dataset;
}

static GtkWindow *
show_page (GtkWidget *page,
           int        width,
           int        height)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  static const GActionEntry window_actions[] = {
    { "predict" }, { "cancel-predict" }, { "export-predictions" },
  };
  g_autoptr(GSimpleActionGroup) actions = g_simple_action_group_new ();

  /* The window implements these; here they only make the buttons look as they will. */
  g_action_map_add_action_entries (G_ACTION_MAP (actions), window_actions,
                                   G_N_ELEMENTS (window_actions), NULL);
  gtk_widget_insert_action_group (GTK_WIDGET (window), "win", G_ACTION_GROUP (actions));
  gtk_window_set_default_size (window, width, height);
  gtk_window_set_child (window, page);
  gtk_window_present (window);
  while (!gtk_widget_get_mapped (page) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_mapped (page));
  test_settle (0.2);
  return window;
}

static void
assert_shown_rows (StudioPredictionsPage *page,
                   const guint           *expected,
                   guint                  n_expected)
{
  g_assert_cmpuint (studio_predictions_page_get_n_shown (page), ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    g_assert_cmpuint (studio_predictions_page_get_shown_row (page, i), ==, expected[i]);
}

static void
collect_cells (GtkWidget *widget,
               GPtrArray *cells)
{
  if (STUDIO_IS_PREDICTION_CELL (widget))
    {
      g_ptr_array_add (cells, widget);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_cells (child, cells);
}

static GtkWidget *
find_grid_view (GtkWidget *widget)
{
  if (GTK_IS_GRID_VIEW (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_grid_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_empty (void)
{
  GtkWidget *page = studio_predictions_page_new ();
  GtkWindow *window = show_page (page, 900, 600);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = test_output_path ("never-written.csv");

  g_assert_cmpstr (studio_predictions_page_get_state (STUDIO_PREDICTIONS_PAGE (page)), ==,
                   "empty");
  g_assert_false (studio_predictions_page_export_csv (STUDIO_PREDICTIONS_PAGE (page), path, FALSE,
                                                      &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  studio_predictions_page_set_busy (STUDIO_PREDICTIONS_PAGE (page), TRUE);
  studio_predictions_page_set_progress (STUDIO_PREDICTIONS_PAGE (page), 0.4,
                                        "Predicting 4,000 of 10,000 images");
  g_assert_true (studio_predictions_page_get_busy (STUDIO_PREDICTIONS_PAGE (page)));
  test_settle (0.4);
  test_save_widget_png (GTK_WIDGET (window), "predictions-page-busy.png");
  studio_predictions_page_set_busy (STUDIO_PREDICTIONS_PAGE (page), FALSE);
  gtk_window_destroy (window);
}

static void
test_filters_and_sorting (void)
{
  g_autoptr(StudioDataset) dataset = create_dataset (N_ROWS, labels, TRUE);
  StudioPredictionsPage *page = STUDIO_PREDICTIONS_PAGE (studio_predictions_page_new ());
  GtkWindow *window = show_page (GTK_WIDGET (page), 1100, 720);
  StudioConfusionMatrix *matrix = studio_predictions_page_get_confusion_matrix (page);
  static const guint all[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8 };
  static const guint wrong[] = { 2, 5, 7 };
  static const guint correct[] = { 0, 1, 3, 4, 6, 8 };
  static const guint predicted_dog[] = { 2, 3, 4, 7 };
  static const guint true_bird[] = { 6, 7, 8 };
  static const guint cat_as_dog[] = { 2 };
  /* Confidence high → low: .95 .90 .85 .80 .70 .60 .55 .50 .40. */
  static const guint by_confidence[] = { 4, 0, 6, 2, 3, 1, 8, 5, 7 };
  static const guint by_low_confidence[] = { 7, 5, 8, 1, 3, 2, 6, 0, 4 };
  /* Loss −log p(true): row 2 (.15), 7 (.30), 5 (.30, later row), 8 (.55), 1 (.60), …
   * ties keep the original order. */
  static const guint by_loss[] = { 2, 5, 7, 8, 1, 3, 6, 0, 4 };
  static const guint wrong_by_loss[] = { 2, 5, 7 };
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();

  studio_predictions_page_set_results (page, dataset, STUDIO_SPLIT_TEST, NULL, N_ROWS,
                                       probabilities, class_names, 3);
  test_settle (0.2);
  g_assert_cmpstr (studio_predictions_page_get_state (page), ==, "results");
  g_assert_true (studio_predictions_page_has_labels (page));
  assert_shown_rows (page, all, N_ROWS);

  /* Cells show the guess and confidence; wrong ones their true class. */
  collect_cells (GTK_WIDGET (page), cells);
  g_assert_cmpuint (cells->len, >=, N_ROWS);
  g_assert_cmpstr (studio_prediction_cell_get_caption (g_ptr_array_index (cells, 0)), ==,
                   "cat 90%");

  studio_predictions_page_set_verdict (page, STUDIO_PREDICTION_SHOW_WRONG);
  assert_shown_rows (page, wrong, 3);
  studio_predictions_page_set_verdict (page, STUDIO_PREDICTION_SHOW_CORRECT);
  assert_shown_rows (page, correct, 6);
  /* W, as the key binding does it: all → wrong → all. */
  gtk_widget_activate_action (GTK_WIDGET (page), "predictions.toggle-wrong-only", NULL);
  g_assert_cmpint (studio_predictions_page_get_verdict (page), ==, STUDIO_PREDICTION_SHOW_WRONG);
  assert_shown_rows (page, wrong, 3);
  gtk_widget_activate_action (GTK_WIDGET (page), "predictions.toggle-wrong-only", NULL);
  assert_shown_rows (page, all, N_ROWS);

  studio_predictions_page_set_predicted_filter (page, 1);
  assert_shown_rows (page, predicted_dog, 4);
  studio_predictions_page_set_predicted_filter (page, -1);
  studio_predictions_page_set_true_filter (page, 2);
  assert_shown_rows (page, true_bird, 3);
  gtk_widget_activate_action (GTK_WIDGET (page), "predictions.clear-filters", NULL);
  assert_shown_rows (page, all, N_ROWS);

  /* A confusion cell (true cat, predicted dog) filters; the same cell again clears. */
  g_assert_cmpuint (studio_confusion_matrix_get_count (matrix, 0, 1), ==, 1);
  studio_confusion_matrix_activate_cell (matrix, 0, 1);
  assert_shown_rows (page, cat_as_dog, 1);
  g_assert_cmpint (studio_predictions_page_get_true_filter (page), ==, 0);
  g_assert_cmpint (studio_predictions_page_get_predicted_filter (page), ==, 1);
  studio_confusion_matrix_activate_cell (matrix, 0, 1);
  assert_shown_rows (page, all, N_ROWS);

  studio_predictions_page_set_sort (page, STUDIO_PREDICTION_SORT_CONFIDENCE_HIGH_FIRST);
  assert_shown_rows (page, by_confidence, N_ROWS);
  studio_predictions_page_set_sort (page, STUDIO_PREDICTION_SORT_CONFIDENCE_LOW_FIRST);
  assert_shown_rows (page, by_low_confidence, N_ROWS);
  studio_predictions_page_set_sort (page, STUDIO_PREDICTION_SORT_LOSS_HIGH_FIRST);
  assert_shown_rows (page, by_loss, N_ROWS);
  studio_predictions_page_set_verdict (page, STUDIO_PREDICTION_SHOW_WRONG);
  assert_shown_rows (page, wrong_by_loss, 3);

  /* Selecting shows the image; Enter (activate) brings the detail forward. */
  g_assert_cmpstr (studio_predictions_page_get_side_view (page), ==, "matrix");
  studio_predictions_page_select (page, 0);
  g_assert_cmpint (studio_predictions_page_get_selected_row (page), ==, 2);
  g_signal_emit_by_name (find_grid_view (GTK_WIDGET (page)), "activate", 0);
  g_assert_cmpstr (studio_predictions_page_get_side_view (page), ==, "image");
  test_settle (0.2);
  test_save_widget_png (GTK_WIDGET (window), "predictions-page.png");
  gtk_window_destroy (window);
}

static void
test_metrics (void)
{
  g_autoptr(StudioDataset) dataset = create_dataset (N_ROWS, labels, TRUE);
  StudioPredictionsPage *page = STUDIO_PREDICTIONS_PAGE (studio_predictions_page_new ());
  GtkWindow *window = show_page (GTK_WIDGET (page), 900, 600);
  const StudioPredictionMetrics *metrics;

  studio_predictions_page_set_results (page, dataset, STUDIO_SPLIT_TEST, NULL, N_ROWS,
                                       probabilities, class_names, 3);
  metrics = studio_predictions_page_get_metrics (page);
  g_assert_nonnull (metrics);
  /* By hand from the table at the top: 6 of 9 right; predicted cat: rows 0 1 5 (2 right),
   * dog: 2 3 4 7 (2 right), bird: 6 8 (2 right); each true class has 3 images. */
  g_assert_cmpuint (metrics->n_correct, ==, 6);
  g_assert_cmpfloat_with_epsilon (metrics->accuracy, 6.0 / 9.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (metrics->precision[0], 2.0 / 3.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (metrics->precision[1], 2.0 / 4.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (metrics->precision[2], 2.0 / 2.0, 1e-12);
  for (guint c = 0; c < 3; c++)
    {
      g_assert_cmpfloat_with_epsilon (metrics->recall[c], 2.0 / 3.0, 1e-12);
      g_assert_cmpuint (metrics->support[c], ==, 3);
    }
  g_assert_cmpuint (studio_confusion_matrix_get_count (
                      studio_predictions_page_get_confusion_matrix (page), 2, 1), ==, 1);
  gtk_window_destroy (window);
}

static GStrv
read_lines (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (contents, "\r\n"));
  contents[strlen (contents) - 2] = '\0';
  return g_strsplit (contents, "\r\n", -1);
}

static void
test_export (void)
{
  /* Rows 3, 7 and 1 of a 9-image split, in that order: the page exports what it shows. */
  static const guint32 indices[] = { 3, 7, 1 };
  const float subset[] = { 0.20f, 0.70f, 0.10f, 0.30f, 0.40f, 0.30f, 0.60f, 0.30f, 0.10f };
  g_autoptr(StudioDataset) dataset = create_dataset (N_ROWS, labels, TRUE);
  StudioPredictionsPage *page = STUDIO_PREDICTIONS_PAGE (studio_predictions_page_new ());
  GtkWindow *window = show_page (GTK_WIDGET (page), 900, 600);
  g_autofree char *detailed_path = test_output_path ("predictions-detailed.csv");
  g_autofree char *kaggle_path = test_output_path ("predictions-kaggle.csv");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) detailed = NULL;
  g_auto(GStrv) kaggle = NULL;

  studio_predictions_page_set_results (page, dataset, STUDIO_SPLIT_TEST, indices, 3, subset,
                                       class_names, 3);
  g_assert_cmpuint (studio_predictions_page_get_n_results (page), ==, 3);
  /* Filters change the grid, not the export. */
  studio_predictions_page_set_verdict (page, STUDIO_PREDICTION_SHOW_WRONG);
  g_assert_cmpuint (studio_predictions_page_get_n_shown (page), ==, 1);

  g_assert_true (studio_predictions_page_export_csv (page, detailed_path, FALSE, &error));
  g_assert_no_error (error);
  detailed = read_lines (detailed_path);
  g_assert_cmpuint (g_strv_length (detailed), ==, 4);
  g_assert_cmpstr (detailed[0], ==, "filename,predicted_class,confidence,true_class,correct,"
                                    "cat,dog,bird");
  g_assert_cmpstr (detailed[1], ==, "test/4.png,dog,0.7,dog,1,0.2,0.7,0.1");
  g_assert_cmpstr (detailed[2], ==, "test/8.png,dog,0.4,bird,0,0.3,0.4,0.3");
  g_assert_cmpstr (detailed[3], ==, "test/2.png,cat,0.6,cat,1,0.6,0.3,0.1");

  g_assert_true (studio_predictions_page_export_csv (page, kaggle_path, TRUE, &error));
  g_assert_no_error (error);
  kaggle = read_lines (kaggle_path);
  g_assert_cmpuint (g_strv_length (kaggle), ==, 4);
  g_assert_cmpstr (kaggle[0], ==, "id,label");
  g_assert_cmpstr (kaggle[1], ==, "4,1");
  g_assert_cmpstr (kaggle[2], ==, "8,1");
  g_assert_cmpstr (kaggle[3], ==, "2,0");

  /* A folder that does not exist: an error, no file. */
  {
    g_autofree char *bad = test_output_path ("no-such-folder/x.csv");

    g_assert_false (studio_predictions_page_export_csv (page, bad, FALSE, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  g_remove (detailed_path);
  g_remove (kaggle_path);
  gtk_window_destroy (window);
}

static void
test_unlabelled (void)
{
  g_autoptr(StudioDataset) dataset = create_dataset (N_ROWS, NULL, FALSE);
  StudioPredictionsPage *page = STUDIO_PREDICTIONS_PAGE (studio_predictions_page_new ());
  GtkWindow *window = show_page (GTK_WIDGET (page), 1000, 640);
  g_autofree char *path = test_output_path ("predictions-unlabelled.csv");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  static const guint by_confidence[] = { 4, 0, 6, 2, 3, 1, 8, 5, 7 };

  studio_predictions_page_set_results (page, dataset, STUDIO_SPLIT_TEST, NULL, N_ROWS,
                                       probabilities, class_names, 3);
  g_assert_false (studio_predictions_page_has_labels (page));
  g_assert_null (studio_predictions_page_get_metrics (page));
  g_assert_cmpuint (studio_confusion_matrix_get_n_classes (
                      studio_predictions_page_get_confusion_matrix (page)), ==, 0);
  g_assert_cmpuint (studio_predictions_page_get_n_shown (page), ==, N_ROWS);
  /* Nothing can be wrong without labels: W does nothing, the predicted filter still works. */
  gtk_widget_activate_action (GTK_WIDGET (page), "predictions.toggle-wrong-only", NULL);
  g_assert_cmpint (studio_predictions_page_get_verdict (page), ==, STUDIO_PREDICTION_SHOW_ALL);
  studio_predictions_page_set_predicted_filter (page, 2);
  g_assert_cmpuint (studio_predictions_page_get_n_shown (page), ==, 2);
  studio_predictions_page_set_predicted_filter (page, -1);
  studio_predictions_page_set_sort (page, STUDIO_PREDICTION_SORT_CONFIDENCE_HIGH_FIRST);
  assert_shown_rows (page, by_confidence, N_ROWS);
  studio_predictions_page_select (page, 1);
  test_settle (0.2);
  test_save_widget_png (GTK_WIDGET (window), "predictions-page-unlabelled.png");

  g_assert_true (studio_predictions_page_export_csv (page, path, FALSE, &error));
  g_assert_no_error (error);
  lines = read_lines (path);
  g_assert_cmpuint (g_strv_length (lines), ==, N_ROWS + 1);
  g_assert_cmpstr (lines[0], ==, "filename,predicted_class,confidence,cat,dog,bird");
  /* IDX-like rows without files are named by their index in the split. */
  g_assert_cmpstr (lines[1], ==, "0,cat,0.9,0.9,0.05,0.05");
  g_assert_cmpstr (lines[8], ==, "7,dog,0.4,0.3,0.4,0.3");
  g_remove (path);
  gtk_window_destroy (window);
}

/* 12,500 images, as Dogs vs. Cats' test1/: only the cells in view get textures. */
static void
test_large (void)
{
  const gsize n = 12500;
  g_autoptr(StudioDataset) dataset = create_dataset (n, labels, TRUE);
  g_autofree float *many = g_new (float, n * 3);
  StudioPredictionsPage *page = STUDIO_PREDICTIONS_PAGE (studio_predictions_page_new ());
  GtkWindow *window = show_page (GTK_WIDGET (page), 1100, 720);
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();
  gint64 start;
  double seconds;

  for (gsize i = 0; i < n; i++)
    memcpy (many + i * 3, probabilities + (i % N_ROWS) * 3, 3 * sizeof (float));
  start = g_get_monotonic_time ();
  studio_predictions_page_set_results (page, dataset, STUDIO_SPLIT_TEST, NULL, n, many,
                                       class_names, 3);
  studio_predictions_page_set_sort (page, STUDIO_PREDICTION_SORT_LOSS_HIGH_FIRST);
  studio_predictions_page_set_verdict (page, STUDIO_PREDICTION_SHOW_WRONG);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("12,500 results set, sorted by loss and filtered in %.3f s", seconds);
  g_assert_cmpfloat (seconds, <, 5.0);
  /* 3 of every 9 are wrong: 12,500 = 1,388 × 9 + 8 (the last 8 hold 3 wrong). */
  g_assert_cmpuint (studio_predictions_page_get_n_shown (page), ==, 1388 * 3 + 3);
  test_settle (0.3);
  collect_cells (GTK_WIDGET (page), cells);
  g_test_message ("%u grid cells made for %zu images", cells->len, n);
  g_assert_cmpuint (cells->len, >, 0);
  g_assert_cmpuint (cells->len, <, 1000);
  gtk_window_destroy (window);
}

static const char *
fashion_mnist_dir (void)
{
  const char *dir = g_getenv ("FASHION_MNIST_DIR");

  return dir != NULL && *dir != '\0' ? dir : FASHION_MNIST_DIR;
}

/* Made-up but plausible probabilities: mostly right and sure, shirts, T-shirts, pullovers
 * and coats mixed up now and then, as a real CNN does. */
static float *
plausible_probabilities (StudioDataset *dataset,
                         gsize          n)
{
  static const int look_alike[] = { 6, 3, 4, 0, 2, 7, 0, 5, 0, 7 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  float *result = g_new (float, n * 10);

  for (gsize i = 0; i < n; i++)
    {
      float *row = result + i * 10;
      int truth = studio_dataset_get_label (dataset, STUDIO_SPLIT_TEST, i);
      gboolean hard = truth == 0 || truth == 2 || truth == 4 || truth == 6;
      int guess = g_rand_double (rand) < (hard ? 0.2 : 0.04) ? look_alike[truth] : truth;
      double top = g_rand_double_range (rand, 0.45, 0.999);
      double rest = 1.0 - top, sum = 0;

      for (int c = 0; c < 10; c++)
        sum += row[c] = c == guess ? 0 : (float) g_rand_double (rand) * (c == look_alike[truth] ? 4 : 1);
      for (int c = 0; c < 10; c++)
        row[c] = c == guess ? (float) top : (float) (row[c] / sum * rest);
    }
  return result;
}

static void
test_fashion_mnist_screenshots (void)
{
  g_autofree char *images = g_build_filename (fashion_mnist_dir (), "t10k-images-idx3-ubyte.gz",
                                              NULL);
  g_autofree char *labels_path = g_build_filename (fashion_mnist_dir (),
                                                   "t10k-labels-idx1-ubyte.gz", NULL);
  static const char * const fashion_names[] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
    "Ankle boot", NULL
  };
  g_autoptr(StudioDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *made_up = NULL;
  StudioPredictionsPage *page;
  GtkWindow *window;
  gsize n;

  if (!g_file_test (images, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("Fashion-MNIST is not installed");
      return;
    }
  dataset = studio_dataset_new ("Fashion-MNIST", 28, 28, 1, fashion_names);
  g_assert_true (studio_dataset_read_idx_pair (dataset, STUDIO_SPLIT_TEST, images, labels_path,
                                               NULL, &error));
  g_assert_no_error (error);
  n = studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TEST);
  made_up = plausible_probabilities (dataset, n);

  page = STUDIO_PREDICTIONS_PAGE (studio_predictions_page_new ());
  window = show_page (GTK_WIDGET (page), 1280, 800);
  studio_predictions_page_set_results (page, dataset, STUDIO_SPLIT_TEST, NULL, n, made_up,
                                       fashion_names, 10);
  g_assert_cmpuint (studio_predictions_page_get_n_shown (page), ==, n);
  studio_predictions_page_set_sort (page, STUDIO_PREDICTION_SORT_LOSS_HIGH_FIRST);
  studio_predictions_page_set_verdict (page, STUDIO_PREDICTION_SHOW_WRONG);
  test_settle (0.4);
  test_save_widget_png (GTK_WIDGET (window), "predictions-page-fashion.png");

  studio_predictions_page_select (page, 0);
  g_signal_emit_by_name (find_grid_view (GTK_WIDGET (page)), "activate", 0);
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", TRUE, NULL);
  test_settle (0.4);
  test_save_widget_png (GTK_WIDGET (window), "predictions-page-fashion-dark.png");
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", FALSE, NULL);
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  /* The assertions compare English text. */
  g_setenv ("LANGUAGE", "C", TRUE);
  if (!test_app_init (&argc, &argv))
    return 0;
  /* The page's looks live in the application's style sheet. */
  test_load_style ();

  g_test_add_func ("/app/predictions-page/empty", test_empty);
  g_test_add_func ("/app/predictions-page/filters-and-sorting", test_filters_and_sorting);
  g_test_add_func ("/app/predictions-page/metrics", test_metrics);
  g_test_add_func ("/app/predictions-page/export", test_export);
  g_test_add_func ("/app/predictions-page/unlabelled", test_unlabelled);
  g_test_add_func ("/app/predictions-page/large", test_large);
  g_test_add_func ("/app/predictions-page/fashion-mnist-screenshots",
                   test_fashion_mnist_screenshots);

  return g_test_run ();
}
