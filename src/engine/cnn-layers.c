/* cnn-layers.c — layer specs and names, Keras defaults, and shape inference. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cnn-private.h"

static const struct {
  const char *class_name;
  const char *base_name;
} layer_names[CNN_N_LAYER_TYPES] = {
  [CNN_LAYER_CONV2D] = { "Conv2D", "conv2d" },
  [CNN_LAYER_MAX_POOLING2D] = { "MaxPooling2D", "max_pooling2d" },
  [CNN_LAYER_AVERAGE_POOLING2D] = { "AveragePooling2D", "average_pooling2d" },
  [CNN_LAYER_GLOBAL_AVERAGE_POOLING2D] = { "GlobalAveragePooling2D",
                                           "global_average_pooling2d" },
  [CNN_LAYER_BATCH_NORMALIZATION] = { "BatchNormalization", "batch_normalization" },
  [CNN_LAYER_DROPOUT] = { "Dropout", "dropout" },
  [CNN_LAYER_FLATTEN] = { "Flatten", "flatten" },
  [CNN_LAYER_DENSE] = { "Dense", "dense" },
  [CNN_LAYER_ACTIVATION] = { "Activation", "activation" },
  [CNN_LAYER_RESCALING] = { "Rescaling", "rescaling" },
};

/* Keras aliases that model.to_json() files may use for the same classes. */
static const struct {
  const char *alias;
  CnnLayerType type;
} layer_aliases[] = {
  { "Convolution2D", CNN_LAYER_CONV2D },
  { "MaxPool2D", CNN_LAYER_MAX_POOLING2D },
  { "AvgPool2D", CNN_LAYER_AVERAGE_POOLING2D },
  { "GlobalAvgPool2D", CNN_LAYER_GLOBAL_AVERAGE_POOLING2D },
};

static const char *activation_names[CNN_N_ACTIVATIONS] = {
  [CNN_ACTIVATION_LINEAR] = "linear",
  [CNN_ACTIVATION_RELU] = "relu",
  [CNN_ACTIVATION_SIGMOID] = "sigmoid",
  [CNN_ACTIVATION_TANH] = "tanh",
  [CNN_ACTIVATION_SOFTMAX] = "softmax",
};

void
cnn_layer_spec_init (CnnLayerSpec *spec, CnnLayerType type)
{
  memset (spec, 0, sizeof *spec);
  spec->type = type;
  spec->kernel_size[0] = spec->kernel_size[1] = 3;
  spec->pool_size[0] = spec->pool_size[1] = 2;
  if (type == CNN_LAYER_CONV2D)
    spec->strides[0] = spec->strides[1] = 1;
  spec->padding = CNN_PADDING_VALID;
  spec->activation = CNN_ACTIVATION_LINEAR;
  spec->use_bias = 1;
  spec->momentum = 0.99f;
  spec->epsilon = 1e-3f;
  spec->scale = 1.0f;
}

const char *
cnn_layer_type_class_name (CnnLayerType type)
{
  return (unsigned) type < CNN_N_LAYER_TYPES ? layer_names[type].class_name : "Unknown";
}

const char *
cnn_layer_type_base_name (CnnLayerType type)
{
  return (unsigned) type < CNN_N_LAYER_TYPES ? layer_names[type].base_name : "unknown";
}

int
cnn_layer_type_from_class_name (const char *class_name, CnnLayerType *type)
{
  if (!class_name)
    return 0;
  for (int i = 0; i < CNN_N_LAYER_TYPES; i++)
    if (strcmp (class_name, layer_names[i].class_name) == 0)
      {
        *type = (CnnLayerType) i;
        return 1;
      }
  for (size_t i = 0; i < sizeof layer_aliases / sizeof layer_aliases[0]; i++)
    if (strcmp (class_name, layer_aliases[i].alias) == 0)
      {
        *type = layer_aliases[i].type;
        return 1;
      }
  return 0;
}

const char *
cnn_activation_name (CnnActivation activation)
{
  return (unsigned) activation < CNN_N_ACTIVATIONS ? activation_names[activation] : "unknown";
}

int
cnn_activation_from_name (const char *name, CnnActivation *activation)
{
  if (!name)
    return 0;
  for (int i = 0; i < CNN_N_ACTIVATIONS; i++)
    if (strcmp (name, activation_names[i]) == 0)
      {
        *activation = (CnnActivation) i;
        return 1;
      }
  return 0;
}

CnnActivation
cnn_layer_activation (const CnnLayer *layer)
{
  switch (layer->spec.type)
    {
    case CNN_LAYER_CONV2D:
    case CNN_LAYER_DENSE:
    case CNN_LAYER_ACTIVATION:
      return layer->spec.activation;
    default:
      return CNN_ACTIVATION_LINEAR;
    }
}

/* ---------------------------------------------------------------- shape inference */

static void
shape_text (const CnnShape *shape, char *text, size_t size)
{
  if (shape->rank == 3)
    snprintf (text, size, "(None, %d, %d, %d)", shape->h, shape->w, shape->c);
  else
    snprintf (text, size, "(None, %d)", shape->c);
}

static const char *
padding_name (CnnPadding padding)
{
  return padding == CNN_PADDING_SAME ? "same" : "valid";
}

/* Output length of a window sliding over `size` cells, and TF's padding before it. */
static int
window_output (int size, int window, int stride, CnnPadding padding, int *pad_before)
{
  *pad_before = 0;
  if (padding == CNN_PADDING_VALID)
    return size < window ? 0 : (size - window) / stride + 1;
  int out = (size + stride - 1) / stride;
  int64_t pad_total = (int64_t) (out - 1) * stride + window - size;
  *pad_before = pad_total > 0 ? (int) (pad_total / 2) : 0;
  return out;
}

/* Sets up a Conv2D or pooling window; `what` is "kernel" or "pool" for messages. */
static CnnStatus
resolve_window (CnnLayer *layer, const int size[2], const int strides[2], const char *what,
                CnnError *error)
{
  const CnnLayerSpec *spec = &layer->spec;
  const char *class_name = cnn_layer_type_class_name (spec->type);
  char input_text[64];

  shape_text (&layer->in, input_text, sizeof input_text);
  if (size[0] <= 0 || size[1] <= 0)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "Layer %s (%s): the %s size must be positive, not %d×%d",
                          spec->name, class_name, what, size[0], size[1]);
  if (strides[0] <= 0 || strides[1] <= 0)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "Layer %s (%s): strides must be positive, not (%d, %d)",
                          spec->name, class_name, strides[0], strides[1]);
  if (spec->padding != CNN_PADDING_VALID && spec->padding != CNN_PADDING_SAME)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "Layer %s (%s): padding must be 'valid' or 'same'",
                          spec->name, class_name);
  if (layer->in.rank != 3)
    return cnn_error_set (error, CNN_ERROR_SHAPE,
                          "Layer %s (%s) needs an image input (None, height, width, "
                          "channels), not %s", spec->name, class_name, input_text);
  layer->window_h = size[0];
  layer->window_w = size[1];
  layer->stride_h = strides[0];
  layer->stride_w = strides[1];
  layer->out.rank = 3;
  layer->out.h = window_output (layer->in.h, size[0], strides[0], spec->padding,
                                &layer->pad_top);
  layer->out.w = window_output (layer->in.w, size[1], strides[1], spec->padding,
                                &layer->pad_left);
  if (layer->out.h <= 0 || layer->out.w <= 0)
    return cnn_error_set (error, CNN_ERROR_SHAPE,
                          "Layer %s (%s): a %d×%d %s with padding '%s' does not fit the "
                          "input %s", spec->name, class_name, size[0], size[1], what,
                          padding_name (spec->padding), input_text);
  return CNN_OK;
}

static CnnStatus
check_activation (const CnnLayer *layer, CnnError *error)
{
  if ((unsigned) layer->spec.activation < CNN_N_ACTIVATIONS)
    return CNN_OK;
  return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                        "Layer %s (%s): unknown activation %d", layer->spec.name,
                        cnn_layer_type_class_name (layer->spec.type),
                        (int) layer->spec.activation);
}

static CnnStatus
resolve_conv2d (CnnLayer *layer, CnnError *error)
{
  CnnLayerSpec *spec = &layer->spec;
  CnnStatus status;

  if (spec->filters <= 0)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "Layer %s (Conv2D): filters must be positive, not %d",
                          spec->name, spec->filters);
  if ((status = check_activation (layer, error)) != CNN_OK)
    return status;
  if ((status = resolve_window (layer, spec->kernel_size, spec->strides, "kernel", error)))
    return status;
  layer->out.c = spec->filters;
  double kernel_size = (double) spec->kernel_size[0] * spec->kernel_size[1] * layer->in.c;
  double params = kernel_size * spec->filters + (spec->use_bias ? spec->filters : 0);
  double columns = (double) layer->out.h * layer->out.w * kernel_size;
  if (params > (double) CNN_MAX_PARAMS || columns > (double) CNN_MAX_SAMPLE_FLOATS)
    return cnn_error_set (error, CNN_ERROR_SHAPE,
                          "Layer %s (Conv2D): a %d×%d kernel with %d filters on %d input "
                          "channels is too large to compute", spec->name,
                          spec->kernel_size[0], spec->kernel_size[1], spec->filters,
                          layer->in.c);
  layer->params = layer->trainable_params = (int64_t) params;
  layer->macs = (int64_t) layer->out.h * layer->out.w * (int64_t) kernel_size * spec->filters;
  return CNN_OK;
}

static CnnStatus
resolve_pooling (CnnLayer *layer, CnnError *error)
{
  CnnLayerSpec *spec = &layer->spec;
  CnnStatus status;

  /* Keras: strides=None means the pool size. */
  for (int i = 0; i < 2; i++)
    if (spec->strides[i] == 0)
      spec->strides[i] = spec->pool_size[i];
  if ((status = resolve_window (layer, spec->pool_size, spec->strides, "pool", error)))
    return status;
  layer->out.c = layer->in.c;
  return CNN_OK;
}

static CnnStatus
resolve_batch_normalization (CnnLayer *layer, CnnError *error)
{
  const CnnLayerSpec *spec = &layer->spec;

  if (!(spec->momentum >= 0.0f && spec->momentum <= 1.0f))
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "Layer %s (BatchNormalization): momentum must be between 0 and 1, "
                          "not %g", spec->name, spec->momentum);
  if (!(spec->epsilon > 0.0f))
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "Layer %s (BatchNormalization): epsilon must be positive, not %g",
                          spec->name, spec->epsilon);
  layer->out = layer->in;
  layer->params = 4 * (int64_t) layer->in.c;
  layer->trainable_params = 2 * (int64_t) layer->in.c;
  return CNN_OK;
}

static CnnStatus
resolve_dense (CnnLayer *layer, CnnError *error)
{
  const CnnLayerSpec *spec = &layer->spec;
  CnnStatus status;
  char input_text[64];

  if (spec->units <= 0)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "Layer %s (Dense): units must be positive, not %d",
                          spec->name, spec->units);
  if ((status = check_activation (layer, error)) != CNN_OK)
    return status;
  if (layer->in.rank != 1)
    {
      shape_text (&layer->in, input_text, sizeof input_text);
      return cnn_error_set (error, CNN_ERROR_SHAPE,
                            "Layer %s (Dense) takes a flat input (None, units), not %s: add "
                            "a Flatten or GlobalAveragePooling2D layer before it",
                            spec->name, input_text);
    }
  double params = (double) layer->in.c * spec->units + (spec->use_bias ? spec->units : 0);
  if (params > (double) CNN_MAX_PARAMS)
    return cnn_error_set (error, CNN_ERROR_SHAPE,
                          "Layer %s (Dense): %d units on %d inputs are too many weights",
                          spec->name, spec->units, layer->in.c);
  layer->out = (CnnShape) { 1, 1, 1, spec->units };
  layer->params = layer->trainable_params = (int64_t) params;
  layer->macs = (int64_t) layer->in.c * spec->units;
  return CNN_OK;
}

static CnnStatus
resolve_by_type (CnnLayer *layer, CnnError *error)
{
  CnnLayerSpec *spec = &layer->spec;
  char input_text[64];

  switch (spec->type)
    {
    case CNN_LAYER_CONV2D:
      return resolve_conv2d (layer, error);
    case CNN_LAYER_MAX_POOLING2D:
    case CNN_LAYER_AVERAGE_POOLING2D:
      return resolve_pooling (layer, error);
    case CNN_LAYER_GLOBAL_AVERAGE_POOLING2D:
      if (layer->in.rank != 3)
        {
          shape_text (&layer->in, input_text, sizeof input_text);
          return cnn_error_set (error, CNN_ERROR_SHAPE,
                                "Layer %s (GlobalAveragePooling2D) needs an image input "
                                "(None, height, width, channels), not %s",
                                spec->name, input_text);
        }
      layer->out = (CnnShape) { 1, 1, 1, layer->in.c };
      return CNN_OK;
    case CNN_LAYER_BATCH_NORMALIZATION:
      return resolve_batch_normalization (layer, error);
    case CNN_LAYER_DROPOUT:
      if (!(spec->rate >= 0.0f && spec->rate < 1.0f))
        return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                              "Layer %s (Dropout): the rate must be at least 0 and below 1, "
                              "not %g", spec->name, spec->rate);
      layer->out = layer->in;
      return CNN_OK;
    case CNN_LAYER_FLATTEN:
      layer->out = (CnnShape) { 1, 1, 1, (int) layer->in_size };
      return CNN_OK;
    case CNN_LAYER_DENSE:
      return resolve_dense (layer, error);
    case CNN_LAYER_ACTIVATION:
      layer->out = layer->in;
      return check_activation (layer, error);
    case CNN_LAYER_RESCALING:
      if (!isfinite (spec->scale) || !isfinite (spec->offset))
        return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                              "Layer %s (Rescaling): scale and offset must be finite numbers",
                              spec->name);
      layer->out = layer->in;
      return CNN_OK;
    case CNN_N_LAYER_TYPES:
    default:
      return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                            "Layer %s: unknown layer type %d", spec->name, (int) spec->type);
    }
}

CnnStatus
cnn_layer_resolve (CnnLayer *layer, int index, const CnnShape *input, CnnError *error)
{
  CnnStatus status;
  char output_text[64];

  layer->in = *input;
  layer->in_size = (size_t) input->h * input->w * input->c;
  if ((status = resolve_by_type (layer, error)) != CNN_OK)
    return status;
  double out_size = (double) layer->out.h * layer->out.w * layer->out.c;
  if (out_size > (double) CNN_MAX_SAMPLE_FLOATS)
    {
      shape_text (&layer->out, output_text, sizeof output_text);
      return cnn_error_set (error, CNN_ERROR_SHAPE,
                            "Layer %s (%s): its output %s holds too many values per sample",
                            layer->spec.name, cnn_layer_type_class_name (layer->spec.type),
                            output_text);
    }
  layer->out_size = (size_t) out_size;
  return CNN_OK;
}

size_t
cnn_layer_columns_per_sample (const CnnLayer *layer)
{
  if (layer->spec.type != CNN_LAYER_CONV2D)
    return 0;
  return (size_t) layer->out.h * layer->out.w * layer->window_h * layer->window_w
         * layer->in.c;
}

int
cnn_layer_keeps_logits (const CnnModel *model, int index)
{
  const CnnLayer *layer = &model->layers[index];
  CnnActivation activation = cnn_layer_activation (layer);

  /* Only a flat output: a softmax over the channels of an image is not one over the
   * classes, so such a model gets the loss from its probabilities. */
  return index == model->n_layers - 1 && layer->out_size == (size_t) layer->out.c
         && (activation == CNN_ACTIVATION_SOFTMAX || activation == CNN_ACTIVATION_SIGMOID);
}
