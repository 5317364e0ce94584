/* cnn-model.c — building a Sequential model: names, weight arena, batch buffers, passes. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cnn-kernels.h"
#include "cnn-private.h"
#include "cnn-training-private.h"

#define BUFFER_ALIGNMENT 64

/* ---------------------------------------------------------------- building */

static CnnStatus
name_layers (CnnModel *model, CnnError *error)
{
  int counters[CNN_N_LAYER_TYPES] = { 0 };

  for (int i = 0; i < model->n_layers; i++)
    {
      CnnLayerSpec *spec = &model->layers[i].spec;

      if ((unsigned) spec->type >= CNN_N_LAYER_TYPES)
        return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                              "Layer %d has an unknown type (%d)", i + 1, (int) spec->type);
      spec->name[CNN_NAME_MAX - 1] = '\0';
      if (spec->name[0] != '\0')
        continue;
      /* Like Keras's backend.unique_object_name: only auto-named layers count. */
      int number = counters[spec->type]++;
      if (number == 0)
        snprintf (spec->name, sizeof spec->name, "%s", cnn_layer_type_base_name (spec->type));
      else
        snprintf (spec->name, sizeof spec->name, "%s_%d",
                  cnn_layer_type_base_name (spec->type), number);
    }
  for (int i = 0; i < model->n_layers; i++)
    for (int j = 0; j < i; j++)
      if (strcmp (model->layers[i].spec.name, model->layers[j].spec.name) == 0)
        return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                              "All layers of a model need unique names: '%s' is the name of "
                              "layers %d and %d", model->layers[i].spec.name, j + 1, i + 1);
  return CNN_OK;
}

static void
add_weight (CnnModel *model, int layer, const char *suffix, int rank, const int shape[4],
            int trainable)
{
  CnnWeight *weight = &model->weights[model->n_weights++];

  snprintf (weight->name, sizeof weight->name, "%s/%s", model->layers[layer].spec.name,
            suffix);
  weight->layer = layer;
  weight->rank = rank;
  weight->size = 1;
  for (int i = 0; i < rank; i++)
    {
      weight->shape[i] = shape[i];
      weight->size *= (size_t) shape[i];
    }
  weight->trainable = trainable;
}

/* Lists every weight in Keras's order; with `count_only` just counts them. */
static int
list_weights (CnnModel *model, int count_only)
{
  int count = 0;

  for (int i = 0; i < model->n_layers; i++)
    {
      CnnLayer *layer = &model->layers[i];
      int c = layer->out.c;
      int kernel_shape[4] = { layer->window_h, layer->window_w, layer->in.c, c };
      int dense_shape[4] = { layer->in.c, c };
      int vector_shape[4] = { c };

      layer->first_weight = count;
      switch (layer->spec.type)
        {
        case CNN_LAYER_CONV2D:
        case CNN_LAYER_DENSE:
          layer->n_weights = layer->spec.use_bias ? 2 : 1;
          if (count_only)
            break;
          if (layer->spec.type == CNN_LAYER_CONV2D)
            add_weight (model, i, "kernel", 4, kernel_shape, 1);
          else
            add_weight (model, i, "kernel", 2, dense_shape, 1);
          if (layer->spec.use_bias)
            add_weight (model, i, "bias", 1, vector_shape, 1);
          break;
        case CNN_LAYER_BATCH_NORMALIZATION:
          layer->n_weights = 4;
          if (count_only)
            break;
          add_weight (model, i, "gamma", 1, vector_shape, 1);
          add_weight (model, i, "beta", 1, vector_shape, 1);
          add_weight (model, i, "moving_mean", 1, vector_shape, 0);
          add_weight (model, i, "moving_variance", 1, vector_shape, 0);
          break;
        default:
          layer->n_weights = 0;
          break;
        }
      count += layer->n_weights;
    }
  return count;
}

/* Points every weight and layer field into the arenas: trainable weights first. */
static void
place_weights (CnnModel *model, float *norm_statistics)
{
  size_t trainable_offset = 0, frozen_offset = model->n_trainable;

  for (int w = 0; w < model->n_weights; w++)
    {
      CnnWeight *weight = &model->weights[w];
      if (weight->trainable)
        {
          weight->data = model->params + trainable_offset;
          weight->grad = model->grads + trainable_offset;
          trainable_offset += weight->size;
        }
      else
        {
          weight->data = model->params + frozen_offset;
          weight->grad = NULL;
          frozen_offset += weight->size;
        }
    }
  for (int i = 0; i < model->n_layers; i++)
    {
      CnnLayer *layer = &model->layers[i];
      CnnWeight *first = &model->weights[layer->first_weight];

      if (layer->spec.type == CNN_LAYER_BATCH_NORMALIZATION)
        {
          layer->gamma = first[0].data;
          layer->gamma_grad = first[0].grad;
          layer->beta = first[1].data;
          layer->beta_grad = first[1].grad;
          layer->moving_mean = first[2].data;
          layer->moving_variance = first[3].data;
          layer->norm_mean = norm_statistics;
          layer->norm_inv_std = norm_statistics + layer->out.c;
          layer->norm_scale = norm_statistics + 2 * (size_t) layer->out.c;
          layer->norm_shift = norm_statistics + 3 * (size_t) layer->out.c;
          norm_statistics += 4 * (size_t) layer->out.c;
        }
      else if (layer->n_weights > 0)
        {
          layer->kernel = first[0].data;
          layer->kernel_grad = first[0].grad;
          layer->bias = layer->n_weights > 1 ? first[1].data : NULL;
          layer->bias_grad = layer->n_weights > 1 ? first[1].grad : NULL;
        }
    }
}

/* glorot_uniform kernels, zero biases, BatchNormalization gamma 1 / beta 0 / moving
 * mean 0 / moving variance 1, drawn in model.weights order from one generator. */
static void
initialise_weights (CnnModel *model)
{
  CnnRng rng;

  cnn_rng_seed (&rng, model->seed);
  for (int w = 0; w < model->n_weights; w++)
    {
      CnnWeight *weight = &model->weights[w];
      const char *suffix = strrchr (weight->name, '/') + 1;
      float fill = strcmp (suffix, "gamma") == 0 || strcmp (suffix, "moving_variance") == 0;

      if (strcmp (suffix, "kernel") != 0)
        {
          for (size_t i = 0; i < weight->size; i++)
            weight->data[i] = fill;
          continue;
        }
      double receptive = weight->rank == 4 ? (double) weight->shape[0] * weight->shape[1] : 1;
      double fan_in = receptive * weight->shape[weight->rank - 2];
      double fan_out = receptive * weight->shape[weight->rank - 1];
      double limit = sqrt (6.0 / (fan_in + fan_out));
      for (size_t i = 0; i < weight->size; i++)
        weight->data[i] = (float) ((2.0 * cnn_rng_uniform (&rng) - 1.0) * limit);
    }
}

static CnnStatus
resolve_shapes (CnnModel *model, CnnError *error)
{
  CnnShape shape = model->input;
  int64_t total_params = 0;
  CnnStatus status;

  for (int i = 0; i < model->n_layers; i++)
    {
      CnnLayer *layer = &model->layers[i];
      if ((status = cnn_layer_resolve (layer, i, &shape, error)) != CNN_OK)
        return status;
      shape = layer->out;
      total_params += layer->params;
      if (total_params > CNN_MAX_PARAMS)
        return cnn_error_set (error, CNN_ERROR_SHAPE,
                              "The model has more than 2,147,483,648 parameters by layer %s; "
                              "it is too large to train here", layer->spec.name);
    }
  return CNN_OK;
}

static CnnStatus
allocate_weights (CnnModel *model, CnnError *error)
{
  size_t norm_floats = 0;

  model->n_weights = list_weights (model, 1);
  model->weights = calloc ((size_t) model->n_weights + 1, sizeof *model->weights);
  if (!model->weights)
    return cnn_error_set (error, CNN_ERROR_NO_MEMORY, "Not enough memory to build the model");
  model->n_weights = 0;
  list_weights (model, 0);
  for (int w = 0; w < model->n_weights; w++)
    {
      model->n_params += model->weights[w].size;
      if (model->weights[w].trainable)
        model->n_trainable += model->weights[w].size;
    }
  for (int i = 0; i < model->n_layers; i++)
    if (model->layers[i].spec.type == CNN_LAYER_BATCH_NORMALIZATION)
      norm_floats += 4 * (size_t) model->layers[i].out.c;
  model->params = malloc ((model->n_params + norm_floats + 1) * sizeof (float));
  model->grads = calloc (model->n_trainable + 1, sizeof (float));
  if (!model->params || !model->grads)
    return cnn_error_set (error, CNN_ERROR_NO_MEMORY,
                          "Not enough memory for the model's %zu parameters", model->n_params);
  /* The BatchNormalization statistics of the last pass live after the parameters. */
  place_weights (model, model->params + model->n_params);
  initialise_weights (model);
  return CNN_OK;
}

CnnModel *
cnn_model_new (int height, int width, int channels, const CnnLayerSpec *layers, int n_layers,
               uint64_t seed, CnnError *error)
{
  CnnModel *model;

  if (height <= 0 || width <= 0 || channels <= 0)
    {
      cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                     "The input shape (%d, %d, %d) must have positive sizes",
                     height, width, channels);
      return NULL;
    }
  if (!layers || n_layers <= 0)
    {
      cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT, "A model needs at least one layer");
      return NULL;
    }
  if ((double) height * width * channels > (double) CNN_MAX_SAMPLE_FLOATS)
    {
      cnn_error_set (error, CNN_ERROR_SHAPE, "The input shape (%d, %d, %d) is too large",
                     height, width, channels);
      return NULL;
    }
  model = calloc (1, sizeof *model);
  if (!model || !(model->layers = calloc ((size_t) n_layers, sizeof *model->layers)))
    {
      free (model);
      cnn_error_set (error, CNN_ERROR_NO_MEMORY, "Not enough memory to build the model");
      return NULL;
    }
  model->input = (CnnShape) { 3, height, width, channels };
  model->input_size = (size_t) height * width * channels;
  model->n_layers = n_layers;
  model->seed = seed;
  model->small_k_gemm = cnn_gemm_small_k_available ();
  model->fused_update_min_floats = CNN_FUSED_UPDATE_MIN_FLOATS;
  for (int i = 0; i < n_layers; i++)
    model->layers[i].spec = layers[i];
  if (name_layers (model, error) != CNN_OK || resolve_shapes (model, error) != CNN_OK
      || allocate_weights (model, error) != CNN_OK
      || cnn_model_set_threads (model, 0, error) != CNN_OK)
    {
      cnn_model_free (model);
      return NULL;
    }
  return model;
}

void
cnn_model_free (CnnModel *model)
{
  if (!model)
    return;
  cnn_model_free_threads (model);
  free (model->batch_block);
  free (model->params);
  free (model->grads);
  free (model->weights);
  free (model->layers);
  free (model);
}

/* ---------------------------------------------------------------- batch buffers */

/* Bytes rounded up to the buffer alignment; saturates instead of overflowing. */
static size_t
aligned_bytes (size_t count, size_t element_size)
{
  if (count > (SIZE_MAX / 4) / element_size)
    return SIZE_MAX / 4;
  size_t bytes = count * element_size;
  return (bytes + BUFFER_ALIGNMENT - 1) / BUFFER_ALIGNMENT * BUFFER_ALIGNMENT;
}

/* Walks every per-batch buffer for `capacity` samples: with a NULL `block` it only adds up
 * the bytes; otherwise it points the buffers into the block. */
static size_t
lay_out_batch_buffers (CnnModel *model, int capacity, char *block)
{
  size_t offset = 0, largest = model->input_size, columns_floats = 0, partial_floats = 0;
  size_t sums_channels = 0, winograd_floats = 0;
  const size_t n_slices = (size_t) model->n_slices;
#define PLACE(field, count, type)                                   \
  do {                                                               \
    if (block)                                                       \
      field = (type *) (void *) (block + offset);                    \
    offset += aligned_bytes ((count), sizeof (type));                \
  } while (0)

  for (int i = 0; i < model->n_layers; i++)
    {
      CnnLayer *layer = &model->layers[i];
      size_t per_sample = cnn_layer_columns_per_sample (layer);
      largest = layer->out_size > largest ? layer->out_size : largest;
      if (per_sample > 0)
        {
          size_t chunk = CNN_COLUMN_CHUNK_FLOATS / per_sample;
          chunk = chunk < 1 ? 1 : chunk > (size_t) capacity ? (size_t) capacity : chunk;
          columns_floats = chunk * per_sample > columns_floats ? chunk * per_sample
                                                               : columns_floats;
          size_t kernel_floats = (size_t) layer->params + 1;
          partial_floats = kernel_floats > partial_floats ? kernel_floats : partial_floats;
        }
      if (cnn_conv_winograd_fits (layer))
        {
          size_t transformed = 36 * (size_t) layer->in.c * layer->out.c;
          size_t turned = 9 * (size_t) layer->in.c * layer->out.c; /* in the backward */
          size_t forward = cnn_winograd_scratch_floats (layer->in.c, layer->out.c);
          size_t backward = cnn_winograd_scratch_floats (layer->out.c, layer->in.c);
          if (transformed + turned > winograd_floats)
            winograd_floats = transformed + turned;
          if (transformed + layer->out.c > partial_floats)
            partial_floats = transformed + layer->out.c;
          columns_floats = forward > columns_floats ? forward : columns_floats;
          columns_floats = backward > columns_floats ? backward : columns_floats;
        }
      if (layer->spec.type == CNN_LAYER_BATCH_NORMALIZATION
          && (size_t) layer->out.c > sums_channels)
        sums_channels = (size_t) layer->out.c;
      PLACE (layer->output, (size_t) capacity * layer->out_size, float);
      if (layer->spec.type == CNN_LAYER_MAX_POOLING2D)
        PLACE (layer->argmax, (size_t) capacity * layer->out_size, int32_t);
      if (layer->spec.type == CNN_LAYER_DROPOUT)
        PLACE (layer->mask, (size_t) capacity * layer->in_size, uint8_t);
    }
  PLACE (model->input_copy, (size_t) capacity * model->input_size, float);
  PLACE (model->input_gradient, (size_t) capacity * model->input_size, float);
  PLACE (model->grad_front, (size_t) capacity * largest, float);
  PLACE (model->grad_back, (size_t) capacity * largest, float);
  /* Each slice gets whole cache lines of its own, so that threads never share one. */
  columns_floats = (columns_floats + 15) / 16 * 16;
  partial_floats = (partial_floats + 15) / 16 * 16;
  sums_channels = (sums_channels + 7) / 8 * 8;
  PLACE (model->columns, n_slices * columns_floats, float);
  PLACE (model->slice_partials, n_slices * partial_floats, float);
  PLACE (model->winograd_kernel, winograd_floats, float);
  PLACE (model->slice_sums, n_slices * 2 * sums_channels, double);
  PLACE (model->logits, (size_t) capacity * model->layers[model->n_layers - 1].out_size, float);
#undef PLACE
  if (block)
    {
      model->columns_floats = columns_floats;
      model->partial_floats = partial_floats;
      model->sums_channels = (int) sums_channels;
    }
  return offset;
}

static size_t
largest_sample_floats (const CnnModel *model)
{
  size_t largest = model->input_size;

  for (int i = 0; i < model->n_layers; i++)
    largest = model->layers[i].out_size > largest ? model->layers[i].out_size : largest;
  return largest;
}

static CnnStatus
ensure_capacity (CnnModel *model, int batch, CnnError *error)
{
  if (batch <= model->capacity)
    return CNN_OK;
  /* BLAS takes int sizes: keep every (batch, sample) buffer below 2^31 floats. */
  if ((double) batch * (double) largest_sample_floats (model) > (double) INT_MAX)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "A batch of %d samples is too large for this model; use a "
                          "smaller batch size", batch);
  size_t bytes = lay_out_batch_buffers (model, batch, NULL);
  char *block = aligned_alloc (BUFFER_ALIGNMENT, bytes);
  if (!block)
    return cnn_error_set (error, CNN_ERROR_NO_MEMORY,
                          "Not enough memory for a batch of %d samples (%.0f MiB)", batch,
                          (double) bytes / (1024.0 * 1024.0));
  free (model->batch_block);
  model->batch_block = block;
  model->capacity = batch;
  model->last_batch = 0; /* the buffers of the last pass are gone */
  lay_out_batch_buffers (model, batch, block);
  return CNN_OK;
}

/* ---------------------------------------------------------------- passes */

CnnStatus
cnn_model_forward (CnnModel *model, const float *x, int batch, int training,
                   const float **output, CnnError *error)
{
  CnnStatus status;

  if (!model || !x || batch <= 0)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "A forward pass needs a model, input data and a positive batch "
                          "size (got %d)", batch);
  if ((status = ensure_capacity (model, batch, error)) != CNN_OK)
    return status;
  /* Kept so that the backward pass does not depend on the caller's buffer. */
  memcpy (model->input_copy, x, (size_t) batch * model->input_size * sizeof (float));
  const float *in = model->input_copy;
  model->sums_ready_layer = -1;
  model->pooled_ahead_layer = -1;
  for (int i = 0; i < model->n_layers; i++)
    {
      double began = model->profiling ? cnn_profile_now () : 0.0;
      cnn_layer_forward (model, i, in, batch, training);
      if (model->profiling)
        model->layers[i].forward_seconds += cnn_profile_now () - began;
      in = model->layers[i].result;
    }
  model->last_batch = batch;
  model->last_training = training != 0;
  if (training)
    model->last_step = model->step++;
  if (output)
    *output = in;
  return CNN_OK;
}

CnnStatus
cnn_model_backward (CnnModel *model, float *dlast, int dlast_is_preactivation,
                    CnnError *error)
{
  float *dout = dlast;

  if (model->last_batch <= 0)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "Back-propagation needs a forward pass first");
  model->preactivation_layer = -1;
  model->deferred_pool_layer = -1;
  model->gradient_in_dout = 0;
  for (int i = 0; i < model->n_layers; i++)
    model->layers[i].kernel_updated = 0;
  for (int i = model->n_layers - 1; i >= 0; i--)
    {
      const float *in = i > 0 ? model->layers[i - 1].result : model->input_copy;
      float *din = dout == model->grad_front ? model->grad_back : model->grad_front;

      if (i == 0)
        din = model->compute_input_gradient ? model->input_gradient : NULL;
      double began = model->profiling ? cnn_profile_now () : 0.0;
      cnn_layer_backward (model, i, in, dout, din, model->last_batch,
                          i == model->n_layers - 1 && dlast_is_preactivation);
      if (model->profiling)
        model->layers[i].backward_seconds += cnn_profile_now () - began;
      if (model->gradient_in_dout)
        {
          model->gradient_in_dout = 0;
          din = dout; /* the layer wrote its input gradient over its dout */
        }
      dout = din;
    }
  return CNN_OK;
}

/* ---------------------------------------------------------------- accessors */

void
cnn_model_fuse_optimizer (CnnModel *model, CnnOptimizer *optimizer)
{
  model->fused_optimizer = optimizer;
}

void
cnn_model_input_shape (const CnnModel *model, int *height, int *width, int *channels)
{
  if (height)
    *height = model->input.h;
  if (width)
    *width = model->input.w;
  if (channels)
    *channels = model->input.c;
}

int
cnn_model_n_layers (const CnnModel *model)
{
  return model ? model->n_layers : 0;
}

const CnnLayerSpec *
cnn_model_layer_spec (const CnnModel *model, int index)
{
  if (!model || index < 0 || index >= model->n_layers)
    return NULL;
  return &model->layers[index].spec;
}

int
cnn_model_n_outputs (const CnnModel *model)
{
  if (!model)
    return 0;
  return (int) model->layers[model->n_layers - 1].out_size;
}

void
cnn_model_layer_info (const CnnModel *model, int index, CnnLayerInfo *info)
{
  memset (info, 0, sizeof *info);
  if (!model || index < 0 || index >= model->n_layers)
    return;
  const CnnLayer *layer = &model->layers[index];
  memcpy (info->name, layer->spec.name, sizeof info->name);
  info->type = layer->spec.type;
  info->output_rank = layer->out.rank;
  if (layer->out.rank == 3)
    {
      info->output_shape[0] = layer->out.h;
      info->output_shape[1] = layer->out.w;
      info->output_shape[2] = layer->out.c;
    }
  else
    info->output_shape[0] = layer->out.c;
  info->params = layer->params;
  info->trainable_params = layer->trainable_params;
  info->macs = layer->macs;
}

int64_t
cnn_model_total_params (const CnnModel *model)
{
  return (int64_t) model->n_params;
}

int64_t
cnn_model_trainable_params (const CnnModel *model)
{
  return (int64_t) model->n_trainable;
}

int64_t
cnn_model_total_macs (const CnnModel *model)
{
  int64_t total = 0;

  for (int i = 0; i < model->n_layers; i++)
    total += model->layers[i].macs;
  return total;
}

int
cnn_model_n_weights (const CnnModel *model)
{
  return model ? model->n_weights : 0;
}

const CnnWeight *
cnn_model_weight (const CnnModel *model, int index)
{
  if (!model || index < 0 || index >= model->n_weights)
    return NULL;
  return &model->weights[index];
}

const CnnWeight *
cnn_model_find_weight (const CnnModel *model, const char *name)
{
  if (!model || !name)
    return NULL;
  for (int w = 0; w < model->n_weights; w++)
    if (strcmp (model->weights[w].name, name) == 0)
      return &model->weights[w];
  return NULL;
}

float *
cnn_model_trainable_arena (CnnModel *model, size_t *count)
{
  if (count)
    *count = model->n_trainable;
  return model->params;
}

float *
cnn_model_gradient_arena (CnnModel *model, size_t *count)
{
  if (count)
    *count = model->n_trainable;
  return model->grads;
}

uint64_t
cnn_model_get_step (const CnnModel *model)
{
  return model->step;
}

void
cnn_model_set_step (CnnModel *model, uint64_t step)
{
  model->step = step;
}

uint64_t
cnn_model_get_seed (const CnnModel *model)
{
  return model->seed;
}
