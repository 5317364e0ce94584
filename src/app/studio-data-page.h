/* studio-data-page.h — the Data page: a dataset's facts, class balance, samples and labels. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

#include "studio-class-chart.h"
#include "studio-dataset.h"
#include "studio-sample-grid.h"

G_BEGIN_DECLS

/* The facts the page states about a dataset, each in its own label. */
typedef enum {
  STUDIO_DATA_FACT_IMAGE_SIZE,     /* "28 × 28 × 1" */
  STUDIO_DATA_FACT_CLASSES,        /* "10" */
  STUDIO_DATA_FACT_TRAIN_SAMPLES,  /* "60,000" */
  STUDIO_DATA_FACT_TEST_SAMPLES,   /* "10,000" */
} StudioDataFact;

#define STUDIO_DATA_PAGE_N_SAMPLES 24

#define STUDIO_TYPE_DATA_PAGE (studio_data_page_get_type ())
G_DECLARE_FINAL_TYPE (StudioDataPage, studio_data_page, STUDIO, DATA_PAGE, GtkWidget)

GtkWidget     *studio_data_page_new             (void);
/* Shows a dataset (NULL: the empty state that explains what to open). */
void           studio_data_page_set_dataset     (StudioDataPage *self,
                                                 StudioDataset  *dataset);
StudioDataset *studio_data_page_get_dataset     (StudioDataPage *self);
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

/* Parts of the page, for tests and for pages that reuse them. */
const char       *studio_data_page_get_fact         (StudioDataPage *self,
                                                     StudioDataFact  fact);
StudioClassChart *studio_data_page_get_class_chart  (StudioDataPage *self);
StudioSampleGrid *studio_data_page_get_sample_grid  (StudioDataPage *self);
GtkColumnView    *studio_data_page_get_sample_table (StudioDataPage *self);

G_END_DECLS
