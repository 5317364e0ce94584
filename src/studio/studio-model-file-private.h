/* studio-model-file-private.h — the __metadata__ values of model files, written and read. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include "studio-model-file.h"

G_BEGIN_DECLS

/* One tensor of a model file and where its floats live in memory. */
typedef struct {
  char *name;        /* "conv2d/kernel", "optimizer/m/conv2d/kernel", … */
  int rank;
  int shape[4];
  float *data;       /* into the model's arena, an optimizer slot or the best weights */
  gsize count;
} StudioTensor;

/* Every tensor a file holds for `file`, in the order they are written: the weights, the
 * optimizer slots, then EarlyStopping's best weights (when `best_weights` is not NULL:
 * all weights in model.weights order, as the engine keeps them). */
GArray       *studio_model_file_plan_tensors (const StudioModelFile *file,
                                              float                 *best_weights);

/* {"class_name": "Adam", "config": {…Keras's keys…}, "iterations": N}; the config's
 * learning_rate is the current one (after any ReduceLROnPlateau). */
char         *studio_metadata_optimizer_to_json (CnnOptimizer *optimizer);
/* An optimizer for `n_params` parameters with the saved settings and iteration count
 * (its slots start at 0: the caller reads them from the tensors). */
CnnOptimizer *studio_metadata_optimizer_from_json (const char  *json,
                                                   size_t       n_params,
                                                   GError     **error);

/* The training state plus what the model itself needs to continue exactly: its seed
 * (Dropout masks) and step counter. */
char         *studio_metadata_training_to_json (const StudioTrainingState *training,
                                                guint64                    model_seed,
                                                guint64                    model_step);
/* Fills `training` (whose best_weights stay NULL: they come from the tensors; a
 * restore_best_weights state that had them sets *has_best_weights). */
gboolean      studio_metadata_training_from_json (const char           *json,
                                                  StudioTrainingState  *training,
                                                  guint64              *model_seed,
                                                  guint64              *model_step,
                                                  gboolean             *has_best_weights,
                                                  GError              **error);

char         *studio_metadata_class_names_to_json (char **class_names);
char        **studio_metadata_class_names_from_json (const char  *json,
                                                     GError     **error);

G_END_DECLS
