/* studio-prediction-list.h — predictions on a dataset split as a GListModel of rows. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

#include "studio-dataset.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_PREDICTION_ROW (studio_prediction_row_get_type ())
G_DECLARE_FINAL_TYPE (StudioPredictionRow, studio_prediction_row, STUDIO, PREDICTION_ROW, GObject)

/* Position of the row in the list (the order the predictions were given in). */
guint   studio_prediction_row_get_position    (StudioPredictionRow *self);
/* Index of the image in its dataset split. */
guint   studio_prediction_row_get_sample_index (StudioPredictionRow *self);
guint   studio_prediction_row_get_predicted   (StudioPredictionRow *self);
/* The predicted class's probability. */
float   studio_prediction_row_get_confidence  (StudioPredictionRow *self);
/* The true class, or −1 when unknown. */
gint32  studio_prediction_row_get_true_label  (StudioPredictionRow *self);
gboolean studio_prediction_row_has_label      (StudioPredictionRow *self);
gboolean studio_prediction_row_is_correct     (StudioPredictionRow *self);
/* −log p(true class), as categorical cross-entropy counts it (p clipped at 1e-7); NAN when
 * the label is unknown. */
float   studio_prediction_row_get_loss        (StudioPredictionRow *self);

#define STUDIO_TYPE_PREDICTION_LIST (studio_prediction_list_get_type ())
G_DECLARE_FINAL_TYPE (StudioPredictionList, studio_prediction_list, STUDIO, PREDICTION_LIST,
                      GObject)

/* Copies sample_indices (n; NULL = the first n samples of the split) and probabilities
 * (n, n_classes); labels come from the dataset. Rows are made when first asked for. */
StudioPredictionList *studio_prediction_list_new (StudioDataset  *dataset,
                                                  StudioSplit     split,
                                                  const guint32  *sample_indices,
                                                  gsize           n,
                                                  const float    *probabilities,
                                                  guint           n_classes);

StudioDataset *studio_prediction_list_get_dataset       (StudioPredictionList *self);
StudioSplit    studio_prediction_list_get_split         (StudioPredictionList *self);
guint          studio_prediction_list_get_n_classes     (StudioPredictionList *self);
/* (n_classes) probabilities of the row at `position`. */
const float   *studio_prediction_list_get_probabilities (StudioPredictionList *self,
                                                         guint                 position);
/* The whole (n, n_classes) block and per-row arrays, for metrics and export. */
const float   *studio_prediction_list_get_all_probabilities (StudioPredictionList *self);
const guint   *studio_prediction_list_get_predicted     (StudioPredictionList *self);
/* (n) true labels, −1 where unknown. */
const gint32  *studio_prediction_list_get_true_labels   (StudioPredictionList *self);
/* TRUE when at least one row has a known label. */
gboolean       studio_prediction_list_has_labels        (StudioPredictionList *self);
/* (n) filename of each row, NULL for rows without one (IDX data); free with g_free. */
const char   **studio_prediction_list_dup_filenames     (StudioPredictionList *self);

G_END_DECLS
