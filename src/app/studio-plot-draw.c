/* studio-plot-draw.c — the training curves as plain Cairo drawing, with no widget needed. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "studio-drawing.h"
#include "studio-plot.h"

#define MARGIN_LEFT 62.0
#define MARGIN_RIGHT 18.0
#define PANEL_TOP 24.0      /* title and legend above each panel */
#define PANEL_GAP 10.0
#define AXIS_BOTTOM 34.0    /* epoch ticks and the axis title under the last panel */
#define FONT "Sans 9"

typedef enum {
  PANEL_LOSS,
  PANEL_ACCURACY,
  PANEL_LR,
  N_PANELS
} Panel;

/* Where a panel sits and what its axes span. */
typedef struct {
  double left, top, width, height;
  double x_min, x_max;
  double y_min, y_max;
  gboolean log_scale;
} Frame;

static const double panel_share[N_PANELS] = { 0.4, 0.4, 0.2 };

static double
x_extent (const StudioPlotData *data)
{
  double extent = MAX (data->total_epochs, (int) data->n_epochs);

  if (data->n_batch_points > 0)
    extent = MAX (extent, ceil (data->batch_points[data->n_batch_points - 1].epoch_position));
  return MAX (extent, 1);
}

static double
to_x (const Frame *frame,
      double       value)
{
  return frame->left + (value - frame->x_min) / (frame->x_max - frame->x_min) * frame->width;
}

static double
to_y (const Frame *frame,
      double       value)
{
  double fraction;

  if (frame->log_scale)
    value = log10 (MAX (value, 1e-30));
  fraction = (value - frame->y_min) / (frame->y_max - frame->y_min);
  return frame->top + frame->height * (1 - fraction);
}

/* A text label; `align_x` and `align_y` 0 = left/top, 0.5 = centre, 1 = right/bottom. */
static void
draw_text (cairo_t    *cr,
           const char *text,
           double      x,
           double      y,
           double      align_x,
           double      align_y)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string (FONT);
  int width, height;

  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, round (x - align_x * width), round (y - align_y * height));
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (font);
  g_object_unref (layout);
}

static double
text_width (cairo_t    *cr,
            const char *text)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string (FONT);
  int width;

  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, NULL);
  pango_font_description_free (font);
  g_object_unref (layout);
  return width;
}

/* 1, 2 or 5 times a power of ten, so that about `count` ticks span `range`. */
static double
nice_step (double range,
           int    count)
{
  double raw = range / MAX (count, 1);
  double magnitude = pow (10, floor (log10 (raw)));
  double fraction = raw / magnitude;

  if (fraction <= 1)
    return magnitude;
  if (fraction <= 2)
    return 2 * magnitude;
  if (fraction <= 5)
    return 5 * magnitude;
  return 10 * magnitude;
}

static double
epoch_value (const CnnEpochLogs *logs,
             Panel               panel,
             gboolean            validation)
{
  if (validation && !logs->has_validation)
    return NAN;
  switch (panel)
    {
    case PANEL_LOSS: return validation ? logs->val_loss : logs->loss;
    case PANEL_ACCURACY: return validation ? logs->val_accuracy : logs->accuracy;
    case PANEL_LR: return validation ? NAN : logs->lr;
    case N_PANELS: default: break;
    }
  return NAN;
}

static double
batch_value (const StudioBatchPoint *point,
             Panel                   panel)
{
  return panel == PANEL_LOSS ? point->loss : panel == PANEL_ACCURACY ? point->accuracy
                                                                     : point->lr;
}

/* Exponentially smoothed per-batch values (TensorBoard's smoothing), restarted at 0. */
static double *
smooth_batches (const StudioPlotData *data,
                Panel                 panel,
                double                smoothing)
{
  double *values = g_new (double, MAX (data->n_batch_points, 1));
  double average = NAN;

  for (guint i = 0; i < data->n_batch_points; i++)
    {
      double value = batch_value (&data->batch_points[i], panel);

      if (!isfinite (value))
        value = average;
      average = isfinite (average) ? smoothing * average + (1 - smoothing) * value : value;
      values[i] = average;
    }
  return values;
}

static void
include (double *low,
         double *high,
         double  value)
{
  if (!isfinite (value))
    return;
  *low = MIN (*low, value);
  *high = MAX (*high, value);
}

static void
set_y_range (Frame                *frame,
             const StudioPlotData *data,
             Panel                 panel,
             const double         *smoothed)
{
  double low = INFINITY, high = -INFINITY;

  for (guint i = 0; i < data->n_epochs; i++)
    {
      include (&low, &high, epoch_value (&data->epochs[i], panel, FALSE));
      include (&low, &high, epoch_value (&data->epochs[i], panel, TRUE));
    }
  for (guint i = 0; i < data->n_batch_points; i++)
    include (&low, &high, panel == PANEL_LR ? data->batch_points[i].lr : smoothed[i]);

  frame->log_scale = panel == PANEL_LR;
  if (!isfinite (low))
    low = panel == PANEL_LR ? 1e-4 : 0, high = panel == PANEL_LR ? 1e-2 : 1;
  if (panel == PANEL_LR)
    {
      low = floor (log10 (MAX (low, 1e-30)) + 1e-9);
      high = ceil (log10 (MAX (high, 1e-30)) - 1e-9);
      if (high <= low)
        high = low + 1;
    }
  else if (panel == PANEL_ACCURACY)
    {
      low = MAX (0, floor (low * 10) / 10);
      high = MIN (1, ceil (high * 10 + 1e-9) / 10);
      if (high <= low)
        low = MAX (0, high - 0.1);
    }
  else
    {
      low = 0;
      high = high > 0 ? high * 1.08 : 1;
    }
  frame->y_min = low;
  frame->y_max = high;
}

static void
format_tick (char   *buffer,
             gsize   size,
             double  value,
             double  step,
             gboolean log_scale)
{
  /* A tick computed as −0.0000001 is 0, not "-0". */
  if (fabs (value) < step * 1e-6)
    value = 0;
  if (log_scale)
    g_snprintf (buffer, size, "1e%d", (int) round (value));
  else if (step >= 1)
    g_snprintf (buffer, size, "%.0f", value);
  else
    g_snprintf (buffer, size, "%.*f", (int) MIN (6, ceil (-log10 (step) - 1e-9)), value);
}

static void
draw_axes (cairo_t               *cr,
           const Frame           *frame,
           const StudioPlotStyle *style,
           gboolean               epoch_labels)
{
  double step = frame->log_scale ? 1 : nice_step (frame->y_max - frame->y_min, 4);
  double x_step = MAX (1, nice_step (frame->x_max - frame->x_min, 10));
  char label[32];

  cairo_set_line_width (cr, 1);
  for (double value = ceil (frame->y_min / step - 1e-9) * step; value <= frame->y_max + 1e-9;
       value += step)
    {
      double y = round (frame->log_scale ? frame->top + frame->height
                                           * (1 - (value - frame->y_min)
                                                  / (frame->y_max - frame->y_min))
                                         : to_y (frame, value)) + 0.5;

      studio_drawing_set_color (cr, &style->foreground, 0.12);
      cairo_move_to (cr, frame->left, y);
      cairo_line_to (cr, frame->left + frame->width, y);
      cairo_stroke (cr);
      studio_drawing_set_color (cr, &style->foreground, 0.8);
      format_tick (label, sizeof label, value, step, frame->log_scale);
      draw_text (cr, label, frame->left - 6, y, 1, 0.5);
    }
  for (double epoch = x_step; epoch <= frame->x_max + 1e-9; epoch += x_step)
    {
      double x = round (to_x (frame, epoch)) + 0.5;

      studio_drawing_set_color (cr, &style->foreground, 0.08);
      cairo_move_to (cr, x, frame->top);
      cairo_line_to (cr, x, frame->top + frame->height);
      cairo_stroke (cr);
      if (epoch_labels)
        {
          studio_drawing_set_color (cr, &style->foreground, 0.8);
          g_snprintf (label, sizeof label, "%.0f", epoch);
          draw_text (cr, label, x, frame->top + frame->height + 4, 0.5, 0);
        }
    }
  studio_drawing_set_color (cr, &style->foreground, 0.6);
  cairo_rectangle (cr, round (frame->left) + 0.5, round (frame->top) + 0.5,
                   round (frame->width), round (frame->height));
  cairo_stroke (cr);
}

/* The points of one pixel column of a batch curve, drawn as its envelope. */
typedef struct {
  double x;
  double first, low, high, last;
  gboolean used;
} Column;

static void
flush_column (cairo_t  *cr,
              Column   *column,
              gboolean *pen_down)
{
  if (!column->used)
    return;
  if (*pen_down)
    cairo_line_to (cr, column->x, column->first);
  else
    cairo_move_to (cr, column->x, column->first);
  if (column->low != column->first)
    cairo_line_to (cr, column->x, column->low);
  if (column->high != column->low)
    cairo_line_to (cr, column->x, column->high);
  if (column->last != column->high)
    cairo_line_to (cr, column->x, column->last);
  *pen_down = TRUE;
  column->used = FALSE;
}

/* At most four points per pixel column (first, lowest, highest, last): a long run (60,000
 * images in batches of 32 for 50 epochs is ~94,000 batches) draws in a time that depends on
 * the plot's width, not on the length of the run, and looks the same. */
static void
draw_batch_curve (cairo_t       *cr,
                  const Frame   *frame,
                  const StudioPlotData *data,
                  const double  *values,
                  const GdkRGBA *color)
{
  gboolean pen_down = FALSE;
  Column column = { 0 };

  for (guint i = 0; i < data->n_batch_points; i++)
    {
      double x = round (to_x (frame, data->batch_points[i].epoch_position));
      double y;

      if (!isfinite (values[i]))
        continue;
      y = to_y (frame, values[i]);
      if (column.used && x != column.x)
        flush_column (cr, &column, &pen_down);
      if (!column.used)
        column = (Column) { x, y, y, y, y, TRUE };
      column.low = MIN (column.low, y);
      column.high = MAX (column.high, y);
      column.last = y;
    }
  flush_column (cr, &column, &pen_down);
  studio_drawing_set_color (cr, color, 0.45);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

/* Per-epoch values at x = epoch + 1 (the end of the epoch): a line and points. */
static void
draw_epoch_curve (cairo_t              *cr,
                  const Frame          *frame,
                  const StudioPlotData *data,
                  Panel                 panel,
                  gboolean              validation,
                  const GdkRGBA        *color)
{
  gboolean pen_down = FALSE;

  studio_drawing_set_color (cr, color, 1);
  cairo_set_line_width (cr, 2);
  for (guint i = 0; i < data->n_epochs; i++)
    {
      double value = epoch_value (&data->epochs[i], panel, validation);
      double x = to_x (frame, data->epochs[i].epoch + 1);

      if (!isfinite (value))
        continue;
      if (pen_down)
        cairo_line_to (cr, x, to_y (frame, value));
      else
        cairo_move_to (cr, x, to_y (frame, value));
      pen_down = TRUE;
    }
  cairo_stroke (cr);
  for (guint i = 0; i < data->n_epochs; i++)
    {
      double value = epoch_value (&data->epochs[i], panel, validation);

      if (!isfinite (value))
        continue;
      cairo_arc (cr, to_x (frame, data->epochs[i].epoch + 1), to_y (frame, value), 3, 0,
                 2 * G_PI);
      cairo_fill (cr);
    }
}

static const CnnEpochLogs *
find_epoch (const StudioPlotData *data,
            int                   epoch)
{
  for (guint i = 0; i < data->n_epochs; i++)
    if (data->epochs[i].epoch == epoch)
      return &data->epochs[i];
  return NULL;
}

static void
draw_vertical_marker (cairo_t       *cr,
                      const Frame   *frame,
                      double         epoch_x,
                      const GdkRGBA *color,
                      const double  *dashes,
                      int            n_dashes)
{
  double x = round (to_x (frame, epoch_x)) + 0.5;

  studio_drawing_set_color (cr, color, 1);
  cairo_set_line_width (cr, 1);
  cairo_set_dash (cr, dashes, n_dashes, 0);
  cairo_move_to (cr, x, frame->top);
  cairo_line_to (cr, x, frame->top + frame->height);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

/* ReduceLROnPlateau lowered the rate at the end of epoch i when epoch i + 1 ran slower;
 * the best epoch and EarlyStopping's stop are drawn on every panel. */
static void
draw_markers (cairo_t               *cr,
              const Frame           *frame,
              Panel                  panel,
              const StudioPlotData  *data,
              const StudioPlotStyle *style)
{
  static const double dashed[] = { 4, 3 };
  static const double dotted[] = { 3, 3 };

  for (guint i = 0; i + 1 < data->n_epochs; i++)
    if (data->epochs[i + 1].lr < data->epochs[i].lr * (1 - 1e-6))
      {
        draw_vertical_marker (cr, frame, data->epochs[i].epoch + 1, &style->learning_rate,
                              dashed, 2);
        if (panel == PANEL_LR)
          {
            studio_drawing_set_color (cr, &style->learning_rate, 1);
            /* Translators: a marker on the learning-rate plot: ReduceLROnPlateau acted. */
            draw_text (cr, _("lr ↓"), to_x (frame, data->epochs[i].epoch + 1) + 3,
                       frame->top + 2, 0, 0);
          }
      }
  if (data->best_epoch >= 0)
    {
      const CnnEpochLogs *best = find_epoch (data, data->best_epoch);

      draw_vertical_marker (cr, frame, data->best_epoch + 1, &style->best, dotted, 2);
      if (best != NULL && panel != PANEL_LR)
        {
          /* A ring around the best epoch's validation value. */
          double value = epoch_value (best, panel, best->has_validation);

          studio_drawing_set_color (cr, &style->best, 1);
          cairo_set_line_width (cr, 2);
          cairo_new_sub_path (cr);
          cairo_arc (cr, to_x (frame, best->epoch + 1), to_y (frame, value), 6.5, 0, 2 * G_PI);
          cairo_stroke (cr);
        }
      if (panel == PANEL_LOSS)
        {
          studio_drawing_set_color (cr, &style->best, 1);
          /* Translators: a marker on the loss plot: the best epoch so far. */
          draw_text (cr, _("best"), to_x (frame, data->best_epoch + 1) + 3,
                     frame->top + frame->height - 2, 0, 1);
        }
    }
  if (data->stopped_epoch >= 0)
    {
      draw_vertical_marker (cr, frame, data->stopped_epoch + 1, &style->stopped, NULL, 0);
      if (panel == PANEL_LOSS)
        {
          studio_drawing_set_color (cr, &style->stopped, 1);
          /* Translators: a marker on the loss plot: EarlyStopping ended training here. */
          draw_text (cr, _("early stop"), to_x (frame, data->stopped_epoch + 1) - 3,
                     frame->top + 2, 1, 0);
        }
    }
}

static void
draw_legend (cairo_t               *cr,
             const Frame           *frame,
             const char            *title,
             const char            *train_name,
             const char            *validation_name,
             const StudioPlotStyle *style,
             const GdkRGBA         *train_color)
{
  double x = frame->left + frame->width;
  double y = frame->top - PANEL_TOP / 2;
  const char *names[2] = { validation_name, train_name };
  const GdkRGBA *colors[2] = { &style->validation, train_color };

  studio_drawing_set_color (cr, &style->foreground, 1);
  draw_text (cr, title, frame->left, y, 0, 0.5);
  for (int i = 0; i < 2; i++)
    {
      if (names[i] == NULL)
        continue;
      x -= text_width (cr, names[i]);
      studio_drawing_set_color (cr, &style->foreground, 0.85);
      draw_text (cr, names[i], x, y, 0, 0.5);
      x -= 22;
      studio_drawing_set_color (cr, colors[i], 1);
      cairo_set_line_width (cr, 2);
      cairo_move_to (cr, x, y);
      cairo_line_to (cr, x + 16, y);
      cairo_stroke (cr);
      cairo_arc (cr, x + 8, y, 2.5, 0, 2 * G_PI);
      cairo_fill (cr);
      x -= 14;
    }
}

static void
layout_frames (double                width,
               double                height,
               const StudioPlotData *data,
               Frame                 frames[N_PANELS])
{
  double available = height - N_PANELS * PANEL_TOP - (N_PANELS - 1) * PANEL_GAP - AXIS_BOTTOM;
  double top = 0;

  available = MAX (available, 30);
  for (int panel = 0; panel < N_PANELS; panel++)
    {
      Frame *frame = &frames[panel];

      frame->left = MARGIN_LEFT;
      frame->width = MAX (width - MARGIN_LEFT - MARGIN_RIGHT, 10);
      frame->top = top + PANEL_TOP;
      frame->height = available * panel_share[panel];
      frame->x_min = 0;
      frame->x_max = x_extent (data);
      top = frame->top + frame->height + PANEL_GAP;
    }
}

int
studio_plot_epoch_at (double                width,
                      const StudioPlotData *data,
                      double                x)
{
  Frame frames[N_PANELS];
  double position;
  int epoch;

  g_return_val_if_fail (data != NULL, -1);

  if (data->n_epochs == 0)
    return -1;
  layout_frames (width, 1000, data, frames);
  position = frames[0].x_min + (x - frames[0].left) / frames[0].width
             * (frames[0].x_max - frames[0].x_min);
  if (position < 0 || position > frames[0].x_max)
    return -1;
  epoch = (int) round (position) - 1;
  return CLAMP (epoch, data->epochs[0].epoch, data->epochs[data->n_epochs - 1].epoch);
}

/* The values at the hovered epoch in a box beside its guide line. */
static void
draw_read_out (cairo_t               *cr,
               const Frame            frames[N_PANELS],
               const StudioPlotData  *data,
               const StudioPlotStyle *style)
{
  const CnnEpochLogs *logs = find_epoch (data, data->hover_epoch);
  g_autoptr(GString) text = NULL;
  PangoLayout *layout;
  PangoFontDescription *font;
  double x, box_x;
  int box_width, box_height;

  if (logs == NULL)
    return;
  x = round (to_x (&frames[0], logs->epoch + 1)) + 0.5;
  studio_drawing_set_color (cr, &style->foreground, 0.5);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, x, frames[0].top);
  cairo_line_to (cr, x, frames[PANEL_LR].top + frames[PANEL_LR].height);
  cairo_stroke (cr);

  text = g_string_new (NULL);
  /* Translators: the heading of the hover read-out on the plots. */
  g_string_append_printf (text, _("Epoch %d"), logs->epoch + 1);
  g_string_append_printf (text, "\nloss %.4f\naccuracy %.4f", logs->loss, logs->accuracy);
  if (logs->has_validation)
    g_string_append_printf (text, "\nval_loss %.4f\nval_accuracy %.4f",
                            logs->val_loss, logs->val_accuracy);
  g_string_append_printf (text, "\nlr %.3g", logs->lr);

  layout = pango_cairo_create_layout (cr);
  font = pango_font_description_from_string (FONT);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text->str, -1);
  pango_layout_get_pixel_size (layout, &box_width, &box_height);
  box_x = x + 8 + box_width + 12 < frames[0].left + frames[0].width ? x + 8
                                                                    : x - 8 - box_width - 12;
  studio_drawing_set_color (cr, &style->background, 0.92);
  cairo_rectangle (cr, box_x, frames[0].top + 6, box_width + 12, box_height + 8);
  cairo_fill_preserve (cr);
  studio_drawing_set_color (cr, &style->foreground, 0.4);
  cairo_stroke (cr);
  studio_drawing_set_color (cr, &style->foreground, 1);
  cairo_move_to (cr, box_x + 6, frames[0].top + 10);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (font);
  g_object_unref (layout);
}

static void
draw_panel (cairo_t               *cr,
            const Frame           *frame,
            Panel                  panel,
            const StudioPlotData  *data,
            const StudioPlotStyle *style,
            const double          *smoothed)
{
  static const char *const names[N_PANELS][2] = {
    { "loss", "val_loss" }, { "accuracy", "val_accuracy" }, { "lr", NULL },
  };
  const char *titles[N_PANELS] = {
    /* Translators: titles of the three training plots. */
    _("Loss"), _("Accuracy"), _("Learning rate"),
  };
  const GdkRGBA *train_color = panel == PANEL_LR ? &style->learning_rate : &style->train;
  gboolean has_validation = FALSE;

  for (guint i = 0; i < data->n_epochs; i++)
    has_validation |= data->epochs[i].has_validation;

  draw_axes (cr, frame, style, panel == PANEL_LR);
  if (data->n_epochs == 0 && data->n_batch_points == 0)
    {
      studio_drawing_set_color (cr, &style->foreground, 1);
      draw_text (cr, titles[panel], frame->left, frame->top - PANEL_TOP / 2, 0, 0.5);
      return;
    }
  draw_legend (cr, frame, titles[panel], names[panel][0],
               has_validation ? names[panel][1] : NULL, style, train_color);

  cairo_save (cr);
  cairo_rectangle (cr, frame->left, frame->top, frame->width, frame->height);
  cairo_clip (cr);
  draw_markers (cr, frame, panel, data, style);
  draw_batch_curve (cr, frame, data, smoothed, train_color);
  draw_epoch_curve (cr, frame, data, panel, FALSE, train_color);
  if (panel != PANEL_LR)
    draw_epoch_curve (cr, frame, data, panel, TRUE, &style->validation);
  cairo_restore (cr);
}

void
studio_plot_draw (cairo_t               *cr,
                  double                 width,
                  double                 height,
                  const StudioPlotData  *data,
                  const StudioPlotStyle *style)
{
  Frame frames[N_PANELS];

  g_return_if_fail (cr != NULL && data != NULL && style != NULL);

  cairo_save (cr);
  if (style->fill_background)
    {
      studio_drawing_set_color (cr, &style->background, 1);
      cairo_paint (cr);
    }
  layout_frames (width, height, data, frames);
  for (int panel = 0; panel < N_PANELS; panel++)
    {
      g_autofree double *smoothed = smooth_batches (data, panel,
                                                    panel == PANEL_LR ? 0 : style->smoothing);

      set_y_range (&frames[panel], data, panel, smoothed);
      draw_panel (cr, &frames[panel], panel, data, style, smoothed);
    }
  studio_drawing_set_color (cr, &style->foreground, 0.8);
  /* Translators: the title of the plots' horizontal axis. */
  draw_text (cr, _("Epoch"), frames[0].left + frames[0].width / 2, height - 2, 0.5, 1);
  if (data->hover_epoch >= 0)
    draw_read_out (cr, frames, data, style);
  cairo_restore (cr);
}

static void
parse_color (GdkRGBA    *color,
             const char *light,
             const char *dark,
             gboolean    is_dark)
{
  gdk_rgba_parse (color, is_dark ? dark : light);
}

void
studio_plot_style_init (StudioPlotStyle *style,
                        const GdkRGBA   *foreground)
{
  /* Light text means a dark theme: use the lighter shades of the GNOME palette there. */
  gboolean is_dark = 0.299 * foreground->red + 0.587 * foreground->green
                     + 0.114 * foreground->blue > 0.5;

  memset (style, 0, sizeof *style);
  style->foreground = *foreground;
  style->foreground.alpha = 1;
  parse_color (&style->background, "#ffffff", "#242424", is_dark);
  parse_color (&style->train, "#1c71d8", "#62a0ea", is_dark);
  parse_color (&style->validation, "#e66100", "#ffa348", is_dark);
  parse_color (&style->learning_rate, "#813d9c", "#c061cb", is_dark);
  parse_color (&style->best, "#26a269", "#8ff0a4", is_dark);
  parse_color (&style->stopped, "#c01c28", "#f66151", is_dark);
  style->smoothing = 0.8;
}
