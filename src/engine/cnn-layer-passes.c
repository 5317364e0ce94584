/* cnn-layer-passes.c — each layer's forward and backward pass over a batch. */
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The layers know their shapes (cnn-layers.c); the arithmetic is in cnn-kernels.c. Here
// each layer type is wired to its kernels, with weights from the arena and buffers from
// the model's batch block.

#include <math.h>
#include <string.h>

#include "cnn-kernels.h"
#include "cnn-private.h"

static void
layer_window (const CnnLayer *layer, CnnWindow *window)
{
  *window = (CnnWindow) {
    .in_h = layer->in.h, .in_w = layer->in.w, .channels = layer->in.c,
    .out_h = layer->out.h, .out_w = layer->out.w,
    .window_h = layer->window_h, .window_w = layer->window_w,
    .stride_h = layer->stride_h, .stride_w = layer->stride_w,
    .pad_top = layer->pad_top, .pad_left = layer->pad_left,
  };
}

/* A 1×1 stride-1 convolution is a plain GEMM on the input: no im2col needed. */
static int
conv_is_pointwise (const CnnLayer *layer)
{
  return layer->window_h == 1 && layer->window_w == 1 && layer->stride_h == 1
         && layer->stride_w == 1;
}

static int
conv_chunk_samples (const CnnModel *model, const CnnLayer *layer)
{
  return (int) (model->columns_floats / cnn_layer_columns_per_sample (layer));
}

/* Applies bias and activation to a GEMM's result, keeping the logits when the loss
 * needs them. */
static void
finish_linear_output (CnnModel *model, int index, const float *bias, size_t rows, int cols)
{
  CnnLayer *layer = &model->layers[index];
  CnnActivation activation = cnn_layer_activation (layer);

  if (cnn_layer_keeps_logits (model, index))
    {
      cnn_bias_activation (layer->output, bias, rows, cols, CNN_ACTIVATION_LINEAR);
      memcpy (model->logits, layer->output, rows * cols * sizeof (float));
      cnn_bias_activation (layer->output, NULL, rows, cols, activation);
    }
  else
    cnn_bias_activation (layer->output, bias, rows, cols, activation);
}

static void
conv_forward (CnnModel *model, int index, const float *in, int batch)
{
  CnnLayer *layer = &model->layers[index];
  const int positions = layer->out.h * layer->out.w;
  const int cout = layer->out.c;
  const int kernel_rows = layer->window_h * layer->window_w * layer->in.c;
  CnnWindow window;

  layer_window (layer, &window);
  if (conv_is_pointwise (layer))
    cnn_gemm (0, 0, batch * positions, cout, kernel_rows, 1.0f, in, layer->kernel, 0.0f,
              layer->output);
  else
    {
      int chunk = conv_chunk_samples (model, layer);
      for (int b0 = 0; b0 < batch; b0 += chunk)
        {
          int samples = batch - b0 < chunk ? batch - b0 : chunk;
          for (int i = 0; i < samples; i++)
            cnn_im2col (&window, in + (size_t) (b0 + i) * layer->in_size,
                        model->columns + (size_t) i * positions * kernel_rows);
          cnn_gemm (0, 0, samples * positions, cout, kernel_rows, 1.0f, model->columns,
                    layer->kernel, 0.0f, layer->output + (size_t) b0 * layer->out_size);
        }
    }
  finish_linear_output (model, index, layer->bias, (size_t) batch * positions, cout);
}

static void
conv_backward (CnnModel *model, CnnLayer *layer, const float *in, const float *dout,
               float *din, int batch)
{
  const int positions = layer->out.h * layer->out.w;
  const int cout = layer->out.c;
  const int kernel_rows = layer->window_h * layer->window_w * layer->in.c;
  CnnWindow window;

  if (layer->bias_grad)
    cnn_column_sums_add (dout, (size_t) batch * positions, cout, layer->bias_grad);
  if (conv_is_pointwise (layer))
    {
      /* dK += X^T · dY;  dX = dY · K^T */
      cnn_gemm (1, 0, kernel_rows, cout, batch * positions, 1.0f, in, dout, 1.0f,
                layer->kernel_grad);
      if (din)
        cnn_gemm (0, 1, batch * positions, kernel_rows, cout, 1.0f, dout, layer->kernel, 0.0f,
                  din);
      return;
    }
  layer_window (layer, &window);
  int chunk = conv_chunk_samples (model, layer);
  for (int b0 = 0; b0 < batch; b0 += chunk)
    {
      int samples = batch - b0 < chunk ? batch - b0 : chunk;
      const float *dout_chunk = dout + (size_t) b0 * layer->out_size;

      for (int i = 0; i < samples; i++)
        cnn_im2col (&window, in + (size_t) (b0 + i) * layer->in_size,
                    model->columns + (size_t) i * positions * kernel_rows);
      cnn_gemm (1, 0, kernel_rows, cout, samples * positions, 1.0f, model->columns,
                dout_chunk, 1.0f, layer->kernel_grad);
      if (!din)
        continue;
      /* The columns are consumed: reuse them for dCols = dY · K^T, then scatter back. */
      cnn_gemm (0, 1, samples * positions, kernel_rows, cout, 1.0f, dout_chunk,
                layer->kernel, 0.0f, model->columns);
      float *din_chunk = din + (size_t) b0 * layer->in_size;
      memset (din_chunk, 0, (size_t) samples * layer->in_size * sizeof (float));
      for (int i = 0; i < samples; i++)
        cnn_col2im_add (&window, model->columns + (size_t) i * positions * kernel_rows,
                        din_chunk + (size_t) i * layer->in_size);
    }
}

static void
batch_norm_forward (CnnLayer *layer, const float *in, int batch, int training)
{
  const int channels = layer->in.c;
  const size_t rows = (size_t) batch * layer->in.h * layer->in.w;

  if (training)
    {
      /* The variance lands in norm_inv_std first and is converted below. */
      cnn_channel_moments (in, rows, channels, layer->norm_mean, layer->norm_inv_std);
      /* tf.keras stores the unbiased batch variance for 4-D inputs (the fused kernel),
       * the biased one for 2-D inputs (KERAS.md). */
      float correction = layer->in.rank == 3 && rows > 1 ? (float) rows / (float) (rows - 1)
                                                         : 1.0f;
      float decay = 1.0f - layer->spec.momentum;
      for (int c = 0; c < channels; c++)
        {
          float variance = layer->norm_inv_std[c];
          /* TF's assign_moving_average: moving -= (moving − value) · (1 − momentum). */
          layer->moving_mean[c] -= (layer->moving_mean[c] - layer->norm_mean[c]) * decay;
          layer->moving_variance[c] -=
            (layer->moving_variance[c] - variance * correction) * decay;
          layer->norm_inv_std[c] = 1.0f / sqrtf (variance + layer->spec.epsilon);
        }
    }
  else
    for (int c = 0; c < channels; c++)
      {
        layer->norm_mean[c] = layer->moving_mean[c];
        layer->norm_inv_std[c] = 1.0f / sqrtf (layer->moving_variance[c] + layer->spec.epsilon);
      }
  cnn_batch_norm_apply (in, rows, channels, layer->norm_mean, layer->norm_inv_std,
                        layer->gamma, layer->beta, layer->output);
}

static void
dropout_forward (CnnModel *model, int index, const float *in, int batch, int training)
{
  CnnLayer *layer = &model->layers[index];
  const size_t count = (size_t) batch * layer->in_size;
  const float rate = layer->spec.rate;

  if (!training || rate == 0.0f)
    {
      memcpy (layer->output, in, count * sizeof (float));
      return;
    }
  cnn_dropout_mask (cnn_dropout_key (model->seed, model->step, index), rate, layer->mask,
                    count);
  cnn_masked_scale (layer->mask, in, 1.0f / (1.0f - rate), layer->output, count);
}

static void
global_average_forward (const CnnLayer *layer, const float *in, int batch)
{
  const int channels = layer->in.c;
  const size_t positions = (size_t) layer->in.h * layer->in.w;

  for (int b = 0; b < batch; b++)
    {
      float *out = layer->output + (size_t) b * channels;
      memset (out, 0, (size_t) channels * sizeof (float));
      cnn_column_sums_add (in + b * layer->in_size, positions, channels, out);
      for (int c = 0; c < channels; c++)
        out[c] /= (float) positions;
    }
}

void
cnn_layer_forward (CnnModel *model, int index, const float *in, int batch, int training)
{
  CnnLayer *layer = &model->layers[index];
  const size_t count = (size_t) batch * layer->out_size;
  CnnWindow window;

  layer_window (layer, &window);
  switch (layer->spec.type)
    {
    case CNN_LAYER_CONV2D:
      conv_forward (model, index, in, batch);
      break;
    case CNN_LAYER_MAX_POOLING2D:
      for (int b = 0; b < batch; b++)
        cnn_max_pool_forward (&window, in + b * layer->in_size,
                              layer->output + b * layer->out_size,
                              layer->argmax + b * layer->out_size);
      break;
    case CNN_LAYER_AVERAGE_POOLING2D:
      for (int b = 0; b < batch; b++)
        cnn_avg_pool_forward (&window, in + b * layer->in_size,
                              layer->output + b * layer->out_size);
      break;
    case CNN_LAYER_GLOBAL_AVERAGE_POOLING2D:
      global_average_forward (layer, in, batch);
      break;
    case CNN_LAYER_BATCH_NORMALIZATION:
      batch_norm_forward (layer, in, batch, training);
      break;
    case CNN_LAYER_DROPOUT:
      dropout_forward (model, index, in, batch, training);
      break;
    case CNN_LAYER_DENSE:
      cnn_gemm (0, 0, batch, layer->out.c, layer->in.c, 1.0f, in, layer->kernel, 0.0f,
                layer->output);
      finish_linear_output (model, index, layer->bias, (size_t) batch, layer->out.c);
      break;
    case CNN_LAYER_ACTIVATION:
      memcpy (layer->output, in, count * sizeof (float));
      finish_linear_output (model, index, NULL, count / layer->out.c, layer->out.c);
      break;
    case CNN_LAYER_RESCALING:
      cnn_scale_shift (in, layer->spec.scale, layer->spec.offset, layer->output, count);
      break;
    case CNN_LAYER_FLATTEN:
    case CNN_N_LAYER_TYPES:
    default:
      memcpy (layer->output, in, count * sizeof (float));
      break;
    }
}

/* The input gradient of a layer without weights. */
static void
backward_without_weights (const CnnModel *model, const CnnLayer *layer, const float *dout,
                          float *din, int batch)
{
  const size_t in_count = (size_t) batch * layer->in_size;
  CnnWindow window;

  layer_window (layer, &window);
  switch (layer->spec.type)
    {
    case CNN_LAYER_MAX_POOLING2D:
      memset (din, 0, in_count * sizeof (float));
      for (int b = 0; b < batch; b++)
        cnn_max_pool_backward (&window, dout + b * layer->out_size,
                               layer->argmax + b * layer->out_size, din + b * layer->in_size);
      break;
    case CNN_LAYER_AVERAGE_POOLING2D:
      memset (din, 0, in_count * sizeof (float));
      for (int b = 0; b < batch; b++)
        cnn_avg_pool_backward (&window, dout + b * layer->out_size, din + b * layer->in_size);
      break;
    case CNN_LAYER_GLOBAL_AVERAGE_POOLING2D:
      for (int b = 0; b < batch; b++)
        cnn_global_average_backward (dout + b * layer->out_size,
                                     (size_t) layer->in.h * layer->in.w, layer->in.c,
                                     din + b * layer->in_size);
      break;
    case CNN_LAYER_DROPOUT:
      if (model->last_training && layer->spec.rate > 0.0f)
        cnn_masked_scale (layer->mask, dout, 1.0f / (1.0f - layer->spec.rate), din, in_count);
      else
        memcpy (din, dout, in_count * sizeof (float));
      break;
    case CNN_LAYER_RESCALING:
      cnn_scale_shift (dout, layer->spec.scale, 0.0f, din, in_count);
      break;
    default: /* Flatten, Activation (its activation was undone by the caller) */
      memcpy (din, dout, in_count * sizeof (float));
      break;
    }
}

void
cnn_layer_backward (CnnModel *model, int index, const float *in, float *dout, float *din,
                    int batch, int dout_is_preactivation)
{
  CnnLayer *layer = &model->layers[index];
  const size_t rows = (size_t) batch * layer->out_size / layer->out.c;

  if (!dout_is_preactivation)
    cnn_activation_backward (cnn_layer_activation (layer), layer->output, dout, rows,
                             layer->out.c);
  switch (layer->spec.type)
    {
    case CNN_LAYER_CONV2D:
      conv_backward (model, layer, in, dout, din, batch);
      break;
    case CNN_LAYER_DENSE:
      /* dK += X^T · dY;  dX = dY · K^T */
      if (layer->bias_grad)
        cnn_column_sums_add (dout, (size_t) batch, layer->out.c, layer->bias_grad);
      cnn_gemm (1, 0, layer->in.c, layer->out.c, batch, 1.0f, in, dout, 1.0f,
                layer->kernel_grad);
      if (din)
        cnn_gemm (0, 1, batch, layer->in.c, layer->out.c, 1.0f, dout, layer->kernel, 0.0f,
                  din);
      break;
    case CNN_LAYER_BATCH_NORMALIZATION:
      cnn_batch_norm_backward (in, dout, rows, layer->out.c, layer->norm_mean,
                               layer->norm_inv_std, layer->gamma, model->last_training,
                               layer->gamma_grad, layer->beta_grad, din);
      break;
    default:
      if (din)
        backward_without_weights (model, layer, dout, din, batch);
      break;
    }
}
