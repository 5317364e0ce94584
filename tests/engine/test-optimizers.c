/* test-optimizers.c — SGD, RMSprop and Adam steps against the Keras formulas worked in double. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include <math.h>
#include <string.h>

#include <glib.h>

#include "cnn.h"

#define N_PARAMS 5
#define N_STEPS 3

/* Gradients of the steps: ordinary, negative, tiny (where epsilon's place in RMSprop shows),
 * zero-then-nonzero, and one large enough to exercise momentum sign changes. */
static const double initial_weights[N_PARAMS] = { 0.5, -1.25, 2.0, 0.0, 3.0 };
static const double gradients[N_STEPS][N_PARAMS] = {
  { 0.3, -0.7, 1e-4, 0.0, 4.0 },
  { -0.2, 0.4, 2e-4, 0.05, -3.0 },
  { 0.1, 0.9, -1e-4, -0.3, 0.5 },
};

/* The reference: one optimizer's state in double, advanced by KERAS.md's rules. */
typedef struct {
  CnnOptimizerConfig config;
  double weights[N_PARAMS];
  double slot_a[N_PARAMS]; /* SGD velocity, RMSprop accumulator, Adam m */
  double slot_b[N_PARAMS]; /* Adam v */
  int t;
} Reference;

static void
reference_init (Reference *reference, const CnnOptimizerConfig *config)
{
  memset (reference, 0, sizeof *reference);
  reference->config = *config;
  memcpy (reference->weights, initial_weights, sizeof initial_weights);
}

static void
reference_step (Reference *reference, const double *grads)
{
  const CnnOptimizerConfig *c = &reference->config;
  const double lr = c->learning_rate;
  reference->t++;
  for (int i = 0; i < N_PARAMS; i++)
    {
      double g = grads[i];
      double *w = &reference->weights[i];
      double *a = &reference->slot_a[i];
      double *b = &reference->slot_b[i];
      switch (c->type)
        {
        case CNN_OPTIMIZER_SGD:
          *a = c->momentum * *a - lr * g;
          if (c->nesterov)
            *w += c->momentum * *a - lr * g;
          else
            *w += *a;
          break;
        case CNN_OPTIMIZER_RMSPROP:
          *a = c->rho * *a + (1 - c->rho) * g * g;
          *w -= lr * g / (sqrt (*a) + c->epsilon);
          break;
        case CNN_OPTIMIZER_ADAM:
          {
            *a = c->beta_1 * *a + (1 - c->beta_1) * g;
            *b = c->beta_2 * *b + (1 - c->beta_2) * g * g;
            double step = lr * sqrt (1 - pow (c->beta_2, reference->t))
                          / (1 - pow (c->beta_1, reference->t));
            *w -= step * *a / (sqrt (*b) + c->epsilon);
          }
          break;
        case CNN_N_OPTIMIZERS:
        default:
          g_assert_not_reached ();
        }
    }
}

static void
step_optimizer (CnnOptimizer *optimizer, float *weights, const double *grads)
{
  float grads_f[N_PARAMS];
  for (int i = 0; i < N_PARAMS; i++)
    grads_f[i] = (float) grads[i];
  cnn_optimizer_step (optimizer, weights, grads_f);
}

static void
assert_weights_match (const float *weights, const Reference *reference, int step)
{
  for (int i = 0; i < N_PARAMS; i++)
    {
      double expected = reference->weights[i];
      double tolerance = 2e-6 * (1.0 + fabs (expected));
      if (fabs (weights[i] - expected) > tolerance)
        g_error ("%s step %d, weight %d: got %.9g, expected %.9g",
                 cnn_optimizer_name (reference->config.type), step, i, weights[i], expected);
    }
}

typedef struct {
  const char *name;
  CnnOptimizerType type;
  double learning_rate;
  double momentum;
  int nesterov;
} OptimizerCase;

static const OptimizerCase cases[] = {
  { "sgd", CNN_OPTIMIZER_SGD, 0.01, 0.0, 0 },
  { "sgd-momentum", CNN_OPTIMIZER_SGD, 0.05, 0.9, 0 },
  { "sgd-nesterov", CNN_OPTIMIZER_SGD, 0.05, 0.9, 1 },
  { "rmsprop", CNN_OPTIMIZER_RMSPROP, 0.01, 0.0, 0 },
  { "adam", CNN_OPTIMIZER_ADAM, 0.05, 0.0, 0 },
};

static void
config_for_case (const OptimizerCase *test_case, CnnOptimizerConfig *config)
{
  cnn_optimizer_config_init (config, test_case->type);
  config->learning_rate = test_case->learning_rate;
  config->momentum = test_case->momentum;
  config->nesterov = test_case->nesterov;
}

/* One step, then two more, each compared with the double reference. */
static void
test_steps (gconstpointer data)
{
  const OptimizerCase *test_case = data;
  CnnOptimizerConfig config;
  CnnError error = { 0 };
  config_for_case (test_case, &config);

  CnnOptimizer *optimizer = cnn_optimizer_new (&config, N_PARAMS, &error);
  g_assert_nonnull (optimizer);
  Reference reference;
  reference_init (&reference, &config);
  float weights[N_PARAMS];
  for (int i = 0; i < N_PARAMS; i++)
    weights[i] = (float) initial_weights[i];

  for (int step = 0; step < N_STEPS; step++)
    {
      step_optimizer (optimizer, weights, gradients[step]);
      reference_step (&reference, gradients[step]);
      assert_weights_match (weights, &reference, step + 1);
    }
  g_assert_cmpint (cnn_optimizer_get_iterations (optimizer), ==, N_STEPS);
  /* The updates are not negligible next to the tolerance: the test can fail. */
  g_assert_cmpfloat (fabs (weights[0] - initial_weights[0]), >, 1e-3);
  cnn_optimizer_free (optimizer);
}

static void
test_learning_rate_change (gconstpointer data)
{
  const OptimizerCase *test_case = data;
  CnnOptimizerConfig config;
  config_for_case (test_case, &config);

  CnnOptimizer *optimizer = cnn_optimizer_new (&config, N_PARAMS, NULL);
  g_assert_nonnull (optimizer);
  Reference reference;
  reference_init (&reference, &config);
  float weights[N_PARAMS];
  for (int i = 0; i < N_PARAMS; i++)
    weights[i] = (float) initial_weights[i];

  const double rates[N_STEPS] = { test_case->learning_rate, test_case->learning_rate / 4,
                                  test_case->learning_rate * 3 };
  for (int step = 0; step < N_STEPS; step++)
    {
      cnn_optimizer_set_learning_rate (optimizer, rates[step]);
      g_assert_cmpfloat (cnn_optimizer_get_learning_rate (optimizer), ==, rates[step]);
      reference.config.learning_rate = rates[step];
      step_optimizer (optimizer, weights, gradients[step]);
      reference_step (&reference, gradients[step]);
      assert_weights_match (weights, &reference, step + 1);
    }
  cnn_optimizer_free (optimizer);
}

/* Two steps, then the state moves to a fresh optimizer: its third step must equal the
 * original's third step bit for bit. */
static void
test_save_restore (gconstpointer data)
{
  const OptimizerCase *test_case = data;
  CnnOptimizerConfig config;
  config_for_case (test_case, &config);

  CnnOptimizer *original = cnn_optimizer_new (&config, N_PARAMS, NULL);
  float weights[N_PARAMS];
  for (int i = 0; i < N_PARAMS; i++)
    weights[i] = (float) initial_weights[i];
  step_optimizer (original, weights, gradients[0]);
  step_optimizer (original, weights, gradients[1]);

  CnnOptimizer *restored = cnn_optimizer_new (&config, N_PARAMS, NULL);
  g_assert_cmpint (cnn_optimizer_n_slots (restored), ==, cnn_optimizer_n_slots (original));
  for (int slot = 0; slot < cnn_optimizer_n_slots (original); slot++)
    {
      const char *name = NULL, *restored_name = NULL;
      float *source = cnn_optimizer_slot (original, slot, &name);
      float *target = cnn_optimizer_slot (restored, slot, &restored_name);
      g_assert_cmpstr (name, ==, restored_name);
      memcpy (target, source, N_PARAMS * sizeof (float));
    }
  cnn_optimizer_set_iterations (restored, cnn_optimizer_get_iterations (original));
  float restored_weights[N_PARAMS];
  memcpy (restored_weights, weights, sizeof weights);

  step_optimizer (original, weights, gradients[2]);
  step_optimizer (restored, restored_weights, gradients[2]);
  g_assert_cmpmem (weights, sizeof weights, restored_weights, sizeof restored_weights);

  /* Without the state the continuation differs (the test above can fail). */
  if (cnn_optimizer_n_slots (original) > 0 || config.type == CNN_OPTIMIZER_ADAM)
    {
      CnnOptimizer *fresh = cnn_optimizer_new (&config, N_PARAMS, NULL);
      memcpy (restored_weights, weights, sizeof weights);
      step_optimizer (original, weights, gradients[0]);
      step_optimizer (fresh, restored_weights, gradients[0]);
      g_assert_true (memcmp (weights, restored_weights, sizeof weights) != 0);
      cnn_optimizer_free (fresh);
    }
  cnn_optimizer_free (restored);
  cnn_optimizer_free (original);
}

static void
test_defaults_and_slots (void)
{
  CnnOptimizerConfig config;
  cnn_optimizer_config_init (&config, CNN_OPTIMIZER_SGD);
  g_assert_cmpfloat (config.learning_rate, ==, 0.01);
  g_assert_cmpfloat (config.momentum, ==, 0.0);
  cnn_optimizer_config_init (&config, CNN_OPTIMIZER_RMSPROP);
  g_assert_cmpfloat (config.learning_rate, ==, 1e-3);
  g_assert_cmpfloat (config.rho, ==, 0.9);
  g_assert_cmpfloat (config.epsilon, ==, 1e-7);
  cnn_optimizer_config_init (&config, CNN_OPTIMIZER_ADAM);
  g_assert_cmpfloat (config.beta_1, ==, 0.9);
  g_assert_cmpfloat (config.beta_2, ==, 0.999);

  CnnOptimizer *adam = cnn_optimizer_new (&config, 3, NULL);
  const char *name = NULL;
  g_assert_cmpint (cnn_optimizer_n_slots (adam), ==, 2);
  g_assert_nonnull (cnn_optimizer_slot (adam, 0, &name));
  g_assert_cmpstr (name, ==, "m");
  g_assert_nonnull (cnn_optimizer_slot (adam, 1, &name));
  g_assert_cmpstr (name, ==, "v");
  g_assert_null (cnn_optimizer_slot (adam, 2, &name));
  cnn_optimizer_free (adam);

  CnnOptimizerType type;
  g_assert_true (cnn_optimizer_from_name ("RMSprop", &type));
  g_assert_cmpint (type, ==, CNN_OPTIMIZER_RMSPROP);
  g_assert_true (cnn_optimizer_from_name ("adam", &type));
  g_assert_cmpint (type, ==, CNN_OPTIMIZER_ADAM);
  g_assert_false (cnn_optimizer_from_name ("adagrad", &type));
  g_assert_cmpstr (cnn_optimizer_name (CNN_OPTIMIZER_SGD), ==, "SGD");

  CnnError error = { 0 };
  cnn_optimizer_config_init (&config, CNN_OPTIMIZER_SGD);
  config.learning_rate = -1;
  g_assert_null (cnn_optimizer_new (&config, 3, &error));
  g_assert_cmpint (error.status, ==, CNN_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "learning rate"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *steps = g_strdup_printf ("/engine/optimizer/%s/steps", cases[i].name);
      g_autofree char *rate = g_strdup_printf ("/engine/optimizer/%s/learning-rate-change",
                                               cases[i].name);
      g_autofree char *restore = g_strdup_printf ("/engine/optimizer/%s/save-restore",
                                                  cases[i].name);
      g_test_add_data_func (steps, &cases[i], test_steps);
      g_test_add_data_func (rate, &cases[i], test_learning_rate_change);
      g_test_add_data_func (restore, &cases[i], test_save_restore);
    }
  g_test_add_func ("/engine/optimizer/defaults-and-slots", test_defaults_and_slots);
  return g_test_run ();
}
