/* studio-session-private.h — what the session's main-thread and worker halves share. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include "studio-session.h"

G_BEGIN_DECLS

/* Written by the worker under `lock`, drained by the main-loop source. */
typedef struct {
  gboolean dirty;
  int epoch;                  /* 0-based epoch being trained */
  int n_epochs;
  gint64 step;
  gint64 steps;
  double loss;
  double accuracy;
  double lr;
  double steps_per_second;
  double eta_seconds;
  int best_epoch;
  int stopped_epoch;
  GArray *batch_points;       /* StudioBatchPoint not yet delivered */
  GArray *epochs;             /* CnnEpochLogs not yet delivered */
  GPtrArray *messages;        /* char * not yet delivered */
  int n_layers;
  double *weight_norms;       /* (n_layers) */
  double *gradient_norms;     /* (n_layers) */
  gboolean has_norms;
  CnnModel *epoch_model;      /* a copy taken at the last epoch end, when asked for */
} StudioSessionSnapshot;

/* What one run needs on the worker thread: copies and borrowed session members the main
 * thread does not touch while the run goes on (model, optimizer, callback state). */
typedef struct {
  StudioSession *session;
  StudioTrainingConfig config;
  StudioDataset *dataset;
  CnnModel *model;
  CnnOptimizer *optimizer;
  CnnEarlyStopping *early_stopping;   /* NULL when off */
  CnnReduceLROnPlateau *reduce_lr;    /* NULL when off */
  int initial_epoch;
  int epochs;
  gboolean copy_at_epoch_end;         /* studio_session_set_epoch_copies() */
  GCancellable *cancellable;          /* the caller's, or NULL */
  gulong cancelled_id;
  /* worker-only */
  gsize n_train;
  gint64 epoch_start_time;
  gint64 last_norms_time;
  double previous_loss_sum;
  double previous_correct;
  CnnHistory history;
} StudioSessionRun;

struct _StudioSession
{
  GObject parent_instance;

  StudioDataset *dataset;
  StudioTrainingConfig config;
  CnnModel *model;
  CnnOptimizer *optimizer;
  gboolean has_callback_state;
  CnnEarlyStopping early_stopping;     /* state carried between runs */
  CnnReduceLROnPlateau reduce_lr;
  GArray *history;                     /* CnnEpochLogs */
  GArray *batch_points;                /* StudioBatchPoint */
  CnnStopReason stop_reason;

  /* main-thread view of the progress */
  StudioSessionState state;
  int epoch;
  int n_epochs;
  gint64 step;
  gint64 steps;
  double loss;
  double accuracy;
  double lr;
  double steps_per_second;
  double eta_seconds;
  int best_epoch;
  int stopped_epoch;
  int n_norm_layers;
  double *weight_norms;
  double *gradient_norms;
  gboolean epoch_copies;               /* the worker copies the model at each epoch end */
  CnnModel *epoch_model;               /* the newest such copy not taken yet */

  /* shared with the worker */
  GMutex lock;
  GCond resume_cond;
  gboolean pause_requested;
  gboolean stop_requested;
  StudioSessionSnapshot snapshot;

  GSource *progress_source;            /* the coalesced delivery, while a run goes on */
  StudioSessionRun *run;
};

/* studio-session.c */
void     studio_session_notify_model_changed   (StudioSession  *self);

/* studio-session-model.c */
void     studio_session_forget_run             (StudioSession  *self);
/* Keeps the callbacks' state when a run continues with the same settings. */
void     studio_session_prepare_callback_state (StudioSession  *self);
gboolean studio_session_prepare_optimizer      (StudioSession  *self,
                                                GError        **error);

/* studio-session-worker.c */
void     studio_session_snapshot_init  (StudioSessionSnapshot *snapshot);
void     studio_session_snapshot_clear (StudioSessionSnapshot *snapshot);
/* The thread function of a run's GTask (task data: StudioSessionRun). */
void     studio_session_run_thread     (GTask                 *task,
                                        gpointer               source_object,
                                        gpointer               task_data,
                                        GCancellable          *cancellable);
void     studio_session_run_free       (StudioSessionRun      *run);

G_END_DECLS
