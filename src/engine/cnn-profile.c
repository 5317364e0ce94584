/* cnn-profile.c — per-layer timing of the forward and backward passes. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include <time.h>

#include "cnn-private.h"

double
cnn_profile_now (void)
{
  struct timespec now;

  clock_gettime (CLOCK_MONOTONIC, &now);
  return (double) now.tv_sec + 1e-9 * (double) now.tv_nsec;
}

void
cnn_model_set_profiling (CnnModel *model, int enabled)
{
  if (model == NULL)
    return;
  model->profiling = enabled != 0;
  for (int i = 0; enabled && i < model->n_layers; i++)
    {
      model->layers[i].forward_seconds = 0.0;
      model->layers[i].backward_seconds = 0.0;
    }
}

void
cnn_model_layer_time (const CnnModel *model, int index, double *forward_seconds,
                      double *backward_seconds)
{
  int known = model != NULL && index >= 0 && index < model->n_layers;

  if (forward_seconds)
    *forward_seconds = known ? model->layers[index].forward_seconds : 0.0;
  if (backward_seconds)
    *backward_seconds = known ? model->layers[index].backward_seconds : 0.0;
}
