/* cnn-source.c — a batch source over arrays in memory, and Keras's validation_split index. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cnn.h"

/* Each epoch's order depends on (seed, epoch) only, never on the orders before it, so a run
 * resumed at epoch e shuffles exactly as the uninterrupted run did. */
static uint64_t
epoch_seed (uint64_t seed, int epoch)
{
  uint64_t mixed = seed ^ (0x9E3779B97F4A7C15ull * ((uint64_t) (uint32_t) epoch + 1u));
  mixed ^= mixed >> 31;
  mixed *= 0xBF58476D1CE4E5B9ull;
  mixed ^= mixed >> 27;
  return mixed;
}

static CnnStatus
array_source_begin_epoch (void *user_data, int epoch, CnnError *error)
{
  CnnArraySource *array = user_data;
  const int64_t count = array->source.n_samples;

  array->position = 0;
  if (!array->shuffle || count < 2)
    return CNN_OK;

  CnnRng rng;
  cnn_rng_seed (&rng, epoch_seed (array->seed, epoch));
  for (int64_t i = 0; i < count; i++)
    array->order[i] = i;
  /* Fisher–Yates, from the end, as numpy's permutation draws it. */
  for (int64_t i = count - 1; i > 0; i--)
    {
      int64_t j = (int64_t) cnn_rng_below (&rng, (uint32_t) (i + 1));
      int64_t swap = array->order[i];
      array->order[i] = array->order[j];
      array->order[j] = swap;
    }
  return CNN_OK;
}

static CnnStatus
array_source_next_batch (void *user_data, float *x, int32_t *labels, int max_batch,
                         int *n_filled, CnnError *error)
{
  CnnArraySource *array = user_data;
  const int64_t remaining = array->source.n_samples - array->position;
  const int n = remaining < (int64_t) max_batch ? (int) remaining : max_batch;

  for (int i = 0; i < n; i++)
    {
      int64_t row = array->position + i;
      if (array->shuffle)
        row = array->order[row];
      row += array->start;
      memcpy (x + (size_t) i * array->sample_size,
              array->x + (size_t) row * array->sample_size,
              array->sample_size * sizeof (float));
      if (labels != NULL)
        labels[i] = array->labels != NULL ? array->labels[row] : 0;
    }
  array->position += n;
  *n_filled = n;
  return CNN_OK;
}

CnnStatus
cnn_array_source_init (CnnArraySource *array, const float *x, const int32_t *labels,
                       size_t sample_size, int64_t start, int64_t count,
                       int shuffle, uint64_t seed, CnnError *error)
{
  if (array == NULL)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT, "No array source to set up.");
  memset (array, 0, sizeof *array);
  if (x == NULL || sample_size == 0)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "The array source needs images (x) of a non-zero size.");
  if (start < 0 || count < 0)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "Invalid rows [%lld, %lld + %lld) for the array source.",
                          (long long) start, (long long) start, (long long) count);
  if (shuffle && count > (int64_t) UINT32_MAX)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "Too many samples to shuffle (%lld).", (long long) count);

  array->x = x;
  array->labels = labels;
  array->sample_size = sample_size;
  array->start = start;
  array->shuffle = shuffle != 0;
  array->seed = seed;
  array->position = 0;
  if (array->shuffle)
    {
      array->order = malloc ((size_t) (count > 0 ? count : 1) * sizeof *array->order);
      if (array->order == NULL)
        return cnn_error_set (error, CNN_ERROR_NO_MEMORY,
                              "Out of memory for the shuffle order of %lld samples.",
                              (long long) count);
      for (int64_t i = 0; i < count; i++)
        array->order[i] = i;
    }
  array->source.user_data = array;
  array->source.n_samples = count;
  array->source.begin_epoch = array_source_begin_epoch;
  array->source.next_batch = array_source_next_batch;
  return CNN_OK;
}

void
cnn_array_source_clear (CnnArraySource *array)
{
  if (array == NULL)
    return;
  free (array->order);
  memset (array, 0, sizeof *array);
}

int64_t
cnn_validation_split_index (int64_t n, double validation_split)
{
  if (n <= 0)
    return 0;
  if (!(validation_split > 0.0))
    return n;
  if (validation_split >= 1.0)
    return 0;
  /* Keras: int(n * (1. - validation_split)), in double. */
  return (int64_t) floor ((double) n * (1.0 - validation_split));
}
