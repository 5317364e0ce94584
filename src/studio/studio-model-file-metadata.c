/* studio-model-file-metadata.c — the __metadata__ values of model files, written and read. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "studio-json-private.h"
#include "studio-model-file-private.h"

#define MAX_CLASSES 65536
#define MAX_HISTORY 1000000

static const char * const mode_names[] = { "auto", "min", "max" };

static const char *
mode_name (CnnMonitorMode mode)
{
  return (guint) mode < G_N_ELEMENTS (mode_names) ? mode_names[mode] : "auto";
}

static void G_GNUC_PRINTF (2, 3)
set_corrupt (GError     **error,
             const char  *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_CORRUPT, "%s", message);
}

static JsonObject *
parse_object (const char  *json,
              const char  *what,
              JsonNode   **root,
              GError     **error)
{
  *root = studio_json_parse (json, -1, what, error);
  if (*root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (*root))
    {
      /* Translators: %s names the document, e.g. “The training state”. */
      set_corrupt (error, _("%s is not a JSON object"), what);
      return NULL;
    }
  return json_node_get_object (*root);
}

static void
append_key_double (GString    *out,
                   const char *key,
                   double      value)
{
  g_string_append_printf (out, ", \"%s\": ", key);
  studio_json_append_double (out, value);
}

/* ---------------------------------------------------------------- optimizer */

char *
studio_metadata_optimizer_to_json (CnnOptimizer *optimizer)
{
  const CnnOptimizerConfig *config = cnn_optimizer_config (optimizer);
  const char *name = cnn_optimizer_name (config->type);
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "{\"class_name\": \"%s\", \"config\": {\"name\": \"%s\"",
                          name, name);
  append_key_double (out, "learning_rate", cnn_optimizer_get_learning_rate (optimizer));
  switch (config->type)
    {
    case CNN_OPTIMIZER_SGD:
      append_key_double (out, "momentum", config->momentum);
      g_string_append_printf (out, ", \"nesterov\": %s", config->nesterov ? "true" : "false");
      break;
    case CNN_OPTIMIZER_RMSPROP:
      append_key_double (out, "rho", config->rho);
      append_key_double (out, "epsilon", config->epsilon);
      break;
    case CNN_OPTIMIZER_ADAM:
      append_key_double (out, "beta_1", config->beta_1);
      append_key_double (out, "beta_2", config->beta_2);
      append_key_double (out, "epsilon", config->epsilon);
      break;
    case CNN_N_OPTIMIZERS:
    default:
      g_assert_not_reached ();
    }
  g_string_append_printf (out, "}, \"iterations\": %" G_GINT64_FORMAT "}",
                          cnn_optimizer_get_iterations (optimizer));
  return g_string_free (out, FALSE);
}

/* Reads an optional number into *value, which keeps its default when the key is absent. */
static gboolean
read_setting (JsonObject  *config,
              const char  *key,
              double      *value,
              GError     **error)
{
  if (json_object_get_member (config, key) == NULL)
    return TRUE;
  if (!studio_json_get_double (config, key, value) || !isfinite (*value))
    {
      /* Translators: %s is a setting's Keras name, e.g. learning_rate. */
      set_corrupt (error, _("the optimizer's '%s' is not a finite number"), key);
      return FALSE;
    }
  return TRUE;
}

CnnOptimizer *
studio_metadata_optimizer_from_json (const char  *json,
                                     size_t       n_params,
                                     GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  CnnOptimizerConfig settings;
  CnnError cnn_error = { 0 };
  CnnOptimizerType type;
  CnnOptimizer *optimizer;
  JsonObject *object, *config;
  const char *class_name;
  gboolean nesterov = FALSE;
  gint64 iterations = 0;

  object = parse_object (json, _("The optimizer metadata"), &root, error);
  if (object == NULL)
    return NULL;
  class_name = studio_json_get_string (object, "class_name");
  config = studio_json_get_object (object, "config");
  if (class_name == NULL || config == NULL || !cnn_optimizer_from_name (class_name, &type))
    {
      set_corrupt (error, _("the optimizer metadata names no supported optimizer "
                            "(SGD, RMSprop or Adam)"));
      return NULL;
    }
  cnn_optimizer_config_init (&settings, type);
  if (!read_setting (config, "learning_rate", &settings.learning_rate, error)
      || !read_setting (config, "momentum", &settings.momentum, error)
      || !read_setting (config, "rho", &settings.rho, error)
      || !read_setting (config, "beta_1", &settings.beta_1, error)
      || !read_setting (config, "beta_2", &settings.beta_2, error)
      || !read_setting (config, "epsilon", &settings.epsilon, error))
    return NULL;
  if (studio_json_get_boolean (config, "nesterov", &nesterov))
    settings.nesterov = nesterov ? 1 : 0;
  if (json_object_get_member (object, "iterations") != NULL
      && (!studio_json_get_int64 (object, "iterations", &iterations) || iterations < 0))
    {
      set_corrupt (error, _("the optimizer's iteration count is not a whole number"));
      return NULL;
    }

  optimizer = cnn_optimizer_new (&settings, n_params, &cnn_error);
  if (optimizer == NULL)
    {
      studio_set_error_from_cnn (error, &cnn_error, _("The saved optimizer is not valid: "));
      return NULL;
    }
  cnn_optimizer_set_learning_rate (optimizer, settings.learning_rate);
  cnn_optimizer_set_iterations (optimizer, iterations);
  return optimizer;
}

/* ---------------------------------------------------------------- training state */

static void
append_early_stopping (GString                *out,
                       const CnnEarlyStopping *early_stopping)
{
  g_string_append (out, ", \"early_stopping\": {\"monitor\": ");
  studio_json_append_string (out, early_stopping->monitor);
  append_key_double (out, "min_delta", early_stopping->min_delta);
  g_string_append_printf (out, ", \"patience\": %d, \"mode\": \"%s\", \"baseline\": ",
                          early_stopping->patience, mode_name (early_stopping->mode));
  if (early_stopping->has_baseline)
    studio_json_append_double (out, early_stopping->baseline);
  else
    g_string_append (out, "null");
  g_string_append_printf (out, ", \"restore_best_weights\": %s, \"wait\": %d, "
                          "\"stopped_epoch\": %d, \"best_epoch\": %d",
                          early_stopping->restore_best_weights ? "true" : "false",
                          early_stopping->wait, early_stopping->stopped_epoch,
                          early_stopping->best_epoch);
  append_key_double (out, "best", early_stopping->best);
  g_string_append_printf (out, ", \"has_best_weights\": %s}",
                          early_stopping->best_weights != NULL ? "true" : "false");
}

static void
append_reduce_lr (GString                    *out,
                  const CnnReduceLROnPlateau *reduce_lr)
{
  g_string_append (out, ", \"reduce_lr\": {\"monitor\": ");
  studio_json_append_string (out, reduce_lr->monitor);
  append_key_double (out, "factor", reduce_lr->factor);
  g_string_append_printf (out, ", \"patience\": %d, \"mode\": \"%s\"",
                          reduce_lr->patience, mode_name (reduce_lr->mode));
  append_key_double (out, "min_delta", reduce_lr->min_delta);
  g_string_append_printf (out, ", \"cooldown\": %d", reduce_lr->cooldown);
  append_key_double (out, "min_lr", reduce_lr->min_lr);
  g_string_append_printf (out, ", \"wait\": %d, \"cooldown_counter\": %d",
                          reduce_lr->wait, reduce_lr->cooldown_counter);
  append_key_double (out, "best", reduce_lr->best);
  g_string_append (out, "}");
}

static void
append_history (GString      *out,
                const GArray *history)
{
  g_string_append (out, ", \"history\": [");
  for (guint i = 0; i < history->len; i++)
    {
      const CnnEpochLogs *logs = &g_array_index (history, CnnEpochLogs, i);

      g_string_append_printf (out, "%s{\"epoch\": %d", i > 0 ? ", " : "", logs->epoch);
      append_key_double (out, "loss", logs->loss);
      append_key_double (out, "accuracy", logs->accuracy);
      if (logs->has_validation)
        {
          append_key_double (out, "val_loss", logs->val_loss);
          append_key_double (out, "val_accuracy", logs->val_accuracy);
        }
      append_key_double (out, "lr", logs->lr);
      g_string_append (out, "}");
    }
  g_string_append (out, "]");
}

static void
append_pair (GString      *out,
             const char   *key,
             const double  pair[2])
{
  g_string_append_printf (out, ", \"%s\": [", key);
  studio_json_append_double (out, pair[0]);
  g_string_append (out, ", ");
  studio_json_append_double (out, pair[1]);
  g_string_append (out, "]");
}

/* ImageDataGenerator's arguments, under their Keras names. */
static void
append_data_settings (GString                   *out,
                      const StudioTrainingState *training)
{
  const StudioAugmentSettings *augment = &training->augment;

  g_string_append (out, ", \"data\": {\"validation_split\": ");
  studio_json_append_double (out, training->validation_split);
  g_string_append_printf (out, ", \"stratify\": %s, \"limit\": \"%" G_GUINT64_FORMAT "\", "
                          "\"steps_per_epoch\": \"%" G_GINT64_FORMAT "\", \"augmentation\": {",
                          training->stratify ? "true" : "false", training->limit,
                          training->steps_per_epoch);
  g_string_append (out, "\"rotation_range\": ");
  studio_json_append_double (out, augment->rotation_range);
  append_key_double (out, "width_shift_range", augment->width_shift_range);
  append_key_double (out, "height_shift_range", augment->height_shift_range);
  append_key_double (out, "shear_range", augment->shear_range);
  append_pair (out, "zoom_range", augment->zoom_range);
  g_string_append_printf (out, ", \"horizontal_flip\": %s, \"vertical_flip\": %s, "
                          "\"fill_mode\": \"%s\"",
                          augment->horizontal_flip ? "true" : "false",
                          augment->vertical_flip ? "true" : "false",
                          studio_fill_mode_name (augment->fill_mode));
  append_key_double (out, "cval", augment->cval);
  if (augment->has_brightness_range)
    append_pair (out, "brightness_range", augment->brightness_range);
  append_key_double (out, "rescale", augment->rescale);
  g_string_append (out, "}}");
}

char *
studio_metadata_training_to_json (const StudioTrainingState *training,
                                  guint64                    model_seed,
                                  guint64                    model_step)
{
  GString *out = g_string_new (NULL);

  /* Seeds and steps are unsigned 64-bit: strings keep every bit through any JSON reader. */
  g_string_append_printf (out, "{\"epoch\": %d, \"step\": \"%" G_GUINT64_FORMAT "\", "
                          "\"model_seed\": \"%" G_GUINT64_FORMAT "\", "
                          "\"seed\": \"%" G_GUINT64_FORMAT "\", \"batch_size\": %d",
                          training->epoch, model_step, model_seed, training->seed,
                          training->batch_size);
  if (training->has_early_stopping)
    append_early_stopping (out, &training->early_stopping);
  if (training->has_reduce_lr)
    append_reduce_lr (out, &training->reduce_lr);
  if (training->history != NULL)
    append_history (out, training->history);
  if (training->has_data_settings)
    append_data_settings (out, training);
  g_string_append (out, "}");
  return g_string_free (out, FALSE);
}

static gboolean
read_int (JsonObject  *object,
          const char  *key,
          int          minimum,
          int         *value,
          GError     **error)
{
  gint64 number;

  if (!studio_json_get_int64 (object, key, &number) || number < minimum || number > G_MAXINT)
    {
      /* Translators: %s is a Keras or ConvStudio key, e.g. patience. */
      set_corrupt (error, _("the training state's '%s' is missing or not a valid number"), key);
      return FALSE;
    }
  *value = (int) number;
  return TRUE;
}

static gboolean
read_double (JsonObject  *object,
             const char  *key,
             double      *value,
             GError     **error)
{
  if (!studio_json_get_double (object, key, value))
    {
      /* Translators: %s is a Keras or ConvStudio key, e.g. min_delta. */
      set_corrupt (error, _("the training state's '%s' is missing or not a number"), key);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_uint64 (JsonObject  *object,
             const char  *key,
             guint64     *value,
             GError     **error)
{
  const char *text = studio_json_get_string (object, key);

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, value, NULL))
    {
      /* Translators: %s is a ConvStudio key, e.g. seed. */
      set_corrupt (error, _("the training state's '%s' is missing or not a whole number"), key);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_monitor (JsonObject      *object,
              char             monitor[CNN_NAME_MAX],
              CnnMonitorMode  *mode,
              GError         **error)
{
  const char *name = studio_json_get_string (object, "monitor");
  const char *mode_text = studio_json_get_string (object, "mode");

  if (name == NULL || strlen (name) >= CNN_NAME_MAX || mode_text == NULL)
    {
      set_corrupt (error, _("a callback's monitor or mode is missing from the training state"));
      return FALSE;
    }
  g_strlcpy (monitor, name, CNN_NAME_MAX);
  for (guint i = 0; i < G_N_ELEMENTS (mode_names); i++)
    if (g_str_equal (mode_text, mode_names[i]))
      {
        *mode = (CnnMonitorMode) i;
        return TRUE;
      }
  set_corrupt (error, _("a callback's mode '%s' is not auto, min or max"), mode_text);
  return FALSE;
}

static gboolean
read_early_stopping (JsonObject        *object,
                     CnnEarlyStopping  *early_stopping,
                     gboolean          *has_best_weights,
                     GError           **error)
{
  gboolean restore = FALSE;

  cnn_early_stopping_init (early_stopping);
  if (!read_monitor (object, early_stopping->monitor, &early_stopping->mode, error)
      || !read_double (object, "min_delta", &early_stopping->min_delta, error)
      || !read_int (object, "patience", 0, &early_stopping->patience, error)
      || !read_int (object, "wait", 0, &early_stopping->wait, error)
      || !read_int (object, "stopped_epoch", -1, &early_stopping->stopped_epoch, error)
      || !read_int (object, "best_epoch", -1, &early_stopping->best_epoch, error)
      || !read_double (object, "best", &early_stopping->best, error))
    return FALSE;
  early_stopping->has_baseline = studio_json_get_double (object, "baseline",
                                                         &early_stopping->baseline);
  studio_json_get_boolean (object, "restore_best_weights", &restore);
  early_stopping->restore_best_weights = restore ? 1 : 0;
  *has_best_weights = FALSE;
  studio_json_get_boolean (object, "has_best_weights", has_best_weights);
  return TRUE;
}

static gboolean
read_reduce_lr (JsonObject            *object,
                CnnReduceLROnPlateau  *reduce_lr,
                GError               **error)
{
  cnn_reduce_lr_init (reduce_lr);
  return read_monitor (object, reduce_lr->monitor, &reduce_lr->mode, error)
         && read_double (object, "factor", &reduce_lr->factor, error)
         && read_int (object, "patience", 0, &reduce_lr->patience, error)
         && read_double (object, "min_delta", &reduce_lr->min_delta, error)
         && read_int (object, "cooldown", 0, &reduce_lr->cooldown, error)
         && read_double (object, "min_lr", &reduce_lr->min_lr, error)
         && read_int (object, "wait", 0, &reduce_lr->wait, error)
         && read_int (object, "cooldown_counter", 0, &reduce_lr->cooldown_counter, error)
         && read_double (object, "best", &reduce_lr->best, error);
}

static gboolean
read_history (JsonArray  *array,
              GArray    **history,
              GError    **error)
{
  guint length = json_array_get_length (array);

  if (length > MAX_HISTORY)
    {
      set_corrupt (error, _("the training history has more than %d epochs"), MAX_HISTORY);
      return FALSE;
    }
  *history = g_array_sized_new (FALSE, TRUE, sizeof (CnnEpochLogs), length);
  for (guint i = 0; i < length; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      CnnEpochLogs logs = { 0 };

      if (object == NULL
          || !read_int (object, "epoch", 0, &logs.epoch, error)
          || !read_double (object, "loss", &logs.loss, error)
          || !read_double (object, "accuracy", &logs.accuracy, error)
          || !read_double (object, "lr", &logs.lr, error))
        {
          if (object == NULL)
            set_corrupt (error, _("an entry of the training history is not an object"));
          return FALSE;
        }
      logs.has_validation = studio_json_get_double (object, "val_loss", &logs.val_loss)
                            && studio_json_get_double (object, "val_accuracy",
                                                       &logs.val_accuracy);
      g_array_append_val (*history, logs);
    }
  return TRUE;
}

static gboolean
read_pair (JsonObject  *object,
           const char  *key,
           double       pair[2],
           GError     **error)
{
  JsonArray *array = studio_json_get_array (object, key);

  for (guint i = 0; array != NULL && json_array_get_length (array) == 2 && i < 2; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_NONE;

      if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
        break;
      pair[i] = json_node_get_double (node);
      if (i == 1)
        return TRUE;
    }
  /* Translators: %s is a Keras ImageDataGenerator argument, e.g. zoom_range. */
  set_corrupt (error, _("the augmentation's '%s' is not a pair of numbers"), key);
  return FALSE;
}

static gboolean
read_data_settings (JsonObject           *object,
                    StudioTrainingState  *training,
                    GError              **error)
{
  JsonObject *augmentation = studio_json_get_object (object, "augmentation");
  StudioAugmentSettings *augment = &training->augment;
  const char *fill_mode;
  const char *limit = studio_json_get_string (object, "limit");
  const char *steps = studio_json_get_string (object, "steps_per_epoch");

  studio_augment_settings_init (augment);
  if (augmentation == NULL || limit == NULL || steps == NULL
      || !g_ascii_string_to_unsigned (limit, 10, 0, G_MAXUINT64, &training->limit, NULL)
      || !g_ascii_string_to_signed (steps, 10, 0, G_MAXINT64, &training->steps_per_epoch, NULL))
    {
      set_corrupt (error, _("the training state's data settings are incomplete"));
      return FALSE;
    }
  studio_json_get_boolean (object, "stratify", &training->stratify);
  studio_json_get_boolean (augmentation, "horizontal_flip", &augment->horizontal_flip);
  studio_json_get_boolean (augmentation, "vertical_flip", &augment->vertical_flip);
  fill_mode = studio_json_get_string (augmentation, "fill_mode");
  if (fill_mode == NULL || !studio_fill_mode_from_name (fill_mode, &augment->fill_mode))
    {
      set_corrupt (error, _("the augmentation's fill_mode is missing or unknown"));
      return FALSE;
    }
  augment->has_brightness_range = studio_json_get_array (augmentation, "brightness_range") != NULL;
  return read_double (object, "validation_split", &training->validation_split, error)
         && read_double (augmentation, "rotation_range", &augment->rotation_range, error)
         && read_double (augmentation, "width_shift_range", &augment->width_shift_range, error)
         && read_double (augmentation, "height_shift_range", &augment->height_shift_range, error)
         && read_double (augmentation, "shear_range", &augment->shear_range, error)
         && read_pair (augmentation, "zoom_range", augment->zoom_range, error)
         && read_double (augmentation, "cval", &augment->cval, error)
         && (!augment->has_brightness_range
             || read_pair (augmentation, "brightness_range", augment->brightness_range, error))
         && read_double (augmentation, "rescale", &augment->rescale, error);
}

gboolean
studio_metadata_training_from_json (const char           *json,
                                    StudioTrainingState  *training,
                                    guint64              *model_seed,
                                    guint64              *model_step,
                                    gboolean             *has_best_weights,
                                    GError              **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object, *early_stopping, *reduce_lr, *data;
  JsonArray *history;

  *has_best_weights = FALSE;
  object = parse_object (json, _("The training state"), &root, error);
  if (object == NULL
      || !read_int (object, "epoch", 0, &training->epoch, error)
      || !read_uint64 (object, "step", model_step, error)
      || !read_uint64 (object, "model_seed", model_seed, error)
      || !read_uint64 (object, "seed", &training->seed, error)
      || !read_int (object, "batch_size", 0, &training->batch_size, error))
    return FALSE;

  early_stopping = studio_json_get_object (object, "early_stopping");
  training->has_early_stopping = early_stopping != NULL;
  if (early_stopping != NULL
      && !read_early_stopping (early_stopping, &training->early_stopping, has_best_weights,
                               error))
    return FALSE;
  reduce_lr = studio_json_get_object (object, "reduce_lr");
  training->has_reduce_lr = reduce_lr != NULL;
  if (reduce_lr != NULL && !read_reduce_lr (reduce_lr, &training->reduce_lr, error))
    return FALSE;
  data = studio_json_get_object (object, "data");
  training->has_data_settings = data != NULL;
  if (data != NULL && !read_data_settings (data, training, error))
    return FALSE;
  history = studio_json_get_array (object, "history");
  return history == NULL || read_history (history, &training->history, error);
}

/* ---------------------------------------------------------------- class names */

char *
studio_metadata_class_names_to_json (char **class_names)
{
  GString *out = g_string_new ("[");

  for (guint i = 0; class_names != NULL && class_names[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      studio_json_append_string (out, class_names[i]);
    }
  g_string_append (out, "]");
  return g_string_free (out, FALSE);
}

char **
studio_metadata_class_names_from_json (const char  *json,
                                       GError     **error)
{
  g_autoptr(JsonNode) root = studio_json_parse (json, -1, _("The class names"), error);
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;
  guint length;

  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (root)
      || (length = json_array_get_length (array = json_node_get_array (root))) > MAX_CLASSES)
    {
      set_corrupt (error, _("the class names are not a list of at most %d names"), MAX_CLASSES);
      return NULL;
    }
  builder = g_strv_builder_new ();
  for (guint i = 0; i < length; i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          set_corrupt (error, _("class name %u is not a string"), i + 1);
          return NULL;
        }
      g_strv_builder_add (builder, json_node_get_string (node));
    }
  return g_strv_builder_end (builder);
}
