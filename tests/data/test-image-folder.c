/* test-image-folder.c — image-folder scans and decoding on folders the test writes itself. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "studio-image-folder.h"

/* The smallest GIF89a: 1×1, a two-colour table (red, black), the pixel is colour 0. */
static const guint8 tiny_gif[] = {
  'G', 'I', 'F', '8', '9', 'a', 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00,
  0xFF, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
  0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
};

static void
remove_tree (const char *path)
{
  GDir *dir;
  const char *name;

  g_chmod (path, 0700);
  if ((dir = g_dir_open (path, 0, NULL)) != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR)
              && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

static char *
make_folder (void)
{
  g_autoptr(GError) error = NULL;
  char *folder = g_dir_make_tmp ("convstudio-images-XXXXXX", &error);

  g_assert_no_error (error);
  return folder;
}

static char *
subfolder (const char *folder, const char *name)
{
  char *path = g_build_filename (folder, name, NULL);

  g_assert_cmpint (g_mkdir (path, 0755), ==, 0);
  return path;
}

/* Pixel (x, y) is (x·10, y·10, 7) and alpha 255 − x, so every source pixel is known. */
static void
write_image (const char *folder, const char *name, int width, int height,
             const char *format, gboolean alpha)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, width, height);
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autoptr(GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *pixel = pixels + y * gdk_pixbuf_get_rowstride (pixbuf) + x * n_channels;

        pixel[0] = x * 10;
        pixel[1] = y * 10;
        pixel[2] = 7;
        if (alpha)
          pixel[3] = 255 - x;
      }
  g_assert_true (gdk_pixbuf_save (pixbuf, path, format, &error, NULL));
  g_assert_no_error (error);
}

static void
write_bytes (const char *folder, const char *name, const void *bytes, gsize length)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, bytes, length, &error));
  g_assert_no_error (error);
}

/* Writes `name` as the first half of the file `source`. */
static void
write_first_half (const char *folder, const char *source, const char *name)
{
  g_autofree char *path = g_build_filename (folder, source, NULL);
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  write_bytes (folder, name, contents, length / 2);
}

static guint32
crc32_of (const guint8 *bytes, gsize length)
{
  guint32 crc = 0xFFFFFFFFU;

  for (gsize i = 0; i < length; i++)
    {
      crc ^= bytes[i];
      for (int bit = 0; bit < 8; bit++)
        crc = (crc >> 1) ^ (0xEDB88320U & -(crc & 1U));
    }
  return crc ^ 0xFFFFFFFFU;
}

/* A PNG signature and a valid IHDR declaring 100000×100000 RGB, and nothing else. */
static void
write_png_bomb (const char *folder, const char *name)
{
  guint8 png[8 + 25] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n',
                         0, 0, 0, 13, 'I', 'H', 'D', 'R',
                         0x00, 0x01, 0x86, 0xA0, 0x00, 0x01, 0x86, 0xA0, 8, 2, 0, 0, 0 };
  guint32 crc = crc32_of (png + 12, 17);

  png[29] = crc >> 24;
  png[30] = crc >> 16;
  png[31] = crc >> 8;
  png[32] = crc;
  write_bytes (folder, name, png, sizeof png);
}

static const StudioImageEntry *
entry_at (const StudioImageScan *scan, guint index)
{
  g_assert_cmpuint (index, <, scan->entries->len);
  return &g_array_index (scan->entries, StudioImageEntry, index);
}

static const StudioImageSkip *
find_skip (const StudioImageScan *scan, const char *name)
{
  for (guint i = 0; i < scan->skipped->len; i++)
    if (g_strcmp0 (g_array_index (scan->skipped, StudioImageSkip, i).name, name) == 0)
      return &g_array_index (scan->skipped, StudioImageSkip, i);
  g_error ("“%s” was not skipped", name);
  return NULL;
}

static void
assert_entries (const StudioImageScan *scan, const char * const *names, const gint32 *labels)
{
  guint n = g_strv_length ((char **) names);

  g_assert_cmpuint (scan->entries->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpstr (entry_at (scan, i)->name, ==, names[i]);
      g_assert_cmpint (entry_at (scan, i)->label, ==, labels[i]);
    }
}

static void
test_kaggle_names (void)
{
  g_autofree char *folder = make_folder ();
  g_autoptr(StudioImageScan) scan = NULL;
  g_autoptr(StudioDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  g_autofree char *skipped = NULL;
  StudioImageProgress progress = { 0, 0 };
  const char * const names[] = { "cat.0.jpg", "cat.1.PNG", "dog.0.bmp", "dog.10.jpg",
                                 "dog.2.png", NULL };
  const gint32 labels[] = { 0, 0, 1, 1, 1 };

  write_image (folder, "dog.10.jpg", 20, 30, "jpeg", FALSE);
  write_image (folder, "cat.1.PNG", 8, 8, "png", TRUE);
  write_image (folder, "dog.0.bmp", 9, 5, "bmp", FALSE);
  write_image (folder, "cat.0.jpg", 16, 16, "jpeg", FALSE);
  write_image (folder, "dog.2.png", 3, 4, "png", FALSE);
  write_bytes (folder, "readme.txt", "hello", 5);

  scan = studio_image_scan_folder (folder, STUDIO_IMAGE_LAYOUT_AUTO, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (scan->layout, ==, STUDIO_IMAGE_LAYOUT_KAGGLE_NAMES);
  g_assert_cmpuint (scan->n_classes, ==, 2);
  g_assert_cmpstr (scan->class_names[0], ==, "cat");
  g_assert_cmpstr (scan->class_names[1], ==, "dog");
  assert_entries (scan, names, labels);
  g_assert_cmpuint (studio_image_scan_get_cache_size (scan, 12, 10, 3), ==, 5 * 12 * 10 * 3);

  dataset = studio_image_scan_decode (scan, 12, 10, 3, 2, &progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (progress.done, ==, 5);
  g_assert_cmpint (progress.total, ==, 5);
  g_assert_cmpuint (studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TRAIN), ==, 5);
  g_assert_cmpuint (studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TEST), ==, 0);
  g_assert_cmpint (studio_dataset_get_height (dataset), ==, 12);
  g_assert_cmpint (studio_dataset_get_width (dataset), ==, 10);
  g_assert_cmpuint (studio_dataset_get_n_classes (dataset), ==, 2);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_cmpint (studio_dataset_get_label (dataset, STUDIO_SPLIT_TRAIN, i), ==, labels[i]);
      g_assert_cmpstr (studio_dataset_get_filename (dataset, STUDIO_SPLIT_TRAIN, i), ==,
                       names[i]);
    }
  /* dog.2.png, 3×4 → 10×12: column floor((x + 0.5)·3/10), row floor((y + 0.5)·4/12). */
  g_assert_cmpuint (studio_dataset_get_pixels (dataset, STUDIO_SPLIT_TRAIN, 4)
                    [(11 * 10 + 9) * 3 + 0], ==, 2 * 10);
  g_assert_cmpuint (studio_dataset_get_pixels (dataset, STUDIO_SPLIT_TRAIN, 4)
                    [(11 * 10 + 9) * 3 + 1], ==, 3 * 10);

  found = studio_image_scan_format_found (scan);
  g_assert_cmpstr (found, ==, "Found 5 validated image filenames belonging to 2 classes.");
  skipped = studio_image_scan_format_skipped (scan, 10);
  g_assert_cmpstr (skipped, ==, "Skipped 1 file: readme.txt (not an image).");
  remove_tree (folder);
}

static void
test_class_folders (void)
{
  g_autofree char *folder = make_folder ();
  g_autofree char *cat = subfolder (folder, "cat");
  g_autofree char *dog = subfolder (folder, "dog");
  g_autofree char *empty = subfolder (folder, "empty");
  g_autofree char *nested = subfolder (dog, "nested");
  g_autofree char *loop = g_build_filename (folder, "loop", NULL);
  g_autofree char *again = g_build_filename (folder, "again", NULL);
  g_autoptr(StudioImageScan) scan = NULL;
  g_autoptr(StudioDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  const char * const names[] = { "again/top.png", "cat/a.png", "cat/b.jpg", "dog/c.gif",
                                 "dog/d.png", NULL };
  const gint32 labels[] = { 0, 1, 1, 2, 2 };

  write_image (cat, "b.jpg", 6, 6, "jpeg", FALSE);
  write_image (cat, "a.png", 6, 6, "png", FALSE);
  write_image (dog, "d.png", 6, 6, "png", FALSE);
  write_bytes (dog, "c.gif", tiny_gif, sizeof tiny_gif);
  write_bytes (dog, "notes.txt", "x", 1);
  write_image (nested, "deep.png", 6, 6, "png", FALSE);
  write_image (folder, "top.png", 6, 6, "png", FALSE);
  /* A link to itself (the kernel reports ELOOP) and one back to the root: neither may hang. */
  g_assert_cmpint (symlink ("loop", loop), ==, 0);
  g_assert_cmpint (symlink (".", again), ==, 0);

  scan = studio_image_scan_folder (folder, STUDIO_IMAGE_LAYOUT_AUTO, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (scan->layout, ==, STUDIO_IMAGE_LAYOUT_CLASS_FOLDERS);
  /* Keras counts an empty subfolder as a class too. */
  g_assert_cmpuint (scan->n_classes, ==, 4);
  g_assert_cmpstr (scan->class_names[0], ==, "again");
  g_assert_cmpstr (scan->class_names[1], ==, "cat");
  g_assert_cmpstr (scan->class_names[2], ==, "dog");
  g_assert_cmpstr (scan->class_names[3], ==, "empty");
  assert_entries (scan, names, labels);
  g_assert_cmpint (find_skip (scan, "loop")->reason, ==, STUDIO_IMAGE_SKIP_SYMLINK_LOOP);
  g_assert_cmpint (find_skip (scan, "dog/notes.txt")->reason, ==,
                   STUDIO_IMAGE_SKIP_NOT_AN_IMAGE);

  dataset = studio_image_scan_decode (scan, 2, 2, 3, 1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TRAIN), ==, 5);
  /* The GIF's single red pixel, scaled up. */
  g_assert_cmpmem (studio_dataset_get_pixels (dataset, STUDIO_SPLIT_TRAIN, 3), 12,
                   ((guint8[]) { 255, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0 }), 12);
  remove_tree (folder);
}

static void
test_unreadable_folder (void)
{
  g_autofree char *folder = make_folder ();
  g_autofree char *cat = subfolder (folder, "cat");
  g_autofree char *locked = subfolder (folder, "locked");
  g_autoptr(StudioImageScan) scan = NULL;
  g_autoptr(GError) error = NULL;

  if (geteuid () == 0)
    {
      g_test_skip ("root reads any folder");
      remove_tree (folder);
      return;
    }
  write_image (cat, "a.png", 4, 4, "png", FALSE);
  write_image (locked, "b.png", 4, 4, "png", FALSE);
  g_chmod (locked, 0);
  scan = studio_image_scan_folder (folder, STUDIO_IMAGE_LAYOUT_CLASS_FOLDERS, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scan->n_classes, ==, 1);
  g_assert_cmpint (find_skip (scan, "locked/")->reason, ==, STUDIO_IMAGE_SKIP_UNREADABLE);
  remove_tree (folder);
}

static void
test_csv (void)
{
  g_autofree char *folder = make_folder ();
  g_autofree char *images = subfolder (folder, "images");
  g_autofree char *csv = g_build_filename (folder, "labels.csv", NULL);
  g_autoptr(StudioImageScan) scan = NULL;
  g_autoptr(StudioDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  const char *text = "\xEF\xBB\xBFid,filename,category\r\n"
                     "1,\"cat, fluffy.png\",cat\r\n"
                     "2,\"say \"\"hi\"\".png\",dog\r\n"
                     "\r\n"
                     "3,dog.5.jpg,\"dog\"\r\n"
                     "4,missing.png,cat\r\n"
                     "5,notes.txt,cat\r\n"
                     "6,x.png,\r\n"
                     "7,b.png,bird";
  const char * const names[] = { "cat, fluffy.png", "say \"hi\".png", "dog.5.jpg", "b.png",
                                 NULL };
  const gint32 labels[] = { 1, 2, 2, 0 };

  write_image (images, "cat, fluffy.png", 4, 4, "png", FALSE);
  write_image (images, "say \"hi\".png", 4, 4, "png", FALSE);
  write_image (images, "dog.5.jpg", 4, 4, "jpeg", FALSE);
  write_image (images, "x.png", 4, 4, "png", FALSE);
  write_image (images, "b.png", 4, 4, "png", FALSE);
  write_bytes (images, "notes.txt", "x", 1);
  write_bytes (folder, "labels.csv", text, strlen (text));

  scan = studio_image_scan_csv (csv, images, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (scan->layout, ==, STUDIO_IMAGE_LAYOUT_CSV);
  g_assert_cmpuint (scan->n_classes, ==, 3);
  g_assert_cmpstr (scan->class_names[0], ==, "bird");
  assert_entries (scan, names, labels);
  g_assert_cmpuint (scan->skipped->len, ==, 3);
  g_assert_cmpint (find_skip (scan, "missing.png")->reason, ==, STUDIO_IMAGE_SKIP_MISSING);
  g_assert_cmpint (find_skip (scan, "notes.txt")->reason, ==, STUDIO_IMAGE_SKIP_NOT_AN_IMAGE);
  g_assert_cmpint (find_skip (scan, "x.png")->reason, ==, STUDIO_IMAGE_SKIP_NO_CLASS);
  dataset = studio_image_scan_decode (scan, 4, 4, 3, 2, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (studio_dataset_get_filename (dataset, STUDIO_SPLIT_TRAIN, 1), ==,
                   "say \"hi\".png");
  g_clear_pointer (&scan, studio_image_scan_free);

  /* Keras's default column name "class", LF endings, the CSV's own folder. */
  write_bytes (images, "list.csv", "filename,class\nb.png,bird\nx.png,cat\n", 37);
  g_clear_pointer (&csv, g_free);
  csv = g_build_filename (images, "list.csv", NULL);
  scan = studio_image_scan_csv (csv, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scan->entries->len, ==, 2);
  g_assert_cmpuint (scan->n_classes, ==, 2);
  g_clear_pointer (&scan, studio_image_scan_free);

  write_bytes (images, "list.csv", "name,category\nb.png,bird\n", 25);
  g_assert_null (studio_image_scan_csv (csv, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, STUDIO_IMAGE_ERROR, STUDIO_IMAGE_ERROR_CSV);
  g_clear_error (&error);
  write_bytes (images, "list.csv", "filename,category\n\"b.png,bird\n", 30);
  g_assert_null (studio_image_scan_csv (csv, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, STUDIO_IMAGE_ERROR, STUDIO_IMAGE_ERROR_CSV);
  remove_tree (folder);
}

static void
test_unlabelled (void)
{
  g_autofree char *folder = make_folder ();
  g_autoptr(StudioImageScan) scan = NULL;
  g_autoptr(StudioDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  const char * const names[] = { "1.jpg", "10.jpg", "2.jpg", NULL };
  const gint32 labels[] = { -1, -1, -1 };

  write_image (folder, "2.jpg", 5, 5, "jpeg", FALSE);
  write_image (folder, "10.jpg", 5, 5, "jpeg", FALSE);
  write_image (folder, "1.jpg", 5, 5, "jpeg", FALSE);
  scan = studio_image_scan_folder (folder, STUDIO_IMAGE_LAYOUT_AUTO, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (scan->layout, ==, STUDIO_IMAGE_LAYOUT_UNLABELLED);
  g_assert_cmpuint (scan->n_classes, ==, 0);
  assert_entries (scan, names, labels);
  dataset = studio_image_scan_decode (scan, 5, 5, 3, 2, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TRAIN), ==, 0);
  g_assert_cmpuint (studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TEST), ==, 3);
  g_assert_cmpint (studio_dataset_get_label (dataset, STUDIO_SPLIT_TEST, 2), ==, -1);
  found = studio_image_scan_format_found (scan);
  g_assert_cmpstr (found, ==, "Found 3 validated image filenames.");
  remove_tree (folder);
}

static void
test_broken_files (void)
{
  g_autofree char *folder = make_folder ();
  g_autofree char *vanishing = g_build_filename (folder, "cat.6.png", NULL);
  g_autofree char *locked = g_build_filename (folder, "dog.5.png", NULL);
  g_autoptr(StudioImageScan) scan = NULL;
  g_autoptr(StudioDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *skipped = NULL;
  gboolean as_root = geteuid () == 0;
  static const struct { const char *name; StudioImageSkipReason reason; } expected[] = {
    { "cat.1.jpg", STUDIO_IMAGE_SKIP_ZERO_BYTES },
    { "cat.2.jpg", STUDIO_IMAGE_SKIP_NOT_AN_IMAGE },
    { "cat.3.jpg", STUDIO_IMAGE_SKIP_TRUNCATED },
    { "dog.3.png", STUDIO_IMAGE_SKIP_TRUNCATED },
    { "dog.4.png", STUDIO_IMAGE_SKIP_TOO_LARGE },
    { "notes.txt", STUDIO_IMAGE_SKIP_NOT_AN_IMAGE },
    { "cat.6.png", STUDIO_IMAGE_SKIP_UNREADABLE },
    { "dog.5.png", STUDIO_IMAGE_SKIP_UNREADABLE },
  };

  write_image (folder, "cat.0.png", 4, 4, "png", FALSE);
  write_image (folder, "dog.0.png", 4, 4, "png", FALSE);
  write_bytes (folder, "cat.1.jpg", "", 0);
  write_bytes (folder, "cat.2.jpg", "This is a text file, not a photo of a cat.\n", 44);
  write_image (folder, "whole.jpg", 64, 64, "jpeg", FALSE);
  write_first_half (folder, "whole.jpg", "cat.3.jpg");
  write_image (folder, "whole.png", 64, 64, "png", FALSE);
  write_first_half (folder, "whole.png", "dog.3.png");
  write_png_bomb (folder, "dog.4.png");
  write_bytes (folder, "notes.txt", "notes", 5);
  write_image (folder, "cat.6.png", 4, 4, "png", FALSE);
  write_image (folder, "dog.5.png", 4, 4, "png", FALSE);
  g_chmod (locked, 0);

  scan = studio_image_scan_folder (folder, STUDIO_IMAGE_LAYOUT_KAGGLE_NAMES, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scan->skipped->len, ==, 1);
  g_unlink (vanishing);
  dataset = studio_image_scan_decode (scan, 4, 4, 3, 2, NULL, NULL, &error);
  g_assert_no_error (error);

  /* Survivors: cat.0, dog.0 and the two whole images (class "whole"); dog.5 too as root. */
  g_assert_cmpuint (studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TRAIN), ==,
                    as_root ? 5 : 4);
  g_assert_cmpuint (scan->entries->len, ==, as_root ? 5 : 4);
  g_assert_cmpstr (studio_dataset_get_filename (dataset, STUDIO_SPLIT_TRAIN, 1), ==,
                   "dog.0.png");
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      if (as_root && g_str_equal (expected[i].name, "dog.5.png"))
        continue;
      g_assert_cmpint (find_skip (scan, expected[i].name)->reason, ==, expected[i].reason);
    }
  g_assert_cmpuint (scan->skipped->len, ==, as_root ? 7 : 8);
  g_assert_nonnull (find_skip (scan, "dog.4.png")->detail);
  g_assert_cmpstr (find_skip (scan, "dog.4.png")->detail, ==, "100000 × 100000 pixels");
  skipped = studio_image_scan_format_skipped (scan, 2);
  g_assert_true (g_str_has_prefix (skipped, as_root ? "Skipped 7 files: notes.txt (not an image), "
                                                      "cat.1.jpg (zero bytes), and 5 more."
                                                    : "Skipped 8 files: notes.txt (not an image), "
                                                      "cat.1.jpg (zero bytes), and 6 more."));
  remove_tree (folder);
}

static void
test_empty_and_missing (void)
{
  g_autofree char *folder = make_folder ();
  g_autofree char *missing = g_build_filename (folder, "nowhere", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (studio_image_scan_folder (folder, STUDIO_IMAGE_LAYOUT_AUTO, NULL, &error));
  g_assert_error (error, STUDIO_IMAGE_ERROR, STUDIO_IMAGE_ERROR_NO_IMAGES);
  g_clear_error (&error);

  write_bytes (folder, "readme.md", "# no images", 11);
  g_assert_null (studio_image_scan_folder (folder, STUDIO_IMAGE_LAYOUT_AUTO, NULL, &error));
  g_assert_error (error, STUDIO_IMAGE_ERROR, STUDIO_IMAGE_ERROR_NO_IMAGES);
  g_clear_error (&error);

  g_assert_null (studio_image_scan_folder (missing, STUDIO_IMAGE_LAYOUT_AUTO, NULL, &error));
  g_assert_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_NOT_FOUND);
  remove_tree (folder);
}

static void
test_nothing_decodes (void)
{
  g_autofree char *folder = make_folder ();
  g_autoptr(StudioImageScan) scan = NULL;
  g_autoptr(GError) error = NULL;

  write_bytes (folder, "cat.0.jpg", "", 0);
  write_bytes (folder, "cat.1.png", "text", 4);
  scan = studio_image_scan_folder (folder, STUDIO_IMAGE_LAYOUT_AUTO, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (studio_image_scan_decode (scan, 4, 4, 3, 2, NULL, NULL, &error));
  g_assert_error (error, STUDIO_IMAGE_ERROR, STUDIO_IMAGE_ERROR_NO_IMAGES);
  g_assert_cmpuint (scan->skipped->len, ==, 2);
  g_clear_error (&error);
  g_assert_null (studio_image_scan_decode (scan, 0, 4, 3, 2, NULL, NULL, &error));
  g_assert_error (error, STUDIO_IMAGE_ERROR, STUDIO_IMAGE_ERROR_INVALID_SIZE);
  remove_tree (folder);
}

static void
test_one_class_non_ascii (void)
{
  g_autofree char *folder = make_folder ();
  g_autoptr(StudioImageScan) scan = NULL;
  g_autoptr(StudioDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  const char * const names[] = { "chat é.1.png", "chat é.2.jpg", "고양이.0.jpg", NULL };
  const gint32 labels[] = { 0, 0, 1 };

  write_image (folder, "chat é.1.png", 4, 4, "png", FALSE);
  write_image (folder, "chat é.2.jpg", 4, 4, "jpeg", FALSE);
  scan = studio_image_scan_folder (folder, STUDIO_IMAGE_LAYOUT_AUTO, NULL, &error);
  g_assert_no_error (error);
  found = studio_image_scan_format_found (scan);
  g_assert_cmpstr (found, ==, "Found 2 validated image filenames belonging to 1 classes.");
  g_clear_pointer (&scan, studio_image_scan_free);

  /* Code-point order: "c" (U+0063) sorts before "고" (U+ACE0). */
  write_image (folder, "고양이.0.jpg", 4, 4, "jpeg", FALSE);
  scan = studio_image_scan_folder (folder, STUDIO_IMAGE_LAYOUT_AUTO, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (scan->class_names[0], ==, "chat é");
  g_assert_cmpstr (scan->class_names[1], ==, "고양이");
  assert_entries (scan, names, labels);
  dataset = studio_image_scan_decode (scan, 4, 4, 1, 2, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TRAIN), ==, 3);
  g_assert_cmpstr (studio_dataset_get_class_name (dataset, 1), ==, "고양이");
  remove_tree (folder);
}

static void
test_conversion (void)
{
  g_autofree char *folder = make_folder ();
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 4, 1);
  g_autofree char *path = g_build_filename (folder, "a.0.png", NULL);
  g_autoptr(StudioImageScan) scan = NULL;
  g_autoptr(StudioDataset) rgb = NULL;
  g_autoptr(StudioDataset) gray = NULL;
  g_autoptr(GError) error = NULL;
  /* Red, green, blue, and a fully transparent (200, 100, 50). */
  const guint8 rgba[] = { 255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 255, 200, 100, 50, 0 };

  memcpy (gdk_pixbuf_get_pixels (pixbuf), rgba, sizeof rgba);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  scan = studio_image_scan_folder (folder, STUDIO_IMAGE_LAYOUT_AUTO, NULL, &error);
  g_assert_no_error (error);
  rgb = studio_image_scan_decode (scan, 1, 4, 3, 1, NULL, NULL, &error);
  g_assert_no_error (error);
  /* PIL's convert("RGB") drops alpha without compositing. */
  g_assert_cmpmem (studio_dataset_get_pixels (rgb, STUDIO_SPLIT_TRAIN, 0), 12,
                   ((guint8[]) { 255, 0, 0, 0, 255, 0, 0, 0, 255, 200, 100, 50 }), 12);
  gray = studio_image_scan_decode (scan, 1, 4, 1, 1, NULL, NULL, &error);
  g_assert_no_error (error);
  /* Pillow 9.4's convert("L") of these RGBA pixels gives 76, 150, 29, 124 (checked once;
   * e.g. (200·19595 + 100·38470 + 50·7471 + 32768) >> 16 = 124). */
  g_assert_cmpmem (studio_dataset_get_pixels (gray, STUDIO_SPLIT_TRAIN, 0), 4,
                   ((guint8[]) { 76, 150, 29, 124 }), 4);
  remove_tree (folder);
}

static void
test_resize_nearest (void)
{
  /* A 5-wide, 3-high RGB source whose pixel (x, y) is (x, y, 100). */
  guint8 source[3 * 5 * 3];
  guint8 out[7 * 2 * 3];
  guint8 luma[4];
  /* Pillow's Image.resize(NEAREST): column floor((x + 0.5)·5/2) = 1, 3; row
   * floor((y + 0.5)·3/7) = 0 0 1 1 1 2 2. (The index rule was checked once against
   * Pillow 9.4 for every size pair up to 199 → 259.) */
  const int columns[] = { 1, 3 };
  const int rows[] = { 0, 0, 1, 1, 1, 2, 2 };
  const guint8 gray_source[10] = { 0, 10, 20, 30, 40, 50, 60, 70, 80, 90 };

  for (int y = 0; y < 3; y++)
    for (int x = 0; x < 5; x++)
      {
        source[(y * 5 + x) * 3 + 0] = x;
        source[(y * 5 + x) * 3 + 1] = y;
        source[(y * 5 + x) * 3 + 2] = 100;
      }
  studio_image_resize_nearest (source, 3, 5, 3, 15, out, 7, 2, 3);
  for (int y = 0; y < 7; y++)
    for (int x = 0; x < 2; x++)
      {
        g_assert_cmpuint (out[(y * 2 + x) * 3 + 0], ==, columns[x]);
        g_assert_cmpuint (out[(y * 2 + x) * 3 + 1], ==, rows[y]);
      }
  /* 10 → 4: floor(1.25), floor(3.75), floor(6.25), floor(8.75). */
  studio_image_resize_nearest (gray_source, 1, 10, 1, 10, luma, 1, 4, 1);
  g_assert_cmpmem (luma, 4, ((guint8[]) { 10, 30, 60, 80 }), 4);
}

static void
on_decoded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_decode_async (void)
{
  g_autofree char *folder = make_folder ();
  g_autoptr(StudioImageScan) scan = NULL;
  g_autoptr(StudioDataset) dataset = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  StudioImageProgress progress = { 0, 0 };

  for (int i = 0; i < 6; i++)
    {
      g_autofree char *name = g_strdup_printf ("%d.png", i + 1);

      write_image (folder, name, 8, 6, "png", i % 2 == 0);
    }
  write_bytes (folder, "7.png", "", 0);
  scan = studio_image_scan_folder (folder, STUDIO_IMAGE_LAYOUT_AUTO, NULL, &error);
  g_assert_no_error (error);
  studio_image_scan_decode_async (scan, 3, 4, 1, 2, &progress, NULL, on_decoded, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  dataset = studio_image_scan_decode_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_atomic_int_get (&progress.done), ==, 7);
  g_assert_cmpint (g_atomic_int_get (&progress.total), ==, 7);
  g_assert_cmpuint (studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TEST), ==, 6);
  g_assert_cmpint (studio_dataset_get_channels (dataset), ==, 1);
  /* 8×6 → 4×3 picks source column 1 of row 1: luma of (10, 10, 7). */
  g_assert_cmpuint (studio_dataset_get_pixels (dataset, STUDIO_SPLIT_TEST, 0)[0], ==,
                    (10 * 19595 + 10 * 38470 + 7 * 7471 + 0x8000) >> 16);
  g_assert_cmpint (find_skip (scan, "7.png")->reason, ==, STUDIO_IMAGE_SKIP_ZERO_BYTES);
  remove_tree (folder);
}

typedef struct {
  StudioImageScan *scan;
  StudioImageProgress progress;
  GCancellable *cancellable;
  GError *error;
  StudioDataset *dataset;
} DecodeRun;

static gpointer
decode_in_thread (gpointer data)
{
  DecodeRun *run = data;

  run->dataset = studio_image_scan_decode (run->scan, 32, 32, 3, 1, &run->progress,
                                           run->cancellable, &run->error);
  return NULL;
}

static void
test_cancel (void)
{
  g_autofree char *folder = make_folder ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  DecodeRun run = { 0 };
  GThread *thread;
  guint n_skipped;

  for (int i = 0; i < 60; i++)
    {
      g_autofree char *name = g_strdup_printf ("cat.%d.jpg", i);

      write_image (folder, name, 320, 240, "jpeg", FALSE);
    }
  run.scan = studio_image_scan_folder (folder, STUDIO_IMAGE_LAYOUT_AUTO, NULL, &error);
  g_assert_no_error (error);
  n_skipped = run.scan->skipped->len;

  /* Cancelled before it starts: nothing decoded, nothing kept, the scan untouched. */
  g_cancellable_cancel (cancellable);
  g_assert_null (studio_image_scan_decode (run.scan, 32, 32, 3, 2, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Cancelled mid-way from another thread, once the first images are done. */
  g_cancellable_reset (cancellable);
  run.cancellable = cancellable;
  thread = g_thread_new ("decode", decode_in_thread, &run);
  while (g_atomic_int_get (&run.progress.done) < 2)
    g_usleep (50);
  g_cancellable_cancel (cancellable);
  g_thread_join (thread);
  if (run.error == NULL)
    {
      /* The machine outran the cancel: every image was finished before it was seen. */
      g_assert_cmpint (g_atomic_int_get (&run.progress.done), ==, 60);
      g_test_message ("decoding finished before the cancel was seen");
      g_clear_object (&run.dataset);
    }
  else
    {
      g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_null (run.dataset);
      g_clear_error (&run.error);
    }
  g_assert_cmpuint (run.scan->entries->len, ==, 60);
  g_assert_cmpuint (run.scan->skipped->len, ==, n_skipped);
  studio_image_scan_free (run.scan);
  remove_tree (folder);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data/image-folder/kaggle-names", test_kaggle_names);
  g_test_add_func ("/data/image-folder/class-folders", test_class_folders);
  g_test_add_func ("/data/image-folder/unreadable-folder", test_unreadable_folder);
  g_test_add_func ("/data/image-folder/csv", test_csv);
  g_test_add_func ("/data/image-folder/unlabelled", test_unlabelled);
  g_test_add_func ("/data/image-folder/broken-files", test_broken_files);
  g_test_add_func ("/data/image-folder/empty-and-missing", test_empty_and_missing);
  g_test_add_func ("/data/image-folder/nothing-decodes", test_nothing_decodes);
  g_test_add_func ("/data/image-folder/one-class-non-ascii", test_one_class_non_ascii);
  g_test_add_func ("/data/image-folder/conversion", test_conversion);
  g_test_add_func ("/data/image-folder/resize-nearest", test_resize_nearest);
  g_test_add_func ("/data/image-folder/decode-async", test_decode_async);
  g_test_add_func ("/data/image-folder/cancel", test_cancel);

  return g_test_run ();
}
