/* cnn-loss.c — crossentropy losses and accuracy as tf.keras computes them, and backward. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include <math.h>
#include <string.h>

#include "cnn-private.h"

/* Keras's backend.epsilon(), used to clip probabilities. */
#define KERAS_EPSILON 1e-7

static const char *loss_names[CNN_N_LOSSES] = {
  [CNN_LOSS_CATEGORICAL_CROSSENTROPY] = "categorical_crossentropy",
  [CNN_LOSS_SPARSE_CATEGORICAL_CROSSENTROPY] = "sparse_categorical_crossentropy",
  [CNN_LOSS_BINARY_CROSSENTROPY] = "binary_crossentropy",
};

const char *
cnn_loss_name (CnnLoss loss)
{
  return (unsigned) loss < CNN_N_LOSSES ? loss_names[loss] : "unknown";
}

int
cnn_loss_from_name (const char *name, CnnLoss *loss)
{
  if (!name)
    return 0;
  for (int i = 0; i < CNN_N_LOSSES; i++)
    if (strcmp (name, loss_names[i]) == 0)
      {
        *loss = (CnnLoss) i;
        return 1;
      }
  return 0;
}

static int
argmax (const float *row, int n)
{
  int best = 0;

  for (int j = 1; j < n; j++)
    if (row[j] > row[best])
      best = j;
  return best;
}

static CnnStatus
check_labels (const int32_t *labels, int batch, int n_classes, CnnLoss loss, CnnError *error)
{
  if (loss == CNN_LOSS_BINARY_CROSSENTROPY && n_classes != 1)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "binary_crossentropy needs a model with one sigmoid output unit; "
                          "this one has %d outputs (use categorical_crossentropy)", n_classes);
  int limit = loss == CNN_LOSS_BINARY_CROSSENTROPY ? 2 : n_classes;
  for (int i = 0; i < batch; i++)
    if (labels[i] < 0 || labels[i] >= limit)
      return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                            "Label %d of sample %d is outside the model's classes 0 to %d",
                            (int) labels[i], i, limit - 1);
  return CNN_OK;
}

/* Categorical crossentropy of one row. From the logits (softmax output), as tf.keras does
 * it: log-sum-exp, no clipping, gradient softmax − onehot. Otherwise from the output
 * itself, as Keras does for a non-softmax output: normalise the row to sum 1, clip to
 * [1e-7, 1 − 1e-7], −log; the clipped value has no gradient (tf.clip_by_value). The
 * gradient goes to `grad` (with respect to logits or to the output), scaled by `scale`. */
static double
categorical_row (const float *output, const float *logits, int n, int label, float scale,
                 float *grad)
{
  if (logits)
    {
      double max = logits[0], sum = 0.0;
      for (int j = 1; j < n; j++)
        max = logits[j] > max ? logits[j] : max;
      for (int j = 0; j < n; j++)
        sum += exp (logits[j] - max);
      if (grad)
        for (int j = 0; j < n; j++)
          grad[j] = (output[j] - (j == label)) * scale;
      return max + log (sum) - logits[label];
    }
  double total = 0.0;
  for (int j = 0; j < n; j++)
    total += output[j];
  double p = output[label] / total;
  int clipped = !(p > KERAS_EPSILON && p < 1.0 - KERAS_EPSILON);
  if (grad)
    for (int j = 0; j < n; j++)
      grad[j] = clipped ? 0.0f
                        : (float) ((1.0 / total - (j == label) / (double) output[label]) * scale);
  p = p < KERAS_EPSILON ? KERAS_EPSILON : p > 1.0 - KERAS_EPSILON ? 1.0 - KERAS_EPSILON : p;
  return -log (p);
}

/* Binary crossentropy of one unit. From the logit z (sigmoid output), tf's stable
 * max(z, 0) − z·y + log(1 + exp(−|z|)); otherwise Keras's clipped form
 * −(y·log(p + ε) + (1 − y)·log(1 − p + ε)) with p clipped to [ε, 1 − ε]. */
static double
binary_row (float output, const float *logit, int label, float scale, float *grad)
{
  if (logit)
    {
      double z = *logit;
      if (grad)
        *grad = (output - (float) label) * scale;
      return (z > 0 ? z : 0) - z * label + log1p (exp (-fabs (z)));
    }
  double p = output;
  int clipped = !(p > KERAS_EPSILON && p < 1.0 - KERAS_EPSILON);
  p = p < KERAS_EPSILON ? KERAS_EPSILON : p > 1.0 - KERAS_EPSILON ? 1.0 - KERAS_EPSILON : p;
  if (grad)
    *grad = clipped ? 0.0f
                    : (float) (-(label / (p + KERAS_EPSILON)
                                 - (1 - label) / (1.0 - p + KERAS_EPSILON)) * scale);
  return -(label * log (p + KERAS_EPSILON) + (1 - label) * log (1.0 - p + KERAS_EPSILON));
}

CnnStatus
cnn_model_loss (CnnModel *model, CnnLoss loss, const int32_t *labels, int backward,
                double *loss_value, int *correct, CnnError *error)
{
  CnnStatus status;

  if (!model || !labels || (unsigned) loss >= CNN_N_LOSSES)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "The loss needs a model, labels and a known loss function");
  if (model->last_batch <= 0)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "The loss needs a forward pass first");
  const int batch = model->last_batch;
  const int last = model->n_layers - 1;
  const int n = cnn_model_n_outputs (model);
  const float *output = model->layers[last].result;
  const int from_logits = cnn_layer_keeps_logits (model, last)
                          && cnn_layer_activation (&model->layers[last])
                               == (loss == CNN_LOSS_BINARY_CROSSENTROPY
                                     ? CNN_ACTIVATION_SIGMOID : CNN_ACTIVATION_SOFTMAX);
  const float scale = 1.0f / (float) batch;
  float *grad = backward ? model->grad_front : NULL;
  double total = 0.0;
  int hits = 0;

  if ((status = check_labels (labels, batch, n, loss, error)) != CNN_OK)
    return status;
  for (int i = 0; i < batch; i++)
    {
      const float *row = output + (size_t) i * n;
      const float *logits = from_logits ? model->logits + (size_t) i * n : NULL;
      float *grad_row = grad ? grad + (size_t) i * n : NULL;

      if (loss == CNN_LOSS_BINARY_CROSSENTROPY)
        {
          total += binary_row (row[0], logits, labels[i], scale, grad_row);
          hits += (row[0] > 0.5f) == (labels[i] == 1);
        }
      else
        {
          total += categorical_row (row, logits, n, labels[i], scale, grad_row);
          hits += argmax (row, n) == labels[i];
        }
    }
  if (loss_value)
    *loss_value = total / batch;
  if (correct)
    *correct = hits;
  if (!isfinite (total))
    return cnn_error_set (error, CNN_ERROR_NUMERIC,
                          "The loss is %s: training diverged (try a lower learning rate)",
                          isnan (total) ? "not a number" : "infinite");
  if (backward)
    return cnn_model_backward (model, grad, from_logits, error);
  return CNN_OK;
}
