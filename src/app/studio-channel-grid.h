/* studio-channel-grid.h — a layer's output: channel images in a grid, or a strip of unit bars. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* How the channels of one map share colours. */
typedef enum
{
  STUDIO_COLOR_SCALE_SHARED,       /* one range for every channel: channels compare */
  STUDIO_COLOR_SCALE_PER_CHANNEL,  /* each channel stretched to its own range: shapes show */
} StudioColorScale;

/* A sequential colour map (viridis) for t in [0, 1]: values that do not go negative. */
void studio_color_map_sequential (double t,
                                  guint8 rgb[3]);
/* A diverging colour map for t in [−1, 1]: blue below zero, near-white at zero, red above. */
void studio_color_map_diverging  (double t,
                                  guint8 rgb[3]);

/* Draws a legend into `cr` at (x, y): a colour bar `bar_width` wide between the `low` and
 * `high` values, and `caption` after it. Returns the legend's height. Needs no display. */
double studio_color_legend_draw (cairo_t       *cr,
                                 PangoLayout   *layout,
                                 const GdkRGBA *foreground,
                                 double         x,
                                 double         y,
                                 double         bar_width,
                                 gboolean       diverging,
                                 double         low,
                                 double         high,
                                 const char    *caption);

#define STUDIO_TYPE_CHANNEL_GRID (studio_channel_grid_get_type ())
G_DECLARE_FINAL_TYPE (StudioChannelGrid, studio_channel_grid, STUDIO, CHANNEL_GRID, GtkWidget)

GtkWidget *studio_channel_grid_new (void);

/* Shows `values` (height, width, channels) as one image per channel (copied). A map with
 * negative values gets the diverging colour map, centred on zero; others the sequential one. */
void       studio_channel_grid_set_maps         (StudioChannelGrid  *self,
                                                 const float        *values,
                                                 int                 height,
                                                 int                 width,
                                                 int                 channels);
/* Shows `values` (n_units) as a strip of bars (copied). With `labels` (n_units names, e.g.
 * the classes of a softmax layer) each bar is a labelled row with its value as a percentage. */
void       studio_channel_grid_set_units        (StudioChannelGrid  *self,
                                                 const float        *values,
                                                 int                 n_units,
                                                 const char * const *labels);
void       studio_channel_grid_clear            (StudioChannelGrid  *self);

void       studio_channel_grid_set_color_scale  (StudioChannelGrid  *self,
                                                 StudioColorScale    color_scale);
StudioColorScale studio_channel_grid_get_color_scale (StudioChannelGrid *self);

/* Channels (maps) or units (bars) shown. */
guint      studio_channel_grid_get_n_tiles      (StudioChannelGrid  *self);
gboolean   studio_channel_grid_get_shows_units  (StudioChannelGrid  *self);
gboolean   studio_channel_grid_get_diverging    (StudioChannelGrid  *self);
/* The value range of one channel (or unit), or of all of them when `tile` is −1. */
void       studio_channel_grid_get_range        (StudioChannelGrid  *self,
                                                 int                 tile,
                                                 float              *low,
                                                 float              *high);
/* Opens the enlarged view of one channel (what a click on it does). */
void       studio_channel_grid_enlarge_tile     (StudioChannelGrid  *self,
                                                 guint               tile);
/* The tile under the point (widget coordinates), or −1. */
int        studio_channel_grid_tile_at          (StudioChannelGrid  *self,
                                                 double              x,
                                                 double              y);

G_END_DECLS
