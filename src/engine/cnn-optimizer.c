/* cnn-optimizer.c — SGD, RMSprop and Adam on the flat trainable arena, as tf.keras 2.x does. */
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Weights, gradients and slots are float32, like Keras's variables; per-step coefficients
// (Adam's bias corrections) are formed in double and rounded once to float. Keras forms
// them in float32; doing it in double keeps b2^t exact far into a long run and differs
// from Keras by at most one float32 rounding of the coefficient.

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cnn.h"
#include "cnn-training-private.h"

#define CNN_OPTIMIZER_MAX_SLOTS 2

struct CnnOptimizer {
  CnnOptimizerConfig config;
  size_t n_params;
  int64_t iterations;
  int n_slots;
  float *slots[CNN_OPTIMIZER_MAX_SLOTS]; /* each (n_params) */
  const char *slot_names[CNN_OPTIMIZER_MAX_SLOTS];
};

static const char *const optimizer_names[CNN_N_OPTIMIZERS] = {
  [CNN_OPTIMIZER_SGD] = "SGD",
  [CNN_OPTIMIZER_RMSPROP] = "RMSprop",
  [CNN_OPTIMIZER_ADAM] = "Adam",
};

void
cnn_optimizer_config_init (CnnOptimizerConfig *config, CnnOptimizerType type)
{
  if (config == NULL)
    return;
  memset (config, 0, sizeof *config);
  config->type = type;
  config->learning_rate = type == CNN_OPTIMIZER_SGD ? 0.01 : 1e-3;
  config->momentum = 0.0;
  config->nesterov = 0;
  config->rho = 0.9;
  config->beta_1 = 0.9;
  config->beta_2 = 0.999;
  config->epsilon = 1e-7;
}

const char *
cnn_optimizer_name (CnnOptimizerType type)
{
  if ((int) type < 0 || type >= CNN_N_OPTIMIZERS)
    return "unknown";
  return optimizer_names[type];
}

static int
ascii_equal_ignoring_case (const char *a, const char *b)
{
  for (; *a != '\0' && *b != '\0'; a++, b++)
    {
      char ca = (*a >= 'A' && *a <= 'Z') ? (char) (*a - 'A' + 'a') : *a;
      char cb = (*b >= 'A' && *b <= 'Z') ? (char) (*b - 'A' + 'a') : *b;
      if (ca != cb)
        return 0;
    }
  return *a == *b;
}

/* Accepts Keras's class names and the lower-case strings compile() takes ("adam"). */
int
cnn_optimizer_from_name (const char *name, CnnOptimizerType *type)
{
  if (name == NULL)
    return 0;
  for (int i = 0; i < CNN_N_OPTIMIZERS; i++)
    if (ascii_equal_ignoring_case (name, optimizer_names[i]))
      {
        if (type != NULL)
          *type = (CnnOptimizerType) i;
        return 1;
      }
  return 0;
}

static int
in_unit_interval (double value, int include_one)
{
  return value >= 0.0 && (include_one ? value <= 1.0 : value < 1.0);
}

static CnnStatus
check_config (const CnnOptimizerConfig *config, CnnError *error)
{
  if ((int) config->type < 0 || config->type >= CNN_N_OPTIMIZERS)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT, "Unknown optimizer type %d.",
                          (int) config->type);
  if (!isfinite (config->learning_rate) || config->learning_rate < 0.0)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "The learning rate must be a number ≥ 0 (got %g).",
                          config->learning_rate);
  switch (config->type)
    {
    case CNN_OPTIMIZER_SGD:
      if (!in_unit_interval (config->momentum, 1))
        return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                              "SGD momentum must be between 0 and 1 (got %g).",
                              config->momentum);
      break;
    case CNN_OPTIMIZER_RMSPROP:
      if (!in_unit_interval (config->rho, 1))
        return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                              "RMSprop rho must be between 0 and 1 (got %g).", config->rho);
      break;
    case CNN_OPTIMIZER_ADAM:
      if (!in_unit_interval (config->beta_1, 0) || !in_unit_interval (config->beta_2, 0))
        return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                              "Adam beta_1 and beta_2 must be in [0, 1) (got %g, %g).",
                              config->beta_1, config->beta_2);
      break;
    case CNN_N_OPTIMIZERS:
    default:
      break;
    }
  if (config->type != CNN_OPTIMIZER_SGD && (!isfinite (config->epsilon) || config->epsilon < 0))
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "The optimizer's epsilon must be a number ≥ 0 (got %g).",
                          config->epsilon);
  return CNN_OK;
}

CnnOptimizer *
cnn_optimizer_new (const CnnOptimizerConfig *config, size_t n_params, CnnError *error)
{
  if (config == NULL)
    {
      cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT, "No optimizer configuration given.");
      return NULL;
    }
  if (check_config (config, error) != CNN_OK)
    return NULL;

  CnnOptimizer *optimizer = calloc (1, sizeof *optimizer);
  if (optimizer == NULL)
    {
      cnn_error_set (error, CNN_ERROR_NO_MEMORY, "Out of memory creating the optimizer.");
      return NULL;
    }
  optimizer->config = *config;
  optimizer->n_params = n_params;

  switch (config->type)
    {
    case CNN_OPTIMIZER_SGD:
      if (config->momentum != 0.0)
        optimizer->slot_names[optimizer->n_slots++] = "momentum";
      break;
    case CNN_OPTIMIZER_RMSPROP:
      optimizer->slot_names[optimizer->n_slots++] = "rms";
      break;
    case CNN_OPTIMIZER_ADAM:
      optimizer->slot_names[optimizer->n_slots++] = "m";
      optimizer->slot_names[optimizer->n_slots++] = "v";
      break;
    case CNN_N_OPTIMIZERS:
    default:
      break;
    }

  for (int i = 0; i < optimizer->n_slots; i++)
    {
      /* calloc(0) may return NULL; one spare float keeps "NULL = failure" unambiguous. */
      optimizer->slots[i] = calloc (n_params + 1, sizeof (float));
      if (optimizer->slots[i] == NULL)
        {
          cnn_optimizer_free (optimizer);
          cnn_error_set (error, CNN_ERROR_NO_MEMORY,
                         "Out of memory for the optimizer's state (%zu parameters).", n_params);
          return NULL;
        }
    }
  return optimizer;
}

void
cnn_optimizer_free (CnnOptimizer *optimizer)
{
  if (optimizer == NULL)
    return;
  for (int i = 0; i < CNN_OPTIMIZER_MAX_SLOTS; i++)
    free (optimizer->slots[i]);
  free (optimizer);
}

const CnnOptimizerConfig *
cnn_optimizer_config (const CnnOptimizer *optimizer)
{
  return optimizer != NULL ? &optimizer->config : NULL;
}

size_t
cnn_optimizer_n_params (const CnnOptimizer *optimizer)
{
  return optimizer != NULL ? optimizer->n_params : 0;
}

/* w −= lr·g */
static void
sgd_plain_step (size_t n, float *restrict params, const float *restrict grads, float lr)
{
  for (size_t i = 0; i < n; i++)
    params[i] -= lr * grads[i];
}

/* tf.keras 2.x (ResourceApplyKerasMomentum): v = m·v − lr·g; w += v, or with Nesterov
 * w += m·v − lr·g using the new v. */
static void
sgd_momentum_step (size_t n, float *restrict params, const float *restrict grads,
                   float *restrict velocity, float lr, float momentum, int nesterov)
{
  if (nesterov)
    for (size_t i = 0; i < n; i++)
      {
        float v = momentum * velocity[i] - lr * grads[i];
        velocity[i] = v;
        params[i] += momentum * v - lr * grads[i];
      }
  else
    for (size_t i = 0; i < n; i++)
      {
        float v = momentum * velocity[i] - lr * grads[i];
        velocity[i] = v;
        params[i] += v;
      }
}

/* tf.keras ≤ 2.10 RMSprop without momentum: epsilon outside the root (TF ≥ 2.11 moved it
 * inside, sqrt(v + eps)). */
static void
rmsprop_step (size_t n, float *restrict params, const float *restrict grads,
              float *restrict rms, float lr, float rho, float epsilon)
{
  const float one_minus_rho = 1.0f - rho;
  for (size_t i = 0; i < n; i++)
    {
      float g = grads[i];
      float v = rho * rms[i] + one_minus_rho * g * g;
      rms[i] = v;
      params[i] -= lr * g / (sqrtf (v) + epsilon);
    }
}

/* `step_size` is lr·sqrt(1 − b2^t)/(1 − b1^t), formed by the caller. */
static void
adam_step (size_t n, float *restrict params, const float *restrict grads,
           float *restrict m, float *restrict v, float step_size,
           float beta_1, float beta_2, float epsilon)
{
  const float one_minus_beta_1 = 1.0f - beta_1;
  const float one_minus_beta_2 = 1.0f - beta_2;
  for (size_t i = 0; i < n; i++)
    {
      float g = grads[i];
      float m_i = beta_1 * m[i] + one_minus_beta_1 * g;
      float v_i = beta_2 * v[i] + one_minus_beta_2 * g * g;
      m[i] = m_i;
      v[i] = v_i;
      params[i] -= step_size * m_i / (sqrtf (v_i) + epsilon);
    }
}

void
cnn_optimizer_update_range (CnnOptimizer *optimizer, float *params, const float *grads,
                            size_t first, size_t end)
{
  const CnnOptimizerConfig *config = &optimizer->config;
  const size_t n = end - first;
  /* Keras keeps the learning rate in a float32 variable. */
  const float lr = (float) config->learning_rate;
  float *slot_0 = optimizer->n_slots > 0 ? optimizer->slots[0] + first : NULL;
  float *slot_1 = optimizer->n_slots > 1 ? optimizer->slots[1] + first : NULL;

  params += first;
  grads += first;
  switch (config->type)
    {
    case CNN_OPTIMIZER_SGD:
      if (optimizer->n_slots == 0)
        sgd_plain_step (n, params, grads, lr);
      else
        sgd_momentum_step (n, params, grads, slot_0, lr, (float) config->momentum,
                           config->nesterov);
      break;
    case CNN_OPTIMIZER_RMSPROP:
      rmsprop_step (n, params, grads, slot_0, lr, (float) config->rho,
                    (float) config->epsilon);
      break;
    case CNN_OPTIMIZER_ADAM:
      {
        const double t = (double) (optimizer->iterations + 1);
        const double beta_1_power = pow ((double) (float) config->beta_1, t);
        const double beta_2_power = pow ((double) (float) config->beta_2, t);
        const double step_size = (double) lr * sqrt (1.0 - beta_2_power) / (1.0 - beta_1_power);
        adam_step (n, params, grads, slot_0, slot_1, (float) step_size,
                   (float) config->beta_1, (float) config->beta_2, (float) config->epsilon);
      }
      break;
    case CNN_N_OPTIMIZERS:
    default:
      break;
    }
}

void
cnn_optimizer_step (CnnOptimizer *optimizer, float *params, const float *grads)
{
  if (optimizer == NULL || params == NULL || grads == NULL)
    return;
  cnn_optimizer_update_range (optimizer, params, grads, 0, optimizer->n_params);
  optimizer->iterations++;
}

double
cnn_optimizer_get_learning_rate (const CnnOptimizer *optimizer)
{
  return optimizer != NULL ? optimizer->config.learning_rate : 0.0;
}

void
cnn_optimizer_set_learning_rate (CnnOptimizer *optimizer, double learning_rate)
{
  if (optimizer == NULL || !isfinite (learning_rate) || learning_rate < 0.0)
    return;
  optimizer->config.learning_rate = learning_rate;
}

int64_t
cnn_optimizer_get_iterations (const CnnOptimizer *optimizer)
{
  return optimizer != NULL ? optimizer->iterations : 0;
}

void
cnn_optimizer_set_iterations (CnnOptimizer *optimizer, int64_t iterations)
{
  if (optimizer == NULL || iterations < 0)
    return;
  optimizer->iterations = iterations;
}

int
cnn_optimizer_n_slots (const CnnOptimizer *optimizer)
{
  return optimizer != NULL ? optimizer->n_slots : 0;
}

float *
cnn_optimizer_slot (CnnOptimizer *optimizer, int index, const char **name)
{
  if (optimizer == NULL || index < 0 || index >= optimizer->n_slots)
    {
      if (name != NULL)
        *name = NULL;
      return NULL;
    }
  if (name != NULL)
    *name = optimizer->slot_names[index];
  return optimizer->slots[index];
}
