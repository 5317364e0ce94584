/* studio-progbar.c — Keras's progress lines: "Epoch 1/3", the bar, ETA, metrics, step times. */
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Mirrors keras/utils/generic_utils.py Progbar.update (tf.keras 2.x), width 30.

#include "config.h"

#include <math.h>

#include "studio-progbar.h"

enum { BAR_WIDTH = 30 };

void
studio_progbar_append_value (GString *line,
                             double   value)
{
  if (fabs (value) > 1e-3)
    g_string_append_printf (line, " %.4f", value);
  else
    g_string_append_printf (line, " %.4e", value);
}

static void
append_metrics (GString            *line,
                const StudioMetric *metrics,
                guint               n_metrics)
{
  for (guint i = 0; i < n_metrics; i++)
    {
      g_string_append_printf (line, " - %s:", metrics[i].name);
      studio_progbar_append_value (line, metrics[i].value);
    }
}

/* Keras's _format_time: whole seconds, milliseconds or microseconds per unit. */
static void
append_time_per_unit (GString    *line,
                      double      seconds,
                      const char *unit)
{
  if (seconds >= 1 || seconds == 0)
    g_string_append_printf (line, " %.0fs/%s", seconds, unit);
  else if (seconds >= 1e-3)
    g_string_append_printf (line, " %.0fms/%s", seconds * 1e3, unit);
  else
    g_string_append_printf (line, " %.0fus/%s", seconds * 1e6, unit);
}

static void
append_counter (GString *line,
                gint64   step,
                gint64   steps)
{
  int digits = (int) floor (log10 ((double) MAX (steps, 1))) + 1;

  g_string_append_printf (line, "%*" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, digits, step, steps);
}

char *
studio_progbar_line (gint64              step,
                     gint64              steps,
                     double              elapsed,
                     const StudioMetric *metrics,
                     guint               n_metrics)
{
  GString *line;
  int filled;

  g_return_val_if_fail (steps > 0 && step >= 0 && step <= steps, NULL);

  line = g_string_new (NULL);
  append_counter (line, step, steps);
  g_string_append (line, " [");
  filled = (int) (BAR_WIDTH * (double) step / steps);
  if (filled > 0)
    {
      for (int i = 0; i < filled - 1; i++)
        g_string_append_c (line, '=');
      g_string_append_c (line, step < steps ? '>' : '=');
    }
  for (int i = filled; i < BAR_WIDTH; i++)
    g_string_append_c (line, '.');
  g_string_append_c (line, ']');

  if (step < steps)
    {
      double per_step = step > 0 ? elapsed / step : 0;
      gint64 eta = (gint64) (per_step * (steps - step));

      if (eta > 3600)
        g_string_append_printf (line, " - ETA: %" G_GINT64_FORMAT ":%02d:%02d", eta / 3600,
                                (int) (eta % 3600) / 60, (int) (eta % 60));
      else if (eta > 60)
        g_string_append_printf (line, " - ETA: %" G_GINT64_FORMAT ":%02d", eta / 60,
                                (int) (eta % 60));
      else
        g_string_append_printf (line, " - ETA: %" G_GINT64_FORMAT "s", eta);
    }
  else
    {
      g_string_append_printf (line, " - %.0fs", elapsed);
      append_time_per_unit (line, elapsed / steps, "step");
    }

  append_metrics (line, metrics, n_metrics);
  return g_string_free (line, FALSE);
}

char *
studio_progbar_epoch_line (gint64              steps,
                           double              elapsed,
                           const StudioMetric *metrics,
                           guint               n_metrics)
{
  GString *line = g_string_new (NULL);

  append_counter (line, steps, steps);
  g_string_append_printf (line, " - %.0fs", elapsed);
  append_metrics (line, metrics, n_metrics);
  g_string_append (line, " -");
  append_time_per_unit (line, elapsed, "epoch");
  g_string_append (line, " -");
  append_time_per_unit (line, elapsed / MAX (steps, 1), "step");
  return g_string_free (line, FALSE);
}
