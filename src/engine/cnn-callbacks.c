/* cnn-callbacks.c — EarlyStopping and ReduceLROnPlateau with tf.keras 2.x's exact decisions. */
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Both callbacks act at the end of an epoch on the metrics History records. Their rules are
// keras/callbacks.py of tf.keras 2.11–2.12 (KERAS.md, "Callbacks"); the messages are the
// lines Keras prints with verbose=1.

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cnn.h"
#include "cnn-training-private.h"

/* ---------------------------------------------------------------- numbers as Python prints them */

void
cnn_format_python_float (double value, char *buffer, size_t size)
{
  if (buffer == NULL || size == 0)
    return;
  if (isnan (value))
    {
      snprintf (buffer, size, "nan");
      return;
    }
  if (isinf (value))
    {
      snprintf (buffer, size, value < 0 ? "-inf" : "inf");
      return;
    }
  if (value == 0.0)
    {
      snprintf (buffer, size, signbit (value) ? "-0.0" : "0.0");
      return;
    }

  /* The fewest significant digits that read back as the same double: Python's repr. */
  char scientific[40];
  for (int precision = 1; precision <= 17; precision++)
    {
      snprintf (scientific, sizeof scientific, "%.*e", precision - 1, value);
      if (strtod (scientific, NULL) == value)
        break;
    }

  /* Split "-d.ddde±XX" into its digits and decimal exponent. */
  const char *cursor = scientific;
  int negative = *cursor == '-';
  if (negative)
    cursor++;
  char digits[24];
  int n_digits = 0;
  for (; *cursor != 'e' && *cursor != '\0'; cursor++)
    if (*cursor >= '0' && *cursor <= '9' && n_digits < (int) sizeof digits - 1)
      digits[n_digits++] = *cursor;
  while (n_digits > 1 && digits[n_digits - 1] == '0')
    n_digits--;
  digits[n_digits] = '\0';
  int exponent = *cursor == 'e' ? atoi (cursor + 1) : 0;
  /* value = 0.DIGITS × 10^decimal_point, as CPython's float_repr names it */
  int decimal_point = exponent + 1;

  char text[64];
  size_t length = 0;
  if (negative)
    text[length++] = '-';
  if (decimal_point <= -4 || decimal_point > 16)
    {
      text[length++] = digits[0];
      if (n_digits > 1)
        {
          text[length++] = '.';
          memcpy (text + length, digits + 1, (size_t) n_digits - 1);
          length += (size_t) n_digits - 1;
        }
      snprintf (text + length, sizeof text - length, "e%c%02d", exponent < 0 ? '-' : '+',
                abs (exponent));
    }
  else if (decimal_point <= 0)
    {
      text[length++] = '0';
      text[length++] = '.';
      for (int i = 0; i < -decimal_point; i++)
        text[length++] = '0';
      memcpy (text + length, digits, (size_t) n_digits);
      text[length + (size_t) n_digits] = '\0';
    }
  else if (decimal_point < n_digits)
    {
      memcpy (text + length, digits, (size_t) decimal_point);
      length += (size_t) decimal_point;
      text[length++] = '.';
      memcpy (text + length, digits + decimal_point, (size_t) (n_digits - decimal_point));
      text[length + (size_t) (n_digits - decimal_point)] = '\0';
    }
  else
    {
      memcpy (text + length, digits, (size_t) n_digits);
      length += (size_t) n_digits;
      for (int i = n_digits; i < decimal_point; i++)
        text[length++] = '0';
      memcpy (text + length, ".0", 3);
    }
  snprintf (buffer, size, "%s", text);
}

/* ---------------------------------------------------------------- epoch logs */

int
cnn_epoch_logs_get (const CnnEpochLogs *logs, const char *name, double *value)
{
  if (logs == NULL || name == NULL)
    return 0;
  double found;
  if (strcmp (name, "loss") == 0)
    found = logs->loss;
  else if (strcmp (name, "accuracy") == 0)
    found = logs->accuracy;
  else if (strcmp (name, "lr") == 0)
    found = logs->lr;
  else if (logs->has_validation && strcmp (name, "val_loss") == 0)
    found = logs->val_loss;
  else if (logs->has_validation && strcmp (name, "val_accuracy") == 0)
    found = logs->val_accuracy;
  else
    return 0;
  if (value != NULL)
    *value = found;
  return 1;
}

void
cnn_epoch_logs_names (const CnnEpochLogs *logs, char *buffer, size_t size)
{
  snprintf (buffer, size, "%s",
            logs != NULL && logs->has_validation
            ? "loss,accuracy,val_loss,val_accuracy,lr" : "loss,accuracy,lr");
}

static void
sink_emit (CnnMessageSink *sink, const char *message)
{
  if (sink != NULL && sink->emit != NULL)
    sink->emit (sink->user_data, message);
}

/* Keras logs this warning every epoch; a sink says it once per fit call. */
static void
warn_missing_monitor (CnnMessageSink *sink, const char *what, const char *monitor,
                      const CnnEpochLogs *logs)
{
  if (sink == NULL || !sink->warn_missing_monitor)
    return;
  char names[128];
  char message[CNN_MESSAGE_MAX];
  cnn_epoch_logs_names (logs, names, sizeof names);
  snprintf (message, sizeof message,
            "%s on metric `%s` which is not available. Available metrics are: %s",
            what, monitor, names);
  sink_emit (sink, message);
  sink->warn_missing_monitor = 0;
}

static int
ends_with (const char *text, const char *suffix)
{
  size_t text_length = strlen (text);
  size_t suffix_length = strlen (suffix);
  return text_length >= suffix_length
         && strcmp (text + text_length - suffix_length, suffix) == 0;
}

/* ---------------------------------------------------------------- parameter copies */

size_t
cnn_model_parameter_count (const CnnModel *model)
{
  size_t count = 0;
  const int n_weights = cnn_model_n_weights (model);
  for (int i = 0; i < n_weights; i++)
    count += cnn_model_weight (model, i)->size;
  return count;
}

void
cnn_model_copy_parameters_out (const CnnModel *model, float *buffer)
{
  const int n_weights = cnn_model_n_weights (model);
  for (int i = 0; i < n_weights; i++)
    {
      const CnnWeight *weight = cnn_model_weight (model, i);
      memcpy (buffer, weight->data, weight->size * sizeof (float));
      buffer += weight->size;
    }
}

void
cnn_model_copy_parameters_in (CnnModel *model, const float *buffer)
{
  const int n_weights = cnn_model_n_weights (model);
  for (int i = 0; i < n_weights; i++)
    {
      const CnnWeight *weight = cnn_model_weight (model, i);
      memcpy (weight->data, buffer, weight->size * sizeof (float));
      buffer += weight->size;
    }
}

/* ---------------------------------------------------------------- EarlyStopping */

void
cnn_early_stopping_init (CnnEarlyStopping *early_stopping)
{
  if (early_stopping == NULL)
    return;
  memset (early_stopping, 0, sizeof *early_stopping);
  snprintf (early_stopping->monitor, sizeof early_stopping->monitor, "val_loss");
  early_stopping->min_delta = 0.0;
  early_stopping->patience = 0;
  early_stopping->mode = CNN_MODE_AUTO;
  early_stopping->has_baseline = 0;
  early_stopping->restore_best_weights = 0;
  early_stopping->wait = 0;
  early_stopping->stopped_epoch = -1;
  early_stopping->best_epoch = -1;
  early_stopping->best = 0.0;
  early_stopping->best_weights = NULL;
}

void
cnn_early_stopping_clear (CnnEarlyStopping *early_stopping)
{
  if (early_stopping == NULL)
    return;
  free (early_stopping->best_weights);
  early_stopping->best_weights = NULL;
}

int
cnn_early_stopping_maximizes (const CnnEarlyStopping *early_stopping)
{
  if (early_stopping->mode != CNN_MODE_AUTO)
    return early_stopping->mode == CNN_MODE_MAX;
  const char *monitor = early_stopping->monitor;
  return ends_with (monitor, "acc") || ends_with (monitor, "accuracy")
         || ends_with (monitor, "auc");
}

/* Keras's _is_improvement: min_delta is a margin the value must clear (|min_delta|). */
static int
early_stopping_improves (const CnnEarlyStopping *early_stopping, double current,
                         double reference)
{
  const double delta = fabs (early_stopping->min_delta);
  if (cnn_early_stopping_maximizes (early_stopping))
    return current - delta > reference;
  return current + delta < reference;
}

static CnnStatus
remember_weights (CnnEarlyStopping *early_stopping, CnnModel *model, CnnError *error)
{
  if (model == NULL)
    return CNN_OK;
  if (early_stopping->best_weights == NULL)
    {
      size_t count = cnn_model_parameter_count (model);
      early_stopping->best_weights = malloc ((count > 0 ? count : 1) * sizeof (float));
      if (early_stopping->best_weights == NULL)
        return cnn_error_set (error, CNN_ERROR_NO_MEMORY,
                              "Out of memory keeping the best weights (%zu values) for "
                              "EarlyStopping.", count);
    }
  cnn_model_copy_parameters_out (model, early_stopping->best_weights);
  return CNN_OK;
}

CnnStatus
cnn_early_stopping_epoch_end (CnnEarlyStopping *early_stopping, const CnnEpochLogs *logs,
                              CnnModel *model, CnnMessageSink *sink, int *stop,
                              CnnError *error)
{
  *stop = 0;
  double current;
  if (!cnn_epoch_logs_get (logs, early_stopping->monitor, &current))
    {
      warn_missing_monitor (sink, "Early stopping conditioned", early_stopping->monitor, logs);
      return CNN_OK;
    }

  const int restore = early_stopping->restore_best_weights && model != NULL;
  CnnStatus status;
  /* Keras keeps the first epoch's weights when nothing ever improves. */
  if (restore && early_stopping->best_weights == NULL
      && (status = remember_weights (early_stopping, model, error)) != CNN_OK)
    return status;

  const double best = early_stopping->best_epoch >= 0
                      ? early_stopping->best
                      : (cnn_early_stopping_maximizes (early_stopping) ? -INFINITY : INFINITY);
  early_stopping->wait++;
  if (early_stopping_improves (early_stopping, current, best))
    {
      early_stopping->best = current;
      early_stopping->best_epoch = logs->epoch;
      if (restore && (status = remember_weights (early_stopping, model, error)) != CNN_OK)
        return status;
      /* Only restart the wait when the value beats the baseline as well. */
      if (!early_stopping->has_baseline
          || early_stopping_improves (early_stopping, current, early_stopping->baseline))
        early_stopping->wait = 0;
      return CNN_OK;
    }

  /* Keras checks only after the first epoch. */
  if (early_stopping->wait >= early_stopping->patience && logs->epoch > 0)
    {
      char message[CNN_MESSAGE_MAX];
      early_stopping->stopped_epoch = logs->epoch;
      *stop = 1;
      if (restore && early_stopping->best_weights != NULL)
        {
          cnn_model_copy_parameters_in (model, early_stopping->best_weights);
          snprintf (message, sizeof message,
                    "Restoring model weights from the end of the best epoch: %d.",
                    (early_stopping->best_epoch >= 0 ? early_stopping->best_epoch : 0) + 1);
          sink_emit (sink, message);
        }
      snprintf (message, sizeof message, "Epoch %d: early stopping", logs->epoch + 1);
      sink_emit (sink, message);
    }
  return CNN_OK;
}

/* ---------------------------------------------------------------- ReduceLROnPlateau */

void
cnn_reduce_lr_init (CnnReduceLROnPlateau *reduce_lr)
{
  if (reduce_lr == NULL)
    return;
  memset (reduce_lr, 0, sizeof *reduce_lr);
  snprintf (reduce_lr->monitor, sizeof reduce_lr->monitor, "val_loss");
  reduce_lr->factor = 0.1;
  reduce_lr->patience = 10;
  reduce_lr->mode = CNN_MODE_AUTO;
  reduce_lr->min_delta = 1e-4;
  reduce_lr->cooldown = 0;
  reduce_lr->min_lr = 0.0;
  reduce_lr->wait = 0;
  reduce_lr->cooldown_counter = 0;
  /* NaN = no value seen yet, Keras's ±inf for the mode (which is known only at fit time). */
  reduce_lr->best = NAN;
}

int
cnn_reduce_lr_maximizes (const CnnReduceLROnPlateau *reduce_lr)
{
  if (reduce_lr->mode != CNN_MODE_AUTO)
    return reduce_lr->mode == CNN_MODE_MAX;
  return strstr (reduce_lr->monitor, "acc") != NULL;
}

void
cnn_reduce_lr_epoch_end (CnnReduceLROnPlateau *reduce_lr, const CnnEpochLogs *logs,
                         CnnOptimizer *optimizer, CnnMessageSink *sink)
{
  double current;
  if (!cnn_epoch_logs_get (logs, reduce_lr->monitor, &current))
    {
      warn_missing_monitor (sink, "Learning rate reduction is conditioned", reduce_lr->monitor,
                            logs);
      return;
    }

  const int maximize = cnn_reduce_lr_maximizes (reduce_lr);
  if (isnan (reduce_lr->best))
    reduce_lr->best = maximize ? -INFINITY : INFINITY;

  if (reduce_lr->cooldown_counter > 0)
    {
      reduce_lr->cooldown_counter--;
      reduce_lr->wait = 0;
    }

  const int improved = maximize ? current > reduce_lr->best + reduce_lr->min_delta
                                : current < reduce_lr->best - reduce_lr->min_delta;
  if (improved)
    {
      reduce_lr->best = current;
      reduce_lr->wait = 0;
      return;
    }
  if (reduce_lr->cooldown_counter > 0)
    return;

  reduce_lr->wait++;
  if (reduce_lr->wait < reduce_lr->patience)
    return;

  /* Keras reads the float32 variable into numpy, compares with float32(min_lr), and forms
   * the new rate in double: max(old·factor, min_lr) is what it prints, float32 what it
   * stores. With factor 0.5 that prints 0.0005000000237487257 after 0.001. */
  const double old_lr = (double) (float) cnn_optimizer_get_learning_rate (optimizer);
  if (!(old_lr > (double) (float) reduce_lr->min_lr))
    return;
  double new_lr = old_lr * reduce_lr->factor;
  if (new_lr < reduce_lr->min_lr)
    new_lr = reduce_lr->min_lr;
  cnn_optimizer_set_learning_rate (optimizer, (double) (float) new_lr);

  char number[40];
  char message[CNN_MESSAGE_MAX];
  cnn_format_python_float (new_lr, number, sizeof number);
  snprintf (message, sizeof message, "Epoch %d: ReduceLROnPlateau reducing learning rate to %s.",
            logs->epoch + 1, number);
  sink_emit (sink, message);
  reduce_lr->cooldown_counter = reduce_lr->cooldown;
  reduce_lr->wait = 0;
}
