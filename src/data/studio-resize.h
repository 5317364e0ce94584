/* studio-resize.h — resizing images to a model's input as Keras (Pillow) does. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How images are resized to the model's input. */
typedef enum {
  STUDIO_RESIZE_NEAREST,   /* Keras's default: Pillow's NEAREST */
  STUDIO_RESIZE_BILINEAR,  /* Pillow's BILINEAR (antialiased when shrinking) */
} StudioResizeFilter;

/* Resizes (in_height, in_width, channels) uint8 into (out_height, out_width, channels).
 * Nearest takes source index floor((x + 0.5) · in / out), as Pillow does. */
void studio_resize (const guint8       *input,
                    int                 in_height,
                    int                 in_width,
                    int                 channels,
                    guint8             *output,
                    int                 out_height,
                    int                 out_width,
                    StudioResizeFilter  filter);

G_END_DECLS
