/* studio-prediction-cell.h — one image of the predictions grid: thumbnail, guess, verdict. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

#include "studio-prediction-list.h"

G_BEGIN_DECLS

#define STUDIO_PREDICTION_THUMBNAIL_SIZE 84

#define STUDIO_TYPE_PREDICTION_CELL (studio_prediction_cell_get_type ())
G_DECLARE_FINAL_TYPE (StudioPredictionCell, studio_prediction_cell, STUDIO, PREDICTION_CELL,
                      GtkWidget)

GtkWidget  *studio_prediction_cell_new   (void);
/* Shows `row` of `results`: its thumbnail (made now, so only cells in view cost a texture),
 * "dog 97%" and, when the guess is wrong, a red frame and "✗ true: cat". row = NULL
 * empties the cell. class_names holds n_classes names. */
void        studio_prediction_cell_bind  (StudioPredictionCell *self,
                                          StudioPredictionList *results,
                                          StudioPredictionRow  *row,
                                          const char * const   *class_names);
/* The caption under the thumbnail ("dog 97%"). */
const char *studio_prediction_cell_get_caption (StudioPredictionCell *self);

/* Helpers the page shares with the cells. */
/* "97.1%" with `decimals` decimals; "—" for NAN. */
char       *studio_prediction_format_percent (double fraction,
                                              int    decimals);
/* The class's name, or "unknown" for −1 and out-of-range indices. */
const char *studio_prediction_class_name     (const char * const *class_names,
                                              guint               n_classes,
                                              gint32              class_index);
/* The image's file name without folders, or "Test image 12" for images without one. */
char       *studio_prediction_describe_sample (StudioPredictionList *results,
                                               StudioPredictionRow  *row);

G_END_DECLS
