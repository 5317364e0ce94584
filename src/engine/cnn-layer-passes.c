/* cnn-layer-passes.c — each layer's forward and backward pass over a batch. */
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The layers know their shapes (cnn-layers.c); the arithmetic is in cnn-kernels.c. Here
// each layer type is wired to its kernels, with weights from the arena and buffers from
// the model's batch block.

#include <math.h>
#include <string.h>

#include "cnn-kernels.h"
#include "cnn-passes-private.h"
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

/* Whether the Conv2D's GEMMs with the kernel as one operand run on the small-K kernels
 * (cnn-small-gemm.c) rather than cblas_sgemm: typically a first layer, K = 9 or 27. */
static int
conv_uses_small_k (const CnnModel *model, const CnnLayer *layer)
{
  const int kernel_rows = layer->window_h * layer->window_w * layer->in.c;

  return model->small_k_gemm && !model->blas_only && kernel_rows <= CNN_SMALL_K_MAX
         && layer->out.c % 8 == 0;
}

/* Whether every window of the Conv2D lies inside its input (no padding): the small-K
 * kernels then read the patches in place, without an im2col copy. */
static int
conv_reads_in_place (const CnnModel *model, const CnnLayer *layer)
{
  return conv_uses_small_k (model, layer) && !conv_is_pointwise (layer)
         && layer->pad_top == 0 && layer->pad_left == 0
         && (layer->out.h - 1) * layer->stride_h + layer->window_h <= layer->in.h
         && (layer->out.w - 1) * layer->stride_w + layer->window_w <= layer->in.w;
}

int
cnn_conv_winograd_fits (const CnnLayer *layer)
{
  return layer->spec.type == CNN_LAYER_CONV2D && layer->window_h == 3 && layer->window_w == 3
         && layer->stride_h == 1 && layer->stride_w == 1 && layer->out.h >= 4
         && layer->out.w >= 4 && cnn_winograd_fits (layer->in.c, layer->out.c);
}

static int
conv_uses_winograd (const CnnModel *model, const CnnLayer *layer)
{
  return !model->blas_only && cnn_conv_winograd_fits (layer);
}

/* The correlation the Winograd pass computes: the forward (in → out), or the input
 * gradient (dout → din, the kernel turned, padding 2 − pad). */
static CnnWinogradShape
conv_winograd_shape (const CnnLayer *layer, int input_gradient)
{
  const CnnShape *from = input_gradient ? &layer->out : &layer->in;
  const CnnShape *to = input_gradient ? &layer->in : &layer->out;

  return (CnnWinogradShape) {
    .in_h = from->h, .in_w = from->w, .in_c = from->c,
    .out_h = to->h, .out_w = to->w, .out_c = to->c,
    .pad_top = input_gradient ? 2 - layer->pad_top : layer->pad_top,
    .pad_left = input_gradient ? 2 - layer->pad_left : layer->pad_left,
  };
}

/* offsets (window_h · window_w · in.c): where element kk of a patch (an HWIO kernel row)
 * lies in the input sample, from the patch's first cell. */
static void
conv_patch_offsets (const CnnLayer *layer, int32_t *offsets)
{
  int kk = 0;

  for (int ky = 0; ky < layer->window_h; ky++)
    for (int kx = 0; kx < layer->window_w; kx++)
      for (int c = 0; c < layer->in.c; c++)
        offsets[kk++] = (ky * layer->in.w + kx) * layer->in.c + c;
}

/* The first cell of the patches of output row oy, and the step between two patches. */
static const float *
conv_row_patches (const CnnLayer *layer, const float *in, int oy, size_t *step)
{
  *step = (size_t) layer->stride_w * layer->in.c;
  return in + (size_t) oy * layer->stride_h * layer->in.w * layer->in.c;
}

/* out (out.h · out.w, out.c) of one sample, read in place (conv_reads_in_place). */
static void
conv_forward_in_place (const CnnLayer *layer, const int32_t *offsets, const float *in,
                       float *out)
{
  const int kernel_rows = layer->window_h * layer->window_w * layer->in.c;

  for (int oy = 0; oy < layer->out.h; oy++)
    {
      size_t step;
      const float *patches = conv_row_patches (layer, in, oy, &step);
      cnn_gemm_small_k_gather (layer->out.w, layer->out.c, kernel_rows, patches, step,
                               offsets, layer->kernel,
                               out + (size_t) oy * layer->out.w * layer->out.c);
    }
}

/* kernel_grad (kernel rows, out.c) += the weight gradient of one sample, read in place. */
static void
conv_kernel_gradient_in_place (const CnnLayer *layer, const int32_t *offsets, const float *in,
                               const float *dout, float *kernel_grad)
{
  const int kernel_rows = layer->window_h * layer->window_w * layer->in.c;

  for (int oy = 0; oy < layer->out.h; oy++)
    {
      size_t step;
      const float *patches = conv_row_patches (layer, in, oy, &step);
      cnn_gemm_small_k_gather_transposed_add (layer->out.w, layer->out.c, kernel_rows,
                                              patches, step, offsets,
                                              dout + (size_t) oy * layer->out.w * layer->out.c,
                                              kernel_grad);
    }
}

static int
conv_chunk_samples (const CnnModel *model, const CnnLayer *layer)
{
  return (int) (model->columns_floats / cnn_layer_columns_per_sample (layer));
}

/* The forward pass also caps a chunk's output at about 1 MiB, so that bias, activation and
 * the next BatchNormalization's sums run on rows the GEMM just left in the L2 cache. */
#define CONV_OUTPUT_CHUNK_FLOATS ((size_t) 1 << 18)

static int
conv_forward_chunk_samples (const CnnModel *model, const CnnLayer *layer)
{
  int by_columns = conv_is_pointwise (layer) || conv_uses_winograd (model, layer)
                   ? INT32_MAX : conv_chunk_samples (model, layer);
  size_t by_output = CONV_OUTPUT_CHUNK_FLOATS / layer->out_size;
  int chunk = by_output < (size_t) by_columns ? (int) by_output : by_columns;

  return chunk > 0 ? chunk : 1;
}

/* Whether a training forward of the Conv2D at `index` also gathers the batch sums of the
 * BatchNormalization right after it (the same doubles, in the same order, as that layer
 * would add up itself). */
static int
conv_feeds_batch_norm (const CnnModel *model, int index, int training)
{
  return training && !model->reference_passes && index + 1 < model->n_layers
         && model->layers[index + 1].spec.type == CNN_LAYER_BATCH_NORMALIZATION;
}

/* Whether an inference forward of the Conv2D at `index` also does the BatchNormalization
 * and MaxPooling2D after it, chunk by chunk while its output is in the cache: in inference
 * the normalisation is known before the pass. */
static int
conv_fuses_norm_and_pooling (const CnnModel *model, int index, int training)
{
  return !training && !model->reference_passes && index + 2 < model->n_layers
         && model->layers[index + 1].spec.type == CNN_LAYER_BATCH_NORMALIZATION
         && model->layers[index + 2].spec.type == CNN_LAYER_MAX_POOLING2D;
}

/* The normalisation of a BatchNormalization in inference: its moving statistics. */
static void
batch_norm_inference_statistics (CnnLayer *layer)
{
  for (int c = 0; c < layer->in.c; c++)
    {
      layer->norm_mean[c] = layer->moving_mean[c];
      layer->norm_inv_std[c] = 1.0f / sqrtf (layer->moving_variance[c] + layer->spec.epsilon);
    }
  cnn_batch_norm_affine (layer->in.c, layer->norm_mean, layer->norm_inv_std, layer->gamma,
                         layer->beta, layer->norm_scale, layer->norm_shift);
}

/* Applies bias and activation to rows [row0, row0 + rows) of a GEMM's result, keeping the
 * logits when the loss needs them. */
static void
finish_linear_rows (CnnModel *model, int index, const float *bias, size_t row0, size_t rows,
                    int cols)
{
  CnnLayer *layer = &model->layers[index];
  CnnActivation activation = cnn_layer_activation (layer);
  float *output = layer->output + row0 * cols;

  if (cnn_layer_keeps_logits (model, index))
    {
      cnn_bias_activation (output, bias, rows, cols, CNN_ACTIVATION_LINEAR);
      memcpy (model->logits + row0 * cols, output, rows * cols * sizeof (float));
      cnn_bias_activation (output, NULL, rows, cols, activation);
    }
  else
    cnn_bias_activation (output, bias, rows, cols, activation);
}

/* Normalises and pools samples [b0, b0 + samples) of the Conv2D at `index` into the
 * MaxPooling2D two layers on (conv_fuses_norm_and_pooling). */
static void
conv_pool_chunk (CnnModel *model, int index, int b0, int samples)
{
  const CnnLayer *conv = &model->layers[index];
  const CnnLayer *norm = &model->layers[index + 1];
  CnnLayer *pool = &model->layers[index + 2];
  CnnWindow window;

  layer_window (pool, &window);
  for (int b = b0; b < b0 + samples; b++)
    cnn_max_pool_forward_affine (&window, conv->output + (size_t) b * conv->out_size,
                                 norm->norm_scale, norm->norm_shift,
                                 pool->output + (size_t) b * pool->out_size,
                                 pool->argmax + (size_t) b * pool->out_size);
}

static void
conv_forward_slice (void *data, int slice, int n_slices)
{
  PassTask *task = data;
  CnnModel *model = task->model;
  CnnLayer *layer = &model->layers[task->index];
  const int positions = layer->out.h * layer->out.w;
  const int cout = layer->out.c;
  const int kernel_rows = layer->window_h * layer->window_w * layer->in.c;
  float *columns = model->columns + (size_t) slice * model->columns_floats;
  const int gather_sums = conv_feeds_batch_norm (model, task->index, task->training);
  const int pool = conv_fuses_norm_and_pooling (model, task->index, task->training);
  const int small_k = conv_uses_small_k (model, layer);
  const int in_place = conv_reads_in_place (model, layer);
  const int winograd = conv_uses_winograd (model, layer);
  const CnnWinogradShape shape = conv_winograd_shape (layer, 0);
  int32_t offsets[CNN_SMALL_K_MAX];
  double *sum = model->slice_sums + (size_t) slice * 2 * model->sums_channels;
  int first, end;
  CnnWindow window;

  cnn_slice_range (task->batch, slice, n_slices, &first, &end);
  if (in_place)
    conv_patch_offsets (layer, offsets);
  for (int c = 0; gather_sums && c < cout; c++)
    sum[c] = sum[model->sums_channels + c] = 0.0;
  layer_window (layer, &window);
  const int chunk = conv_forward_chunk_samples (model, layer);
  for (int b0 = first; b0 < end; b0 += chunk)
    {
      int samples = end - b0 < chunk ? end - b0 : chunk;
      float *output = layer->output + (size_t) b0 * layer->out_size;
      const size_t rows = (size_t) samples * positions;
      const float *patches = task->in + (size_t) b0 * layer->in_size;

      if (winograd)
        for (int i = 0; i < samples; i++)
          cnn_winograd_correlate (&shape, model->winograd_kernel,
                                  patches + (size_t) i * layer->in_size,
                                  output + (size_t) i * layer->out_size, columns);
      else if (in_place)
        for (int i = 0; i < samples; i++)
          conv_forward_in_place (layer, offsets, patches + (size_t) i * layer->in_size,
                                 output + (size_t) i * layer->out_size);
      else
        {
          if (!conv_is_pointwise (layer))
            {
              for (int i = 0; i < samples; i++)
                cnn_im2col (&window, task->in + (size_t) (b0 + i) * layer->in_size,
                            columns + (size_t) i * positions * kernel_rows);
              patches = columns;
            }
          if (small_k)
            cnn_gemm_small_k ((int) rows, cout, kernel_rows, patches, layer->kernel, output);
          else
            cnn_gemm (0, 0, (int) rows, cout, kernel_rows, 1.0f, patches, layer->kernel, 0.0f,
                      output);
        }
      finish_linear_rows (model, task->index, layer->bias, (size_t) b0 * positions, rows,
                          cout);
      if (gather_sums)
        cnn_channel_sums_add (output, rows, cout, sum, sum + model->sums_channels);
      if (pool)
        conv_pool_chunk (model, task->index, b0, samples);
    }
}

static void
conv_forward (PassTask *task)
{
  CnnModel *model = task->model;
  const CnnLayer *layer = &model->layers[task->index];
  const int pool = conv_fuses_norm_and_pooling (model, task->index, task->training);

  if (pool)
    batch_norm_inference_statistics (&model->layers[task->index + 1]);
  if (conv_uses_winograd (model, layer))
    cnn_winograd_kernel (layer->kernel, layer->in.c, layer->out.c, model->winograd_kernel);
  cnn_model_run_slices (model, conv_forward_slice, task);
  if (conv_feeds_batch_norm (model, task->index, task->training))
    model->sums_ready_layer = task->index + 1;
  if (pool)
    model->pooled_ahead_layer = task->index + 2;
}

/* Floats of a slice's kernel-gradient sums: the kernel's, or on the Winograd pass its
 * transformed size (36, in.c, out.c). */
static size_t
conv_partial_kernel_floats (const CnnModel *model, const CnnLayer *layer)
{
  return (conv_uses_winograd (model, layer) ? 36 : (size_t) layer->window_h * layer->window_w)
         * layer->in.c * layer->out.c;
}

/* The Winograd backward of `samples` samples from `in`, `dout` (dout already before the
 * activation): the transformed kernel gradient added to partial (36, in.c, out.c), and the
 * input gradient into din unless NULL, with the turned kernel in model->winograd_kernel. */
static void
conv_backward_winograd (const CnnModel *model, const CnnLayer *layer, const float *in,
                        const float *dout, float *din, int samples, float *partial,
                        float *scratch)
{
  const CnnWinogradShape forward = conv_winograd_shape (layer, 0);
  const CnnWinogradShape backward = conv_winograd_shape (layer, 1);

  for (int b = 0; b < samples; b++)
    {
      const float *dout_sample = dout + (size_t) b * layer->out_size;
      cnn_winograd_kernel_gradient_add (&forward, in + (size_t) b * layer->in_size, dout_sample,
                                        partial, scratch);
      if (din)
        cnn_winograd_correlate (&backward, model->winograd_kernel, dout_sample,
                                din + (size_t) b * layer->in_size, scratch);
    }
}

/* Each slice leaves its share of the kernel and bias gradients in its partial buffer
 * (kernel floats, then bias); conv_backward adds them up in slice order. */
static void
conv_backward_slice (void *data, int slice, int n_slices)
{
  PassTask *task = data;
  CnnModel *model = task->model;
  CnnLayer *layer = &model->layers[task->index];
  const int positions = layer->out.h * layer->out.w;
  const int cout = layer->out.c;
  const int kernel_rows = layer->window_h * layer->window_w * layer->in.c;
  const size_t kernel_floats = conv_partial_kernel_floats (model, layer);
  float *columns = model->columns + (size_t) slice * model->columns_floats;
  float *partial = model->slice_partials + (size_t) slice * model->partial_floats;
  const int small_k = conv_uses_small_k (model, layer);
  int first, end;
  CnnWindow window;

  cnn_slice_range (task->batch, slice, n_slices, &first, &end);
  memset (partial, 0, (kernel_floats + cout) * sizeof (float));
  if (first == end)
    return;
  float *dout = task->dout + (size_t) first * layer->out_size;
  const float *in = task->in + (size_t) first * layer->in_size;
  float *din = task->din ? task->din + (size_t) first * layer->in_size : NULL;
  const size_t rows = (size_t) (end - first) * positions;

  if (!task->dout_is_preactivation)
    cnn_activation_backward (cnn_layer_activation (layer),
                             layer->output + (size_t) first * layer->out_size, dout, rows,
                             cout);
  if (layer->bias_grad)
    cnn_column_sums_add (dout, rows, cout, partial + kernel_floats);
  if (conv_is_pointwise (layer))
    {
      /* dK += X^T · dY;  dX = dY · K^T */
      if (small_k)
        cnn_gemm_small_k_transposed_add ((int) rows, cout, kernel_rows, in, dout, partial);
      else
        cnn_gemm (1, 0, kernel_rows, cout, (int) rows, 1.0f, in, dout, 0.0f, partial);
      if (din)
        cnn_gemm (0, 1, (int) rows, kernel_rows, cout, 1.0f, dout, layer->kernel, 0.0f, din);
      return;
    }
  if (conv_uses_winograd (model, layer))
    {
      conv_backward_winograd (model, layer, in, dout, din, end - first, partial, columns);
      return;
    }
  if (!din && conv_reads_in_place (model, layer))
    {
      int32_t offsets[CNN_SMALL_K_MAX];

      conv_patch_offsets (layer, offsets);
      for (int b = 0; b < end - first; b++)
        conv_kernel_gradient_in_place (layer, offsets, in + (size_t) b * layer->in_size,
                                       dout + (size_t) b * layer->out_size, partial);
      return;
    }
  layer_window (layer, &window);
  int chunk = conv_chunk_samples (model, layer);
  for (int b0 = 0; b0 < end - first; b0 += chunk)
    {
      int samples = end - first - b0 < chunk ? end - first - b0 : chunk;
      const float *dout_chunk = dout + (size_t) b0 * layer->out_size;

      for (int i = 0; i < samples; i++)
        cnn_im2col (&window, in + (size_t) (b0 + i) * layer->in_size,
                    columns + (size_t) i * positions * kernel_rows);
      if (small_k) /* partial is cleared above: add every chunk */
        cnn_gemm_small_k_transposed_add (samples * positions, cout, kernel_rows, columns,
                                         dout_chunk, partial);
      else
        cnn_gemm (1, 0, kernel_rows, cout, samples * positions, 1.0f, columns, dout_chunk,
                  b0 == 0 ? 0.0f : 1.0f, partial);
      if (!din)
        continue;
      /* The columns are consumed: reuse them for dCols = dY · K^T, then scatter back. */
      cnn_gemm (0, 1, samples * positions, kernel_rows, cout, 1.0f, dout_chunk,
                layer->kernel, 0.0f, columns);
      float *din_chunk = din + (size_t) b0 * layer->in_size;
      memset (din_chunk, 0, (size_t) samples * layer->in_size * sizeof (float));
      for (int i = 0; i < samples; i++)
        cnn_col2im_add (&window, columns + (size_t) i * positions * kernel_rows,
                        din_chunk + (size_t) i * layer->in_size);
    }
}

static void
conv_backward (PassTask *task)
{
  CnnModel *model = task->model;
  CnnLayer *layer = &model->layers[task->index];
  const int winograd = conv_uses_winograd (model, layer);
  const size_t kernel_floats = conv_partial_kernel_floats (model, layer);
  /* The Winograd pass sums the transformed gradient, then transforms it back. */
  float *kernel_sum = winograd ? model->winograd_kernel : layer->kernel_grad;

  if (task->din && winograd)
    {
      /* The turned kernel goes after the room of its transform. */
      float *turned = model->winograd_kernel + 36 * (size_t) layer->in.c * layer->out.c;
      cnn_winograd_turn_kernel (layer->kernel, layer->in.c, layer->out.c, turned);
      cnn_winograd_kernel (turned, layer->out.c, layer->in.c, model->winograd_kernel);
    }
  cnn_model_run_slices (model, conv_backward_slice, task);
  for (int slice = 0; slice < model->n_slices; slice++)
    {
      const float *partial = model->slice_partials + (size_t) slice * model->partial_floats;
      /* The first slice writes, the others add: the arena is not cleared beforehand. */
      if (slice == 0)
        {
          memcpy (kernel_sum, partial, kernel_floats * sizeof (float));
          if (layer->bias_grad)
            memcpy (layer->bias_grad, partial + kernel_floats,
                    (size_t) layer->out.c * sizeof (float));
          continue;
        }
      for (size_t i = 0; i < kernel_floats; i++)
        kernel_sum[i] += partial[i];
      for (int c = 0; layer->bias_grad && c < layer->out.c; c++)
        layer->bias_grad[c] += partial[kernel_floats + c];
    }
  if (winograd)
    cnn_winograd_kernel_gradient (kernel_sum, layer->in.c, layer->out.c, layer->kernel_grad);
}

/* Rows (positions of all samples) of slice `slice` of a batch for an NHWC layer. */
static void
slice_rows (const PassTask *task, const CnnShape *shape, int slice, int n_slices,
            size_t *row0, size_t *rows)
{
  int first, end;
  const size_t positions = (size_t) shape->h * shape->w;

  cnn_slice_range (task->batch, slice, n_slices, &first, &end);
  *row0 = (size_t) first * positions;
  *rows = (size_t) (end - first) * positions;
}

static void
batch_norm_sums_slice (void *data, int slice, int n_slices)
{
  PassTask *task = data;
  CnnModel *model = task->model;
  CnnLayer *layer = &model->layers[task->index];
  double *sum = model->slice_sums + (size_t) slice * 2 * model->sums_channels;
  size_t row0, rows;

  slice_rows (task, &layer->in, slice, n_slices, &row0, &rows);
  if (task->dout == NULL)
    cnn_channel_sums (task->in + row0 * layer->in.c, rows, layer->in.c, sum,
                      sum + model->sums_channels);
  else
    cnn_batch_norm_backward_sums (task->in + row0 * layer->in.c,
                                  task->dout + row0 * layer->in.c, rows, layer->in.c,
                                  layer->norm_mean, layer->norm_inv_std, sum,
                                  sum + model->sums_channels);
}

static void
batch_norm_apply_slice (void *data, int slice, int n_slices)
{
  PassTask *task = data;
  CnnLayer *layer = &task->model->layers[task->index];
  size_t row0, rows;

  slice_rows (task, &layer->in, slice, n_slices, &row0, &rows);
  cnn_batch_norm_apply (task->in + row0 * layer->in.c, rows, layer->in.c, layer->norm_mean,
                        layer->norm_inv_std, layer->gamma, layer->beta,
                        layer->output + row0 * layer->in.c);
}

/* The batch's Σ and Σ² (or Σdy and Σdy·x̂) per channel, added in slice order. */
static void
batch_norm_total_sums (CnnModel *model, int channels, double *first, double *second)
{
  for (int c = 0; c < channels; c++)
    first[c] = second[c] = 0.0;
  for (int slice = 0; slice < model->n_slices; slice++)
    {
      const double *sum = model->slice_sums + (size_t) slice * 2 * model->sums_channels;
      for (int c = 0; c < channels; c++)
        {
          first[c] += sum[c];
          second[c] += sum[model->sums_channels + c];
        }
    }
}

static void
batch_norm_forward (PassTask *task)
{
  CnnModel *model = task->model;
  CnnLayer *layer = &model->layers[task->index];
  const int channels = layer->in.c;
  const size_t rows = (size_t) task->batch * layer->in.h * layer->in.w;

  if (task->training)
    {
      double sum, squares;
      /* tf.keras stores the unbiased batch variance for 4-D inputs (the fused kernel),
       * the biased one for 2-D inputs (KERAS.md). */
      float correction = layer->in.rank == 3 && rows > 1 ? (float) rows / (float) (rows - 1)
                                                         : 1.0f;
      float decay = 1.0f - layer->spec.momentum;

      task->dout = NULL;
      if (model->sums_ready_layer != task->index)
        cnn_model_run_slices (model, batch_norm_sums_slice, task);
      model->sums_ready_layer = -1;
      for (int c = 0; c < channels; c++)
        {
          sum = squares = 0.0;
          for (int slice = 0; slice < model->n_slices; slice++)
            {
              const double *sums = model->slice_sums + (size_t) slice * 2 * model->sums_channels;
              sum += sums[c];
              squares += sums[model->sums_channels + c];
            }
          double mean = sum / (double) rows;
          double biased = squares / (double) rows - mean * mean;
          float variance = biased > 0.0 ? (float) biased : 0.0f;
          layer->norm_mean[c] = (float) mean;
          /* TF's assign_moving_average: moving -= (moving − value) · (1 − momentum). */
          layer->moving_mean[c] -= (layer->moving_mean[c] - layer->norm_mean[c]) * decay;
          layer->moving_variance[c] -=
            (layer->moving_variance[c] - variance * correction) * decay;
          layer->norm_inv_std[c] = 1.0f / sqrtf (variance + layer->spec.epsilon);
        }
      cnn_batch_norm_affine (channels, layer->norm_mean, layer->norm_inv_std, layer->gamma,
                             layer->beta, layer->norm_scale, layer->norm_shift);
    }
  else
    batch_norm_inference_statistics (layer);
  /* Before a MaxPooling2D the pooling applies the normalisation as it reads: the full-size
   * normalised array is never written nor read again. */
  layer->norm_deferred = !model->reference_passes && task->index + 1 < model->n_layers
                         && model->layers[task->index + 1].spec.type
                              == CNN_LAYER_MAX_POOLING2D;
  if (layer->norm_deferred)
    {
      layer->result = task->in; /* still to be normalised, by the pooling */
      return;
    }
  cnn_model_run_slices (model, batch_norm_apply_slice, task);
}

typedef struct {
  PassTask pass;
  float *mean_dy, *mean_dy_xhat; /* (channels) */
  int through_relu;              /* also undo the ReLU of the layer before */
} BatchNormBackwardTask;

/* Whether the layer before the BatchNormalization at `index` ends in a ReLU whose output
 * is the normalisation's input: its gradient can then go through that ReLU at once. */
static int
batch_norm_after_relu (const CnnModel *model, int index)
{
  return !model->reference_passes && index > 0
         && cnn_layer_activation (&model->layers[index - 1]) == CNN_ACTIVATION_RELU
         && model->layers[index - 1].result == model->layers[index - 1].output;
}

static void
batch_norm_dx_slice (void *data, int slice, int n_slices)
{
  BatchNormBackwardTask *task = data;
  CnnLayer *layer = &task->pass.model->layers[task->pass.index];
  size_t row0, rows;

  slice_rows (&task->pass, &layer->in, slice, n_slices, &row0, &rows);
  if (task->through_relu)
    cnn_batch_norm_backward_apply_relu (task->pass.in + row0 * layer->in.c,
                                        task->pass.dout + row0 * layer->in.c, rows,
                                        layer->in.c, layer->norm_mean, layer->norm_inv_std,
                                        layer->gamma, task->mean_dy, task->mean_dy_xhat,
                                        task->pass.din + row0 * layer->in.c);
  else
    cnn_batch_norm_backward_apply (task->pass.in + row0 * layer->in.c,
                                   task->pass.dout + row0 * layer->in.c, rows, layer->in.c,
                                   layer->norm_mean, layer->norm_inv_std, layer->gamma,
                                   task->mean_dy, task->mean_dy_xhat,
                                   task->pass.din + row0 * layer->in.c);
}

/* Whether the backward of the MaxPooling2D at `index` is left to the BatchNormalization
 * before it (batch_norm_backward reads the pooled gradient and argmax directly): windows
 * that do not overlap, and a BatchNormalization whose input gradient goes to a buffer of
 * the ping-pong pair (not the first layer). */
static int
pool_backward_deferred (const CnnModel *model, int index, const float *din)
{
  const CnnLayer *pool = &model->layers[index];
  CnnWindow window;

  if (model->reference_passes || din == NULL || index < 2
      || pool->spec.type != CNN_LAYER_MAX_POOLING2D
      || model->layers[index - 1].spec.type != CNN_LAYER_BATCH_NORMALIZATION
      || pool->in.c > CNN_POOLED_MAX_CHANNELS)
    return 0;
  layer_window (pool, &window);
  return cnn_max_pool_windows_disjoint (&window);
}

/* batch_norm_sums_slice with dy from the deferred pooling's gradient. */
static void
batch_norm_pooled_sums_slice (void *data, int slice, int n_slices)
{
  PassTask *task = data;
  CnnModel *model = task->model;
  const CnnLayer *layer = &model->layers[task->index];
  const CnnLayer *pool = layer + 1;
  double *sum = model->slice_sums + (size_t) slice * 2 * model->sums_channels;
  int first, end;
  CnnWindow window;

  layer_window (pool, &window);
  for (int c = 0; c < layer->in.c; c++)
    sum[c] = sum[model->sums_channels + c] = 0.0;
  cnn_slice_range (task->batch, slice, n_slices, &first, &end);
  for (int b = first; b < end; b++)
    cnn_batch_norm_backward_sums_pooled_add (&window, task->in + (size_t) b * layer->in_size,
                                             model->deferred_pool_dout
                                               + (size_t) b * pool->out_size,
                                             pool->argmax + (size_t) b * pool->out_size,
                                             layer->norm_mean, layer->norm_inv_std, sum,
                                             sum + model->sums_channels);
}

/* batch_norm_dx_slice with dy from the deferred pooling's gradient; dx goes over the
 * pass's dout buffer, which the pooling left unwritten. */
static void
batch_norm_pooled_dx_slice (void *data, int slice, int n_slices)
{
  BatchNormBackwardTask *task = data;
  CnnModel *model = task->pass.model;
  const CnnLayer *layer = &model->layers[task->pass.index];
  const CnnLayer *pool = layer + 1;
  int first, end;
  CnnWindow window;

  layer_window (pool, &window);
  cnn_slice_range (task->pass.batch, slice, n_slices, &first, &end);
  for (int b = first; b < end; b++)
    cnn_batch_norm_backward_apply_pooled (&window, task->pass.in + (size_t) b * layer->in_size,
                                          model->deferred_pool_dout
                                            + (size_t) b * pool->out_size,
                                          pool->argmax + (size_t) b * pool->out_size,
                                          layer->norm_mean, layer->norm_inv_std, layer->gamma,
                                          task->mean_dy, task->mean_dy_xhat,
                                          task->through_relu,
                                          task->pass.dout + (size_t) b * layer->in_size);
}

static void
batch_norm_backward (PassTask *task)
{
  CnnModel *model = task->model;
  CnnLayer *layer = &model->layers[task->index];
  const int channels = layer->in.c;
  const double rows = (double) task->batch * layer->in.h * layer->in.w;
  double sum_dy[channels > 0 ? channels : 1], sum_dy_xhat[channels > 0 ? channels : 1];
  float mean_dy[channels > 0 ? channels : 1], mean_dy_xhat[channels > 0 ? channels : 1];
  BatchNormBackwardTask dx_task = { *task, mean_dy, mean_dy_xhat,
                                    batch_norm_after_relu (model, task->index) };

  const int pooled = model->deferred_pool_layer == task->index + 1;

  model->deferred_pool_layer = -1;
  cnn_model_run_slices (model, pooled ? batch_norm_pooled_sums_slice : batch_norm_sums_slice,
                        task);
  batch_norm_total_sums (model, channels, sum_dy, sum_dy_xhat);
  for (int c = 0; c < channels; c++)
    {
      layer->gamma_grad[c] = (float) sum_dy_xhat[c];
      layer->beta_grad[c] = (float) sum_dy[c];
      /* With moving statistics the mean and variance are constants: no correction. */
      mean_dy[c] = model->last_training ? (float) (sum_dy[c] / rows) : 0.0f;
      mean_dy_xhat[c] = model->last_training ? (float) (sum_dy_xhat[c] / rows) : 0.0f;
    }
  if (task->din)
    {
      cnn_model_run_slices (model, pooled ? batch_norm_pooled_dx_slice : batch_norm_dx_slice,
                            &dx_task);
      model->gradient_in_dout = pooled;
      if (dx_task.through_relu)
        model->preactivation_layer = task->index - 1;
    }
}

/* A slice's samples [*first, *end) of the pass. */
static int
slice_samples (const PassTask *task, int slice, int n_slices, int *first, int *end)
{
  cnn_slice_range (task->batch, slice, n_slices, first, end);
  return *end > *first;
}

static void
pooling_forward_slice (void *data, int slice, int n_slices)
{
  PassTask *task = data;
  CnnLayer *layer = &task->model->layers[task->index];
  const CnnLayer *norm = task->index > 0 ? layer - 1 : NULL;
  int first, end;
  CnnWindow window;

  if (norm && !(norm->spec.type == CNN_LAYER_BATCH_NORMALIZATION && norm->norm_deferred))
    norm = NULL;
  layer_window (layer, &window);
  slice_samples (task, slice, n_slices, &first, &end);
  for (int b = first; b < end; b++)
    if (norm)
      cnn_max_pool_forward_affine (&window, task->in + b * layer->in_size, norm->norm_scale,
                                   norm->norm_shift, layer->output + b * layer->out_size,
                                   layer->argmax + b * layer->out_size);
    else if (layer->spec.type == CNN_LAYER_MAX_POOLING2D)
      cnn_max_pool_forward (&window, task->in + b * layer->in_size,
                            layer->output + b * layer->out_size,
                            layer->argmax + b * layer->out_size);
    else
      cnn_avg_pool_forward (&window, task->in + b * layer->in_size,
                            layer->output + b * layer->out_size);
}

static void
dropout_forward_slice (void *data, int slice, int n_slices)
{
  PassTask *task = data;
  CnnModel *model = task->model;
  CnnLayer *layer = &model->layers[task->index];
  const float rate = layer->spec.rate;
  int first, end;

  if (!slice_samples (task, slice, n_slices, &first, &end))
    return;
  size_t offset = (size_t) first * layer->in_size;
  size_t count = (size_t) (end - first) * layer->in_size;
  cnn_dropout_mask_range (cnn_dropout_key (model->seed, model->step, task->index), rate,
                          layer->mask + offset, offset, count);
  cnn_masked_scale (layer->mask + offset, task->in + offset, 1.0f / (1.0f - rate),
                    layer->output + offset, count);
}

/* Whether a Dense forward of `batch` rows and `columns` units runs on cnn_gemm_few_rows,
 * which reads the kernel once where BLAS would copy it first (small batches). */
static int
dense_uses_few_rows (const CnnModel *model, int batch, int columns)
{
  return model->small_k_gemm && !model->blas_only && batch <= CNN_FEW_ROWS_MAX
         && columns > 0 && columns % 8 == 0;
}

/* Dense layers are cut by output units (columns), not samples: the batch is small and the
 * kernel large, so each thread reads half of the kernel. */
static void
dense_forward_slice (void *data, int slice, int n_slices)
{
  PassTask *task = data;
  CnnLayer *layer = &task->model->layers[task->index];
  const int in = layer->in.c, out = layer->out.c;
  int first, end;

  cnn_slice_range (out, slice, n_slices, &first, &end);
  if (dense_uses_few_rows (task->model, task->batch, end - first))
    cnn_gemm_few_rows (task->batch, end - first, in, task->in, in, layer->kernel + first, out,
                       layer->output + first, out);
  else
    cnn_gemm_strided (0, 0, task->batch, end - first, in, 1.0f, task->in, in,
                      layer->kernel + first, out, 0.0f, layer->output + first, out);
}

static void
activation_backward_slice (void *data, int slice, int n_slices)
{
  PassTask *task = data;
  CnnLayer *layer = &task->model->layers[task->index];
  const size_t rows_per_sample = layer->out_size / layer->out.c;
  int first, end;

  if (!slice_samples (task, slice, n_slices, &first, &end))
    return;
  cnn_activation_backward (cnn_layer_activation (layer),
                           layer->output + (size_t) first * layer->out_size,
                           task->dout + (size_t) first * layer->out_size,
                           (size_t) (end - first) * rows_per_sample, layer->out.c);
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
  PassTask task = { model, index, in, NULL, NULL, batch, training, 0 };

  layer->result = layer->output;
  switch (layer->spec.type)
    {
    case CNN_LAYER_CONV2D:
      conv_forward (&task);
      break;
    case CNN_LAYER_MAX_POOLING2D:
    case CNN_LAYER_AVERAGE_POOLING2D:
      if (model->pooled_ahead_layer == index)
        model->pooled_ahead_layer = -1; /* done by the Conv2D two layers before */
      else
        cnn_model_run_slices (model, pooling_forward_slice, &task);
      break;
    case CNN_LAYER_GLOBAL_AVERAGE_POOLING2D:
      global_average_forward (layer, in, batch);
      break;
    case CNN_LAYER_BATCH_NORMALIZATION:
      batch_norm_forward (&task);
      break;
    case CNN_LAYER_DROPOUT:
      if (training && layer->spec.rate > 0.0f)
        cnn_model_run_slices (model, dropout_forward_slice, &task);
      else
        layer->result = in; /* the identity: pass the input on, copy nothing */
      break;
    case CNN_LAYER_DENSE:
      cnn_model_run_slices (model, dense_forward_slice, &task);
      finish_linear_rows (model, index, layer->bias, 0, (size_t) batch, layer->out.c);
      break;
    case CNN_LAYER_ACTIVATION:
      memcpy (layer->output, in, count * sizeof (float));
      finish_linear_rows (model, index, NULL, 0, count / layer->out.c, layer->out.c);
      break;
    case CNN_LAYER_RESCALING:
      cnn_scale_shift (in, layer->spec.scale, layer->spec.offset, layer->output, count);
      break;
    case CNN_LAYER_FLATTEN:
      layer->result = in; /* NHWC is already the flattened order */
      break;
    case CNN_N_LAYER_TYPES:
    default:
      memcpy (layer->output, in, count * sizeof (float));
      break;
    }
}

/* The input gradient of a layer without weights, for a slice of the batch. */
static void
backward_without_weights_slice (void *data, int slice, int n_slices)
{
  PassTask *task = data;
  const CnnModel *model = task->model;
  const CnnLayer *layer = &model->layers[task->index];
  int first, end;
  CnnWindow window;

  if (!slice_samples (task, slice, n_slices, &first, &end))
    return;
  const float *dout = task->dout + (size_t) first * layer->out_size;
  float *din = task->din + (size_t) first * layer->in_size;
  const size_t in_count = (size_t) (end - first) * layer->in_size;
  const int samples = end - first;

  layer_window (layer, &window);
  switch (layer->spec.type)
    {
    case CNN_LAYER_MAX_POOLING2D:
      if (cnn_max_pool_windows_disjoint (&window) && !model->reference_passes)
        {
          for (int b = 0; b < samples; b++)
            cnn_max_pool_backward_disjoint (&window, dout + b * layer->out_size,
                                            layer->argmax + (size_t) (first + b)
                                                            * layer->out_size,
                                            din + b * layer->in_size);
          break;
        }
      memset (din, 0, in_count * sizeof (float));
      for (int b = 0; b < samples; b++)
        cnn_max_pool_backward (&window, dout + b * layer->out_size,
                               layer->argmax + (size_t) (first + b) * layer->out_size,
                               din + b * layer->in_size);
      break;
    case CNN_LAYER_AVERAGE_POOLING2D:
      memset (din, 0, in_count * sizeof (float));
      for (int b = 0; b < samples; b++)
        cnn_avg_pool_backward (&window, dout + b * layer->out_size, din + b * layer->in_size);
      break;
    case CNN_LAYER_GLOBAL_AVERAGE_POOLING2D:
      for (int b = 0; b < samples; b++)
        cnn_global_average_backward (dout + b * layer->out_size,
                                     (size_t) layer->in.h * layer->in.w, layer->in.c,
                                     din + b * layer->in_size);
      break;
    case CNN_LAYER_DROPOUT:
      if (model->last_training && layer->spec.rate > 0.0f)
        cnn_masked_scale (layer->mask + (size_t) first * layer->in_size, dout,
                          1.0f / (1.0f - layer->spec.rate), din, in_count);
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
  if (model->preactivation_layer == index)
    dout_is_preactivation = 1; /* the next layer undid this one's ReLU */
  PassTask task = { model, index, in, dout, din, batch, model->last_training,
                    dout_is_preactivation };

  /* A MaxPooling2D after a BatchNormalization leaves its gradient to be read from dout and
   * argmax by that layer's backward: the full-size gradient is never written. */
  if (pool_backward_deferred (model, index, din))
    {
      model->deferred_pool_layer = index;
      model->deferred_pool_dout = dout;
      return;
    }
  /* Conv2D undoes its activation inside its own slices, while the rows are in cache. */
  if (!dout_is_preactivation && layer->spec.type != CNN_LAYER_CONV2D
      && cnn_layer_activation (layer) != CNN_ACTIVATION_LINEAR)
    cnn_model_run_slices (model, activation_backward_slice, &task);
  switch (layer->spec.type)
    {
    case CNN_LAYER_CONV2D:
      conv_backward (&task);
      break;
    case CNN_LAYER_DENSE:
      cnn_dense_backward (&task);
      break;
    case CNN_LAYER_BATCH_NORMALIZATION:
      batch_norm_backward (&task);
      break;
    default:
      if (din)
        cnn_model_run_slices (model, backward_without_weights_slice, &task);
      break;
    }
}
