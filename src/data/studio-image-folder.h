/* studio-image-folder.h — image-folder datasets: scan a folder or a CSV, decode the images. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

#include "studio-dataset.h"

G_BEGIN_DECLS

#define STUDIO_IMAGE_ERROR (studio_image_error_quark ())

typedef enum {
  STUDIO_IMAGE_ERROR_NO_IMAGES,     /* nothing that could be an image, or none could be read */
  STUDIO_IMAGE_ERROR_CSV,           /* the CSV lacks a needed column or is malformed */
  STUDIO_IMAGE_ERROR_OUT_OF_MEMORY, /* the decoded-image cache cannot be allocated */
  STUDIO_IMAGE_ERROR_INVALID_SIZE,  /* a target size or channel count the reader cannot make */
} StudioImageError;

GQuark studio_image_error_quark (void);

/* How a folder says which class an image belongs to. */
typedef enum {
  STUDIO_IMAGE_LAYOUT_AUTO,          /* detect one of the three folder layouts below */
  STUDIO_IMAGE_LAYOUT_KAGGLE_NAMES,  /* cat.0.jpg: the class is the name before its first dot */
  STUDIO_IMAGE_LAYOUT_CLASS_FOLDERS, /* cat/…, dog/…: each subfolder is a class */
  STUDIO_IMAGE_LAYOUT_UNLABELLED,    /* 1.jpg, 2.jpg, …: images to predict, label -1 */
  STUDIO_IMAGE_LAYOUT_CSV,           /* filename,category rows beside an image folder */
} StudioImageLayout;

/* Why a file is not part of the dataset. */
typedef enum {
  STUDIO_IMAGE_SKIP_NOT_AN_IMAGE,   /* not an image extension, or GdkPixbuf knows no such format */
  STUDIO_IMAGE_SKIP_ZERO_BYTES,
  STUDIO_IMAGE_SKIP_TRUNCATED,      /* the decoder failed part-way, or the end marker is missing */
  STUDIO_IMAGE_SKIP_UNREADABLE,     /* permissions, I/O error, not a regular file, vanished */
  STUDIO_IMAGE_SKIP_TOO_LARGE,      /* declared above 20,000 px a side or 100 megapixels */
  STUDIO_IMAGE_SKIP_SYMLINK_LOOP,
  STUDIO_IMAGE_SKIP_NO_CLASS,       /* a Kaggle name with nothing before its dot, a CSV row
                                     * without a category */
  STUDIO_IMAGE_SKIP_MISSING,        /* a CSV row names a file that is not in the folder */
} StudioImageSkipReason;

/* The reason as the user reads it ("zero bytes", "not an image", …), translated. */
const char *studio_image_skip_reason_to_string (StudioImageSkipReason reason);

/* Images larger than these are refused before decoding (decompression bombs). */
#define STUDIO_IMAGE_MAX_SIDE   20000
#define STUDIO_IMAGE_MAX_PIXELS G_GUINT64_CONSTANT (100000000)

typedef struct {
  char   *path;   /* where the file is on disk */
  char   *name;   /* relative to the root folder ("cat.0.jpg", "cat/1.jpg"): kept as the
                   * sample's filename */
  gint32  label;  /* class index, or -1 when unlabelled */
} StudioImageEntry;

typedef struct {
  char                  *name;   /* relative to the root folder, or the CSV's filename */
  StudioImageSkipReason  reason;
  char                  *detail; /* the system's or the decoder's own words, or NULL */
} StudioImageSkip;

/* What a scan found. Read-only for callers; studio_image_scan_decode() moves the entries
 * that fail to decode into `skipped`. */
typedef struct {
  char              *root;        /* the image folder */
  StudioImageLayout  layout;      /* never AUTO after a scan */
  char             **class_names; /* NULL-terminated, in code-point order (Python's sorted());
                                   * empty when unlabelled */
  guint              n_classes;
  GArray            *entries;     /* StudioImageEntry: the images, in sample order */
  GArray            *skipped;     /* StudioImageSkip, in the order they were met */
} StudioImageScan;

/* Lists the images of a folder without decoding them. Image candidates are the files whose
 * extension is one of jpg, jpeg, png, bmp, ppm, gif, webp, tif, tiff (any case); other files
 * are skipped as "not an image". Kaggle and unlabelled folders are sorted by file name
 * (strcmp), class folders by class then file name, like Keras. Fails with
 * STUDIO_IMAGE_ERROR_NO_IMAGES when there is no candidate at all. */
StudioImageScan *studio_image_scan_folder (const char         *folder,
                                           StudioImageLayout   layout,
                                           GCancellable       *cancellable,
                                           GError            **error);

/* Reads a CSV of filename,category rows (a header row names the columns; NULL means
 * "filename" and "category", falling back to Keras's "class") whose filenames are relative
 * to image_folder (NULL: the CSV's own folder). Rows keep the CSV's order, as
 * flow_from_dataframe does. */
StudioImageScan *studio_image_scan_csv (const char    *csv_path,
                                        const char    *image_folder,
                                        const char    *filename_column,
                                        const char    *category_column,
                                        GCancellable  *cancellable,
                                        GError       **error);

void             studio_image_scan_free (StudioImageScan *scan);

/* Bytes of the decoded-image cache, n·height·width·channels: known before decoding. */
guint64          studio_image_scan_get_cache_size (const StudioImageScan *scan,
                                                   int                    height,
                                                   int                    width,
                                                   int                    channels);

/* Files finished (decoded or skipped) out of total; workers update `done` atomically, the
 * caller polls it with g_atomic_int_get() from any thread. */
typedef struct {
  gint done;
  gint total;
} StudioImageProgress;

/* Decodes every entry on n_threads worker threads (0: two) into one (n, height, width,
 * channels) cache: converted to RGB (channels 3, alpha dropped) or to PIL's "L" luma
 * (channels 1), resized with Pillow's nearest neighbour. EXIF orientation is NOT applied,
 * like Keras's load_img. Images that fail move to scan->skipped with their reason. The
 * dataset holds the train split (labelled) or the test split (unlabelled, labels -1), with
 * each sample's filename. Blocks until done; cancelling returns G_IO_ERROR_CANCELLED and
 * leaves the scan as it was. progress may be NULL. */
StudioDataset   *studio_image_scan_decode (StudioImageScan      *scan,
                                           int                   height,
                                           int                   width,
                                           int                   channels,
                                           guint                 n_threads,
                                           StudioImageProgress  *progress,
                                           GCancellable         *cancellable,
                                           GError              **error);

/* The same on a GLib worker thread; the scan and progress must stay alive and untouched
 * until the callback runs (on the thread-default main context of the caller). */
void             studio_image_scan_decode_async (StudioImageScan      *scan,
                                                 int                   height,
                                                 int                   width,
                                                 int                   channels,
                                                 guint                 n_threads,
                                                 StudioImageProgress  *progress,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
StudioDataset   *studio_image_scan_decode_finish (GAsyncResult  *result,
                                                  GError       **error);

/* Keras's line: "Found N validated image filenames belonging to K classes." (or "Found N
 * validated image filenames." when unlabelled). */
char            *studio_image_scan_format_found (const StudioImageScan *scan);
/* "Skipped M files: a.jpg (zero bytes), …" listing at most `max_listed` files, or NULL when
 * nothing was skipped. */
char            *studio_image_scan_format_skipped (const StudioImageScan *scan,
                                                   guint                  max_listed);

/* Pillow's nearest-neighbour resize of 8-bit pixels (in_height, in_width) with in_channels
 * per pixel and rows of in_stride bytes, into (out_height, out_width, out_channels) with
 * out_channels 3 (RGB: the first three channels) or 1 (PIL's "L" luma). */
void             studio_image_resize_nearest (const guint8 *pixels,
                                              int           in_height,
                                              int           in_width,
                                              int           in_channels,
                                              int           in_stride,
                                              guint8       *out,
                                              int           out_height,
                                              int           out_width,
                                              int           out_channels);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StudioImageScan, studio_image_scan_free)

G_END_DECLS
