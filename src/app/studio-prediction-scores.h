/* studio-prediction-scores.h — how predictions score: accuracy, confusion matrix, metrics. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

#include "studio-confusion-matrix.h"
#include "studio-prediction-metrics.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_PREDICTION_SCORES (studio_prediction_scores_get_type ())
G_DECLARE_FINAL_TYPE (StudioPredictionScores, studio_prediction_scores, STUDIO,
                      PREDICTION_SCORES, GtkWidget)

GtkWidget             *studio_prediction_scores_new (void);
/* Shows the accuracy, the confusion matrix and the per-class table of `metrics` (borrowed
 * only during the call); NULL says the images have no labels to score against. */
void                   studio_prediction_scores_set_metrics
                         (StudioPredictionScores        *self,
                          const StudioPredictionMetrics *metrics,
                          const char * const            *class_names);
StudioConfusionMatrix *studio_prediction_scores_get_confusion_matrix
                         (StudioPredictionScores        *self);

G_END_DECLS
