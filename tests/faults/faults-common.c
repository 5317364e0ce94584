/* faults-common.c — what the fault tests share: broken targets, temp folders, small models. */
// SPDX-License-Identifier: GPL-3.0-or-later

#define _GNU_SOURCE /* unshare() */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "faults-common.h"

#define FILLER_NAME "filler"
#define TMPFS_OPTIONS "size=64k,mode=0755"

static gboolean can_mount;
static struct rlimit saved_size_limit;
static void (*saved_xfsz_handler) (int);

void
faults_init_mounts (void)
{
  if (geteuid () != 0)
    return;
  /* Private propagation, or our mounts would appear in the machine's namespace too. */
  can_mount = unshare (CLONE_NEWNS) == 0
              && mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0;
}

char *
faults_make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *path = g_dir_make_tmp ("convstudio-faults-XXXXXX", &error);

  g_assert_no_error (error);
  return path;
}

void
faults_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_chmod (path, 0755);
  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    {
      g_unlink (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        faults_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

char *
faults_make_scratch_dir (void)
{
  char *path = faults_make_temp_dir ();

  if (can_mount)
    mount ("tmpfs", path, "tmpfs", 0, "size=256m,mode=0755");
  return path;
}

void
faults_remove_scratch_dir (const char *path)
{
  if (can_mount)
    umount2 (path, MNT_DETACH); /* fails harmlessly when nothing was mounted */
  faults_remove_tree (path);
}

/* Writes until the file system refuses: 4 KiB at a time, then byte by byte. */
static void
fill_file_system (const char *folder)
{
  g_autofree char *path = g_build_filename (folder, FILLER_NAME, NULL);
  char block[4096];
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  g_assert_cmpint (fd, >=, 0);
  memset (block, 'x', sizeof block);
  while (write (fd, block, sizeof block) == (ssize_t) sizeof block)
    ;
  while (write (fd, block, 1) == 1)
    ;
  g_assert_cmpint (errno, ==, ENOSPC);
  close (fd);
}

static gboolean
make_disk_full (FaultTarget *target)
{
  if (can_mount && mount ("tmpfs", target->folder, "tmpfs", 0, TMPFS_OPTIONS) == 0)
    {
      target->mounted = TRUE;
      target->expected_reason = g_strerror (ENOSPC);
      return TRUE;
    }
  /* Without a tmpfs: the file size limit, which stops root as well. */
  target->size_limit = TRUE;
  target->expected_reason = g_strerror (EFBIG);
  return TRUE;
}

static gboolean
make_read_only (FaultTarget *target)
{
  if (can_mount && mount (target->folder, target->folder, NULL, MS_BIND, NULL) == 0)
    {
      target->mounted = TRUE;
      if (mount (NULL, target->folder, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) == 0)
        {
          target->expected_reason = g_strerror (EROFS);
          return TRUE;
        }
      return FALSE;
    }
  if (geteuid () == 0)
    return FALSE; /* root writes into any folder whatever its mode */
  g_assert_cmpint (g_chmod (target->folder, 0555), ==, 0);
  target->expected_reason = g_strerror (EACCES);
  return TRUE;
}

FaultTarget *
faults_target_new (FaultKind    kind,
                   const char  *old_name,
                   const char  *old_contents)
{
  FaultTarget *target = g_new0 (FaultTarget, 1);
  g_autofree char *old_path = NULL;
  gboolean made;

  target->kind = kind;
  target->parent = faults_make_temp_dir ();
  target->folder = g_build_filename (target->parent, "target", NULL);
  target->old_name = g_strdup (old_name);
  target->old_contents = g_strdup (old_contents);
  g_assert_cmpint (g_mkdir (target->folder, 0755), ==, 0);

  if (kind == FAULT_DISK_FULL)
    made = make_disk_full (target);
  else
    {
      old_path = faults_target_path (target, old_name);
      g_assert_true (g_file_set_contents (old_path, old_contents, -1, NULL));
      made = make_read_only (target);
    }
  if (!made)
    {
      g_test_skip ("neither a read-only bind mount nor folder permissions stop this user "
                   "(root without CAP_SYS_ADMIN)");
      faults_target_free (target);
      return NULL;
    }
  if (kind == FAULT_DISK_FULL)
    {
      old_path = faults_target_path (target, old_name);
      g_assert_true (g_file_set_contents (old_path, old_contents, -1, NULL));
      if (target->mounted)
        fill_file_system (target->folder);
    }
  g_test_message ("%s by %s: expecting “%s”",
                  kind == FAULT_DISK_FULL ? "disk full" : "read-only",
                  target->mounted ? (kind == FAULT_DISK_FULL ? "a full tmpfs" : "a read-only mount")
                                  : (target->size_limit ? "RLIMIT_FSIZE" : "chmod 0555"),
                  target->expected_reason);
  return target;
}

void
faults_target_free (FaultTarget *target)
{
  if (target == NULL)
    return;
  if (target->mounted)
    g_assert_cmpint (umount2 (target->folder, MNT_DETACH), ==, 0);
  faults_remove_tree (target->parent);
  g_free (target->parent);
  g_free (target->folder);
  g_free (target->old_name);
  g_free (target->old_contents);
  g_free (target);
}

char *
faults_target_path (FaultTarget *target,
                    const char  *name)
{
  return g_build_filename (target->folder, name, NULL);
}

static void
set_size_limit (void)
{
  struct rlimit limit;

  /* One byte: every real write goes over it (and fails with EFBIG, SIGXFSZ ignored). */
  getrlimit (RLIMIT_FSIZE, &limit);
  limit.rlim_cur = 1;
  signal (SIGXFSZ, SIG_IGN);
  setrlimit (RLIMIT_FSIZE, &limit);
}

void
faults_target_begin (FaultTarget *target)
{
  if (!target->size_limit)
    return;
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved_size_limit), ==, 0);
  saved_xfsz_handler = signal (SIGXFSZ, SIG_IGN);
  set_size_limit ();
}

void
faults_target_end (FaultTarget *target)
{
  if (!target->size_limit)
    return;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved_size_limit), ==, 0);
  signal (SIGXFSZ, saved_xfsz_handler);
}

void
faults_target_child_setup (gpointer user_data)
{
  FaultTarget *target = user_data;

  /* In the child between fork and exec: async-signal-safe calls only. */
  if (target->size_limit)
    set_size_limit ();
}

void
faults_target_assert_intact (FaultTarget *target)
{
  g_autofree char *old_path = faults_target_path (target, target->old_name);
  g_autofree char *contents = NULL;
  g_autoptr(GDir) dir = g_dir_open (target->folder, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_equal (name, FILLER_NAME) && target->kind == FAULT_DISK_FULL && target->mounted)
        continue;
      if (!g_str_equal (name, target->old_name))
        g_error ("a failed save left “%s” behind in %s", name, target->folder);
    }
  g_assert_true (g_file_get_contents (old_path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, target->old_contents);
}

void
faults_assert_message_explains (const char  *message,
                                FaultTarget *target,
                                const char  *file_name)
{
  g_test_message ("error: %s", message);
  if (strstr (message, file_name) == NULL)
    g_error ("the message does not name “%s”: %s", file_name, message);
  if (strstr (message, target->expected_reason) == NULL)
    g_error ("the message does not say “%s”: %s", target->expected_reason, message);
}

void
faults_fill_pattern (float *values,
                     gsize  size,
                     guint  seed)
{
  CnnRng rng;

  cnn_rng_seed (&rng, seed);
  for (gsize i = 0; i < size; i++)
    values[i] = (float) cnn_rng_uniform (&rng);
}

CnnModel *
faults_small_model_new (int     height,
                        int     width,
                        int     channels,
                        int     filters,
                        int     n_classes,
                        guint64 seed)
{
  CnnLayerSpec layers[5];
  CnnError error = { 0 };
  CnnModel *model;

  cnn_layer_spec_init (&layers[0], CNN_LAYER_CONV2D);
  layers[0].filters = filters;
  layers[0].kernel_size[0] = layers[0].kernel_size[1] = 3;
  layers[0].activation = CNN_ACTIVATION_RELU;
  cnn_layer_spec_init (&layers[1], CNN_LAYER_BATCH_NORMALIZATION);
  cnn_layer_spec_init (&layers[2], CNN_LAYER_MAX_POOLING2D);
  cnn_layer_spec_init (&layers[3], CNN_LAYER_FLATTEN);
  cnn_layer_spec_init (&layers[4], CNN_LAYER_DENSE);
  layers[4].units = n_classes;
  layers[4].activation = CNN_ACTIVATION_SOFTMAX;
  model = cnn_model_new (height, width, channels, layers, G_N_ELEMENTS (layers), seed, &error);
  if (model == NULL)
    g_error ("could not build the test model: %s", error.message);
  return model;
}

StudioDataset *
faults_small_dataset_new (int   height,
                          int   width,
                          int   channels,
                          gsize n)
{
  const char * const class_names[] = { "dark", "light", NULL };
  StudioDataset *dataset = studio_dataset_new ("faults", height, width, channels, class_names);
  gsize sample_size = (gsize) height * width * channels;
  guint8 *pixels = g_new (guint8, n * sample_size);
  gint32 *labels = g_new (gint32, n);
  CnnRng rng;

  cnn_rng_seed (&rng, 7);
  for (gsize i = 0; i < n; i++)
    {
      labels[i] = (gint32) (i % 2);
      for (gsize j = 0; j < sample_size; j++)
        pixels[i * sample_size + j] = (guint8) ((labels[i] ? 160 : 20) + cnn_rng_below (&rng, 80));
    }
  studio_dataset_set_split (dataset, STUDIO_SPLIT_TRAIN, n, pixels, labels, NULL);
  return dataset;
}

float *
faults_copy_weights (const CnnModel *model,
                     gsize          *count)
{
  int n_weights = cnn_model_n_weights (model);
  gsize total = 0, offset = 0;
  float *copy;

  for (int i = 0; i < n_weights; i++)
    total += cnn_model_weight (model, i)->size;
  copy = g_new (float, total);
  for (int i = 0; i < n_weights; i++)
    {
      const CnnWeight *weight = cnn_model_weight (model, i);

      memcpy (copy + offset, weight->data, weight->size * sizeof (float));
      offset += weight->size;
    }
  *count = total;
  return copy;
}

gboolean
faults_weights_equal (const CnnModel *model,
                      const float    *copy,
                      gsize           count)
{
  g_autofree float *now = NULL;
  gsize now_count;

  now = faults_copy_weights (model, &now_count);
  return now_count == count && memcmp (now, copy, count * sizeof (float)) == 0;
}

gboolean
faults_wait_for_flag (const gboolean *flag,
                      double          seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (!*flag && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return *flag;
}

GBytes *
faults_encode_image (int         width,
                     int         height,
                     const char *format,
                     gboolean    light)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  gchar *buffer = NULL;
  gsize size = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *pixel = pixels + y * stride + x * 3;

        pixel[0] = (guint8) ((light ? 150 : 10) + (x * 50) / width);
        pixel[1] = (guint8) ((light ? 150 : 10) + (y * 50) / height);
        pixel[2] = light ? 220 : 40;
      }
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, format, &error, NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

void
faults_write_bytes (const char *folder,
                    const char *name,
                    GBytes     *bytes)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  g_assert_true (g_file_set_contents (path, data, (gssize) size, NULL));
}
