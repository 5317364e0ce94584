/* cnn.h — ConvStudio's CNN engine: Keras-compatible Sequential models trained on the CPU. */
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The one public header of the engine. Plain C11 + libm + CBLAS: no GLib, no printing, no
// exit()/abort() on bad input. Every function that can fail returns a CnnStatus and, when
// `error` is not NULL, fills it with a message a user can read.
//
// Layout conventions (as Keras stores them, so weights map one to one):
//   activations  float32 NHWC        (batch, height, width, channels)
//   conv kernel  HWIO                (kernel_h, kernel_w, in_channels, filters)
//   dense kernel (in, out)
//   labels       int32 class indices (batch)

#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CNN_NAME_MAX 64
#define CNN_MESSAGE_MAX 512

/* ---------------------------------------------------------------- errors */

typedef enum {
  CNN_OK = 0,
  CNN_ERROR_INVALID_ARGUMENT, /* a setting outside its range, a NULL where data is needed */
  CNN_ERROR_SHAPE,            /* a layer cannot take its input shape */
  CNN_ERROR_NO_MEMORY,        /* an allocation failed; the model is as it was */
  CNN_ERROR_NOT_COMPILED,     /* training asked of a model without loss/optimizer */
  CNN_ERROR_DATA,             /* a batch source failed (its message says why) */
  CNN_ERROR_NUMERIC,          /* the loss became NaN or infinite */
} CnnStatus;

typedef struct {
  CnnStatus status;
  char message[CNN_MESSAGE_MAX];
} CnnError;

/* Fills `error` (when not NULL) and returns `status`; printf-style message. */
CnnStatus cnn_error_set (CnnError *error, CnnStatus status, const char *format, ...)
  __attribute__ ((format (printf, 3, 4)));

/* ---------------------------------------------------------------- random numbers */

/* A small explicit generator (xoshiro128** seeded by splitmix64). Never global state. */
typedef struct {
  uint32_t s[4];
} CnnRng;

void     cnn_rng_seed (CnnRng *rng, uint64_t seed);
uint32_t cnn_rng_next_u32 (CnnRng *rng);
/* Uniform in [0, 1). */
double   cnn_rng_uniform (CnnRng *rng);
/* Uniform integer in [0, bound) without modulo bias. */
uint32_t cnn_rng_below (CnnRng *rng, uint32_t bound);

/* ---------------------------------------------------------------- layers */

typedef enum {
  CNN_LAYER_CONV2D,
  CNN_LAYER_MAX_POOLING2D,
  CNN_LAYER_AVERAGE_POOLING2D,
  CNN_LAYER_GLOBAL_AVERAGE_POOLING2D,
  CNN_LAYER_BATCH_NORMALIZATION,
  CNN_LAYER_DROPOUT,
  CNN_LAYER_FLATTEN,
  CNN_LAYER_DENSE,
  CNN_LAYER_ACTIVATION,
  CNN_LAYER_RESCALING,
  CNN_N_LAYER_TYPES
} CnnLayerType;

typedef enum {
  CNN_ACTIVATION_LINEAR,
  CNN_ACTIVATION_RELU,
  CNN_ACTIVATION_SIGMOID,
  CNN_ACTIVATION_TANH,
  CNN_ACTIVATION_SOFTMAX,
  CNN_N_ACTIVATIONS
} CnnActivation;

typedef enum {
  CNN_PADDING_VALID,
  CNN_PADDING_SAME,
} CnnPadding;

/* What a layer is, as the user (or a Keras JSON file) describes it. Fields a type does not
 * use are ignored. cnn_layer_spec_init() sets Keras's defaults for the type. */
typedef struct {
  CnnLayerType type;
  char name[CNN_NAME_MAX];   /* "" = auto-named like Keras: conv2d, conv2d_1, … */
  int filters;               /* Conv2D */
  int units;                 /* Dense */
  int kernel_size[2];        /* Conv2D (h, w) */
  int pool_size[2];          /* pooling (h, w); default (2, 2) */
  int strides[2];            /* Conv2D default (1, 1); pooling 0 = pool_size */
  CnnPadding padding;        /* Conv2D, pooling; default valid */
  CnnActivation activation;  /* Conv2D, Dense, Activation; default linear */
  int use_bias;              /* Conv2D, Dense; default 1 */
  float momentum;            /* BatchNormalization; default 0.99 */
  float epsilon;             /* BatchNormalization; default 1e-3 */
  float rate;                /* Dropout */
  float scale;               /* Rescaling: y = x·scale + offset; default scale 1 */
  float offset;
} CnnLayerSpec;

void        cnn_layer_spec_init (CnnLayerSpec *spec, CnnLayerType type);
/* "Conv2D", "MaxPooling2D", "BatchNormalization", … (Keras class names). */
const char *cnn_layer_type_class_name (CnnLayerType type);
/* "conv2d", "max_pooling2d", "batch_normalization", … (Keras auto-name stems). */
const char *cnn_layer_type_base_name (CnnLayerType type);
/* Returns 1 and sets *type when `class_name` is a supported Keras class name, else 0. */
int         cnn_layer_type_from_class_name (const char *class_name, CnnLayerType *type);
/* "linear", "relu", "sigmoid", "tanh", "softmax". */
const char *cnn_activation_name (CnnActivation activation);
int         cnn_activation_from_name (const char *name, CnnActivation *activation);

/* ---------------------------------------------------------------- model */

typedef struct CnnModel CnnModel;

/* Builds a Sequential model for inputs of (height, width, channels): infers every shape
 * (an impossible stack is CNN_ERROR_SHAPE naming the layer and the shapes), names the
 * layers like Keras, and initialises the weights (glorot_uniform kernels, zero biases,
 * BatchNormalization gamma 1 / beta 0 / moving mean 0 / moving variance 1) from `seed`.
 * Returns NULL on error. */
CnnModel *cnn_model_new (int height, int width, int channels,
                         const CnnLayerSpec *layers, int n_layers,
                         uint64_t seed, CnnError *error);
void      cnn_model_free (CnnModel *model);

void      cnn_model_input_shape (const CnnModel *model, int *height, int *width, int *channels);
int       cnn_model_n_layers (const CnnModel *model);
/* The spec as built: auto-name filled in, defaults resolved (e.g. pooling strides). */
const CnnLayerSpec *cnn_model_layer_spec (const CnnModel *model, int index);
/* Units of the last layer (the number of classes of a classifier). */
int       cnn_model_n_outputs (const CnnModel *model);

typedef struct {
  char name[CNN_NAME_MAX];
  CnnLayerType type;
  int output_rank;           /* 3: (None, h, w, c)   1: (None, units) */
  int output_shape[3];       /* (h, w, c), or (units, 0, 0) when rank 1 */
  int64_t params;            /* product of every weight shape, as Keras counts */
  int64_t trainable_params;
  int64_t macs;              /* forward multiply-accumulates per sample */
} CnnLayerInfo;

void     cnn_model_layer_info (const CnnModel *model, int index, CnnLayerInfo *info);
int64_t  cnn_model_total_params (const CnnModel *model);
int64_t  cnn_model_trainable_params (const CnnModel *model);
int64_t  cnn_model_total_macs (const CnnModel *model);

/* Keras's model.summary() text, byte for byte (KERAS.md), with `model_name` in the header
 * ("sequential" when NULL). Newly allocated; release with free(). NULL if out of memory. */
char    *cnn_model_summary (const CnnModel *model, const char *model_name);

/* ---------------------------------------------------------------- weights (one arena) */

/* Every weight of the model, in Keras's model.weights order (per layer: kernel, bias;
 * BatchNormalization: gamma, beta, moving_mean, moving_variance). All trainable weights
 * lie contiguously at the start of one parameter arena, the non-trainable ones after
 * them; gradients of the trainable ones lie in a parallel arena. */
typedef struct {
  char name[2 * CNN_NAME_MAX]; /* "conv2d/kernel", "batch_normalization/moving_mean" */
  int layer;                   /* index of the layer that owns it */
  int rank;
  int shape[4];                /* Keras shape, e.g. (3, 3, 1, 32) or (32) */
  size_t size;                 /* number of floats */
  int trainable;
  float *data;                 /* into the parameter arena */
  float *grad;                 /* into the gradient arena; NULL when not trainable */
} CnnWeight;

int              cnn_model_n_weights (const CnnModel *model);
const CnnWeight *cnn_model_weight (const CnnModel *model, int index);
/* Returns the weight called `name` ("dense_1/bias"), or NULL. */
const CnnWeight *cnn_model_find_weight (const CnnModel *model, const char *name);
/* The contiguous trainable parameters and their gradients (same length). */
float           *cnn_model_trainable_arena (CnnModel *model, size_t *count);
float           *cnn_model_gradient_arena (CnnModel *model, size_t *count);

/* ---------------------------------------------------------------- forward / backward */

/* Runs the model on `batch` samples x (batch, h, w, c). `training` selects batch statistics
 * for BatchNormalization (and updates its moving statistics) and active Dropout. *output
 * points to the model's own (batch, n_outputs) buffer, valid until the next call: the
 * final activation applied (softmax rows, sigmoid, …). Buffers grow as needed; a call
 * with a batch no larger than the previous one allocates nothing. */
CnnStatus cnn_model_forward (CnnModel *model, const float *x, int batch, int training,
                             const float **output, CnnError *error);

typedef enum {
  CNN_LOSS_CATEGORICAL_CROSSENTROPY,        /* one-hot of the labels vs softmax output */
  CNN_LOSS_SPARSE_CATEGORICAL_CROSSENTROPY, /* class indices vs softmax output */
  CNN_LOSS_BINARY_CROSSENTROPY,             /* 0/1 labels vs one sigmoid unit */
  CNN_N_LOSSES
} CnnLoss;

const char *cnn_loss_name (CnnLoss loss); /* "categorical_crossentropy", … */
int         cnn_loss_from_name (const char *name, CnnLoss *loss);

/* Loss and accuracy of the last forward pass against `labels` (its batch size), computed
 * as tf.keras does: from the logits when the last activation is softmax or sigmoid (stable,
 * no clipping), mean over the batch. *correct counts argmax hits (or sigmoid > 0.5 for
 * binary). When `backward` is true it also zeroes the gradient arena and back-propagates,
 * leaving d(mean loss)/d(weight) there. Either output pointer may be NULL. */
CnnStatus cnn_model_loss (CnnModel *model, CnnLoss loss, const int32_t *labels,
                          int backward, double *loss_value, int *correct,
                          CnnError *error);

/* The per-call step counter that keys Dropout masks: masks are a pure function of
 * (seed, step, layer, unit), so a run restored with the same step continues exactly. */
uint64_t cnn_model_get_step (const CnnModel *model);
void     cnn_model_set_step (CnnModel *model, uint64_t step);
uint64_t cnn_model_get_seed (const CnnModel *model);

/* ---------------------------------------------------------------- optimizers */

typedef enum {
  CNN_OPTIMIZER_SGD,
  CNN_OPTIMIZER_RMSPROP,
  CNN_OPTIMIZER_ADAM,
  CNN_N_OPTIMIZERS
} CnnOptimizerType;

typedef struct {
  CnnOptimizerType type;
  double learning_rate; /* SGD 0.01, RMSprop 1e-3, Adam 1e-3 */
  double momentum;      /* SGD: 0 */
  int nesterov;         /* SGD: 0 */
  double rho;           /* RMSprop: 0.9 */
  double beta_1;        /* Adam: 0.9 */
  double beta_2;        /* Adam: 0.999 */
  double epsilon;       /* RMSprop, Adam: 1e-7 */
} CnnOptimizerConfig;

/* Keras's defaults for `type`. */
void        cnn_optimizer_config_init (CnnOptimizerConfig *config, CnnOptimizerType type);
const char *cnn_optimizer_name (CnnOptimizerType type); /* "SGD", "RMSprop", "Adam" */
int         cnn_optimizer_from_name (const char *name, CnnOptimizerType *type);

typedef struct CnnOptimizer CnnOptimizer;

/* An optimizer for `n_params` parameters; its slots (momentum, accumulators) start at 0. */
CnnOptimizer *cnn_optimizer_new (const CnnOptimizerConfig *config, size_t n_params,
                                 CnnError *error);
void          cnn_optimizer_free (CnnOptimizer *optimizer);
const CnnOptimizerConfig *cnn_optimizer_config (const CnnOptimizer *optimizer);
/* One update of params from grads (both n_params long), exactly KERAS.md's rule. */
void          cnn_optimizer_step (CnnOptimizer *optimizer, float *params, const float *grads);
double        cnn_optimizer_get_learning_rate (const CnnOptimizer *optimizer);
void          cnn_optimizer_set_learning_rate (CnnOptimizer *optimizer, double learning_rate);
/* Steps taken so far (Keras's `iterations`); settable to restore a saved state. */
int64_t       cnn_optimizer_get_iterations (const CnnOptimizer *optimizer);
void          cnn_optimizer_set_iterations (CnnOptimizer *optimizer, int64_t iterations);
/* Slot arrays, each n_params long: SGD with momentum 1 ("momentum"), RMSprop 1 ("rms"),
 * Adam 2 ("m", "v"); SGD without momentum 0. For saving and restoring. */
int           cnn_optimizer_n_slots (const CnnOptimizer *optimizer);
float        *cnn_optimizer_slot (CnnOptimizer *optimizer, int index, const char **name);

/* ---------------------------------------------------------------- batches */

/* Where training and evaluation get their samples. The engine asks for batches in order;
 * the source decides their content (shuffling, augmentation, streaming from disk). */
typedef struct {
  void *user_data;
  int64_t n_samples;
  /* Starts an epoch (0-based); a shuffling source draws its order here. May be NULL. */
  CnnStatus (*begin_epoch) (void *user_data, int epoch, CnnError *error);
  /* Fills up to `max_batch` samples: x (max_batch, h, w, c), labels (max_batch). Sets
   * *n_filled (0 when the epoch is exhausted). */
  CnnStatus (*next_batch) (void *user_data, float *x, int32_t *labels, int max_batch,
                           int *n_filled, CnnError *error);
} CnnBatchSource;

/* A source over arrays in memory: rows [start, start + count) of x (n, h, w, c) and labels.
 * With shuffle, each epoch's order is a permutation drawn from (seed, epoch) alone, so a
 * resumed run sees the same orders. The arrays are borrowed, not copied. */
typedef struct {
  CnnBatchSource source;
  const float *x;
  const int32_t *labels;
  size_t sample_size; /* h·w·c */
  int64_t start;
  int shuffle;
  uint64_t seed;
  int64_t position;
  int64_t *order;     /* (count) */
} CnnArraySource;

CnnStatus cnn_array_source_init (CnnArraySource *array, const float *x, const int32_t *labels,
                                 size_t sample_size, int64_t start, int64_t count,
                                 int shuffle, uint64_t seed, CnnError *error);
void      cnn_array_source_clear (CnnArraySource *array);
/* Keras's validation_split on arrays: validation is the last rows, from
 * floor(n·(1 − split)) to n, taken before any shuffling. */
int64_t   cnn_validation_split_index (int64_t n, double validation_split);

/* ---------------------------------------------------------------- callbacks */

/* Metrics of one epoch, as Keras's History records them. */
typedef struct {
  int epoch;           /* 0-based */
  double loss;
  double accuracy;
  int has_validation;
  double val_loss;
  double val_accuracy;
  double lr;           /* the learning rate used during this epoch */
} CnnEpochLogs;

/* Looks up "loss", "accuracy", "val_loss", "val_accuracy" or "lr"; returns 0 if unknown
 * (or a val_ name without validation). */
int cnn_epoch_logs_get (const CnnEpochLogs *logs, const char *name, double *value);

typedef enum {
  CNN_MODE_AUTO,
  CNN_MODE_MIN,
  CNN_MODE_MAX,
} CnnMonitorMode;

typedef struct {
  /* configuration (Keras defaults from cnn_early_stopping_init) */
  char monitor[CNN_NAME_MAX]; /* "val_loss" */
  double min_delta;           /* 0 */
  int patience;               /* 0 */
  CnnMonitorMode mode;        /* auto */
  int has_baseline;
  double baseline;
  int restore_best_weights;   /* 0 */
  /* state (saved with the model to resume) */
  int wait;
  int stopped_epoch;          /* -1 until it stops */
  int best_epoch;             /* -1 until the first improvement */
  double best;
  float *best_weights;        /* copy of the parameter arena when restore_best_weights */
} CnnEarlyStopping;

void cnn_early_stopping_init (CnnEarlyStopping *early_stopping);
void cnn_early_stopping_clear (CnnEarlyStopping *early_stopping);

typedef struct {
  char monitor[CNN_NAME_MAX]; /* "val_loss" */
  double factor;              /* 0.1 */
  int patience;               /* 10 */
  CnnMonitorMode mode;        /* auto */
  double min_delta;           /* 1e-4 */
  int cooldown;               /* 0 */
  double min_lr;              /* 0 */
  /* state */
  int wait;
  int cooldown_counter;
  double best;
} CnnReduceLROnPlateau;

void cnn_reduce_lr_init (CnnReduceLROnPlateau *reduce_lr);

/* ---------------------------------------------------------------- training */

typedef struct {
  int epochs;               /* train until this epoch count (Keras `epochs`) */
  int initial_epoch;        /* 0, or where a resumed run continues */
  int batch_size;           /* 32 */
  int64_t steps_per_epoch;  /* 0 = the whole training source */
  int64_t validation_steps; /* 0 = the whole validation source */
  CnnLoss loss;
  CnnEarlyStopping *early_stopping;  /* NULL = none; its state persists across calls */
  CnnReduceLROnPlateau *reduce_lr;   /* NULL = none */
} CnnFitConfig;

void cnn_fit_config_init (CnnFitConfig *config);

typedef struct {
  int epoch;          /* 0-based */
  int64_t step;       /* 1-based within the epoch */
  int64_t steps;      /* steps in this epoch */
  double loss;        /* running means over the epoch so far, weighted by batch size */
  double accuracy;
  double lr;
} CnnBatchLogs;

/* Return values of the progress callbacks. */
typedef enum {
  CNN_CONTINUE = 0,
  CNN_STOP = 1, /* stop after this batch; fit returns CNN_OK with CNN_STOPPED_BY_USER */
} CnnControl;

typedef struct {
  void *user_data;
  CnnControl (*on_epoch_begin) (void *user_data, int epoch);
  CnnControl (*on_batch_end) (void *user_data, const CnnBatchLogs *logs);
  CnnControl (*on_epoch_end) (void *user_data, const CnnEpochLogs *logs);
  /* Lines a Keras user would see from the callbacks:
   * "Epoch 5: ReduceLROnPlateau reducing learning rate to 0.0005000000237487257.",
   * "Epoch 12: early stopping", the unknown-monitor warning. */
  void (*on_message) (void *user_data, const char *message);
} CnnFitCallbacks;

typedef enum {
  CNN_STOPPED_COMPLETED,
  CNN_STOPPED_EARLY_STOPPING,
  CNN_STOPPED_BY_USER,
} CnnStopReason;

typedef struct {
  int n_epochs;
  int capacity;
  CnnEpochLogs *epochs;
  CnnStopReason stop_reason;
} CnnHistory;

void cnn_history_clear (CnnHistory *history);

/* Keras's model.fit: for each epoch, begin the training source, run batches (forward in
 * training mode, loss, backward, optimizer step), then evaluate on `validation` (may be
 * NULL), apply ReduceLROnPlateau and EarlyStopping, append to `history`. Cancellable at
 * every batch through the callbacks; on an error the model holds the weights after the
 * last finished batch. */
CnnStatus cnn_model_fit (CnnModel *model, CnnOptimizer *optimizer,
                         CnnBatchSource *train, CnnBatchSource *validation,
                         const CnnFitConfig *config, const CnnFitCallbacks *callbacks,
                         CnnHistory *history, CnnError *error);

/* One training step on one batch: forward (training), loss, backward, optimizer step. */
CnnStatus cnn_model_train_batch (CnnModel *model, CnnOptimizer *optimizer, CnnLoss loss,
                                 const float *x, const int32_t *labels, int batch,
                                 double *loss_value, int *correct, CnnError *error);

/* Mean loss and accuracy over the whole source, inference mode. */
CnnStatus cnn_model_evaluate (CnnModel *model, CnnBatchSource *source, CnnLoss loss,
                              int batch_size, double *loss_value, double *accuracy,
                              CnnError *error);

/* Output rows (n, n_outputs) for n samples of x, inference mode, in input order. */
CnnStatus cnn_model_predict (CnnModel *model, const float *x, int64_t n, int batch_size,
                             float *output, CnnError *error);

/* The same over a (non-shuffling) source: output (source->n_samples, n_outputs); labels
 * the source gives are ignored. */
CnnStatus cnn_model_predict_source (CnnModel *model, CnnBatchSource *source, int batch_size,
                                    float *output, CnnError *error);

/* ---------------------------------------------------------------- performance */

/* Threads the model's passes (and cnn_model_train_batch's optimizer step) run on; 0 = one
 * per CPU, the default. Each pass is cut into max(threads, 2) slices of the batch, so 1 and
 * 2 threads give bit-identical results, and the same thread count always repeats exactly.
 * With more than one thread the engine sets OpenBLAS to one thread (process-wide): each of
 * its threads runs its own GEMMs. Call between batches: the next backward pass needs a new
 * forward pass when the slice count changes. */
CnnStatus cnn_model_set_threads (CnnModel *model, int n_threads, CnnError *error);
int       cnn_model_get_threads (const CnnModel *model);

/* Per-layer wall time of the forward and backward passes, for finding the slow layer.
 * Enabling profiling resets the totals to 0; disabling keeps them. Off by default. */
void cnn_model_set_profiling (CnnModel *model, int enabled);
/* Seconds spent in layer `index`'s forward and backward passes since profiling began.
 * Either pointer may be NULL. */
void cnn_model_layer_time (const CnnModel *model, int index, double *forward_seconds,
                           double *backward_seconds);

/* ---------------------------------------------------------------- inspection */

/* One image's journey through the model in inference mode, every layer's output kept. */
typedef struct {
  int n_layers;
  float **outputs;         /* (n_layers): each (h, w, c) or (units), after the activation */
  float **preactivations;  /* (n_layers): Conv2D and Dense with an activation, the values
                            * before it (the feature map); NULL for other layers */
} CnnInspection;

/* Runs x (h, w, c) through every layer, unbatched and directly computed (a reference for
 * the fast passes), keeping each layer's output. Release with cnn_inspection_clear(). */
CnnStatus cnn_model_inspect (const CnnModel *model, const float *x,
                             CnnInspection *inspection, CnnError *error);
void      cnn_inspection_clear (CnnInspection *inspection);

#ifdef __cplusplus
}
#endif
