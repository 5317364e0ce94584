/* fuzz-common.c — temp files, gzip and logging shared by the fuzz harnesses. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <stdlib.h>
#include <zlib.h>

#include <glib/gstdio.h>
#include <gio/gio.h>

#include "fuzz-common.h"

static char *temp_folder;

static void
remove_tree (GFile *folder)
{
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;
  GFile *child;

  children = g_file_enumerate_children (folder, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL
         && g_file_enumerator_iterate (children, &info, &child, NULL, NULL)
         && info != NULL)
    {
      if (!g_file_delete (child, NULL, NULL))
        remove_tree (child);
    }
  g_file_delete (folder, NULL, NULL);
}

static void
remove_temp_folder (void)
{
  g_autoptr(GFile) folder = NULL;

  if (temp_folder == NULL)
    return;
  folder = g_file_new_for_path (temp_folder);
  remove_tree (folder);
  g_clear_pointer (&temp_folder, g_free);
}

const char *
fuzz_temp_folder (void)
{
  g_autoptr(GError) error = NULL;

  if (temp_folder != NULL)
    return temp_folder;
  temp_folder = g_dir_make_tmp ("convstudio-fuzz-XXXXXX", &error);
  g_assert_no_error (error);
  atexit (remove_temp_folder);
  return temp_folder;
}

char *
fuzz_write_file (const char *folder,
                 const char *name,
                 const void *data,
                 size_t      size)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (folder, name, NULL);

  g_unlink (path);
  g_file_set_contents (path, data, (gssize) size, &error);
  g_assert_no_error (error);
  return path;
}

GBytes *
fuzz_gzip (const void *data,
           size_t      size)
{
  z_stream stream = { 0 };
  guint8 *out;
  gsize capacity;

  g_assert_cmpint (deflateInit2 (&stream, 1, Z_DEFLATED, 16 + MAX_WBITS, 8,
                                 Z_DEFAULT_STRATEGY), ==, Z_OK);
  capacity = deflateBound (&stream, size);
  out = g_malloc (capacity);
  stream.next_in = (Bytef *) data;
  stream.avail_in = (uInt) size;
  stream.next_out = out;
  stream.avail_out = (uInt) capacity;
  g_assert_cmpint (deflate (&stream, Z_FINISH), ==, Z_STREAM_END);
  deflateEnd (&stream);
  return g_bytes_new_take (out, stream.total_out);
}

/* A third-party decoder may warn about the bytes it was given; that is its business. Our
 * code, GLib and GIO warn only when they are misused: such a message is a bug. */
static void
fuzz_log_handler (const char     *domain,
                  GLogLevelFlags  level,
                  const char     *message,
                  gpointer        user_data)
{
  gboolean serious = (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL
                               | G_LOG_LEVEL_WARNING)) != 0;
  gboolean from_decoder = domain != NULL && g_str_has_prefix (domain, "GdkPixbuf");

  if (!serious)
    return;
  g_printerr ("%s-%s: %s\n", domain != NULL ? domain : "ConvStudio",
              (level & G_LOG_LEVEL_WARNING) != 0 ? "WARNING" : "CRITICAL", message);
  if (!from_decoder)
    abort ();
}

void
fuzz_init_logging (void)
{
  static gboolean done;

  if (done)
    return;
  done = TRUE;
  g_log_set_default_handler (fuzz_log_handler, NULL);
}

void
fuzz_report (const char   *outcome,
             const GError *error)
{
  static int verbose = -1;

  if (verbose < 0)
    verbose = g_getenv ("FUZZ_VERBOSE") != NULL;
  if (verbose)
    g_printerr ("  %s%s%s\n", outcome, error != NULL ? ": " : "",
                error != NULL ? error->message : "");
}
