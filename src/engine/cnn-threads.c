/* cnn-threads.c — the engine's worker threads: a batch cut into fixed slices, run in parallel. */
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Why our own threads: OpenBLAS's threading is poor for the shapes a CNN makes (the first
// conv has K = 9 or 27; weight gradients have a huge K and a small M·N), often slower on 2
// threads than on 1. Cutting the batch in slices and giving each core its own
// single-threaded GEMM does better. OpenBLAS is therefore told to use one thread whenever
// the engine runs more than one, so the two never fight over the cores.
//
// Determinism: the work of a pass is cut into model->n_slices slices that depend on the
// thread count only through max(threads, 2), never on timing; each slice writes its own
// outputs or partial sums, and partial sums are combined in slice order. So 1 and 2
// threads give bit-identical results, and any given thread count repeats exactly.

#include <cblas.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "cnn-private.h"
#include "cnn-training-private.h"

/* How long a thread spins, polling, before it sleeps: a pass of the engine often lasts
 * only tens of microseconds, less than waking a sleeping thread takes; after this many
 * polls (some 20–50 µs) it sleeps, so that idle threads leave the cores to others. */
#define SPIN_POLLS 4000

struct CnnPool {
  pthread_mutex_t lock;
  pthread_cond_t wake;       /* sleeping workers wait here for a new generation */
  pthread_cond_t done;       /* the caller sleeps here until no worker is pending */
  pthread_t *workers;        /* (n_workers) */
  int n_workers;
  atomic_uint_fast64_t generation; /* one more for each run; workers start on a change */
  atomic_int quit;
  atomic_int sleepers;       /* workers asleep or about to sleep on `wake` (under lock) */
  atomic_int pending;        /* workers not yet done with this generation */
  atomic_int next_slice;
  int n_slices;              /* these three are written before the generation changes */
  CnnSliceTask task;
  void *data;
};

static inline void
spin_pause (void)
{
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause ();
#endif
}

/* Takes slices until none is left. */
static void
run_slices (CnnPool *pool)
{
  int slice;

  while ((slice = atomic_fetch_add (&pool->next_slice, 1)) < pool->n_slices)
    pool->task (pool->data, slice, pool->n_slices);
}

/* Waits until the generation differs from `seen` or the pool quits. */
static void
wait_for_generation (CnnPool *pool, uint64_t seen)
{
  for (int poll = 0; poll < SPIN_POLLS; poll++)
    {
      if (atomic_load (&pool->generation) != seen || atomic_load (&pool->quit))
        return;
      spin_pause ();
    }
  pthread_mutex_lock (&pool->lock);
  /* Counted before the check: the caller either sees a sleeper and broadcasts under the
   * lock, or this check sees its new generation (both are sequentially consistent). */
  atomic_fetch_add (&pool->sleepers, 1);
  while (atomic_load (&pool->generation) == seen && !atomic_load (&pool->quit))
    pthread_cond_wait (&pool->wake, &pool->lock);
  atomic_fetch_sub (&pool->sleepers, 1);
  pthread_mutex_unlock (&pool->lock);
}

static void *
worker_main (void *user_data)
{
  CnnPool *pool = user_data;
  uint64_t seen = 0;

  for (;;)
    {
      wait_for_generation (pool, seen);
      if (atomic_load (&pool->quit))
        break;
      seen = atomic_load (&pool->generation);
      run_slices (pool);
      if (atomic_fetch_sub (&pool->pending, 1) == 1)
        {
          /* Under the lock, so that a caller between its check and its wait hears it. */
          pthread_mutex_lock (&pool->lock);
          pthread_cond_signal (&pool->done);
          pthread_mutex_unlock (&pool->lock);
        }
    }
  return NULL;
}

static void
pool_free (CnnPool *pool)
{
  if (pool == NULL)
    return;
  pthread_mutex_lock (&pool->lock);
  atomic_store (&pool->quit, 1);
  pthread_cond_broadcast (&pool->wake);
  pthread_mutex_unlock (&pool->lock);
  for (int i = 0; i < pool->n_workers; i++)
    pthread_join (pool->workers[i], NULL);
  pthread_cond_destroy (&pool->wake);
  pthread_cond_destroy (&pool->done);
  pthread_mutex_destroy (&pool->lock);
  free (pool->workers);
  free (pool);
}

/* A pool of n_threads − 1 workers (the calling thread is the last one); NULL on failure. */
static CnnPool *
pool_new (int n_threads)
{
  CnnPool *pool = calloc (1, sizeof *pool);

  if (pool == NULL || (pool->workers = calloc ((size_t) n_threads, sizeof (pthread_t))) == NULL)
    {
      free (pool);
      return NULL;
    }
  pthread_mutex_init (&pool->lock, NULL);
  pthread_cond_init (&pool->wake, NULL);
  pthread_cond_init (&pool->done, NULL);
  atomic_init (&pool->generation, 0);
  atomic_init (&pool->quit, 0);
  atomic_init (&pool->sleepers, 0);
  atomic_init (&pool->pending, 0);
  atomic_init (&pool->next_slice, 0);
  for (int i = 0; i < n_threads - 1; i++)
    {
      if (pthread_create (&pool->workers[i], NULL, worker_main, pool) != 0)
        break;
      pool->n_workers++;
    }
  return pool;
}

void
cnn_model_run_slices (CnnModel *model, CnnSliceTask task, void *data)
{
  CnnPool *pool = model->pool;
  const int n_slices = model->n_slices;

  if (pool == NULL || pool->n_workers == 0)
    {
      for (int slice = 0; slice < n_slices; slice++)
        task (data, slice, n_slices);
      return;
    }
  pool->task = task;
  pool->data = data;
  pool->n_slices = n_slices;
  atomic_store (&pool->next_slice, 0);
  atomic_store (&pool->pending, pool->n_workers);
  atomic_fetch_add (&pool->generation, 1);
  if (atomic_load (&pool->sleepers) > 0)
    {
      pthread_mutex_lock (&pool->lock);
      pthread_cond_broadcast (&pool->wake);
      pthread_mutex_unlock (&pool->lock);
    }
  run_slices (pool);
  for (int poll = 0; poll < SPIN_POLLS && atomic_load (&pool->pending) > 0; poll++)
    spin_pause ();
  if (atomic_load (&pool->pending) > 0)
    {
      pthread_mutex_lock (&pool->lock);
      while (atomic_load (&pool->pending) > 0)
        pthread_cond_wait (&pool->done, &pool->lock);
      pthread_mutex_unlock (&pool->lock);
    }
}

void
cnn_slice_range (int count, int slice, int n_slices, int *first, int *end)
{
  *first = (int) ((int64_t) count * slice / n_slices);
  *end = (int) ((int64_t) count * (slice + 1) / n_slices);
}

int
cnn_default_threads (void)
{
  long online = sysconf (_SC_NPROCESSORS_ONLN);

  return online < 1 ? 1 : online > CNN_MAX_THREADS ? CNN_MAX_THREADS : (int) online;
}

void
cnn_model_free_threads (CnnModel *model)
{
  pool_free (model->pool);
  model->pool = NULL;
}

CnnStatus
cnn_model_set_threads (CnnModel *model, int n_threads, CnnError *error)
{
  if (model == NULL || n_threads < 0 || n_threads > CNN_MAX_THREADS)
    return cnn_error_set (error, CNN_ERROR_INVALID_ARGUMENT,
                          "The number of threads must be between 1 and %d (0 = one per CPU)",
                          CNN_MAX_THREADS);
  if (n_threads == 0)
    n_threads = cnn_default_threads ();
  if (n_threads == model->n_threads && (n_threads == 1 || model->pool != NULL))
    return CNN_OK;
  cnn_model_free_threads (model);
  if (n_threads > 1)
    {
      if ((model->pool = pool_new (n_threads)) == NULL)
        return cnn_error_set (error, CNN_ERROR_NO_MEMORY,
                              "Not enough memory to start %d threads", n_threads);
      /* Each of our threads runs its own GEMMs: OpenBLAS must not add threads of its own. */
      openblas_set_num_threads (1);
    }
  int n_slices = n_threads > 2 ? n_threads : 2;
  if (n_slices != model->n_slices)
    {
      /* The per-slice scratch in the batch block is sized for the slice count. */
      free (model->batch_block);
      model->batch_block = NULL;
      model->capacity = 0;
      model->last_batch = 0;
    }
  model->n_threads = n_threads;
  model->n_slices = n_slices;
  return CNN_OK;
}

int
cnn_model_get_threads (const CnnModel *model)
{
  return model != NULL ? model->n_threads : 0;
}

typedef struct {
  CnnOptimizer *optimizer;
  float *params;
  const float *grads;
  size_t base, count;        /* the part [base, base + count) of the arena */
} OptimizerTask;

static void
optimizer_slice (void *data, int slice, int n_slices)
{
  OptimizerTask *task = data;
  /* Cut at multiples of 16 floats so that no two threads share a cache line. */
  size_t lines = (task->count + 15) / 16;
  size_t first = lines * slice / n_slices * 16;
  size_t end = lines * (slice + 1) / n_slices * 16;

  end = end < task->count ? end : task->count;
  /* The slots are indexed like the arena: pass the whole arena and absolute offsets. */
  if (first < end)
    cnn_optimizer_update_range (task->optimizer, task->params, task->grads,
                                task->base + first, task->base + end);
}

/* Updates [first, end) of the trainable arena on the model's threads. */
static void
update_part (CnnModel *model, CnnOptimizer *optimizer, size_t first, size_t end)
{
  OptimizerTask task = { optimizer, model->params, model->grads, first, end - first };

  if (end > first)
    cnn_model_run_slices (model, optimizer_slice, &task);
}

void
cnn_model_optimizer_step (CnnModel *model, CnnOptimizer *optimizer)
{
  size_t done = 0;

  /* The updated kernels lie in the arena in layer order: update what lies between. The
   * update is elementwise, so where the arena is cut does not change any number. */
  for (int i = 0; i < model->n_layers; i++)
    {
      CnnLayer *layer = &model->layers[i];
      if (!layer->kernel_updated)
        continue;
      size_t first = (size_t) (layer->kernel_grad - model->grads);
      update_part (model, optimizer, done, first);
      done = first + (size_t) layer->in.c * layer->out.c;
      layer->kernel_updated = 0;
    }
  update_part (model, optimizer, done, model->n_trainable);
  cnn_optimizer_set_iterations (optimizer, cnn_optimizer_get_iterations (optimizer) + 1);
}
