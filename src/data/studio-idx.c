/* studio-idx.c — IDX file reader: plain or gzip, streamed, with checked headers. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>
#include <zlib.h>

#include <glib/gi18n-lib.h>

#include "studio-dataset.h"
#include "studio-idx-private.h"

#define IDX_IMAGES_MAGIC 0x00000803u /* unsigned byte, 3 dimensions */
#define IDX_LABELS_MAGIC 0x00000801u /* unsigned byte, 1 dimension */

/* How much compressed input is read at once, and how much is decoded between two looks at
 * the GCancellable: large enough to keep zlib busy, small enough to cancel promptly. */
#define INPUT_CHUNK_SIZE (1024 * 1024)
#define OUTPUT_CHUNK_SIZE (4 * 1024 * 1024)

/* Deflate cannot expand data by more than about 1032:1, so a gzip file of S bytes holds
 * at most this many times S bytes: an upper bound on what a header may claim. */
#define GZIP_MAX_EXPANSION 1032u

/* A file being read front to back, decompressing on the fly when it starts with the gzip
 * magic bytes. The buffered input sits at zstream.next_in / avail_in in both modes. */
typedef struct {
  GInputStream *input;
  char *display_name;
  guint64 file_size;       /* 0 when unknown */
  guint8 *input_buffer;    /* (INPUT_CHUNK_SIZE) */
  z_stream zstream;
  gboolean compressed;
  gboolean input_eof;
  gboolean stream_end;     /* the last gzip member ended */
} IdxStream;

static void
idx_stream_free (IdxStream *stream)
{
  if (stream->compressed)
    inflateEnd (&stream->zstream);
  g_clear_object (&stream->input);
  g_free (stream->display_name);
  g_free (stream->input_buffer);
  g_free (stream);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IdxStream, idx_stream_free)

static gboolean
propagate_read_error (IdxStream *stream, GError *read_error, GError **error)
{
  if (g_error_matches (read_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, read_error);
      return FALSE;
    }
  g_propagate_prefixed_error (error, read_error, _("Could not read “%s”: "),
                              stream->display_name);
  return FALSE;
}

/* Refills the input buffer once it is used up; at the end of the file it stays empty and
 * input_eof is set. */
static gboolean
idx_stream_fill (IdxStream *stream, GCancellable *cancellable, GError **error)
{
  g_autoptr(GError) read_error = NULL;
  gssize n_read;

  if (stream->zstream.avail_in > 0 || stream->input_eof)
    return TRUE;

  n_read = g_input_stream_read (stream->input, stream->input_buffer, INPUT_CHUNK_SIZE,
                                cancellable, &read_error);
  if (n_read < 0)
    return propagate_read_error (stream, g_steal_pointer (&read_error), error);

  stream->zstream.next_in = stream->input_buffer;
  stream->zstream.avail_in = (uInt) n_read;
  stream->input_eof = n_read == 0;
  return TRUE;
}

static gboolean
set_compression_error (IdxStream *stream, GError **error)
{
  g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_COMPRESSION,
               _("The compressed data in “%s” is corrupt (%s)"), stream->display_name,
               stream->zstream.msg != NULL ? stream->zstream.msg : _("unreadable gzip stream"));
  return FALSE;
}

static IdxStream *
idx_stream_open (const char *path, GCancellable *cancellable, GError **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(IdxStream) stream = g_new0 (IdxStream, 1);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) open_error = NULL;
  GFileInputStream *file_input;

  stream->display_name = g_filename_display_basename (path);
  file_input = g_file_read (file, cancellable, &open_error);
  if (file_input == NULL)
    {
      if (g_error_matches (open_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_NOT_FOUND,
                     _("The file “%s” does not exist"), stream->display_name);
      else if (g_error_matches (open_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&open_error));
      else
        g_propagate_prefixed_error (error, g_steal_pointer (&open_error),
                                    _("Could not open “%s”: "), stream->display_name);
      return NULL;
    }
  stream->input = G_INPUT_STREAM (file_input);

  info = g_file_input_stream_query_info (file_input, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                         cancellable, NULL);
  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    stream->file_size = (guint64) MAX (g_file_info_get_size (info), 0);

  stream->input_buffer = g_malloc (INPUT_CHUNK_SIZE);
  if (!idx_stream_fill (stream, cancellable, error))
    return NULL;

  /* gzip is recognised by its magic bytes, whatever the file is called. */
  if (stream->zstream.avail_in >= 2
      && stream->input_buffer[0] == 0x1f && stream->input_buffer[1] == 0x8b)
    {
      if (inflateInit2 (&stream->zstream, 16 + MAX_WBITS) != Z_OK)
        {
          set_compression_error (stream, error);
          return NULL;
        }
      stream->compressed = TRUE;
    }
  return g_steal_pointer (&stream);
}

/* The most data the rest of the file can hold once `consumed` bytes have been read; used to
 * refuse a header that claims more than the file could possibly contain. */
static guint64
idx_stream_max_remaining (IdxStream *stream, guint64 consumed)
{
  if (stream->file_size == 0)
    return G_MAXUINT64;
  if (stream->compressed)
    return stream->file_size * GZIP_MAX_EXPANSION;
  return stream->file_size > consumed ? stream->file_size - consumed : 0;
}

/* After a gzip member ends, another may follow (as with `cat a.gz b.gz`); anything else
 * after the data is ignored, as gzip itself does. */
static gboolean
idx_stream_next_member (IdxStream *stream, GCancellable *cancellable, GError **error)
{
  if (!idx_stream_fill (stream, cancellable, error))
    return FALSE;
  if (stream->zstream.avail_in >= 2
      && stream->zstream.next_in[0] == 0x1f && stream->zstream.next_in[1] == 0x8b)
    {
      if (inflateReset (&stream->zstream) != Z_OK)
        return set_compression_error (stream, error);
      return TRUE;
    }
  stream->stream_end = TRUE;
  return TRUE;
}

static gboolean
idx_stream_read_plain (IdxStream *stream, guint8 *destination, gsize length, gsize *n_read,
                       GCancellable *cancellable, GError **error)
{
  gsize buffered = MIN (length, stream->zstream.avail_in);

  memcpy (destination, stream->zstream.next_in, buffered);
  stream->zstream.next_in += buffered;
  stream->zstream.avail_in -= buffered;
  *n_read = buffered;

  while (*n_read < length && !stream->input_eof)
    {
      g_autoptr(GError) read_error = NULL;
      gsize wanted = MIN (length - *n_read, OUTPUT_CHUNK_SIZE);
      gsize got = 0;

      if (!g_input_stream_read_all (stream->input, destination + *n_read, wanted, &got,
                                    cancellable, &read_error))
        return propagate_read_error (stream, g_steal_pointer (&read_error), error);
      *n_read += got;
      stream->input_eof = got < wanted;
    }
  return TRUE;
}

static gboolean
idx_stream_read_compressed (IdxStream *stream, guint8 *destination, gsize length,
                            gsize *n_read, GCancellable *cancellable, GError **error)
{
  *n_read = 0;
  while (*n_read < length && !stream->stream_end)
    {
      gsize chunk = MIN (length - *n_read, OUTPUT_CHUNK_SIZE);
      int status;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!idx_stream_fill (stream, cancellable, error))
        return FALSE;
      if (stream->zstream.avail_in == 0)
        break; /* the file ends inside the compressed stream: the caller sees a short read */

      stream->zstream.next_out = destination + *n_read;
      stream->zstream.avail_out = (uInt) chunk;
      status = inflate (&stream->zstream, Z_NO_FLUSH);
      *n_read += chunk - stream->zstream.avail_out;

      if (status == Z_STREAM_END)
        {
          if (!idx_stream_next_member (stream, cancellable, error))
            return FALSE;
        }
      else if (status != Z_OK && status != Z_BUF_ERROR)
        return set_compression_error (stream, error);
    }
  return TRUE;
}

/* Reads up to `length` bytes; fewer only at the end of the data. */
static gboolean
idx_stream_read (IdxStream *stream, guint8 *destination, gsize length, gsize *n_read,
                 GCancellable *cancellable, GError **error)
{
  if (stream->compressed)
    return idx_stream_read_compressed (stream, destination, length, n_read, cancellable,
                                       error);
  return idx_stream_read_plain (stream, destination, length, n_read, cancellable, error);
}

/* Decodes whatever follows the data so that gzip's checksum at the very end is verified:
 * a download with a flipped bit must not load as a dataset with a wrong pixel. What follows
 * is bounded: a small file that inflates to gigabytes past its declared data (a gzip bomb)
 * is refused instead of being decompressed for minutes. */
static gboolean
idx_stream_finish (IdxStream *stream, GCancellable *cancellable, GError **error)
{
  g_autofree guint8 *scratch = NULL;
  guint64 n_trailing = 0;

  if (!stream->compressed)
    return TRUE;

  scratch = g_malloc (64 * 1024);
  while (!stream->stream_end)
    {
      gsize n_read = 0;

      if (!idx_stream_read_compressed (stream, scratch, 64 * 1024, &n_read, cancellable,
                                       error))
        return FALSE;
      n_trailing += n_read;
      if (n_trailing > STUDIO_IDX_MAX_TRAILING_BYTES)
        {
          g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_FORMAT,
                       _("“%s” holds more than %u MB of data after the items its header "
                         "declares: it is not an IDX file"),
                       stream->display_name, STUDIO_IDX_MAX_TRAILING_BYTES >> 20);
          return FALSE;
        }
      if (n_read == 0 && !stream->stream_end)
        {
          g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_TRUNCATED,
                       _("“%s” is incomplete: its compressed data stops before the end"),
                       stream->display_name);
          return FALSE;
        }
    }
  return TRUE;
}

/* ------------------------------------------------------------------ headers */

typedef struct {
  gboolean is_images;
  guint32 n_items;
  guint32 rows;   /* images only */
  guint32 cols;
  guint64 header_size;
} IdxHeader;

static gboolean
read_header_words (IdxStream *stream, guint32 *words, guint n_words, GCancellable *cancellable,
                   GError **error)
{
  gsize n_read = 0;

  if (!idx_stream_read (stream, (guint8 *) words, n_words * sizeof (guint32), &n_read,
                        cancellable, error))
    return FALSE;
  if (n_read < n_words * sizeof (guint32))
    {
      g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_TRUNCATED,
                   _("“%s” is too short to be an IDX file: it ends inside its header"),
                   stream->display_name);
      return FALSE;
    }
  for (guint i = 0; i < n_words; i++)
    words[i] = GUINT32_FROM_BE (words[i]);
  return TRUE;
}

static gboolean
check_magic (IdxStream *stream, gboolean is_images, guint32 magic, GError **error)
{
  if (is_images && magic != IDX_IMAGES_MAGIC)
    g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_FORMAT,
                 _("“%s” is not an IDX image file (magic number 0x%08X; expected 0x%08X)"),
                 stream->display_name, magic, IDX_IMAGES_MAGIC);
  else if (!is_images && magic != IDX_LABELS_MAGIC)
    g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_FORMAT,
                 _("“%s” is not an IDX label file (magic number 0x%08X; expected 0x%08X)"),
                 stream->display_name, magic, IDX_LABELS_MAGIC);
  else
    return TRUE;
  return FALSE;
}

static gboolean
check_image_dimensions (IdxStream *stream, const IdxHeader *header, GError **error)
{
  if (header->n_items == 0)
    {
      g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_EMPTY,
                   _("“%s” holds no images"), stream->display_name);
      return FALSE;
    }
  if (header->rows == 0 || header->cols == 0
      || (guint64) header->rows * header->cols > STUDIO_IDX_MAX_PIXELS_PER_IMAGE)
    {
      g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_FORMAT,
                   _("“%s” declares images of %u×%u pixels, which is not a usable size "
                     "(at most 4096×4096)"),
                   stream->display_name, header->rows, header->cols);
      return FALSE;
    }
  if (header->n_items > STUDIO_IDX_MAX_IMAGES)
    {
      g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_FORMAT,
                   _("“%s” declares %u images, more than the %u ConvStudio can hold"),
                   stream->display_name, header->n_items, STUDIO_IDX_MAX_IMAGES);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_header (IdxStream *stream, gboolean is_images, IdxHeader *header,
             GCancellable *cancellable, GError **error)
{
  guint32 words[3];

  header->is_images = is_images;
  if (!read_header_words (stream, words, 1, cancellable, error)
      || !check_magic (stream, is_images, words[0], error))
    return FALSE;

  if (!read_header_words (stream, words, is_images ? 3 : 1, cancellable, error))
    return FALSE;
  header->n_items = words[0];
  header->rows = is_images ? words[1] : 1;
  header->cols = is_images ? words[2] : 1;
  header->header_size = is_images ? 16 : 8;

  if (is_images)
    return check_image_dimensions (stream, header, error);
  if (header->n_items == 0)
    {
      g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_EMPTY,
                   _("“%s” holds no labels"), stream->display_name);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ bodies */

/* Reads n_items × rows × cols bytes; the buffer is never larger than the file could fill,
 * so a lying header costs an error message, not gigabytes of memory. */
static guint8 *
read_body (IdxStream *stream, const IdxHeader *header, GCancellable *cancellable,
           GError **error)
{
  guint64 item_size = (guint64) header->rows * header->cols;
  guint64 expected = item_size * header->n_items;
  guint64 capacity = MIN (expected, idx_stream_max_remaining (stream, header->header_size));
  g_autofree guint8 *body = NULL;
  gsize n_read = 0;

  if (capacity > G_MAXSIZE - 1)
    capacity = G_MAXSIZE - 1;
  body = g_try_malloc (MAX (capacity, 1));
  if (body == NULL)
    {
      g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_FORMAT,
                   _("Not enough memory to read the %u items of “%s”"),
                   header->n_items, stream->display_name);
      return NULL;
    }
  if (!idx_stream_read (stream, body, capacity, &n_read, cancellable, error))
    return NULL;

  if (n_read < expected)
    {
      guint64 n_complete = n_read / item_size;

      if (header->is_images)
        g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_TRUNCATED,
                     _("“%s” ends after %u of %u images"),
                     stream->display_name, (guint) n_complete, header->n_items);
      else
        g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_TRUNCATED,
                     _("“%s” ends after %u of %u labels"),
                     stream->display_name, (guint) n_complete, header->n_items);
      return NULL;
    }
  if (!idx_stream_finish (stream, cancellable, error))
    return NULL;
  return g_steal_pointer (&body);
}

void
studio_idx_pair_clear (StudioIdxPair *pair)
{
  g_clear_pointer (&pair->pixels, g_free);
  g_clear_pointer (&pair->labels, g_free);
  memset (pair, 0, sizeof *pair);
}

static gint32 *
widen_labels (const guint8 *bytes, guint32 n, guint32 *n_classes)
{
  gint32 *labels = g_new (gint32, n);
  guint8 max_label = 0;

  /* Unsigned-byte labels are at most 255: at most 256 classes, under the cap of 1,000. */
  for (guint32 i = 0; i < n; i++)
    {
      labels[i] = bytes[i];
      max_label = MAX (max_label, bytes[i]);
    }
  *n_classes = (guint32) max_label + 1;
  return labels;
}

gboolean
studio_idx_read_pair (const char    *images_path,
                      const char    *labels_path,
                      GCancellable  *cancellable,
                      StudioIdxPair *pair,
                      GError       **error)
{
  g_autoptr(IdxStream) images = NULL;
  g_autoptr(IdxStream) labels = NULL;
  g_autofree guint8 *label_bytes = NULL;
  IdxHeader images_header, labels_header;

  g_return_val_if_fail (images_path != NULL, FALSE);
  g_return_val_if_fail (labels_path != NULL, FALSE);
  g_return_val_if_fail (pair != NULL, FALSE);

  memset (pair, 0, sizeof *pair);
  images = idx_stream_open (images_path, cancellable, error);
  if (images == NULL || !read_header (images, TRUE, &images_header, cancellable, error))
    return FALSE;
  labels = idx_stream_open (labels_path, cancellable, error);
  if (labels == NULL || !read_header (labels, FALSE, &labels_header, cancellable, error))
    return FALSE;

  if (images_header.n_items != labels_header.n_items)
    {
      g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_MISMATCH,
                   _("“%s” holds %u images but “%s” holds %u labels"),
                   images->display_name, images_header.n_items,
                   labels->display_name, labels_header.n_items);
      return FALSE;
    }

  label_bytes = read_body (labels, &labels_header, cancellable, error);
  if (label_bytes == NULL)
    return FALSE;
  pair->pixels = read_body (images, &images_header, cancellable, error);
  if (pair->pixels == NULL)
    return FALSE;

  pair->n_images = images_header.n_items;
  pair->rows = images_header.rows;
  pair->cols = images_header.cols;
  pair->labels = widen_labels (label_bytes, labels_header.n_items, &pair->n_classes);
  return TRUE;
}
