/* test-class-chart.c — renders the class chart to an image surface, no display needed. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "studio-class-chart.h"

#define WIDTH  640
#define HEIGHT 320

static const char * const fashion_names[] = {
  "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
  "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot", NULL
};

typedef struct
{
  cairo_surface_t *surface;
  guint32          background;
  guint32          bar;
} Rendering;

static guint32
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guchar *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return *(const guint32 *) (data + (gsize) y * stride + (gsize) x * 4) & 0x00ffffff;
}

static void
render (Rendering   *rendering,
        int          width,
        const gsize *counts,
        guint        n_classes)
{
  StudioClassChartStyle style = { .font = NULL };
  cairo_t *cr;

  gdk_rgba_parse (&style.foreground, "#1e1e1e");
  gdk_rgba_parse (&style.bar, "#3584e4");
  rendering->bar = 0x3584e4;
  rendering->background = 0xffffff;

  rendering->surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, HEIGHT);
  cr = cairo_create (rendering->surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  studio_class_chart_draw (cr, width, HEIGHT, &style, fashion_names, counts, n_classes);
  cairo_destroy (cr);
  cairo_surface_flush (rendering->surface);
}

static void
save_png (Rendering  *rendering,
          const char *filename)
{
  const char *build_dir = g_getenv ("TEST_BUILD_DIR");
  g_autofree char *path = g_build_filename (build_dir != NULL ? build_dir : ".", "app",
                                            filename, NULL);

  if (cairo_surface_write_to_png (rendering->surface, path) == CAIRO_STATUS_SUCCESS)
    g_test_message ("Chart rendered to %s", path);
}

/* Height of the run of bar-coloured pixels going up from the lowest one in column x. */
static int
bar_height_at (Rendering *rendering,
               int        x)
{
  int y = HEIGHT - 1;
  int height = 0;

  while (y >= 0 && pixel_at (rendering->surface, x, y) != rendering->bar)
    y--;
  while (y >= 0 && pixel_at (rendering->surface, x, y) == rendering->bar)
    {
      height++;
      y--;
    }

  return height;
}

/* x of the middle of each bar-coloured run along row y. */
static GArray *
bar_centres_on_row (Rendering *rendering,
                    int        y,
                    int        width)
{
  GArray *centres = g_array_new (FALSE, FALSE, sizeof (int));
  int run_start = -1;

  for (int x = 0; x <= width; x++)
    {
      gboolean in_bar = x < width && pixel_at (rendering->surface, x, y) == rendering->bar;

      if (in_bar && run_start < 0)
        run_start = x;
      else if (!in_bar && run_start >= 0)
        {
          int centre = (run_start + x - 1) / 2;

          g_array_append_val (centres, centre);
          run_start = -1;
        }
    }

  return centres;
}

static void
test_balanced_bars (void)
{
  const gsize counts[10] = { 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000 };
  Rendering rendering;
  g_autoptr(GArray) centres = NULL;
  int first_height;

  render (&rendering, WIDTH, counts, 10);
  save_png (&rendering, "class-chart.png");

  /* Ten equal bars, separated by background. */
  first_height = 0;
  for (int y = HEIGHT - 1; y >= 0 && centres == NULL; y--)
    {
      g_autoptr(GArray) row = bar_centres_on_row (&rendering, y, WIDTH);

      if (row->len == 10)
        centres = g_steal_pointer (&row);
    }
  g_assert_nonnull (centres);
  first_height = bar_height_at (&rendering, g_array_index (centres, int, 0));
  g_assert_cmpint (first_height, >, HEIGHT / 3);
  for (guint i = 1; i < 10; i++)
    {
      int left = g_array_index (centres, int, i - 1);
      int right = g_array_index (centres, int, i);

      g_assert_cmpint (abs (bar_height_at (&rendering, right) - first_height), <=, 1);
      g_assert_cmpuint (pixel_at (rendering.surface, (left + right) / 2, HEIGHT / 2), !=,
                        rendering.bar);
    }

  /* Right of the plot, at the top, stays background. */
  g_assert_cmpuint (pixel_at (rendering.surface, WIDTH - 2, 1), ==, rendering.background);

  cairo_surface_destroy (rendering.surface);
}

static void
test_proportional_heights (void)
{
  const gsize counts[3] = { 6000, 3000, 1500 };
  Rendering rendering;
  g_autoptr(GArray) centres = NULL;
  int heights[3];

  render (&rendering, 400, counts, 3);
  for (int y = HEIGHT - 1; y >= 0 && centres == NULL; y--)
    {
      g_autoptr(GArray) row = bar_centres_on_row (&rendering, y, 400);

      if (row->len == 3)
        centres = g_steal_pointer (&row);
    }
  g_assert_nonnull (centres);
  for (guint i = 0; i < 3; i++)
    heights[i] = bar_height_at (&rendering, g_array_index (centres, int, i));

  g_assert_cmpint (abs (heights[0] - 2 * heights[1]), <=, 2);
  g_assert_cmpint (abs (heights[1] - 2 * heights[2]), <=, 2);

  cairo_surface_destroy (rendering.surface);
}

/* Long names on a narrow chart tilt; the names still draw ink under the bars. */
static void
test_narrow_chart_draws_names (void)
{
  const gsize counts[10] = { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 };
  Rendering rendering;
  int ink_rows = 0;

  int baseline = -1;

  render (&rendering, 300, counts, 10);
  save_png (&rendering, "class-chart-narrow.png");
  for (int y = HEIGHT - 1; y >= 0 && baseline < 0; y--)
    for (int x = 0; x < 300 && baseline < 0; x++)
      if (pixel_at (rendering.surface, x, y) == rendering.bar)
        baseline = y;
  g_assert_cmpint (baseline, >, HEIGHT / 2);

  /* Dark text pixels in the rows under the bars, where only the names are drawn. */
  for (int y = baseline + 3; y < HEIGHT; y++)
    for (int x = 0; x < 300; x++)
      {
        guint32 pixel = pixel_at (rendering.surface, x, y);

        if ((pixel & 0xff) < 0x80)
          {
            ink_rows++;
            break;
          }
      }
  g_assert_cmpint (ink_rows, >, 20);

  cairo_surface_destroy (rendering.surface);
}

static void
test_empty_chart_draws_nothing (void)
{
  Rendering rendering;

  render (&rendering, WIDTH, NULL, 0);
  for (int y = 0; y < HEIGHT; y += 7)
    for (int x = 0; x < WIDTH; x += 7)
      g_assert_cmpuint (pixel_at (rendering.surface, x, y), ==, rendering.background);

  cairo_surface_destroy (rendering.surface);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/app/class-chart/balanced-bars", test_balanced_bars);
  g_test_add_func ("/app/class-chart/proportional-heights", test_proportional_heights);
  g_test_add_func ("/app/class-chart/narrow-chart-draws-names", test_narrow_chart_draws_names);
  g_test_add_func ("/app/class-chart/empty-chart-draws-nothing", test_empty_chart_draws_nothing);

  return g_test_run ();
}
