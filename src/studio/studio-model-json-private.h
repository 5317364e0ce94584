/* studio-model-json-private.h — option readers shared by the model JSON reader's files. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <json-glib/json-glib.h>

#include "cnn.h"
#include "studio-error.h"
#include "studio-format.h"
#include "studio-model-json.h"

G_BEGIN_DECLS

/* Where in the document a layer sits, for messages that name it. */
typedef struct {
  int position;            /* 1-based index in the file's layer list */
  const char *class_name;
  const char *name;        /* NULL until read */
  JsonObject *config;
} StudioLayerContext;

/* What the layers before the current one produce, enough to check BatchNormalization's axis. */
typedef struct {
  gboolean have_input_shape;
  int height;
  int width;
  int channels;
  int rank;                /* with the batch axis: 4 for images, 2 after Flatten */
} StudioShapeState;

/* Sets `error` to "Layer 'conv2d' (Conv2D): <message>" (or "Layer 3 (Conv2D): …" when the
 * layer has no name yet); callers pass `format` translated, as _("'%s' is missing"). */
void studio_layer_set_error (GError                   **error,
                             StudioModelError           code,
                             const StudioLayerContext  *layer,
                             const char                *format,
                             ...) G_GNUC_PRINTF (4, 5);

/* "Conv2D, MaxPooling2D, …, InputLayer" and "linear, relu, …" for messages. */
char *studio_layer_supported_classes (void);
char *studio_layer_supported_activations (void);

/* TRUE when the config has `key` with a value other than null. */
gboolean studio_layer_has_option (JsonObject *config,
                                  const char *key);

/* Reads an integer option; an absent (or null) optional one leaves *value as it was. */
gboolean studio_layer_read_int (const StudioLayerContext  *layer,
                                const char                *key,
                                gboolean                   required,
                                int                        minimum,
                                int                        maximum,
                                int                       *value,
                                GError                   **error);

/* Keras writes sizes as [h, w] but accepts a single integer for both sides. */
gboolean studio_layer_read_pair (const StudioLayerContext  *layer,
                                 const char                *key,
                                 gboolean                   required,
                                 int                        minimum,
                                 int                        maximum,
                                 int                        pair[2],
                                 GError                   **error);

gboolean studio_layer_read_float (const StudioLayerContext  *layer,
                                  const char                *key,
                                  gboolean                   required,
                                  float                     *value,
                                  GError                   **error);

/* A boolean option ConvStudio supports only at `expected` (Keras's default). */
gboolean studio_layer_check_boolean (const StudioLayerContext  *layer,
                                     const char                *key,
                                     gboolean                   expected,
                                     GError                   **error);

/* Options that change the computation when set (regularizers, constraints, noise shapes):
 * Keras writes them as null, and ConvStudio supports only that. */
gboolean studio_layer_check_unset (const StudioLayerContext  *layer,
                                   const char * const        *keys,
                                   GError                   **error);

gboolean studio_layer_read_use_bias (const StudioLayerContext  *layer,
                                     CnnLayerSpec              *spec,
                                     GError                   **error);

gboolean studio_layer_read_activation (const StudioLayerContext  *layer,
                                       gboolean                   required,
                                       CnnActivation             *activation,
                                       GError                   **error);

gboolean studio_layer_read_padding (const StudioLayerContext  *layer,
                                    CnnPadding                *padding,
                                    GError                   **error);

gboolean studio_layer_check_data_format (const StudioLayerContext  *layer,
                                         GError                   **error);

/* Keys every layer has: trainable and dtype change what training does. */
gboolean studio_layer_check_common (const StudioLayerContext  *layer,
                                    GError                   **error);

/* Kernel weights a built model may have (1 GiB of float32, 4 GiB with gradients and Adam's
 * slots): studio_architecture_build() refuses more with STUDIO_MODEL_ERROR_LIMIT before the
 * engine allocates anything. */
#define STUDIO_MODEL_MAX_WEIGHTS (G_GUINT64_CONSTANT (1) << 28)

/* A lower bound on the float32 values a model of this architecture holds (its Conv2D and
 * Dense kernels, the shapes followed as the engine follows them), known before anything is
 * allocated: a loader compares it with the data a file really holds, so a tiny file cannot
 * make it build a model of gigabytes. Saturates at G_MAXUINT64. */
guint64 studio_architecture_count_kernel_floats (const StudioArchitecture *architecture);

G_END_DECLS
