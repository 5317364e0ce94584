/* studio-image-decode.c — decodes scanned image files on worker threads into one pixel cache. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "studio-image-folder.h"

#define READ_CHUNK_BYTES (64 * 1024)
#define DEFAULT_THREADS 2
/* An outcome that is not a StudioImageSkipReason. */
#define DECODE_OK (-1)
#define DECODE_CANCELLED (-2)

/* The size the loader announced, and whether it was refused before any pixel was made. */
typedef struct {
  int width;
  int height;
  gboolean too_large;
} SizeCheck;

/* Watches JPEG markers as the bytes stream by: a complete JPEG has an end-of-image marker
 * (FFD9) after its last start-of-scan (FFDA). Entropy-coded data stuffs every FF with 00,
 * so neither marker can appear inside it. */
typedef struct {
  gboolean is_jpeg;
  gboolean previous_was_ff;
  gboolean ended;
} JpegEndCheck;

typedef struct {
  StudioImageScan     *scan;
  guint8              *cache;        /* (n, height, width, channels) */
  gsize                image_bytes;  /* height · width · channels */
  int                  height;
  int                  width;
  int                  channels;
  gint                 next_entry;   /* atomic: the next entry a worker takes */
  StudioImageProgress *progress;
  GCancellable        *cancellable;
  int                 *outcome;      /* (n): DECODE_OK or a StudioImageSkipReason */
  char               **detail;       /* (n): the decoder's words for a failure, or NULL */
} DecodeJob;

void
studio_image_resize_nearest (const guint8 *pixels,
                             int           in_height,
                             int           in_width,
                             int           in_channels,
                             int           in_stride,
                             guint8       *out,
                             int           out_height,
                             int           out_width,
                             int           out_channels)
{
  g_autofree int *source_column = NULL;
  double scale_x, scale_y, position;

  g_return_if_fail (pixels != NULL && out != NULL);
  g_return_if_fail (in_height > 0 && in_width > 0 && out_height > 0 && out_width > 0);
  g_return_if_fail (in_channels == 1 || in_channels == 3 || in_channels == 4);
  g_return_if_fail (out_channels == 1 || out_channels == 3 || out_channels == 4);

  /* Pillow's ImagingScaleAffine: the position starts at half a step and accumulates the
   * step in double precision, so source = floor((x + 0.5)·in/out) as Pillow rounds it. */
  scale_x = (double) in_width / out_width;
  source_column = g_new (int, out_width);
  position = scale_x * 0.5;
  for (int x = 0; x < out_width; x++, position += scale_x)
    source_column[x] = MIN ((int) position, in_width - 1) * in_channels;

  scale_y = (double) in_height / out_height;
  position = scale_y * 0.5;
  for (int y = 0; y < out_height; y++, position += scale_y)
    {
      const guint8 *row = pixels + (gsize) MIN ((int) position, in_height - 1) * in_stride;

      for (int x = 0; x < out_width; x++, out += out_channels)
        {
          const guint8 *source = row + source_column[x];
          guint red = source[0];
          guint green = in_channels == 1 ? red : source[1];
          guint blue = in_channels == 1 ? red : source[2];

          if (out_channels == 1)
            {
              /* PIL's convert("L"), ITU-R 601-2 luma in 16-bit fixed point. */
              out[0] = (red * 19595 + green * 38470 + blue * 7471 + 0x8000) >> 16;
              continue;
            }
          /* RGBA → RGB drops alpha without compositing, like PIL's convert("RGB"). */
          out[0] = red;
          out[1] = green;
          out[2] = blue;
          if (out_channels == 4)
            out[3] = in_channels == 4 ? source[3] : 255;
        }
    }
}

static gboolean
is_too_large (guint64 width, guint64 height)
{
  return width > STUDIO_IMAGE_MAX_SIDE || height > STUDIO_IMAGE_MAX_SIDE
         || width * height > STUDIO_IMAGE_MAX_PIXELS;
}

static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

/* libpng announces the size only when the first IDAT chunk arrives, so a PNG that declares
 * a huge size and carries no data would pass as merely truncated: read its IHDR here. */
static void
check_png_header (SizeCheck *check, const guint8 *bytes, gsize length)
{
  guint32 width, height;

  if (length < 24 || memcmp (bytes, png_signature, 8) != 0
      || memcmp (bytes + 12, "IHDR", 4) != 0)
    return;
  memcpy (&width, bytes + 16, 4);
  memcpy (&height, bytes + 20, 4);
  width = GUINT32_FROM_BE (width);
  height = GUINT32_FROM_BE (height);
  check->width = (int) MIN (width, (guint32) G_MAXINT);
  check->height = (int) MIN (height, (guint32) G_MAXINT);
  check->too_large = is_too_large (width, height);
}

static void
on_size_prepared (GdkPixbufLoader *loader, int width, int height, gpointer user_data)
{
  SizeCheck *check = user_data;

  check->width = width;
  check->height = height;
  if (is_too_large (width, height))
    {
      /* A zero size makes every loader stop before allocating the image: the same trick
       * gdk_pixbuf_get_file_info() uses to read only the header. */
      check->too_large = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
    }
}

static void
jpeg_end_check_feed (JpegEndCheck *check, const guint8 *bytes, gsize length)
{
  const guint8 *ff;

  for (gsize i = 0; i < length; i++)
    {
      if (check->previous_was_ff)
        {
          if (bytes[i] == 0xD9)
            check->ended = TRUE;
          else if (bytes[i] == 0xDA)
            check->ended = FALSE;
          check->previous_was_ff = bytes[i] == 0xFF;
          continue;
        }
      if ((ff = memchr (bytes + i, 0xFF, length - i)) == NULL)
        return;
      i = ff - bytes;
      check->previous_was_ff = TRUE;
    }
}

/* The loader error that says what kind of failure it was. */
static int
classify_loader_error (const GError *error)
{
  if (g_error_matches (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE))
    return STUDIO_IMAGE_SKIP_NOT_AN_IMAGE;
  if (g_error_matches (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_INSUFFICIENT_MEMORY))
    return STUDIO_IMAGE_SKIP_TOO_LARGE;
  return STUDIO_IMAGE_SKIP_TRUNCATED;
}

/* Streams a file into a loader; returns DECODE_OK with the loader closed, or an outcome. */
static int
feed_loader (int              fd,
             GdkPixbufLoader *loader,
             SizeCheck       *size_check,
             guint8          *buffer,
             guint8          *tail,
             GCancellable    *cancellable,
             char           **detail)
{
  g_autoptr(GError) error = NULL;
  JpegEndCheck jpeg = { FALSE, FALSE, FALSE };
  gsize total = 0;
  gssize n_read;

  while ((n_read = read (fd, buffer, READ_CHUNK_BYTES)) != 0)
    {
      if (n_read < 0 && errno == EINTR)
        continue;
      if (n_read < 0)
        {
          *detail = g_strdup (g_strerror (errno));
          gdk_pixbuf_loader_close (loader, NULL);
          return STUDIO_IMAGE_SKIP_UNREADABLE;
        }
      if (total == 0)
        {
          jpeg.is_jpeg = n_read >= 2 && buffer[0] == 0xFF && buffer[1] == 0xD8;
          check_png_header (size_check, buffer, n_read);
        }
      if (jpeg.is_jpeg)
        jpeg_end_check_feed (&jpeg, buffer, n_read);
      /* The last 8 bytes, where a PNG's IEND chunk type and CRC sit. */
      if (n_read >= 8)
        memcpy (tail, buffer + n_read - 8, 8);
      else
        {
          memmove (tail, tail + n_read, 8 - n_read);
          memcpy (tail + 8 - n_read, buffer, n_read);
        }
      total += n_read;
      if (size_check->too_large)
        break;
      if (!gdk_pixbuf_loader_write (loader, buffer, n_read, &error) || size_check->too_large
          || g_cancellable_is_cancelled (cancellable))
        break;
    }
  if (!gdk_pixbuf_loader_close (loader, error == NULL ? &error : NULL) || error != NULL)
    {
      if (size_check->too_large)
        return STUDIO_IMAGE_SKIP_TOO_LARGE;
      if (g_cancellable_is_cancelled (cancellable))
        return DECODE_CANCELLED;
      *detail = g_strdup (error->message);
      return classify_loader_error (error);
    }
  if (size_check->too_large)
    return STUDIO_IMAGE_SKIP_TOO_LARGE;
  if (g_cancellable_is_cancelled (cancellable))
    return DECODE_CANCELLED;
  if (jpeg.is_jpeg && !jpeg.ended)
    {
      *detail = g_strdup (_("The JPEG has no end-of-image marker."));
      return STUDIO_IMAGE_SKIP_TRUNCATED;
    }
  return DECODE_OK;
}

static gboolean
is_png_without_end (int fd, const guint8 *tail)
{
  guint8 head[8];

  if (pread (fd, head, sizeof head, 0) != sizeof head
      || memcmp (head, png_signature, sizeof head) != 0)
    return FALSE;
  return memcmp (tail, "IEND", 4) != 0;
}

/* The GdkPixbuf loader for the formats the scanner promises, told by their magic bytes, or
 * NULL. Choosing it ourselves keeps every other loader GdkPixbuf has (SVG, XPM, ICO, ANI,
 * TGA, …) away from files that come from the internet under an image's name. */
static const char *
sniff_format (const guint8 *head, gsize length)
{
  if (length >= 8 && memcmp (head, png_signature, 8) == 0)
    return "png";
  if (length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
    return "jpeg";
  if (length >= 6 && (memcmp (head, "GIF87a", 6) == 0 || memcmp (head, "GIF89a", 6) == 0))
    return "gif";
  if (length >= 2 && head[0] == 'B' && head[1] == 'M')
    return "bmp";
  if (length >= 2 && head[0] == 'P' && head[1] >= '1' && head[1] <= '6')
    return "pnm";
  if (length >= 12 && memcmp (head, "RIFF", 4) == 0 && memcmp (head + 8, "WEBP", 4) == 0)
    return "webp";
  if (length >= 4 && (memcmp (head, "II*\0", 4) == 0 || memcmp (head, "MM\0*", 4) == 0))
    return "tiff";
  return NULL;
}

/* GdkPixbuf's BMP loader allocates whatever its header's pixel-data offset and info-header
 * size fields say before it looks at the image size (2–3 GB for a 100-byte file, as the
 * fuzzer found): refuse an offset past the end of the file and a size no BMP version has,
 * and read the dimensions here like a PNG's IHDR. Returns DECODE_OK or an outcome. */
static int
check_bmp_header (SizeCheck *check, const guint8 *head, gsize length, goffset file_size,
                  char **detail)
{
  guint32 data_offset, info_size;
  gint32 width, height;

  if (length < 26)
    return DECODE_OK; /* the loader reports the truncation itself */
  memcpy (&data_offset, head + 10, 4);
  memcpy (&info_size, head + 14, 4);
  data_offset = GUINT32_FROM_LE (data_offset);
  info_size = GUINT32_FROM_LE (info_size);
  if ((goffset) data_offset > file_size)
    {
      *detail = g_strdup_printf (_("The BMP header puts the pixels at byte %u, past the end "
                                   "of the file."), data_offset);
      return STUDIO_IMAGE_SKIP_TRUNCATED;
    }
  if (info_size != 12 && info_size != 16 && info_size != 40 && info_size != 52
      && info_size != 56 && info_size != 64 && info_size != 108 && info_size != 124)
    {
      *detail = g_strdup_printf (_("The BMP header is corrupt (its size field says %u bytes)."),
                                 info_size);
      return STUDIO_IMAGE_SKIP_TRUNCATED;
    }
  if (info_size == 12)
    {
      width = head[18] | head[19] << 8;
      height = head[20] | head[21] << 8;
    }
  else
    {
      memcpy (&width, head + 18, 4);
      memcpy (&height, head + 22, 4);
      width = GINT32_FROM_LE (width);
      height = GINT32_FROM_LE (height);
    }
  check->width = (int) MIN (ABS ((gint64) width), G_MAXINT);
  check->height = (int) MIN (ABS ((gint64) height), G_MAXINT);
  check->too_large = is_too_large ((guint64) check->width, (guint64) check->height);
  return check->too_large ? STUDIO_IMAGE_SKIP_TOO_LARGE : DECODE_OK;
}

/* A loader for the file's format, or NULL with *outcome saying why not. */
static GdkPixbufLoader *
new_loader_for_file (int fd, goffset file_size, SizeCheck *size_check, int *outcome,
                     char **detail)
{
  g_autoptr(GError) error = NULL;
  GdkPixbufLoader *loader;
  guint8 head[26];
  gssize length = MAX (pread (fd, head, sizeof head, 0), 0);
  const char *format = sniff_format (head, length);

  *outcome = STUDIO_IMAGE_SKIP_NOT_AN_IMAGE;
  if (format == NULL)
    {
      *detail = g_strdup (_("Not a JPEG, PNG, GIF, BMP, PPM, WebP or TIFF image."));
      return NULL;
    }
  if (g_str_equal (format, "bmp")
      && (*outcome = check_bmp_header (size_check, head, length, file_size, detail))
         != DECODE_OK)
    return NULL;
  loader = gdk_pixbuf_loader_new_with_type (format, &error);
  if (loader == NULL)
    {
      *outcome = STUDIO_IMAGE_SKIP_NOT_AN_IMAGE;
      *detail = g_strdup (error->message);
    }
  return loader;
}

/* Decodes one file into `out` (height, width, channels); returns DECODE_OK or a reason. */
static int
decode_file (const char   *path,
             guint8       *out,
             int           height,
             int           width,
             int           channels,
             guint8       *buffer,
             GCancellable *cancellable,
             char        **detail)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  SizeCheck size_check = { 0, 0, FALSE };
  guint8 tail[8] = { 0 };
  GdkPixbuf *pixbuf;
  GStatBuf info;
  int outcome;
  int fd;

  /* O_NONBLOCK: a FIFO swapped in since the scan must not block the worker. */
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
  if (fd < 0)
    {
      *detail = g_strdup (g_strerror (errno));
      return STUDIO_IMAGE_SKIP_UNREADABLE;
    }
  if (fstat (fd, &info) != 0 || !S_ISREG (info.st_mode))
    {
      *detail = g_strdup (_("Not a regular file"));
      close (fd);
      return STUDIO_IMAGE_SKIP_UNREADABLE;
    }
  if (info.st_size == 0)
    {
      close (fd);
      return STUDIO_IMAGE_SKIP_ZERO_BYTES;
    }

  loader = new_loader_for_file (fd, info.st_size, &size_check, &outcome, detail);
  if (loader != NULL)
    {
      g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &size_check);
      outcome = feed_loader (fd, loader, &size_check, buffer, tail, cancellable, detail);
    }
  if (outcome == DECODE_OK && is_png_without_end (fd, tail))
    {
      *detail = g_strdup (_("The PNG has no IEND chunk."));
      outcome = STUDIO_IMAGE_SKIP_TRUNCATED;
    }
  close (fd);
  if (outcome == STUDIO_IMAGE_SKIP_TOO_LARGE && *detail == NULL)
    *detail = g_strdup_printf (_("%d × %d pixels"), size_check.width, size_check.height);
  if (outcome != DECODE_OK)
    return outcome;

  /* For an animation (GIF) this is its static image: the first frame. */
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL || gdk_pixbuf_get_bits_per_sample (pixbuf) != 8)
    {
      *detail = g_strdup (_("The decoder produced no 8-bit image."));
      return STUDIO_IMAGE_SKIP_TRUNCATED;
    }
  studio_image_resize_nearest (gdk_pixbuf_read_pixels (pixbuf),
                               gdk_pixbuf_get_height (pixbuf), gdk_pixbuf_get_width (pixbuf),
                               gdk_pixbuf_get_n_channels (pixbuf),
                               gdk_pixbuf_get_rowstride (pixbuf),
                               out, height, width, channels);
  return DECODE_OK;
}

static gpointer
decode_worker (gpointer data)
{
  DecodeJob *job = data;
  g_autofree guint8 *buffer = g_malloc (READ_CHUNK_BYTES);
  gint n_entries = job->scan->entries->len;

  while (!g_cancellable_is_cancelled (job->cancellable))
    {
      gint i = g_atomic_int_add (&job->next_entry, 1);
      const StudioImageEntry *entry;

      if (i >= n_entries)
        break;
      entry = &g_array_index (job->scan->entries, StudioImageEntry, i);
      job->outcome[i] = decode_file (entry->path, job->cache + (gsize) i * job->image_bytes,
                                     job->height, job->width, job->channels, buffer,
                                     job->cancellable, &job->detail[i]);
      if (job->progress != NULL)
        g_atomic_int_inc (&job->progress->done);
    }
  return NULL;
}

/* Runs the workers: n_threads − 1 new threads and the calling one. */
static void
decode_all (DecodeJob *job, guint n_threads)
{
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();

  for (guint t = 1; t < n_threads && t < job->scan->entries->len; t++)
    {
      GThread *thread = g_thread_try_new ("studio-decode", decode_worker, job, NULL);

      /* Without a thread the others (at least the calling one) take its share. */
      if (thread != NULL)
        g_ptr_array_add (threads, thread);
    }
  decode_worker (job);
  for (guint t = 0; t < threads->len; t++)
    g_thread_join (threads->pdata[t]);
}

/* Moves failed entries to the skipped list and packs the survivors' pixels together;
 * returns how many survived. */
static gsize
compact (DecodeJob *job, gint32 **labels, char ***filenames)
{
  GArray *entries = job->scan->entries;
  gsize n = entries->len;
  gsize kept = 0;

  *labels = g_new (gint32, MAX (n, 1));
  *filenames = g_new0 (char *, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    {
      StudioImageEntry entry = g_array_index (entries, StudioImageEntry, i);

      if (job->outcome[i] != DECODE_OK)
        {
          StudioImageSkip skip = { entry.name, job->outcome[i], g_steal_pointer (&job->detail[i]) };

          g_array_append_val (job->scan->skipped, skip);
          g_free (entry.path);
          continue;
        }
      if (kept != i)
        memmove (job->cache + kept * job->image_bytes, job->cache + i * job->image_bytes,
                 job->image_bytes);
      (*labels)[kept] = entry.label;
      (*filenames)[kept] = g_strdup (entry.name);
      g_array_index (entries, StudioImageEntry, kept++) = entry;
    }
  /* The tail holds moved-out copies: clear them so set_size frees nothing twice. */
  if (kept < n)
    memset (&g_array_index (entries, StudioImageEntry, kept), 0,
            (n - kept) * sizeof (StudioImageEntry));
  g_array_set_size (entries, kept);
  return kept;
}

static gboolean
check_target (const StudioImageScan *scan, int height, int width, int channels, GError **error)
{
  if (height <= 0 || width <= 0 || height > STUDIO_IMAGE_MAX_SIDE
      || width > STUDIO_IMAGE_MAX_SIDE || (channels != 1 && channels != 3 && channels != 4))
    {
      g_set_error (error, STUDIO_IMAGE_ERROR, STUDIO_IMAGE_ERROR_INVALID_SIZE,
                   _("Images cannot be read at %d × %d × %d (channels must be 1, 3 or 4)."),
                   height, width, channels);
      return FALSE;
    }
  if (studio_image_scan_get_cache_size (scan, height, width, channels) > G_MAXSIZE / 2)
    {
      g_set_error_literal (error, STUDIO_IMAGE_ERROR, STUDIO_IMAGE_ERROR_OUT_OF_MEMORY,
                           _("The images do not fit in memory at this size."));
      return FALSE;
    }
  return TRUE;
}

static StudioDataset *
make_dataset (StudioImageScan *scan, DecodeJob *job, GError **error)
{
  g_autofree char *name = g_path_get_basename (scan->root);
  g_autofree char *shown = g_filename_display_name (name);
  gsize n_before = scan->entries->len;
  g_autofree gint32 *labels = NULL;
  char **filenames = NULL;
  StudioDataset *dataset;
  gsize kept;

  kept = compact (job, &labels, &filenames);
  if (kept == 0)
    {
      g_free (filenames);
      g_set_error (error, STUDIO_IMAGE_ERROR, STUDIO_IMAGE_ERROR_NO_IMAGES,
                   _("None of the %u images in “%s” could be read."),
                   (guint) n_before, shown);
      return NULL;
    }
  job->cache = g_realloc (job->cache, kept * job->image_bytes);
  dataset = studio_dataset_new (shown, job->height, job->width, job->channels,
                                (const char * const *) scan->class_names);
  studio_dataset_set_source (dataset, scan->root);
  studio_dataset_set_split (dataset,
                            scan->layout == STUDIO_IMAGE_LAYOUT_UNLABELLED
                            ? STUDIO_SPLIT_TEST : STUDIO_SPLIT_TRAIN,
                            kept, g_steal_pointer (&job->cache), g_steal_pointer (&labels),
                            filenames);
  return dataset;
}

StudioDataset *
studio_image_scan_decode (StudioImageScan      *scan,
                          int                   height,
                          int                   width,
                          int                   channels,
                          guint                 n_threads,
                          StudioImageProgress  *progress,
                          GCancellable         *cancellable,
                          GError              **error)
{
  DecodeJob job = { 0 };
  StudioDataset *dataset = NULL;
  gsize n;

  g_return_val_if_fail (scan != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_target (scan, height, width, channels, error))
    return NULL;
  n = scan->entries->len;
  job = (DecodeJob) {
    .scan = scan, .height = height, .width = width, .channels = channels,
    .image_bytes = (gsize) height * width * channels, .progress = progress,
    .cancellable = cancellable,
  };
  job.cache = g_try_malloc (MAX (n, 1) * job.image_bytes);
  if (job.cache == NULL)
    {
      g_autofree char *size = g_format_size (n * job.image_bytes);

      g_set_error (error, STUDIO_IMAGE_ERROR, STUDIO_IMAGE_ERROR_OUT_OF_MEMORY,
                   _("Not enough memory for the decoded images (%s)."), size);
      return NULL;
    }
  job.outcome = g_new (int, MAX (n, 1));
  job.detail = g_new0 (char *, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    job.outcome[i] = DECODE_CANCELLED;
  if (progress != NULL)
    {
      g_atomic_int_set (&progress->total, (gint) n);
      g_atomic_int_set (&progress->done, 0);
    }

  decode_all (&job, n_threads == 0 ? DEFAULT_THREADS : n_threads);

  if (!g_cancellable_set_error_if_cancelled (cancellable, error))
    dataset = make_dataset (scan, &job, error);
  for (gsize i = 0; i < n; i++)
    g_free (job.detail[i]);
  g_free (job.detail);
  g_free (job.outcome);
  g_free (job.cache);
  return dataset;
}

typedef struct {
  StudioImageScan     *scan;
  int                  height;
  int                  width;
  int                  channels;
  guint                n_threads;
  StudioImageProgress *progress;
} DecodeTaskData;

static void
decode_task_run (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  DecodeTaskData *data = task_data;
  GError *error = NULL;
  StudioDataset *dataset;

  dataset = studio_image_scan_decode (data->scan, data->height, data->width, data->channels,
                                      data->n_threads, data->progress, cancellable, &error);
  if (dataset == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, dataset, g_object_unref);
}

void
studio_image_scan_decode_async (StudioImageScan     *scan,
                                int                  height,
                                int                  width,
                                int                  channels,
                                guint                n_threads,
                                StudioImageProgress *progress,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DecodeTaskData *data;

  g_return_if_fail (scan != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, studio_image_scan_decode_async);
  data = g_new (DecodeTaskData, 1);
  *data = (DecodeTaskData) { scan, height, width, channels, n_threads, progress };
  g_task_set_task_data (task, data, g_free);
  /* The decode reports cancellation itself, after its workers have stopped. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, decode_task_run);
}

StudioDataset *
studio_image_scan_decode_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, studio_image_scan_decode_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
