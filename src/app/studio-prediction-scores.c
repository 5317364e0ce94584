/* studio-prediction-scores.c — the Predictions page's scores panel: accuracy, confusion
 * matrix and a precision/recall/support table per class. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "studio-format.h"
#include "studio-prediction-cell.h"
#include "studio-prediction-scores.h"

struct _StudioPredictionScores
{
  GtkWidget              parent_instance;

  /* Template children */
  GtkWidget             *scores_box;
  GtkLabel              *accuracy_label;
  StudioConfusionMatrix *confusion_matrix;
  GtkWidget             *matrix_hint;
  GtkGrid               *metrics_grid;
  GtkWidget             *no_labels_label;
};

G_DEFINE_FINAL_TYPE (StudioPredictionScores, studio_prediction_scores, GTK_TYPE_WIDGET)

static void
attach_cell (GtkGrid    *grid,
             const char *text,
             int         column,
             int         row,
             gboolean    header)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0.0 : 1.0);
  if (column == 0)
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (label, TRUE);
    }
  else
    gtk_widget_add_css_class (label, "numeric");
  if (header)
    gtk_widget_add_css_class (label, "metrics-header");
  gtk_grid_attach (grid, label, column, row, 1, 1);
}

static void
show_metrics_table (StudioPredictionScores        *self,
                    const StudioPredictionMetrics *metrics,
                    const char * const            *class_names)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->metrics_grid))) != NULL)
    gtk_grid_remove (self->metrics_grid, child);
  if (metrics == NULL)
    return;

  attach_cell (self->metrics_grid, _("Class"), 0, 0, TRUE);
  attach_cell (self->metrics_grid, _("Precision"), 1, 0, TRUE);
  /* Translators: recall is the share of a class's images predicted as that class. */
  attach_cell (self->metrics_grid, _("Recall"), 2, 0, TRUE);
  /* Translators: support is how many images of the class there are. */
  attach_cell (self->metrics_grid, _("Support"), 3, 0, TRUE);
  for (guint c = 0; c < metrics->n_classes; c++)
    {
      g_autofree char *precision = studio_prediction_format_percent (metrics->precision[c], 1);
      g_autofree char *recall = studio_prediction_format_percent (metrics->recall[c], 1);
      g_autofree char *support = studio_format_count (metrics->support[c]);

      attach_cell (self->metrics_grid, class_names[c], 0, c + 1, FALSE);
      attach_cell (self->metrics_grid, precision, 1, c + 1, FALSE);
      attach_cell (self->metrics_grid, recall, 2, c + 1, FALSE);
      attach_cell (self->metrics_grid, support, 3, c + 1, FALSE);
    }
}

void
studio_prediction_scores_set_metrics (StudioPredictionScores        *self,
                                      const StudioPredictionMetrics *metrics,
                                      const char * const            *class_names)
{
  gboolean labelled = metrics != NULL;

  g_return_if_fail (STUDIO_IS_PREDICTION_SCORES (self));
  g_return_if_fail (metrics == NULL || class_names != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->accuracy_label), labelled);
  gtk_widget_set_visible (GTK_WIDGET (self->confusion_matrix), labelled);
  gtk_widget_set_visible (self->matrix_hint, labelled);
  gtk_widget_set_visible (GTK_WIDGET (self->metrics_grid), labelled);
  gtk_widget_set_visible (self->no_labels_label, !labelled);

  if (labelled)
    {
      g_autofree char *accuracy = studio_prediction_format_percent (metrics->accuracy, 1);
      g_autofree char *correct = studio_format_count (metrics->n_correct);
      g_autofree char *labelled_count = studio_format_count (metrics->n_labelled);
      g_autofree char *text = NULL;

      /* Translators: e.g. "Accuracy 91.2% (9,120 of 10,000 right)". */
      text = g_strdup_printf (_("Accuracy %s (%s of %s right)"), accuracy, correct,
                              labelled_count);
      gtk_label_set_text (self->accuracy_label, text);
      studio_confusion_matrix_set_counts (self->confusion_matrix, class_names,
                                          metrics->confusion, metrics->n_classes);
    }
  else
    studio_confusion_matrix_set_counts (self->confusion_matrix, NULL, NULL, 0);
  show_metrics_table (self, metrics, class_names);
}

StudioConfusionMatrix *
studio_prediction_scores_get_confusion_matrix (StudioPredictionScores *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTION_SCORES (self), NULL);

  return self->confusion_matrix;
}

static void
studio_prediction_scores_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), STUDIO_TYPE_PREDICTION_SCORES);

  G_OBJECT_CLASS (studio_prediction_scores_parent_class)->dispose (object);
}

static void
studio_prediction_scores_class_init (StudioPredictionScoresClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = studio_prediction_scores_dispose;

  g_type_ensure (STUDIO_TYPE_CONFUSION_MATRIX);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convstudio/ConvStudio/"
                                               "studio-prediction-scores.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioPredictionScores, scores_box);
  gtk_widget_class_bind_template_child (widget_class, StudioPredictionScores, accuracy_label);
  gtk_widget_class_bind_template_child (widget_class, StudioPredictionScores, confusion_matrix);
  gtk_widget_class_bind_template_child (widget_class, StudioPredictionScores, matrix_hint);
  gtk_widget_class_bind_template_child (widget_class, StudioPredictionScores, metrics_grid);
  gtk_widget_class_bind_template_child (widget_class, StudioPredictionScores, no_labels_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "predictionscores");
}

static void
studio_prediction_scores_init (StudioPredictionScores *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  studio_prediction_scores_set_metrics (self, NULL, NULL);
}

GtkWidget *
studio_prediction_scores_new (void)
{
  return g_object_new (STUDIO_TYPE_PREDICTION_SCORES, NULL);
}
