/* studio-layers-view.h — inside the network: every layer's maps, filters and shapes for one image. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

#include "cnn.h"
#include "studio-channel-grid.h"
#include "studio-dataset.h"
#include "studio-filter-grid.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_LAYERS_VIEW (studio_layers_view_get_type ())
G_DECLARE_FINAL_TYPE (StudioLayersView, studio_layers_view, STUDIO, LAYERS_VIEW, GtkWidget)

GtkWidget *studio_layers_view_new (void);

/* Takes ownership of `snapshot` (a copy of the model, see studio_model_copy(): the view reads
 * it on a worker thread while training goes on) and shows its filters; the chosen image is
 * inspected again. `rescale` turns the image's 0–255 pixels into the model's input (the
 * training's augment.rescale, 1/255 by default). NULL shows the empty state. */
void       studio_layers_view_set_model      (StudioLayersView *self,
                                              CnnModel         *snapshot,
                                              double            rescale);
/* The image to look at: sample `index` of `split` of `dataset` (referenced). */
void       studio_layers_view_set_image      (StudioLayersView *self,
                                              StudioDataset    *dataset,
                                              StudioSplit       split,
                                              gsize             index);
/* Runs the chosen image through the model again (on a worker; a newer request supersedes). */
void       studio_layers_view_refresh        (StudioLayersView *self);

/* TRUE while a worker is computing what the view will show next. */
gboolean   studio_layers_view_get_busy       (StudioLayersView *self);
/* How many inspections have been shown so far (the last one replaces the earlier ones). */
guint      studio_layers_view_get_n_shown    (StudioLayersView *self);
gsize      studio_layers_view_get_image_index (StudioLayersView *self);

/* What the view shows of layer `layer`, for tests and for the window's own links. */
guint              studio_layers_view_get_n_layers            (StudioLayersView *self);
StudioChannelGrid *studio_layers_view_get_output_grid         (StudioLayersView *self,
                                                               guint             layer);
/* The feature map before the activation (Conv2D and Dense with one), or NULL. */
StudioChannelGrid *studio_layers_view_get_preactivation_grid  (StudioLayersView *self,
                                                               guint             layer);
/* The kernels of a Conv2D layer, or NULL. */
StudioFilterGrid  *studio_layers_view_get_filter_grid         (StudioLayersView *self,
                                                               guint             layer);
/* The "why this shape" and parameter arithmetic shown under the layer's title, or NULL. */
const char        *studio_layers_view_get_shape_text          (StudioLayersView *self,
                                                               guint             layer);
const char        *studio_layers_view_get_params_text         (StudioLayersView *self,
                                                               guint             layer);

G_END_DECLS
