/* studio-atomic-file.h — files written beside their target and renamed over it, never half. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A file being written: a temporary file in the target's folder, which only replaces the
 * target when committed, after its data is on disk. A failure at any point leaves any old
 * file at the target as it was and no temporary file behind. Errors are G_IO_ERRORs that
 * name the target and say why ("Could not save “model.safetensors”: No space left on
 * device"). */
typedef struct _StudioAtomicFile StudioAtomicFile;

StudioAtomicFile *studio_atomic_file_begin  (const char        *path,
                                             GError           **error);
/* On failure the file is aborted: do not use it again. */
gboolean          studio_atomic_file_write  (StudioAtomicFile  *file,
                                             const void        *data,
                                             gsize              length,
                                             GError           **error);
/* Syncs, closes and renames over the target; frees `file` whatever the outcome. */
gboolean          studio_atomic_file_commit (StudioAtomicFile  *file,
                                             GError           **error);
/* Removes the temporary file and frees `file`. */
void              studio_atomic_file_abort  (StudioAtomicFile  *file);

/* `contents` written to `path` through a StudioAtomicFile. */
gboolean          studio_write_file_atomically (const char  *path,
                                                const char  *contents,
                                                gsize        length,
                                                GError     **error);

G_END_DECLS
