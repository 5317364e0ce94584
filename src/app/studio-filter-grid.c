/* studio-filter-grid.c — a Conv2D layer's learned kernels as small images. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "studio-channel-grid.h"
#include "studio-filter-grid.h"

#define LEGEND_HEIGHT   26
#define FLOW_COLUMNS    16
#define FLOW_TILE       40   /* about this many pixels a side for a lone or colour kernel */
#define MATRIX_TILE     15   /* and in the filters × input channels grid */
#define FLOW_GAP        4
#define MATRIX_GAP      2

struct _StudioFilterGrid
{
  GtkWidget   parent_instance;

  GdkTexture *mosaic;        /* every kernel, laid out, already at screen size */
  int         kernel_h;
  int         kernel_w;
  int         in_channels;
  int         filters;
  gboolean    in_color;
  float       extent;
};

G_DEFINE_FINAL_TYPE (StudioFilterGrid, studio_filter_grid, GTK_TYPE_WIDGET)

typedef struct
{
  int columns;
  int rows;
  int pixel;      /* screen pixels per weight */
  int gap;
  int stride;     /* bytes per row of the mosaic */
  int width;
  int height;
} MosaicLayout;

static gboolean
is_matrix (StudioFilterGrid *self)
{
  return !self->in_color && self->in_channels > 1;
}

static void
layout_mosaic (StudioFilterGrid *self,
               MosaicLayout     *layout)
{
  int side = MAX (self->kernel_h, self->kernel_w);

  if (is_matrix (self))
    {
      layout->columns = self->in_channels;
      layout->rows = self->filters;
      layout->pixel = MAX (1, MATRIX_TILE / side);
      layout->gap = MATRIX_GAP;
    }
  else
    {
      layout->columns = MIN (self->filters, FLOW_COLUMNS);
      layout->rows = (self->filters + layout->columns - 1) / layout->columns;
      layout->pixel = MAX (1, FLOW_TILE / side);
      layout->gap = FLOW_GAP;
    }
  layout->width = layout->columns * (self->kernel_w * layout->pixel + layout->gap);
  layout->height = layout->rows * (self->kernel_h * layout->pixel + layout->gap);
  layout->stride = layout->width * 4;
}

static void
fill_block (guint8             *pixels,
            const MosaicLayout *layout,
            int                 left,
            int                 top,
            const guint8        rgb[3])
{
  for (int y = top; y < top + layout->pixel; y++)
    for (int x = left; x < left + layout->pixel; x++)
      {
        guint8 *target = pixels + (gsize) y * layout->stride + (gsize) x * 4;

        target[0] = rgb[0];
        target[1] = rgb[1];
        target[2] = rgb[2];
        target[3] = 0xff;
      }
}

/* The colour of weight (y, x, input) of `filter`: its RGB triple stretched to the filter's
 * own range (grey = 0) in colour, the shared diverging scale otherwise. */
static void
weight_color (StudioFilterGrid *self,
              const float      *kernel,
              int               y,
              int               x,
              int               input,
              int               filter,
              float             filter_extent,
              guint8            rgb[3])
{
  gsize base = ((gsize) y * self->kernel_w + x) * self->in_channels * self->filters;

  if (self->in_color)
    for (int c = 0; c < 3; c++)
      {
        float value = kernel[base + (gsize) c * self->filters + filter];
        double t = filter_extent > 0 ? 0.5 + 0.5 * value / filter_extent : 0.5;

        rgb[c] = (guint8) lround (255 * CLAMP (t, 0.0, 1.0));
      }
  else
    {
      float value = kernel[base + (gsize) input * self->filters + filter];

      studio_color_map_diverging (self->extent > 0 ? value / self->extent : 0, rgb);
    }
}

static float
filter_extent (StudioFilterGrid *self,
               const float      *kernel,
               int               filter)
{
  gsize n = (gsize) self->kernel_h * self->kernel_w * self->in_channels;
  float extent = 0;

  for (gsize i = 0; i < n; i++)
    extent = MAX (extent, fabsf (kernel[i * self->filters + filter]));
  return extent;
}

static GdkTexture *
build_mosaic (StudioFilterGrid *self,
              const float      *kernel)
{
  MosaicLayout layout;
  guint8 *pixels;
  g_autoptr(GBytes) bytes = NULL;
  int n_images = is_matrix (self) ? self->filters * self->in_channels : self->filters;

  layout_mosaic (self, &layout);
  pixels = g_malloc0 ((gsize) layout.stride * layout.height);
  for (int image = 0; image < n_images; image++)
    {
      int filter = is_matrix (self) ? image / self->in_channels : image;
      int input = is_matrix (self) ? image % self->in_channels : 0;
      int left = (image % layout.columns) * (self->kernel_w * layout.pixel + layout.gap);
      int top = (image / layout.columns) * (self->kernel_h * layout.pixel + layout.gap);
      float extent = self->in_color ? filter_extent (self, kernel, filter) : 0;

      for (int y = 0; y < self->kernel_h; y++)
        for (int x = 0; x < self->kernel_w; x++)
          {
            guint8 rgb[3];

            weight_color (self, kernel, y, x, input, filter, extent, rgb);
            fill_block (pixels, &layout, left + x * layout.pixel, top + y * layout.pixel, rgb);
          }
    }
  bytes = g_bytes_new_take (pixels, (gsize) layout.stride * layout.height);
  return gdk_memory_texture_new (layout.width, layout.height, GDK_MEMORY_R8G8B8A8, bytes,
                                 layout.stride);
}

static char *
legend_caption (StudioFilterGrid *self)
{
  if (self->in_color)
    return g_strdup (_("each filter in colour, stretched to its own range; grey = 0"));
  if (is_matrix (self))
    /* Translators: the kernel grid of a deeper Conv2D layer, e.g. "64 filters (rows) × 32
     * input channels (columns)". */
    return g_strdup_printf (_("%d filters (rows) × %d input channels (columns)"),
                            self->filters, self->in_channels);
  return g_strdup_printf (ngettext ("%d filter", "%d filters", self->filters), self->filters);
}

static void
studio_filter_grid_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  StudioFilterGrid *self = STUDIO_FILTER_GRID (widget);
  g_autoptr(PangoLayout) layout = NULL;
  g_autofree char *caption = NULL;
  GdkRGBA foreground;
  cairo_t *cr;

  if (self->mosaic == NULL)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &foreground);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0,
                                                                 gtk_widget_get_width (widget),
                                                                 LEGEND_HEIGHT));
  layout = gtk_widget_create_pango_layout (widget, NULL);
  caption = legend_caption (self);
  if (self->in_color)
    {
      cairo_move_to (cr, 0, 2);
      pango_layout_set_text (layout, caption, -1);
      cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, 0.6);
      pango_cairo_show_layout (cr, layout);
    }
  else
    studio_color_legend_draw (cr, layout, &foreground, 0, 2, 120, TRUE, -self->extent,
                              self->extent, caption);
  cairo_destroy (cr);

  gtk_snapshot_append_texture (snapshot, self->mosaic,
                               &GRAPHENE_RECT_INIT (0, LEGEND_HEIGHT,
                                                    gdk_texture_get_width (self->mosaic),
                                                    gdk_texture_get_height (self->mosaic)));
}

static void
studio_filter_grid_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  StudioFilterGrid *self = STUDIO_FILTER_GRID (widget);

  if (self->mosaic == NULL)
    *minimum = *natural = 0;
  else if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = MAX (gdk_texture_get_width (self->mosaic), 320);
  else
    *minimum = *natural = LEGEND_HEIGHT + gdk_texture_get_height (self->mosaic);
}

static void
studio_filter_grid_finalize (GObject *object)
{
  StudioFilterGrid *self = STUDIO_FILTER_GRID (object);

  g_clear_object (&self->mosaic);
  G_OBJECT_CLASS (studio_filter_grid_parent_class)->finalize (object);
}

static void
studio_filter_grid_class_init (StudioFilterGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = studio_filter_grid_finalize;
  widget_class->measure = studio_filter_grid_measure;
  widget_class->snapshot = studio_filter_grid_snapshot;
  gtk_widget_class_set_css_name (widget_class, "filtergrid");
}

static void
studio_filter_grid_init (StudioFilterGrid *self)
{
}

GtkWidget *
studio_filter_grid_new (void)
{
  return g_object_new (STUDIO_TYPE_FILTER_GRID, NULL);
}

void
studio_filter_grid_set_kernels (StudioFilterGrid *self,
                                const float      *kernel,
                                int               kernel_h,
                                int               kernel_w,
                                int               in_channels,
                                int               filters)
{
  gsize n;

  g_return_if_fail (STUDIO_IS_FILTER_GRID (self));
  g_return_if_fail (kernel != NULL && kernel_h > 0 && kernel_w > 0);
  g_return_if_fail (in_channels > 0 && filters > 0);

  n = (gsize) kernel_h * kernel_w * in_channels * filters;
  self->kernel_h = kernel_h;
  self->kernel_w = kernel_w;
  self->in_channels = in_channels;
  self->filters = filters;
  self->in_color = in_channels == 3;
  self->extent = 0;
  for (gsize i = 0; i < n; i++)
    if (isfinite (kernel[i]))
      self->extent = MAX (self->extent, fabsf (kernel[i]));
  g_clear_object (&self->mosaic);
  self->mosaic = build_mosaic (self, kernel);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
studio_filter_grid_get_n_kernels (StudioFilterGrid *self)
{
  g_return_val_if_fail (STUDIO_IS_FILTER_GRID (self), 0);
  return self->filters;
}

guint
studio_filter_grid_get_n_input_channels (StudioFilterGrid *self)
{
  g_return_val_if_fail (STUDIO_IS_FILTER_GRID (self), 0);
  return self->in_channels;
}

gboolean
studio_filter_grid_get_in_color (StudioFilterGrid *self)
{
  g_return_val_if_fail (STUDIO_IS_FILTER_GRID (self), FALSE);
  return self->in_color;
}

float
studio_filter_grid_get_extent (StudioFilterGrid *self)
{
  g_return_val_if_fail (STUDIO_IS_FILTER_GRID (self), 0);
  return self->extent;
}
