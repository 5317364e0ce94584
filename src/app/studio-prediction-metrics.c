/* studio-prediction-metrics.c — confusion counts, accuracy, precision and recall of predictions. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>

#include "studio-prediction-metrics.h"

static double
ratio_or_nan (gsize numerator,
              gsize denominator)
{
  return denominator > 0 ? (double) numerator / denominator : NAN;
}

StudioPredictionMetrics *
studio_prediction_metrics_new (const guint  *predicted_classes,
                               const gint32 *true_labels,
                               gsize         n,
                               guint         n_classes)
{
  StudioPredictionMetrics *metrics;

  g_return_val_if_fail (predicted_classes != NULL || n == 0, NULL);
  g_return_val_if_fail (n_classes > 0, NULL);

  metrics = g_new0 (StudioPredictionMetrics, 1);
  metrics->n_classes = n_classes;
  metrics->confusion = g_new0 (gsize, (gsize) n_classes * n_classes);
  metrics->support = g_new0 (gsize, n_classes);
  metrics->predicted = g_new0 (gsize, n_classes);
  metrics->precision = g_new (double, n_classes);
  metrics->recall = g_new (double, n_classes);

  for (gsize i = 0; true_labels != NULL && i < n; i++)
    {
      gint32 truth = true_labels[i];
      guint predicted = predicted_classes[i];

      if (truth < 0 || (guint) truth >= n_classes || predicted >= n_classes)
        continue;
      metrics->confusion[(gsize) truth * n_classes + predicted]++;
      metrics->support[truth]++;
      metrics->predicted[predicted]++;
      metrics->n_labelled++;
      if ((guint) truth == predicted)
        metrics->n_correct++;
    }

  metrics->accuracy = ratio_or_nan (metrics->n_correct, metrics->n_labelled);
  for (guint c = 0; c < n_classes; c++)
    {
      gsize hits = metrics->confusion[(gsize) c * n_classes + c];

      metrics->precision[c] = ratio_or_nan (hits, metrics->predicted[c]);
      metrics->recall[c] = ratio_or_nan (hits, metrics->support[c]);
    }

  return metrics;
}

void
studio_prediction_metrics_free (StudioPredictionMetrics *metrics)
{
  if (metrics == NULL)
    return;

  g_free (metrics->confusion);
  g_free (metrics->support);
  g_free (metrics->predicted);
  g_free (metrics->precision);
  g_free (metrics->recall);
  g_free (metrics);
}

gsize
studio_prediction_metrics_get_count (const StudioPredictionMetrics *metrics,
                                     guint                          true_class,
                                     guint                          predicted_class)
{
  g_return_val_if_fail (metrics != NULL, 0);
  g_return_val_if_fail (true_class < metrics->n_classes, 0);
  g_return_val_if_fail (predicted_class < metrics->n_classes, 0);

  return metrics->confusion[(gsize) true_class * metrics->n_classes + predicted_class];
}

double
studio_prediction_metrics_get_row_share (const StudioPredictionMetrics *metrics,
                                         guint                          true_class,
                                         guint                          predicted_class)
{
  g_return_val_if_fail (metrics != NULL, 0.0);
  g_return_val_if_fail (true_class < metrics->n_classes, 0.0);

  if (metrics->support[true_class] == 0)
    return 0.0;
  return (double) studio_prediction_metrics_get_count (metrics, true_class, predicted_class)
         / metrics->support[true_class];
}
