/* fuzz-csv.c — fuzzes the filename,category CSV reader beside a small fixed image folder. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "fuzz-common.h"
#include "studio-image-folder.h"

/* The images a CSV can name: the seeds use these names, so mutations reach the decoder. */
static const char * const image_names[] = {
  "cat.1.png", "dog.2.png", "bird.3.png", "sub/fish.4.png",
};

static void
write_png (const char *folder, const char *name, guint32 rgba)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 3, 2);
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (parent, 0700);
  gdk_pixbuf_fill (pixbuf, rgba);
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
}

static const char *
image_folder (void)
{
  static char *folder;

  if (folder != NULL)
    return folder;
  folder = g_build_filename (fuzz_temp_folder (), "csv-images", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (image_names); i++)
    write_png (folder, image_names[i], 0x10203040u * (i + 1));
  return folder;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(StudioImageScan) scan = NULL;
  g_autoptr(StudioDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *found = NULL;
  g_autofree char *skipped = NULL;

  fuzz_init_logging ();
  csv_path = fuzz_write_file (image_folder (), "labels.csv", data, size);

  scan = studio_image_scan_csv (csv_path, NULL, NULL, NULL, NULL, &error);
  g_assert_true ((scan == NULL) == (error != NULL));
  fuzz_report (scan != NULL ? "scanned" : "refused", error);
  if (scan == NULL)
    return 0;
  g_assert_cmpuint (scan->entries->len, >, 0);
  g_assert_cmpuint (scan->n_classes, >, 0);
  for (guint i = 0; i < scan->entries->len; i++)
    {
      const StudioImageEntry *entry = &g_array_index (scan->entries, StudioImageEntry, i);

      g_assert_true (entry->label >= 0 && (guint) entry->label < scan->n_classes);
      g_assert_true (g_utf8_validate (scan->class_names[entry->label], -1, NULL));
    }
  found = studio_image_scan_format_found (scan);
  skipped = studio_image_scan_format_skipped (scan, 5);

  /* Decoding a handful of 3×2 images is cheap; a CSV naming thousands is left at the scan. */
  if (scan->entries->len > 16)
    return 0;
  dataset = studio_image_scan_decode (scan, 4, 4, 3, 1, NULL, NULL, &error);
  g_assert_true ((dataset == NULL) == (error != NULL));
  fuzz_report (dataset != NULL ? "decoded" : "nothing decoded", error);
  return 0;
}
