/* studio-augment-preview.h — one image drawn 15 times through the augmentation settings. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

#include "studio-augment-controls.h"
#include "studio-dataset.h"

G_BEGIN_DECLS

#define STUDIO_AUGMENT_PREVIEW_COLUMNS 5
#define STUDIO_AUGMENT_PREVIEW_ROWS    3
#define STUDIO_AUGMENT_PREVIEW_N_TILES \
  (STUDIO_AUGMENT_PREVIEW_COLUMNS * STUDIO_AUGMENT_PREVIEW_ROWS)

/* The notebook's 5×3 grid of augmented copies of one image, the original beside it, and the
 * controls of every ImageDataGenerator setting. The copies are computed on a worker thread
 * whenever the image, a setting or the seed changes; a newer request cancels an older one.
 *
 * Properties: "seed" (guint), "augment-enabled" (gboolean), "sample-index" (guint64).
 * Signals: "settings-changed" (no arguments) when a setting or "augment-enabled" changes;
 * "rendered" (no arguments) after a new grid is on screen. */
#define STUDIO_TYPE_AUGMENT_PREVIEW (studio_augment_preview_get_type ())
G_DECLARE_FINAL_TYPE (StudioAugmentPreview, studio_augment_preview,
                      STUDIO, AUGMENT_PREVIEW, GtkWidget)

GtkWidget *studio_augment_preview_new             (void);

/* Shows sample `index` of `split` (its pixels are copied); a NULL dataset clears. */
void       studio_augment_preview_set_image       (StudioAugmentPreview *self,
                                                   StudioDataset        *dataset,
                                                   StudioSplit           split,
                                                   gsize                 index);
gsize      studio_augment_preview_get_sample_index (StudioAugmentPreview *self);
/* Picks another sample of the same dataset and split at random. */
void       studio_augment_preview_show_random_image (StudioAugmentPreview *self);

/* The settings training should use: the controls' values, or only their rescale when
 * augmentation is switched off. */
void       studio_augment_preview_get_settings    (StudioAugmentPreview        *self,
                                                   StudioAugmentSettings       *settings);
/* Sets the controls (and switches augmentation on unless the settings are the identity). */
void       studio_augment_preview_set_settings    (StudioAugmentPreview        *self,
                                                   const StudioAugmentSettings *settings);
StudioAugmentControls *studio_augment_preview_get_controls (StudioAugmentPreview *self);

gboolean   studio_augment_preview_get_augment_enabled (StudioAugmentPreview *self);
void       studio_augment_preview_set_augment_enabled (StudioAugmentPreview *self,
                                                       gboolean              enabled);

guint32    studio_augment_preview_get_seed        (StudioAugmentPreview *self);
void       studio_augment_preview_set_seed        (StudioAugmentPreview *self,
                                                   guint32               seed);
/* A new random seed, so new parameters are drawn. */
void       studio_augment_preview_reroll          (StudioAugmentPreview *self);

/* How many grids have reached the screen since the widget was made. */
guint      studio_augment_preview_get_n_rendered  (StudioAugmentPreview *self);
/* TRUE while a computation runs on the worker. */
gboolean   studio_augment_preview_get_busy        (StudioAugmentPreview *self);
/* The parameters drawn for tile `position` (0 … 14, row by row) as its tooltip says them,
 * or NULL before the first grid is shown. */
const char *studio_augment_preview_get_tile_description (StudioAugmentPreview *self,
                                                         guint                 position);
GdkPaintable *studio_augment_preview_get_tile_paintable (StudioAugmentPreview *self,
                                                         guint                 position);

/* The parameters of one draw in the words of the tooltip: angle, shift, shear, zoom, flips,
 * brightness. */
char      *studio_augment_describe_transform      (const StudioTransform *transform);

G_END_DECLS
