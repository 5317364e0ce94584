/* studio-dataset.h — a labelled image dataset held in memory (uint8 pixels, class names). */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define STUDIO_DATA_ERROR (studio_data_error_quark ())

typedef enum {
  STUDIO_DATA_ERROR_NOT_FOUND,      /* no such file or folder, or no dataset files in it */
  STUDIO_DATA_ERROR_FORMAT,         /* wrong magic number, wrong dimensions */
  STUDIO_DATA_ERROR_TRUNCATED,      /* the file ends before its header says it should */
  STUDIO_DATA_ERROR_MISMATCH,       /* images and labels disagree (counts, sizes) */
  STUDIO_DATA_ERROR_COMPRESSION,    /* a gzip stream is corrupt */
  STUDIO_DATA_ERROR_EMPTY,          /* a dataset with no samples */
} StudioDataError;

GQuark studio_data_error_quark (void);

/* Which part of a dataset. */
typedef enum {
  STUDIO_SPLIT_TRAIN,
  STUDIO_SPLIT_TEST,
  STUDIO_N_SPLITS
} StudioSplit;

/* Properties, for binding: name, height, width, channels, class-names (GStrv; all fixed at
 * construction), n-classes (guint), n-train and n-test (guint64, notified when a split is
 * set), source (string). */
#define STUDIO_TYPE_DATASET (studio_dataset_get_type ())
G_DECLARE_FINAL_TYPE (StudioDataset, studio_dataset, STUDIO, DATASET, GObject)

/* An empty dataset of (height, width, channels) images with the given class names. */
StudioDataset *studio_dataset_new (const char         *name,
                                   int                 height,
                                   int                 width,
                                   int                 channels,
                                   const char * const *class_names);

/* Takes ownership of pixels (n, h, w, c) and labels (n) for one split; filenames may be
 * NULL (IDX rows have none) or n strings (taken too). */
void           studio_dataset_set_split (StudioDataset *self,
                                         StudioSplit    split,
                                         gsize          n,
                                         guint8        *pixels,
                                         gint32        *labels,
                                         char         **filenames);

const char    *studio_dataset_get_name (StudioDataset *self);
/* The file or folder it was read from (NULL when built in memory). */
const char    *studio_dataset_get_source (StudioDataset *self);
void           studio_dataset_set_source (StudioDataset *self, const char *source);
int            studio_dataset_get_height (StudioDataset *self);
int            studio_dataset_get_width (StudioDataset *self);
int            studio_dataset_get_channels (StudioDataset *self);
guint          studio_dataset_get_n_classes (StudioDataset *self);
const char    *studio_dataset_get_class_name (StudioDataset *self, guint class_index);
const char * const *studio_dataset_get_class_names (StudioDataset *self);

gsize          studio_dataset_get_n_samples (StudioDataset *self, StudioSplit split);
/* (h, w, c) uint8 pixels of one sample. */
const guint8  *studio_dataset_get_pixels (StudioDataset *self, StudioSplit split, gsize index);
gint32         studio_dataset_get_label (StudioDataset *self, StudioSplit split, gsize index);
const gint32  *studio_dataset_get_labels (StudioDataset *self, StudioSplit split);
/* The file a sample came from, or NULL (IDX rows are known by their index). */
const char    *studio_dataset_get_filename (StudioDataset *self, StudioSplit split, gsize index);
/* counts[class] for a split; `counts` holds n_classes entries. */
void           studio_dataset_count_classes (StudioDataset *self, StudioSplit split, gsize *counts);

/* An IDX image/label pair (plain or .gz), e.g. train-images-idx3-ubyte.gz +
 * train-labels-idx1-ubyte.gz, read into `split` of a dataset. */
gboolean       studio_dataset_read_idx_pair (StudioDataset *self,
                                             StudioSplit    split,
                                             const char    *images_path,
                                             const char    *labels_path,
                                             GCancellable  *cancellable,
                                             GError       **error);

/* Opens a dataset from a path: a folder holding an IDX train (and optionally t10k/test)
 * pair, or one IDX images file whose labels file sits beside it. Class names are
 * Fashion-MNIST's when the folder is Fashion-MNIST's and the labels are 0–9, digits
 * "0"…"9" for other 10-class IDX data, "class N" otherwise. */
StudioDataset *studio_dataset_open (const char    *path,
                                    GCancellable  *cancellable,
                                    GError       **error);
void           studio_dataset_open_async (const char          *path,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
StudioDataset *studio_dataset_open_finish (GAsyncResult  *result,
                                           GError       **error);

/* The default dataset location (Debian's dataset-fashion-mnist). */
const char    *studio_dataset_default_path (void);

G_END_DECLS
