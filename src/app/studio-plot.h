/* studio-plot.h — live training curves drawn with Cairo: loss, accuracy, learning rate. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

#include "studio-session.h"

G_BEGIN_DECLS

/* What the curves show; arrays are borrowed for the duration of a draw. */
typedef struct {
  const StudioBatchPoint *batch_points;  /* (n_batch_points) per-batch values */
  guint n_batch_points;
  const CnnEpochLogs *epochs;            /* (n_epochs) Keras's History */
  guint n_epochs;
  int total_epochs;                      /* the x axis reaches at least this far */
  int best_epoch;                        /* 0-based, −1 = none */
  int stopped_epoch;                     /* where EarlyStopping stopped, −1 = none */
  int hover_epoch;                       /* 0-based epoch to read out, −1 = none */
} StudioPlotData;

typedef struct {
  GdkRGBA foreground;       /* axes and text: the widget's colour, readable in any theme */
  GdkRGBA background;       /* painted only when `fill_background` */
  gboolean fill_background;
  GdkRGBA train;            /* loss, accuracy */
  GdkRGBA validation;       /* val_loss, val_accuracy */
  GdkRGBA learning_rate;    /* lr and the ReduceLROnPlateau markers */
  GdkRGBA best;
  GdkRGBA stopped;
  double smoothing;         /* exponential smoothing of per-batch values, 0–0.99 */
} StudioPlotStyle;

/* Colours for text in `foreground`: lighter series on a dark theme. */
void     studio_plot_style_init (StudioPlotStyle       *style,
                                 const GdkRGBA         *foreground);

/* Draws the three panels (loss, accuracy, learning rate on a log scale) into a
 * width × height area at the origin of `cr`. No widget needed: tests and exports use it. */
void     studio_plot_draw       (cairo_t               *cr,
                                 double                 width,
                                 double                 height,
                                 const StudioPlotData  *data,
                                 const StudioPlotStyle *style);

/* The 0-based epoch under x (nearest finished epoch), or −1. */
int      studio_plot_epoch_at   (double                 width,
                                 const StudioPlotData  *data,
                                 double                 x);

#define STUDIO_TYPE_PLOT (studio_plot_get_type ())
G_DECLARE_FINAL_TYPE (StudioPlot, studio_plot, STUDIO, PLOT, GtkWidget)

GtkWidget *studio_plot_new               (void);
/* Shows the values of `batch_points` (StudioBatchPoint) and `epochs` (CnnEpochLogs); the
 * plot keeps references and redraws when studio_plot_update() says they grew. */
void       studio_plot_set_series        (StudioPlot  *self,
                                          GArray      *batch_points,
                                          GArray      *epochs);
void       studio_plot_set_markers       (StudioPlot  *self,
                                          int          total_epochs,
                                          int          best_epoch,
                                          int          stopped_epoch);
void       studio_plot_update            (StudioPlot  *self);
guint      studio_plot_get_n_batch_points (StudioPlot *self);
guint      studio_plot_get_n_epochs      (StudioPlot  *self);
/* PNG or SVG by the file's extension, width × height on a plain background; written to a
 * temporary file and renamed, so a failure leaves any old file as it was. */
gboolean   studio_plot_export            (StudioPlot  *self,
                                          const char  *path,
                                          int          width,
                                          int          height,
                                          GError     **error);

G_END_DECLS
