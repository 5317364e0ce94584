/* studio-prediction-metrics.h — confusion counts, accuracy, precision and recall of predictions. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a set of predictions scores against the labels that are known. Rows whose label is
 * unknown (−1) count nowhere; with no known label at all, n_labelled is 0 and the rates are
 * NAN. A rate whose denominator is 0 (a class never predicted, never present) is NAN too. */
typedef struct
{
  guint   n_classes;
  gsize   n_labelled;      /* rows with a known label */
  gsize   n_correct;       /* of those, predicted right */
  double  accuracy;        /* n_correct / n_labelled */
  gsize  *confusion;       /* (n_classes, n_classes): [true class][predicted class] */
  gsize  *support;         /* (n_classes) rows whose true class it is */
  gsize  *predicted;       /* (n_classes) labelled rows predicted as it */
  double *precision;       /* (n_classes) confusion[c][c] / predicted[c] */
  double *recall;          /* (n_classes) confusion[c][c] / support[c] (per-class accuracy) */
} StudioPredictionMetrics;

/* predicted_classes and true_labels are (n); true_labels may be NULL (nothing known). */
StudioPredictionMetrics *studio_prediction_metrics_new  (const guint  *predicted_classes,
                                                         const gint32 *true_labels,
                                                         gsize         n,
                                                         guint         n_classes);
void                     studio_prediction_metrics_free (StudioPredictionMetrics *metrics);

/* The count of rows of true class `true_class` predicted as `predicted_class`. */
gsize  studio_prediction_metrics_get_count     (const StudioPredictionMetrics *metrics,
                                                guint                          true_class,
                                                guint                          predicted_class);
/* That count over the row's support: what the confusion matrix colours by. */
double studio_prediction_metrics_get_row_share (const StudioPredictionMetrics *metrics,
                                                guint                          true_class,
                                                guint                          predicted_class);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StudioPredictionMetrics, studio_prediction_metrics_free)

G_END_DECLS
