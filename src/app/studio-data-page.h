/* studio-data-page.h — the Data page: a dataset's facts, class balance, samples and labels. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

#include "studio-augment-preview.h"
#include "studio-class-chart.h"
#include "studio-dataset-loader.h"
#include "studio-sample-grid.h"
#include "studio-skipped-list.h"
#include "studio-training.h"

G_BEGIN_DECLS

/* The facts the page states about a dataset, each in its own label. */
typedef enum {
  STUDIO_DATA_FACT_IMAGE_SIZE,     /* "28 × 28 × 1" */
  STUDIO_DATA_FACT_CLASSES,        /* "10" */
  STUDIO_DATA_FACT_TRAIN_SAMPLES,  /* "60,000" */
  STUDIO_DATA_FACT_TEST_SAMPLES,   /* "10,000" */
  STUDIO_DATA_FACT_CACHE_SIZE,     /* "1.2 MB": decoded images in memory (image folders) */
} StudioDataFact;

/* The two parts training splits the training images into. */
typedef enum {
  STUDIO_DATA_PART_TRAINING,
  STUDIO_DATA_PART_VALIDATION,
} StudioDataPart;

#define STUDIO_DATA_PAGE_N_SAMPLES 24

#define STUDIO_TYPE_DATA_PAGE (studio_data_page_get_type ())
G_DECLARE_FINAL_TYPE (StudioDataPage, studio_data_page, STUDIO, DATA_PAGE, GtkWidget)

/* Properties: dataset, split, sample-seed; target-height, target-width, target-channels
 * (the size image folders are decoded to, for GSettings binding); validation-split and
 * validation-seed (how training will split the training images).
 * Signal "augment-settings-changed" (no arguments): a setting of the augmentation preview
 * or its "augment training images" switch changed; read them with
 * studio_data_page_get_augment_settings().
 * Signal "sample-activated" (int split, guint64 index): the user picked a sample in the
 * table or the sample grid (the Layers page looks at it). */

GtkWidget     *studio_data_page_new             (void);
/* Shows a dataset (NULL: the empty state that explains what to open). */
void           studio_data_page_set_dataset     (StudioDataPage *self,
                                                 StudioDataset  *dataset);
StudioDataset *studio_data_page_get_dataset     (StudioDataPage *self);
/* Shows what studio_load_dataset() returned: `scan` (borrowed; NULL for IDX) adds the
 * "Found N validated image filenames …" line, the skipped files and the cache size. */
void           studio_data_page_set_load_result (StudioDataPage  *self,
                                                 StudioDataset   *dataset,
                                                 StudioImageScan *scan);
/* Which split the chart, samples and table show. */
void           studio_data_page_set_split       (StudioDataPage *self,
                                                 StudioSplit     split);
StudioSplit    studio_data_page_get_split       (StudioDataPage *self);
guint32        studio_data_page_get_sample_seed (StudioDataPage *self);
void           studio_data_page_set_sample_seed (StudioDataPage *self,
                                                 guint32         sample_seed);
/* Picks a new random seed, so other samples show. */
void           studio_data_page_shuffle_samples (StudioDataPage *self);

/* A spinner with a Cancel button (action win.cancel-loading) while `path` loads. */
void           studio_data_page_show_loading    (StudioDataPage *self,
                                                 const char     *path);
/* A progress bar on the loading state: `done` of `total` files decoded (total 0: only the
 * spinner, while the folder is still being listed). */
void           studio_data_page_show_progress   (StudioDataPage *self,
                                                 guint           done,
                                                 guint           total);
/* Back to the dataset, or the empty state when there is none. */
void           studio_data_page_stop_loading    (StudioDataPage *self);
/* A banner above the page until dismissed; the rest of the page keeps working. */
void           studio_data_page_show_error      (StudioDataPage *self,
                                                 const char     *message);
void           studio_data_page_dismiss_error   (StudioDataPage *self);
/* The message in the banner, or NULL when none shows. */
const char    *studio_data_page_get_error       (StudioDataPage *self);
/* "empty", "loading" or "dataset". */
const char    *studio_data_page_get_state       (StudioDataPage *self);

/* The size image folders are decoded to (128 × 128 × 3 unless changed); the window passes
 * it to studio_load_dataset_async(). */
int            studio_data_page_get_target_height   (StudioDataPage *self);
int            studio_data_page_get_target_width    (StudioDataPage *self);
int            studio_data_page_get_target_channels (StudioDataPage *self);
void           studio_data_page_set_target_size     (StudioDataPage *self,
                                                     int             height,
                                                     int             width,
                                                     int             channels);
/* Fills height, width and channels of `options` from the target size. */
void           studio_data_page_get_load_options    (StudioDataPage    *self,
                                                     StudioLoadOptions *options);

/* How training will split the training images into a training and a validation part,
 * shown as the class balance of each part (0: no validation part). */
void           studio_data_page_set_validation      (StudioDataPage *self,
                                                     double          validation_split,
                                                     guint32         seed,
                                                     gboolean        stratify);
/* The same from a run's configuration: its validation split, seed and stratify. */
void           studio_data_page_set_training_config (StudioDataPage             *self,
                                                     const StudioTrainingConfig *config);

/* The augmentation the preview shows and training should use (identity with the rescale
 * when the "augment training images" switch is off). */
void           studio_data_page_get_augment_settings (StudioDataPage        *self,
                                                      StudioAugmentSettings *settings);
void           studio_data_page_set_augment_settings (StudioDataPage              *self,
                                                      const StudioAugmentSettings *settings);
/* Which view of the dataset shows: "overview" or "augmentation". */
void           studio_data_page_set_view            (StudioDataPage *self,
                                                     const char     *view);
const char    *studio_data_page_get_view            (StudioDataPage *self);

/* Parts of the page, for tests and for pages that reuse them. */
const char       *studio_data_page_get_fact         (StudioDataPage *self,
                                                     StudioDataFact  fact);
StudioClassChart *studio_data_page_get_class_chart  (StudioDataPage *self);
StudioSampleGrid *studio_data_page_get_sample_grid  (StudioDataPage *self);
GtkColumnView    *studio_data_page_get_sample_table (StudioDataPage *self);
/* Keras's "Found N validated image filenames belonging to K classes." (image folders), or
 * NULL for IDX datasets. */
const char       *studio_data_page_get_found_text   (StudioDataPage *self);
StudioSkippedList *studio_data_page_get_skipped_list (StudioDataPage *self);
/* The class balance of one part of the training split, as training will split it. */
StudioClassChart *studio_data_page_get_part_chart   (StudioDataPage *self,
                                                     StudioDataPart  part);
StudioAugmentPreview *studio_data_page_get_augment_preview (StudioDataPage *self);
GtkProgressBar   *studio_data_page_get_progress_bar (StudioDataPage *self);

G_END_DECLS
