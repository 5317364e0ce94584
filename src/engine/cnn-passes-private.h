/* cnn-passes-private.h — what the layer passes of several engine sources share. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include "cnn-private.h"

/* What a slice task needs: the layer and the pass's arrays. */
typedef struct {
  CnnModel *model;
  int index;
  const float *in;           /* (batch, in_size) */
  float *dout;               /* (batch, out_size) */
  float *din;                /* (batch, in_size) or NULL */
  int batch;
  int training;
  int dout_is_preactivation;
} PassTask;

/* cnn-dense-passes.c: the Dense backward of task->index (kernel, bias and input gradients),
 * also updating the kernel when model->fused_optimizer is set and the kernel is large. */
void cnn_dense_backward (PassTask *task);
