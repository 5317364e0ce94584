/* studio-sample-grid.h — a grid of sample images with their class names, crisply enlarged. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

#include "studio-dataset.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_SAMPLE_GRID (studio_sample_grid_get_type ())
G_DECLARE_FINAL_TYPE (StudioSampleGrid, studio_sample_grid, STUDIO, SAMPLE_GRID, GtkWidget)

GtkWidget  *studio_sample_grid_new            (void);
/* Shows up to n_samples distinct samples of `split`, drawn at random from `seed`: the same
 * seed shows the same samples. A NULL dataset clears the grid. */
void        studio_sample_grid_show_samples   (StudioSampleGrid *self,
                                               StudioDataset    *dataset,
                                               StudioSplit       split,
                                               guint32           seed,
                                               guint             n_samples);
guint       studio_sample_grid_get_n_samples  (StudioSampleGrid *self);
/* Index in the split of the sample shown at `position`. */
gsize       studio_sample_grid_get_sample_index (StudioSampleGrid *self,
                                                 guint             position);
/* The caption under the sample at `position` (its class name). */
const char *studio_sample_grid_get_caption    (StudioSampleGrid *self,
                                               guint             position);

/* The pixels of one sample as a texture, enlarged by whole-pixel replication to at most
 * `target_size` pixels a side, so small images (28 × 28) stay sharp instead of blurred. */
GdkTexture *studio_sample_texture_new (StudioDataset *dataset,
                                       StudioSplit    split,
                                       gsize          index,
                                       int            target_size);

G_END_DECLS
