/* studio-batches.c — batches for the engine from a dataset: shuffled, augmented, prefetched. */
// SPDX-License-Identifier: GPL-3.0-or-later
//
// One worker thread prepares the next batch into a staging buffer while the engine trains
// on the current one; the engine's next_batch copies it out and queues the one after.

#include "config.h"

#include <string.h>

#include "studio-batches.h"

struct _StudioBatches {
  CnnBatchSource source;
  StudioDataset *dataset;
  StudioSplit split;
  gsize *indices;             /* (n) dataset indices of the samples */
  gsize *order;               /* (n) this epoch's order, as positions into indices */
  gsize n;
  gboolean shuffle;
  StudioAugmentSettings settings;
  gboolean augment;           /* draw a transform per sample */
  guint64 seed;
  int height, width, channels;
  gsize sample_size;          /* h·w·c */

  int epoch;
  gsize position;             /* the next position the engine takes */
  int batch_size;             /* the size last asked for, to prefetch the next one */

  GThread *worker;
  GMutex mutex;
  GCond cond;
  gboolean quit;
  gboolean job_queued;        /* the worker should fill the staging buffer */
  gboolean job_done;
  int job_epoch;
  gsize job_start;
  gsize job_count;
  float *staging_x;           /* (staging_capacity, h, w, c) */
  gint32 *staging_labels;     /* (staging_capacity) */
  gsize staging_capacity;
};

/* Each epoch's order and each sample's transform come from generators keyed by
 * (seed, epoch, position), so they do not depend on threads or on where a run resumed. */
static GRand *
keyed_rand (guint64 seed,
            int     epoch,
            guint32 purpose,
            gsize   position)
{
  guint32 key[5] = {
    (guint32) seed, (guint32) (seed >> 32), (guint32) epoch, purpose, (guint32) position,
  };

  return g_rand_new_with_seed_array (key, G_N_ELEMENTS (key));
}

enum { PURPOSE_ORDER = 1, PURPOSE_AUGMENT = 2 };

static void
fill_sample (StudioBatches *self,
             int            epoch,
             gsize          position,
             float         *x,
             gint32        *label)
{
  gsize sample = self->indices[self->order[position]];
  const guint8 *pixels = studio_dataset_get_pixels (self->dataset, self->split, sample);

  *label = studio_dataset_get_label (self->dataset, self->split, sample);

  if (self->augment)
    {
      g_autoptr (GRand) rand = keyed_rand (self->seed, epoch, PURPOSE_AUGMENT, position);
      StudioTransform transform;

      studio_augment_draw (&self->settings, self->height, self->width, rand, &transform);
      studio_augment_apply (&self->settings, &transform, pixels, self->height, self->width,
                            self->channels, x);
    }
  else
    {
      float scale = self->settings.rescale != 0 ? self->settings.rescale : 1.0f;

      for (gsize k = 0; k < self->sample_size; k++)
        x[k] = pixels[k] * scale;
    }
}

static gpointer
worker_main (gpointer data)
{
  StudioBatches *self = data;

  g_mutex_lock (&self->mutex);
  for (;;)
    {
      int epoch;
      gsize start, count;

      while (!self->quit && !(self->job_queued && !self->job_done))
        g_cond_wait (&self->cond, &self->mutex);
      if (self->quit)
        break;

      epoch = self->job_epoch;
      start = self->job_start;
      count = self->job_count;
      g_mutex_unlock (&self->mutex);

      /* The staging buffer is the worker's until job_done is set. */
      for (gsize k = 0; k < count; k++)
        fill_sample (self, epoch, start + k, self->staging_x + k * self->sample_size,
                     self->staging_labels + k);

      g_mutex_lock (&self->mutex);
      self->job_done = TRUE;
      g_cond_broadcast (&self->cond);
    }
  g_mutex_unlock (&self->mutex);
  return NULL;
}

/* Called with the mutex held. */
static void
wait_for_job (StudioBatches *self)
{
  while (self->job_queued && !self->job_done)
    g_cond_wait (&self->cond, &self->mutex);
}

/* Called with the mutex held and no job in flight. FALSE when the staging batch cannot be
 * allocated: the caller reports it, the process lives on. */
static gboolean
queue_job (StudioBatches *self,
           gsize          start,
           gsize          count)
{
  if (count > self->staging_capacity)
    {
      g_clear_pointer (&self->staging_x, g_free);
      g_clear_pointer (&self->staging_labels, g_free);
      self->staging_capacity = 0;
      self->staging_x = g_try_new (float, count * self->sample_size);
      self->staging_labels = g_try_new (gint32, count);
      if (self->staging_x == NULL || self->staging_labels == NULL)
        {
          g_clear_pointer (&self->staging_x, g_free);
          g_clear_pointer (&self->staging_labels, g_free);
          return FALSE;
        }
      self->staging_capacity = count;
    }
  self->job_epoch = self->epoch;
  self->job_start = start;
  self->job_count = count;
  self->job_queued = TRUE;
  self->job_done = FALSE;
  g_cond_broadcast (&self->cond);
  return TRUE;
}

static CnnStatus
begin_epoch (void     *user_data,
             int       epoch,
             CnnError *error)
{
  StudioBatches *self = user_data;

  g_mutex_lock (&self->mutex);
  wait_for_job (self);
  self->job_queued = FALSE;
  self->epoch = epoch;
  self->position = 0;

  for (gsize k = 0; k < self->n; k++)
    self->order[k] = k;
  if (self->shuffle && self->n > 1)
    {
      g_autoptr (GRand) rand = keyed_rand (self->seed, epoch, PURPOSE_ORDER, 0);

      for (gsize k = self->n - 1; k > 0; k--)
        {
          gsize j = (gsize) g_rand_double_range (rand, 0, (double) (k + 1));
          gsize swap = self->order[k];

          j = MIN (j, k);
          self->order[k] = self->order[j];
          self->order[j] = swap;
        }
    }

  /* Prefetch the first batch; if it cannot be had, next_batch says so. */
  if (self->batch_size > 0 && self->n > 0)
    queue_job (self, 0, MIN ((gsize) self->batch_size, self->n));
  g_mutex_unlock (&self->mutex);
  return CNN_OK;
}

static CnnStatus
next_batch (void     *user_data,
            float    *x,
            int32_t  *labels,
            int       max_batch,
            int      *n_filled,
            CnnError *error)
{
  StudioBatches *self = user_data;
  gsize count;

  g_mutex_lock (&self->mutex);
  self->batch_size = max_batch;
  if (self->position >= self->n || max_batch <= 0)
    {
      *n_filled = 0;
      g_mutex_unlock (&self->mutex);
      return CNN_OK;
    }

  count = MIN ((gsize) max_batch, self->n - self->position);
  wait_for_job (self);
  if ((!self->job_queued || self->job_epoch != self->epoch
       || self->job_start != self->position || self->job_count != count)
      && !queue_job (self, self->position, count))
    {
      g_mutex_unlock (&self->mutex);
      return cnn_error_set (error, CNN_ERROR_NO_MEMORY,
                            "Not enough memory for a batch of %zu images.", count);
    }
  wait_for_job (self);

  memcpy (x, self->staging_x, count * self->sample_size * sizeof (float));
  memcpy (labels, self->staging_labels, count * sizeof (gint32));
  self->job_queued = FALSE;
  self->position += count;
  *n_filled = (int) count;

  if (self->position < self->n)
    queue_job (self, self->position, MIN ((gsize) max_batch, self->n - self->position));
  g_mutex_unlock (&self->mutex);
  return CNN_OK;
}

StudioBatches *
studio_batches_new (StudioDataset               *dataset,
                    StudioSplit                  split,
                    const guint32               *indices,
                    gsize                        n_indices,
                    gboolean                     shuffle,
                    const StudioAugmentSettings *settings,
                    guint64                      seed)
{
  StudioBatches *self;

  g_return_val_if_fail (STUDIO_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (split < STUDIO_N_SPLITS, NULL);

  self = g_new0 (StudioBatches, 1);
  self->dataset = g_object_ref (dataset);
  self->split = split;
  self->n = indices != NULL ? n_indices : studio_dataset_get_n_samples (dataset, split);
  self->indices = g_new (gsize, MAX (self->n, 1));
  self->order = g_new (gsize, MAX (self->n, 1));
  for (gsize k = 0; k < self->n; k++)
    self->indices[k] = indices != NULL ? indices[k] : k;
  self->shuffle = shuffle;
  if (settings != NULL)
    self->settings = *settings;
  else
    studio_augment_settings_init (&self->settings);
  self->augment = settings != NULL && !studio_augment_settings_is_identity (settings);
  self->seed = seed;
  self->height = studio_dataset_get_height (dataset);
  self->width = studio_dataset_get_width (dataset);
  self->channels = studio_dataset_get_channels (dataset);
  self->sample_size = (gsize) self->height * self->width * self->channels;
  self->epoch = -1;

  self->source.user_data = self;
  self->source.n_samples = (int64_t) self->n;
  self->source.begin_epoch = begin_epoch;
  self->source.next_batch = next_batch;

  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->worker = g_thread_new ("convstudio-batches", worker_main, self);

  /* Without an explicit begin_epoch (predict) the order is the input order. */
  for (gsize k = 0; k < self->n; k++)
    self->order[k] = k;
  self->epoch = 0;
  return self;
}

void
studio_batches_free (StudioBatches *self)
{
  if (self == NULL)
    return;

  g_mutex_lock (&self->mutex);
  self->quit = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
  g_thread_join (self->worker);

  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self->staging_x);
  g_free (self->staging_labels);
  g_free (self->indices);
  g_free (self->order);
  g_object_unref (self->dataset);
  g_free (self);
}

CnnBatchSource *
studio_batches_get_source (StudioBatches *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->source;
}

gsize
studio_batches_get_n_samples (StudioBatches *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n;
}

gsize
studio_batches_get_sample_index (StudioBatches *self,
                                 gsize          position)
{
  g_return_val_if_fail (self != NULL && position < self->n, 0);
  return self->indices[self->order[position]];
}
