/* studio-model-file.h — .safetensors model files: weights, architecture, training state. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

#include "cnn.h"
#include "studio-augment.h"
#include "studio-error.h"

G_BEGIN_DECLS

/* A header larger than this is taken for a file that is not safetensors. */
#define STUDIO_MODEL_FILE_MAX_HEADER (100 * 1024 * 1024)

/* Where a training run stands, so that a resumed run continues with identical numbers. */
typedef struct {
  int epoch;                          /* epochs finished: the resumed fit's initial_epoch */
  guint64 seed;                       /* the session's seed (shuffling, augmentation) */
  int batch_size;                     /* 0 when not recorded */
  gboolean has_early_stopping;
  CnnEarlyStopping early_stopping;    /* settings and state; best_weights too (malloc'd) */
  gboolean has_reduce_lr;
  CnnReduceLROnPlateau reduce_lr;
  GArray *history;                    /* of CnnEpochLogs, one per finished epoch; may be NULL */
  /* How the run drew its batches, so a resumed run draws the same ones. */
  gboolean has_data_settings;         /* FALSE when the file does not record them */
  double validation_split;
  gboolean stratify;
  guint64 limit;
  gint64 steps_per_epoch;
  StudioAugmentSettings augment;
} StudioTrainingState;

/* What a model file holds. A loaded one owns all of it (studio_model_file_free releases the
 * model, the optimizer, the strings and the best weights). To save, a caller may fill a
 * StudioModelFile on the stack with borrowed pointers and not free it. */
typedef struct {
  CnnModel *model;                    /* architecture and weights; never NULL in a file */
  char *model_name;                   /* Keras model name; NULL = "sequential" */
  CnnOptimizer *optimizer;            /* NULL when saved without one */
  gboolean has_loss;
  CnnLoss loss;
  char **class_names;                 /* NULL-terminated, or NULL */
  StudioTrainingState training;
} StudioModelFile;

StudioModelFile *studio_model_file_new (void);
void             studio_model_file_free (StudioModelFile *file);

/* Writes `file` to `path` as .safetensors: every weight under its Keras name and shape,
 * the optimizer slots as optimizer/<slot>/<weight>, EarlyStopping's best weights as
 * early_stopping/best_weights/<weight>, and the architecture JSON, class names, loss,
 * optimizer and training state in __metadata__. Written to a temporary file in the same
 * folder, synced and renamed over `path`: a failed save leaves any old file untouched. */
gboolean         studio_model_file_save (const StudioModelFile  *file,
                                         const char             *path,
                                         GError                **error);

/* Reads a file written by studio_model_file_save(). Everything is checked; a file that is
 * not safetensors, is truncated, or whose tensors do not match its architecture is a
 * STUDIO_MODEL_ERROR naming the file and the problem (a G_IO_ERROR when it cannot be read). */
StudioModelFile *studio_model_file_load (const char  *path,
                                         GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StudioModelFile, studio_model_file_free)

G_END_DECLS
