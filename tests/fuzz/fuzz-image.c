/* fuzz-image.c — fuzzes image decoding: GdkPixbuf's loaders and our conversion and resize. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gstdio.h>

#include "fuzz-common.h"
#include "studio-image-folder.h"

/* The extensions the scanner accepts; the loader itself is chosen by the bytes. */
static const char * const extensions[] = {
  "png", "jpg", "gif", "bmp", "ppm", "webp", "tif", "jpeg",
};

/* Target sizes (height, width) that shrink, keep and enlarge small images. */
static const int target_sides[][2] = {
  { 1, 1 }, { 3, 5 }, { 8, 8 }, { 28, 28 },
};

/* Input layout: one selector byte (bits 0–2 the extension, bit 3 the channels, bits 4–5 the
 * target size), then the image file. */
int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(StudioImageScan) scan = NULL;
  g_autoptr(StudioDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *found = NULL;
  g_autofree char *skipped = NULL;
  int channels, height, width;
  guint8 selector;

  if (size < 1)
    return 0;
  fuzz_init_logging ();
  selector = data[0];
  channels = (selector & 0x08) != 0 ? 3 : 1;
  height = target_sides[(selector >> 4) & 3][0];
  width = target_sides[(selector >> 4) & 3][1];

  folder = g_build_filename (fuzz_temp_folder (), "images", NULL);
  g_mkdir_with_parents (folder, 0700);
  name = g_strdup_printf ("sample.%s", extensions[selector & 7]);
  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    {
      g_autofree char *old_name = g_strdup_printf ("sample.%s", extensions[i]);
      g_autofree char *old_path = g_build_filename (folder, old_name, NULL);

      g_unlink (old_path);
    }
  path = fuzz_write_file (folder, name, data + 1, size - 1);

  scan = studio_image_scan_folder (folder, STUDIO_IMAGE_LAYOUT_UNLABELLED, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scan->entries->len, ==, 1);

  dataset = studio_image_scan_decode (scan, height, width, channels, 1, NULL, NULL, &error);
  found = studio_image_scan_format_found (scan);
  skipped = studio_image_scan_format_skipped (scan, 3);
  fuzz_report (dataset != NULL ? "decoded" : skipped, NULL);
  if (dataset == NULL)
    {
      /* Nothing decoded: the one file must have been skipped with a reason. */
      g_assert_nonnull (error);
      g_assert_cmpuint (scan->skipped->len, ==, 1);
      g_assert_nonnull (skipped);
      return 0;
    }
  g_assert_cmpuint (studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TEST), ==, 1);
  {
    const guint8 *pixels = studio_dataset_get_pixels (dataset, STUDIO_SPLIT_TEST, 0);
    guint checksum = 0;

    for (int i = 0; i < height * width * channels; i++)
      checksum += pixels[i];
    (void) checksum;
  }
  return 0;
}
