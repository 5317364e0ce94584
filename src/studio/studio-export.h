/* studio-export.h — the CSV files ConvStudio writes: predictions, Kaggle submissions, history. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

#include "cnn.h"
#include "studio-atomic-file.h"

G_BEGIN_DECLS

/* One row per sample: filename, predicted class, confidence, then one probability
 * column per class (headed by the class names). `filenames` may hold NULLs (IDX rows),
 * written as the row index; `true_labels` (may be NULL) adds a "true_class" column and a
 * "correct" column (1 or 0), both empty on rows whose label is unknown (−1).
 * probabilities is (n, n_classes). */
char    *studio_predictions_to_csv (const char * const *filenames,
                                    const gint32       *true_labels,
                                    const float        *probabilities,
                                    gsize               n,
                                    const char * const *class_names,
                                    guint               n_classes);

/* Kaggle's submission form, "id,label": the id is the filename without its folder and
 * extension ("123.jpg" → 123), the label the predicted class index (dog = 1). */
char    *studio_predictions_to_kaggle_csv (const char * const *filenames,
                                           const float        *probabilities,
                                           gsize               n,
                                           guint               n_classes);

/* Keras's History as CSV: epoch (1-based), loss, accuracy, val_loss, val_accuracy, lr. */
char    *studio_history_to_csv (const CnnEpochLogs *epochs,
                                gsize               n_epochs);

/* Parses a history CSV written by studio_history_to_csv() (for resuming and tests). */
GArray  *studio_history_from_csv (const char  *contents,
                                  GError     **error);

/* The index of the largest of n values (the first on ties, like numpy's argmax). */
guint    studio_argmax (const float *values,
                        guint        n);

G_END_DECLS
