/* studio-model-page.h — the Model page: the editable layer list and the live Keras summary. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

#include "studio-layer-row.h"
#include "studio-layer-summary.h"
#include "studio-model-json.h"

G_BEGIN_DECLS

/* Edits wait this long for the next one before the stack is rebuilt (on a worker thread:
 * building the Dogs vs. Cats model takes ~0.2 s). */
#define STUDIO_MODEL_PAGE_DEBOUNCE_MS 150

#define STUDIO_TYPE_MODEL_PAGE (studio_model_page_get_type ())
G_DECLARE_FINAL_TYPE (StudioModelPage, studio_model_page, STUDIO, MODEL_PAGE, GtkWidget)

/* Properties:
 *   "valid"          boolean, read-only: the stack builds (FALSE without an architecture)
 *   "error-message"  string, read-only: the engine's message naming the layer, NULL when valid
 *   "editable"       boolean: FALSE while training (settings, buttons and open are disabled)
 *   "updating"       boolean, read-only: an edit is waiting for, or in, shape inference
 * Signal:
 *   "architecture-changed" (void): the user changed the architecture on the page (an edit,
 *   Open Model JSON) and the new stack builds; emitted once per burst of edits, after the
 *   debounce and the shape inference. set_architecture() and set_input_shape() do not emit it.
 * Actions (group "model"): add-layer (s: a Keras class name), remove-layer (u),
 *   move-layer-up (u), move-layer-down (u), copy-summary, open-json, save-json. */

GtkWidget                *studio_model_page_new              (void);

/* Shows a copy of `architecture` (NULL: the empty state). Layer names Keras gives
 * automatically ("conv2d_1") are renumbered as layers come and go; other names stay. When
 * the input shape is fixed (set_input_shape), it replaces the architecture's. */
void                      studio_model_page_set_architecture (StudioModelPage *self,
                                                              const StudioArchitecture
                                                                              *architecture);
/* The architecture as edited (auto names ""), or NULL. Owned by the page. */
const StudioArchitecture *studio_model_page_get_architecture (StudioModelPage          *self);

gboolean                  studio_model_page_get_valid        (StudioModelPage          *self);
const char               *studio_model_page_get_error_message (StudioModelPage         *self);
gboolean                  studio_model_page_get_updating     (StudioModelPage          *self);
void                      studio_model_page_set_editable     (StudioModelPage          *self,
                                                              gboolean                  editable);
gboolean                  studio_model_page_get_editable     (StudioModelPage          *self);

/* The dataset's image shape: it replaces the model's input shape, which then is read-only.
 * (0, 0, 0) makes the input shape editable again. */
void                      studio_model_page_set_input_shape  (StudioModelPage          *self,
                                                              int                       height,
                                                              int                       width,
                                                              int                       channels);

/* Live per-layer statistics during training: norms[i] for layer i (NaN hides a row's). */
void                      studio_model_page_set_layer_norms  (StudioModelPage          *self,
                                                              const double    *weight_norms,
                                                              const double    *gradient_norms,
                                                              guint                     n_layers);
void                      studio_model_page_clear_layer_norms (StudioModelPage         *self);

/* Keras model.to_json() files. Open replaces the architecture (and emits
 * "architecture-changed" once the stack builds); save writes atomically. */
gboolean                  studio_model_page_open_json        (StudioModelPage          *self,
                                                              const char               *path,
                                                              GError                  **error);
gboolean                  studio_model_page_save_json        (StudioModelPage          *self,
                                                              const char               *path,
                                                              GError                  **error);

/* The exact text of Keras's model.summary() for the last valid stack (what Copy copies),
 * or NULL. */
const char               *studio_model_page_get_keras_text   (StudioModelPage          *self);

/* For tests, acting as a user would through the same code paths. */
guint                     studio_model_page_get_n_layers     (StudioModelPage          *self);
StudioLayerRow           *studio_model_page_get_row          (StudioModelPage          *self,
                                                              guint                     index);
StudioLayerSummary       *studio_model_page_get_summary      (StudioModelPage          *self);
/* Inserts a layer of `type` with default settings at `position` (≤ n_layers). */
void                      studio_model_page_add_layer        (StudioModelPage          *self,
                                                              guint                     position,
                                                              CnnLayerType              type);
void                      studio_model_page_remove_layer     (StudioModelPage          *self,
                                                              guint                     index);
void                      studio_model_page_move_layer       (StudioModelPage          *self,
                                                              guint                     from,
                                                              guint                     to);
void                      studio_model_page_select_layer     (StudioModelPage          *self,
                                                              int                       index);
gboolean                  studio_model_page_set_layer_field  (StudioModelPage          *self,
                                                              guint                     index,
                                                              StudioLayerField          field,
                                                              double                    value);
/* The row the error concerns, or -1. */
int                       studio_model_page_get_error_layer  (StudioModelPage          *self);

G_END_DECLS
