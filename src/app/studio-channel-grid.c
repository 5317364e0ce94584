/* studio-channel-grid.c — a layer's output: channel images in a grid, or a strip of unit bars. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "studio-channel-grid.h"
#include "studio-drawing.h"

#define GAP              4
#define LEGEND_HEIGHT    26
#define LEGEND_BAR       120.0
#define TILE_TARGET      52     /* small maps are enlarged by a whole factor up to about this */
#define TILE_MAX         96     /* large maps are shrunk to this */
#define ROW_HEIGHT       20     /* labelled bars (class probabilities) */
#define STRIP_HEIGHT     40     /* unlabelled bars */
#define ENLARGED_SIZE    196

struct _StudioChannelGrid
{
  GtkWidget         parent_instance;

  float            *values;        /* (height, width, channels), or (channels) for units */
  int               height;
  int               width;
  int               channels;      /* channels of a map, or units */
  gboolean          shows_units;
  GStrv             labels;        /* (channels) or NULL */
  StudioColorScale  color_scale;
  float            *tile_low;      /* (channels) each channel's range */
  float            *tile_high;
  float             low;           /* the whole map's range */
  float             high;
  GPtrArray        *surfaces;      /* of cairo_surface_t, one per channel, in the current scale */

  GtkWidget        *popover;
  GtkWidget        *enlarged_picture;
  GtkWidget        *enlarged_title;
  GtkWidget        *enlarged_range;
};

G_DEFINE_FINAL_TYPE (StudioChannelGrid, studio_channel_grid, GTK_TYPE_WIDGET)

/* ---------------------------------------------------------------- colour maps */

static void
interpolate (const guint8 stops[][3],
             int          n_stops,
             double       t,
             guint8       rgb[3])
{
  double position = CLAMP (t, 0.0, 1.0) * (n_stops - 1);
  int index = MIN ((int) position, n_stops - 2);
  double fraction = position - index;

  for (int c = 0; c < 3; c++)
    rgb[c] = (guint8) lround (stops[index][c] * (1 - fraction) + stops[index + 1][c] * fraction);
}

void
studio_color_map_sequential (double t,
                             guint8 rgb[3])
{
  /* viridis at 0, ¼, ½, ¾, 1: even in lightness, readable for colour-blind users. */
  static const guint8 viridis[][3] = {
    { 0x44, 0x01, 0x54 }, { 0x3b, 0x52, 0x8b }, { 0x21, 0x91, 0x8c },
    { 0x5e, 0xc9, 0x62 }, { 0xfd, 0xe7, 0x25 },
  };

  interpolate (viridis, G_N_ELEMENTS (viridis), isfinite (t) ? t : 0.0, rgb);
}

void
studio_color_map_diverging (double t,
                            guint8 rgb[3])
{
  /* ColorBrewer's RdBu, blue for negative values. */
  static const guint8 red_blue[][3] = {
    { 0x21, 0x66, 0xac }, { 0x67, 0xa9, 0xcf }, { 0xf7, 0xf7, 0xf7 },
    { 0xef, 0x8a, 0x62 }, { 0xb2, 0x18, 0x2b },
  };

  interpolate (red_blue, G_N_ELEMENTS (red_blue), isfinite (t) ? (t + 1) / 2 : 0.5, rgb);
}

static char *
format_value (double value)
{
  /* U+2212 for the minus sign, as the shape explanations write it. */
  if (value < 0)
    return g_strdup_printf ("−%.3g", -value);
  return g_strdup_printf ("%.3g", value);
}

static void
show_text (cairo_t       *cr,
           PangoLayout   *layout,
           const GdkRGBA *color,
           double         alpha,
           double         x,
           double         y,
           const char    *text,
           int           *width)
{
  int text_width, text_height;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &text_width, &text_height);
  studio_drawing_set_color (cr, color, alpha);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  if (width != NULL)
    *width = text_width;
}

double
studio_color_legend_draw (cairo_t       *cr,
                          PangoLayout   *layout,
                          const GdkRGBA *foreground,
                          double         x,
                          double         y,
                          double         bar_width,
                          gboolean       diverging,
                          double         low,
                          double         high,
                          const char    *caption)
{
  g_autofree char *low_text = format_value (low);
  g_autofree char *high_text = format_value (high);
  int text_width, text_height;
  double bar_top;

  pango_layout_set_text (layout, "0", -1);
  pango_layout_get_pixel_size (layout, &text_width, &text_height);
  bar_top = y + (text_height - 10) / 2.0;

  show_text (cr, layout, foreground, 0.8, x, y, low_text, &text_width);
  x += text_width + 6;
  for (int i = 0; i < (int) bar_width; i++)
    {
      double t = i / MAX (bar_width - 1, 1.0);
      guint8 rgb[3];

      if (diverging)
        studio_color_map_diverging (2 * t - 1, rgb);
      else
        studio_color_map_sequential (t, rgb);
      cairo_set_source_rgb (cr, rgb[0] / 255.0, rgb[1] / 255.0, rgb[2] / 255.0);
      cairo_rectangle (cr, x + i, bar_top, 1, 10);
      cairo_fill (cr);
    }
  x += bar_width + 6;
  show_text (cr, layout, foreground, 0.8, x, y, high_text, &text_width);
  if (caption != NULL)
    show_text (cr, layout, foreground, 0.6, x + text_width + 12, y, caption, NULL);
  return text_height;
}

/* ---------------------------------------------------------------- geometry */

/* The on-screen size of one channel image. */
static void
tile_size (StudioChannelGrid *self,
           double            *tile_width,
           double            *tile_height)
{
  int side = MAX (self->height, self->width);
  double scale;

  if (side <= 0)
    {
      *tile_width = *tile_height = 0;
      return;
    }
  scale = side < TILE_TARGET ? MAX (1, TILE_TARGET / side) : (double) TILE_MAX / side;
  *tile_width = round (self->width * scale);
  *tile_height = round (self->height * scale);
}

static int
n_columns (StudioChannelGrid *self,
           int                width)
{
  double tile_width, tile_height;

  tile_size (self, &tile_width, &tile_height);
  return MAX (1, (int) ((width + GAP) / (tile_width + GAP)));
}

/* Units per row and the pitch of one bar in an unlabelled strip. */
static int
strip_layout (StudioChannelGrid *self,
              int                width,
              int               *pitch)
{
  *pitch = CLAMP (width / MAX (self->channels, 1), 2, 14);
  return MAX (1, width / *pitch);
}

static int
content_height (StudioChannelGrid *self,
                int                width)
{
  if (self->channels == 0)
    return 0;
  if (self->shows_units && self->labels != NULL)
    return self->channels * ROW_HEIGHT;
  if (self->shows_units)
    {
      int pitch, per_row = strip_layout (self, width, &pitch);
      int rows = (self->channels + per_row - 1) / per_row;

      return LEGEND_HEIGHT + rows * (STRIP_HEIGHT + GAP);
    }
  else
    {
      double tile_width, tile_height;
      int columns = n_columns (self, width);
      int rows = (self->channels + columns - 1) / columns;

      tile_size (self, &tile_width, &tile_height);
      return LEGEND_HEIGHT + rows * (int) (tile_height + GAP);
    }
}

static gboolean
tile_rect (StudioChannelGrid *self,
           int                tile,
           int                width,
           graphene_rect_t   *rect)
{
  if (tile < 0 || tile >= self->channels)
    return FALSE;
  if (self->shows_units && self->labels != NULL)
    graphene_rect_init (rect, 0, tile * ROW_HEIGHT, width, ROW_HEIGHT);
  else if (self->shows_units)
    {
      int pitch, per_row = strip_layout (self, width, &pitch);

      graphene_rect_init (rect, (tile % per_row) * pitch,
                          LEGEND_HEIGHT + (tile / per_row) * (STRIP_HEIGHT + GAP),
                          pitch, STRIP_HEIGHT);
    }
  else
    {
      double tile_width, tile_height;
      int columns = n_columns (self, width);

      tile_size (self, &tile_width, &tile_height);
      graphene_rect_init (rect, (tile % columns) * (tile_width + GAP),
                          LEGEND_HEIGHT + (tile / columns) * (tile_height + GAP),
                          tile_width, tile_height);
    }
  return TRUE;
}

int
studio_channel_grid_tile_at (StudioChannelGrid *self,
                             double             x,
                             double             y)
{
  int width;

  g_return_val_if_fail (STUDIO_IS_CHANNEL_GRID (self), -1);

  width = gtk_widget_get_width (GTK_WIDGET (self));
  for (int tile = 0; tile < self->channels; tile++)
    {
      graphene_rect_t rect;

      if (tile_rect (self, tile, width, &rect)
          && graphene_rect_contains_point (&rect, &GRAPHENE_POINT_INIT (x, y)))
        return tile;
    }
  return -1;
}

/* ---------------------------------------------------------------- colours of the data */

static gboolean
map_is_diverging (StudioChannelGrid *self)
{
  return self->low < 0;
}

/* Where `value` of `tile` falls on the colour map: [0, 1], or [−1, 1] when diverging. */
static double
color_position (StudioChannelGrid *self,
                int                tile,
                float              value)
{
  gboolean shared = self->color_scale == STUDIO_COLOR_SCALE_SHARED;
  float low = shared ? self->low : self->tile_low[tile];
  float high = shared ? self->high : self->tile_high[tile];

  if (map_is_diverging (self))
    {
      float extent = MAX (fabsf (low), fabsf (high));

      return extent > 0 ? value / extent : 0.0;
    }
  return high > low ? (value - low) / (high - low) : 0.0;
}

static void
value_color (StudioChannelGrid *self,
             int                tile,
             float              value,
             guint8             rgb[3])
{
  double t = color_position (self, tile, value);

  if (map_is_diverging (self))
    studio_color_map_diverging (t, rgb);
  else
    studio_color_map_sequential (t, rgb);
}

static cairo_surface_t *
channel_surface (StudioChannelGrid *self,
                 int                channel)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, self->width,
                                                         self->height);
  guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  for (int y = 0; y < self->height; y++)
    for (int x = 0; x < self->width; x++)
      {
        float value = self->values[((gsize) y * self->width + x) * self->channels + channel];
        guint8 rgb[3];

        value_color (self, channel, value, rgb);
        *(guint32 *) (data + y * stride + x * 4) = (guint32) rgb[0] << 16
                                                   | (guint32) rgb[1] << 8 | rgb[2];
      }
  cairo_surface_mark_dirty (surface);
  return surface;
}

static void
rebuild_surfaces (StudioChannelGrid *self)
{
  g_ptr_array_set_size (self->surfaces, 0);
  if (!self->shows_units)
    for (int channel = 0; channel < self->channels; channel++)
      g_ptr_array_add (self->surfaces, channel_surface (self, channel));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
compute_ranges (StudioChannelGrid *self)
{
  gsize n_pixels = self->shows_units ? 1 : (gsize) self->height * self->width;

  self->low = INFINITY;
  self->high = -INFINITY;
  for (int channel = 0; channel < self->channels; channel++)
    {
      float low = INFINITY, high = -INFINITY;

      for (gsize i = 0; i < n_pixels; i++)
        {
          float value = self->values[i * self->channels + channel];

          if (!isfinite (value))
            continue;
          low = MIN (low, value);
          high = MAX (high, value);
        }
      self->tile_low[channel] = isfinite (low) ? low : 0;
      self->tile_high[channel] = isfinite (high) ? high : 0;
      self->low = MIN (self->low, self->tile_low[channel]);
      self->high = MAX (self->high, self->tile_high[channel]);
    }
  if (self->channels == 0)
    self->low = self->high = 0;
}

/* ---------------------------------------------------------------- drawing */

typedef struct
{
  GdkRGBA foreground;
  GdkRGBA accent;
} GridStyle;

static void
draw_maps (StudioChannelGrid *self,
           cairo_t           *cr,
           int                width)
{
  for (int channel = 0; channel < self->channels; channel++)
    {
      graphene_rect_t rect;

      tile_rect (self, channel, width, &rect);
      cairo_save (cr);
      cairo_translate (cr, rect.origin.x, rect.origin.y);
      cairo_scale (cr, rect.size.width / self->width, rect.size.height / self->height);
      cairo_set_source_surface (cr, g_ptr_array_index (self->surfaces, channel), 0, 0);
      cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
      cairo_paint (cr);
      cairo_restore (cr);
    }
}

static void
draw_strip (StudioChannelGrid *self,
            cairo_t           *cr,
            const GridStyle   *style,
            int                width)
{
  gboolean diverging = map_is_diverging (self);

  for (int unit = 0; unit < self->channels; unit++)
    {
      double t = color_position (self, unit, self->values[unit]);
      double bar_height = MAX (fabs (t) * (diverging ? STRIP_HEIGHT / 2.0 : STRIP_HEIGHT), 1);
      graphene_rect_t rect;
      guint8 rgb[3];

      tile_rect (self, unit, width, &rect);
      value_color (self, unit, self->values[unit], rgb);
      cairo_set_source_rgb (cr, rgb[0] / 255.0, rgb[1] / 255.0, rgb[2] / 255.0);
      if (diverging)
        cairo_rectangle (cr, rect.origin.x, rect.origin.y + STRIP_HEIGHT / 2.0
                         - (t > 0 ? bar_height : 0), MAX (rect.size.width - 1, 1), bar_height);
      else
        cairo_rectangle (cr, rect.origin.x, rect.origin.y + STRIP_HEIGHT - bar_height,
                         MAX (rect.size.width - 1, 1), bar_height);
      cairo_fill (cr);
    }
}

/* Labelled bars read as probabilities (a softmax layer): the largest in the accent colour. */
static void
draw_labelled_bars (StudioChannelGrid *self,
                    cairo_t           *cr,
                    PangoLayout       *layout,
                    const GridStyle   *style,
                    int                width)
{
  int name_width = studio_drawing_widest_text (layout, (const char * const *) self->labels,
                                               self->channels);
  double bar_left = name_width + 10, bar_room = MAX (width - bar_left - 64, 20);
  double scale = MAX (self->high, 1.0f);
  int best = 0;

  for (int unit = 1; unit < self->channels; unit++)
    if (self->values[unit] > self->values[best])
      best = unit;

  for (int unit = 0; unit < self->channels; unit++)
    {
      double top = unit * ROW_HEIGHT, value = MAX (self->values[unit], 0.0f);
      const GdkRGBA *bar = unit == best ? &style->accent : &style->foreground;
      g_autofree char *percent = g_strdup_printf ("%.1f%%", 100.0 * self->values[unit]);
      int text_width, text_height;

      pango_layout_set_text (layout, self->labels[unit], -1);
      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      show_text (cr, layout, &style->foreground, unit == best ? 1.0 : 0.75,
                 name_width - text_width, top + (ROW_HEIGHT - text_height) / 2.0,
                 self->labels[unit], NULL);
      cairo_set_source_rgba (cr, bar->red, bar->green, bar->blue, unit == best ? 1.0 : 0.35);
      cairo_rectangle (cr, bar_left, top + 4, MAX (bar_room * value / scale, 1),
                       ROW_HEIGHT - 8);
      cairo_fill (cr);
      show_text (cr, layout, &style->foreground, 0.75,
                 bar_left + bar_room * value / scale + 6,
                 top + (ROW_HEIGHT - text_height) / 2.0, percent, NULL);
    }
}

static void
draw_grid (StudioChannelGrid *self,
           cairo_t           *cr,
           PangoLayout       *layout,
           const GridStyle   *style,
           int                width)
{
  gboolean shared = self->color_scale == STUDIO_COLOR_SCALE_SHARED;
  double low = self->low, high = self->high;
  const char *caption;

  if (self->shows_units && self->labels != NULL)
    {
      draw_labelled_bars (self, cr, layout, style, width);
      return;
    }
  if (map_is_diverging (self))
    {
      high = MAX (fabs (low), fabs (high));
      low = -high;
    }
  caption = shared ? (map_is_diverging (self) ? _("shared scale, white = 0") : _("shared scale"))
                   : (map_is_diverging (self) ? _("each channel to its own range, white = 0")
                                              : _("each channel to its own range"));
  if (self->shows_units)
    caption = map_is_diverging (self) ? _("white = 0") : NULL;
  studio_color_legend_draw (cr, layout, &style->foreground, 0, 2, LEGEND_BAR,
                            map_is_diverging (self), low, high, caption);
  if (self->shows_units)
    draw_strip (self, cr, style, width);
  else
    draw_maps (self, cr, width);
}

static void
studio_channel_grid_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  StudioChannelGrid *self = STUDIO_CHANNEL_GRID (widget);
  GtkStyleContext *style_context = gtk_widget_get_style_context (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr(PangoLayout) layout = NULL;
  GridStyle style;
  cairo_t *cr;

  if (self->channels == 0 || width <= 0 || height <= 0)
    return;
  gtk_style_context_get_color (style_context, &style.foreground);
  studio_drawing_theme_color (widget, "theme_selected_bg_color", "#3584e4", &style.accent);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  layout = gtk_widget_create_pango_layout (widget, NULL);
  draw_grid (self, cr, layout, &style, width);
  cairo_destroy (cr);
}

/* ---------------------------------------------------------------- enlarged channel */

/* A crisp enlargement: each value a block of pixels, no smoothing between them. */
static GdkTexture *
enlarged_texture (StudioChannelGrid *self,
                  int                channel)
{
  int scale = MAX (1, ENLARGED_SIZE / MAX (self->height, self->width));
  int out_width = self->width * scale, out_height = self->height * scale;
  gsize stride = (gsize) out_width * 3;
  guint8 *pixels = g_malloc (stride * out_height);
  g_autoptr(GBytes) bytes = NULL;

  for (int y = 0; y < out_height; y++)
    for (int x = 0; x < out_width; x++)
      {
        gsize source = ((gsize) (y / scale) * self->width + x / scale) * self->channels + channel;

        value_color (self, channel, self->values[source], pixels + y * stride + x * 3);
      }
  bytes = g_bytes_new_take (pixels, stride * out_height);
  return gdk_memory_texture_new (out_width, out_height, GDK_MEMORY_R8G8B8, bytes, stride);
}

static void
ensure_popover (StudioChannelGrid *self)
{
  GtkWidget *box;

  if (self->popover != NULL)
    return;
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->enlarged_title = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->enlarged_title, "heading");
  self->enlarged_picture = gtk_picture_new ();
  gtk_picture_set_can_shrink (GTK_PICTURE (self->enlarged_picture), FALSE);
  self->enlarged_range = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->enlarged_range, "numeric");
  gtk_box_append (GTK_BOX (box), self->enlarged_title);
  gtk_box_append (GTK_BOX (box), self->enlarged_picture);
  gtk_box_append (GTK_BOX (box), self->enlarged_range);

  self->popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (self->popover), box);
  gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
}

static char *
range_text (StudioChannelGrid *self,
            int                tile)
{
  g_autofree char *low = format_value (self->tile_low[tile]);
  g_autofree char *high = format_value (self->tile_high[tile]);
  double sum = 0;
  gsize n_pixels = (gsize) self->height * self->width;
  g_autofree char *mean = NULL;

  if (self->shows_units)
    return format_value (self->values[tile]);
  for (gsize i = 0; i < n_pixels; i++)
    sum += self->values[i * self->channels + tile];
  mean = format_value (sum / MAX (n_pixels, 1));
  /* Translators: the value range of one channel image, e.g. "min 0 · max 2.31 · mean 0.4". */
  return g_strdup_printf (_("min %s · max %s · mean %s"), low, high, mean);
}

void
studio_channel_grid_enlarge_tile (StudioChannelGrid *self,
                                  guint              tile)
{
  g_autofree char *title = NULL;
  g_autofree char *range = NULL;
  graphene_rect_t rect;

  g_return_if_fail (STUDIO_IS_CHANNEL_GRID (self));
  g_return_if_fail (tile < (guint) self->channels);

  ensure_popover (self);
  if (self->labels != NULL)
    title = g_strdup (self->labels[tile]);
  else if (self->shows_units)
    title = g_strdup_printf (_("Unit %u of %d"), tile + 1, self->channels);
  else
    title = g_strdup_printf (_("Channel %u of %d"), tile + 1, self->channels);
  range = range_text (self, tile);
  gtk_label_set_text (GTK_LABEL (self->enlarged_title), title);
  gtk_label_set_text (GTK_LABEL (self->enlarged_range), range);
  gtk_widget_set_visible (self->enlarged_picture, !self->shows_units);
  if (!self->shows_units)
    {
      g_autoptr(GdkTexture) texture = enlarged_texture (self, tile);

      gtk_picture_set_paintable (GTK_PICTURE (self->enlarged_picture), GDK_PAINTABLE (texture));
    }
  tile_rect (self, tile, gtk_widget_get_width (GTK_WIDGET (self)), &rect);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover),
                               &(GdkRectangle) { rect.origin.x, rect.origin.y,
                                                 MAX (rect.size.width, 1),
                                                 MAX (rect.size.height, 1) });
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static void
on_released (GtkGestureClick   *gesture,
             int                n_press,
             double             x,
             double             y,
             StudioChannelGrid *self)
{
  int tile = studio_channel_grid_tile_at (self, x, y);

  if (tile >= 0)
    studio_channel_grid_enlarge_tile (self, tile);
}

/* ---------------------------------------------------------------- GtkWidget */

static GtkSizeRequestMode
studio_channel_grid_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
studio_channel_grid_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  StudioChannelGrid *self = STUDIO_CHANNEL_GRID (widget);
  double tile_width, tile_height;

  tile_size (self, &tile_width, &tile_height);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int columns = MIN (self->channels, 8);

      *minimum = self->shows_units ? 160 : (int) MAX (tile_width, 160);
      *natural = self->shows_units ? 360 : MAX (*minimum, columns * (int) (tile_width + GAP));
    }
  else
    {
      int width = for_size >= 0 ? for_size : 360;

      *minimum = *natural = content_height (self, width);
    }
}

static void
studio_channel_grid_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  StudioChannelGrid *self = STUDIO_CHANNEL_GRID (widget);

  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));
}

static void
studio_channel_grid_dispose (GObject *object)
{
  StudioChannelGrid *self = STUDIO_CHANNEL_GRID (object);

  g_clear_pointer (&self->popover, gtk_widget_unparent);
  G_OBJECT_CLASS (studio_channel_grid_parent_class)->dispose (object);
}

/* An open popover must close before the window under it goes away, or GTK asks a
 * vanished surface where the pointer is. */
static void
studio_channel_grid_unmap (GtkWidget *widget)
{
  StudioChannelGrid *self = STUDIO_CHANNEL_GRID (widget);

  if (self->popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->popover));
  GTK_WIDGET_CLASS (studio_channel_grid_parent_class)->unmap (widget);
}

static void
studio_channel_grid_finalize (GObject *object)
{
  StudioChannelGrid *self = STUDIO_CHANNEL_GRID (object);

  g_free (self->values);
  g_free (self->tile_low);
  g_free (self->tile_high);
  g_strfreev (self->labels);
  g_ptr_array_unref (self->surfaces);
  G_OBJECT_CLASS (studio_channel_grid_parent_class)->finalize (object);
}

static void
studio_channel_grid_class_init (StudioChannelGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = studio_channel_grid_dispose;
  object_class->finalize = studio_channel_grid_finalize;
  widget_class->get_request_mode = studio_channel_grid_get_request_mode;
  widget_class->measure = studio_channel_grid_measure;
  widget_class->size_allocate = studio_channel_grid_size_allocate;
  widget_class->snapshot = studio_channel_grid_snapshot;
  widget_class->unmap = studio_channel_grid_unmap;
  gtk_widget_class_set_css_name (widget_class, "channelgrid");
}

static void
studio_channel_grid_init (StudioChannelGrid *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->surfaces = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_surface_destroy);
  g_signal_connect (click, "released", G_CALLBACK (on_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

/* ---------------------------------------------------------------- public */

GtkWidget *
studio_channel_grid_new (void)
{
  return g_object_new (STUDIO_TYPE_CHANNEL_GRID, NULL);
}

static void
set_values (StudioChannelGrid  *self,
            const float        *values,
            int                 height,
            int                 width,
            int                 channels,
            gboolean            shows_units,
            const char * const *labels)
{
  gsize n_values = (gsize) MAX (height, 1) * MAX (width, 1) * channels;

  if (self->popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->popover));
  g_free (self->values);
  g_free (self->tile_low);
  g_free (self->tile_high);
  g_clear_pointer (&self->labels, g_strfreev);
  self->values = g_memdup2 (values, n_values * sizeof (float));
  self->height = height;
  self->width = width;
  self->channels = channels;
  self->shows_units = shows_units;
  self->labels = labels != NULL ? g_strdupv ((char **) labels) : NULL;
  self->tile_low = g_new (float, MAX (channels, 1));
  self->tile_high = g_new (float, MAX (channels, 1));
  compute_ranges (self);
  rebuild_surfaces (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
studio_channel_grid_set_maps (StudioChannelGrid *self,
                              const float       *values,
                              int                height,
                              int                width,
                              int                channels)
{
  g_return_if_fail (STUDIO_IS_CHANNEL_GRID (self));
  g_return_if_fail (values != NULL && height > 0 && width > 0 && channels > 0);

  set_values (self, values, height, width, channels, FALSE, NULL);
}

void
studio_channel_grid_set_units (StudioChannelGrid  *self,
                               const float        *values,
                               int                 n_units,
                               const char * const *labels)
{
  g_return_if_fail (STUDIO_IS_CHANNEL_GRID (self));
  g_return_if_fail (values != NULL && n_units > 0);
  g_return_if_fail (labels == NULL || g_strv_length ((char **) labels) == (guint) n_units);

  set_values (self, values, 0, 0, n_units, TRUE, labels);
}

void
studio_channel_grid_clear (StudioChannelGrid *self)
{
  g_return_if_fail (STUDIO_IS_CHANNEL_GRID (self));

  set_values (self, NULL, 0, 0, 0, FALSE, NULL);
}

void
studio_channel_grid_set_color_scale (StudioChannelGrid *self,
                                     StudioColorScale   color_scale)
{
  g_return_if_fail (STUDIO_IS_CHANNEL_GRID (self));

  if (self->color_scale == color_scale)
    return;
  self->color_scale = color_scale;
  rebuild_surfaces (self);
}

StudioColorScale
studio_channel_grid_get_color_scale (StudioChannelGrid *self)
{
  g_return_val_if_fail (STUDIO_IS_CHANNEL_GRID (self), STUDIO_COLOR_SCALE_SHARED);
  return self->color_scale;
}

guint
studio_channel_grid_get_n_tiles (StudioChannelGrid *self)
{
  g_return_val_if_fail (STUDIO_IS_CHANNEL_GRID (self), 0);
  return self->channels;
}

gboolean
studio_channel_grid_get_shows_units (StudioChannelGrid *self)
{
  g_return_val_if_fail (STUDIO_IS_CHANNEL_GRID (self), FALSE);
  return self->shows_units;
}

gboolean
studio_channel_grid_get_diverging (StudioChannelGrid *self)
{
  g_return_val_if_fail (STUDIO_IS_CHANNEL_GRID (self), FALSE);
  return map_is_diverging (self);
}

void
studio_channel_grid_get_range (StudioChannelGrid *self,
                               int                tile,
                               float             *low,
                               float             *high)
{
  g_return_if_fail (STUDIO_IS_CHANNEL_GRID (self));
  g_return_if_fail (tile >= -1 && tile < self->channels);

  *low = tile < 0 ? self->low : self->tile_low[tile];
  *high = tile < 0 ? self->high : self->tile_high[tile];
}
