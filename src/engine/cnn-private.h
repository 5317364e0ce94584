/* cnn-private.h — the engine's internal model and layer structures, shared by its sources. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include "cnn.h"

/* Activations per sample and parameters a model may have before we refuse to build it:
 * beyond these an allocation would fail or the arithmetic on sizes would overflow. */
#define CNN_MAX_SAMPLE_FLOATS ((int64_t) 1 << 28)
#define CNN_MAX_PARAMS ((int64_t) 1 << 31)

/* im2col is done for as many samples at once as fit in this many floats (at least one),
 * which bounds the scratch memory for big images and batches; 1 MiB, so that a chunk of
 * small samples (Fashion-MNIST) stays in L2 between im2col and the GEMM. */
#define CNN_COLUMN_CHUNK_FLOATS ((size_t) 1 << 18)

/* Dense kernels of at least this many floats (4 MiB) get the optimizer update fused into
 * their backward (CnnModel.fused_optimizer): smaller ones stay in the cache anyway. */
#define CNN_FUSED_UPDATE_MIN_FLOATS ((size_t) 1 << 20)

/* The most threads a model runs on (cnn_model_set_threads). */
#define CNN_MAX_THREADS 64

/* A part of a pass: does slice `slice` of `n_slices` of the work described by `data`. */
typedef void (*CnnSliceTask) (void *data, int slice, int n_slices);
typedef struct CnnPool CnnPool;

/* A layer's output, as Keras prints it: rank 3 is (None, h, w, c); rank 1 is (None, c),
 * stored here with h = w = 1 so that "the last axis" is always `c`. */
typedef struct {
  int rank;
  int h, w, c;
} CnnShape;

typedef struct {
  CnnLayerSpec spec;         /* as built: name filled in, defaults resolved */
  CnnShape in, out;
  size_t in_size, out_size;  /* floats per sample */
  int window_h, window_w;    /* conv kernel or pooling window */
  int stride_h, stride_w;
  int pad_top, pad_left;     /* 'same' padding before; the extra cell goes after (TF) */
  int first_weight, n_weights;
  int64_t params, trainable_params, macs;

  /* Parameters, pointing into the model's arenas (NULL when the layer has none). */
  float *kernel;             /* Conv2D (kh, kw, cin, cout); Dense (in, units) */
  float *bias;               /* (cout) or (units) */
  float *gamma, *beta;       /* BatchNormalization (c) */
  float *moving_mean;        /* BatchNormalization (c) */
  float *moving_variance;    /* BatchNormalization (c) */
  float *kernel_grad;        /* same shape as kernel */
  float *bias_grad;          /* same shape as bias */
  float *gamma_grad, *beta_grad; /* (c) */

  /* Statistics used by the last BatchNormalization forward (batch or moving). */
  float *norm_mean;          /* (c) */
  float *norm_inv_std;       /* (c) */
  float *norm_scale;         /* (c): gamma · inv_std, so y = x · scale + shift */
  float *norm_shift;         /* (c): beta − mean · scale */
  /* BatchNormalization before MaxPooling2D: the pooling applies scale and shift while it
   * reads, so this layer's output is never written (result is its input). */
  int norm_deferred;

  /* Per-batch buffers, sized for the model's capacity (largest batch seen). */
  float *output;             /* (capacity, out.h, out.w, out.c), after the activation */
  int32_t *argmax;           /* MaxPooling2D (capacity, out.h, out.w, out.c): input offset
                              * within the sample of the winning cell, -1 if none */
  uint8_t *mask;             /* Dropout (capacity, in_size): 1 kept, 0 dropped */
  /* What the next layer reads (batch, out_size): `output`, or this layer's input when it
   * passed it through unchanged (Flatten, Dropout in inference) or left its work to the
   * next layer (norm_deferred). */
  const float *result;

  /* The last backward applied model->fused_optimizer to `kernel` (cnn_model_optimizer_step
   * then leaves it alone). */
  int kernel_updated;

  /* Wall time spent in this layer's passes since profiling was last reset. */
  double forward_seconds, backward_seconds;
} CnnLayer;

struct CnnModel {
  CnnShape input;
  size_t input_size;         /* floats per sample */
  int n_layers;
  CnnLayer *layers;          /* (n_layers) */
  int n_weights;
  CnnWeight *weights;        /* (n_weights), Keras's model.weights order */
  float *params;             /* (n_params): trainable first, then non-trainable */
  float *grads;              /* (n_trainable) */
  size_t n_params, n_trainable;
  uint64_t seed;
  uint64_t step;             /* training-mode forwards so far; keys the Dropout masks */

  /* Per-batch storage: one block holding every buffer below and the layers' buffers. */
  void *batch_block;
  int capacity;              /* batch size the block is sized for */
  float *input_copy;         /* (capacity, h, w, c): the last forward's input */
  float *grad_front;         /* (capacity, largest layer size): gradient ping-pong */
  float *grad_back;          /* (capacity, largest layer size) */
  float *columns;            /* (n_slices, columns_floats): each slice's im2col of a chunk */
  size_t columns_floats;     /* room for at least one sample of every Conv2D, and for its
                              * Winograd scratch (cnn_winograd_scratch_floats) */
  float *winograd_kernel;    /* (36, in.c, out.c) of the Conv2D whose pass is running, when
                              * it runs on cnn-winograd.c, then room for its turned kernel
                              * (3, 3, out.c, in.c); sized for the largest */
  float *slice_partials;     /* (n_slices, partial_floats): a slice's weight-gradient sums */
  size_t partial_floats;     /* largest Conv2D kernel (or its Winograd transform) + bias */
  double *slice_sums;        /* (n_slices, 2, sums_channels): a slice's channel statistics */
  int sums_channels;         /* most channels of a BatchNormalization */
  int sums_ready_layer;      /* a BatchNormalization whose batch Σx and Σx² the Conv2D
                              * before it already left in slice_sums this pass, else -1 */
  int pooled_ahead_layer;    /* a MaxPooling2D whose output the Conv2D two layers before
                              * already wrote this pass (inference), else -1 */
  int preactivation_layer;   /* a layer whose ReLU the BatchNormalization after it already
                              * undid in its input gradient this backward, else -1 */
  int deferred_pool_layer;   /* a disjoint MaxPooling2D whose backward the BatchNormalization
                              * before it does this backward, reading the pooled gradient
                              * and argmax instead of a stored full-size dy, else -1 */
  const float *deferred_pool_dout; /* that pooling's dout (batch, out_size) */
  int gradient_in_dout;      /* the last layer backward left its input gradient in its dout
                              * buffer rather than in din (cnn_model_backward swaps) */
  float *logits;             /* (capacity, n_outputs): last layer before softmax/sigmoid */
  float *input_gradient;     /* (capacity, h, w, c) when compute_input_gradient, else NULL */
  int compute_input_gradient; /* tests: also back-propagate into the input */

  /* What the last forward did, for the loss and backward. */
  int last_batch;            /* 0 before any forward */
  int last_training;
  uint64_t last_step;        /* the step the last training forward used */

  int profiling;             /* time each layer's passes (cnn_model_set_profiling) */
  int reference_passes;      /* tests: none of the fused or specialised passes, so that
                              * they can be checked against the plain ones */
  /* During cnn_model_train_batch: the optimizer, so that the backward of a large Dense
   * applies it to the kernel block by block while the block is in the cache, instead of
   * the whole step reading the kernel and its gradient again from memory. NULL otherwise
   * (the gradient arena is written either way). */
  CnnOptimizer *fused_optimizer;
  size_t fused_update_min_floats; /* kernels at least this large; tests lower it */
  int blas_only;             /* tests: every GEMM on cblas_sgemm, none on the engine's own
                              * kernels, whose rounding differs (cnn-small-gemm.c), and
                              * no Winograd convolution (cnn-winograd.c) */
  int small_k_gemm;          /* cnn_gemm_small_k_available (), asked once at creation */

  /* Threads: every parallel pass is cut into n_slices slices (cnn-threads.c). */
  int n_threads;
  int n_slices;
  CnnPool *pool;             /* NULL with one thread */
};

/* cnn-threads.c */
/* Runs task (data, slice, n_slices) for every slice on the model's threads; returns when
 * all are done. Each slice must write only its own outputs. */
void cnn_model_run_slices (CnnModel *model, CnnSliceTask task, void *data);
/* The part [*first, *end) of `count` items that slice `slice` of `n_slices` owns. */
void cnn_slice_range (int count, int slice, int n_slices, int *first, int *end);
/* One thread per online CPU, at most CNN_MAX_THREADS. */
int  cnn_default_threads (void);
/* Stops the model's threads (cnn_model_free). */
void cnn_model_free_threads (CnnModel *model);

/* cnn-profile.c: seconds on a monotonic clock, for the per-layer profile. */
double cnn_profile_now (void);

/* cnn-layers.c */
/* Checks the layer's settings against its input shape and fills in its output shape,
 * padding, parameter and MAC counts; errors name the layer and the shapes. */
CnnStatus     cnn_layer_resolve (CnnLayer *layer, int index, const CnnShape *input,
                                 CnnError *error);
/* Floats of im2col one sample needs for this layer (0 unless it is a Conv2D). */
size_t        cnn_layer_columns_per_sample (const CnnLayer *layer);
/* Whether the last layer keeps its logits for the loss (softmax or sigmoid output). */
int           cnn_layer_keeps_logits (const CnnModel *model, int index);
/* The activation fused into the layer (linear for layers without one). */
CnnActivation cnn_layer_activation (const CnnLayer *layer);

/* cnn-layer-passes.c */
/* Computes layer->output (batch, out_size) from `in` (batch, in_size). */
void cnn_layer_forward (CnnModel *model, int index, const float *in, int batch, int training);
/* `dout` (batch, out_size) is overwritten. When `dout_is_preactivation` it is already the
 * gradient with respect to the layer's pre-activation (the loss fused the softmax/sigmoid).
 * Weight gradients are written (=, not +=) into the gradient arena: every trainable weight
 * has exactly one layer, so the arena needs no clearing. `din` (batch, in_size) may be
 * NULL when no one needs it (the first layer). */
void cnn_layer_backward (CnnModel *model, int index, const float *in, float *dout, float *din,
                         int batch, int dout_is_preactivation);
/* Whether the layer is a Conv2D that Winograd's F(4×4, 3×3) can do (cnn-winograd.c): a 3×3
 * kernel, stride 1, an output of at least 4×4, and channel counts cnn_winograd_fits
 * takes. Its forward and input gradient then run on it, unless the model is blas_only. */
int  cnn_conv_winograd_fits (const CnnLayer *layer);

/* cnn-model.c */
/* Fills the gradient arena (every trainable weight) by back-propagating `dlast`
 * (last_batch, n_outputs), the gradient of a scalar with respect to the output of the last
 * forward (or, when `dlast_is_preactivation`, to the last layer's logits). `dlast` is
 * overwritten. */
CnnStatus cnn_model_backward (CnnModel *model, float *dlast, int dlast_is_preactivation,
                              CnnError *error);

/* cnn-rng.c: the key of a layer's Dropout mask at a step (see cnn_dropout_mask). */
uint64_t cnn_dropout_key (uint64_t seed, uint64_t step, int layer);

/* cnn-summary.c: formats n with thousands separators into out (at least 32 bytes). */
void cnn_format_thousands (int64_t n, char *out, size_t out_size);
