/* test-plot.c — the training curves drawn without a display: series, markers, hover, export. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>

#include "studio-plot.h"

#define WIDTH 600
#define HEIGHT 480

/* Three epochs of 10 batches; ReduceLROnPlateau halves the rate after epoch 2. */
static void
make_run (StudioBatchPoint batches[30],
          CnnEpochLogs     epochs[3])
{
  for (int i = 0; i < 30; i++)
    batches[i] = (StudioBatchPoint) {
      .epoch_position = (i + 1) / 10.0, .loss = 2.0 / (1 + i * 0.2),
      .accuracy = 0.3 + i * 0.02, .lr = i < 20 ? 1e-3 : 5e-4,
    };
  for (int e = 0; e < 3; e++)
    epochs[e] = (CnnEpochLogs) {
      .epoch = e, .loss = 1.2 - 0.3 * e, .accuracy = 0.6 + 0.1 * e, .has_validation = 1,
      .val_loss = 1.0 - 0.2 * e, .val_accuracy = 0.65 + 0.08 * e, .lr = e < 2 ? 1e-3 : 5e-4,
    };
}

/* Pixels within a small distance of `color`. */
static guint
count_color (cairo_surface_t *surface,
             const GdkRGBA   *color)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint count = 0;

  cairo_surface_flush (surface);
  for (int y = 0; y < HEIGHT; y++)
    for (int x = 0; x < WIDTH; x++)
      {
        const guint8 *pixel = data + y * stride + 4 * x; /* BGRA, opaque background */

        if (ABS (pixel[2] - color->red * 255) < 12 && ABS (pixel[1] - color->green * 255) < 12
            && ABS (pixel[0] - color->blue * 255) < 12)
          count++;
      }
  return count;
}

static cairo_surface_t *
draw (const StudioPlotData *data,
      const GdkRGBA        *foreground)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cairo_t *cr = cairo_create (surface);
  StudioPlotStyle style;

  studio_plot_style_init (&style, foreground);
  style.fill_background = TRUE;
  studio_plot_draw (cr, WIDTH, HEIGHT, data, &style);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  return surface;
}

static void
test_series_and_markers (void)
{
  StudioBatchPoint batches[30];
  CnnEpochLogs epochs[3];
  StudioPlotData data = {
    .batch_points = batches, .n_batch_points = 30, .epochs = epochs, .n_epochs = 3,
    .total_epochs = 5, .best_epoch = 2, .stopped_epoch = -1, .hover_epoch = -1,
  };
  GdkRGBA black = { 0, 0, 0, 1 };
  StudioPlotStyle style;
  cairo_surface_t *empty, *full;
  g_autofree char *path = g_build_filename (g_getenv ("TEST_BUILD_DIR") != NULL
                                            ? g_getenv ("TEST_BUILD_DIR") : ".",
                                            "plot-light.png", NULL);

  make_run (batches, epochs);
  studio_plot_style_init (&style, &black);
  full = draw (&data, &black);
  g_assert_cmpuint (count_color (full, &style.train), >, 200);
  g_assert_cmpuint (count_color (full, &style.validation), >, 100);
  g_assert_cmpuint (count_color (full, &style.best), >, 20);
  g_assert_cmpuint (count_color (full, &style.learning_rate), >, 50);
  g_assert_cmpuint (count_color (full, &style.stopped), ==, 0);
  cairo_surface_write_to_png (full, path);

  /* No run yet: axes only, no series colours. */
  data.n_batch_points = data.n_epochs = 0;
  data.best_epoch = -1;
  empty = draw (&data, &black);
  g_assert_cmpuint (count_color (empty, &style.train), ==, 0);
  g_assert_cmpuint (count_color (empty, &style.validation), ==, 0);
  cairo_surface_destroy (empty);
  cairo_surface_destroy (full);
}

static void
test_early_stop_marker_dark (void)
{
  StudioBatchPoint batches[30];
  CnnEpochLogs epochs[3];
  StudioPlotData data = {
    .batch_points = batches, .n_batch_points = 30, .epochs = epochs, .n_epochs = 3,
    .total_epochs = 3, .best_epoch = 0, .stopped_epoch = 1, .hover_epoch = 2,
  };
  GdkRGBA white = { 1, 1, 1, 1 };
  StudioPlotStyle style;
  cairo_surface_t *surface;

  make_run (batches, epochs);
  studio_plot_style_init (&style, &white);
  /* A dark theme gets the light shades. */
  g_assert_cmpfloat (style.train.blue, >, 0.85);
  surface = draw (&data, &white);
  g_assert_cmpuint (count_color (surface, &style.stopped), >, 20);
  g_assert_cmpuint (count_color (surface, &style.train), >, 100);
  cairo_surface_destroy (surface);
}

static void
test_epoch_at (void)
{
  StudioBatchPoint batches[30];
  CnnEpochLogs epochs[3];
  StudioPlotData data = {
    .batch_points = batches, .n_batch_points = 30, .epochs = epochs, .n_epochs = 3,
    .total_epochs = 3, .best_epoch = -1, .stopped_epoch = -1, .hover_epoch = -1,
  };

  make_run (batches, epochs);
  /* x axis 0…3 over the plot's width: the right edge is the end of epoch 3. */
  g_assert_cmpint (studio_plot_epoch_at (WIDTH, &data, WIDTH - 20), ==, 2);
  g_assert_cmpint (studio_plot_epoch_at (WIDTH, &data, 70), ==, 0);
  g_assert_cmpint (studio_plot_epoch_at (WIDTH, &data, 5), ==, -1);
  data.n_epochs = 0;
  g_assert_cmpint (studio_plot_epoch_at (WIDTH, &data, 300), ==, -1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/plot/series-and-markers", test_series_and_markers);
  g_test_add_func ("/app/plot/early-stop-marker-dark", test_early_stop_marker_dark);
  g_test_add_func ("/app/plot/epoch-at", test_epoch_at);
  return g_test_run ();
}
