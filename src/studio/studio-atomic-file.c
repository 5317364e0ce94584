/* studio-atomic-file.c — files written beside their target and renamed over it, never half. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "studio-atomic-file.h"

struct _StudioAtomicFile {
  char *path;       /* the target */
  char *temp_path;  /* beside it: ".name.XXXXXX" */
  int fd;
};

static void
set_error (GError           **error,
           int                saved_errno,
           const char        *path)
{
  g_autofree char *display_name = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not save “%s”: %s"), display_name, g_strerror (saved_errno));
}

StudioAtomicFile *
studio_atomic_file_begin (const char  *path,
                          GError     **error)
{
  g_autofree char *folder = NULL;
  g_autofree char *base_name = NULL;
  StudioAtomicFile *file;

  g_return_val_if_fail (path != NULL, NULL);

  folder = g_path_get_dirname (path);
  base_name = g_path_get_basename (path);
  file = g_new0 (StudioAtomicFile, 1);
  file->path = g_strdup (path);
  file->temp_path = g_strdup_printf ("%s%c.%s.XXXXXX", folder, G_DIR_SEPARATOR, base_name);
  file->fd = g_mkstemp_full (file->temp_path, O_WRONLY | O_CLOEXEC, 0666);
  if (file->fd < 0)
    {
      set_error (error, errno, path);
      g_free (file->path);
      g_free (file->temp_path);
      g_free (file);
      return NULL;
    }
  return file;
}

void
studio_atomic_file_abort (StudioAtomicFile *file)
{
  if (file == NULL)
    return;
  if (file->fd >= 0)
    close (file->fd);
  g_unlink (file->temp_path);
  g_free (file->path);
  g_free (file->temp_path);
  g_free (file);
}

gboolean
studio_atomic_file_write (StudioAtomicFile  *file,
                          const void        *data,
                          gsize              length,
                          GError           **error)
{
  const char *bytes = data;

  g_return_val_if_fail (file != NULL, FALSE);

  while (length > 0)
    {
      gssize written = write (file->fd, bytes, MIN (length, (gsize) 1 << 30));

      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        {
          set_error (error, written < 0 ? errno : ENOSPC, file->path);
          studio_atomic_file_abort (file);
          return FALSE;
        }
      bytes += written;
      length -= (gsize) written;
    }
  return TRUE;
}

gboolean
studio_atomic_file_commit (StudioAtomicFile  *file,
                           GError           **error)
{
  int fd;

  g_return_val_if_fail (file != NULL, FALSE);

  /* The data must be on disk before the rename makes it the file. */
  if (fsync (file->fd) != 0)
    {
      set_error (error, errno, file->path);
      studio_atomic_file_abort (file);
      return FALSE;
    }
  fd = file->fd;
  file->fd = -1;
  if (close (fd) != 0 || g_rename (file->temp_path, file->path) != 0)
    {
      set_error (error, errno, file->path);
      studio_atomic_file_abort (file);
      return FALSE;
    }
  g_free (file->path);
  g_free (file->temp_path);
  g_free (file);
  return TRUE;
}

gboolean
studio_write_file_atomically (const char  *path,
                              const char  *contents,
                              gsize        length,
                              GError     **error)
{
  StudioAtomicFile *file;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL || length == 0, FALSE);

  file = studio_atomic_file_begin (path, error);
  return file != NULL && studio_atomic_file_write (file, contents, length, error)
         && studio_atomic_file_commit (file, error);
}
