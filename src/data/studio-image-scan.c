/* studio-image-scan.c — lists an image folder or a CSV into classes and files, no decoding. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "studio-image-folder.h"

G_DEFINE_QUARK (studio-image-error-quark, studio_image_error)

/* Keras's white list (png, jpg, jpeg, bmp, ppm, tif, tiff) plus what GdkPixbuf reads too. */
static const char * const image_extensions[] = {
  "jpg", "jpeg", "png", "bmp", "ppm", "gif", "webp", "tif", "tiff",
};

const char *
studio_image_skip_reason_to_string (StudioImageSkipReason reason)
{
  switch (reason)
    {
    case STUDIO_IMAGE_SKIP_NOT_AN_IMAGE:
      return _("not an image");
    case STUDIO_IMAGE_SKIP_ZERO_BYTES:
      return _("zero bytes");
    case STUDIO_IMAGE_SKIP_TRUNCATED:
      return _("truncated or corrupt");
    case STUDIO_IMAGE_SKIP_UNREADABLE:
      return _("unreadable");
    case STUDIO_IMAGE_SKIP_TOO_LARGE:
      return _("too large");
    case STUDIO_IMAGE_SKIP_SYMLINK_LOOP:
      return _("symlink loop");
    case STUDIO_IMAGE_SKIP_NO_CLASS:
      return _("no class");
    case STUDIO_IMAGE_SKIP_MISSING:
      return _("missing");
    default:
      g_return_val_if_reached (_("unreadable"));
    }
}

static void
entry_clear (gpointer data)
{
  StudioImageEntry *entry = data;

  g_clear_pointer (&entry->path, g_free);
  g_clear_pointer (&entry->name, g_free);
}

static void
skip_clear (gpointer data)
{
  StudioImageSkip *skip = data;

  g_clear_pointer (&skip->name, g_free);
  g_clear_pointer (&skip->detail, g_free);
}

static StudioImageScan *
scan_new (const char *root, StudioImageLayout layout)
{
  StudioImageScan *scan = g_new0 (StudioImageScan, 1);

  scan->root = g_strdup (root);
  scan->layout = layout;
  scan->class_names = g_new0 (char *, 1);
  scan->entries = g_array_new (FALSE, TRUE, sizeof (StudioImageEntry));
  g_array_set_clear_func (scan->entries, entry_clear);
  scan->skipped = g_array_new (FALSE, TRUE, sizeof (StudioImageSkip));
  g_array_set_clear_func (scan->skipped, skip_clear);
  return scan;
}

void
studio_image_scan_free (StudioImageScan *scan)
{
  if (scan == NULL)
    return;
  g_free (scan->root);
  g_strfreev (scan->class_names);
  g_array_unref (scan->entries);
  g_array_unref (scan->skipped);
  g_free (scan);
}

static void
scan_skip (StudioImageScan       *scan,
           const char            *name,
           StudioImageSkipReason  reason,
           const char            *detail)
{
  StudioImageSkip skip = { g_strdup (name), reason, g_strdup (detail) };

  g_array_append_val (scan->skipped, skip);
}

/* The entry takes `name`; `class_name` is collected into class_of_entry until the classes
 * are known and the labels can be numbered. */
static void
scan_add (StudioImageScan *scan,
          const char      *path,
          char            *name,
          GPtrArray       *class_of_entry,
          const char      *class_name)
{
  StudioImageEntry entry = { g_strdup (path), name, -1 };

  g_array_append_val (scan->entries, entry);
  if (class_of_entry != NULL)
    g_ptr_array_add (class_of_entry, g_strdup (class_name));
}

static gboolean
has_image_extension (const char *name)
{
  const char *dot = strrchr (name, '.');

  if (dot == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (image_extensions); i++)
    if (g_ascii_strcasecmp (dot + 1, image_extensions[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Kaggle's "<word>.<digits>.<ext>", e.g. "cat.12.jpg". */
static gboolean
is_kaggle_name (const char *name)
{
  const char *first_dot = strchr (name, '.');
  const char *last_dot = strrchr (name, '.');

  if (first_dot == NULL || first_dot == name || first_dot == last_dot)
    return FALSE;
  if (last_dot == first_dot + 1)
    return FALSE;
  for (const char *digit = first_dot + 1; digit < last_dot; digit++)
    if (!g_ascii_isdigit (*digit))
      return FALSE;
  return TRUE;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The names in a folder, sorted by their bytes (strcmp: Python's sorted() on UTF-8 str). */
static GPtrArray *
list_folder (const char *path, GError **error)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, error);
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (dir == NULL)
    return NULL;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return g_steal_pointer (&names);
}

typedef enum {
  FILE_KIND_REGULAR,
  FILE_KIND_FOLDER,
  FILE_KIND_OTHER,    /* a FIFO, socket or device: opening it could block */
  FILE_KIND_LOOP,
  FILE_KIND_BROKEN,   /* stat failed: dangling link, permissions */
} FileKind;

/* Follows symlinks, so a link to a folder is a folder and a self-referencing link is a loop
 * the kernel reports (ELOOP) instead of a walk that never ends. */
static FileKind
file_kind (const char *path, int *saved_errno)
{
  GStatBuf info;

  if (g_stat (path, &info) != 0)
    {
      *saved_errno = errno;
      return *saved_errno == ELOOP ? FILE_KIND_LOOP : FILE_KIND_BROKEN;
    }
  if (S_ISDIR (info.st_mode))
    return FILE_KIND_FOLDER;
  return S_ISREG (info.st_mode) ? FILE_KIND_REGULAR : FILE_KIND_OTHER;
}

/* Sorts and numbers the classes met, then labels every entry: class_of_entry[i] is the
 * class of entry i (it may list further classes that have no entry). */
static void
scan_number_classes (StudioImageScan *scan, GPtrArray *class_of_entry)
{
  g_autoptr(GHashTable) index_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < class_of_entry->len; i++)
    if (!g_hash_table_contains (index_of, class_of_entry->pdata[i]))
      {
        g_hash_table_add (index_of, class_of_entry->pdata[i]);
        g_ptr_array_add (names, class_of_entry->pdata[i]);
      }
  g_ptr_array_sort (names, compare_names);

  g_strfreev (scan->class_names);
  scan->n_classes = names->len;
  scan->class_names = g_new0 (char *, names->len + 1);
  for (guint c = 0; c < names->len; c++)
    {
      scan->class_names[c] = g_filename_display_name (names->pdata[c]);
      g_hash_table_insert (index_of, names->pdata[c], GUINT_TO_POINTER (c));
    }
  for (guint i = 0; i < scan->entries->len; i++)
    g_array_index (scan->entries, StudioImageEntry, i).label =
      GPOINTER_TO_UINT (g_hash_table_lookup (index_of, class_of_entry->pdata[i]));
}

/* Reports a file that cannot be an image candidate; returns TRUE when it is one. */
static gboolean
check_candidate (StudioImageScan *scan, const char *path, const char *name, FileKind *kind)
{
  int saved_errno = 0;

  *kind = file_kind (path, &saved_errno);
  switch (*kind)
    {
    case FILE_KIND_LOOP:
      scan_skip (scan, name, STUDIO_IMAGE_SKIP_SYMLINK_LOOP, g_strerror (saved_errno));
      return FALSE;
    case FILE_KIND_BROKEN:
      scan_skip (scan, name, STUDIO_IMAGE_SKIP_UNREADABLE, g_strerror (saved_errno));
      return FALSE;
    case FILE_KIND_FOLDER:
      return FALSE;
    case FILE_KIND_OTHER:
      scan_skip (scan, name, STUDIO_IMAGE_SKIP_UNREADABLE, _("Not a regular file"));
      return FALSE;
    case FILE_KIND_REGULAR:
    default:
      if (has_image_extension (name))
        return TRUE;
      scan_skip (scan, name, STUDIO_IMAGE_SKIP_NOT_AN_IMAGE, NULL);
      return FALSE;
    }
}

/* A flat folder: Kaggle names carry the class before the first dot; unlabelled ones none. */
static void
scan_flat (StudioImageScan *scan, GPtrArray *names, GCancellable *cancellable)
{
  gboolean labelled = scan->layout == STUDIO_IMAGE_LAYOUT_KAGGLE_NAMES;
  g_autoptr(GPtrArray) class_of_entry = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < names->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      const char *name = names->pdata[i];
      g_autofree char *path = g_build_filename (scan->root, name, NULL);
      g_autofree char *class_name = NULL;
      FileKind kind;

      if (!check_candidate (scan, path, name, &kind))
        continue;
      if (labelled)
        {
          class_name = g_strndup (name, strcspn (name, "."));
          if (*class_name == '\0')
            {
              scan_skip (scan, name, STUDIO_IMAGE_SKIP_NO_CLASS, NULL);
              continue;
            }
        }
      scan_add (scan, path, g_strdup (name), labelled ? class_of_entry : NULL, class_name);
    }
  if (labelled)
    scan_number_classes (scan, class_of_entry);
}

/* flow_from_directory: every subfolder is a class (even an empty one, as in Keras); the
 * images directly inside it are its samples; deeper folders and top-level files are
 * ignored. Only one level is walked, so links back to a parent cannot recurse. */
static void
scan_class_folders (StudioImageScan *scan, GPtrArray *names, GCancellable *cancellable)
{
  g_autoptr(GPtrArray) class_of_entry = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) classes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < names->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      const char *class_name = names->pdata[i];
      g_autofree char *folder = g_build_filename (scan->root, class_name, NULL);
      g_autoptr(GPtrArray) files = NULL;
      g_autoptr(GError) local_error = NULL;
      int saved_errno = 0;
      FileKind kind = file_kind (folder, &saved_errno);

      if (kind == FILE_KIND_LOOP)
        scan_skip (scan, class_name, STUDIO_IMAGE_SKIP_SYMLINK_LOOP, g_strerror (saved_errno));
      if (kind != FILE_KIND_FOLDER)
        continue;
      if ((files = list_folder (folder, &local_error)) == NULL)
        {
          g_autofree char *shown = g_strconcat (class_name, G_DIR_SEPARATOR_S, NULL);

          scan_skip (scan, shown, STUDIO_IMAGE_SKIP_UNREADABLE, local_error->message);
          continue;
        }
      g_ptr_array_add (classes, g_strdup (class_name));
      for (guint f = 0; f < files->len; f++)
        {
          g_autofree char *path = g_build_filename (folder, files->pdata[f], NULL);
          g_autofree char *name = g_build_filename (class_name, files->pdata[f], NULL);
          FileKind file_kind_found;

          if (check_candidate (scan, path, name, &file_kind_found))
            scan_add (scan, path, g_steal_pointer (&name), class_of_entry, class_name);
        }
    }
  /* Empty class folders still count as classes, so they are numbered first. */
  for (guint c = 0; c < classes->len; c++)
    g_ptr_array_add (class_of_entry, g_strdup (classes->pdata[c]));
  scan_number_classes (scan, class_of_entry);
}

/* Class folders when a subfolder holds an image; Kaggle names when most images have them. */
static StudioImageLayout
detect_layout (const char *root, GPtrArray *names)
{
  guint n_candidates = 0;
  guint n_kaggle = 0;

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (root, names->pdata[i], NULL);
      int saved_errno = 0;
      FileKind kind = file_kind (path, &saved_errno);

      if (kind == FILE_KIND_FOLDER)
        {
          g_autoptr(GPtrArray) files = list_folder (path, NULL);

          for (guint f = 0; files != NULL && f < files->len; f++)
            if (has_image_extension (files->pdata[f]))
              return STUDIO_IMAGE_LAYOUT_CLASS_FOLDERS;
        }
      else if (kind == FILE_KIND_REGULAR && has_image_extension (names->pdata[i]))
        {
          n_candidates++;
          n_kaggle += is_kaggle_name (names->pdata[i]);
        }
    }
  if (n_candidates > 0 && 2 * n_kaggle > n_candidates)
    return STUDIO_IMAGE_LAYOUT_KAGGLE_NAMES;
  return STUDIO_IMAGE_LAYOUT_UNLABELLED;
}

static gboolean
scan_check_not_empty (StudioImageScan *scan, GCancellable *cancellable, GError **error)
{
  g_autofree char *shown = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (scan->entries->len > 0)
    return TRUE;
  shown = g_filename_display_name (scan->root);
  g_set_error (error, STUDIO_IMAGE_ERROR, STUDIO_IMAGE_ERROR_NO_IMAGES,
               _("No images found in “%s” (%u other files skipped)."),
               shown, scan->skipped->len);
  return FALSE;
}

StudioImageScan *
studio_image_scan_folder (const char         *folder,
                          StudioImageLayout   layout,
                          GCancellable       *cancellable,
                          GError            **error)
{
  g_autoptr(StudioImageScan) scan = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (folder != NULL, NULL);
  g_return_val_if_fail (layout != STUDIO_IMAGE_LAYOUT_CSV, NULL);

  if ((names = list_folder (folder, &local_error)) == NULL)
    {
      g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_NOT_FOUND,
                   _("Cannot open the image folder: %s"), local_error->message);
      return NULL;
    }
  if (layout == STUDIO_IMAGE_LAYOUT_AUTO)
    layout = detect_layout (folder, names);
  scan = scan_new (folder, layout);
  if (layout == STUDIO_IMAGE_LAYOUT_CLASS_FOLDERS)
    scan_class_folders (scan, names, cancellable);
  else
    scan_flat (scan, names, cancellable);
  if (!scan_check_not_empty (scan, cancellable, error))
    return NULL;
  return g_steal_pointer (&scan);
}

/* ---- CSV (RFC 4180 as pandas reads it: quotes, "" escapes, CRLF or LF, UTF-8 BOM) ---- */

/* No filename or class name is this long: a longer field (a file that is one 50 MB line) is
 * refused instead of being copied around as a name. */
#define CSV_MAX_FIELD_BYTES (64 * 1024)

static gboolean
csv_check_field_length (const GString *field, GError **error)
{
  if (field->len <= CSV_MAX_FIELD_BYTES)
    return TRUE;
  g_set_error (error, STUDIO_IMAGE_ERROR, STUDIO_IMAGE_ERROR_CSV,
               _("The CSV has a field longer than %u KB: it is not a list of image files."),
               CSV_MAX_FIELD_BYTES / 1024);
  return FALSE;
}

/* Splits one record starting at *cursor into fields; returns NULL at the end of the text. */
static GPtrArray *
csv_next_record (const char **cursor, const char *end, GError **error)
{
  const char *p = *cursor;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GString) field = NULL;

  if (p >= end)
    return NULL;
  fields = g_ptr_array_new_with_free_func (g_free);
  field = g_string_new (NULL);
  while (TRUE)
    {
      if (p < end && *p == '"' && field->len == 0)
        {
          for (p++; ; p++)
            {
              if (p >= end)
                {
                  g_set_error_literal (error, STUDIO_IMAGE_ERROR, STUDIO_IMAGE_ERROR_CSV,
                                       _("The CSV ends inside a quoted field."));
                  return NULL;
                }
              if (!csv_check_field_length (field, error))
                return NULL;
              if (*p == '"' && p + 1 < end && p[1] == '"')
                g_string_append_c (field, *p++);
              else if (*p == '"')
                break;
              else
                g_string_append_c (field, *p);
            }
          p++;
          continue;
        }
      if (p >= end || *p == ',' || *p == '\n' || (*p == '\r' && (p + 1 >= end || p[1] == '\n')))
        {
          g_ptr_array_add (fields, g_strndup (field->str, field->len));
          g_string_truncate (field, 0);
          if (p < end && *p == ',')
            {
              p++;
              continue;
            }
          p += (p < end && *p == '\r') ? 2 : (p < end ? 1 : 0);
          break;
        }
      g_string_append_c (field, *p++);
      if (!csv_check_field_length (field, error))
        return NULL;
    }
  *cursor = MIN (p, end);
  return g_steal_pointer (&fields);
}

static int
csv_find_column (GPtrArray *header, const char *name)
{
  for (guint i = 0; i < header->len; i++)
    if (g_strcmp0 (header->pdata[i], name) == 0)
      return (int) i;
  return -1;
}

static gboolean
csv_find_columns (GPtrArray   *header,
                  const char  *filename_column,
                  const char  *category_column,
                  int         *filename_at,
                  int         *category_at,
                  GError     **error)
{
  *filename_at = csv_find_column (header, filename_column ? filename_column : "filename");
  *category_at = csv_find_column (header, category_column ? category_column : "category");
  if (*category_at < 0 && category_column == NULL)
    *category_at = csv_find_column (header, "class");
  if (*filename_at >= 0 && *category_at >= 0)
    return TRUE;
  g_set_error (error, STUDIO_IMAGE_ERROR, STUDIO_IMAGE_ERROR_CSV,
               _("The CSV has no “%s” column."),
               *filename_at < 0 ? (filename_column ? filename_column : "filename")
                                : (category_column ? category_column : "category"));
  return FALSE;
}

/* One data row: a candidate image with its class, or a skip with the reason. */
static void
csv_add_row (StudioImageScan *scan,
             GPtrArray       *row,
             int              filename_at,
             int              category_at,
             GPtrArray       *class_of_entry)
{
  const char *name = (guint) filename_at < row->len ? row->pdata[filename_at] : "";
  const char *category = (guint) category_at < row->len ? row->pdata[category_at] : "";
  /* Like os.path.join in flow_from_dataframe, an absolute filename stands on its own. */
  g_autofree char *path = g_path_is_absolute (name) ? g_strdup (name)
                                                     : g_build_filename (scan->root, name, NULL);
  FileKind kind;

  if (*category == '\0')
    {
      scan_skip (scan, name, STUDIO_IMAGE_SKIP_NO_CLASS, NULL);
      return;
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      scan_skip (scan, name, STUDIO_IMAGE_SKIP_MISSING, NULL);
      return;
    }
  if (!check_candidate (scan, path, name, &kind))
    {
      if (kind == FILE_KIND_FOLDER)
        scan_skip (scan, name, STUDIO_IMAGE_SKIP_NOT_AN_IMAGE, _("A folder"));
      return;
    }
  scan_add (scan, path, g_strdup (name), class_of_entry, category);
}

StudioImageScan *
studio_image_scan_csv (const char    *csv_path,
                       const char    *image_folder,
                       const char    *filename_column,
                       const char    *category_column,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(StudioImageScan) scan = NULL;
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GPtrArray) class_of_entry = NULL;
  g_autofree char *text = NULL;
  g_autofree char *csv_folder = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *cursor, *end;
  int filename_at, category_at;
  gsize length;

  g_return_val_if_fail (csv_path != NULL, NULL);

  if (!g_file_get_contents (csv_path, &text, &length, &local_error))
    {
      g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_NOT_FOUND,
                   _("Cannot read the CSV: %s"), local_error->message);
      return NULL;
    }
  cursor = text;
  end = text + length;
  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    cursor += 3;
  if ((header = csv_next_record (&cursor, end, error)) == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error_literal (error, STUDIO_IMAGE_ERROR, STUDIO_IMAGE_ERROR_CSV,
                             _("The CSV is empty."));
      return NULL;
    }
  if (!csv_find_columns (header, filename_column, category_column,
                         &filename_at, &category_at, error))
    return NULL;

  csv_folder = g_path_get_dirname (csv_path);
  scan = scan_new (image_folder ? image_folder : csv_folder, STUDIO_IMAGE_LAYOUT_CSV);
  class_of_entry = g_ptr_array_new_with_free_func (g_free);
  while (!g_cancellable_is_cancelled (cancellable))
    {
      g_autoptr(GPtrArray) row = csv_next_record (&cursor, end, &local_error);

      if (row == NULL)
        break;
      /* pandas skips blank lines. */
      if (row->len == 1 && *(const char *) row->pdata[0] == '\0')
        continue;
      csv_add_row (scan, row, filename_at, category_at, class_of_entry);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  scan_number_classes (scan, class_of_entry);
  if (!scan_check_not_empty (scan, cancellable, error))
    return NULL;
  return g_steal_pointer (&scan);
}

guint64
studio_image_scan_get_cache_size (const StudioImageScan *scan,
                                  int                    height,
                                  int                    width,
                                  int                    channels)
{
  g_return_val_if_fail (scan != NULL, 0);
  g_return_val_if_fail (height > 0 && width > 0 && channels > 0, 0);

  return (guint64) scan->entries->len * (guint64) height * (guint64) width * (guint64) channels;
}

char *
studio_image_scan_format_found (const StudioImageScan *scan)
{
  g_return_val_if_fail (scan != NULL, NULL);

  /* Keras's exact wording, "1 classes" included: users compare it with their notebook. */
  if (scan->layout == STUDIO_IMAGE_LAYOUT_UNLABELLED)
    return g_strdup_printf (_("Found %u validated image filenames."), scan->entries->len);
  return g_strdup_printf (_("Found %u validated image filenames belonging to %u classes."),
                          scan->entries->len, scan->n_classes);
}

char *
studio_image_scan_format_skipped (const StudioImageScan *scan, guint max_listed)
{
  GString *line;
  guint n = 0;

  g_return_val_if_fail (scan != NULL, NULL);

  if (scan->skipped->len == 0)
    return NULL;
  n = scan->skipped->len;
  line = g_string_new (NULL);
  g_string_printf (line, g_dngettext (GETTEXT_PACKAGE, "Skipped %u file: ", "Skipped %u files: ",
                                      n), n);
  for (guint i = 0; i < MIN (n, max_listed); i++)
    {
      const StudioImageSkip *skip = &g_array_index (scan->skipped, StudioImageSkip, i);
      g_autofree char *shown = g_filename_display_name (skip->name);

      g_string_append_printf (line, "%s%s (%s)", i > 0 ? ", " : "", shown,
                              studio_image_skip_reason_to_string (skip->reason));
    }
  if (n > max_listed)
    g_string_append_printf (line, _(", and %u more"), n - max_listed);
  g_string_append_c (line, '.');
  return g_string_free (line, FALSE);
}
