/* test-callbacks.c — EarlyStopping and ReduceLROnPlateau decisions on scripted metrics. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include <math.h>
#include <string.h>

#include <glib.h>

#include "cnn.h"
#include "cnn-training-private.h"

/* Collects the callback lines of a test. */
static void
collect_message (void *user_data, const char *message)
{
  g_ptr_array_add (user_data, g_strdup (message));
}

static CnnMessageSink
sink_for (GPtrArray *messages)
{
  CnnMessageSink sink = { collect_message, messages, 1 };
  return sink;
}

static CnnEpochLogs
logs_with_validation (int epoch, double val_loss, double val_accuracy)
{
  CnnEpochLogs logs = {
    .epoch = epoch, .loss = 0.5, .accuracy = 0.8, .has_validation = 1,
    .val_loss = val_loss, .val_accuracy = val_accuracy, .lr = 1e-3,
  };
  return logs;
}

/* ---------------------------------------------------------------- Python float repr */

static void
test_python_float (void)
{
  const struct {
    double value;
    const char *text;
  } cases[] = {
    { (double) 0.0005f, "0.0005000000237487257" },
    { (double) 1e-5f, "9.999999747378752e-06" },
    { 1e-05, "1e-05" },
    { 0.001, "0.001" },
    { 0.0001, "0.0001" },
    { 6.25000029685907e-05, "6.25000029685907e-05" },
    { 0.1, "0.1" },
    { 10.0, "10.0" },
    { 1.5, "1.5" },
    { 123456.75, "123456.75" },
    { 1e16, "1e+16" },
    { 1234567890123456.0, "1234567890123456.0" },
    { -2.5e-7, "-2.5e-07" },
    { 0.0, "0.0" },
  };
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char text[40];
      cnn_format_python_float (cases[i].value, text, sizeof text);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* ---------------------------------------------------------------- ReduceLROnPlateau */

static CnnOptimizer *
adam_with_rate (double learning_rate)
{
  CnnOptimizerConfig config;
  cnn_optimizer_config_init (&config, CNN_OPTIMIZER_ADAM);
  config.learning_rate = learning_rate;
  return cnn_optimizer_new (&config, 1, NULL);
}

/* The course's setting: monitor val_accuracy, patience 2, factor 0.5, min_lr 1e-5 from
 * lr 1e-3, on a val_accuracy that rises for three epochs and then stays flat. */
static void
test_reduce_lr_course (void)
{
  g_autoptr (GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  CnnMessageSink sink = sink_for (messages);
  CnnOptimizer *optimizer = adam_with_rate (1e-3);
  CnnReduceLROnPlateau reduce_lr;
  cnn_reduce_lr_init (&reduce_lr);
  g_strlcpy (reduce_lr.monitor, "val_accuracy", sizeof reduce_lr.monitor);
  reduce_lr.patience = 2;
  reduce_lr.factor = 0.5;
  reduce_lr.min_lr = 1e-5;

  /* Reductions at epochs (1-based) 5, 7, 9, …, 17 with these rates; none after. */
  const struct {
    int epoch;
    const char *rate;
    float stored;
  } expected[] = {
    { 5, "0.0005000000237487257", 5e-4f },
    { 7, "0.0002500000118743628", 2.5e-4f },
    { 9, "0.0001250000059371814", 1.25e-4f },
    { 11, "6.25000029685907e-05", 6.25e-5f },
    { 13, "3.125000148429535e-05", 3.125e-5f },
    { 15, "1.5625000742147677e-05", 1.5625e-5f },
    { 17, "1e-05", 1e-5f },
  };
  const double accuracies[] = { 0.80, 0.85, 0.88 };
  double rate_before = 1e-3;
  size_t next = 0;
  for (int epoch = 0; epoch < 30; epoch++)
    {
      double accuracy = epoch < 3 ? accuracies[epoch] : 0.88;
      CnnEpochLogs logs = logs_with_validation (epoch, 0.3, accuracy);
      logs.lr = cnn_optimizer_get_learning_rate (optimizer);
      cnn_reduce_lr_epoch_end (&reduce_lr, &logs, optimizer, &sink);
      double rate_after = cnn_optimizer_get_learning_rate (optimizer);
      if (next < G_N_ELEMENTS (expected) && epoch + 1 == expected[next].epoch)
        {
          g_autofree char *line =
            g_strdup_printf ("Epoch %d: ReduceLROnPlateau reducing learning rate to %s.",
                             expected[next].epoch, expected[next].rate);
          g_assert_cmpuint (messages->len, ==, next + 1);
          g_assert_cmpstr (g_ptr_array_index (messages, next), ==, line);
          g_assert_cmpfloat ((float) rate_after, ==, expected[next].stored);
          next++;
        }
      else
        g_assert_cmpfloat (rate_after, ==, rate_before);
      rate_before = rate_after;
    }
  g_assert_cmpuint (next, ==, G_N_ELEMENTS (expected));
  g_assert_cmpuint (messages->len, ==, G_N_ELEMENTS (expected));
  g_assert_cmpfloat ((float) cnn_optimizer_get_learning_rate (optimizer), ==, 1e-5f);
  cnn_optimizer_free (optimizer);
}

/* Returns the 0-based epochs at which the rate changed. */
static GArray *
run_reduce_lr (CnnReduceLROnPlateau *reduce_lr, const double *val_loss, int n_epochs)
{
  GArray *changes = g_array_new (FALSE, FALSE, sizeof (int));
  CnnOptimizer *optimizer = adam_with_rate (0.1);
  for (int epoch = 0; epoch < n_epochs; epoch++)
    {
      CnnEpochLogs logs = logs_with_validation (epoch, val_loss[epoch], 0.5);
      double before = cnn_optimizer_get_learning_rate (optimizer);
      cnn_reduce_lr_epoch_end (reduce_lr, &logs, optimizer, NULL);
      if (cnn_optimizer_get_learning_rate (optimizer) != before)
        g_array_append_val (changes, epoch);
    }
  cnn_optimizer_free (optimizer);
  return changes;
}

static void
assert_epochs (GArray *epochs, const int *expected, guint n_expected)
{
  g_assert_cmpuint (epochs->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    g_assert_cmpint (g_array_index (epochs, int, i), ==, expected[i]);
}

static void
test_reduce_lr_cooldown (void)
{
  const double flat[12] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
  CnnReduceLROnPlateau reduce_lr;

  /* Without cooldown: patience 1 reduces at every epoch after the first. */
  cnn_reduce_lr_init (&reduce_lr);
  reduce_lr.patience = 1;
  g_autoptr (GArray) plain = run_reduce_lr (&reduce_lr, flat, 12);
  const int plain_expected[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
  assert_epochs (plain, plain_expected, G_N_ELEMENTS (plain_expected));

  /* Cooldown 3: two epochs are skipped after a reduction; as in Keras, the epoch on which
   * the counter runs out already counts towards the patience again. */
  cnn_reduce_lr_init (&reduce_lr);
  reduce_lr.patience = 1;
  reduce_lr.cooldown = 3;
  g_autoptr (GArray) cooled = run_reduce_lr (&reduce_lr, flat, 12);
  const int cooled_expected[] = { 1, 4, 7, 10 };
  assert_epochs (cooled, cooled_expected, G_N_ELEMENTS (cooled_expected));
}

static void
test_reduce_lr_min_delta (void)
{
  /* val_loss falls by 4e-5 an epoch, less than the default min_delta 1e-4: only every third
   * epoch is 1e-4 below the best, so patience 2 reduces at epochs 2 and 5. */
  double creeping[8];
  for (int i = 0; i < 8; i++)
    creeping[i] = 1.0 - 4e-5 * i;
  CnnReduceLROnPlateau reduce_lr;
  cnn_reduce_lr_init (&reduce_lr);
  reduce_lr.patience = 2;
  g_autoptr (GArray) changes = run_reduce_lr (&reduce_lr, creeping, 8);
  const int expected[] = { 2, 5 };
  assert_epochs (changes, expected, G_N_ELEMENTS (expected));

  /* With min_delta 1e-5 every epoch improves: no reduction. */
  cnn_reduce_lr_init (&reduce_lr);
  reduce_lr.patience = 2;
  reduce_lr.min_delta = 1e-5;
  g_autoptr (GArray) none = run_reduce_lr (&reduce_lr, creeping, 8);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_reduce_lr_mode (void)
{
  CnnReduceLROnPlateau reduce_lr;
  cnn_reduce_lr_init (&reduce_lr);
  g_assert_false (cnn_reduce_lr_maximizes (&reduce_lr));
  g_strlcpy (reduce_lr.monitor, "val_acc", sizeof reduce_lr.monitor);
  g_assert_true (cnn_reduce_lr_maximizes (&reduce_lr));
  g_strlcpy (reduce_lr.monitor, "accuracy_top", sizeof reduce_lr.monitor);
  g_assert_true (cnn_reduce_lr_maximizes (&reduce_lr));
  reduce_lr.mode = CNN_MODE_MIN;
  g_assert_false (cnn_reduce_lr_maximizes (&reduce_lr));
}

/* ---------------------------------------------------------------- EarlyStopping */

/* Feeds val_loss (or val_accuracy) values until the callback stops; returns the 0-based
 * epoch it stopped at, or -1. */
static int
run_early_stopping (CnnEarlyStopping *early_stopping, const double *values, int n_epochs,
                    int as_accuracy, GPtrArray *messages)
{
  CnnMessageSink sink = sink_for (messages);
  for (int epoch = 0; epoch < n_epochs; epoch++)
    {
      CnnEpochLogs logs = as_accuracy ? logs_with_validation (epoch, 0.3, values[epoch])
                                      : logs_with_validation (epoch, values[epoch], 0.5);
      int stop = 0;
      g_assert_cmpint (cnn_early_stopping_epoch_end (early_stopping, &logs, NULL, &sink,
                                                     &stop, NULL), ==, CNN_OK);
      if (stop)
        return epoch;
    }
  return -1;
}

static void
test_early_stopping_patience (void)
{
  g_autoptr (GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  /* Best at epoch 4 (0-based); patience 10 stops ten epochs later, at epoch 14. */
  double losses[40];
  for (int i = 0; i < 40; i++)
    losses[i] = i <= 4 ? 1.0 - 0.1 * i : 0.65 + 0.001 * i;
  CnnEarlyStopping early_stopping;
  cnn_early_stopping_init (&early_stopping);
  early_stopping.patience = 10;
  g_assert_cmpint (run_early_stopping (&early_stopping, losses, 40, 0, messages), ==, 14);
  g_assert_cmpint (early_stopping.stopped_epoch, ==, 14);
  g_assert_cmpint (early_stopping.best_epoch, ==, 4);
  g_assert_cmpfloat (early_stopping.best, ==, losses[4]);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (messages, 0), ==, "Epoch 15: early stopping");
  cnn_early_stopping_clear (&early_stopping);
}

static void
test_early_stopping_patience_zero (void)
{
  g_autoptr (GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  CnnEarlyStopping early_stopping;

  /* Improving every epoch never stops, even with patience 0. */
  const double falling[5] = { 1.0, 0.9, 0.8, 0.7, 0.6 };
  cnn_early_stopping_init (&early_stopping);
  g_assert_cmpint (run_early_stopping (&early_stopping, falling, 5, 0, messages), ==, -1);

  /* The first epoch that does not improve stops it. */
  const double bump[5] = { 1.0, 0.9, 0.95, 0.7, 0.6 };
  cnn_early_stopping_init (&early_stopping);
  g_assert_cmpint (run_early_stopping (&early_stopping, bump, 5, 0, messages), ==, 2);

  /* A NaN first epoch is no improvement, yet Keras never stops at epoch 0. */
  const double nan_first[3] = { NAN, 1.0, 1.0 };
  cnn_early_stopping_init (&early_stopping);
  g_assert_cmpint (run_early_stopping (&early_stopping, nan_first, 3, 0, messages), ==, 2);
}

static void
test_early_stopping_min_delta (void)
{
  g_autoptr (GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  /* Falls by 0.005 an epoch: an improvement without min_delta, none with 0.012. */
  const double slow[6] = { 1.0, 0.995, 0.99, 0.985, 0.98, 0.975 };
  CnnEarlyStopping early_stopping;
  cnn_early_stopping_init (&early_stopping);
  early_stopping.patience = 2;
  g_assert_cmpint (run_early_stopping (&early_stopping, slow, 6, 0, messages), ==, -1);

  cnn_early_stopping_init (&early_stopping);
  early_stopping.patience = 2;
  early_stopping.min_delta = 0.012;
  g_assert_cmpint (run_early_stopping (&early_stopping, slow, 6, 0, messages), ==, 2);
  g_assert_cmpint (early_stopping.best_epoch, ==, 0);
}

static void
test_early_stopping_baseline (void)
{
  g_autoptr (GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  /* Improving, but never below the baseline 0.5: the wait is not reset. */
  const double above_baseline[6] = { 0.9, 0.8, 0.7, 0.6, 0.55, 0.52 };
  CnnEarlyStopping early_stopping;
  cnn_early_stopping_init (&early_stopping);
  early_stopping.patience = 3;
  early_stopping.has_baseline = 1;
  early_stopping.baseline = 0.5;
  g_assert_cmpint (run_early_stopping (&early_stopping, above_baseline, 6, 0, messages),
                   ==, -1);
  g_assert_cmpint (early_stopping.wait, ==, 6);

  /* The first epoch that is not an improvement (epoch 3) then stops it. */
  const double stalls[6] = { 0.9, 0.8, 0.7, 0.75, 0.6, 0.5 };
  cnn_early_stopping_init (&early_stopping);
  early_stopping.patience = 3;
  early_stopping.has_baseline = 1;
  early_stopping.baseline = 0.5;
  g_assert_cmpint (run_early_stopping (&early_stopping, stalls, 6, 0, messages), ==, 3);

  /* Beating the baseline resets it as usual. */
  const double beats[6] = { 0.4, 0.3, 0.35, 0.36, 0.2, 0.37 };
  cnn_early_stopping_init (&early_stopping);
  early_stopping.patience = 2;
  early_stopping.has_baseline = 1;
  early_stopping.baseline = 0.5;
  g_assert_cmpint (run_early_stopping (&early_stopping, beats, 6, 0, messages), ==, 3);
}

static void
test_early_stopping_mode (void)
{
  g_autoptr (GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  CnnEarlyStopping early_stopping;
  cnn_early_stopping_init (&early_stopping);
  g_assert_false (cnn_early_stopping_maximizes (&early_stopping));
  g_strlcpy (early_stopping.monitor, "val_accuracy", sizeof early_stopping.monitor);
  g_assert_true (cnn_early_stopping_maximizes (&early_stopping));
  /* EarlyStopping looks at the ending only (unlike ReduceLROnPlateau). */
  g_strlcpy (early_stopping.monitor, "accuracy_top", sizeof early_stopping.monitor);
  g_assert_false (cnn_early_stopping_maximizes (&early_stopping));

  /* Rising accuracy is an improvement in auto mode; patience 1 stops at the first dip. */
  const double accuracy[6] = { 0.5, 0.6, 0.7, 0.65, 0.8, 0.9 };
  cnn_early_stopping_init (&early_stopping);
  g_strlcpy (early_stopping.monitor, "val_accuracy", sizeof early_stopping.monitor);
  early_stopping.patience = 1;
  g_assert_cmpint (run_early_stopping (&early_stopping, accuracy, 6, 1, messages), ==, 3);
  g_assert_cmpfloat (early_stopping.best, ==, 0.7);

  /* Forced to min, the same rising sequence stops at epoch 1. */
  cnn_early_stopping_init (&early_stopping);
  g_strlcpy (early_stopping.monitor, "val_accuracy", sizeof early_stopping.monitor);
  early_stopping.mode = CNN_MODE_MIN;
  early_stopping.patience = 1;
  g_assert_cmpint (run_early_stopping (&early_stopping, accuracy, 6, 1, messages), ==, 1);
}

static void
test_unknown_monitor (void)
{
  g_autoptr (GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  CnnMessageSink sink = sink_for (messages);
  CnnEpochLogs logs = logs_with_validation (3, 0.4, 0.8);

  CnnEarlyStopping early_stopping;
  cnn_early_stopping_init (&early_stopping);
  g_strlcpy (early_stopping.monitor, "val_acc", sizeof early_stopping.monitor);
  for (int epoch = 0; epoch < 3; epoch++)
    {
      int stop = 1;
      logs.epoch = epoch;
      g_assert_cmpint (cnn_early_stopping_epoch_end (&early_stopping, &logs, NULL, &sink,
                                                     &stop, NULL), ==, CNN_OK);
      g_assert_false (stop);
    }
  g_assert_cmpint (early_stopping.wait, ==, 0);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (messages, 0), ==,
                   "Early stopping conditioned on metric `val_acc` which is not available. "
                   "Available metrics are: loss,accuracy,val_loss,val_accuracy,lr");

  CnnMessageSink reduce_sink = sink_for (messages);
  CnnOptimizer *optimizer = adam_with_rate (1e-3);
  CnnReduceLROnPlateau reduce_lr;
  cnn_reduce_lr_init (&reduce_lr);
  g_strlcpy (reduce_lr.monitor, "val_acc", sizeof reduce_lr.monitor);
  reduce_lr.patience = 0;
  CnnEpochLogs no_validation = { .epoch = 0, .loss = 0.5, .accuracy = 0.7, .lr = 1e-3 };
  cnn_reduce_lr_epoch_end (&reduce_lr, &no_validation, optimizer, &reduce_sink);
  g_assert_cmpfloat (cnn_optimizer_get_learning_rate (optimizer), ==, 1e-3);
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (messages, 1), ==,
                   "Learning rate reduction is conditioned on metric `val_acc` which is not "
                   "available. Available metrics are: loss,accuracy,lr");
  cnn_optimizer_free (optimizer);
}

static void
test_epoch_logs_get (void)
{
  CnnEpochLogs logs = logs_with_validation (0, 0.25, 0.75);
  double value = 0;
  g_assert_true (cnn_epoch_logs_get (&logs, "val_accuracy", &value));
  g_assert_cmpfloat (value, ==, 0.75);
  g_assert_true (cnn_epoch_logs_get (&logs, "lr", &value));
  g_assert_cmpfloat (value, ==, 1e-3);
  g_assert_false (cnn_epoch_logs_get (&logs, "val_acc", &value));
  logs.has_validation = 0;
  g_assert_false (cnn_epoch_logs_get (&logs, "val_loss", &value));
  g_assert_true (cnn_epoch_logs_get (&logs, "loss", &value));
  g_assert_cmpfloat (value, ==, 0.5);
}

/* ---------------------------------------------------------------- restore_best_weights */

static CnnModel *
tiny_model (void)
{
  CnnLayerSpec layers[3];
  cnn_layer_spec_init (&layers[0], CNN_LAYER_BATCH_NORMALIZATION);
  cnn_layer_spec_init (&layers[1], CNN_LAYER_FLATTEN);
  cnn_layer_spec_init (&layers[2], CNN_LAYER_DENSE);
  layers[2].units = 2;
  layers[2].activation = CNN_ACTIVATION_SOFTMAX;
  CnnError error = { 0 };
  CnnModel *model = cnn_model_new (1, 1, 3, layers, 3, 7, &error);
  if (model == NULL)
    g_error ("%s", error.message);
  return model;
}

/* Sets every weight (trainable or not) of the model to `value`. */
static void
fill_weights (CnnModel *model, float value)
{
  for (int i = 0; i < cnn_model_n_weights (model); i++)
    {
      const CnnWeight *weight = cnn_model_weight (model, i);
      for (size_t j = 0; j < weight->size; j++)
        weight->data[j] = value;
    }
}

static void
assert_weights_equal (CnnModel *model, float value)
{
  for (int i = 0; i < cnn_model_n_weights (model); i++)
    {
      const CnnWeight *weight = cnn_model_weight (model, i);
      for (size_t j = 0; j < weight->size; j++)
        g_assert_cmpfloat (weight->data[j], ==, value);
    }
}

static void
test_restore_best_weights (void)
{
  g_autoptr (GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  CnnMessageSink sink = sink_for (messages);
  CnnModel *model = tiny_model ();
  CnnEarlyStopping early_stopping;
  cnn_early_stopping_init (&early_stopping);
  early_stopping.patience = 2;
  early_stopping.restore_best_weights = 1;

  /* Epoch e leaves every weight at e + 1; the best val_loss is at epoch 1. */
  const double losses[5] = { 0.9, 0.5, 0.6, 0.7, 0.8 };
  int stopped_at = -1;
  for (int epoch = 0; epoch < 5 && stopped_at < 0; epoch++)
    {
      fill_weights (model, (float) (epoch + 1));
      CnnEpochLogs logs = logs_with_validation (epoch, losses[epoch], 0.5);
      int stop = 0;
      g_assert_cmpint (cnn_early_stopping_epoch_end (&early_stopping, &logs, model, &sink,
                                                     &stop, NULL), ==, CNN_OK);
      if (stop)
        stopped_at = epoch;
      else
        /* Not stopping leaves the weights alone (Keras restores only when it stops). */
        assert_weights_equal (model, (float) (epoch + 1));
    }
  g_assert_cmpint (stopped_at, ==, 3);
  assert_weights_equal (model, 2.0f); /* BatchNormalization's moving statistics included */
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (messages, 0), ==,
                   "Restoring model weights from the end of the best epoch: 2.");
  g_assert_cmpstr (g_ptr_array_index (messages, 1), ==, "Epoch 4: early stopping");
  cnn_early_stopping_clear (&early_stopping);
  g_assert_null (early_stopping.best_weights);
  cnn_model_free (model);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/callbacks/python-float-repr", test_python_float);
  g_test_add_func ("/engine/callbacks/epoch-logs", test_epoch_logs_get);
  g_test_add_func ("/engine/callbacks/reduce-lr/course", test_reduce_lr_course);
  g_test_add_func ("/engine/callbacks/reduce-lr/cooldown", test_reduce_lr_cooldown);
  g_test_add_func ("/engine/callbacks/reduce-lr/min-delta", test_reduce_lr_min_delta);
  g_test_add_func ("/engine/callbacks/reduce-lr/mode", test_reduce_lr_mode);
  g_test_add_func ("/engine/callbacks/early-stopping/patience", test_early_stopping_patience);
  g_test_add_func ("/engine/callbacks/early-stopping/patience-zero",
                   test_early_stopping_patience_zero);
  g_test_add_func ("/engine/callbacks/early-stopping/min-delta", test_early_stopping_min_delta);
  g_test_add_func ("/engine/callbacks/early-stopping/baseline", test_early_stopping_baseline);
  g_test_add_func ("/engine/callbacks/early-stopping/mode", test_early_stopping_mode);
  g_test_add_func ("/engine/callbacks/early-stopping/restore-best-weights",
                   test_restore_best_weights);
  g_test_add_func ("/engine/callbacks/unknown-monitor", test_unknown_monitor);
  return g_test_run ();
}
