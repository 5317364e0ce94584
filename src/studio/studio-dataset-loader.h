/* studio-dataset-loader.h — opens any dataset a user points at: IDX files, image folders, CSVs. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

#include "studio-dataset.h"
#include "studio-image-folder.h"

G_BEGIN_DECLS

/* How images are read when the path is an image folder or a CSV. */
typedef struct {
  int height;                 /* the model's input; 0 = 128 × 128 × 3, the course's size */
  int width;
  int channels;
  StudioImageLayout layout;   /* AUTO detects Kaggle names, class folders or unlabelled */
  guint n_threads;            /* decoding threads; 0 = two */
} StudioLoadOptions;

void studio_load_options_init (StudioLoadOptions *options);

/* A loaded dataset and, for image folders and CSVs, what the scan found and skipped. */
typedef struct {
  StudioDataset   *dataset;
  StudioImageScan *scan;      /* NULL for IDX datasets */
} StudioLoadResult;

void studio_load_result_free (StudioLoadResult *result);

/* Opens `path`: "fashion-mnist" (Debian's copy), a folder of IDX files or one IDX images
 * file, a folder of images (Kaggle names, class subfolders or unlabelled), or a CSV of
 * filename,category beside its images. Images are decoded on worker threads; `progress`
 * (may be NULL) counts files as they are done. */
StudioLoadResult *studio_load_dataset (const char               *path,
                                       const StudioLoadOptions  *options,
                                       StudioImageProgress      *progress,
                                       GCancellable             *cancellable,
                                       GError                  **error);

/* The same on a worker thread; `progress` must stay alive until the callback runs. */
void              studio_load_dataset_async (const char               *path,
                                             const StudioLoadOptions  *options,
                                             StudioImageProgress      *progress,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data);
StudioLoadResult *studio_load_dataset_finish (GAsyncResult  *result,
                                              GError       **error);

/* TRUE when `path` names IDX data (which needs no target size), FALSE for images. */
gboolean          studio_path_is_idx (const char *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StudioLoadResult, studio_load_result_free)

G_END_DECLS
