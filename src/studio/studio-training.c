/* studio-training.c — what a training run needs, shared by the window and the CLI. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "studio-error.h"
#include "studio-split.h"
#include "studio-training.h"

void
studio_training_config_init (StudioTrainingConfig *config)
{
  g_return_if_fail (config != NULL);

  memset (config, 0, sizeof *config);
  config->epochs = 10;
  config->batch_size = 32;
  config->seed = 42;
  config->loss = CNN_LOSS_CATEGORICAL_CROSSENTROPY;
  cnn_optimizer_config_init (&config->optimizer, CNN_OPTIMIZER_ADAM);
  studio_augment_settings_init (&config->augment);
  config->augment.rescale = 1.0 / 255;
  cnn_early_stopping_init (&config->early_stopping);
  cnn_reduce_lr_init (&config->reduce_lr);
}

gboolean
studio_training_config_init_recipe (StudioTrainingConfig *config,
                                    const char           *recipe)
{
  studio_training_config_init (config);

  if (g_strcmp0 (recipe, "fashion-mnist") == 0)
    {
      config->batch_size = 200;
      config->validation_split = 0.2;
      config->has_early_stopping = TRUE;
      config->early_stopping.patience = 10;
      config->has_reduce_lr = TRUE;
      g_strlcpy (config->reduce_lr.monitor, "val_accuracy", sizeof config->reduce_lr.monitor);
      config->reduce_lr.patience = 2;
      config->reduce_lr.factor = 0.5;
      config->reduce_lr.min_lr = 0.00001;
      return TRUE;
    }
  if (g_strcmp0 (recipe, "dogs-vs-cats") == 0)
    {
      StudioAugmentSettings *augment = &config->augment;

      config->batch_size = 15;
      config->validation_split = 0.2;
      cnn_optimizer_config_init (&config->optimizer, CNN_OPTIMIZER_RMSPROP);
      augment->rotation_range = 15;
      augment->shear_range = 0.1;
      studio_augment_settings_set_zoom (augment, 0.2);
      augment->horizontal_flip = TRUE;
      augment->width_shift_range = 0.1;
      augment->height_shift_range = 0.1;
      config->has_early_stopping = TRUE;
      config->early_stopping.patience = 10;
      config->has_reduce_lr = TRUE;
      g_strlcpy (config->reduce_lr.monitor, "val_accuracy", sizeof config->reduce_lr.monitor);
      config->reduce_lr.patience = 2;
      config->reduce_lr.factor = 0.5;
      config->reduce_lr.min_lr = 0.00001;
      return TRUE;
    }
  return FALSE;
}

char *
studio_seed_model_path (const char *recipe)
{
  g_autofree char *name = g_strconcat (recipe, ".json", NULL);
  const char *folders[] = { g_getenv ("CONVSTUDIO_DATA_DIR"), PKGDATADIR, SOURCE_DATADIR };

  g_return_val_if_fail (recipe != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *path = NULL;

      if (folders[i] == NULL)
        continue;
      path = g_build_filename (folders[i], "models", name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return g_build_filename (PKGDATADIR, "models", name, NULL);
}

/* ---------------------------------------------------------------- callback keywords */

static gboolean
parse_double_value (const char  *key,
                    const char  *text,
                    double      *value,
                    GError     **error)
{
  char *end = NULL;

  errno = 0;
  *value = g_ascii_strtod (text, &end);
  if (errno != 0 || end == text || *end != '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” needs a number, not “%s”."), key, text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_int_value (const char  *key,
                 const char  *text,
                 int         *value,
                 GError     **error)
{
  double number;

  if (!parse_double_value (key, text, &number, error))
    return FALSE;
  if (number < 0 || number > G_MAXINT || number != (int) number)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” needs a whole number of 0 or more, not “%s”."), key, text);
      return FALSE;
    }
  *value = (int) number;
  return TRUE;
}

static gboolean
parse_bool_value (const char  *key,
                  const char  *text,
                  int         *value,
                  GError     **error)
{
  if (g_ascii_strcasecmp (text, "true") == 0 || g_strcmp0 (text, "1") == 0)
    *value = 1;
  else if (g_ascii_strcasecmp (text, "false") == 0 || g_strcmp0 (text, "0") == 0)
    *value = 0;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” needs true or false, not “%s”."), key, text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_mode_value (const char      *text,
                  CnnMonitorMode  *mode,
                  GError         **error)
{
  if (g_strcmp0 (text, "auto") == 0)
    *mode = CNN_MODE_AUTO;
  else if (g_strcmp0 (text, "min") == 0)
    *mode = CNN_MODE_MIN;
  else if (g_strcmp0 (text, "max") == 0)
    *mode = CNN_MODE_MAX;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“mode” is auto, min or max, not “%s”."), text);
      return FALSE;
    }
  return TRUE;
}

/* Splits "a=1,b=2" into pairs; a bare value is the `bare_key`'s. Quotes around values
 * (monitor='val_loss', as in Python) are dropped. */
static char **
split_keywords (const char *text,
                const char *bare_key)
{
  g_auto (GStrv) items = g_strsplit (text, ",", -1);
  GPtrArray *pairs = g_ptr_array_new ();

  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      char *equals = strchr (item, '=');
      char *value;

      if (*item == '\0')
        continue;
      if (equals == NULL)
        {
          g_ptr_array_add (pairs, g_strdup (bare_key));
          value = item;
        }
      else
        {
          *equals = '\0';
          g_ptr_array_add (pairs, g_strdup (g_strstrip (item)));
          value = g_strstrip (equals + 1);
        }
      if (strlen (value) >= 2 && (value[0] == '\'' || value[0] == '"')
          && value[strlen (value) - 1] == value[0])
        g_ptr_array_add (pairs, g_strndup (value + 1, strlen (value) - 2));
      else
        g_ptr_array_add (pairs, g_strdup (value));
    }
  g_ptr_array_add (pairs, NULL);
  return (char **) g_ptr_array_free (pairs, FALSE);
}

static gboolean
set_monitor (char        *monitor,
             gsize        size,
             const char  *value,
             GError     **error)
{
  if (*value == '\0' || strlen (value) >= size)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a metric name."), value);
      return FALSE;
    }
  g_strlcpy (monitor, value, size);
  return TRUE;
}

static gboolean
unknown_keyword (const char  *callback,
                 const char  *key,
                 const char  *known,
                 GError     **error)
{
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("%s has no setting “%s” (it has %s)."), callback, key, known);
  return FALSE;
}

gboolean
studio_parse_early_stopping (const char        *text,
                             CnnEarlyStopping  *early_stopping,
                             GError           **error)
{
  g_auto (GStrv) pairs = split_keywords (text, "patience");

  cnn_early_stopping_init (early_stopping);
  for (guint i = 0; pairs[i] != NULL; i += 2)
    {
      const char *key = pairs[i], *value = pairs[i + 1];
      gboolean ok;

      if (g_strcmp0 (key, "patience") == 0)
        ok = parse_int_value (key, value, &early_stopping->patience, error);
      else if (g_strcmp0 (key, "monitor") == 0)
        ok = set_monitor (early_stopping->monitor, sizeof early_stopping->monitor, value, error);
      else if (g_strcmp0 (key, "min_delta") == 0)
        ok = parse_double_value (key, value, &early_stopping->min_delta, error);
      else if (g_strcmp0 (key, "mode") == 0)
        ok = parse_mode_value (value, &early_stopping->mode, error);
      else if (g_strcmp0 (key, "baseline") == 0)
        ok = early_stopping->has_baseline =
               parse_double_value (key, value, &early_stopping->baseline, error);
      else if (g_strcmp0 (key, "restore_best_weights") == 0)
        ok = parse_bool_value (key, value, &early_stopping->restore_best_weights, error);
      else
        ok = unknown_keyword ("EarlyStopping", key,
                              "monitor, min_delta, patience, mode, baseline, "
                              "restore_best_weights", error);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

gboolean
studio_parse_reduce_lr (const char            *text,
                        CnnReduceLROnPlateau  *reduce_lr,
                        GError               **error)
{
  g_auto (GStrv) pairs = split_keywords (text, "patience");

  cnn_reduce_lr_init (reduce_lr);
  for (guint i = 0; pairs[i] != NULL; i += 2)
    {
      const char *key = pairs[i], *value = pairs[i + 1];
      gboolean ok;

      if (g_strcmp0 (key, "patience") == 0)
        ok = parse_int_value (key, value, &reduce_lr->patience, error);
      else if (g_strcmp0 (key, "monitor") == 0)
        ok = set_monitor (reduce_lr->monitor, sizeof reduce_lr->monitor, value, error);
      else if (g_strcmp0 (key, "factor") == 0)
        {
          ok = parse_double_value (key, value, &reduce_lr->factor, error);
          if (ok && (reduce_lr->factor <= 0 || reduce_lr->factor >= 1))
            {
              /* Keras: "ReduceLROnPlateau does not support a factor >= 1.0." */
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("ReduceLROnPlateau needs a factor between 0 and 1, not %s."),
                           value);
              ok = FALSE;
            }
        }
      else if (g_strcmp0 (key, "min_delta") == 0)
        ok = parse_double_value (key, value, &reduce_lr->min_delta, error);
      else if (g_strcmp0 (key, "cooldown") == 0)
        ok = parse_int_value (key, value, &reduce_lr->cooldown, error);
      else if (g_strcmp0 (key, "min_lr") == 0)
        ok = parse_double_value (key, value, &reduce_lr->min_lr, error);
      else if (g_strcmp0 (key, "mode") == 0)
        ok = parse_mode_value (value, &reduce_lr->mode, error);
      else
        ok = unknown_keyword ("ReduceLROnPlateau", key,
                              "monitor, factor, patience, mode, min_delta, cooldown, min_lr",
                              error);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------------------- model and data */

gboolean
studio_training_check_input (CnnModel       *model,
                             StudioDataset  *dataset,
                             GError        **error)
{
  int height, width, channels;

  cnn_model_input_shape (model, &height, &width, &channels);
  if (channels != studio_dataset_get_channels (dataset))
    {
      g_set_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_SHAPE,
                   _("The model expects %d channels, but the images of “%s” have %d."),
                   channels, studio_dataset_get_name (dataset),
                   studio_dataset_get_channels (dataset));
      return FALSE;
    }
  if (height != studio_dataset_get_height (dataset) || width != studio_dataset_get_width (dataset))
    {
      g_set_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_SHAPE,
                   _("The model expects %d × %d images, but “%s” has %d × %d."),
                   height, width, studio_dataset_get_name (dataset),
                   studio_dataset_get_height (dataset), studio_dataset_get_width (dataset));
      return FALSE;
    }
  return TRUE;
}

gboolean
studio_training_check_model (CnnModel       *model,
                             StudioDataset  *dataset,
                             CnnLoss         loss,
                             GError        **error)
{
  guint n_classes = studio_dataset_get_n_classes (dataset);
  int n_outputs = cnn_model_n_outputs (model);

  if (!studio_training_check_input (model, dataset, error))
    return FALSE;
  if (loss == CNN_LOSS_BINARY_CROSSENTROPY ? (n_outputs != 1 || n_classes != 2)
                                           : (guint) n_outputs != n_classes)
    {
      g_set_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_SHAPE,
                   _("The model’s last layer has %d units, but “%s” has %u classes "
                     "(%s needs %s)."),
                   n_outputs, studio_dataset_get_name (dataset), n_classes,
                   cnn_loss_name (loss),
                   loss == CNN_LOSS_BINARY_CROSSENTROPY ? _("one unit and two classes")
                                                        : _("one unit per class"));
      return FALSE;
    }
  return TRUE;
}

static guint32 *
range_indices (gsize start,
               gsize count)
{
  guint32 *indices = g_new (guint32, MAX (count, 1));

  for (gsize i = 0; i < count; i++)
    indices[i] = (guint32) (start + i);
  return indices;
}

gboolean
studio_training_split (StudioDataset     *dataset,
                       gsize              n,
                       double             validation_split,
                       gboolean           stratify,
                       guint32            seed,
                       StudioIndexSplit  *split,
                       GError           **error)
{
  gsize split_at;

  g_return_val_if_fail (STUDIO_IS_DATASET (dataset), FALSE);
  g_return_val_if_fail (split != NULL, FALSE);

  /* Image folders carry filenames: train_test_split on the sorted file list. */
  if (n > 0 && studio_dataset_get_filename (dataset, STUDIO_SPLIT_TRAIN, 0) != NULL)
    {
      if (stratify)
        return studio_split_train_test_stratified (studio_dataset_get_labels (dataset,
                                                                              STUDIO_SPLIT_TRAIN),
                                                   n, studio_dataset_get_n_classes (dataset),
                                                   validation_split, seed, split, error);
      return studio_split_train_test (n, validation_split, seed, split, error);
    }

  /* Arrays: Keras's validation_split holds back the last rows. */
  split_at = (gsize) cnn_validation_split_index ((int64_t) n, validation_split);
  if (split_at == 0 || split_at == n)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("A validation split of %g leaves no samples in one part of the "
                     "%llu samples."), validation_split, (unsigned long long) n);
      return FALSE;
    }
  split->train = range_indices (0, split_at);
  split->n_train = split_at;
  split->test = range_indices (split_at, n - split_at);
  split->n_test = n - split_at;
  return TRUE;
}

StudioTrainingData *
studio_training_data_new (StudioDataset              *dataset,
                          StudioDataset              *validation,
                          const StudioTrainingConfig *config,
                          GError                    **error)
{
  g_autoptr (StudioTrainingData) data = g_new0 (StudioTrainingData, 1);
  StudioAugmentSettings plain;
  StudioDataset *validation_dataset = NULL;
  gsize n = studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TRAIN);

  g_return_val_if_fail (STUDIO_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  if (config->limit > 0)
    n = MIN (n, config->limit);
  if (n == 0)
    {
      g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_EMPTY,
                   _("“%s” has no training samples."), studio_dataset_get_name (dataset));
      return NULL;
    }

  data->n_classes = studio_dataset_get_n_classes (dataset);
  data->validation_split = STUDIO_SPLIT_TRAIN;
  if (validation != NULL)
    {
      /* The same dataset as validation means its test split (Keras's validation_data). */
      data->validation_split = validation == dataset ? STUDIO_SPLIT_TEST : STUDIO_SPLIT_TRAIN;
      data->n_validation = studio_dataset_get_n_samples (validation, data->validation_split);
      if (data->n_validation == 0)
        {
          g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_EMPTY,
                       _("The validation data “%s” has no samples."),
                       studio_dataset_get_name (validation));
          return NULL;
        }
      data->train_indices = range_indices (0, n);
      data->n_train = n;
      data->validation_indices = range_indices (0, data->n_validation);
      validation_dataset = validation;
    }
  else if (config->validation_split > 0)
    {
      StudioIndexSplit split = { 0 };

      if (!studio_training_split (dataset, n, config->validation_split, config->stratify,
                                  config->seed, &split, error))
        return NULL;
      data->train_indices = g_steal_pointer (&split.train);
      data->n_train = split.n_train;
      data->validation_indices = g_steal_pointer (&split.test);
      data->n_validation = split.n_test;
      validation_dataset = dataset;
    }
  else
    {
      data->train_indices = range_indices (0, n);
      data->n_train = n;
    }

  data->train = studio_batches_new (dataset, STUDIO_SPLIT_TRAIN, data->train_indices,
                                    data->n_train, TRUE, &config->augment, config->seed);
  data->train_counts = g_new0 (gsize, data->n_classes);
  data->validation_counts = g_new0 (gsize, data->n_classes);
  studio_split_count_classes (studio_dataset_get_labels (dataset, STUDIO_SPLIT_TRAIN),
                              data->train_indices, data->n_train, data->n_classes,
                              data->train_counts);

  if (validation_dataset != NULL)
    {
      /* Validation images are only rescaled, as Keras's validation generator does. */
      studio_augment_settings_init (&plain);
      plain.rescale = config->augment.rescale;
      data->validation = studio_batches_new (validation_dataset, data->validation_split,
                                             data->validation_indices, data->n_validation,
                                             FALSE, &plain, config->seed);
      studio_split_count_classes (studio_dataset_get_labels (validation_dataset,
                                                             data->validation_split),
                                  data->validation_indices, data->n_validation,
                                  MIN (data->n_classes,
                                       studio_dataset_get_n_classes (validation_dataset)),
                                  data->validation_counts);
    }
  return g_steal_pointer (&data);
}

void
studio_training_data_free (StudioTrainingData *data)
{
  if (data == NULL)
    return;
  g_clear_pointer (&data->train, studio_batches_free);
  g_clear_pointer (&data->validation, studio_batches_free);
  g_free (data->train_indices);
  g_free (data->validation_indices);
  g_free (data->train_counts);
  g_free (data->validation_counts);
  g_free (data);
}

void
studio_training_state_set (StudioTrainingState        *state,
                           const StudioTrainingConfig *config,
                           int                         epochs_done,
                           const CnnEarlyStopping     *early_stopping,
                           const CnnReduceLROnPlateau *reduce_lr,
                           GArray                     *history)
{
  g_return_if_fail (state != NULL && config != NULL);

  memset (state, 0, sizeof *state);
  state->epoch = epochs_done;
  state->seed = config->seed;
  state->batch_size = config->batch_size;
  state->has_early_stopping = early_stopping != NULL;
  if (early_stopping != NULL)
    state->early_stopping = *early_stopping;
  state->has_reduce_lr = reduce_lr != NULL;
  if (reduce_lr != NULL)
    state->reduce_lr = *reduce_lr;
  state->history = history;
  state->has_data_settings = TRUE;
  state->validation_split = config->validation_split;
  state->stratify = config->stratify;
  state->limit = config->limit;
  state->steps_per_epoch = config->steps_per_epoch;
  state->augment = config->augment;
}

void
studio_training_config_resume (StudioTrainingConfig      *config,
                               const StudioTrainingState *state)
{
  g_return_if_fail (config != NULL && state != NULL);

  config->seed = (guint32) state->seed;
  if (state->batch_size > 0)
    config->batch_size = state->batch_size;
  if (!state->has_data_settings)
    return;
  config->validation_split = state->validation_split;
  config->stratify = state->stratify;
  config->limit = state->limit;
  config->steps_per_epoch = state->steps_per_epoch;
  config->augment = state->augment;
}
