/* studio-model-json.h — Keras Sequential model JSON (model.to_json()) read and written. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

#include "cnn.h"
#include "studio-error.h"

G_BEGIN_DECLS

/* Limits against hostile files, beyond those the engine applies when it builds a model. */
#define STUDIO_MODEL_MAX_LAYERS      1000
#define STUDIO_MODEL_MAX_UNITS       65536   /* Conv2D filters, Dense units */
#define STUDIO_MODEL_MAX_WINDOW      1024    /* kernel, pool and stride sides */
#define STUDIO_MODEL_MAX_INPUT_SIDE  16384   /* input height and width */
#define STUDIO_MODEL_MAX_CHANNELS    65536
#define STUDIO_MODEL_MAX_JSON_BYTES  (64 * 1024 * 1024)

/* A Sequential model as its JSON describes it: the input shape and the layers in order. */
typedef struct {
  char   *name;      /* the model's name, "sequential" unless the file says otherwise */
  int     height;    /* input shape (height, width, channels) */
  int     width;
  int     channels;
  GArray *layers;    /* of CnnLayerSpec; a name "" is auto-named like Keras */
} StudioArchitecture;

StudioArchitecture *studio_architecture_new (const char *name,
                                             int         height,
                                             int         width,
                                             int         channels);
void                studio_architecture_free (StudioArchitecture *architecture);

/* Reads a Keras Sequential model JSON (tf.keras 2.4–2.12 and standalone Keras 2.x forms,
 * with or without an InputLayer). Layers and options ConvStudio does not support are a
 * STUDIO_MODEL_ERROR naming the layer; options that do not change the computation
 * (initializers, null regularizers, dtype float32) are accepted. `length` < 0 means
 * NUL-terminated. */
StudioArchitecture *studio_architecture_new_from_json (const char  *json,
                                                       gssize       length,
                                                       GError     **error);
/* The architecture of a built model, names and defaults as the engine resolved them. */
StudioArchitecture *studio_architecture_new_from_model (const CnnModel *model);

/* The JSON Keras 2.12's model.to_json() writes for this model (one line, Keras's keys and
 * defaults, an InputLayer with batch_input_shape); keras.models.model_from_json() reads
 * it. Unnamed layers get Keras's auto names. */
char               *studio_architecture_to_json (const StudioArchitecture *architecture);

/* Builds the model with weights initialised from `seed`; engine errors become
 * STUDIO_MODEL_ERRORs (an impossible shape is STUDIO_MODEL_ERROR_SHAPE naming the layer). */
CnnModel           *studio_architecture_build (const StudioArchitecture  *architecture,
                                               guint64                    seed,
                                               GError                   **error);

/* Convenience: JSON text or a JSON file straight to a built model. */
CnnModel           *studio_model_new_from_json (const char  *json,
                                                gssize       length,
                                                guint64      seed,
                                                GError     **error);
CnnModel           *studio_model_new_from_json_file (const char  *path,
                                                     guint64      seed,
                                                     GError     **error);
/* model.to_json() of a built model, named "sequential". */
char               *studio_model_to_json (const CnnModel *model);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StudioArchitecture, studio_architecture_free)

G_END_DECLS
