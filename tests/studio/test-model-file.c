/* test-model-file.c — .safetensors model files: exact round trips and failed saves. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "test-model-file-common.h"

static void
assert_same_weights (CnnModel *expected,
                     CnnModel *actual)
{
  g_assert_cmpint (cnn_model_n_weights (expected), ==, cnn_model_n_weights (actual));
  for (int i = 0; i < cnn_model_n_weights (expected); i++)
    {
      const CnnWeight *a = cnn_model_weight (expected, i);
      const CnnWeight *b = cnn_model_weight (actual, i);

      g_assert_cmpstr (a->name, ==, b->name);
      g_assert_cmpmem (a->shape, sizeof a->shape, b->shape, sizeof b->shape);
      g_assert_cmpmem (a->data, a->size * sizeof (float), b->data, b->size * sizeof (float));
    }
}

static void
assert_same_predictions (CnnModel *expected,
                         CnnModel *actual)
{
  float x[20 * SMALL_SIDE * SMALL_SIDE];
  float expected_output[20 * SMALL_CLASSES], actual_output[20 * SMALL_CLASSES];
  CnnError error = { 0 };

  random_batch (99, 20, x, NULL);
  g_assert_cmpint (cnn_model_predict (expected, x, 20, 7, expected_output, &error), ==, CNN_OK);
  g_assert_cmpint (cnn_model_predict (actual, x, 20, 7, actual_output, &error), ==, CNN_OK);
  g_assert_cmpmem (expected_output, sizeof expected_output, actual_output, sizeof actual_output);
}

static void
test_weights_round_trip (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "model.safetensors", NULL);
  g_autoptr(StudioModelFile) loaded = NULL;
  g_autoptr(GError) error = NULL;
  StudioModelFile file = { 0 };
  CnnOptimizerConfig config;
  char *class_names[] = { "cat", "dog", "quote \" and ünïcode", NULL };
  char model_name[] = "small";

  file.model = small_model_new (11);
  cnn_optimizer_config_init (&config, CNN_OPTIMIZER_SGD);
  file.class_names = class_names;
  file.model_name = model_name;
  /* Training moves every weight away from its initial value, BatchNormalization's moving
   * statistics included. */
  {
    CnnOptimizer *optimizer;
    size_t n_params = 0;

    cnn_model_trainable_arena (file.model, &n_params);
    optimizer = cnn_optimizer_new (&config, n_params, NULL);
    train_batches (file.model, optimizer, 1, 3);
    cnn_optimizer_free (optimizer);
  }

  g_assert_true (studio_model_file_save (&file, path, &error));
  g_assert_no_error (error);
  loaded = studio_model_file_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);

  assert_same_weights (file.model, loaded->model);
  assert_same_predictions (file.model, loaded->model);
  g_assert_cmpstr (loaded->model_name, ==, "small");
  g_assert_null (loaded->optimizer);
  g_assert_false (loaded->has_loss);
  g_assert_cmpstrv (loaded->class_names, class_names);
  g_assert_cmpuint (cnn_model_get_step (loaded->model), ==, cnn_model_get_step (file.model));

  cnn_model_free (file.model);
  remove_dir (dir);
}

static void
fill_training_state (StudioTrainingState *training,
                     CnnModel            *model)
{
  size_t count = 0;
  CnnEpochLogs logs = { .epoch = 0, .loss = 1.25, .accuracy = 0.5, .lr = 1e-3 };

  for (int i = 0; i < cnn_model_n_weights (model); i++)
    count += cnn_model_weight (model, i)->size;
  training->epoch = 3;
  training->seed = G_GUINT64_CONSTANT (12345678901234567890);
  training->batch_size = 16;
  training->has_early_stopping = TRUE;
  cnn_early_stopping_init (&training->early_stopping);
  g_strlcpy (training->early_stopping.monitor, "val_accuracy", CNN_NAME_MAX);
  training->early_stopping.patience = 10;
  training->early_stopping.restore_best_weights = 1;
  training->early_stopping.wait = 1;
  training->early_stopping.best_epoch = 1;
  training->early_stopping.best = 0.8125;
  training->early_stopping.best_weights = malloc (count * sizeof (float));
  for (size_t i = 0; i < count; i++)
    training->early_stopping.best_weights[i] = (float) i * 0.001f - 0.5f;
  training->has_reduce_lr = TRUE;
  cnn_reduce_lr_init (&training->reduce_lr);
  g_strlcpy (training->reduce_lr.monitor, "val_accuracy", CNN_NAME_MAX);
  training->reduce_lr.mode = CNN_MODE_MAX;
  training->reduce_lr.factor = 0.5;
  training->reduce_lr.patience = 2;
  training->reduce_lr.min_lr = 1e-5;
  training->reduce_lr.wait = 1;
  training->reduce_lr.best = -INFINITY;
  training->history = g_array_new (FALSE, TRUE, sizeof (CnnEpochLogs));
  g_array_append_val (training->history, logs);
  logs.epoch = 1;
  logs.has_validation = 1;
  logs.val_loss = 0.1 + 0.2;
  logs.val_accuracy = 2.0 / 3.0;
  g_array_append_val (training->history, logs);
}

static void
assert_same_training (const StudioTrainingState *a,
                      const StudioTrainingState *b,
                      size_t                     n_parameters)
{
  const CnnEarlyStopping *ea = &a->early_stopping, *eb = &b->early_stopping;
  const CnnReduceLROnPlateau *ra = &a->reduce_lr, *rb = &b->reduce_lr;

  g_assert_cmpint (a->epoch, ==, b->epoch);
  g_assert_cmpuint (a->seed, ==, b->seed);
  g_assert_cmpint (a->batch_size, ==, b->batch_size);
  g_assert_true (b->has_early_stopping && b->has_reduce_lr);
  g_assert_cmpstr (ea->monitor, ==, eb->monitor);
  g_assert_cmpint (ea->patience, ==, eb->patience);
  g_assert_cmpint (ea->restore_best_weights, ==, eb->restore_best_weights);
  g_assert_cmpint (ea->wait, ==, eb->wait);
  g_assert_cmpint (ea->stopped_epoch, ==, eb->stopped_epoch);
  g_assert_cmpint (ea->best_epoch, ==, eb->best_epoch);
  g_assert_cmpfloat (ea->best, ==, eb->best);
  g_assert_cmpint (ea->has_baseline, ==, eb->has_baseline);
  g_assert_nonnull (eb->best_weights);
  g_assert_cmpmem (ea->best_weights, n_parameters * sizeof (float),
                   eb->best_weights, n_parameters * sizeof (float));
  g_assert_cmpstr (ra->monitor, ==, rb->monitor);
  g_assert_cmpint (ra->mode, ==, rb->mode);
  g_assert_cmpfloat (ra->factor, ==, rb->factor);
  g_assert_cmpint (ra->patience, ==, rb->patience);
  g_assert_cmpfloat (ra->min_delta, ==, rb->min_delta);
  g_assert_cmpfloat (ra->min_lr, ==, rb->min_lr);
  g_assert_cmpint (ra->wait, ==, rb->wait);
  g_assert_cmpint (ra->cooldown_counter, ==, rb->cooldown_counter);
  g_assert_true (isinf (rb->best) && rb->best < 0);
  g_assert_cmpuint (a->history->len, ==, b->history->len);
  g_assert_cmpmem (a->history->data, a->history->len * sizeof (CnnEpochLogs),
                   b->history->data, b->history->len * sizeof (CnnEpochLogs));
}

/* A run saved after some batches and resumed from the file continues with exactly the
 * numbers the uninterrupted run produces: weights, optimizer slots, step, Dropout masks. */
static void
test_resume_round_trip (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "resume.safetensors", NULL);
  g_autoptr(StudioModelFile) loaded = NULL;
  g_autoptr(GError) error = NULL;
  StudioModelFile file = { 0 };
  CnnOptimizerConfig config;
  size_t n_params = 0, n_loaded = 0, n_parameters = 0;

  file.model = small_model_new (5);
  cnn_model_trainable_arena (file.model, &n_params);
  cnn_optimizer_config_init (&config, CNN_OPTIMIZER_ADAM);
  config.learning_rate = 0.01;
  file.optimizer = cnn_optimizer_new (&config, n_params, NULL);
  file.has_loss = TRUE;
  file.loss = CNN_LOSS_SPARSE_CATEGORICAL_CROSSENTROPY;
  train_batches (file.model, file.optimizer, 1, 4);
  cnn_optimizer_set_learning_rate (file.optimizer, 0.005);
  fill_training_state (&file.training, file.model);

  g_assert_true (studio_model_file_save (&file, path, &error));
  loaded = studio_model_file_load (path, &error);
  g_assert_no_error (error);

  assert_same_weights (file.model, loaded->model);
  g_assert_true (loaded->has_loss);
  g_assert_cmpint (loaded->loss, ==, file.loss);
  g_assert_nonnull (loaded->optimizer);
  g_assert_cmpint (cnn_optimizer_config (loaded->optimizer)->type, ==, CNN_OPTIMIZER_ADAM);
  g_assert_cmpfloat (cnn_optimizer_get_learning_rate (loaded->optimizer), ==, 0.005);
  g_assert_cmpint (cnn_optimizer_get_iterations (loaded->optimizer), ==, 4);
  g_assert_cmpint (cnn_optimizer_n_slots (loaded->optimizer), ==, 2);
  cnn_model_trainable_arena (loaded->model, &n_loaded);
  g_assert_cmpuint (n_loaded, ==, n_params);
  for (int slot = 0; slot < 2; slot++)
    {
      const char *name_a, *name_b;
      float *a = cnn_optimizer_slot (file.optimizer, slot, &name_a);
      float *b = cnn_optimizer_slot (loaded->optimizer, slot, &name_b);

      g_assert_cmpstr (name_a, ==, name_b);
      g_assert_cmpmem (a, n_params * sizeof (float), b, n_params * sizeof (float));
    }
  g_assert_cmpuint (cnn_model_get_step (loaded->model), ==, cnn_model_get_step (file.model));
  g_assert_cmpuint (cnn_model_get_seed (loaded->model), ==, cnn_model_get_seed (file.model));
  for (int i = 0; i < cnn_model_n_weights (file.model); i++)
    n_parameters += cnn_model_weight (file.model, i)->size;
  assert_same_training (&file.training, &loaded->training, n_parameters);

  /* Continue both runs: they must stay identical. */
  train_batches (file.model, file.optimizer, 100, 3);
  train_batches (loaded->model, loaded->optimizer, 100, 3);
  assert_same_weights (file.model, loaded->model);
  assert_same_predictions (file.model, loaded->model);

  cnn_model_free (file.model);
  cnn_optimizer_free (file.optimizer);
  cnn_early_stopping_clear (&file.training.early_stopping);
  g_array_unref (file.training.history);
  remove_dir (dir);
}

static void
write_text (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
assert_only_file (const char *dir,
                  const char *name)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *entry;
  int count = 0;

  while ((entry = g_dir_read_name (handle)) != NULL)
    {
      g_assert_cmpstr (entry, ==, name);
      count++;
    }
  g_assert_cmpint (count, ==, 1);
}

static void
test_save_failures (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *plain_file = g_build_filename (dir, "not-a-folder", NULL);
  g_autofree char *under_file = g_build_filename (plain_file, "model.safetensors", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing", "model.safetensors", NULL);
  StudioModelFile file = { 0 };

  file.model = small_model_new (3);
  write_text (plain_file, "plain");
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (studio_model_file_save (&file, missing, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "missing"));
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (studio_model_file_save (&file, under_file, &error));
    g_assert_nonnull (error);
    g_assert_true (error->domain == G_IO_ERROR);
  }
  if (geteuid () != 0)
    {
      g_autofree char *read_only = g_build_filename (dir, "read-only", NULL);
      g_autofree char *target = g_build_filename (read_only, "model.safetensors", NULL);
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (g_mkdir (read_only, 0555), ==, 0);
      g_assert_false (studio_model_file_save (&file, target, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      g_rmdir (read_only);
    }
  cnn_model_free (file.model);
  remove_dir (dir);
}

/* A save that fails while writing (here: the file size limit, which also stops root)
 * leaves the old file as it was and no temporary file behind. */
static void
test_failed_save_keeps_old_file (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "model.safetensors", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  StudioModelFile file = { 0 };
  struct rlimit saved_limit, small_limit;
  void (*saved_handler) (int);
  gboolean saved;

  file.model = small_model_new (4);
  write_text (path, "the old model");
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved_limit), ==, 0);
  small_limit = saved_limit;
  small_limit.rlim_cur = 1024;
  saved_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &small_limit), ==, 0);
  saved = studio_model_file_save (&file, path, &error);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved_limit), ==, 0);
  signal (SIGXFSZ, saved_handler);

  g_assert_false (saved);
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "the old model");
  assert_only_file (dir, "model.safetensors");

  /* And a save that succeeds replaces it. */
  g_clear_error (&error);
  g_assert_true (studio_model_file_save (&file, path, &error));
  g_assert_no_error (error);
  assert_only_file (dir, "model.safetensors");

  cnn_model_free (file.model);
  remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/studio/model-file/weights-round-trip", test_weights_round_trip);
  g_test_add_func ("/studio/model-file/resume-round-trip", test_resume_round_trip);
  g_test_add_func ("/studio/model-file/save-failures", test_save_failures);
  g_test_add_func ("/studio/model-file/failed-save-keeps-old-file",
                   test_failed_save_keeps_old_file);
  return g_test_run ();
}
