/* cnn-training-private.h — internals shared by the engine's training files and their tests. */
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Not part of the public API (cnn.h): the callbacks' per-epoch decisions, exposed so the
// tests can drive them with scripted metric sequences, and small helpers of the fit loop.

#pragma once

#include <stddef.h>

#include "cnn.h"

/* Where callback lines go: fit forwards them to CnnFitCallbacks.on_message. */
typedef struct {
  void (*emit) (void *user_data, const char *message);
  void *user_data;
  int warn_missing_monitor; /* 0 after the first unknown-monitor warning of a fit call */
} CnnMessageSink;

/* Writes `value` as Python's repr() of a float writes it (shortest round-trip digits,
 * exponent form below 1e-4 and from 1e16: "0.0005000000237487257", "1e-05", "10.0"). */
void cnn_format_python_float (double value, char *buffer, size_t size);

/* "loss,accuracy,val_loss,val_accuracy,lr" — the names cnn_epoch_logs_get knows for `logs`,
 * in the order Keras lists them. */
void cnn_epoch_logs_names (const CnnEpochLogs *logs, char *buffer, size_t size);

/* 1 when the monitor should rise ("max"), 0 when it should fall, as Keras's mode "auto"
 * decides for each callback (they differ: EarlyStopping looks at the name's ending,
 * ReduceLROnPlateau at "acc" anywhere in it). */
int cnn_early_stopping_maximizes (const CnnEarlyStopping *early_stopping);
int cnn_reduce_lr_maximizes (const CnnReduceLROnPlateau *reduce_lr);

/* EarlyStopping.on_epoch_end for the epoch in `logs`. Sets *stop when training should end.
 * With restore_best_weights it copies every weight of `model` (trainable and not) at each
 * improvement and writes the best copy back only when it stops; `model` may be NULL when
 * restore_best_weights is 0. Fails only when the copy cannot be allocated. */
CnnStatus cnn_early_stopping_epoch_end (CnnEarlyStopping *early_stopping,
                                        const CnnEpochLogs *logs, CnnModel *model,
                                        CnnMessageSink *sink, int *stop, CnnError *error);

/* ReduceLROnPlateau.on_epoch_end: may lower `optimizer`'s learning rate (and says so). */
void cnn_reduce_lr_epoch_end (CnnReduceLROnPlateau *reduce_lr, const CnnEpochLogs *logs,
                              CnnOptimizer *optimizer, CnnMessageSink *sink);

/* The update of cnn_optimizer_step for parameters [first, end) only, without counting a
 * step: disjoint ranges may run on different threads. */
void cnn_optimizer_update_range (CnnOptimizer *optimizer, float *params, const float *grads,
                                 size_t first, size_t end);
/* cnn_optimizer_step on the model's threads: the same numbers, the arena cut in slices,
 * leaving out the kernels the backward already updated (CnnLayer.kernel_updated). */
void cnn_model_optimizer_step (CnnModel *model, CnnOptimizer *optimizer);

/* Lets the backward passes of large Dense layers apply `optimizer` to their kernels
 * (NULL: none do); see CnnModel.fused_optimizer. */
void cnn_model_fuse_optimizer (CnnModel *model, CnnOptimizer *optimizer);

/* Number of parameters the optimizer was made for. */
size_t cnn_optimizer_n_params (const CnnOptimizer *optimizer);

/* Total floats of all the model's weights (the whole parameter arena). */
size_t cnn_model_parameter_count (const CnnModel *model);
/* Copies every weight of the model, in model.weights order, to/from `buffer`
 * (cnn_model_parameter_count floats). */
void   cnn_model_copy_parameters_out (const CnnModel *model, float *buffer);
void   cnn_model_copy_parameters_in (CnnModel *model, const float *buffer);
