/* test-gradients.c — finite-difference checks of every layer's and loss's backward pass. */
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Each case builds a tiny model, computes the analytic gradient of a scalar (either
// sum(output · random coefficients) or a real loss) with respect to every trainable weight
// and to the input, and compares it with central differences. The forward pass is float32,
// so differences are taken in float with the scalar accumulated in double; tolerances are
// |analytic − numeric| ≤ atol + rtol · max(|analytic|, |numeric|), stated per case.
// Kinks (a ReLU crossing zero, a max-pooling winner changing) are detected by comparing the
// activation pattern of the perturbed passes with the base pass; such coordinates are
// skipped, and at most a tenth of them may be.

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "cnn-kernels.h"
#include "cnn-private.h"

typedef struct {
  double step;  /* finite-difference half-width */
  double atol;
  double rtol;
} Tolerance;

/* Smooth ops: float32 noise of the scalar (~1e-6) over 2·step, plus step² curvature. */
static const Tolerance smooth = { 3e-3, 2e-3, 1e-2 };
/* Normalisation divides by a batch standard deviation: noisier differences. */
static const Tolerance normalising = { 3e-3, 5e-3, 3e-2 };

typedef struct {
  CnnModel *model;
  float *x;          /* (batch, h, w, c) */
  int batch;
  int training;
  uint64_t step;     /* fixed so Dropout masks are the same in every pass */
  float *coeffs;     /* (batch, n_outputs), when no loss is used */
  int use_loss;
  CnnLoss loss;
  int32_t *labels;   /* (batch) */
} GradCase;

static GRand *test_rand;

static float
uniform (double low, double high)
{
  return (float) g_rand_double_range (test_rand, low, high);
}

/* Biases, gamma, beta and moving statistics get non-trivial values so that their
 * gradients are exercised away from the initial 0 / 1. */
static void
randomise_weights (CnnModel *model)
{
  for (int w = 0; w < cnn_model_n_weights (model); w++)
    {
      const CnnWeight *weight = cnn_model_weight (model, w);
      const char *suffix = strrchr (weight->name, '/') + 1;
      double low = -0.5, high = 0.5;

      if (strcmp (suffix, "kernel") == 0)
        continue;
      if (strcmp (suffix, "gamma") == 0 || strcmp (suffix, "moving_variance") == 0)
        low = 0.5, high = 1.5;
      for (size_t i = 0; i < weight->size; i++)
        weight->data[i] = uniform (low, high);
    }
}

static CnnModel *
build (int h, int w, int c, CnnLayerSpec *specs, int n_layers)
{
  CnnError error = { 0 };
  CnnModel *model = cnn_model_new (h, w, c, specs, n_layers, 1234, &error);

  g_assert_cmpstr (error.message, ==, "");
  g_assert_nonnull (model);
  randomise_weights (model);
  model->compute_input_gradient = 1;
  return model;
}

static double
evaluate (GradCase *gc)
{
  const float *output;
  double value = 0.0;

  cnn_model_set_step (gc->model, gc->step);
  g_assert_cmpint (cnn_model_forward (gc->model, gc->x, gc->batch, gc->training, &output,
                                      NULL), ==, CNN_OK);
  if (gc->use_loss)
    {
      g_assert_cmpint (cnn_model_loss (gc->model, gc->loss, gc->labels, 0, &value, NULL,
                                       NULL), ==, CNN_OK);
      return value;
    }
  size_t n = (size_t) gc->batch * cnn_model_n_outputs (gc->model);
  for (size_t i = 0; i < n; i++)
    value += (double) output[i] * gc->coeffs[i];
  return value;
}

/* A fingerprint of where the pass is not smooth: ReLU on/off and max-pooling winners. */
static guint64
kink_pattern (const CnnModel *model, int batch)
{
  guint64 hash = 1469598103934665603u;

  for (int l = 0; l < model->n_layers; l++)
    {
      const CnnLayer *layer = &model->layers[l];
      size_t n = (size_t) batch * layer->out_size;
      for (size_t i = 0; i < n; i++)
        {
          guint64 bit = 0;
          if (cnn_layer_activation (layer) == CNN_ACTIVATION_RELU)
            bit = layer->output[i] > 0.0f;
          else if (layer->spec.type == CNN_LAYER_MAX_POOLING2D)
            bit = (guint64) layer->argmax[i];
          else
            continue;
          hash = (hash ^ bit) * 1099511628211u;
        }
    }
  return hash;
}

/* Compares analytic[i] with the central difference of the scalar in values[i]. */
static void
check_coordinates (GradCase *gc, const char *what, float *values, const float *analytic,
                   size_t count, const Tolerance *tolerance, guint64 base_pattern,
                   int *checked, int *skipped)
{
  for (size_t i = 0; i < count; i++)
    {
      float saved = values[i];
      values[i] = saved + (float) tolerance->step;
      double plus = evaluate (gc);
      guint64 plus_pattern = kink_pattern (gc->model, gc->batch);
      values[i] = saved - (float) tolerance->step;
      double minus = evaluate (gc);
      guint64 minus_pattern = kink_pattern (gc->model, gc->batch);
      values[i] = saved;

      if (plus_pattern != base_pattern || minus_pattern != base_pattern)
        {
          (*skipped)++;
          continue;
        }
      double numeric = (plus - minus) / (2.0 * tolerance->step);
      double scale = MAX (fabs (numeric), fabs ((double) analytic[i]));
      (*checked)++;
      if (fabs (numeric - analytic[i]) > tolerance->atol + tolerance->rtol * scale)
        g_error ("%s[%zu]: analytic %.6g, numeric %.6g", what, i, analytic[i], numeric);
    }
}

/* Checks d(scalar)/d(every trainable weight) and d(scalar)/d(input). */
static void
check_case (GradCase *gc, const Tolerance *tolerance)
{
  CnnModel *model = gc->model;
  size_t n_input = (size_t) gc->batch * model->input_size;
  size_t n_grads;
  int checked = 0, skipped = 0;

  /* The analytic gradients, from one pass. */
  cnn_model_set_step (model, gc->step);
  g_assert_cmpint (cnn_model_forward (model, gc->x, gc->batch, gc->training, NULL, NULL),
                   ==, CNN_OK);
  guint64 base_pattern = kink_pattern (model, gc->batch);
  if (gc->use_loss)
    g_assert_cmpint (cnn_model_loss (model, gc->loss, gc->labels, 1, NULL, NULL, NULL), ==,
                     CNN_OK);
  else
    {
      size_t n_out = (size_t) gc->batch * cnn_model_n_outputs (model);
      g_autofree float *dlast = g_memdup2 (gc->coeffs, n_out * sizeof (float));
      g_assert_cmpint (cnn_model_backward (model, dlast, 0, NULL), ==, CNN_OK);
    }
  const float *arena = cnn_model_gradient_arena (model, &n_grads);
  g_autofree float *grads = g_memdup2 (arena, (n_grads + 1) * sizeof (float));
  g_autofree float *input_grad = g_memdup2 (model->input_gradient, n_input * sizeof (float));

  for (int w = 0; w < cnn_model_n_weights (model); w++)
    {
      const CnnWeight *weight = cnn_model_weight (model, w);
      if (weight->trainable)
        check_coordinates (gc, weight->name, weight->data, grads + (weight->grad - model->grads),
                           weight->size, tolerance, base_pattern, &checked, &skipped);
    }
  check_coordinates (gc, "input", gc->x, input_grad, n_input, tolerance, base_pattern,
                     &checked, &skipped);
  g_test_message ("%d coordinates checked, %d skipped at kinks", checked, skipped);
  g_assert_cmpint (checked, >, 0);
  g_assert_cmpint (skipped * 10, <=, checked + skipped);
}

/* Runs the sum(output · coeffs) check on a model over random inputs in [-1, 1). */
static void
check_model (CnnModel *model, int batch, int training, const Tolerance *tolerance)
{
  GradCase gc = { .model = model, .batch = batch, .training = training, .step = 5 };
  size_t n_input = (size_t) batch * model->input_size;
  size_t n_out = (size_t) batch * cnn_model_n_outputs (model);

  gc.x = g_new (float, n_input);
  gc.coeffs = g_new (float, n_out);
  for (size_t i = 0; i < n_input; i++)
    gc.x[i] = uniform (-1.0, 1.0);
  for (size_t i = 0; i < n_out; i++)
    gc.coeffs[i] = uniform (-1.0, 1.0);
  check_case (&gc, tolerance);
  g_free (gc.x);
  g_free (gc.coeffs);
  cnn_model_free (model);
}

/* ---------------------------------------------------------------- Conv2D */

static CnnModel *
conv_model (int size, int kernel, int stride, CnnPadding padding, int use_bias,
            CnnActivation activation)
{
  CnnLayerSpec spec;

  cnn_layer_spec_init (&spec, CNN_LAYER_CONV2D);
  spec.filters = 3;
  spec.kernel_size[0] = spec.kernel_size[1] = kernel;
  spec.strides[0] = spec.strides[1] = stride;
  spec.padding = padding;
  spec.use_bias = use_bias;
  spec.activation = activation;
  return build (size, size, 2, &spec, 1);
}

static void
test_conv2d_padding_and_strides (void)
{
  for (int padding = CNN_PADDING_VALID; padding <= CNN_PADDING_SAME; padding++)
    for (int stride = 1; stride <= 2; stride++)
      for (int use_bias = 0; use_bias <= 1; use_bias++)
        {
          check_model (conv_model (6, 3, stride, padding, use_bias, CNN_ACTIVATION_LINEAR), 2,
                       1, &smooth);
          /* An even kernel on an odd input puts TF's extra padding cell after. */
          check_model (conv_model (5, 2, stride, padding, use_bias, CNN_ACTIVATION_LINEAR), 2,
                       1, &smooth);
        }
  /* A 1×1 convolution takes the GEMM-only path. */
  check_model (conv_model (4, 1, 1, CNN_PADDING_VALID, 1, CNN_ACTIVATION_LINEAR), 2, 1,
               &smooth);
}

static void
test_conv2d_activations (void)
{
  for (int activation = 0; activation < CNN_N_ACTIVATIONS; activation++)
    check_model (conv_model (5, 3, 1, CNN_PADDING_SAME, 1, activation), 2, 1, &smooth);
}

/* A 3×3 stride-1 Conv2D between 16 channels runs on Winograd's F(4×4, 3×3)
 * (cnn-winograd.c): forward, input gradient and kernel gradient. */
static void
test_conv2d_winograd (void)
{
  for (int padding = CNN_PADDING_VALID; padding <= CNN_PADDING_SAME; padding++)
    {
      CnnLayerSpec spec;

      cnn_layer_spec_init (&spec, CNN_LAYER_CONV2D);
      spec.filters = 16;
      spec.padding = padding;
      CnnModel *model = build (7, 6, 16, &spec, 1);
      g_assert_true (cnn_conv_winograd_fits (&model->layers[0])
                     == cnn_gemm_small_k_available ());
      check_model (model, 2, 1, &smooth);
    }
}

/* A big image is convolved a few samples at a time (im2col in chunks): the kernel and
 * bias gradients of a batch must be the sum over its samples, whatever the chunking. */
static void
test_conv2d_chunks (void)
{
  enum { BATCH = 7, SIZE = 64, CIN = 8, FILTERS = 4 };
  CnnLayerSpec spec;

  cnn_layer_spec_init (&spec, CNN_LAYER_CONV2D);
  spec.filters = FILTERS;
  spec.padding = CNN_PADDING_SAME;
  CnnModel *model = build (SIZE, SIZE, CIN, &spec, 1);
  const size_t sample_in = (size_t) SIZE * SIZE * CIN, sample_out = (size_t) SIZE * SIZE * FILTERS;
  size_t n_grads;
  float *arena = cnn_model_gradient_arena (model, &n_grads);
  g_autofree float *x = g_new (float, BATCH * sample_in);
  g_autofree float *coeffs = g_new (float, BATCH * sample_out);
  g_autofree float *dlast = g_new (float, BATCH * sample_out);
  g_autofree double *summed = g_new0 (double, n_grads);
  g_autofree float *input_grad = g_new (float, BATCH * sample_in);

  for (size_t i = 0; i < BATCH * sample_in; i++)
    x[i] = uniform (-1.0, 1.0);
  for (size_t i = 0; i < BATCH * sample_out; i++)
    coeffs[i] = uniform (-1.0, 1.0);
  for (int b = 0; b < BATCH; b++)
    {
      g_assert_cmpint (cnn_model_forward (model, x + b * sample_in, 1, 1, NULL, NULL), ==,
                       CNN_OK);
      memcpy (dlast, coeffs + b * sample_out, sample_out * sizeof (float));
      g_assert_cmpint (cnn_model_backward (model, dlast, 0, NULL), ==, CNN_OK);
      for (size_t i = 0; i < n_grads; i++)
        summed[i] += arena[i];
      memcpy (input_grad + b * sample_in, model->input_gradient, sample_in * sizeof (float));
    }
  g_assert_cmpint (cnn_model_forward (model, x, BATCH, 1, NULL, NULL), ==, CNN_OK);
  /* More than one chunk, or this test would not test chunking. */
  g_assert_cmpint (model->columns_floats / cnn_layer_columns_per_sample (&model->layers[0]),
                   <, BATCH);
  memcpy (dlast, coeffs, BATCH * sample_out * sizeof (float));
  g_assert_cmpint (cnn_model_backward (model, dlast, 0, NULL), ==, CNN_OK);
  for (size_t i = 0; i < n_grads; i++)
    g_assert_cmpfloat (fabs (arena[i] - summed[i]), <=, 1e-3 + 1e-4 * fabs (summed[i]));
  for (size_t i = 0; i < BATCH * sample_in; i++)
    g_assert_cmpfloat (fabs (model->input_gradient[i] - input_grad[i]), <=, 1e-5);
  cnn_model_free (model);
}

/* ---------------------------------------------------------------- pooling */

static void
test_pooling (void)
{
  static const CnnLayerType types[] = { CNN_LAYER_MAX_POOLING2D,
                                        CNN_LAYER_AVERAGE_POOLING2D };

  for (size_t t = 0; t < G_N_ELEMENTS (types); t++)
    for (int padding = CNN_PADDING_VALID; padding <= CNN_PADDING_SAME; padding++)
      for (int stride = 1; stride <= 2; stride++)
        {
          CnnLayerSpec spec;
          cnn_layer_spec_init (&spec, types[t]);
          spec.strides[0] = spec.strides[1] = stride;
          spec.padding = padding;
          check_model (build (5, 5, 2, &spec, 1), 2, 1, &smooth);
          /* A 3×3 window with stride 2 on an even size: padding on both sides. */
          spec.pool_size[0] = spec.pool_size[1] = 3;
          check_model (build (6, 6, 2, &spec, 1), 2, 1, &smooth);
        }
}

static void
test_global_average_pooling (void)
{
  CnnLayerSpec spec;

  cnn_layer_spec_init (&spec, CNN_LAYER_GLOBAL_AVERAGE_POOLING2D);
  check_model (build (3, 4, 3, &spec, 1), 2, 1, &smooth);
}

/* ---------------------------------------------------------------- BatchNormalization */

static void
test_batch_normalization (void)
{
  CnnLayerSpec specs[2];

  /* 4-D input, batch statistics: gradients for input, gamma and beta. */
  cnn_layer_spec_init (&specs[0], CNN_LAYER_BATCH_NORMALIZATION);
  check_model (build (3, 3, 2, specs, 1), 3, 1, &normalising);
  /* Moving statistics (inference): an affine map per channel. */
  check_model (build (3, 3, 2, specs, 1), 3, 0, &smooth);
  /* 2-D input after Flatten. */
  cnn_layer_spec_init (&specs[0], CNN_LAYER_FLATTEN);
  cnn_layer_spec_init (&specs[1], CNN_LAYER_BATCH_NORMALIZATION);
  check_model (build (2, 2, 2, specs, 2), 4, 1, &normalising);
}

/* ---------------------------------------------------------------- Dropout */

static void
test_dropout (void)
{
  CnnLayerSpec spec;
  CnnModel *model;
  const int batch = 4;
  const float *output;

  cnn_layer_spec_init (&spec, CNN_LAYER_DROPOUT);
  spec.rate = 0.4f;
  model = build (3, 3, 4, &spec, 1);
  size_t n = (size_t) batch * model->input_size;
  g_autofree float *x = g_new (float, n);
  g_autofree float *dlast = g_new (float, n);
  g_autofree float *coeffs = g_new (float, n);
  for (size_t i = 0; i < n; i++)
    {
      x[i] = uniform (0.5, 1.5);
      coeffs[i] = dlast[i] = uniform (-1.0, 1.0);
    }

  /* With the mask fixed by the step, the gradient is exactly mask · scale · coefficient. */
  cnn_model_set_step (model, 11);
  g_assert_cmpint (cnn_model_forward (model, x, batch, 1, &output, NULL), ==, CNN_OK);
  g_assert_cmpint (cnn_model_backward (model, dlast, 0, NULL), ==, CNN_OK);
  int dropped = 0;
  for (size_t i = 0; i < n; i++)
    {
      float kept_scale = output[i] != 0.0f ? 1.0f / (1.0f - 0.4f) : 0.0f;
      dropped += output[i] == 0.0f;
      g_assert_cmpfloat_with_epsilon (model->input_gradient[i], kept_scale * coeffs[i], 1e-6);
    }
  g_assert_cmpint (dropped, >, 0);
  g_assert_cmpint (dropped, <, (int) n);
  cnn_model_free (model);

  /* And the finite differences agree with the same fixed mask. */
  check_model (build (3, 3, 4, &spec, 1), batch, 1, &smooth);
}

/* ---------------------------------------------------------------- flat layers */

static void
test_flatten_dense (void)
{
  CnnLayerSpec specs[2];

  cnn_layer_spec_init (&specs[0], CNN_LAYER_FLATTEN);
  check_model (build (2, 3, 2, specs, 1), 2, 1, &smooth);
  for (int use_bias = 0; use_bias <= 1; use_bias++)
    for (int activation = 0; activation < CNN_N_ACTIVATIONS; activation++)
      {
        cnn_layer_spec_init (&specs[1], CNN_LAYER_DENSE);
        specs[1].units = 4;
        specs[1].use_bias = use_bias;
        specs[1].activation = activation;
        check_model (build (2, 3, 2, specs, 2), 3, 1, &smooth);
      }
}

static void
test_activation_layers (void)
{
  CnnLayerSpec spec;

  for (int activation = 0; activation < CNN_N_ACTIVATIONS; activation++)
    {
      cnn_layer_spec_init (&spec, CNN_LAYER_ACTIVATION);
      spec.activation = activation;
      /* Softmax on an image acts along its channels. */
      check_model (build (2, 2, 3, &spec, 1), 2, 1, &smooth);
    }
  cnn_layer_spec_init (&spec, CNN_LAYER_RESCALING);
  spec.scale = 1.0f / 255.0f;
  spec.offset = -0.5f;
  check_model (build (2, 2, 3, &spec, 1), 2, 1, &smooth);
}

/* ---------------------------------------------------------------- losses */

/* Dense head over flattened inputs with `activation`, checked through the real loss. */
static void
check_loss (CnnLoss loss, int units, CnnActivation activation, int extra_activation_layer)
{
  CnnLayerSpec specs[3];
  const int batch = 5;
  int n = 0;

  cnn_layer_spec_init (&specs[n++], CNN_LAYER_FLATTEN);
  cnn_layer_spec_init (&specs[n], CNN_LAYER_DENSE);
  specs[n].units = units;
  specs[n++].activation = extra_activation_layer ? CNN_ACTIVATION_LINEAR : activation;
  if (extra_activation_layer)
    {
      cnn_layer_spec_init (&specs[n], CNN_LAYER_ACTIVATION);
      specs[n++].activation = activation;
    }
  GradCase gc = { .model = build (2, 2, 2, specs, n), .batch = batch, .training = 1,
                  .use_loss = 1, .loss = loss };
  g_autofree float *x = g_new (float, batch * 8);
  g_autofree int32_t *labels = g_new (int32_t, batch);
  for (int i = 0; i < batch * 8; i++)
    x[i] = uniform (-1.0, 1.0);
  for (int i = 0; i < batch; i++)
    labels[i] = loss == CNN_LOSS_BINARY_CROSSENTROPY ? i % 2 : (i * 3) % units;
  gc.x = x;
  gc.labels = labels;
  check_case (&gc, &smooth);
  cnn_model_free (gc.model);
}

static void
test_losses (void)
{
  /* From the logits (softmax / sigmoid fused into the loss). */
  check_loss (CNN_LOSS_CATEGORICAL_CROSSENTROPY, 4, CNN_ACTIVATION_SOFTMAX, 0);
  check_loss (CNN_LOSS_SPARSE_CATEGORICAL_CROSSENTROPY, 4, CNN_ACTIVATION_SOFTMAX, 0);
  check_loss (CNN_LOSS_SPARSE_CATEGORICAL_CROSSENTROPY, 4, CNN_ACTIVATION_SOFTMAX, 1);
  check_loss (CNN_LOSS_BINARY_CROSSENTROPY, 1, CNN_ACTIVATION_SIGMOID, 0);
  check_loss (CNN_LOSS_BINARY_CROSSENTROPY, 1, CNN_ACTIVATION_SIGMOID, 1);
  /* From probabilities (a non-softmax output): normalised and clipped like Keras. */
  check_loss (CNN_LOSS_CATEGORICAL_CROSSENTROPY, 3, CNN_ACTIVATION_SIGMOID, 0);
  check_loss (CNN_LOSS_BINARY_CROSSENTROPY, 1, CNN_ACTIVATION_TANH, 1);

  /* A softmax over an image's channels is not over the classes: probabilities again. */
  CnnLayerSpec spec;
  cnn_layer_spec_init (&spec, CNN_LAYER_CONV2D);
  spec.filters = 3;
  spec.kernel_size[0] = spec.kernel_size[1] = 1;
  spec.activation = CNN_ACTIVATION_SOFTMAX;
  int32_t labels[3] = { 0, 5, 4 };
  GradCase gc = { .model = build (1, 2, 2, &spec, 1), .batch = 3, .training = 1,
                  .use_loss = 1, .loss = CNN_LOSS_SPARSE_CATEGORICAL_CROSSENTROPY,
                  .labels = labels };
  g_autofree float *x = g_new (float, 3 * 4);
  for (int i = 0; i < 3 * 4; i++)
    x[i] = uniform (-1.0, 1.0);
  gc.x = x;
  g_assert_false (cnn_layer_keeps_logits (gc.model, 0));
  check_case (&gc, &smooth);
  cnn_model_free (gc.model);
}

/* The loss values themselves, against formulas evaluated here in double. */
static void
test_loss_values (void)
{
  CnnLayerSpec specs[2];
  const float x[2 * 3] = { 0.5f, -1.0f, 2.0f, 3.0f, 0.0f, -2.0f };
  const int32_t labels[2] = { 2, 1 };
  const float *output;
  double loss_value;
  int correct;

  cnn_layer_spec_init (&specs[0], CNN_LAYER_FLATTEN);
  cnn_layer_spec_init (&specs[1], CNN_LAYER_ACTIVATION);
  specs[1].activation = CNN_ACTIVATION_SOFTMAX;
  CnnModel *model = build (1, 1, 3, specs, 2);
  g_assert_cmpint (cnn_model_forward (model, x, 2, 0, &output, NULL), ==, CNN_OK);
  g_assert_cmpint (cnn_model_loss (model, CNN_LOSS_SPARSE_CATEGORICAL_CROSSENTROPY, labels,
                                   0, &loss_value, &correct, NULL), ==, CNN_OK);
  double expected = 0.0;
  for (int i = 0; i < 2; i++)
    {
      double sum = 0.0;
      for (int j = 0; j < 3; j++)
        sum += exp (x[i * 3 + j]);
      expected += log (sum) - x[i * 3 + labels[i]];
    }
  g_assert_cmpfloat_with_epsilon (loss_value, expected / 2.0, 1e-6);
  g_assert_cmpint (correct, ==, 1); /* sample 0: argmax 2 = label; sample 1: argmax 0 */

  /* A logit of 100 would overflow a naive softmax-then-log; from the logits it is exact. */
  const float far[3] = { 100.0f, 0.0f, 0.0f };
  const int32_t label_far[1] = { 1 };
  g_assert_cmpint (cnn_model_forward (model, far, 1, 0, &output, NULL), ==, CNN_OK);
  g_assert_cmpint (cnn_model_loss (model, CNN_LOSS_CATEGORICAL_CROSSENTROPY, label_far, 0,
                                   &loss_value, NULL, NULL), ==, CNN_OK);
  g_assert_cmpfloat_with_epsilon (loss_value, 100.0 + log1p (2.0 * exp (-100.0)), 1e-4);

  /* A label outside the classes is an error, not a crash. */
  CnnError error = { 0 };
  const int32_t bad[1] = { 3 };
  g_assert_cmpint (cnn_model_loss (model, CNN_LOSS_SPARSE_CATEGORICAL_CROSSENTROPY, bad, 1,
                                   NULL, NULL, &error), ==, CNN_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "Label 3"));
  cnn_model_free (model);
}

/* ---------------------------------------------------------------- a whole model */

static void
test_small_model (void)
{
  CnnLayerSpec specs[6];
  const int batch = 4;

  cnn_layer_spec_init (&specs[0], CNN_LAYER_CONV2D);
  specs[0].filters = 3;
  specs[0].activation = CNN_ACTIVATION_RELU;
  cnn_layer_spec_init (&specs[1], CNN_LAYER_BATCH_NORMALIZATION);
  cnn_layer_spec_init (&specs[2], CNN_LAYER_MAX_POOLING2D);
  cnn_layer_spec_init (&specs[3], CNN_LAYER_FLATTEN);
  cnn_layer_spec_init (&specs[4], CNN_LAYER_DENSE);
  specs[4].units = 3;
  specs[4].activation = CNN_ACTIVATION_SOFTMAX;
  GradCase gc = { .model = build (6, 6, 2, specs, 5), .batch = batch, .training = 1,
                  .use_loss = 1, .loss = CNN_LOSS_SPARSE_CATEGORICAL_CROSSENTROPY };
  g_autofree float *x = g_new (float, batch * 6 * 6 * 2);
  int32_t labels[4] = { 0, 2, 1, 2 };
  for (int i = 0; i < batch * 6 * 6 * 2; i++)
    x[i] = uniform (-1.0, 1.0);
  gc.x = x;
  gc.labels = labels;
  check_case (&gc, &normalising);
  cnn_model_free (gc.model);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  test_rand = g_rand_new_with_seed (20240501);
  g_test_add_func ("/engine/gradient/conv2d-padding-strides", test_conv2d_padding_and_strides);
  g_test_add_func ("/engine/gradient/conv2d-activations", test_conv2d_activations);
  g_test_add_func ("/engine/gradient/conv2d-chunks", test_conv2d_chunks);
  g_test_add_func ("/engine/gradient/conv2d-winograd", test_conv2d_winograd);
  g_test_add_func ("/engine/gradient/pooling", test_pooling);
  g_test_add_func ("/engine/gradient/global-average-pooling", test_global_average_pooling);
  g_test_add_func ("/engine/gradient/batch-normalization", test_batch_normalization);
  g_test_add_func ("/engine/gradient/dropout", test_dropout);
  g_test_add_func ("/engine/gradient/flatten-dense", test_flatten_dense);
  g_test_add_func ("/engine/gradient/activation-rescaling", test_activation_layers);
  g_test_add_func ("/engine/gradient/losses", test_losses);
  g_test_add_func ("/engine/gradient/loss-values", test_loss_values);
  g_test_add_func ("/engine/gradient/small-model", test_small_model);
  int status = g_test_run ();
  g_rand_free (test_rand);
  return status;
}
