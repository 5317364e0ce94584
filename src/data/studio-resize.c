/* studio-resize.c — resizing images to a model's input as Keras (Pillow) does. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>

#include "studio-image-folder.h"
#include "studio-resize.h"

/* Pillow's two-pass resampling with the triangle filter, widened when shrinking. */
static void
resample_axis (const float *input,
               int          in_size,
               int          out_size,
               gsize        stride_in,
               gsize        stride_out,
               int          n_lines,
               gsize        line_stride_in,
               gsize        line_stride_out,
               int          channels,
               float       *output)
{
  double scale = (double) in_size / out_size;
  double filter_scale = MAX (scale, 1.0);
  double support = 1.0 * filter_scale;

  for (int x = 0; x < out_size; x++)
    {
      double center = (x + 0.5) * scale;
      int first = MAX ((int) (center - support + 0.5), 0);
      int last = MIN ((int) (center + support + 0.5), in_size);
      double weights_sum = 0;
      double weights[last - first > 0 ? last - first : 1];

      for (int k = first; k < last; k++)
        {
          double distance = fabs ((k - center + 0.5) / filter_scale);
          weights[k - first] = distance < 1 ? 1 - distance : 0;
          weights_sum += weights[k - first];
        }
      for (int line = 0; line < n_lines; line++)
        for (int c = 0; c < channels; c++)
          {
            double value = 0;

            for (int k = first; k < last; k++)
              value += weights[k - first]
                       * input[line * line_stride_in + k * stride_in + c];
            output[line * line_stride_out + x * stride_out + c] =
              weights_sum > 0 ? value / weights_sum : 0;
          }
    }
}

void
studio_resize (const guint8       *input,
               int                 in_height,
               int                 in_width,
               int                 channels,
               guint8             *output,
               int                 out_height,
               int                 out_width,
               StudioResizeFilter  filter)
{
  g_return_if_fail (input != NULL && output != NULL);
  g_return_if_fail (in_height > 0 && in_width > 0 && out_height > 0 && out_width > 0);

  if (filter == STUDIO_RESIZE_NEAREST)
    {
      studio_image_resize_nearest (input, in_height, in_width, channels, in_width * channels,
                                   output, out_height, out_width, channels);
      return;
    }

  {
    gsize in_values = (gsize) in_height * in_width * channels;
    g_autofree float *source = g_new (float, in_values);
    g_autofree float *horizontal = g_new (float, (gsize) in_height * out_width * channels);
    g_autofree float *result = g_new (float, (gsize) out_height * out_width * channels);

    for (gsize k = 0; k < in_values; k++)
      source[k] = input[k];
    /* Rows first (along the width), then columns (along the height). */
    resample_axis (source, in_width, out_width, channels, channels, in_height,
                   (gsize) in_width * channels, (gsize) out_width * channels, channels,
                   horizontal);
    resample_axis (horizontal, in_height, out_height, (gsize) out_width * channels,
                   (gsize) out_width * channels, out_width, channels, channels, channels,
                   result);
    for (gsize k = 0; k < (gsize) out_height * out_width * channels; k++)
      output[k] = (guint8) CLAMP (floor (result[k] + 0.5), 0, 255);
  }
}
