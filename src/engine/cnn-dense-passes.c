/* cnn-dense-passes.c — the Dense backward pass, with the optimizer fused in for large kernels. */
// SPDX-License-Identifier: GPL-3.0-or-later
//
// A Dense layer's batch is small and its kernel large (Dogs vs Cats: 15 samples, a
// 25,088 × 512 kernel of 51 MB), so its backward is bound by memory, not arithmetic: the
// passes here are cut by kernel columns or rows, never by samples, and during a training
// step the optimizer update of a large kernel happens here, block by block.

#include "cnn-kernels.h"
#include "cnn-passes-private.h"
#include "cnn-private.h"
#include "cnn-training-private.h"

/* bias_grad[units] = Σ dY[:, units] for the slice's share of the units. */
static void
dense_bias_gradient (const PassTask *task, int slice, int n_slices)
{
  CnnLayer *layer = &task->model->layers[task->index];
  const int out = layer->out.c;
  int first, end;

  cnn_slice_range (out, slice, n_slices, &first, &end);
  if (layer->bias_grad)
    for (int b = 0; b < task->batch; b++)
      for (int j = first; j < end; j++)
        layer->bias_grad[j] = (b > 0 ? layer->bias_grad[j] : 0.0f)
                              + task->dout[(size_t) b * out + j];
}

static void
dense_backward_slice (void *data, int slice, int n_slices)
{
  PassTask *task = data;
  CnnLayer *layer = &task->model->layers[task->index];
  const int in = layer->in.c, out = layer->out.c;
  int first, end;

  /* dK[:, units] = X^T · dY[:, units] */
  dense_bias_gradient (task, slice, n_slices);
  cnn_slice_range (out, slice, n_slices, &first, &end);
  /* beta 0: the gradient is written, not read and added to (the arena is not cleared). */
  cnn_gemm_strided (1, 0, in, end - first, task->batch, 1.0f, task->in, in,
                    task->dout + first, out, 0.0f, layer->kernel_grad + first, out);
  /* dX[:, inputs] = dY · K[inputs, :]^T */
  if (!task->din)
    return;
  cnn_slice_range (in, slice, n_slices, &first, &end);
  cnn_gemm_strided (0, 1, task->batch, end - first, out, 1.0f, task->dout, out,
                    layer->kernel + (size_t) first * out, out, 0.0f, task->din + first, in);
}

/* Kernel rows a Dense backward with the optimizer fused does at a time: the rows of the
 * kernel, of its gradient and of the optimizer's slots stay in L2 from the GEMMs to the
 * update, and the blocks are large enough that the GEMM calls cost little. */
#define DENSE_UPDATE_BLOCK_ROWS 64

/* Whether the backward of this Dense also applies the optimizer to its kernel: during a
 * training step, for kernels too large for the cache (Dogs vs Cats: 25,088 × 512), where
 * the separate update would read the kernel and its gradient from memory once more. */
static int
dense_updates_kernel (const CnnModel *model, const CnnLayer *layer)
{
  return model->fused_optimizer != NULL && !model->reference_passes
         && layer->kernel_grad != NULL
         && (size_t) layer->in.c * layer->out.c >= model->fused_update_min_floats
         && layer->kernel == model->params + (layer->kernel_grad - model->grads);
}

/* The slice's share of the kernel rows, block by block: its gradient, the input gradient
 * through those rows (with the kernel before the update), then the update. The formulas
 * of dense_backward_slice and the separate optimizer step, but the GEMMs come in other
 * shapes, which OpenBLAS may round differently: on small layers the bits agree
 * (test-fast-paths.c), on large ones within the bounds test-small-gemm.c states. */
static void
dense_backward_update_slice (void *data, int slice, int n_slices)
{
  PassTask *task = data;
  CnnModel *model = task->model;
  CnnLayer *layer = &model->layers[task->index];
  const int in = layer->in.c, out = layer->out.c;
  const size_t offset = (size_t) (layer->kernel_grad - model->grads);
  int first, end;

  dense_bias_gradient (task, slice, n_slices);
  cnn_slice_range (in, slice, n_slices, &first, &end);
  for (int r0 = first; r0 < end; r0 += DENSE_UPDATE_BLOCK_ROWS)
    {
      int rows = end - r0 < DENSE_UPDATE_BLOCK_ROWS ? end - r0 : DENSE_UPDATE_BLOCK_ROWS;

      cnn_gemm_strided (1, 0, rows, out, task->batch, 1.0f, task->in + r0, in, task->dout,
                        out, 0.0f, layer->kernel_grad + (size_t) r0 * out, out);
      if (task->din)
        cnn_gemm_strided (0, 1, task->batch, rows, out, 1.0f, task->dout, out,
                          layer->kernel + (size_t) r0 * out, out, 0.0f, task->din + r0, in);
      cnn_optimizer_update_range (model->fused_optimizer, model->params, model->grads,
                                  offset + (size_t) r0 * out,
                                  offset + (size_t) (r0 + rows) * out);
    }
}

void
cnn_dense_backward (PassTask *task)
{
  CnnModel *model = task->model;
  CnnLayer *layer = &model->layers[task->index];

  if (dense_updates_kernel (model, layer))
    {
      cnn_model_run_slices (model, dense_backward_update_slice, task);
      layer->kernel_updated = 1;
    }
  else
    cnn_model_run_slices (model, dense_backward_slice, task);
}
