/* studio-progbar.h — Keras's progress lines: "Epoch 1/3", the bar, ETA, metrics, step times. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One metric as Keras prints it: " - name: value". */
typedef struct {
  const char *name;
  double value;
} StudioMetric;

/* The line Keras's Progbar shows while an epoch runs (verbose=1):
 *   "  57/1333 [>.............................] - ETA: 17:11 - loss: 0.9785 - accuracy: 0.5380"
 * and, when step == steps, the final one:
 *   "1333/1333 [==============================] - 1016s 762ms/step - loss: 0.7071 - …"
 * `elapsed` is the seconds since the epoch began. */
char *studio_progbar_line (gint64              step,
                           gint64              steps,
                           double              elapsed,
                           const StudioMetric *metrics,
                           guint               n_metrics);

/* The per-epoch line of verbose=2 (what a log file or a pipe gets):
 *   "1333/1333 - 1016s - loss: 0.7071 - accuracy: 0.6393 - 1016s/epoch - 762ms/step" */
char *studio_progbar_epoch_line (gint64              steps,
                                 double              elapsed,
                                 const StudioMetric *metrics,
                                 guint               n_metrics);

/* A metric's value as Keras formats it: "%.4f", or "%.4e" when |value| <= 1e-3. */
void  studio_progbar_append_value (GString *line, double value);

G_END_DECLS
