/* studio-layer-summary.h — the Keras summary table: layers, shapes, params, MACs, totals. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

#include "studio-layer-check.h"

G_BEGIN_DECLS

typedef enum {
  STUDIO_SUMMARY_TOTAL_PARAMS,
  STUDIO_SUMMARY_TRAINABLE_PARAMS,
  STUDIO_SUMMARY_NON_TRAINABLE_PARAMS,
  STUDIO_SUMMARY_TOTAL_MACS,
  STUDIO_SUMMARY_N_TOTALS
} StudioSummaryTotal;

typedef enum {
  STUDIO_SUMMARY_COLUMN_LAYER,   /* "conv2d (Conv2D)" */
  STUDIO_SUMMARY_COLUMN_SHAPE,   /* "(None, 26, 26, 32)" */
  STUDIO_SUMMARY_COLUMN_PARAMS,  /* "320" */
  STUDIO_SUMMARY_COLUMN_MACS,    /* "194,688" */
  STUDIO_SUMMARY_N_COLUMNS
} StudioSummaryColumn;

#define STUDIO_TYPE_LAYER_SUMMARY (studio_layer_summary_get_type ())
G_DECLARE_FINAL_TYPE (StudioLayerSummary, studio_layer_summary, STUDIO, LAYER_SUMMARY, GtkWidget)

GtkWidget  *studio_layer_summary_new            (void);
/* A valid check replaces the table; an invalid one greys out the last valid table. */
void        studio_layer_summary_show           (StudioLayerSummary     *self,
                                                 const StudioLayerCheck *check);
/* No table: no model yet. */
void        studio_layer_summary_clear          (StudioLayerSummary     *self);
/* FALSE while the table shown is out of date (the stack is impossible). */
gboolean    studio_layer_summary_get_current    (StudioLayerSummary     *self);
guint       studio_layer_summary_get_n_rows     (StudioLayerSummary     *self);
/* The texts shown, for tests: "102,730"; a cell of the table. */
const char *studio_layer_summary_get_total_text (StudioLayerSummary     *self,
                                                 StudioSummaryTotal      total);
const char *studio_layer_summary_get_cell_text  (StudioLayerSummary     *self,
                                                 guint                   row,
                                                 StudioSummaryColumn     column);

/* "(None, 26, 26, 32)" or "(None, 64)"; free with g_free(). */
char       *studio_layer_summary_format_shape   (const CnnLayerInfo     *info);

G_END_DECLS
