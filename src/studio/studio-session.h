/* studio-session.h — a training session: model, dataset and run on a worker thread. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

#include "cnn.h"
#include "studio-dataset.h"
#include "studio-model-json.h"
#include "studio-training.h"

G_BEGIN_DECLS

typedef enum {
  STUDIO_SESSION_IDLE,
  STUDIO_SESSION_TRAINING,
  STUDIO_SESSION_PAUSED,
  STUDIO_SESSION_STOPPING,
} StudioSessionState;

#define STUDIO_TYPE_SESSION_STATE (studio_session_state_get_type ())
GType studio_session_state_get_type (void);

/* One training batch, for per-batch curves: the loss and accuracy of that batch alone
 * (not Keras's running mean over the epoch) at x = epochs done + fraction of the epoch. */
typedef struct {
  double epoch_position;
  double loss;
  double accuracy;
  double lr;
} StudioBatchPoint;

/* Properties (all read on the main thread, notified by one coalesced main-loop source
 * every ~75 ms while a run goes on): state (StudioSessionState), dataset (StudioDataset),
 * has-model, epochs-done, epoch (1-based epoch being trained, 0 when idle), n-epochs,
 * step, steps, loss, accuracy (running means of the epoch), val-loss, val-accuracy (of the
 * last finished epoch; NaN until there is one), lr, steps-per-second, eta-seconds (of the
 * epoch), best-epoch and stopped-epoch (EarlyStopping's, 0-based, −1 when none).
 *
 * Signals, always emitted on the main thread:
 *   "batch-progress" ()               new batch points, metrics and layer norms
 *   "epoch-end"      (guint index)    history[index] was appended
 *   "message"        (const char *)   a Keras-style line: "Epoch 3/10", the verbose=2
 *                                     epoch line, "Epoch 5: ReduceLROnPlateau reducing …"
 *   "finished"       (GError *)       the run ended; NULL when it ended without an error
 *   "model-changed"  ()               a new model replaced the old one (build, load) */
#define STUDIO_TYPE_SESSION (studio_session_get_type ())
G_DECLARE_FINAL_TYPE (StudioSession, studio_session, STUDIO, SESSION, GObject)

StudioSession      *studio_session_new                (void);

void                studio_session_set_dataset        (StudioSession               *self,
                                                       StudioDataset               *dataset);
StudioDataset      *studio_session_get_dataset        (StudioSession               *self);

/* The hyperparameters of the next run (copied). Callback settings take effect at the
 * next run; their state (wait, best) carries over while the settings stay the same. */
void                studio_session_set_config         (StudioSession               *self,
                                                       const StudioTrainingConfig  *config);
const StudioTrainingConfig *studio_session_get_config (StudioSession               *self);

/* Builds a fresh model (weights from the config's seed) and forgets the previous run:
 * history, optimizer and callback state. Not while a run goes on. */
gboolean            studio_session_set_architecture   (StudioSession               *self,
                                                       const StudioArchitecture    *architecture,
                                                       GError                     **error);
/* The same on a worker thread (building allocates and initialises every weight: ~0.2 s for
 * Dogs vs. Cats); `architecture` is copied. _finish() makes the new model the session's
 * model on the calling (main) thread; FALSE when cancelled, when the stack does not build
 * or when a run started meanwhile. */
void                studio_session_build_model_async  (StudioSession               *self,
                                                       const StudioArchitecture    *architecture,
                                                       GCancellable                *cancellable,
                                                       GAsyncReadyCallback          callback,
                                                       gpointer                     user_data);
gboolean            studio_session_build_model_finish (StudioSession               *self,
                                                       GAsyncResult                *result,
                                                       GError                     **error);
/* The same with a built model, which the session takes. */
void                studio_session_set_model          (StudioSession               *self,
                                                       CnnModel                    *model);
/* The model; the worker changes its weights during a run, so read only its structure then.
 * NULL before a model was set. */
CnnModel           *studio_session_get_model          (StudioSession               *self);
/* New initial weights from the seed and no history: training starts over. */
gboolean            studio_session_reset              (StudioSession               *self,
                                                       GError                     **error);

/* Why the model cannot train on the dataset, or TRUE when it can. */
gboolean            studio_session_check_ready        (StudioSession               *self,
                                                       GError                     **error);

/* Trains on a worker thread: epochs continue from epochs-done up to the config's epochs
 * (or config.epochs more when those are done already), as Keras's fit with
 * initial_epoch. Pause, resume and stop act between batches; cancelling `cancellable`
 * stops like studio_session_stop(). A stopped run is not an error. */
void                studio_session_train_async        (StudioSession               *self,
                                                       GCancellable                *cancellable,
                                                       GAsyncReadyCallback          callback,
                                                       gpointer                     user_data);
gboolean            studio_session_train_finish       (StudioSession               *self,
                                                       GAsyncResult                *result,
                                                       GError                     **error);
void                studio_session_pause              (StudioSession               *self);
void                studio_session_resume             (StudioSession               *self);
/* Ends the run after the current batch; the unfinished epoch is not recorded. */
void                studio_session_stop               (StudioSession               *self);

StudioSessionState  studio_session_get_state          (StudioSession               *self);
gboolean            studio_session_is_running         (StudioSession               *self);
int                 studio_session_get_epochs_done    (StudioSession               *self);
/* Keras's History: CnnEpochLogs, one per finished epoch over every run of this model. */
GArray             *studio_session_get_history        (StudioSession               *self);
/* StudioBatchPoint, one per training batch since the model was set. */
GArray             *studio_session_get_batch_points   (StudioSession               *self);
CnnStopReason       studio_session_get_stop_reason    (StudioSession               *self);
int                 studio_session_get_best_epoch     (StudioSession               *self);
int                 studio_session_get_stopped_epoch  (StudioSession               *self);
gint64              studio_session_get_step           (StudioSession               *self);
gint64              studio_session_get_steps          (StudioSession               *self);
int                 studio_session_get_epoch          (StudioSession               *self);
int                 studio_session_get_n_epochs       (StudioSession               *self);
double              studio_session_get_steps_per_second (StudioSession             *self);
double              studio_session_get_eta_seconds    (StudioSession               *self);
double              studio_session_get_lr             (StudioSession               *self);

/* L2 norms of a layer's trainable weights and of their last gradients, as the worker
 * measured them at most every ~100 ms. FALSE when none were measured for that layer. */
gboolean            studio_session_get_layer_norms    (StudioSession               *self,
                                                       int                          layer,
                                                       double                      *weight_norm,
                                                       double                      *gradient_norm);

/* With `enabled`, the worker copies the model at the end of every epoch (between batches,
 * so the copy is consistent) and "epoch-end" handlers can take it: a model to inspect or
 * predict with while training goes on. Off by default (a copy costs the model's memory). */
void                studio_session_set_epoch_copies   (StudioSession               *self,
                                                       gboolean                     enabled);
/* The copy of the model made at the newest epoch end (transfer full, free with
 * cnn_model_free()), or NULL when none was made since the last call. */
CnnModel           *studio_session_take_epoch_copy    (StudioSession               *self);

/* A .safetensors model file with the optimizer, the class names, the loss and the training
 * state, so that studio_session_load() and Train continue the run exactly. Not while
 * training (paused is fine). */
gboolean            studio_session_save               (StudioSession               *self,
                                                       const char                  *path,
                                                       GError                     **error);
/* Opens a file from studio_session_save() (resuming its run), or a Keras model.to_json()
 * .json file (architecture only: new weights, no history). */
gboolean            studio_session_load               (StudioSession               *self,
                                                       const char                  *path,
                                                       GError                     **error);

G_END_DECLS
