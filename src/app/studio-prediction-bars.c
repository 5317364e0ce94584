/* studio-prediction-bars.c — one image's probability for every class, as horizontal bars. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "studio-drawing.h"
#include "studio-export.h"
#include "studio-prediction-bars.h"

#define GAP            8.0
#define MAX_NAME_WIDTH 130
#define BAR_THICKNESS  0.6   /* of a row's height */

struct _StudioPredictionBars
{
  GtkWidget  parent_instance;

  GStrv      class_names;
  float     *probabilities;   /* (n_classes) */
  guint      n_classes;
  gint32     true_label;
};

G_DEFINE_FINAL_TYPE (StudioPredictionBars, studio_prediction_bars, GTK_TYPE_WIDGET)

static const GdkRGBA *
bar_color (const StudioPredictionBarsStyle *style,
           guint                            class_index,
           guint                            predicted,
           gint32                           true_label,
           double                          *alpha)
{
  gboolean known = true_label >= 0;

  *alpha = 1.0;
  if (class_index == predicted)
    return known && (guint) true_label != predicted ? &style->mistake : &style->predicted;
  if (known && class_index == (guint) true_label)
    return &style->truth;
  *alpha = 0.4;
  return &style->foreground;
}

void
studio_prediction_bars_draw (cairo_t                         *cr,
                             int                              width,
                             int                              height,
                             const StudioPredictionBarsStyle *style,
                             const char * const              *class_names,
                             const float                     *probabilities,
                             guint                            n_classes,
                             gint32                           true_label)
{
  g_autoptr(PangoLayout) layout = NULL;
  double name_width, value_width, bar_left, bar_span, row_height;
  guint predicted;
  int value_text_width, unused;

  g_return_if_fail (cr != NULL && style != NULL);
  g_return_if_fail (n_classes == 0 || (class_names != NULL && probabilities != NULL));

  if (n_classes == 0 || width < 80 || height < 10)
    return;

  layout = studio_drawing_create_layout (cr, style->font, 1.0);

  predicted = studio_argmax (probabilities, n_classes);
  name_width = MIN (studio_drawing_widest_text (layout, class_names, n_classes), MAX_NAME_WIDTH);
  pango_layout_set_text (layout, "100.0%", -1);
  pango_layout_get_pixel_size (layout, &value_text_width, &unused);
  value_width = value_text_width;
  bar_left = name_width + GAP;
  bar_span = width - bar_left - GAP - value_width;
  row_height = MIN ((double) STUDIO_PREDICTION_BARS_ROW_HEIGHT, (double) height / n_classes);
  if (bar_span < 10)
    return;

  for (guint c = 0; c < n_classes; c++)
    {
      double top = c * row_height;
      double thickness = row_height * BAR_THICKNESS;
      double value = CLAMP (probabilities[c], 0.0f, 1.0f);
      g_autofree char *value_text = g_strdup_printf ("%.1f%%", 100.0 * value);
      const GdkRGBA *color;
      double alpha;
      int text_width, text_height;

      pango_layout_set_width (layout, (int) name_width * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
      pango_layout_set_text (layout, class_names[c], -1);
      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      studio_drawing_set_color (cr, &style->foreground, c == predicted ? 1.0 : 0.8);
      cairo_move_to (cr, 0, top + (row_height - text_height) / 2.0);
      pango_cairo_show_layout (cr, layout);

      /* The track shows where 100% is, so small values read as small. */
      studio_drawing_set_color (cr, &style->foreground, 0.08);
      cairo_rectangle (cr, bar_left, top + (row_height - thickness) / 2.0, bar_span, thickness);
      cairo_fill (cr);
      color = bar_color (style, c, predicted, true_label, &alpha);
      studio_drawing_set_color (cr, color, alpha);
      cairo_rectangle (cr, bar_left, top + (row_height - thickness) / 2.0,
                       MAX (value * bar_span, value > 0 ? 1.0 : 0.0), thickness);
      cairo_fill (cr);

      pango_layout_set_width (layout, -1);
      pango_layout_set_text (layout, value_text, -1);
      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      studio_drawing_set_color (cr, &style->foreground, c == predicted ? 1.0 : 0.75);
      cairo_move_to (cr, width - text_width, top + (row_height - text_height) / 2.0);
      pango_cairo_show_layout (cr, layout);
    }
}

static void
studio_prediction_bars_snapshot (GtkWidget   *widget,
                                 GtkSnapshot *snapshot)
{
  StudioPredictionBars *self = STUDIO_PREDICTION_BARS (widget);
  GtkStyleContext *style_context = gtk_widget_get_style_context (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  StudioPredictionBarsStyle style;
  cairo_t *cr;

  if (self->n_classes == 0 || width <= 0 || height <= 0)
    return;

  gtk_style_context_get_color (style_context, &style.foreground);
  studio_drawing_theme_color (widget, "theme_selected_bg_color", "#3584e4", &style.predicted);
  studio_drawing_theme_color (widget, "error_color", "#e01b24", &style.mistake);
  studio_drawing_theme_color (widget, "success_color", "#2ec27e", &style.truth);
  style.font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  studio_prediction_bars_draw (cr, width, height, &style,
                               (const char * const *) self->class_names, self->probabilities,
                               self->n_classes, self->true_label);
  cairo_destroy (cr);
}

static void
studio_prediction_bars_measure (GtkWidget      *widget,
                                GtkOrientation  orientation,
                                int             for_size,
                                int            *minimum,
                                int            *natural,
                                int            *minimum_baseline,
                                int            *natural_baseline)
{
  StudioPredictionBars *self = STUDIO_PREDICTION_BARS (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 320;
    }
  else
    *minimum = *natural = self->n_classes * STUDIO_PREDICTION_BARS_ROW_HEIGHT;
}

static void
studio_prediction_bars_finalize (GObject *object)
{
  StudioPredictionBars *self = STUDIO_PREDICTION_BARS (object);

  g_clear_pointer (&self->class_names, g_strfreev);
  g_clear_pointer (&self->probabilities, g_free);

  G_OBJECT_CLASS (studio_prediction_bars_parent_class)->finalize (object);
}

static void
studio_prediction_bars_class_init (StudioPredictionBarsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = studio_prediction_bars_finalize;
  widget_class->snapshot = studio_prediction_bars_snapshot;
  widget_class->measure = studio_prediction_bars_measure;

  gtk_widget_class_set_css_name (widget_class, "predictionbars");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
studio_prediction_bars_init (StudioPredictionBars *self)
{
  self->true_label = -1;
}

GtkWidget *
studio_prediction_bars_new (void)
{
  return g_object_new (STUDIO_TYPE_PREDICTION_BARS, NULL);
}

void
studio_prediction_bars_set_probabilities (StudioPredictionBars *self,
                                          const char * const   *class_names,
                                          const float          *probabilities,
                                          guint                 n_classes,
                                          gint32                true_label)
{
  g_return_if_fail (STUDIO_IS_PREDICTION_BARS (self));
  g_return_if_fail (n_classes == 0 || (class_names != NULL && probabilities != NULL));

  g_clear_pointer (&self->class_names, g_strfreev);
  g_clear_pointer (&self->probabilities, g_free);
  self->n_classes = n_classes;
  self->true_label = true_label;
  if (n_classes > 0)
    {
      self->class_names = g_new0 (char *, n_classes + 1);
      for (guint i = 0; i < n_classes; i++)
        self->class_names[i] = g_strdup (class_names[i]);
      self->probabilities = g_memdup2 (probabilities, n_classes * sizeof (float));
    }
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
studio_prediction_bars_get_n_classes (StudioPredictionBars *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTION_BARS (self), 0);
  return self->n_classes;
}

float
studio_prediction_bars_get_probability (StudioPredictionBars *self,
                                        guint                 class_index)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTION_BARS (self), 0.0f);
  g_return_val_if_fail (class_index < self->n_classes, 0.0f);
  return self->probabilities[class_index];
}
