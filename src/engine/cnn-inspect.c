/* cnn-inspect.c — one image through the model, every layer's output kept, computed directly. */
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The Layers view shows what each layer makes of one image: feature maps before and after
// the activation, pooled maps, dense units. This is a plain, unbatched inference pass over
// the public model description (specs, shapes, weights), written for clarity rather than
// speed; it also serves the tests as a reference for the fast batched passes.

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cnn.h"

typedef struct {
  int h, w, c;
} Shape;

static Shape
layer_shape (const CnnLayerInfo *info)
{
  if (info->output_rank == 3)
    return (Shape) { info->output_shape[0], info->output_shape[1], info->output_shape[2] };
  return (Shape) { 1, 1, info->output_shape[0] };
}

static const float *
find_weight (const CnnModel *model,
             const char     *layer,
             const char     *which)
{
  char name[2 * CNN_NAME_MAX + 16];
  const CnnWeight *weight;

  snprintf (name, sizeof name, "%s/%s", layer, which);
  weight = cnn_model_find_weight (model, name);
  return weight != NULL ? weight->data : NULL;
}

/* TensorFlow's 'same' padding puts the odd cell after: pad_before = total / 2. */
static int
pad_before (CnnPadding padding,
            int        in,
            int        out,
            int        window,
            int        stride)
{
  int total;

  if (padding == CNN_PADDING_VALID)
    return 0;
  total = (out - 1) * stride + window - in;
  return total > 0 ? total / 2 : 0;
}

static void
conv2d (const CnnLayerSpec *spec,
        const float        *kernel,  /* (kh, kw, cin, cout) */
        const float        *bias,    /* (cout) or NULL */
        const float        *in,      /* (in.h, in.w, in.c) */
        Shape               in_shape,
        float              *out,     /* (out.h, out.w, out.c) */
        Shape               out_shape)
{
  int kh = spec->kernel_size[0], kw = spec->kernel_size[1];
  int sh = spec->strides[0], sw = spec->strides[1];
  int top = pad_before (spec->padding, in_shape.h, out_shape.h, kh, sh);
  int left = pad_before (spec->padding, in_shape.w, out_shape.w, kw, sw);

  for (int y = 0; y < out_shape.h; y++)
    for (int x = 0; x < out_shape.w; x++)
      for (int f = 0; f < out_shape.c; f++)
        {
          double sum = bias != NULL ? bias[f] : 0;

          for (int i = 0; i < kh; i++)
            for (int j = 0; j < kw; j++)
              {
                int row = y * sh + i - top, col = x * sw + j - left;

                if (row < 0 || row >= in_shape.h || col < 0 || col >= in_shape.w)
                  continue;
                for (int k = 0; k < in_shape.c; k++)
                  sum += (double) in[((size_t) row * in_shape.w + col) * in_shape.c + k]
                         * kernel[(((size_t) i * kw + j) * in_shape.c + k) * out_shape.c + f];
              }
          out[((size_t) y * out_shape.w + x) * out_shape.c + f] = (float) sum;
        }
}

/* Max or average over each window; 'same' averages count only the cells inside. */
static void
pool2d (const CnnLayerSpec *spec,
        const float        *in,
        Shape               in_shape,
        float              *out,
        Shape               out_shape)
{
  int ph = spec->pool_size[0], pw = spec->pool_size[1];
  int sh = spec->strides[0], sw = spec->strides[1];
  int top = pad_before (spec->padding, in_shape.h, out_shape.h, ph, sh);
  int left = pad_before (spec->padding, in_shape.w, out_shape.w, pw, sw);
  int is_max = spec->type == CNN_LAYER_MAX_POOLING2D;

  for (int y = 0; y < out_shape.h; y++)
    for (int x = 0; x < out_shape.w; x++)
      for (int k = 0; k < out_shape.c; k++)
        {
          double value = is_max ? -INFINITY : 0;
          int count = 0;

          for (int i = 0; i < ph; i++)
            for (int j = 0; j < pw; j++)
              {
                int row = y * sh + i - top, col = x * sw + j - left;
                float cell;

                if (row < 0 || row >= in_shape.h || col < 0 || col >= in_shape.w)
                  continue;
                cell = in[((size_t) row * in_shape.w + col) * in_shape.c + k];
                value = is_max ? fmax (value, cell) : value + cell;
                count++;
              }
          if (!is_max)
            value = count > 0 ? value / count : 0;
          out[((size_t) y * out_shape.w + x) * out_shape.c + k] = (float) value;
        }
}

static void
dense (const float *kernel,  /* (in, units) */
       const float *bias,    /* (units) or NULL */
       const float *in,
       size_t       n_in,
       float       *out,
       int          units)
{
  for (int u = 0; u < units; u++)
    {
      double sum = bias != NULL ? bias[u] : 0;

      for (size_t i = 0; i < n_in; i++)
        sum += (double) in[i] * kernel[i * units + u];
      out[u] = (float) sum;
    }
}

/* The activation over values whose last axis has `channels` entries (softmax per pixel). */
static void
activate (CnnActivation activation,
          float        *values,
          size_t        n,
          int           channels)
{
  if (activation == CNN_ACTIVATION_SOFTMAX)
    {
      for (size_t start = 0; start < n; start += channels)
        {
          float *row = values + start;
          double top = row[0], sum = 0;

          for (int k = 1; k < channels; k++)
            top = fmax (top, row[k]);
          for (int k = 0; k < channels; k++)
            sum += exp (row[k] - top);
          for (int k = 0; k < channels; k++)
            row[k] = (float) (exp (row[k] - top) / sum);
        }
      return;
    }
  for (size_t i = 0; i < n; i++)
    {
      double v = values[i];

      switch (activation)
        {
        case CNN_ACTIVATION_RELU:
          v = v > 0 ? v : 0;
          break;
        case CNN_ACTIVATION_SIGMOID:
          v = 1 / (1 + exp (-v));
          break;
        case CNN_ACTIVATION_TANH:
          v = tanh (v);
          break;
        case CNN_ACTIVATION_LINEAR:
        case CNN_ACTIVATION_SOFTMAX:
        case CNN_N_ACTIVATIONS:
        default:
          break;
        }
      values[i] = (float) v;
    }
}

static CnnStatus
run_layer (const CnnModel     *model,
           int                 index,
           const float        *in,
           Shape               in_shape,
           CnnInspection      *inspection,
           CnnError           *error)
{
  const CnnLayerSpec *spec = cnn_model_layer_spec (model, index);
  CnnLayerInfo info;
  Shape out_shape;
  size_t n_in = (size_t) in_shape.h * in_shape.w * in_shape.c, n_out;
  float *out;

  cnn_model_layer_info (model, index, &info);
  out_shape = layer_shape (&info);
  n_out = (size_t) out_shape.h * out_shape.w * out_shape.c;
  out = malloc (n_out * sizeof (float));
  if (out == NULL)
    return cnn_error_set (error, CNN_ERROR_NO_MEMORY, "Not enough memory to inspect layer %s.",
                          spec->name);
  inspection->outputs[index] = out;

  switch (spec->type)
    {
    case CNN_LAYER_CONV2D:
    case CNN_LAYER_DENSE:
      if (spec->type == CNN_LAYER_CONV2D)
        conv2d (spec, find_weight (model, spec->name, "kernel"),
                spec->use_bias ? find_weight (model, spec->name, "bias") : NULL,
                in, in_shape, out, out_shape);
      else
        dense (find_weight (model, spec->name, "kernel"),
               spec->use_bias ? find_weight (model, spec->name, "bias") : NULL,
               in, n_in, out, spec->units);
      if (spec->activation != CNN_ACTIVATION_LINEAR)
        {
          inspection->preactivations[index] = malloc (n_out * sizeof (float));
          if (inspection->preactivations[index] == NULL)
            return cnn_error_set (error, CNN_ERROR_NO_MEMORY,
                                  "Not enough memory to inspect layer %s.", spec->name);
          memcpy (inspection->preactivations[index], out, n_out * sizeof (float));
          activate (spec->activation, out, n_out, out_shape.c);
        }
      break;
    case CNN_LAYER_MAX_POOLING2D:
    case CNN_LAYER_AVERAGE_POOLING2D:
      pool2d (spec, in, in_shape, out, out_shape);
      break;
    case CNN_LAYER_GLOBAL_AVERAGE_POOLING2D:
      for (int k = 0; k < in_shape.c; k++)
        {
          double sum = 0;

          for (size_t p = 0; p < (size_t) in_shape.h * in_shape.w; p++)
            sum += in[p * in_shape.c + k];
          out[k] = (float) (sum / ((double) in_shape.h * in_shape.w));
        }
      break;
    case CNN_LAYER_BATCH_NORMALIZATION:
      {
        const float *gamma = find_weight (model, spec->name, "gamma");
        const float *beta = find_weight (model, spec->name, "beta");
        const float *mean = find_weight (model, spec->name, "moving_mean");
        const float *variance = find_weight (model, spec->name, "moving_variance");

        for (size_t i = 0; i < n_out; i++)
          {
            int k = (int) (i % out_shape.c);

            out[i] = (float) ((in[i] - mean[k]) / sqrt ((double) variance[k] + spec->epsilon)
                              * gamma[k] + beta[k]);
          }
      }
      break;
    case CNN_LAYER_ACTIVATION:
      memcpy (out, in, n_out * sizeof (float));
      activate (spec->activation, out, n_out, out_shape.c);
      break;
    case CNN_LAYER_RESCALING:
      for (size_t i = 0; i < n_out; i++)
        out[i] = in[i] * spec->scale + spec->offset;
      break;
    case CNN_LAYER_DROPOUT:   /* inference: the identity */
    case CNN_LAYER_FLATTEN:   /* NHWC order is already Keras's flattening order */
    case CNN_N_LAYER_TYPES:
    default:
      memcpy (out, in, n_out * sizeof (float));
      break;
    }
  return CNN_OK;
}

CnnStatus
cnn_model_inspect (const CnnModel *model,
                   const float    *x,
                   CnnInspection  *inspection,
                   CnnError       *error)
{
  Shape shape;
  const float *in = x;
  int n_layers;

  if (model == NULL || x == NULL || inspection == NULL)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "Inspecting needs a model, an image and a place for the results.");

  n_layers = cnn_model_n_layers (model);
  memset (inspection, 0, sizeof *inspection);
  inspection->outputs = calloc (n_layers, sizeof (float *));
  inspection->preactivations = calloc (n_layers, sizeof (float *));
  inspection->n_layers = n_layers;
  if (inspection->outputs == NULL || inspection->preactivations == NULL)
    {
      cnn_inspection_clear (inspection);
      return cnn_error_set (error, CNN_ERROR_NO_MEMORY, "Not enough memory to inspect the model.");
    }

  cnn_model_input_shape (model, &shape.h, &shape.w, &shape.c);
  for (int i = 0; i < n_layers; i++)
    {
      CnnLayerInfo info;
      CnnStatus status = run_layer (model, i, in, shape, inspection, error);

      if (status != CNN_OK)
        {
          cnn_inspection_clear (inspection);
          return status;
        }
      cnn_model_layer_info (model, i, &info);
      shape = layer_shape (&info);
      in = inspection->outputs[i];
    }
  return CNN_OK;
}

void
cnn_inspection_clear (CnnInspection *inspection)
{
  if (inspection == NULL)
    return;
  for (int i = 0; i < inspection->n_layers; i++)
    {
      if (inspection->outputs != NULL)
        free (inspection->outputs[i]);
      if (inspection->preactivations != NULL)
        free (inspection->preactivations[i]);
    }
  free (inspection->outputs);
  free (inspection->preactivations);
  memset (inspection, 0, sizeof *inspection);
}
