/* studio-filter-grid.h — a Conv2D layer's learned kernels as small images. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define STUDIO_TYPE_FILTER_GRID (studio_filter_grid_get_type ())
G_DECLARE_FINAL_TYPE (StudioFilterGrid, studio_filter_grid, STUDIO, FILTER_GRID, GtkWidget)

GtkWidget *studio_filter_grid_new (void);

/* Shows `kernel` (kernel_h, kernel_w, in_channels, filters), Keras's Conv2D layout (copied):
 * with 3 input channels one colour image per filter (each filter stretched to its own range,
 * grey = 0); with one, one image per filter; otherwise a grid of filters (rows) × input
 * channels (columns). Single-channel images share one diverging scale, blue < 0 < red. */
void       studio_filter_grid_set_kernels        (StudioFilterGrid *self,
                                                  const float      *kernel,
                                                  int               kernel_h,
                                                  int               kernel_w,
                                                  int               in_channels,
                                                  int               filters);
guint      studio_filter_grid_get_n_kernels      (StudioFilterGrid *self);
guint      studio_filter_grid_get_n_input_channels (StudioFilterGrid *self);
gboolean   studio_filter_grid_get_in_color       (StudioFilterGrid *self);
/* The largest weight magnitude: the ends of the shared scale are ± this. */
float      studio_filter_grid_get_extent         (StudioFilterGrid *self);

G_END_DECLS
