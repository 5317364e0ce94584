/* test-model-file-common.h — a small model and helpers shared by the model file tests. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <glib/gstdio.h>

#include "studio-model-file.h"
#include "studio-model-json.h"

#define SMALL_SIDE 8
#define SMALL_CLASSES 3

/* Input 8×8×1: Conv2D, BatchNormalization, MaxPooling2D, Dropout, Flatten, Dense,
 * BatchNormalization, Dense softmax — every kind of weight and a Dropout mask. */
static const char small_model_json[] =
  "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"small\", \"layers\": ["
  "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 8, 8, 1]}}, "
  "{\"class_name\": \"Conv2D\", \"config\": {\"filters\": 4, \"kernel_size\": [3, 3], "
  "\"activation\": \"relu\"}}, "
  "{\"class_name\": \"BatchNormalization\", \"config\": {}}, "
  "{\"class_name\": \"MaxPooling2D\", \"config\": {}}, "
  "{\"class_name\": \"Dropout\", \"config\": {\"rate\": 0.25}}, "
  "{\"class_name\": \"Flatten\", \"config\": {}}, "
  "{\"class_name\": \"Dense\", \"config\": {\"units\": 8, \"activation\": \"relu\"}}, "
  "{\"class_name\": \"BatchNormalization\", \"config\": {}}, "
  "{\"class_name\": \"Dense\", \"config\": {\"units\": 3, \"activation\": \"softmax\"}}]}}";

static inline CnnModel *
small_model_new (guint64 seed)
{
  g_autoptr(GError) error = NULL;
  CnnModel *model = studio_model_new_from_json (small_model_json, -1, seed, &error);

  g_assert_no_error (error);
  return model;
}

/* n random samples x (n, 8, 8, 1) and labels, the same for the same seed. */
static inline void
random_batch (guint32  seed,
              int      n,
              float   *x,
              gint32  *labels)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (int i = 0; i < n * SMALL_SIDE * SMALL_SIDE; i++)
    x[i] = (float) g_rand_double (rand);
  for (int i = 0; labels != NULL && i < n; i++)
    labels[i] = g_rand_int_range (rand, 0, SMALL_CLASSES);
}

static inline void
train_batches (CnnModel     *model,
               CnnOptimizer *optimizer,
               guint32       first_seed,
               int           n_batches)
{
  float x[16 * SMALL_SIDE * SMALL_SIDE];
  gint32 labels[16];

  for (int b = 0; b < n_batches; b++)
    {
      CnnError error = { 0 };
      double loss = 0;
      int correct = 0;

      random_batch (first_seed + (guint32) b, 16, x, labels);
      g_assert_cmpint (cnn_model_train_batch (model, optimizer,
                                              CNN_LOSS_SPARSE_CATEGORICAL_CROSSENTROPY, x,
                                              labels, 16, &loss, &correct, &error),
                       ==, CNN_OK);
    }
}

static inline char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("studio-model-file-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static inline void
remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}
