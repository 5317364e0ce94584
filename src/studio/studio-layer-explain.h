/* studio-layer-explain.h — why a layer has its output shape and parameter count, spelled out. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <glib.h>

#include "cnn.h"

G_BEGIN_DECLS

/* The output-shape arithmetic of layer `index`, with the model's own numbers:
 *   Conv2D valid     "(28 − 3 + 2·0) / 1 + 1 = 26"
 *   stride 2         "⌊(28 − 3 + 2·0) / 2⌋ + 1 = 13"
 *   padding same     "⌈28 / 2⌉ = 14 (padding 0 + 1)"
 *   MaxPooling2D     "⌊(26 − 2 + 2·0) / 2⌋ + 1 = 13"
 *   Flatten          "3 · 3 · 128 = 1,152"
 * one line per spatial side when height and width differ, or NULL for layers that keep
 * their input's shape (BatchNormalization, Dropout, Activation, Rescaling). */
char *studio_explain_output_shape (const CnnModel *model,
                                   int             index);

/* The parameter count as its product, the same number as the summary:
 *   Conv2D "3·3·1·32 + 32 = 320", Dense "1,152·64 + 64 = 73,792",
 *   BatchNormalization "4·32 = 128 (gamma, beta trainable; moving mean, variance not)",
 * or NULL for layers without weights. */
char *studio_explain_params (const CnnModel *model,
                             int             index);

G_END_DECLS
