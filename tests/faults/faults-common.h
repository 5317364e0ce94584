/* faults-common.h — what the fault tests share: broken targets, temp folders, small models. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

#include "cnn.h"
#include "studio-dataset.h"

G_BEGIN_DECLS

/* Called first thing in main(), before any thread exists: as root, gives the test process
 * its own mount namespace (private propagation), so the tmpfs and read-only mounts it makes
 * are invisible to the machine and vanish with the process, even when it crashes. */
void     faults_init_mounts (void);

/* A temporary folder for many small files: a tmpfs when faults_init_mounts() could mount
 * (thousands of files are created and removed in milliseconds), else a plain temporary
 * folder. Release with faults_remove_scratch_dir(). */
char    *faults_make_scratch_dir (void);
void     faults_remove_scratch_dir (const char *path);

/* A temporary folder (removed by faults_remove_tree). */
char    *faults_make_temp_dir (void);
void     faults_remove_tree (const char *path);

typedef enum {
  FAULT_DISK_FULL,
  FAULT_READ_ONLY,
} FaultKind;

/* A folder that refuses new data, holding an old file that must survive a failed save.
 * Disk full: a 64 KiB tmpfs filled to the last byte (as root), else RLIMIT_FSIZE around
 * the write (faults_target_begin/end, or faults_target_child_setup for a spawned CLI).
 * Read-only: a read-only bind mount (as root), else chmod 0555. */
typedef struct {
  FaultKind kind;
  char *parent;                 /* the temporary folder holding `folder` */
  char *folder;                 /* where the targets live */
  char *old_name;               /* the file that must survive */
  char *old_contents;
  gboolean mounted;
  gboolean size_limit;          /* disk full simulated with RLIMIT_FSIZE */
  const char *expected_reason;  /* the system's words the error must contain */
} FaultTarget;

/* NULL (and the test skipped with the reason) when the fault cannot be made here. */
FaultTarget *faults_target_new  (FaultKind    kind,
                                 const char  *old_name,
                                 const char  *old_contents);
void         faults_target_free (FaultTarget *target);
char        *faults_target_path (FaultTarget *target,
                                 const char  *name);
/* Around an in-process write: the size limit (when that is how the disk is full). */
void         faults_target_begin (FaultTarget *target);
void         faults_target_end   (FaultTarget *target);
/* GSpawnChildSetupFunc for a spawned writer; user_data is the FaultTarget. */
void         faults_target_child_setup (gpointer user_data);
/* The old file has its old contents and nothing else appeared (no temporary file). */
void         faults_target_assert_intact (FaultTarget *target);
/* `message` names `file_name` and says the system's reason in words. */
void         faults_assert_message_explains (const char  *message,
                                             FaultTarget *target,
                                             const char  *file_name);

/* Fills `size` floats with a stable pattern in [0, 1) (inputs for the engine). */
void         faults_fill_pattern (float *values, gsize size, guint seed);

/* A small classifier for (height, width, channels) inputs: Conv2D(filters, 3×3, relu),
 * BatchNormalization, MaxPooling2D, Flatten, Dense(n_classes, softmax). */
CnnModel    *faults_small_model_new (int height, int width, int channels, int filters,
                                     int n_classes, guint64 seed);

/* An in-memory dataset of n two-class samples whose class is visible in the pixels. */
StudioDataset *faults_small_dataset_new (int height, int width, int channels, gsize n);

/* Copies of every weight (parameters and moving statistics), to compare before/after. */
float       *faults_copy_weights (const CnnModel *model, gsize *count);
gboolean     faults_weights_equal (const CnnModel *model, const float *copy, gsize count);

/* An encoded image ("png", "jpeg") of width × height, dark or light with a gradient. */
GBytes      *faults_encode_image (int width, int height, const char *format, gboolean light);
/* Writes `bytes` to folder/name. */
void         faults_write_bytes (const char *folder, const char *name, GBytes *bytes);

/* Iterates the default main context until *flag is TRUE or `seconds` pass. */
gboolean     faults_wait_for_flag (const gboolean *flag, double seconds);

G_END_DECLS
