/* studio-error.h — the studio layer's GError domain, and engine errors turned into GErrors. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <glib.h>

#include "cnn.h"

G_BEGIN_DECLS

#define STUDIO_MODEL_ERROR (studio_model_error_quark ())

/* Failures of model JSON, model files and the engine calls behind them. Failures of the
 * operating system (a folder that does not exist, a disk that is full) are G_IO_ERRORs. */
typedef enum {
  STUDIO_MODEL_ERROR_INVALID,          /* not JSON, or not a Keras Sequential model */
  STUDIO_MODEL_ERROR_UNSUPPORTED,      /* a layer class or option ConvStudio does not support */
  STUDIO_MODEL_ERROR_LIMIT,            /* larger than ConvStudio accepts from a file */
  STUDIO_MODEL_ERROR_SHAPE,            /* a layer cannot take its input shape */
  STUDIO_MODEL_ERROR_INVALID_ARGUMENT, /* a setting outside its range */
  STUDIO_MODEL_ERROR_NO_MEMORY,        /* an allocation failed */
  STUDIO_MODEL_ERROR_NOT_COMPILED,     /* training asked of a model without loss/optimizer */
  STUDIO_MODEL_ERROR_DATA,             /* a batch source failed */
  STUDIO_MODEL_ERROR_NUMERIC,          /* the loss became NaN or infinite */
  STUDIO_MODEL_ERROR_NOT_MODEL_FILE,   /* not a safetensors file, or not a ConvStudio one */
  STUDIO_MODEL_ERROR_TRUNCATED,        /* the file ends before its header says it should */
  STUDIO_MODEL_ERROR_CORRUPT,          /* tensors overlap, leave gaps, or do not fit the model */
} StudioModelError;

GQuark           studio_model_error_quark (void);

/* The StudioModelError code for an engine status (CNN_OK is not an error). */
StudioModelError studio_model_error_from_cnn_status (CnnStatus status);

/* Sets `error` from an engine error, its message prefixed by the printf-style
 * `prefix_format` when that is not NULL ("Could not build the model: "). */
void             studio_set_error_from_cnn (GError         **error,
                                            const CnnError  *cnn_error,
                                            const char      *prefix_format,
                                            ...) G_GNUC_PRINTF (3, 4);

G_END_DECLS
