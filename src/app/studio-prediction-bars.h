/* studio-prediction-bars.h — one image's probability for every class, as horizontal bars. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct
{
  GdkRGBA                     foreground;  /* names, values, the other classes' bars */
  GdkRGBA                     predicted;   /* the predicted class's bar when right/unknown */
  GdkRGBA                     mistake;     /* the predicted class's bar when wrong */
  GdkRGBA                     truth;       /* the true class's bar when the guess is wrong */
  const PangoFontDescription *font;        /* NULL: the default sans font */
} StudioPredictionBarsStyle;

/* Height of one class's row. */
#define STUDIO_PREDICTION_BARS_ROW_HEIGHT 24

/* Draws a row per class into (0, 0, width, height): the class name, a bar as long as its
 * probability and the value ("97.1%"). The predicted class's bar is coloured (as a mistake
 * when true_label is known and differs), the true class's bar too. Needs no display. */
void studio_prediction_bars_draw (cairo_t                         *cr,
                                  int                              width,
                                  int                              height,
                                  const StudioPredictionBarsStyle *style,
                                  const char * const              *class_names,
                                  const float                     *probabilities,
                                  guint                            n_classes,
                                  gint32                           true_label);

#define STUDIO_TYPE_PREDICTION_BARS (studio_prediction_bars_get_type ())
G_DECLARE_FINAL_TYPE (StudioPredictionBars, studio_prediction_bars, STUDIO, PREDICTION_BARS,
                      GtkWidget)

GtkWidget   *studio_prediction_bars_new               (void);
/* Copies names and probabilities (n_classes); n_classes = 0 clears the bars. */
void         studio_prediction_bars_set_probabilities (StudioPredictionBars *self,
                                                       const char * const   *class_names,
                                                       const float          *probabilities,
                                                       guint                 n_classes,
                                                       gint32                true_label);
guint        studio_prediction_bars_get_n_classes     (StudioPredictionBars *self);
float        studio_prediction_bars_get_probability   (StudioPredictionBars *self,
                                                       guint                 class_index);

G_END_DECLS
