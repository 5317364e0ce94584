/* cnn-fit.c — Keras's fit / evaluate / predict over batch sources, with History and callbacks. */
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Decisions where Keras leaves room (all documented in cnn.h's terms):
// - An epoch interrupted by CNN_STOP from on_batch_end is not recorded: History keeps the
//   completed epochs only, as Keras records nothing for an epoch that did not end.
// - At the end of an epoch: validation, then ReduceLROnPlateau, then EarlyStopping. The two
//   callbacks decide independently (neither reads what the other changes), so their order
//   changes only the order of the messages; this one prints them in Keras's order, whose
//   "early stopping" line comes at train end, after any learning-rate line.
// - logs.lr is the rate used during the epoch, before ReduceLROnPlateau lowers it.
// - With steps_per_epoch, a source that runs out within an epoch begins again (like a Keras
//   generator); it is begun with the same epoch number, so the order stays a function of
//   (seed, epoch) and a resumed run repeats it.

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cnn.h"
#include "cnn-training-private.h"

void
cnn_fit_config_init (CnnFitConfig *config)
{
  if (config == NULL)
    return;
  memset (config, 0, sizeof *config);
  config->epochs = 1;
  config->initial_epoch = 0;
  config->batch_size = 32;
  config->steps_per_epoch = 0;
  config->validation_steps = 0;
  config->loss = CNN_LOSS_CATEGORICAL_CROSSENTROPY;
  config->early_stopping = NULL;
  config->reduce_lr = NULL;
}

void
cnn_history_clear (CnnHistory *history)
{
  if (history == NULL)
    return;
  free (history->epochs);
  memset (history, 0, sizeof *history);
}

static CnnStatus
history_append (CnnHistory *history, const CnnEpochLogs *logs, CnnError *error)
{
  if (history->n_epochs == history->capacity)
    {
      int capacity = history->capacity > 0 ? 2 * history->capacity : 16;
      CnnEpochLogs *epochs = realloc (history->epochs, (size_t) capacity * sizeof *epochs);
      if (epochs == NULL)
        return cnn_error_set (error, CNN_ERROR_NO_MEMORY, "Out of memory recording history.");
      history->epochs = epochs;
      history->capacity = capacity;
    }
  history->epochs[history->n_epochs++] = *logs;
  return CNN_OK;
}

static size_t
model_sample_size (const CnnModel *model)
{
  int height, width, channels;
  cnn_model_input_shape (model, &height, &width, &channels);
  return (size_t) height * (size_t) width * (size_t) channels;
}

/* One batch buffer pair, allocated once per fit / evaluate / predict call. */
typedef struct {
  float *x;        /* (batch_size, h, w, c) */
  int32_t *labels; /* (batch_size) */
} BatchBuffers;

static CnnStatus
batch_buffers_alloc (BatchBuffers *buffers, size_t sample_size, int batch_size,
                     CnnError *error)
{
  buffers->x = malloc ((size_t) batch_size * sample_size * sizeof (float));
  buffers->labels = malloc ((size_t) batch_size * sizeof (int32_t));
  if (buffers->x == NULL || buffers->labels == NULL)
    {
      free (buffers->x);
      free (buffers->labels);
      buffers->x = NULL;
      buffers->labels = NULL;
      return cnn_error_set (error, CNN_ERROR_NO_MEMORY,
                            "Out of memory for a batch of %d samples.", batch_size);
    }
  return CNN_OK;
}

static void
batch_buffers_free (BatchBuffers *buffers)
{
  free (buffers->x);
  free (buffers->labels);
}

/* A source failure becomes CNN_ERROR_DATA, keeping the source's own message — except
 * running out of memory, which stays what it is. */
static CnnStatus
source_failed (CnnStatus status, CnnError *error, const char *what)
{
  CnnStatus reported = status == CNN_ERROR_NO_MEMORY ? CNN_ERROR_NO_MEMORY : CNN_ERROR_DATA;

  if (status == CNN_OK)
    return CNN_OK;
  if (error != NULL)
    {
      if (error->message[0] == '\0')
        snprintf (error->message, sizeof error->message, "The %s data could not be read.",
                  what);
      error->status = reported;
    }
  return reported;
}

static CnnStatus
source_begin (CnnBatchSource *source, int epoch, const char *what, CnnError *error)
{
  if (source->begin_epoch == NULL)
    return CNN_OK;
  if (error != NULL)
    error->message[0] = '\0';
  CnnStatus status = source->begin_epoch (source->user_data, epoch, error);
  return status == CNN_OK ? CNN_OK : source_failed (status, error, what);
}

static CnnStatus
source_next (CnnBatchSource *source, BatchBuffers *buffers, int batch_size, int *n_filled,
             const char *what, CnnError *error)
{
  *n_filled = 0;
  if (error != NULL)
    error->message[0] = '\0';
  CnnStatus status = source->next_batch (source->user_data, buffers->x, buffers->labels,
                                         batch_size, n_filled, error);
  if (status != CNN_OK)
    return source_failed (status, error, what);
  if (*n_filled < 0 || *n_filled > batch_size)
    return cnn_error_set (error, CNN_ERROR_DATA,
                          "The %s data gave %d samples for a batch of at most %d.",
                          what, *n_filled, batch_size);
  return CNN_OK;
}

static CnnStatus
check_source (const CnnBatchSource *source, const char *what, CnnError *error)
{
  if (source == NULL || source->next_batch == NULL)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT, "No %s data given.", what);
  return CNN_OK;
}

/* ---------------------------------------------------------------- one training step */

CnnStatus
cnn_model_train_batch (CnnModel *model, CnnOptimizer *optimizer, CnnLoss loss,
                       const float *x, const int32_t *labels, int batch,
                       double *loss_value, int *correct, CnnError *error)
{
  if (model == NULL || optimizer == NULL || x == NULL || labels == NULL || batch <= 0)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "Training needs a model, an optimizer and a non-empty batch.");
  size_t n_params = 0;
  cnn_model_trainable_arena (model, &n_params);
  if (n_params != cnn_optimizer_n_params (optimizer))
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "The optimizer was made for %zu parameters, the model trains %zu.",
                          cnn_optimizer_n_params (optimizer), n_params);

  const float *output;
  double batch_loss = 0.0;
  int batch_correct = 0;
  CnnStatus status = cnn_model_forward (model, x, batch, 1, &output, error);
  /* The backward may update large Dense kernels itself (it runs only on a finite loss);
   * cnn_model_optimizer_step below then updates the rest. */
  cnn_model_fuse_optimizer (model, optimizer);
  if (status == CNN_OK)
    status = cnn_model_loss (model, loss, labels, 1, &batch_loss, &batch_correct, error);
  cnn_model_fuse_optimizer (model, NULL);
  if (status != CNN_OK)
    return status;
  if (loss_value != NULL)
    *loss_value = batch_loss;
  if (correct != NULL)
    *correct = batch_correct;
  /* A NaN loss would poison every weight: stop before the update. */
  if (!isfinite (batch_loss))
    return cnn_error_set (error, CNN_ERROR_NUMERIC,
                          "The loss became %s. Try a lower learning rate.",
                          isnan (batch_loss) ? "NaN" : "infinite");
  cnn_model_optimizer_step (model, optimizer);
  return CNN_OK;
}

/* ---------------------------------------------------------------- evaluate / predict */

/* Mean loss and accuracy over at most `max_steps` batches (0 = the whole source). */
static CnnStatus
evaluate_source (CnnModel *model, CnnBatchSource *source, CnnLoss loss, int batch_size,
                 int epoch, int64_t max_steps, BatchBuffers *buffers,
                 double *loss_value, double *accuracy, CnnError *error)
{
  CnnStatus status = source_begin (source, epoch, "validation", error);
  if (status != CNN_OK)
    return status;

  double loss_sum = 0.0;
  int64_t correct_sum = 0;
  int64_t seen = 0;
  for (int64_t step = 0; max_steps <= 0 || step < max_steps; step++)
    {
      int n;
      if ((status = source_next (source, buffers, batch_size, &n, "validation", error)) != CNN_OK)
        return status;
      if (n == 0)
        break;
      const float *output;
      double batch_loss = 0.0;
      int batch_correct = 0;
      if ((status = cnn_model_forward (model, buffers->x, n, 0, &output, error)) != CNN_OK
          || (status = cnn_model_loss (model, loss, buffers->labels, 0, &batch_loss,
                                       &batch_correct, error)) != CNN_OK)
        return status;
      loss_sum += batch_loss * n;
      correct_sum += batch_correct;
      seen += n;
    }
  if (seen == 0)
    return cnn_error_set (error, CNN_ERROR_DATA, "The validation data holds no samples.");
  *loss_value = loss_sum / (double) seen;
  *accuracy = (double) correct_sum / (double) seen;
  return CNN_OK;
}

CnnStatus
cnn_model_evaluate (CnnModel *model, CnnBatchSource *source, CnnLoss loss, int batch_size,
                    double *loss_value, double *accuracy, CnnError *error)
{
  CnnStatus status;
  if (model == NULL || batch_size <= 0)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "Evaluation needs a model and a batch size ≥ 1.");
  if ((status = check_source (source, "evaluation", error)) != CNN_OK)
    return status;

  BatchBuffers buffers;
  if ((status = batch_buffers_alloc (&buffers, model_sample_size (model), batch_size,
                                     error)) != CNN_OK)
    return status;
  double mean_loss = 0.0, mean_accuracy = 0.0;
  status = evaluate_source (model, source, loss, batch_size, 0, 0, &buffers, &mean_loss,
                            &mean_accuracy, error);
  batch_buffers_free (&buffers);
  if (status != CNN_OK)
    return status;
  if (loss_value != NULL)
    *loss_value = mean_loss;
  if (accuracy != NULL)
    *accuracy = mean_accuracy;
  return CNN_OK;
}

CnnStatus
cnn_model_predict (CnnModel *model, const float *x, int64_t n, int batch_size,
                   float *output, CnnError *error)
{
  if (model == NULL || batch_size <= 0 || n < 0 || (n > 0 && (x == NULL || output == NULL)))
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "Prediction needs a model, images, an output buffer and a batch "
                          "size ≥ 1.");
  const size_t sample_size = model_sample_size (model);
  const size_t n_outputs = (size_t) cnn_model_n_outputs (model);
  for (int64_t start = 0; start < n; start += batch_size)
    {
      const int batch = n - start < batch_size ? (int) (n - start) : batch_size;
      const float *rows;
      CnnStatus status = cnn_model_forward (model, x + (size_t) start * sample_size, batch, 0,
                                            &rows, error);
      if (status != CNN_OK)
        return status;
      memcpy (output + (size_t) start * n_outputs, rows,
              (size_t) batch * n_outputs * sizeof (float));
    }
  return CNN_OK;
}

CnnStatus
cnn_model_predict_source (CnnModel *model, CnnBatchSource *source, int batch_size,
                          float *output, CnnError *error)
{
  CnnStatus status;
  if (model == NULL || batch_size <= 0 || output == NULL)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "Prediction needs a model, an output buffer and a batch size ≥ 1.");
  if ((status = check_source (source, "prediction", error)) != CNN_OK)
    return status;

  BatchBuffers buffers;
  if ((status = batch_buffers_alloc (&buffers, model_sample_size (model), batch_size,
                                     error)) != CNN_OK)
    return status;
  const size_t n_outputs = (size_t) cnn_model_n_outputs (model);
  int64_t done = 0;
  status = source_begin (source, 0, "prediction", error);
  while (status == CNN_OK)
    {
      int n;
      if ((status = source_next (source, &buffers, batch_size, &n, "prediction",
                                 error)) != CNN_OK || n == 0)
        break;
      if (done + n > source->n_samples)
        {
          status = cnn_error_set (error, CNN_ERROR_DATA,
                                  "The prediction data gave more than the %lld samples it "
                                  "announced.", (long long) source->n_samples);
          break;
        }
      const float *rows;
      if ((status = cnn_model_forward (model, buffers.x, n, 0, &rows, error)) != CNN_OK)
        break;
      memcpy (output + (size_t) done * n_outputs, rows, (size_t) n * n_outputs * sizeof (float));
      done += n;
    }
  batch_buffers_free (&buffers);
  if (status == CNN_OK && done != source->n_samples)
    status = cnn_error_set (error, CNN_ERROR_DATA,
                            "The prediction data gave %lld samples of the %lld it announced.",
                            (long long) done, (long long) source->n_samples);
  return status;
}

/* ---------------------------------------------------------------- fit */

/* Everything one fit call works with. */
typedef struct {
  CnnModel *model;
  CnnOptimizer *optimizer;
  CnnBatchSource *train;
  CnnBatchSource *validation;
  const CnnFitConfig *config;
  const CnnFitCallbacks *callbacks;
  CnnMessageSink early_stopping_sink;
  CnnMessageSink reduce_lr_sink;
  BatchBuffers buffers;
  /* The non-trainable weights (BatchNormalization's moving statistics) before the current
   * batch, so a batch that fails leaves them as the last finished batch did. */
  float *frozen_backup;
  size_t frozen_count;
} FitRun;

typedef enum {
  EPOCH_FINISHED,
  EPOCH_STOPPED_BY_USER,
} EpochOutcome;

static void
frozen_weights_copy (FitRun *run, int restore)
{
  float *cursor = run->frozen_backup;
  const int n_weights = cnn_model_n_weights (run->model);
  for (int i = 0; i < n_weights; i++)
    {
      const CnnWeight *weight = cnn_model_weight (run->model, i);
      if (weight->trainable)
        continue;
      if (restore)
        memcpy (weight->data, cursor, weight->size * sizeof (float));
      else
        memcpy (cursor, weight->data, weight->size * sizeof (float));
      cursor += weight->size;
    }
}

static CnnStatus
fit_run_prepare (FitRun *run, CnnError *error)
{
  CnnStatus status = batch_buffers_alloc (&run->buffers, model_sample_size (run->model),
                                          run->config->batch_size, error);
  if (status != CNN_OK)
    return status;
  const int n_weights = cnn_model_n_weights (run->model);
  for (int i = 0; i < n_weights; i++)
    if (!cnn_model_weight (run->model, i)->trainable)
      run->frozen_count += cnn_model_weight (run->model, i)->size;
  run->frozen_backup = malloc ((run->frozen_count > 0 ? run->frozen_count : 1) * sizeof (float));
  if (run->frozen_backup == NULL)
    return cnn_error_set (error, CNN_ERROR_NO_MEMORY,
                          "Out of memory for a copy of the non-trainable weights.");
  return CNN_OK;
}

static int64_t
epoch_steps (const FitRun *run)
{
  const int64_t batch_size = run->config->batch_size;
  if (run->config->steps_per_epoch > 0)
    return run->config->steps_per_epoch;
  return (run->train->n_samples + batch_size - 1) / batch_size;
}

/* Fetches the next training batch; with steps_per_epoch, a source that runs out begins
 * again. Returns 0 samples at the natural end of a pass without steps_per_epoch. */
static CnnStatus
fit_next_batch (FitRun *run, int epoch, int *n, CnnError *error)
{
  const int batch_size = run->config->batch_size;
  CnnStatus status = source_next (run->train, &run->buffers, batch_size, n, "training", error);
  if (status != CNN_OK || *n > 0 || run->config->steps_per_epoch <= 0)
    return status;
  if ((status = source_begin (run->train, epoch, "training", error)) != CNN_OK
      || (status = source_next (run->train, &run->buffers, batch_size, n, "training",
                                error)) != CNN_OK)
    return status;
  if (*n == 0)
    return cnn_error_set (error, CNN_ERROR_DATA, "The training data holds no samples.");
  return CNN_OK;
}

static CnnStatus
fit_train_epoch (FitRun *run, int epoch, CnnEpochLogs *logs, EpochOutcome *outcome,
                 CnnError *error)
{
  const CnnFitCallbacks *callbacks = run->callbacks;
  CnnBatchLogs batch_logs = { .epoch = epoch, .steps = epoch_steps (run),
                              .lr = cnn_optimizer_get_learning_rate (run->optimizer) };
  double loss_sum = 0.0;
  int64_t correct_sum = 0, seen = 0;
  CnnStatus status = source_begin (run->train, epoch, "training", error);
  if (status != CNN_OK)
    return status;

  *outcome = EPOCH_FINISHED;
  for (int64_t step = 1; run->config->steps_per_epoch <= 0 || step <= batch_logs.steps; step++)
    {
      int n;
      if ((status = fit_next_batch (run, epoch, &n, error)) != CNN_OK)
        return status;
      if (n == 0)
        break;
      double batch_loss = 0.0;
      int batch_correct = 0;
      frozen_weights_copy (run, 0);
      status = cnn_model_train_batch (run->model, run->optimizer, run->config->loss,
                                      run->buffers.x, run->buffers.labels, n,
                                      &batch_loss, &batch_correct, error);
      if (status != CNN_OK)
        {
          frozen_weights_copy (run, 1);
          if (status == CNN_ERROR_NUMERIC)
            cnn_error_set (error, CNN_ERROR_NUMERIC,
                           "The loss became %s in epoch %d, batch %lld. Try a lower learning "
                           "rate.", isnan (batch_loss) ? "NaN" : "infinite", epoch + 1,
                           (long long) step);
          return status;
        }
      loss_sum += batch_loss * n;
      correct_sum += batch_correct;
      seen += n;
      batch_logs.step = step;
      if (step > batch_logs.steps) /* a source that gave more than its n_samples */
        batch_logs.steps = step;
      batch_logs.loss = loss_sum / (double) seen;
      batch_logs.accuracy = (double) correct_sum / (double) seen;
      if (callbacks != NULL && callbacks->on_batch_end != NULL
          && callbacks->on_batch_end (callbacks->user_data, &batch_logs) == CNN_STOP)
        {
          *outcome = EPOCH_STOPPED_BY_USER;
          return CNN_OK;
        }
    }
  if (seen == 0)
    return cnn_error_set (error, CNN_ERROR_DATA, "The training data holds no samples.");
  logs->epoch = epoch;
  logs->loss = loss_sum / (double) seen;
  logs->accuracy = (double) correct_sum / (double) seen;
  logs->lr = batch_logs.lr;
  return CNN_OK;
}

static void
forward_message (void *user_data, const char *message)
{
  const CnnFitCallbacks *callbacks = user_data;
  if (callbacks != NULL && callbacks->on_message != NULL)
    callbacks->on_message (callbacks->user_data, message);
}

/* Validation, the callbacks and History at the end of an epoch; sets *stop_reason when
 * training ends here. */
static CnnStatus
fit_end_epoch (FitRun *run, CnnEpochLogs *logs, CnnHistory *history,
               CnnStopReason *stop_reason, int *stop, CnnError *error)
{
  const CnnFitConfig *config = run->config;
  CnnStatus status;
  *stop = 0;
  if (run->validation != NULL)
    {
      status = evaluate_source (run->model, run->validation, config->loss, config->batch_size,
                                logs->epoch, config->validation_steps, &run->buffers,
                                &logs->val_loss, &logs->val_accuracy, error);
      if (status != CNN_OK)
        return status;
      logs->has_validation = 1;
    }
  if (config->reduce_lr != NULL)
    cnn_reduce_lr_epoch_end (config->reduce_lr, logs, run->optimizer, &run->reduce_lr_sink);
  if (config->early_stopping != NULL)
    {
      status = cnn_early_stopping_epoch_end (config->early_stopping, logs, run->model,
                                             &run->early_stopping_sink, stop, error);
      if (status != CNN_OK)
        return status;
      if (*stop)
        *stop_reason = CNN_STOPPED_EARLY_STOPPING;
    }
  if (history != NULL && (status = history_append (history, logs, error)) != CNN_OK)
    return status;
  const CnnFitCallbacks *callbacks = run->callbacks;
  if (callbacks != NULL && callbacks->on_epoch_end != NULL
      && callbacks->on_epoch_end (callbacks->user_data, logs) == CNN_STOP && !*stop)
    {
      *stop = 1;
      *stop_reason = CNN_STOPPED_BY_USER;
    }
  return CNN_OK;
}

static CnnStatus
check_fit_arguments (CnnModel *model, CnnOptimizer *optimizer, CnnBatchSource *train,
                     CnnBatchSource *validation, const CnnFitConfig *config, CnnError *error)
{
  CnnStatus status;
  if (model == NULL || optimizer == NULL || config == NULL)
    return cnn_error_set (error, CNN_ERROR_NOT_COMPILED,
                          "Training needs a model, an optimizer and a configuration.");
  if ((status = check_source (train, "training", error)) != CNN_OK)
    return status;
  if (validation != NULL && (status = check_source (validation, "validation", error)) != CNN_OK)
    return status;
  if (config->batch_size <= 0)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "The batch size must be at least 1 (got %d).", config->batch_size);
  if (config->initial_epoch < 0 || config->epochs < config->initial_epoch)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "Epochs must run from initial_epoch %d up to epochs %d.",
                          config->initial_epoch, config->epochs);
  if ((int) config->loss < 0 || config->loss >= CNN_N_LOSSES)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT, "Unknown loss %d.",
                          (int) config->loss);
  size_t n_params = 0;
  cnn_model_trainable_arena (model, &n_params);
  if (n_params != cnn_optimizer_n_params (optimizer))
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "The optimizer was made for %zu parameters, the model trains %zu.",
                          cnn_optimizer_n_params (optimizer), n_params);
  return CNN_OK;
}

CnnStatus
cnn_model_fit (CnnModel *model, CnnOptimizer *optimizer,
               CnnBatchSource *train, CnnBatchSource *validation,
               const CnnFitConfig *config, const CnnFitCallbacks *callbacks,
               CnnHistory *history, CnnError *error)
{
  CnnStatus status = check_fit_arguments (model, optimizer, train, validation, config, error);
  if (status != CNN_OK)
    return status;

  FitRun run = {
    .model = model, .optimizer = optimizer, .train = train, .validation = validation,
    .config = config, .callbacks = callbacks,
    .early_stopping_sink = { forward_message, (void *) callbacks, 1 },
    .reduce_lr_sink = { forward_message, (void *) callbacks, 1 },
  };
  CnnStopReason stop_reason = CNN_STOPPED_COMPLETED;
  if (history != NULL)
    history->stop_reason = CNN_STOPPED_COMPLETED;
  status = fit_run_prepare (&run, error);

  for (int epoch = config->initial_epoch; status == CNN_OK && epoch < config->epochs; epoch++)
    {
      if (callbacks != NULL && callbacks->on_epoch_begin != NULL
          && callbacks->on_epoch_begin (callbacks->user_data, epoch) == CNN_STOP)
        {
          stop_reason = CNN_STOPPED_BY_USER;
          break;
        }
      CnnEpochLogs logs = { .epoch = epoch };
      EpochOutcome outcome;
      if ((status = fit_train_epoch (&run, epoch, &logs, &outcome, error)) != CNN_OK)
        break;
      if (outcome == EPOCH_STOPPED_BY_USER)
        {
          stop_reason = CNN_STOPPED_BY_USER;
          break;
        }
      int stop;
      if ((status = fit_end_epoch (&run, &logs, history, &stop_reason, &stop, error)) != CNN_OK
          || stop)
        break;
    }

  if (history != NULL && status == CNN_OK)
    history->stop_reason = stop_reason;
  batch_buffers_free (&run.buffers);
  free (run.frozen_backup);
  if (status == CNN_OK && error != NULL)
    {
      error->status = CNN_OK;
      error->message[0] = '\0';
    }
  return status;
}
