/* studio-dataset-open.c — finding IDX files in a folder, naming classes, opening in a thread. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "studio-dataset.h"
#include "studio-idx-private.h"

static const char * const fashion_mnist_class_names[] = {
  "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
  "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot", NULL
};

/* The spellings in circulation: Yann LeCun's (train-images-idx3-ubyte) and the one Kaggle's
 * MNIST copy uses (train-images.idx3-ubyte), each plain or gzipped. */
static const char * const images_suffixes[] = {
  "-images-idx3-ubyte", "-images-idx3-ubyte.gz", "-images.idx3-ubyte", "-images.idx3-ubyte.gz",
};
static const char * const labels_suffixes[] = {
  "-labels-idx1-ubyte", "-labels-idx1-ubyte.gz", "-labels.idx1-ubyte", "-labels.idx1-ubyte.gz",
};

/* The first existing "<folder>/<prefix><suffix>", or NULL. */
static char *
find_with_prefix (const char *folder, const char *prefix, const char * const *suffixes,
                  gsize n_suffixes)
{
  for (gsize i = 0; i < n_suffixes; i++)
    {
      g_autofree char *name = g_strconcat (prefix, suffixes[i], NULL);
      g_autofree char *path = g_build_filename (folder, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}

/* The labels file beside an images file: the same name with "labels"/"idx1" in place of
 * "images"/"idx3", compressed or not. */
static char *
find_labels_sibling (const char *images_path, GError **error)
{
  g_autofree char *folder = g_path_get_dirname (images_path);
  g_autofree char *basename = g_path_get_basename (images_path);
  g_autofree char *display_name = g_filename_display_basename (images_path);
  char *labels_path;

  for (gsize i = 0; i < G_N_ELEMENTS (images_suffixes); i++)
    {
      g_autofree char *prefix = NULL;

      if (!g_str_has_suffix (basename, images_suffixes[i]))
        continue;
      prefix = g_strndup (basename, strlen (basename) - strlen (images_suffixes[i]));
      labels_path = find_with_prefix (folder, prefix, labels_suffixes,
                                      G_N_ELEMENTS (labels_suffixes));
      if (labels_path != NULL)
        return labels_path;
      g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_NOT_FOUND,
                   _("The labels for “%s” are missing: expected %s-labels-idx1-ubyte.gz "
                     "(or %s-labels-idx1-ubyte) beside it"),
                   display_name, prefix, prefix);
      return NULL;
    }

  g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_FORMAT,
               _("“%s” is not named like an IDX images file "
                 "(for example train-images-idx3-ubyte.gz)"),
               display_name);
  return NULL;
}

typedef struct {
  char *images;
  char *labels;
} IdxFiles;

static void
idx_files_clear (IdxFiles *files)
{
  g_clear_pointer (&files->images, g_free);
  g_clear_pointer (&files->labels, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (IdxFiles, idx_files_clear)

/* Looks for the pair "<prefix>-images…" + "<prefix>-labels…" in a folder. FALSE with an
 * error when the images exist without their labels; TRUE with both NULL when neither is
 * there. */
static gboolean
find_pair_in_folder (const char *folder, const char *prefix, IdxFiles *files, GError **error)
{
  files->images = find_with_prefix (folder, prefix, images_suffixes,
                                    G_N_ELEMENTS (images_suffixes));
  if (files->images == NULL)
    return TRUE;
  files->labels = find_labels_sibling (files->images, error);
  return files->labels != NULL;
}

static gboolean
find_folder_files (const char *folder, IdxFiles *train, IdxFiles *test, GError **error)
{
  if (!find_pair_in_folder (folder, "train", train, error))
    return FALSE;
  if (train->images == NULL)
    {
      g_autofree char *display_name = g_filename_display_name (folder);

      g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_NOT_FOUND,
                   _("The folder “%s” holds no IDX dataset: expected "
                     "train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz (optionally "
                     "with t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz), "
                     "compressed or not"),
                   display_name);
      return FALSE;
    }
  if (!find_pair_in_folder (folder, "t10k", test, error))
    return FALSE;
  if (test->images == NULL && !find_pair_in_folder (folder, "test", test, error))
    return FALSE;
  return TRUE;
}

static gboolean
contains_word (const char *text, const char *word)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);

  return strstr (folded, word) != NULL;
}

static char **
make_class_names (guint n_classes, gboolean is_fashion)
{
  char **names = g_new0 (char *, n_classes + 1);

  for (guint i = 0; i < n_classes; i++)
    {
      if (n_classes == 10 && is_fashion)
        names[i] = g_strdup (fashion_mnist_class_names[i]);
      else if (n_classes == 10)
        names[i] = g_strdup_printf ("%u", i);
      else
        names[i] = g_strdup_printf (_("class %u"), i);
    }
  return names;
}

static char *
make_dataset_name (const char *folder_name, guint n_classes, gboolean is_fashion)
{
  if (n_classes == 10 && is_fashion)
    return g_strdup ("Fashion-MNIST");
  if (n_classes == 10 && contains_word (folder_name, "mnist"))
    return g_strdup ("MNIST");
  return g_strdup (folder_name);
}

static StudioDataset *
build_dataset (const char *path, const char *folder, StudioIdxPair *train,
               StudioIdxPair *test)
{
  g_autofree char *folder_name = g_filename_display_basename (folder);
  g_autofree char *file_name = g_filename_display_basename (path);
  guint n_classes = MAX (train->n_classes, test->n_classes);
  gboolean is_fashion = contains_word (folder_name, "fashion")
                        || contains_word (file_name, "fashion");
  g_auto(GStrv) class_names = make_class_names (n_classes, is_fashion);
  g_autofree char *name = make_dataset_name (folder_name, n_classes, is_fashion);
  StudioDataset *dataset;

  dataset = studio_dataset_new (name, (int) train->rows, (int) train->cols, 1,
                                (const char * const *) class_names);
  studio_dataset_set_source (dataset, path);
  studio_dataset_set_split (dataset, STUDIO_SPLIT_TRAIN, train->n_images,
                            g_steal_pointer (&train->pixels), g_steal_pointer (&train->labels),
                            NULL);
  studio_dataset_set_split (dataset, STUDIO_SPLIT_TEST, test->n_images,
                            g_steal_pointer (&test->pixels), g_steal_pointer (&test->labels),
                            NULL);
  return dataset;
}

static gboolean
check_same_size (const StudioIdxPair *train, const StudioIdxPair *test, const IdxFiles *files,
                 GError **error)
{
  g_autofree char *display_name = NULL;

  if (test->n_images == 0 || (train->rows == test->rows && train->cols == test->cols))
    return TRUE;

  display_name = g_filename_display_basename (files->images);
  g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_MISMATCH,
               _("The test images in “%s” are %u×%u pixels but the training images are %u×%u"),
               display_name, test->rows, test->cols, train->rows, train->cols);
  return FALSE;
}

StudioDataset *
studio_dataset_open (const char    *path,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_auto(IdxFiles) train_files = { NULL, NULL };
  g_auto(IdxFiles) test_files = { NULL, NULL };
  g_auto(StudioIdxPair) train = { 0 };
  g_auto(StudioIdxPair) test = { 0 };
  g_autofree char *folder = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      folder = g_strdup (path);
      if (!find_folder_files (folder, &train_files, &test_files, error))
        return NULL;
    }
  else if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      folder = g_path_get_dirname (path);
      train_files.images = g_strdup (path);
      train_files.labels = find_labels_sibling (path, error);
      if (train_files.labels == NULL)
        return NULL;
    }
  else
    {
      g_autofree char *display_name = g_filename_display_name (path);

      g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_NOT_FOUND,
                   _("“%s” does not exist"), display_name);
      return NULL;
    }

  if (!studio_idx_read_pair (train_files.images, train_files.labels, cancellable, &train,
                             error))
    return NULL;
  if (test_files.images != NULL
      && (!studio_idx_read_pair (test_files.images, test_files.labels, cancellable, &test,
                                 error)
          || !check_same_size (&train, &test, &test_files, error)))
    return NULL;

  return build_dataset (path, folder, &train, &test);
}

static void
open_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;
  StudioDataset *dataset = studio_dataset_open (path, cancellable, &error);

  if (dataset == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, dataset, g_object_unref);
}

void
studio_dataset_open_async (const char          *path,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, studio_dataset_open_async);
  g_task_set_name (task, "[convstudio] studio_dataset_open_async");
  g_task_set_task_data (task, g_strdup (path), g_free);
  /* The worker owns half-read buffers; let it finish (it stops at the next chunk). */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, open_in_thread);
}

StudioDataset *
studio_dataset_open_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == studio_dataset_open_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
studio_dataset_default_path (void)
{
  const char *from_environment = g_getenv ("CONVSTUDIO_FASHION_MNIST_DIR");

  if (from_environment != NULL && from_environment[0] != '\0')
    return from_environment;
  return FASHION_MNIST_DIR;
}
