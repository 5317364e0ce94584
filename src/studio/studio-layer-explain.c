/* studio-layer-explain.c — why a layer has its output shape and parameter count, spelled out. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n-lib.h>

#include "studio-format.h"
#include "studio-layer-explain.h"

/* The shape that goes into layer `index`: (h, w, c) with rank 3, or (units) with rank 1. */
static int
input_shape (const CnnModel *model,
             int             index,
             int             shape[3])
{
  CnnLayerInfo previous;

  if (index == 0)
    {
      cnn_model_input_shape (model, &shape[0], &shape[1], &shape[2]);
      return 3;
    }
  cnn_model_layer_info (model, index - 1, &previous);
  for (int i = 0; i < 3; i++)
    shape[i] = previous.output_shape[i];
  return previous.output_rank;
}

/* One side of a sliding window: Conv2D or pooling, as TensorFlow computes it. */
static void
append_window_side (GString    *text,
                    int         in,
                    int         window,
                    int         stride,
                    CnnPadding  padding,
                    int         out)
{
  if (padding == CNN_PADDING_SAME)
    {
      int pad_total = MAX ((out - 1) * stride + window - in, 0);

      g_string_append_printf (text, "⌈%d / %d⌉ = %d", in, stride, out);
      if (window > 1)
        g_string_append_printf (text, _(" (padding %d + %d)"), pad_total / 2,
                                pad_total - pad_total / 2);
    }
  else if (stride == 1)
    g_string_append_printf (text, "(%d − %d + 2·0) / 1 + 1 = %d", in, window, out);
  else
    g_string_append_printf (text, "⌊(%d − %d + 2·0) / %d⌋ + 1 = %d", in, window, stride, out);
}

static char *
explain_window (const CnnLayerSpec *spec,
                const int           in[3],
                const int           out[3],
                const int           window[2])
{
  GString *text = g_string_new (NULL);

  if (in[0] == in[1] && window[0] == window[1] && spec->strides[0] == spec->strides[1])
    append_window_side (text, in[0], window[0], spec->strides[0], spec->padding, out[0]);
  else
    {
      g_string_append (text, _("height: "));
      append_window_side (text, in[0], window[0], spec->strides[0], spec->padding, out[0]);
      g_string_append (text, _("\nwidth: "));
      append_window_side (text, in[1], window[1], spec->strides[1], spec->padding, out[1]);
    }
  return g_string_free (text, FALSE);
}

char *
studio_explain_output_shape (const CnnModel *model,
                             int             index)
{
  const CnnLayerSpec *spec;
  CnnLayerInfo info;
  int in[3], rank;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (index >= 0 && index < cnn_model_n_layers (model), NULL);

  spec = cnn_model_layer_spec (model, index);
  cnn_model_layer_info (model, index, &info);
  rank = input_shape (model, index, in);

  switch (spec->type)
    {
    case CNN_LAYER_CONV2D:
      return explain_window (spec, in, info.output_shape, spec->kernel_size);
    case CNN_LAYER_MAX_POOLING2D:
    case CNN_LAYER_AVERAGE_POOLING2D:
      return explain_window (spec, in, info.output_shape, spec->pool_size);
    case CNN_LAYER_GLOBAL_AVERAGE_POOLING2D:
      return g_strdup_printf (_("the mean of each %d × %d map: %d channels → %d"),
                              in[0], in[1], in[2], info.output_shape[0]);
    case CNN_LAYER_FLATTEN:
      {
        g_autofree char *total = studio_format_count (info.output_shape[0]);

        if (rank != 3)
          return NULL;
        return g_strdup_printf ("%d · %d · %d = %s", in[0], in[1], in[2], total);
      }
    case CNN_LAYER_DENSE:
      {
        g_autofree char *inputs = studio_format_count (in[0]);

        return g_strdup_printf (_("%s inputs → %d units"), inputs, spec->units);
      }
    case CNN_LAYER_BATCH_NORMALIZATION:
    case CNN_LAYER_DROPOUT:
    case CNN_LAYER_ACTIVATION:
    case CNN_LAYER_RESCALING:
    case CNN_N_LAYER_TYPES:
    default:
      return NULL;
    }
}

char *
studio_explain_params (const CnnModel *model,
                       int             index)
{
  const CnnLayerSpec *spec;
  CnnLayerInfo info;
  g_autofree char *total = NULL;
  int in[3];

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (index >= 0 && index < cnn_model_n_layers (model), NULL);

  spec = cnn_model_layer_spec (model, index);
  cnn_model_layer_info (model, index, &info);
  if (info.params == 0)
    return NULL;
  input_shape (model, index, in);
  total = studio_format_count (info.params);

  switch (spec->type)
    {
    case CNN_LAYER_CONV2D:
      if (spec->use_bias)
        return g_strdup_printf ("%d·%d·%d·%d + %d = %s", spec->kernel_size[0],
                                spec->kernel_size[1], in[2], spec->filters, spec->filters, total);
      return g_strdup_printf ("%d·%d·%d·%d = %s", spec->kernel_size[0], spec->kernel_size[1],
                              in[2], spec->filters, total);
    case CNN_LAYER_DENSE:
      {
        g_autofree char *inputs = studio_format_count (in[0]);

        if (spec->use_bias)
          return g_strdup_printf ("%s·%d + %d = %s", inputs, spec->units, spec->units, total);
        return g_strdup_printf ("%s·%d = %s", inputs, spec->units, total);
      }
    case CNN_LAYER_BATCH_NORMALIZATION:
      {
        int channels = info.output_rank == 3 ? info.output_shape[2] : info.output_shape[0];

        return g_strdup_printf (_("4·%d = %s (gamma and beta train: %d; the moving mean and "
                                  "variance do not: %d)"),
                                channels, total, 2 * channels, 2 * channels);
      }
    case CNN_LAYER_MAX_POOLING2D:
    case CNN_LAYER_AVERAGE_POOLING2D:
    case CNN_LAYER_GLOBAL_AVERAGE_POOLING2D:
    case CNN_LAYER_DROPOUT:
    case CNN_LAYER_FLATTEN:
    case CNN_LAYER_ACTIVATION:
    case CNN_LAYER_RESCALING:
    case CNN_N_LAYER_TYPES:
    default:
      return NULL;
    }
}
