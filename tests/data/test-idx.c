/* test-idx.c — the IDX reader on the real Fashion-MNIST files and on generated broken ones. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "studio-dataset.h"

/* ------------------------------------------------------------------ writing test files */

/* A pixel value that differs between images, rows and columns, so any misplaced byte shows. */
static guint8
expected_pixel (guint image, guint row, guint col)
{
  return (guint8) (image * 31 + row * 7 + col * 3 + 1);
}

static void
append_be32 (GByteArray *bytes, guint32 value)
{
  guint32 big_endian = GUINT32_TO_BE (value);

  g_byte_array_append (bytes, (const guint8 *) &big_endian, 4);
}

static void
write_bytes (const char *path, const guint8 *data, gsize length, gboolean compress)
{
  g_autoptr(GError) error = NULL;

  if (compress)
    {
      gzFile gz = gzopen (path, "wb");

      g_assert_nonnull (gz);
      g_assert_cmpint (gzwrite (gz, data, (unsigned) length), ==, (int) length);
      g_assert_cmpint (gzclose (gz), ==, Z_OK);
      return;
    }
  g_file_set_contents (path, (const char *) data, (gssize) length, &error);
  g_assert_no_error (error);
}

/* An images file whose header declares `declared` images but which holds `actual`. */
static void
write_images (const char *path, guint32 magic, guint32 declared, guint32 rows, guint32 cols,
              guint32 actual, gboolean compress)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();

  append_be32 (bytes, magic);
  append_be32 (bytes, declared);
  append_be32 (bytes, rows);
  append_be32 (bytes, cols);
  for (guint32 i = 0; i < actual; i++)
    for (guint32 r = 0; r < rows; r++)
      for (guint32 c = 0; c < cols; c++)
        {
          guint8 value = expected_pixel (i, r, c);

          g_byte_array_append (bytes, &value, 1);
        }
  write_bytes (path, bytes->data, bytes->len, compress);
}

/* Labels i % n_classes for i < actual. */
static void
write_labels (const char *path, guint32 magic, guint32 declared, guint32 actual,
              guint n_classes, gboolean compress)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();

  append_be32 (bytes, magic);
  append_be32 (bytes, declared);
  for (guint32 i = 0; i < actual; i++)
    {
      guint8 label = (guint8) (i % n_classes);

      g_byte_array_append (bytes, &label, 1);
    }
  write_bytes (path, bytes->data, bytes->len, compress);
}

/* A good pair "<folder>/<prefix>-{images-idx3,labels-idx1}-ubyte[.gz]". */
static void
write_pair (const char *folder, const char *prefix, guint32 n, guint32 rows, guint32 cols,
            guint n_classes, gboolean compress)
{
  const char *gz = compress ? ".gz" : "";
  g_autofree char *images = g_strdup_printf ("%s/%s-images-idx3-ubyte%s", folder, prefix, gz);
  g_autofree char *labels = g_strdup_printf ("%s/%s-labels-idx1-ubyte%s", folder, prefix, gz);

  write_images (images, 0x803, n, rows, cols, n, compress);
  write_labels (labels, 0x801, n, n, n_classes, compress);
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
    }
  g_remove (path);
}

typedef struct {
  char *dir;
} TempFolder;

static void
temp_folder_setup (TempFolder *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("convstudio-idx-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
temp_folder_teardown (TempFolder *fixture, gconstpointer data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static char *
make_subfolder (TempFolder *fixture, const char *name)
{
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  return path;
}

static void
assert_split_pixels (StudioDataset *dataset, StudioSplit split, guint n, guint rows,
                     guint cols, guint n_classes)
{
  g_assert_cmpuint (studio_dataset_get_n_samples (dataset, split), ==, n);
  for (guint i = 0; i < n; i++)
    {
      const guint8 *pixels = studio_dataset_get_pixels (dataset, split, i);

      g_assert_cmpint (studio_dataset_get_label (dataset, split, i), ==, (int) (i % n_classes));
      g_assert_null (studio_dataset_get_filename (dataset, split, i));
      for (guint r = 0; r < rows; r++)
        for (guint c = 0; c < cols; c++)
          g_assert_cmpuint (pixels[r * cols + c], ==, expected_pixel (i, r, c));
    }
}

/* ------------------------------------------------------------------ the real files */

/* Measured once on Debian's dataset-fashion-mnist (and cross-checked with Python's gzip). */
#define FIRST_IMAGE_BYTE_SUM 76247
#define FIRST_IMAGE_CRC32 0xF270BEB5u

static const char * const fashion_names[] = {
  "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
  "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot", NULL
};

static const char *
real_folder_or_skip (void)
{
  const char *folder = g_getenv ("FASHION_MNIST_DIR");

  if (folder == NULL || !g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("Fashion-MNIST is not installed (package dataset-fashion-mnist)");
      return NULL;
    }
  return folder;
}

static void
assert_real_fashion_mnist (StudioDataset *dataset)
{
  gsize counts[10];
  const guint8 *first;
  guint64 byte_sum = 0;
  guint first_crc;

  g_assert_cmpstr (studio_dataset_get_name (dataset), ==, "Fashion-MNIST");
  g_assert_cmpint (studio_dataset_get_height (dataset), ==, 28);
  g_assert_cmpint (studio_dataset_get_width (dataset), ==, 28);
  g_assert_cmpint (studio_dataset_get_channels (dataset), ==, 1);
  g_assert_cmpuint (studio_dataset_get_n_classes (dataset), ==, 10);
  g_assert_true (g_strv_equal ((const char * const *) fashion_names,
                               studio_dataset_get_class_names (dataset)));
  g_assert_cmpuint (studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TRAIN), ==, 60000);
  g_assert_cmpuint (studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TEST), ==, 10000);

  studio_dataset_count_classes (dataset, STUDIO_SPLIT_TRAIN, counts);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpuint (counts[i], ==, 6000);
  studio_dataset_count_classes (dataset, STUDIO_SPLIT_TEST, counts);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpuint (counts[i], ==, 1000);

  /* The first training image is an ankle boot; its bytes were measured once. */
  g_assert_cmpint (studio_dataset_get_label (dataset, STUDIO_SPLIT_TRAIN, 0), ==, 9);
  g_assert_cmpstr (studio_dataset_get_class_name (dataset, 9), ==, "Ankle boot");
  g_assert_cmpint (studio_dataset_get_label (dataset, STUDIO_SPLIT_TEST, 0), ==, 9);
  first = studio_dataset_get_pixels (dataset, STUDIO_SPLIT_TRAIN, 0);
  for (guint i = 0; i < 28 * 28; i++)
    byte_sum += first[i];
  first_crc = (guint) crc32 (0, first, 28 * 28);
  g_test_message ("first training image: byte sum %" G_GUINT64_FORMAT ", CRC-32 0x%08X",
                  byte_sum, first_crc);
  g_assert_cmpuint (byte_sum, ==, FIRST_IMAGE_BYTE_SUM);
  g_assert_cmphex (first_crc, ==, FIRST_IMAGE_CRC32);
  /* An ankle boot leaves the top-left corner black. */
  g_assert_cmpuint (first[0], ==, 0);
}

static void
test_real_fashion_mnist (void)
{
  const char *folder = real_folder_or_skip ();
  g_autoptr(StudioDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  guint64 n_train = 0;

  if (folder == NULL)
    return;

  start = g_get_monotonic_time ();
  dataset = studio_dataset_open (folder, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("Fashion-MNIST (70,000 images) loaded in %.3f s",
                  (g_get_monotonic_time () - start) / 1e6);

  assert_real_fashion_mnist (dataset);
  g_assert_cmpstr (studio_dataset_get_source (dataset), ==, folder);
  g_object_get (dataset, "n-train", &n_train, NULL);
  g_assert_cmpuint (n_train, ==, 60000);
}

static void
on_real_open_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  StudioDataset **dataset = user_data;
  g_autoptr(GError) error = NULL;

  /* Delivered on the thread that runs the main context, not the worker. */
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  *dataset = studio_dataset_open_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_real_open_async (void)
{
  const char *folder = real_folder_or_skip ();
  g_autoptr(StudioDataset) dataset = NULL;

  if (folder == NULL)
    return;

  studio_dataset_open_async (folder, NULL, on_real_open_done, &dataset);
  while (dataset == NULL)
    g_main_context_iteration (NULL, TRUE);
  assert_real_fashion_mnist (dataset);
}

/* ------------------------------------------------------------------ good generated files */

static void
test_plain_pair (TempFolder *fixture, gconstpointer data)
{
  g_autofree char *folder = make_subfolder (fixture, "digits-small");
  g_autoptr(StudioDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  gsize counts[3];

  write_pair (folder, "train", 7, 4, 5, 3, FALSE);
  dataset = studio_dataset_open (folder, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (studio_dataset_get_name (dataset), ==, "digits-small");
  g_assert_cmpint (studio_dataset_get_height (dataset), ==, 4);
  g_assert_cmpint (studio_dataset_get_width (dataset), ==, 5);
  g_assert_cmpuint (studio_dataset_get_n_classes (dataset), ==, 3);
  g_assert_cmpstr (studio_dataset_get_class_name (dataset, 2), ==, "class 2");
  assert_split_pixels (dataset, STUDIO_SPLIT_TRAIN, 7, 4, 5, 3);
  g_assert_cmpuint (studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TEST), ==, 0);
  studio_dataset_count_classes (dataset, STUDIO_SPLIT_TRAIN, counts);
  g_assert_cmpuint (counts[0], ==, 3);
  g_assert_cmpuint (counts[1], ==, 2);
  g_assert_cmpuint (counts[2], ==, 2);
}

static void
test_gzip_pair (TempFolder *fixture, gconstpointer data)
{
  g_autofree char *folder = make_subfolder (fixture, "My-MNIST");
  g_autoptr(StudioDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;

  write_pair (folder, "train", 12, 6, 3, 10, TRUE);
  write_pair (folder, "t10k", 10, 6, 3, 10, TRUE);
  dataset = studio_dataset_open (folder, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (studio_dataset_get_name (dataset), ==, "MNIST");
  g_assert_cmpuint (studio_dataset_get_n_classes (dataset), ==, 10);
  g_assert_cmpstr (studio_dataset_get_class_name (dataset, 0), ==, "0");
  g_assert_cmpstr (studio_dataset_get_class_name (dataset, 9), ==, "9");
  assert_split_pixels (dataset, STUDIO_SPLIT_TRAIN, 12, 6, 3, 10);
  assert_split_pixels (dataset, STUDIO_SPLIT_TEST, 10, 6, 3, 10);
}

/* "test-" pairs are found too, and a fashion folder gets Fashion-MNIST's class names. */
static void
test_fashion_names_and_test_prefix (TempFolder *fixture, gconstpointer data)
{
  g_autofree char *folder = make_subfolder (fixture, "my FASHION data");
  g_autoptr(StudioDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;

  write_pair (folder, "train", 20, 2, 2, 10, TRUE);
  write_pair (folder, "test", 10, 2, 2, 10, FALSE);
  dataset = studio_dataset_open (folder, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (studio_dataset_get_name (dataset), ==, "Fashion-MNIST");
  g_assert_cmpstr (studio_dataset_get_class_name (dataset, 0), ==, "T-shirt/top");
  g_assert_cmpstr (studio_dataset_get_class_name (dataset, 9), ==, "Ankle boot");
  assert_split_pixels (dataset, STUDIO_SPLIT_TEST, 10, 2, 2, 10);
}

/* Opening one images file reads it and its labels sibling as the training split; gzip is
 * recognised by content, so a plain file called .gz still loads. */
static void
test_single_file_named_gz_but_plain (TempFolder *fixture, gconstpointer data)
{
  g_autofree char *images = g_build_filename (fixture->dir, "extra-images-idx3-ubyte.gz", NULL);
  g_autofree char *labels = g_build_filename (fixture->dir, "extra-labels-idx1-ubyte", NULL);
  g_autoptr(StudioDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;

  write_images (images, 0x803, 5, 3, 3, 5, FALSE);
  write_labels (labels, 0x801, 5, 5, 2, TRUE);
  dataset = studio_dataset_open (images, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (studio_dataset_get_source (dataset), ==, images);
  assert_split_pixels (dataset, STUDIO_SPLIT_TRAIN, 5, 3, 3, 2);
  g_assert_cmpuint (studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TEST), ==, 0);
}

/* Concatenated gzip members (`cat a.gz b.gz`) decode as one stream, as with gzip -d. */
static void
test_multi_member_gzip (TempFolder *fixture, gconstpointer data)
{
  g_autofree char *images = g_build_filename (fixture->dir, "train-images-idx3-ubyte", NULL);
  g_autofree char *images_gz = g_strconcat (images, ".gz", NULL);
  g_autofree char *labels = g_build_filename (fixture->dir, "train-labels-idx1-ubyte", NULL);
  g_autofree char *plain = NULL;
  g_autoptr(GByteArray) joined = g_byte_array_new ();
  g_autoptr(StudioDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  gsize half;

  write_images (images, 0x803, 4, 8, 8, 4, FALSE);
  write_labels (labels, 0x801, 4, 4, 4, FALSE);
  g_file_get_contents (images, &plain, &length, &error);
  g_assert_no_error (error);
  g_remove (images);

  half = length / 2;
  for (int part = 0; part < 2; part++)
    {
      g_autofree char *member_path = g_build_filename (fixture->dir, "member.gz", NULL);
      g_autofree char *member = NULL;
      gsize member_length = 0;

      write_bytes (member_path, (const guint8 *) plain + (part ? half : 0),
                   part ? length - half : half, TRUE);
      g_file_get_contents (member_path, &member, &member_length, &error);
      g_assert_no_error (error);
      g_byte_array_append (joined, (const guint8 *) member, member_length);
      g_remove (member_path);
    }
  write_bytes (images_gz, joined->data, joined->len, FALSE);

  dataset = studio_dataset_open (fixture->dir, NULL, &error);
  g_assert_no_error (error);
  assert_split_pixels (dataset, STUDIO_SPLIT_TRAIN, 4, 8, 8, 4);
}

/* ------------------------------------------------------------------ broken generated files */

typedef enum {
  BREAK_IMAGES_MAGIC,
  BREAK_LABELS_MAGIC,
  BREAK_TRUNCATED_IMAGES,
  BREAK_TRUNCATED_IMAGES_GZ,
  BREAK_TRUNCATED_LABELS,
  BREAK_TRUNCATED_HEADER,
  BREAK_EMPTY_FILE,
  BREAK_COUNT_MISMATCH,
  BREAK_NOT_GZIP_AFTER_MAGIC,
  BREAK_GZIP_CHECKSUM,
  BREAK_GZIP_CUT,
  BREAK_GZIP_NO_TRAILER,
  BREAK_ZERO_ROWS,
  BREAK_HUGE_IMAGES,
  BREAK_TOO_MANY_IMAGES,
  BREAK_CLAIMS_TERABYTES,
  BREAK_NO_IMAGES,
  BREAK_EMPTY_FOLDER,
  BREAK_MISSING_LABELS,
  BREAK_MISSING_TEST_LABELS,
  BREAK_TEST_SIZE_DIFFERS,
} Breakage;

typedef struct {
  const char *test_name;
  Breakage breakage;
  int code;
  const char *message_part; /* the message must contain this */
} BrokenCase;

static const BrokenCase broken_cases[] = {
  { "images-magic", BREAK_IMAGES_MAGIC, STUDIO_DATA_ERROR_FORMAT,
    "“train-images-idx3-ubyte” is not an IDX image file (magic number 0x00000801; "
    "expected 0x00000803)" },
  { "labels-magic", BREAK_LABELS_MAGIC, STUDIO_DATA_ERROR_FORMAT,
    "“train-labels-idx1-ubyte” is not an IDX label file (magic number 0x00000803" },
  { "truncated-images", BREAK_TRUNCATED_IMAGES, STUDIO_DATA_ERROR_TRUNCATED,
    "“train-images-idx3-ubyte” ends after 50 of 100 images" },
  { "truncated-images-gz", BREAK_TRUNCATED_IMAGES_GZ, STUDIO_DATA_ERROR_TRUNCATED,
    "“train-images-idx3-ubyte.gz” ends after 50 of 100 images" },
  { "truncated-labels", BREAK_TRUNCATED_LABELS, STUDIO_DATA_ERROR_TRUNCATED,
    "“train-labels-idx1-ubyte” ends after 99 of 100 labels" },
  { "truncated-header", BREAK_TRUNCATED_HEADER, STUDIO_DATA_ERROR_TRUNCATED,
    "“train-images-idx3-ubyte” is too short to be an IDX file" },
  { "empty-file", BREAK_EMPTY_FILE, STUDIO_DATA_ERROR_TRUNCATED,
    "“train-labels-idx1-ubyte” is too short to be an IDX file" },
  { "count-mismatch", BREAK_COUNT_MISMATCH, STUDIO_DATA_ERROR_MISMATCH,
    "“train-images-idx3-ubyte” holds 100 images but “train-labels-idx1-ubyte” holds 90 labels" },
  { "not-gzip-after-magic", BREAK_NOT_GZIP_AFTER_MAGIC, STUDIO_DATA_ERROR_COMPRESSION,
    "The compressed data in “train-images-idx3-ubyte.gz” is corrupt" },
  { "gzip-checksum", BREAK_GZIP_CHECKSUM, STUDIO_DATA_ERROR_COMPRESSION,
    "The compressed data in “train-images-idx3-ubyte.gz” is corrupt (incorrect data check)" },
  { "gzip-cut", BREAK_GZIP_CUT, STUDIO_DATA_ERROR_TRUNCATED,
    "“train-images-idx3-ubyte.gz” ends after" },
  { "gzip-no-trailer", BREAK_GZIP_NO_TRAILER, STUDIO_DATA_ERROR_TRUNCATED,
    "“train-images-idx3-ubyte.gz” is incomplete: its compressed data stops before the end" },
  { "zero-rows", BREAK_ZERO_ROWS, STUDIO_DATA_ERROR_FORMAT,
    "“train-images-idx3-ubyte” declares images of 0×28 pixels" },
  { "huge-images", BREAK_HUGE_IMAGES, STUDIO_DATA_ERROR_FORMAT,
    "“train-images-idx3-ubyte” declares images of 5000×5000 pixels" },
  { "too-many-images", BREAK_TOO_MANY_IMAGES, STUDIO_DATA_ERROR_FORMAT,
    "“train-images-idx3-ubyte” declares 20000000 images" },
  { "claims-terabytes", BREAK_CLAIMS_TERABYTES, STUDIO_DATA_ERROR_TRUNCATED,
    "“train-images-idx3-ubyte” ends after 0 of 1000000 images" },
  { "no-images", BREAK_NO_IMAGES, STUDIO_DATA_ERROR_EMPTY,
    "“train-images-idx3-ubyte” holds no images" },
  { "empty-folder", BREAK_EMPTY_FOLDER, STUDIO_DATA_ERROR_NOT_FOUND,
    "holds no IDX dataset: expected train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz" },
  { "missing-labels", BREAK_MISSING_LABELS, STUDIO_DATA_ERROR_NOT_FOUND,
    "The labels for “train-images-idx3-ubyte.gz” are missing: expected "
    "train-labels-idx1-ubyte.gz" },
  { "missing-test-labels", BREAK_MISSING_TEST_LABELS, STUDIO_DATA_ERROR_NOT_FOUND,
    "The labels for “t10k-images-idx3-ubyte” are missing" },
  { "test-size-differs", BREAK_TEST_SIZE_DIFFERS, STUDIO_DATA_ERROR_MISMATCH,
    "“t10k-images-idx3-ubyte” are 4×4 pixels but the training images are 28×28" },
};

/* Flips the byte `flip_from_end` bytes before the end (when > 0), then keeps only the first
 * `keep` bytes (when ≥ 0). */
static void
damage_file (const char *path, gssize keep, gssize flip_from_end)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  if (flip_from_end > 0)
    contents[length - (gsize) flip_from_end] ^= 0x55;
  if (keep >= 0)
    length = MIN (length, (gsize) keep);
  write_bytes (path, (const guint8 *) contents, length, FALSE);
}

/* Writes the files for one case into `dir` and returns the path to open. */
static char *
write_broken_case (const char *dir, Breakage breakage)
{
  g_autofree char *images = g_build_filename (dir, "train-images-idx3-ubyte", NULL);
  g_autofree char *labels = g_build_filename (dir, "train-labels-idx1-ubyte", NULL);
  g_autofree char *images_gz = g_strconcat (images, ".gz", NULL);

  if (breakage != BREAK_EMPTY_FOLDER && breakage != BREAK_MISSING_LABELS)
    write_labels (labels, breakage == BREAK_LABELS_MAGIC ? 0x803 : 0x801, 100,
                  breakage == BREAK_TRUNCATED_LABELS ? 99 : 100, 10, FALSE);

  switch (breakage)
    {
    case BREAK_IMAGES_MAGIC:
      write_images (images, 0x801, 100, 28, 28, 100, FALSE);
      break;
    case BREAK_TRUNCATED_IMAGES:
      write_images (images, 0x803, 100, 28, 28, 50, FALSE);
      break;
    case BREAK_TRUNCATED_IMAGES_GZ:
      write_images (images_gz, 0x803, 100, 28, 28, 50, TRUE);
      break;
    case BREAK_TRUNCATED_HEADER:
      write_bytes (images, (const guint8 *) "\0\0\x08\x03\0\0\0\x64\0\0", 10, FALSE);
      break;
    case BREAK_EMPTY_FILE:
      write_images (images, 0x803, 100, 28, 28, 100, FALSE);
      write_bytes (labels, (const guint8 *) "", 0, FALSE);
      break;
    case BREAK_COUNT_MISMATCH:
      write_images (images, 0x803, 100, 28, 28, 100, FALSE);
      write_labels (labels, 0x801, 90, 90, 10, FALSE);
      break;
    case BREAK_NOT_GZIP_AFTER_MAGIC:
      {
        static const char not_deflate[] = "\x1f\x8b this is not deflate data at all";

        write_bytes (images_gz, (const guint8 *) not_deflate, sizeof not_deflate - 1, FALSE);
      }
      break;
    case BREAK_GZIP_CHECKSUM:
      write_images (images_gz, 0x803, 100, 28, 28, 100, TRUE);
      damage_file (images_gz, -1, 8); /* the CRC-32 is the trailer's first 4 of 8 bytes */
      break;
    case BREAK_GZIP_CUT:
      write_images (images_gz, 0x803, 100, 28, 28, 100, TRUE);
      damage_file (images_gz, 200, 0);
      break;
    case BREAK_GZIP_NO_TRAILER:
      {
        g_autofree char *contents = NULL;
        gsize length = 0;

        write_images (images_gz, 0x803, 100, 28, 28, 100, TRUE);
        g_assert_true (g_file_get_contents (images_gz, &contents, &length, NULL));
        damage_file (images_gz, (gssize) length - 8, 0); /* every pixel, but no CRC-32 */
      }
      break;
    case BREAK_ZERO_ROWS:
      write_images (images, 0x803, 100, 0, 28, 0, FALSE);
      break;
    case BREAK_HUGE_IMAGES:
      write_images (images, 0x803, 100, 5000, 5000, 0, FALSE);
      break;
    case BREAK_TOO_MANY_IMAGES:
      write_images (images, 0x803, 20000000, 28, 28, 0, FALSE);
      break;
    case BREAK_CLAIMS_TERABYTES:
      write_labels (labels, 0x801, 1000000, 1000000, 10, FALSE);
      write_images (images, 0x803, 1000000, 4096, 4096, 0, FALSE);
      break;
    case BREAK_NO_IMAGES:
      write_images (images, 0x803, 0, 28, 28, 0, FALSE);
      break;
    case BREAK_MISSING_LABELS:
      write_images (images_gz, 0x803, 100, 28, 28, 100, TRUE);
      return g_steal_pointer (&images_gz);
    case BREAK_MISSING_TEST_LABELS:
    case BREAK_TEST_SIZE_DIFFERS:
      {
        g_autofree char *test_images = g_build_filename (dir, "t10k-images-idx3-ubyte", NULL);

        write_images (images, 0x803, 100, 28, 28, 100, FALSE);
        write_images (test_images, 0x803, 10, 4, 4, 10, FALSE);
        if (breakage == BREAK_TEST_SIZE_DIFFERS)
          write_pair (dir, "t10k", 10, 4, 4, 10, FALSE);
      }
      break;
    case BREAK_LABELS_MAGIC:
    case BREAK_TRUNCATED_LABELS:
      write_images (images, 0x803, 100, 28, 28, 100, FALSE);
      break;
    case BREAK_EMPTY_FOLDER:
      break;
    }
  return g_strdup (dir);
}

static void
test_broken (TempFolder *fixture, gconstpointer data)
{
  const BrokenCase *broken = data;
  g_autofree char *path = write_broken_case (fixture->dir, broken->breakage);
  g_autoptr(StudioDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;

  dataset = studio_dataset_open (path, NULL, &error);
  g_assert_null (dataset);
  g_assert_error (error, STUDIO_DATA_ERROR, broken->code);
  g_test_message ("%s", error->message);
  if (strstr (error->message, broken->message_part) == NULL)
    g_error ("message “%s” lacks “%s”", error->message, broken->message_part);
}

static void
test_missing_path (void)
{
  g_autoptr(GError) error = NULL;
  StudioDataset *dataset = studio_dataset_open ("/nonexistent/convstudio/fashion", NULL,
                                                &error);

  g_assert_null (dataset);
  g_assert_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/convstudio/fashion"));
}

/* ------------------------------------------------------------------ API around the reader */

static void
on_cancelled_open_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;
  StudioDataset *dataset = studio_dataset_open_finish (result, error);

  g_assert_null (dataset);
  g_assert_nonnull (*error);
}

static void
test_open_async_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  const char *folder = g_getenv ("FASHION_MNIST_DIR");

  g_cancellable_cancel (cancellable);
  studio_dataset_open_async (folder != NULL ? folder : ".", cancellable,
                             on_cancelled_open_done, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Cancelling while a file is still arriving through a pipe stops the read at the next chunk:
 * the writer cancels before sending the rest, which is far more than one read returns. */
typedef struct {
  const char *fifo_path;
  GCancellable *cancellable;
} PipeWriter;

static gpointer
write_images_slowly (gpointer user_data)
{
  const PipeWriter *writer = user_data;
  const gsize header_and_start = 16 + 100 * 784;
  const gsize total = 16 + 1000 * 784;
  g_autofree guint8 *bytes = g_malloc0 (total);
  guint32 header[4] = { GUINT32_TO_BE (0x803), GUINT32_TO_BE (1000), GUINT32_TO_BE (28),
                        GUINT32_TO_BE (28) };
  int fd = open (writer->fifo_path, O_WRONLY);

  g_assert_cmpint (fd, >=, 0);
  memcpy (bytes, header, sizeof header);
  for (gsize offset = 0; offset < total;)
    {
      gssize n_written;

      if (offset >= header_and_start && !g_cancellable_is_cancelled (writer->cancellable))
        g_cancellable_cancel (writer->cancellable);
      n_written = write (fd, bytes + offset, MIN (total - offset, 4096));
      if (n_written < 0 && errno == EINTR)
        continue;
      if (n_written <= 0)
        break; /* the reader gave up and closed its end: EPIPE */
      offset += (gsize) n_written;
    }
  close (fd);
  return NULL;
}

static void
test_cancel_during_read (TempFolder *fixture, gconstpointer data)
{
  static const char * const names[] = { "0", "1", NULL };
  g_autofree char *images = g_build_filename (fixture->dir, "pipe-images-idx3-ubyte", NULL);
  g_autofree char *labels = g_build_filename (fixture->dir, "pipe-labels-idx1-ubyte", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(StudioDataset) dataset = studio_dataset_new ("pipe", 28, 28, 1, names);
  g_autoptr(GError) error = NULL;
  PipeWriter writer = { images, cancellable };
  GThread *thread;

  signal (SIGPIPE, SIG_IGN);
  write_labels (labels, 0x801, 1000, 1000, 2, FALSE);
  g_assert_cmpint (mkfifo (images, 0600), ==, 0);
  thread = g_thread_new ("pipe-writer", write_images_slowly, &writer);

  g_assert_false (studio_dataset_read_idx_pair (dataset, STUDIO_SPLIT_TRAIN, images, labels,
                                                cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_thread_join (thread);
  g_assert_cmpuint (studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TRAIN), ==, 0);
}

static void
test_read_idx_pair_into_dataset (TempFolder *fixture, gconstpointer data)
{
  static const char * const names[] = { "even", "odd", NULL };
  g_autofree char *images = g_build_filename (fixture->dir, "a-images-idx3-ubyte", NULL);
  g_autofree char *labels = g_build_filename (fixture->dir, "a-labels-idx1-ubyte", NULL);
  g_autoptr(StudioDataset) matching = studio_dataset_new ("pairs", 2, 3, 1, names);
  g_autoptr(StudioDataset) too_small = studio_dataset_new ("small", 2, 2, 1, names);
  g_autoptr(StudioDataset) one_class = studio_dataset_new ("one", 2, 3, 1, names + 1);
  g_autoptr(GError) error = NULL;
  guint64 n_test = 0;

  write_images (images, 0x803, 6, 2, 3, 6, FALSE);
  write_labels (labels, 0x801, 6, 6, 2, TRUE);

  g_assert_true (studio_dataset_read_idx_pair (matching, STUDIO_SPLIT_TEST, images, labels,
                                               NULL, &error));
  g_assert_no_error (error);
  assert_split_pixels (matching, STUDIO_SPLIT_TEST, 6, 2, 3, 2);
  g_object_get (matching, "n-test", &n_test, NULL);
  g_assert_cmpuint (n_test, ==, 6);

  g_assert_false (studio_dataset_read_idx_pair (too_small, STUDIO_SPLIT_TRAIN, images, labels,
                                                NULL, &error));
  g_assert_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_MISMATCH);
  g_clear_error (&error);
  g_assert_false (studio_dataset_read_idx_pair (one_class, STUDIO_SPLIT_TRAIN, images, labels,
                                                NULL, &error));
  g_assert_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_MISMATCH);
  g_assert_cmpuint (studio_dataset_get_n_samples (one_class, STUDIO_SPLIT_TRAIN), ==, 0);
}

static void
on_notify_count (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  guint *n_notifications = user_data;

  (*n_notifications)++;
}

static void
test_properties (void)
{
  static const char * const names[] = { "a", "b", "c", NULL };
  g_autoptr(StudioDataset) dataset = studio_dataset_new ("three", 1, 2, 3, names);
  g_autofree char *name = NULL;
  guint n_classes = 0;
  int channels = 0;
  guint n_notifications = 0;
  guint8 *pixels = g_new0 (guint8, 4 * 6);
  gint32 *labels = g_new0 (gint32, 4);

  g_signal_connect (dataset, "notify::n-train", G_CALLBACK (on_notify_count),
                    &n_notifications);
  labels[3] = 2;
  studio_dataset_set_split (dataset, STUDIO_SPLIT_TRAIN, 4, pixels, labels, NULL);
  g_assert_cmpuint (n_notifications, ==, 1);

  g_object_get (dataset, "name", &name, "n-classes", &n_classes, "channels", &channels, NULL);
  g_assert_cmpstr (name, ==, "three");
  g_assert_cmpuint (n_classes, ==, 3);
  g_assert_cmpint (channels, ==, 3);
  g_assert_true (studio_dataset_get_pixels (dataset, STUDIO_SPLIT_TRAIN, 1) == pixels + 6);
  g_assert_cmpint (studio_dataset_get_labels (dataset, STUDIO_SPLIT_TRAIN)[3], ==, 2);
}

static void
test_default_path (void)
{
  g_setenv ("CONVSTUDIO_FASHION_MNIST_DIR", "/somewhere/else", TRUE);
  g_assert_cmpstr (studio_dataset_default_path (), ==, "/somewhere/else");
  g_unsetenv ("CONVSTUDIO_FASHION_MNIST_DIR");
  g_assert_cmpstr (studio_dataset_default_path (), ==, FASHION_MNIST_DIR);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* First, while no thread exists yet: test_default_path changes the environment. */
  g_test_add_func ("/data/dataset/default-path", test_default_path);
  g_test_add_func ("/data/dataset/properties", test_properties);

  g_test_add_func ("/data/idx/fashion-mnist/open", test_real_fashion_mnist);
  g_test_add_func ("/data/idx/fashion-mnist/open-async", test_real_open_async);
  g_test_add ("/data/idx/good/plain-pair", TempFolder, NULL, temp_folder_setup,
              test_plain_pair, temp_folder_teardown);
  g_test_add ("/data/idx/good/gzip-pairs", TempFolder, NULL, temp_folder_setup,
              test_gzip_pair, temp_folder_teardown);
  g_test_add ("/data/idx/good/fashion-names-test-prefix", TempFolder, NULL, temp_folder_setup,
              test_fashion_names_and_test_prefix, temp_folder_teardown);
  g_test_add ("/data/idx/good/single-file-named-gz-but-plain", TempFolder, NULL,
              temp_folder_setup, test_single_file_named_gz_but_plain, temp_folder_teardown);
  g_test_add ("/data/idx/good/multi-member-gzip", TempFolder, NULL, temp_folder_setup,
              test_multi_member_gzip, temp_folder_teardown);
  for (gsize i = 0; i < G_N_ELEMENTS (broken_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/data/idx/broken/%s",
                                               broken_cases[i].test_name);

      g_test_add (path, TempFolder, &broken_cases[i], temp_folder_setup, test_broken,
                  temp_folder_teardown);
    }
  g_test_add_func ("/data/idx/broken/missing-path", test_missing_path);
  g_test_add_func ("/data/idx/open-async-cancelled", test_open_async_cancelled);
  g_test_add ("/data/idx/cancel-during-read", TempFolder, NULL, temp_folder_setup,
              test_cancel_during_read, temp_folder_teardown);
  g_test_add ("/data/idx/read-idx-pair", TempFolder, NULL, temp_folder_setup,
              test_read_idx_pair_into_dataset, temp_folder_teardown);

  return g_test_run ();
}
