/* studio-batches.h — batches for the engine from a dataset: shuffled, augmented, prefetched. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <glib.h>

#include "cnn.h"
#include "studio-augment.h"
#include "studio-dataset.h"

G_BEGIN_DECLS

typedef struct _StudioBatches StudioBatches;

/* Batches over `indices` (n_indices samples of `split`; NULL = every sample in order),
 * converted to float32 NHWC through `settings` (augmentation and rescale; NULL = plain
 * values). With `shuffle`, each epoch's order and each sample's transform are functions of
 * (seed, epoch) alone, so a resumed run sees the same batches. The next batch is prepared
 * on a background thread while the engine computes the current one. The dataset is
 * referenced; `indices` is copied. */
StudioBatches  *studio_batches_new (StudioDataset               *dataset,
                                    StudioSplit                  split,
                                    const guint32               *indices,
                                    gsize                        n_indices,
                                    gboolean                     shuffle,
                                    const StudioAugmentSettings *settings,
                                    guint64                      seed);
void            studio_batches_free (StudioBatches *batches);

/* The engine's view: pass it to cnn_model_fit / evaluate / predict_source. */
CnnBatchSource *studio_batches_get_source (StudioBatches *batches);
gsize           studio_batches_get_n_samples (StudioBatches *batches);
/* The dataset index of the sample at `position` of the current epoch's order. */
gsize           studio_batches_get_sample_index (StudioBatches *batches, gsize position);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StudioBatches, studio_batches_free)

G_END_DECLS
