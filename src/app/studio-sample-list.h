/* studio-sample-list.h — one split of a dataset as a GListModel of rows for the sample table. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

#include "studio-dataset.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_SAMPLE_ROW (studio_sample_row_get_type ())
G_DECLARE_FINAL_TYPE (StudioSampleRow, studio_sample_row, STUDIO, SAMPLE_ROW, GObject)

/* Position of the sample in its split. */
guint       studio_sample_row_get_index    (StudioSampleRow *self);
/* The file the sample came from, or NULL for datasets without files (IDX). */
const char *studio_sample_row_get_filename (StudioSampleRow *self);
const char *studio_sample_row_get_category (StudioSampleRow *self);
gint32      studio_sample_row_get_label    (StudioSampleRow *self);

#define STUDIO_TYPE_SAMPLE_LIST (studio_sample_list_get_type ())
G_DECLARE_FINAL_TYPE (StudioSampleList, studio_sample_list, STUDIO, SAMPLE_LIST, GObject)

/* Rows are made when first asked for, so a 60,000-sample split costs nothing up front. */
StudioSampleList *studio_sample_list_new (StudioDataset *dataset,
                                          StudioSplit    split);

G_END_DECLS
