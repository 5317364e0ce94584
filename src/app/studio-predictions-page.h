/* studio-predictions-page.h — the Predictions page: a filterable grid of predicted images,
 * one image's probabilities, a confusion matrix, metrics and CSV export. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

#include "studio-confusion-matrix.h"
#include "studio-dataset.h"
#include "studio-prediction-metrics.h"

G_BEGIN_DECLS

typedef enum {
  STUDIO_PREDICTION_SHOW_ALL,
  STUDIO_PREDICTION_SHOW_CORRECT,
  STUDIO_PREDICTION_SHOW_WRONG,
} StudioPredictionVerdict;

typedef enum {
  STUDIO_PREDICTION_SORT_DATASET_ORDER,
  STUDIO_PREDICTION_SORT_CONFIDENCE_HIGH_FIRST,
  STUDIO_PREDICTION_SORT_CONFIDENCE_LOW_FIRST,
  STUDIO_PREDICTION_SORT_LOSS_HIGH_FIRST,    /* the most confident mistakes first */
} StudioPredictionSort;

/* Signal "sample-activated" (int split, guint64 index): an image was selected in the grid;
 * index is its row in the dataset's split. */
#define STUDIO_TYPE_PREDICTIONS_PAGE (studio_predictions_page_get_type ())
G_DECLARE_FINAL_TYPE (StudioPredictionsPage, studio_predictions_page, STUDIO, PREDICTIONS_PAGE,
                      GtkWidget)

GtkWidget *studio_predictions_page_new             (void);

/* Shows predictions for rows of `split`: indices (n) says which (NULL: the first n),
 * probabilities is (n, n_classes) and is copied; class_names are the model's. Labels come
 * from the dataset; rows labelled −1 have no verdict, and with no label at all the page
 * hides the confusion matrix and metrics. */
void       studio_predictions_page_set_results     (StudioPredictionsPage *self,
                                                    StudioDataset         *dataset,
                                                    StudioSplit            split,
                                                    const guint32         *indices,
                                                    gsize                  n,
                                                    const float           *probabilities,
                                                    const char * const    *class_names,
                                                    guint                  n_classes);
void       studio_predictions_page_clear_results   (StudioPredictionsPage *self);
gsize      studio_predictions_page_get_n_results   (StudioPredictionsPage *self);
gboolean   studio_predictions_page_has_labels      (StudioPredictionsPage *self);
/* "empty" or "results". */
const char *studio_predictions_page_get_state      (StudioPredictionsPage *self);

/* While the window predicts: a progress bar with `text` and Cancel (win.cancel-predict);
 * the Predict button is insensitive meanwhile. A fraction < 0 pulses. */
void       studio_predictions_page_set_busy        (StudioPredictionsPage *self,
                                                    gboolean               busy);
gboolean   studio_predictions_page_get_busy        (StudioPredictionsPage *self);
void       studio_predictions_page_set_progress    (StudioPredictionsPage *self,
                                                    double                 fraction,
                                                    const char            *text);

/* Filters and order of the grid; −1 is "any class". */
void       studio_predictions_page_set_predicted_filter (StudioPredictionsPage  *self,
                                                         int                     class_index);
int        studio_predictions_page_get_predicted_filter (StudioPredictionsPage  *self);
void       studio_predictions_page_set_true_filter (StudioPredictionsPage   *self,
                                                    int                      class_index);
int        studio_predictions_page_get_true_filter (StudioPredictionsPage   *self);
void       studio_predictions_page_set_verdict     (StudioPredictionsPage   *self,
                                                    StudioPredictionVerdict  verdict);
StudioPredictionVerdict studio_predictions_page_get_verdict (StudioPredictionsPage *self);
void       studio_predictions_page_set_sort        (StudioPredictionsPage   *self,
                                                    StudioPredictionSort     sort);
StudioPredictionSort studio_predictions_page_get_sort (StudioPredictionsPage *self);

/* The grid: how many images it shows, and which result row (position in set_results)
 * is at `position`. */
guint      studio_predictions_page_get_n_shown     (StudioPredictionsPage *self);
guint      studio_predictions_page_get_shown_row   (StudioPredictionsPage *self,
                                                    guint                  position);
/* Selects (and scrolls to) the image at grid position `position`; the detail shows it. */
void       studio_predictions_page_select          (StudioPredictionsPage *self,
                                                    guint                  position);
/* Result row of the selected image, or −1. */
int        studio_predictions_page_get_selected_row (StudioPredictionsPage *self);
/* "image" or "matrix": what the side panel shows. */
const char *studio_predictions_page_get_side_view  (StudioPredictionsPage *self);

/* NULL without labelled results. */
const StudioPredictionMetrics *studio_predictions_page_get_metrics (StudioPredictionsPage *self);
StudioConfusionMatrix *studio_predictions_page_get_confusion_matrix (StudioPredictionsPage *self);

/* Writes the shown results (all rows, in their original order) as CSV, atomically: the
 * detailed form (filename, predicted class, confidence, true class and correct flag when
 * labels are known, a probability per class) or Kaggle's id,label form. */
gboolean   studio_predictions_page_export_csv      (StudioPredictionsPage *self,
                                                    const char            *path,
                                                    gboolean               kaggle,
                                                    GError               **error);

G_END_DECLS
