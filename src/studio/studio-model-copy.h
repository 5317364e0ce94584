/* studio-model-copy.h — an independent copy of a model, to inspect while the original trains. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <glib.h>

#include "cnn.h"

G_BEGIN_DECLS

/* A new model with the same architecture (names, options, input shape), every weight copied
 * by name (BatchNormalization's moving statistics too), the same seed and step. It shares no
 * memory with `model`: training the original afterwards leaves the copy as it was. NULL and
 * a STUDIO_MODEL_ERROR when it cannot be built (out of memory). Free with cnn_model_free(). */
CnnModel *studio_model_copy (const CnnModel  *model,
                             GError         **error);

G_END_DECLS
