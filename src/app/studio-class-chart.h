/* studio-class-chart.h — a bar chart of how many samples each class has (drawn with Cairo). */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Colours and font of a chart; the widget takes them from the theme, a test picks its own. */
typedef struct
{
  GdkRGBA                     foreground;  /* axis, ticks, class names, counts */
  GdkRGBA                     bar;         /* the bars */
  const PangoFontDescription *font;        /* NULL: the default sans font */
} StudioClassChartStyle;

/* Draws bars for counts[0 .. n_classes) into (0, 0, width, height) of `cr`: a y axis with
 * ticks, the count above each bar and the class name under it (tilted when names would
 * collide). Needs no display, so tests render it to an image surface. */
void studio_class_chart_draw (cairo_t                     *cr,
                              int                          width,
                              int                          height,
                              const StudioClassChartStyle *style,
                              const char * const          *class_names,
                              const gsize                 *counts,
                              guint                        n_classes);

#define STUDIO_TYPE_CLASS_CHART (studio_class_chart_get_type ())
G_DECLARE_FINAL_TYPE (StudioClassChart, studio_class_chart, STUDIO, CLASS_CHART, GtkWidget)

GtkWidget *studio_class_chart_new         (void);
/* Copies the names and counts; n_classes = 0 clears the chart. */
void       studio_class_chart_set_counts  (StudioClassChart   *self,
                                           const char * const *class_names,
                                           const gsize        *counts,
                                           guint               n_classes);
guint      studio_class_chart_get_n_classes (StudioClassChart *self);
gsize      studio_class_chart_get_count     (StudioClassChart *self,
                                             guint             class_index);
const char *studio_class_chart_get_class_name (StudioClassChart *self,
                                               guint             class_index);

G_END_DECLS
