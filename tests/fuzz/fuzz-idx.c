/* fuzz-idx.c — fuzzes the IDX reader (plain and gzip) through studio_dataset_open(). */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gstdio.h>

#include "fuzz-common.h"
#include "studio-dataset.h"

/* Input layout: one flags byte, the labels file's length (2 bytes, little-endian), the
 * labels file, then the images file (the rest). */
enum {
  GZIP_IMAGES = 1 << 0, /* compress the images file, so the fuzzer reaches past the gzip CRC */
  GZIP_LABELS = 1 << 1,
  GZ_NAMES    = 1 << 2, /* name the files .gz even when plain: detection is by magic bytes */
};

static const char * const file_names[] = {
  "train-images-idx3-ubyte", "train-images-idx3-ubyte.gz",
  "train-labels-idx1-ubyte", "train-labels-idx1-ubyte.gz",
};

static void
write_part (const char *folder, const char *name, const guint8 *data, gsize size,
            gboolean compress)
{
  g_autoptr(GBytes) gzipped = compress ? fuzz_gzip (data, size) : NULL;
  g_autofree char *path = NULL;

  if (gzipped != NULL)
    data = g_bytes_get_data (gzipped, &size);
  path = fuzz_write_file (folder, name, data, size);
}

/* Reads every pixel and label, so that the sanitizers see any buffer that is shorter than
 * the dataset says. */
static guint
touch_split (StudioDataset *dataset, StudioSplit split)
{
  gsize n = studio_dataset_get_n_samples (dataset, split);
  gsize sample_size = (gsize) studio_dataset_get_height (dataset)
                      * studio_dataset_get_width (dataset)
                      * studio_dataset_get_channels (dataset);
  guint n_classes = studio_dataset_get_n_classes (dataset);
  g_autofree gsize *counts = g_new0 (gsize, MAX (n_classes, 1));
  guint checksum = 0;

  for (gsize i = 0; i < n; i++)
    {
      const guint8 *pixels = studio_dataset_get_pixels (dataset, split, i);
      gint32 label = studio_dataset_get_label (dataset, split, i);

      g_assert_true (label >= 0 && (guint) label < n_classes);
      for (gsize p = 0; p < sample_size; p++)
        checksum += pixels[p];
    }
  studio_dataset_count_classes (dataset, split, counts);
  return checksum;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(StudioDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  const char *folder;
  gsize labels_size;
  guint8 flags;

  if (size < 3)
    return 0;
  fuzz_init_logging ();
  folder = fuzz_temp_folder ();
  flags = data[0];
  labels_size = MIN ((gsize) data[1] | (gsize) data[2] << 8, size - 3);
  data += 3;
  size -= 3;

  for (guint i = 0; i < G_N_ELEMENTS (file_names); i++)
    {
      g_autofree char *path = g_build_filename (folder, file_names[i], NULL);

      g_unlink (path);
    }
  write_part (folder, file_names[2 + ((flags & (GZIP_LABELS | GZ_NAMES)) != 0)],
              data, labels_size, (flags & GZIP_LABELS) != 0);
  write_part (folder, file_names[(flags & (GZIP_IMAGES | GZ_NAMES)) != 0],
              data + labels_size, size - labels_size, (flags & GZIP_IMAGES) != 0);

  dataset = studio_dataset_open (folder, NULL, &error);
  g_assert_true ((dataset == NULL) == (error != NULL));
  fuzz_report (dataset != NULL ? "opened" : "refused", error);
  if (dataset == NULL)
    {
      g_assert_true (error->message != NULL && error->message[0] != '\0');
      return 0;
    }
  g_assert_cmpuint (studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TRAIN), >, 0);
  touch_split (dataset, STUDIO_SPLIT_TRAIN);
  return 0;
}
