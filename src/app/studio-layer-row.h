/* studio-layer-row.h — one layer of the Model page: its name, settings, shape, norms, errors. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

#include "cnn.h"

G_BEGIN_DECLS

/* The settings a row edits in place; a layer type shows only those it uses. */
typedef enum {
  STUDIO_LAYER_FIELD_FILTERS,        /* Conv2D */
  STUDIO_LAYER_FIELD_UNITS,          /* Dense */
  STUDIO_LAYER_FIELD_KERNEL_HEIGHT,  /* Conv2D */
  STUDIO_LAYER_FIELD_KERNEL_WIDTH,
  STUDIO_LAYER_FIELD_POOL_HEIGHT,    /* MaxPooling2D, AveragePooling2D */
  STUDIO_LAYER_FIELD_POOL_WIDTH,
  STUDIO_LAYER_FIELD_STRIDE_HEIGHT,  /* Conv2D, pooling (0 = the pool size) */
  STUDIO_LAYER_FIELD_STRIDE_WIDTH,
  STUDIO_LAYER_FIELD_PADDING,        /* a CnnPadding */
  STUDIO_LAYER_FIELD_ACTIVATION,     /* a CnnActivation: Conv2D, Dense, Activation */
  STUDIO_LAYER_FIELD_RATE,           /* Dropout */
  STUDIO_LAYER_FIELD_MOMENTUM,       /* BatchNormalization */
  STUDIO_LAYER_FIELD_EPSILON,
  STUDIO_LAYER_FIELD_SCALE,          /* Rescaling */
  STUDIO_LAYER_FIELD_OFFSET,
  STUDIO_LAYER_N_FIELDS
} StudioLayerField;

#define STUDIO_TYPE_LAYER_ROW (studio_layer_row_get_type ())
G_DECLARE_FINAL_TYPE (StudioLayerRow, studio_layer_row, STUDIO, LAYER_ROW, GtkListBoxRow)

/* A row for layer `index` of `n_layers`, shown under its resolved `name` ("conv2d_1"). Its
 * buttons activate model.move-layer-up, model.move-layer-down and model.remove-layer with
 * the index (type "u"); an edit of a setting emits "changed". */
GtkWidget          *studio_layer_row_new           (const CnnLayerSpec *spec,
                                                    guint               index,
                                                    guint               n_layers,
                                                    const char         *name);
const CnnLayerSpec *studio_layer_row_get_spec      (StudioLayerRow     *self);
guint               studio_layer_row_get_index     (StudioLayerRow     *self);
/* Shows the output shape and parameter count (NULL: unknown, the stack does not build). */
void                studio_layer_row_set_output    (StudioLayerRow     *self,
                                                    const CnnLayerInfo *info);
/* An inline error under the settings; NULL hides it. */
void                studio_layer_row_set_error     (StudioLayerRow     *self,
                                                    const char         *message);
const char         *studio_layer_row_get_error     (StudioLayerRow     *self);
/* Live statistics during training; NaN for either hides them. */
void                studio_layer_row_set_norms     (StudioLayerRow     *self,
                                                    double              weight_norm,
                                                    double              gradient_norm);
/* The norms shown, or NULL when hidden. */
const char         *studio_layer_row_get_norms     (StudioLayerRow     *self);
void                studio_layer_row_set_editable  (StudioLayerRow     *self,
                                                    gboolean            editable);
/* Shows the editors (the selected row) or a one-line description of the settings. */
void                studio_layer_row_set_expanded  (StudioLayerRow     *self,
                                                    gboolean            expanded);
/* Sets a setting through its editor, as a user would (a CnnPadding or CnnActivation for the
 * drop-downs). FALSE when the layer's type has no such setting. */
gboolean            studio_layer_row_set_field     (StudioLayerRow     *self,
                                                    StudioLayerField    field,
                                                    double              value);
/* The editor of a setting, or NULL when the type has none. */
GtkWidget          *studio_layer_row_get_editor    (StudioLayerRow     *self,
                                                    StudioLayerField    field);

G_END_DECLS
