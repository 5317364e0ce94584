/* studio-class-chart.c — a bar chart of how many samples each class has (drawn with Cairo). */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>

#include "studio-class-chart.h"
#include "studio-drawing.h"
#include "studio-format.h"

#define TARGET_TICKS     5
#define BAR_FILL         0.62   /* fraction of a class's slot the bar covers */
#define NAME_TILT        (G_PI / 4)
#define TEXT_GAP         6.0

struct _StudioClassChart
{
  GtkWidget   parent_instance;

  GStrv       class_names;
  gsize      *counts;
  guint       n_classes;
};

G_DEFINE_FINAL_TYPE (StudioClassChart, studio_class_chart, GTK_TYPE_WIDGET)

/* A tick step of 1, 2 or 5 × 10^k that gives about TARGET_TICKS ticks up to max_value. */
static double
nice_tick_step (double max_value)
{
  double raw_step = MAX (max_value, 1.0) / TARGET_TICKS;
  double magnitude = pow (10.0, floor (log10 (raw_step)));
  double fraction = raw_step / magnitude;
  double nice_fraction = fraction <= 1.0 ? 1.0
                         : fraction <= 2.0 ? 2.0
                         : fraction <= 5.0 ? 5.0
                         : 10.0;

  return MAX (1.0, nice_fraction * magnitude);
}

static void
draw_y_axis (cairo_t                     *cr,
             PangoLayout                 *layout,
             const StudioClassChartStyle *style,
             double                       left,
             double                       right,
             double                       top,
             double                       baseline,
             double                       axis_max,
             double                       tick_step)
{
  double plot_height = baseline - top;

  cairo_set_line_width (cr, 1.0);
  for (double value = 0; value <= axis_max + 0.5; value += tick_step)
    {
      double y = round (baseline - value / axis_max * plot_height) + 0.5;
      g_autofree char *text = studio_format_count ((guint64) value);
      int text_width, text_height;

      studio_drawing_set_color (cr, &style->foreground, value > 0 ? 0.12 : 0.6);
      cairo_move_to (cr, left - 4, y);
      cairo_line_to (cr, right, y);
      cairo_stroke (cr);

      studio_drawing_measure_text (layout, text, &text_width, &text_height);
      studio_drawing_set_color (cr, &style->foreground, 0.7);
      cairo_move_to (cr, left - TEXT_GAP - 2 - text_width, y - text_height / 2.0);
      pango_cairo_show_layout (cr, layout);
    }

  studio_drawing_set_color (cr, &style->foreground, 0.6);
  cairo_move_to (cr, round (left) + 0.5, top);
  cairo_line_to (cr, round (left) + 0.5, baseline);
  cairo_stroke (cr);
}

static void
draw_class_name (cairo_t     *cr,
                 PangoLayout *layout,
                 const char  *name,
                 double       center_x,
                 double       top,
                 double       slot_width,
                 gboolean     tilted)
{
  int text_width, text_height;

  studio_drawing_measure_text (layout, name, &text_width, &text_height);
  cairo_save (cr);
  if (tilted)
    {
      /* The name ends under the bar's centre and rises to it, so long names never collide. */
      cairo_translate (cr, center_x, top);
      cairo_rotate (cr, -NAME_TILT);
      cairo_move_to (cr, -text_width, -text_height / 2.0);
    }
  else
    {
      cairo_move_to (cr, center_x - MIN (text_width, slot_width) / 2.0, top);
    }
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

void
studio_class_chart_draw (cairo_t                     *cr,
                         int                          width,
                         int                          height,
                         const StudioClassChartStyle *style,
                         const char * const          *class_names,
                         const gsize                 *counts,
                         guint                        n_classes)
{
  g_autoptr(PangoLayout) layout = NULL;
  gsize max_count = 0;
  double tick_step, axis_max, left, right, top, baseline, slot_width, name_band;
  int tick_text_width, line_height, widest_name;
  gboolean tilted;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (style != NULL);
  g_return_if_fail (n_classes == 0 || (class_names != NULL && counts != NULL));

  if (n_classes == 0 || width < 60 || height < 60)
    return;

  /* Axis text a notch smaller than body text, as plots usually have it. */
  layout = studio_drawing_create_layout (cr, style->font, 0.9);

  for (guint i = 0; i < n_classes; i++)
    max_count = MAX (max_count, counts[i]);
  tick_step = nice_tick_step (max_count);
  axis_max = MAX (1.0, ceil (max_count / tick_step)) * tick_step;

  {
    g_autofree char *widest_tick = studio_format_count ((guint64) axis_max);
    studio_drawing_measure_text (layout, widest_tick, &tick_text_width, &line_height);
  }

  left = tick_text_width + 2 * TEXT_GAP + 2;
  right = width - TEXT_GAP;
  top = line_height + TEXT_GAP;
  slot_width = (right - left) / n_classes;
  widest_name = studio_drawing_widest_text (layout, class_names, n_classes);
  tilted = widest_name > slot_width - TEXT_GAP;
  name_band = tilted ? widest_name * sin (NAME_TILT) + line_height + TEXT_GAP
                     : line_height + 2 * TEXT_GAP;
  name_band = MIN (name_band, height * 0.45);
  baseline = height - name_band;
  if (baseline - top < 20)
    return;

  draw_y_axis (cr, layout, style, left, right, top, baseline, axis_max, tick_step);

  for (guint i = 0; i < n_classes; i++)
    {
      double bar_width = MAX (1.0, slot_width * BAR_FILL);
      double center_x = left + slot_width * (i + 0.5);
      double bar_height = counts[i] / axis_max * (baseline - top);
      g_autofree char *count_text = studio_format_count (counts[i]);
      int text_width, text_height;

      studio_drawing_set_color (cr, &style->bar, 1.0);
      cairo_rectangle (cr, round (center_x - bar_width / 2), baseline - bar_height,
                       round (bar_width), bar_height);
      cairo_fill (cr);

      studio_drawing_measure_text (layout, count_text, &text_width, &text_height);
      if (text_width <= slot_width)
        {
          studio_drawing_set_color (cr, &style->foreground, 0.85);
          cairo_move_to (cr, center_x - text_width / 2.0, baseline - bar_height - text_height - 2);
          pango_cairo_show_layout (cr, layout);
        }

      studio_drawing_set_color (cr, &style->foreground, 0.85);
      draw_class_name (cr, layout, class_names[i], center_x, baseline + TEXT_GAP,
                       slot_width, tilted);
    }
}

static void
studio_class_chart_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  StudioClassChart *self = STUDIO_CLASS_CHART (widget);
  GtkStyleContext *style_context = gtk_widget_get_style_context (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  StudioClassChartStyle style;
  cairo_t *cr;

  if (self->n_classes == 0 || width <= 0 || height <= 0)
    return;

  gtk_style_context_get_color (style_context, &style.foreground);
  studio_drawing_theme_color (widget, "theme_selected_bg_color", "#3584e4", &style.bar);
  style.font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  studio_class_chart_draw (cr, width, height, &style,
                           (const char * const *) self->class_names, self->counts,
                           self->n_classes);
  cairo_destroy (cr);
}

static void
studio_class_chart_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 560;
    }
  else
    {
      *minimum = 200;
      *natural = 260;
    }
}

static void
studio_class_chart_finalize (GObject *object)
{
  StudioClassChart *self = STUDIO_CLASS_CHART (object);

  g_clear_pointer (&self->class_names, g_strfreev);
  g_clear_pointer (&self->counts, g_free);

  G_OBJECT_CLASS (studio_class_chart_parent_class)->finalize (object);
}

static void
studio_class_chart_class_init (StudioClassChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = studio_class_chart_finalize;
  widget_class->snapshot = studio_class_chart_snapshot;
  widget_class->measure = studio_class_chart_measure;

  gtk_widget_class_set_css_name (widget_class, "classchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
studio_class_chart_init (StudioClassChart *self)
{
}

GtkWidget *
studio_class_chart_new (void)
{
  return g_object_new (STUDIO_TYPE_CLASS_CHART, NULL);
}

void
studio_class_chart_set_counts (StudioClassChart   *self,
                               const char * const *class_names,
                               const gsize        *counts,
                               guint               n_classes)
{
  g_return_if_fail (STUDIO_IS_CLASS_CHART (self));
  g_return_if_fail (n_classes == 0 || (class_names != NULL && counts != NULL));

  g_clear_pointer (&self->class_names, g_strfreev);
  g_clear_pointer (&self->counts, g_free);
  self->n_classes = n_classes;
  if (n_classes > 0)
    {
      self->class_names = g_new0 (char *, n_classes + 1);
      for (guint i = 0; i < n_classes; i++)
        self->class_names[i] = g_strdup (class_names[i]);
      self->counts = g_memdup2 (counts, n_classes * sizeof (gsize));
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
studio_class_chart_get_n_classes (StudioClassChart *self)
{
  g_return_val_if_fail (STUDIO_IS_CLASS_CHART (self), 0);

  return self->n_classes;
}

gsize
studio_class_chart_get_count (StudioClassChart *self,
                              guint             class_index)
{
  g_return_val_if_fail (STUDIO_IS_CLASS_CHART (self), 0);
  g_return_val_if_fail (class_index < self->n_classes, 0);

  return self->counts[class_index];
}

const char *
studio_class_chart_get_class_name (StudioClassChart *self,
                                   guint             class_index)
{
  g_return_val_if_fail (STUDIO_IS_CLASS_CHART (self), NULL);
  g_return_val_if_fail (class_index < self->n_classes, NULL);

  return self->class_names[class_index];
}
