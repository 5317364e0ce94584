/* studio-training.h — what a training run needs, shared by the window and the CLI. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

#include "cnn.h"
#include "studio-augment.h"
#include "studio-batches.h"
#include "studio-dataset.h"
#include "studio-model-file.h"
#include "studio-split.h"

G_BEGIN_DECLS

/* The hyperparameters of a run, named as Keras names them. */
typedef struct {
  int epochs;                        /* 10 */
  int batch_size;                    /* 32 */
  gint64 steps_per_epoch;            /* 0 = the whole training part */
  gsize limit;                       /* 0 = all; else only the first `limit` training samples */
  double validation_split;           /* 0 = none (unless a validation dataset is given) */
  gboolean stratify;                 /* image folders: a stratified split */
  guint32 seed;                      /* shuffling, split, augmentation, initial weights: 42 */
  CnnLoss loss;                      /* categorical_crossentropy */
  CnnOptimizerConfig optimizer;      /* Adam with Keras's defaults */
  StudioAugmentSettings augment;     /* identity with rescale 1/255 */
  gboolean has_early_stopping;
  CnnEarlyStopping early_stopping;   /* settings only; state lives in the run */
  gboolean has_reduce_lr;
  CnnReduceLROnPlateau reduce_lr;
} StudioTrainingConfig;

/* Keras's defaults for model.fit with Adam, rescale 1/255, seed 42. */
void     studio_training_config_init (StudioTrainingConfig *config);

/* The course's recipes (DESIGN.md): "fashion-mnist" (Adam, batch 200, EarlyStopping(10),
 * ReduceLROnPlateau(val_accuracy, 2, 0.5, 1e-5), validation 0.2) and "dogs-vs-cats"
 * (RMSprop, batch 15, 80/20 split with seed 42, the course's augmentation). */
gboolean studio_training_config_init_recipe (StudioTrainingConfig *config,
                                             const char           *recipe);

/* The seed model (Keras model.to_json()) shipped for a recipe, "fashion-mnist" or
 * "dogs-vs-cats": from $CONVSTUDIO_DATA_DIR/models, the installed data, or the source tree
 * when run from a build — the first that exists (else the installed path). */
char    *studio_seed_model_path (const char *recipe);

/* Parses Keras-style keyword lists for the callbacks, as a user would write them in
 * Python: "patience=10,monitor=val_loss,min_delta=0,restore_best_weights=true" or just a
 * number (the patience); "monitor=val_accuracy,patience=2,factor=0.5,min_lr=0.00001". */
gboolean studio_parse_early_stopping (const char        *text,
                                      CnnEarlyStopping  *early_stopping,
                                      GError           **error);
gboolean studio_parse_reduce_lr (const char            *text,
                                 CnnReduceLROnPlateau  *reduce_lr,
                                 GError               **error);

/* Checks that `model` takes the images of `dataset`: (height, width, channels). */
gboolean studio_training_check_input (CnnModel       *model,
                                      StudioDataset  *dataset,
                                      GError        **error);

/* Checks that `model` can train on `dataset`: its input is the images' (height, width,
 * channels) and its last layer has one unit per class (one sigmoid unit for two classes
 * with binary crossentropy). The error says what does not fit, in the user's words. */
gboolean studio_training_check_model (CnnModel       *model,
                                      StudioDataset  *dataset,
                                      CnnLoss         loss,
                                      GError        **error);

/* The rows of the training split (its first n) that a run trains and validates on:
 * arrays (IDX) hold back their last rows, as Keras's validation_split does; image folders
 * use train_test_split (test_size = validation_split, random_state = seed), stratified
 * when asked. The Data page shows the same parts. */
gboolean studio_training_split (StudioDataset     *dataset,
                                gsize              n,
                                double             validation_split,
                                gboolean           stratify,
                                guint32            seed,
                                StudioIndexSplit  *split,
                                GError           **error);

/* The batches of one run: training (shuffled, augmented) and validation (in order, only
 * rescaled), split from the dataset's training samples as Keras would split them —
 * arrays (IDX) by validation_split (the last rows), image folders by train_test_split
 * (test_size = validation_split, random_state = seed) — or taken from `validation`
 * (another dataset, or the same one's test split when `validation` is the dataset itself). */
typedef struct {
  StudioBatches *train;
  StudioBatches *validation;   /* NULL when the run has no validation */
  gsize n_train;
  gsize n_validation;
  guint32 *train_indices;      /* (n_train) training-split rows */
  guint32 *validation_indices; /* (n_validation) rows of the validation split, or NULL */
  StudioSplit validation_split;
  gsize *train_counts;         /* (n_classes) the class balance of each part */
  gsize *validation_counts;
  guint n_classes;
} StudioTrainingData;

StudioTrainingData *studio_training_data_new (StudioDataset              *dataset,
                                              StudioDataset              *validation,
                                              const StudioTrainingConfig *config,
                                              GError                    **error);
void                studio_training_data_free (StudioTrainingData *data);

/* Fills a model file's training state (for saving) from a run: the epochs done, the
 * callbacks' settings and state, the history, and how batches were drawn (split, limit,
 * augmentation). Pointers are borrowed from the arguments. */
void     studio_training_state_set (StudioTrainingState        *state,
                                    const StudioTrainingConfig *config,
                                    int                         epochs_done,
                                    const CnnEarlyStopping     *early_stopping,
                                    const CnnReduceLROnPlateau *reduce_lr,
                                    GArray                     *history);
/* The reverse for a resumed run: the file's seed, batch size and data settings. */
void     studio_training_config_resume (StudioTrainingConfig      *config,
                                        const StudioTrainingState *state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StudioTrainingData, studio_training_data_free)

G_END_DECLS
