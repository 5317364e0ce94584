/* studio-idx-private.h — reading IDX image/label file pairs (plain or gzip) into memory. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Limits on what an IDX header may declare, so a corrupt header cannot make us allocate
 * gigabytes: images of at most 4096×4096 pixels, at most ten million of them. */
#define STUDIO_IDX_MAX_PIXELS_PER_IMAGE (4096u * 4096u)
#define STUDIO_IDX_MAX_IMAGES 10000000u
/* A gzip file is decompressed to its end to check its CRC, but no further than this past
 * the declared data, so that a gzip bomb costs a moment, not minutes. */
#define STUDIO_IDX_MAX_TRAILING_BYTES (16u << 20)

/* One split read from an images file and its labels file. */
typedef struct {
  guint32 n_images;
  guint32 rows;
  guint32 cols;
  guint8 *pixels;      /* (n_images, rows, cols) */
  gint32 *labels;      /* (n_images) */
  guint32 n_classes;   /* max label + 1; byte labels keep it ≤ 256, under the 1,000 cap */
} StudioIdxPair;

void     studio_idx_pair_clear (StudioIdxPair *pair);

/* Reads both files, checking each header before any pixel data, so that a wrong magic
 * number or a count mismatch is reported without decoding megabytes first. On failure
 * `pair` is left cleared. */
gboolean studio_idx_read_pair (const char    *images_path,
                               const char    *labels_path,
                               GCancellable  *cancellable,
                               StudioIdxPair *pair,
                               GError       **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StudioIdxPair, studio_idx_pair_clear)

G_END_DECLS
