/* test-hostile.c — hostile files are refused with a clear error in bounded memory and time. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "studio-dataset.h"
#include "studio-image-folder.h"
#include "studio-model-file.h"
#include "studio-model-json.h"

/* What a reader may spend on one hostile file, beyond what the test process already had. */
#define MAX_EXTRA_RSS_KB (200 * 1024)
/* Sanitizer builds run several times slower; the bound is on the work, not on the build. */
#if defined(__SANITIZE_ADDRESS__)
#define MAX_SECONDS 40.0
#else
#define MAX_SECONDS 10.0
#endif

typedef void (*HostileInput) (const char *folder);
typedef void (*HostileRead) (const char *folder);

typedef struct {
  const char   *test_name;
  HostileInput  write_input;  /* makes the file(s), streamed so the test itself stays small */
  HostileRead   read_input;   /* runs the reader and checks its error */
} HostileCase;

static glong
peak_rss_kb (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  return usage.ru_maxrss;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* ------------------------------------------------------------------ writing inputs */

static FILE *
open_for_writing (const char *folder, const char *name)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  FILE *stream = fopen (path, "wb");

  g_assert_nonnull (stream);
  return stream;
}

static void
write_bytes (const char *folder, const char *name, const void *data, gsize size)
{
  FILE *stream = open_for_writing (folder, name);

  g_assert_cmpuint (fwrite (data, 1, size, stream), ==, size);
  g_assert_cmpint (fclose (stream), ==, 0);
}

/* A gzip file of `head` followed by n_zeros zero bytes, compressed as it is written. */
static void
write_gzip (const char *folder, const char *name, const void *head, gsize head_size,
            guint64 n_zeros)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autofree guint8 *zeros = g_malloc0 (1 << 20);
  gzFile out = gzopen (path, "wb9");

  g_assert_nonnull (out);
  g_assert_cmpint (gzwrite (out, head, (unsigned) head_size), ==, (int) head_size);
  while (n_zeros > 0)
    {
      unsigned chunk = (unsigned) MIN (n_zeros, (guint64) 1 << 20);

      g_assert_cmpint (gzwrite (out, zeros, chunk), ==, (int) chunk);
      n_zeros -= chunk;
    }
  g_assert_cmpint (gzclose (out), ==, Z_OK);
}

static void
put_be32 (guint8 *out, guint32 value)
{
  value = GUINT32_TO_BE (value);
  memcpy (out, &value, 4);
}

static void
write_png (const char *folder, const char *name)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 4, 4);
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, 0x336699ffu);
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------ .safetensors */

/* A model file with no tensors at all whose architecture is a Dense layer of 32,768 units
 * on 32,768 inputs: a billion weights the engine would allocate and initialise (8 GB with
 * gradients) although the file, a few hundred bytes, could never hold them. */
static void
write_huge_architecture (const char *folder)
{
  const char *architecture =
    "{\\\"class_name\\\": \\\"Sequential\\\", \\\"config\\\": {\\\"name\\\": \\\"big\\\", "
    "\\\"layers\\\": [{\\\"class_name\\\": \\\"Flatten\\\", \\\"config\\\": "
    "{\\\"batch_input_shape\\\": [null, 128, 256, 1]}}, {\\\"class_name\\\": \\\"Dense\\\", "
    "\\\"config\\\": {\\\"units\\\": 32768}}]}}";
  g_autofree char *header = g_strdup_printf (
    "{\"__metadata__\": {\"format\": \"convstudio\", \"format_version\": \"1\", "
    "\"architecture\": \"%s\"}}", architecture);
  guint64 length = GUINT64_TO_LE (strlen (header));
  FILE *stream = open_for_writing (folder, "big.safetensors");

  g_assert_cmpuint (fwrite (&length, 8, 1, stream), ==, 1);
  g_assert_cmpuint (fwrite (header, 1, strlen (header), stream), ==, strlen (header));
  g_assert_cmpint (fclose (stream), ==, 0);
}

/* One tensor whose shape and offsets agree on 2^63 bytes of data, in a 200-byte file. */
static void
write_huge_tensor (const char *folder)
{
  const char *header =
    "{\"dense/kernel\": {\"dtype\": \"F32\", \"shape\": [2305843009213693951], "
    "\"data_offsets\": [0, 9223372036854775804]}, \"__metadata__\": {\"format\": "
    "\"convstudio\", \"format_version\": \"1\"}}";
  guint64 length = GUINT64_TO_LE (strlen (header));
  FILE *stream = open_for_writing (folder, "big.safetensors");

  g_assert_cmpuint (fwrite (&length, 8, 1, stream), ==, 1);
  g_assert_cmpuint (fwrite (header, 1, strlen (header), stream), ==, strlen (header));
  g_assert_cmpint (fclose (stream), ==, 0);
}

static GError *
load_model_file (const char *folder)
{
  g_autofree char *path = g_build_filename (folder, "big.safetensors", NULL);
  g_autoptr(StudioModelFile) file = NULL;
  GError *error = NULL;

  file = studio_model_file_load (path, &error);
  g_assert_null (file);
  g_assert_nonnull (error);
  g_printerr ("#   %s\n", error->message);
  return error;
}

static void
read_huge_architecture (const char *folder)
{
  g_autoptr(GError) error = load_model_file (folder);

  g_assert_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "at least 1073741824 weights"));
}

static void
read_huge_tensor (const char *folder)
{
  g_autoptr(GError) error = load_model_file (folder);

  g_assert_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_TRUNCATED);
  g_assert_nonnull (strstr (error->message, "truncated"));
}

/* ------------------------------------------------------------------ model JSON */

static void
write_nothing (const char *folder)
{
}

/* Each within the per-option limits, absurd together. */
static const char * const absurd_models[] = {
  /* A billion Dense weights: refused before the engine allocates 8 GB. */
  "{\"class_name\": \"Sequential\", \"config\": {\"layers\": ["
  "{\"class_name\": \"Flatten\", \"config\": {\"batch_input_shape\": [null, 128, 256, 1]}},"
  "{\"class_name\": \"Dense\", \"config\": {\"units\": 32768}}]}}",
  /* 65,536 filters of 1,024×1,024 on 65,536 channels: 10^15 weights. */
  "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [{\"class_name\": \"Conv2D\", "
  "\"config\": {\"batch_input_shape\": [null, 1024, 1024, 65536], \"filters\": 65536, "
  "\"kernel_size\": [1024, 1024]}}]}}",
  /* A 16,384² input whose 3×3 convolution needs 2.4 billion im2col cells per sample. */
  "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [{\"class_name\": \"Conv2D\", "
  "\"config\": {\"batch_input_shape\": [null, 16384, 16384, 1], \"filters\": 65536, "
  "\"kernel_size\": 3}}]}}",
};

static void
read_absurd_models (const char *folder)
{
  for (guint i = 0; i < G_N_ELEMENTS (absurd_models); i++)
    {
      g_autoptr(GError) error = NULL;
      CnnModel *model = studio_model_new_from_json (absurd_models[i], -1, 1, &error);

      g_assert_null (model);
      g_assert_nonnull (error);
      g_assert_true (g_error_matches (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_LIMIT)
                     || g_error_matches (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_SHAPE));
      g_printerr ("#   %s\n", error->message);
    }
}

/* ------------------------------------------------------------------ images */

/* A JPEG whose frame header (SOF0) declares 60,000 × 60,000 pixels: 3.6 gigapixels. */
static void
write_jpeg_bomb (const char *folder)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 8, 8);
  g_autoptr(GError) error = NULL;
  g_autofree char *bytes = NULL;
  gsize size = 0;
  gboolean patched = FALSE;

  gdk_pixbuf_fill (pixbuf, 0x808080ffu);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &bytes, &size, "jpeg", &error, NULL));
  g_assert_no_error (error);
  for (gsize i = 2; i + 9 < size && !patched; i++)
    if ((guint8) bytes[i] == 0xFF && (guint8) bytes[i + 1] == 0xC0)
      {
        /* FFC0, length (2), precision (1), height (2), width (2). */
        bytes[i + 5] = bytes[i + 7] = (char) (60000 >> 8);
        bytes[i + 6] = bytes[i + 8] = (char) (60000 & 0xFF);
        patched = TRUE;
      }
  g_assert_true (patched);
  write_bytes (folder, "bomb.jpg", bytes, size);
}

/* A GIF whose screen and only image are 65,535 × 65,535, with a few bytes of data. */
static void
write_gif_bomb (const char *folder)
{
  static const guint8 gif[] = {
    'G', 'I', 'F', '8', '9', 'a', 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0, 0,
    0, 0, 0, 255, 255, 255,                                     /* two-colour palette */
    0x2C, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0,                /* image descriptor */
    2, 2, 0x44, 0x01, 0, 0x3B,
  };

  write_bytes (folder, "bomb.gif", gif, sizeof gif);
}

/* A 24-bit BMP whose header declares 100,000 × 100,000 pixels (30 GB) and holds 4 bytes. */
static void
write_bmp_bomb (const char *folder)
{
  guint8 bmp[58] = { 'B', 'M' };
  guint32 fields[] = { sizeof bmp, 0, 54, 40, 100000, 100000 };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      guint32 value = GUINT32_TO_LE (fields[i]);

      memcpy (bmp + 2 + 4 * i, &value, 4);
    }
  bmp[26] = 1;  /* planes */
  bmp[28] = 24; /* bits per pixel */
  write_bytes (folder, "bomb.bmp", bmp, sizeof bmp);
}

static void
read_image_bomb (const char *folder)
{
  g_autoptr(StudioImageScan) scan = NULL;
  g_autoptr(StudioDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  const StudioImageSkip *skip;

  scan = studio_image_scan_folder (folder, STUDIO_IMAGE_LAYOUT_UNLABELLED, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scan->entries->len, ==, 1);
  dataset = studio_image_scan_decode (scan, 28, 28, 3, 1, NULL, NULL, &error);
  g_assert_null (dataset);
  g_assert_error (error, STUDIO_IMAGE_ERROR, STUDIO_IMAGE_ERROR_NO_IMAGES);
  g_assert_cmpuint (scan->skipped->len, ==, 1);
  skip = &g_array_index (scan->skipped, StudioImageSkip, 0);
  g_printerr ("#   %s: %s (%s)\n", skip->name, studio_image_skip_reason_to_string (skip->reason),
                  skip->detail != NULL ? skip->detail : "");
  g_assert_cmpint (skip->reason, ==, STUDIO_IMAGE_SKIP_TOO_LARGE);
}

/* ------------------------------------------------------------------ CSV */

/* A header and a row of a million columns each, the row naming a real image. */
static void
write_million_columns (const char *folder)
{
  FILE *stream = open_for_writing (folder, "labels.csv");

  write_png (folder, "cat.1.png");
  fputs ("filename,category", stream);
  for (int i = 0; i < 1000000; i++)
    fprintf (stream, ",c%d", i);
  fputs ("\ncat.1.png,cat", stream);
  for (int i = 0; i < 1000000; i++)
    fputs (",x", stream);
  fputs ("\n", stream);
  g_assert_cmpint (fclose (stream), ==, 0);
}

static void
read_million_columns (const char *folder)
{
  g_autofree char *csv = g_build_filename (folder, "labels.csv", NULL);
  g_autoptr(StudioImageScan) scan = NULL;
  g_autoptr(GError) error = NULL;

  scan = studio_image_scan_csv (csv, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scan->entries->len, ==, 1);
  g_assert_cmpuint (scan->n_classes, ==, 1);
}

/* A header, then one line of 50 MB with no comma and no end. */
static void
write_long_line (const char *folder)
{
  g_autofree char *chunk = g_strnfill (1 << 20, 'a');
  FILE *stream = open_for_writing (folder, "labels.csv");

  fputs ("filename,category\n", stream);
  for (int i = 0; i < 50; i++)
    g_assert_cmpuint (fwrite (chunk, 1, 1 << 20, stream), ==, 1 << 20);
  g_assert_cmpint (fclose (stream), ==, 0);
}

static void
read_long_line (const char *folder)
{
  g_autofree char *csv = g_build_filename (folder, "labels.csv", NULL);
  g_autoptr(StudioImageScan) scan = NULL;
  g_autoptr(GError) error = NULL;

  scan = studio_image_scan_csv (csv, NULL, NULL, NULL, NULL, &error);
  g_assert_null (scan);
  g_assert_error (error, STUDIO_IMAGE_ERROR, STUDIO_IMAGE_ERROR_CSV);
  g_printerr ("#   %s\n", error->message);
}

/* ------------------------------------------------------------------ folders */

/* Class folders beside two links that point at each other and a tree 400 folders deep. */
static void
write_hostile_tree (const char *folder)
{
  g_autofree char *cat = g_build_filename (folder, "cat", NULL);
  g_autofree char *loop_a = g_build_filename (folder, "loop-a", NULL);
  g_autofree char *loop_b = g_build_filename (folder, "loop-b", NULL);
  g_autofree char *up = g_build_filename (cat, "up", NULL);
  GString *deep = g_string_new (folder);

  g_assert_cmpint (g_mkdir (cat, 0700), ==, 0);
  write_png (cat, "a.png");
  g_assert_cmpint (symlink ("loop-b", loop_a), ==, 0);
  g_assert_cmpint (symlink ("loop-a", loop_b), ==, 0);
  g_assert_cmpint (symlink ("..", up), ==, 0);
  g_string_append (deep, G_DIR_SEPARATOR_S "deep");
  g_assert_cmpint (g_mkdir (deep->str, 0700), ==, 0);
  write_png (deep->str, "b.png");
  for (int depth = 0; depth < 400; depth++)
    {
      g_string_append (deep, G_DIR_SEPARATOR_S "d");
      g_assert_cmpint (g_mkdir (deep->str, 0700), ==, 0);
    }
  write_png (deep->str, "bottom.png");
  g_string_free (deep, TRUE);
}

static void
read_hostile_tree (const char *folder)
{
  g_autoptr(StudioImageScan) scan = NULL;
  g_autoptr(GError) error = NULL;
  guint n_loops = 0;

  scan = studio_image_scan_folder (folder, STUDIO_IMAGE_LAYOUT_AUTO, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (scan->layout, ==, STUDIO_IMAGE_LAYOUT_CLASS_FOLDERS);
  /* One level is walked: cat/a.png and deep/b.png, not the bottom of the tree. */
  g_assert_cmpuint (scan->entries->len, ==, 2);
  for (guint i = 0; i < scan->skipped->len; i++)
    n_loops += g_array_index (scan->skipped, StudioImageSkip, i).reason
               == STUDIO_IMAGE_SKIP_SYMLINK_LOOP;
  g_assert_cmpuint (n_loops, ==, 2);
}

/* ------------------------------------------------------------------ IDX gzip bombs */

static void
idx_header (guint8 *out, gboolean images, guint32 n, guint32 rows, guint32 cols)
{
  put_be32 (out, images ? 0x803 : 0x801);
  put_be32 (out + 4, n);
  put_be32 (out + 8, rows);
  put_be32 (out + 12, cols);
}

/* Headers declaring ten million 28×28 images (7.8 GB); the images stop after 1 MB. */
static void
write_idx_ends_early (const char *folder)
{
  guint8 header[16];

  idx_header (header, FALSE, 10000000, 0, 0);
  write_gzip (folder, "train-labels-idx1-ubyte.gz", header, 8, 10000000);
  idx_header (header, TRUE, 10000000, 28, 28);
  write_gzip (folder, "train-images-idx3-ubyte.gz", header, 16, 1 << 20);
}

/* Ten 28×28 images, then 256 MB of zeros in a file of a quarter of a megabyte. */
static void
write_idx_gzip_bomb (const char *folder)
{
  guint8 header[16];

  idx_header (header, FALSE, 10, 0, 0);
  write_gzip (folder, "train-labels-idx1-ubyte.gz", header, 8, 10);
  idx_header (header, TRUE, 10, 28, 28);
  write_gzip (folder, "train-images-idx3-ubyte.gz", header, 16, 10 * 28 * 28 + (256u << 20));
}

static GError *
open_idx (const char *folder)
{
  g_autoptr(StudioDataset) dataset = NULL;
  GError *error = NULL;

  dataset = studio_dataset_open (folder, NULL, &error);
  g_assert_null (dataset);
  g_assert_nonnull (error);
  g_printerr ("#   %s\n", error->message);
  return error;
}

static void
read_idx_ends_early (const char *folder)
{
  g_autoptr(GError) error = open_idx (folder);

  g_assert_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_TRUNCATED);
  g_assert_nonnull (strstr (error->message, "of 10000000 images"));
}

static void
read_idx_gzip_bomb (const char *folder)
{
  g_autoptr(GError) error = open_idx (folder);

  g_assert_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "after the items its header declares"));
}

/* ------------------------------------------------------------------ the runner */

static const HostileCase hostile_cases[] = {
  { "safetensors/tiny-file-huge-architecture", write_huge_architecture, read_huge_architecture },
  { "safetensors/huge-tensor", write_huge_tensor, read_huge_tensor },
  { "model-json/absurd-but-within-option-limits", write_nothing, read_absurd_models },
  { "image/jpeg-60000x60000", write_jpeg_bomb, read_image_bomb },
  { "image/gif-65535x65535", write_gif_bomb, read_image_bomb },
  { "image/bmp-100000x100000", write_bmp_bomb, read_image_bomb },
  { "csv/million-columns", write_million_columns, read_million_columns },
  { "csv/50-mb-line", write_long_line, read_long_line },
  { "folder/link-loops-and-deep-tree", write_hostile_tree, read_hostile_tree },
  { "idx/gzip-declares-10m-images-ends-early", write_idx_ends_early, read_idx_ends_early },
  { "idx/gzip-bomb-after-the-data", write_idx_gzip_bomb, read_idx_gzip_bomb },
};

/* In a child process of its own, so that its peak memory is its own: the reader may add at
 * most MAX_EXTRA_RSS_KB to the peak the process had before it, and take MAX_SECONDS. */
static void
test_hostile (gconstpointer data)
{
  const HostileCase *hostile = data;
  g_autofree char *folder = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = NULL;
  glong rss_before;
  double seconds;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }
  folder = g_dir_make_tmp ("convstudio-hostile-XXXXXX", &error);
  g_assert_no_error (error);
  hostile->write_input (folder);

  rss_before = peak_rss_kb ();
  timer = g_timer_new ();
  hostile->read_input (folder);
  seconds = g_timer_elapsed (timer, NULL);
  /* On stderr: the child's stdout is not shown, and its stderr does not disturb TAP. */
  g_printerr ("# %s: %.2f s, peak memory %+ld kB\n", hostile->test_name, seconds,
                  peak_rss_kb () - rss_before);
  g_assert_cmpfloat (seconds, <, MAX_SECONDS);
  g_assert_cmpint (peak_rss_kb () - rss_before, <, MAX_EXTRA_RSS_KB);
  remove_tree (folder);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (hostile_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/fuzz/hostile/%s", hostile_cases[i].test_name);

      g_test_add_data_func (path, &hostile_cases[i], test_hostile);
    }
  return g_test_run ();
}
