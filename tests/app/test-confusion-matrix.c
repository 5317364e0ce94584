/* test-confusion-matrix.c — metrics, the confusion matrix and the probability bars, drawn
 * to image surfaces: no display needed. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "studio-confusion-matrix.h"
#include "studio-prediction-bars.h"
#include "studio-prediction-metrics.h"

#define SIZE 360

static const char * const class_names[] = { "cat", "dog", "bird", NULL };

/* 10 labelled rows and one unknown: true → predicted
 *   cat:  cat cat cat dog         (support 4)
 *   dog:  dog dog cat             (support 3)
 *   bird: bird dog bird           (support 3)
 *   unknown: bird                 (ignored) */
static const guint predicted[] = { 0, 0, 0, 1, 1, 1, 0, 2, 1, 2, 2 };
static const gint32 truth[] = { 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, -1 };

static void
test_metrics (void)
{
  g_autoptr(StudioPredictionMetrics) metrics = studio_prediction_metrics_new (predicted, truth,
                                                                              11, 3);
  g_autoptr(StudioPredictionMetrics) unlabelled = studio_prediction_metrics_new (predicted, NULL,
                                                                                 11, 3);
  const gsize expected_confusion[] = { 3, 1, 0,
                                       1, 2, 0,
                                       0, 1, 2 };

  g_assert_cmpuint (metrics->n_labelled, ==, 10);
  g_assert_cmpuint (metrics->n_correct, ==, 7);
  g_assert_cmpfloat_with_epsilon (metrics->accuracy, 0.7, 1e-12);
  for (guint i = 0; i < 9; i++)
    g_assert_cmpuint (metrics->confusion[i], ==, expected_confusion[i]);
  g_assert_cmpuint (studio_prediction_metrics_get_count (metrics, 2, 1), ==, 1);
  g_assert_cmpfloat_with_epsilon (studio_prediction_metrics_get_row_share (metrics, 0, 0),
                                  0.75, 1e-12);

  /* precision = hits / predicted as the class; recall = hits / support. */
  g_assert_cmpfloat_with_epsilon (metrics->precision[0], 3.0 / 4.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (metrics->precision[1], 2.0 / 4.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (metrics->precision[2], 2.0 / 2.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (metrics->recall[0], 3.0 / 4.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (metrics->recall[1], 2.0 / 3.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (metrics->recall[2], 2.0 / 3.0, 1e-12);
  g_assert_cmpuint (metrics->support[0], ==, 4);
  g_assert_cmpuint (metrics->support[1], ==, 3);
  g_assert_cmpuint (metrics->support[2], ==, 3);

  g_assert_cmpuint (unlabelled->n_labelled, ==, 0);
  g_assert_true (isnan (unlabelled->accuracy));
  g_assert_true (isnan (unlabelled->precision[0]) && isnan (unlabelled->recall[2]));
}

static guint32
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guchar *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return *(const guint32 *) (data + (gsize) y * stride + (gsize) x * 4) & 0x00ffffff;
}

static cairo_surface_t *
render_matrix (const gsize                   *counts,
               guint                          n_classes,
               const char * const            *names,
               int                            selected_row,
               int                            selected_column,
               StudioConfusionMatrixGeometry *geometry)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, SIZE, SIZE);
  StudioConfusionMatrixStyle style = { .font = NULL };
  cairo_t *cr = cairo_create (surface);

  gdk_rgba_parse (&style.foreground, "#1e1e1e");
  gdk_rgba_parse (&style.correct, "#3584e4");
  gdk_rgba_parse (&style.mistake, "#e01b24");
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  studio_confusion_matrix_draw (cr, SIZE, SIZE, &style, names, counts, n_classes,
                                selected_row, selected_column, geometry);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static void
save_png (cairo_surface_t *surface,
          const char      *filename)
{
  const char *build_dir = g_getenv ("TEST_BUILD_DIR");
  g_autofree char *folder = g_build_filename (build_dir != NULL ? build_dir : ".", "app", NULL);
  g_autofree char *path = g_build_filename (folder, filename, NULL);

  g_mkdir_with_parents (folder, 0755);
  if (cairo_surface_write_to_png (surface, path) == CAIRO_STATUS_SUCCESS)
    g_test_message ("Rendered to %s", path);
}

/* A pixel near the cell's corner: inside the fill, clear of the centred count. */
static guint32
cell_colour (cairo_surface_t                     *surface,
             const StudioConfusionMatrixGeometry *geometry,
             guint                                row,
             guint                                column)
{
  return pixel_at (surface, (int) (geometry->left + column * geometry->cell_size + 4),
                   (int) (geometry->top + row * geometry->cell_size + 4));
}

static void
test_matrix_colours (void)
{
  const gsize counts[] = { 90, 10, 0,
                           5, 5, 0,
                           0, 0, 1 };
  StudioConfusionMatrixGeometry geometry;
  cairo_surface_t *surface = render_matrix (counts, 3, class_names, -1, -1, &geometry);
  guint32 strong, weak, half, empty, lone;
  guint row, column;

  g_assert_cmpuint (geometry.n_classes, ==, 3);
  g_assert_cmpfloat (geometry.cell_size, >=, 40);
  g_assert_cmpfloat (geometry.left + 3 * geometry.cell_size, <=, SIZE);
  g_assert_cmpfloat (geometry.top + 3 * geometry.cell_size, <=, SIZE);

  strong = cell_colour (surface, &geometry, 0, 0);   /* 90% of its row */
  weak = cell_colour (surface, &geometry, 0, 1);     /* 10%: a mistake */
  half = cell_colour (surface, &geometry, 1, 1);     /* 50% */
  empty = cell_colour (surface, &geometry, 0, 2);
  lone = cell_colour (surface, &geometry, 2, 2);     /* 1 of 1: as strong as a cell can be */
  g_assert_cmphex (strong, !=, weak);
  g_assert_cmphex (strong, !=, half);
  g_assert_cmphex (weak, !=, empty);
  g_assert_cmphex (empty, !=, 0xffffff);             /* empty cells still show as tiles */
  /* Row-normalised: the bird row's single image colours like a full row, darker than 90%. */
  g_assert_cmpuint (lone & 0xff, <=, strong & 0xff);
  /* The diagonal is blue, the mistake reddish. */
  g_assert_cmpuint (strong & 0xff, >, (strong >> 16) & 0xff);
  g_assert_cmpuint ((weak >> 16) & 0xff, >, weak & 0xff);
  save_png (surface, "confusion-matrix.png");

  g_assert_true (studio_confusion_matrix_geometry_cell_at (&geometry,
                                                           geometry.left + 2.5 * geometry.cell_size,
                                                           geometry.top + 0.5 * geometry.cell_size,
                                                           &row, &column));
  g_assert_cmpuint (row, ==, 0);
  g_assert_cmpuint (column, ==, 2);
  g_assert_false (studio_confusion_matrix_geometry_cell_at (&geometry, geometry.left - 1,
                                                            geometry.top + 1, &row, &column));
  g_assert_false (studio_confusion_matrix_geometry_cell_at (&geometry,
                                                            geometry.left + 3 * geometry.cell_size,
                                                            geometry.top + 1, &row, &column));
  cairo_surface_destroy (surface);
}

static void
test_matrix_selection_outline (void)
{
  const gsize counts[] = { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
  StudioConfusionMatrixGeometry geometry;
  cairo_surface_t *plain = render_matrix (counts, 3, class_names, -1, -1, &geometry);
  cairo_surface_t *outlined = render_matrix (counts, 3, class_names, 1, 2, &geometry);
  int x = (int) (geometry.left + 2 * geometry.cell_size + 1);
  int y = (int) (geometry.top + 1.5 * geometry.cell_size);

  /* The outline runs along the cell's edge. */
  g_assert_cmphex (pixel_at (plain, x, y), !=, pixel_at (outlined, x, y));
  cairo_surface_destroy (plain);
  cairo_surface_destroy (outlined);
}

static void
test_matrix_many_classes (void)
{
  const char * const long_names[] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
    "Ankle boot", "A class with a very long name indeed", "Twelfth", NULL
  };
  gsize counts[12 * 12] = { 0 };
  StudioConfusionMatrixGeometry geometry;
  cairo_surface_t *surface;

  for (guint i = 0; i < 12; i++)
    {
      counts[i * 12 + i] = 900 + i;
      counts[i * 12 + (i + 1) % 12] = 100;
    }
  surface = render_matrix (counts, 12, long_names, -1, -1, &geometry);
  /* Tilted, shortened names still leave the cells room, and the matrix stays inside. */
  g_assert_cmpfloat (geometry.cell_size, >=, 14);
  g_assert_cmpfloat (geometry.left + 12 * geometry.cell_size, <=, SIZE);
  g_assert_cmpfloat (geometry.top + 12 * geometry.cell_size, <=, SIZE);
  g_assert_cmphex (cell_colour (surface, &geometry, 3, 3), !=,
                   cell_colour (surface, &geometry, 3, 4));
  save_png (surface, "confusion-matrix-12.png");
  cairo_surface_destroy (surface);
}

/* Width of the run of `colour` pixels along row y. */
static int
run_length (cairo_surface_t *surface,
            int              y,
            guint32          colour)
{
  int length = 0;

  for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
    length += pixel_at (surface, x, y) == colour;
  return length;
}

static void
test_bars (void)
{
  const float probabilities[] = { 0.2f, 0.7f, 0.1f };
  StudioPredictionBarsStyle style = { .font = NULL };
  int height = 3 * STUDIO_PREDICTION_BARS_ROW_HEIGHT;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, SIZE, height);
  cairo_t *cr = cairo_create (surface);
  int mid = STUDIO_PREDICTION_BARS_ROW_HEIGHT / 2;
  int predicted_length, truth_length;

  gdk_rgba_parse (&style.foreground, "#000000");
  gdk_rgba_parse (&style.predicted, "#3584e4");
  gdk_rgba_parse (&style.mistake, "#e01b24");
  gdk_rgba_parse (&style.truth, "#2ec27e");
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  /* True class cat (0), predicted dog (1): a wrong guess. */
  studio_prediction_bars_draw (cr, SIZE, height, &style, class_names, probabilities, 3, 0);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  predicted_length = run_length (surface, STUDIO_PREDICTION_BARS_ROW_HEIGHT + mid, 0xe01b24);
  truth_length = run_length (surface, mid, 0x2ec27e);
  g_assert_cmpint (predicted_length, >, 0);
  g_assert_cmpint (truth_length, >, 0);
  /* Bars are as long as their probabilities: 0.7 / 0.2 = 3.5 (±2 px of rounding). */
  g_assert_cmpint (abs (predicted_length * 2 - truth_length * 7), <=, 2 * 7);
  g_assert_cmpint (run_length (surface, mid, 0x3584e4), ==, 0);
  save_png (surface, "prediction-bars.png");
  cairo_surface_destroy (surface);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/confusion-matrix/metrics", test_metrics);
  g_test_add_func ("/app/confusion-matrix/colours", test_matrix_colours);
  g_test_add_func ("/app/confusion-matrix/selection-outline", test_matrix_selection_outline);
  g_test_add_func ("/app/confusion-matrix/many-classes", test_matrix_many_classes);
  g_test_add_func ("/app/confusion-matrix/probability-bars", test_bars);

  return g_test_run ();
}
