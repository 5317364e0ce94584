/* studio-predictions-page-filters.c — the Predictions page's filters and order: predicted
 * and true class, right or wrong, sorting, and the controls and shortcuts that set them. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "studio-format.h"
#include "studio-predictions-page-private.h"

gboolean
studio_predictions_page_row_passes_filters (gpointer item,
                    gpointer user_data)
{
  StudioPredictionsPage *self = user_data;
  StudioPredictionRow *row = item;
  gint32 truth = studio_prediction_row_get_true_label (row);

  if (self->predicted_filter >= 0
      && studio_prediction_row_get_predicted (row) != (guint) self->predicted_filter)
    return FALSE;
  if (self->true_filter >= 0 && truth != self->true_filter)
    return FALSE;
  switch (self->verdict)
    {
    case STUDIO_PREDICTION_SHOW_CORRECT:
      return studio_prediction_row_is_correct (row);
    case STUDIO_PREDICTION_SHOW_WRONG:
      return studio_prediction_row_has_label (row) && !studio_prediction_row_is_correct (row);
    case STUDIO_PREDICTION_SHOW_ALL:
    default:
      return TRUE;
    }
}

static int
compare_floats_descending (float a,
                           float b)
{
  /* Unknown values (NAN losses of unlabelled rows) go last. */
  if (isnan (a) || isnan (b))
    return isnan (a) - isnan (b);
  return (a < b) - (a > b);
}

int
studio_predictions_page_compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  StudioPredictionsPage *self = user_data;
  StudioPredictionRow *row_a = (StudioPredictionRow *) a;
  StudioPredictionRow *row_b = (StudioPredictionRow *) b;
  guint position_a = studio_prediction_row_get_position (row_a);
  guint position_b = studio_prediction_row_get_position (row_b);
  int order = 0;

  switch (self->sort)
    {
    case STUDIO_PREDICTION_SORT_CONFIDENCE_HIGH_FIRST:
      order = compare_floats_descending (studio_prediction_row_get_confidence (row_a),
                                         studio_prediction_row_get_confidence (row_b));
      break;
    case STUDIO_PREDICTION_SORT_CONFIDENCE_LOW_FIRST:
      order = -compare_floats_descending (studio_prediction_row_get_confidence (row_a),
                                          studio_prediction_row_get_confidence (row_b));
      break;
    case STUDIO_PREDICTION_SORT_LOSS_HIGH_FIRST:
      order = compare_floats_descending (studio_prediction_row_get_loss (row_a),
                                         studio_prediction_row_get_loss (row_b));
      break;
    case STUDIO_PREDICTION_SORT_DATASET_ORDER:
    default:
      break;
    }
  /* Equal keys keep the order the predictions came in, so the grid never shuffles. */
  if (order == 0)
    order = (position_a > position_b) - (position_a < position_b);
  return order;
}

void
studio_predictions_page_update_count (StudioPredictionsPage *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint total = self->results != NULL
                ? g_list_model_get_n_items (G_LIST_MODEL (self->results)) : 0;
  g_autofree char *shown_text = studio_format_count (shown);
  g_autofree char *total_text = studio_format_count (total);
  g_autofree char *text = NULL;

  if (shown == total)
    /* Translators: how many images the grid shows when no filter hides any. */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s image", "%s images", total),
                            total_text);
  else
    /* Translators: how many images pass the filters, e.g. "312 of 10,000 images". */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s of %s image", "%s of %s images",
                                         total),
                            shown_text, total_text);
  gtk_label_set_text (self->count_label, text);
  gtk_stack_set_visible_child_name (self->grid_stack, shown > 0 || total == 0 ? "grid" : "nothing");
}

void
studio_predictions_page_sync_controls (StudioPredictionsPage *self)
{
  GtkToggleButton *verdict_toggle = self->verdict == STUDIO_PREDICTION_SHOW_CORRECT
                                    ? self->correct_toggle
                                    : self->verdict == STUDIO_PREDICTION_SHOW_WRONG
                                    ? self->wrong_toggle : self->all_toggle;
  StudioConfusionMatrix *matrix;

  self->syncing_controls = TRUE;
  gtk_drop_down_set_selected (self->predicted_dropdown, self->predicted_filter + 1);
  gtk_drop_down_set_selected (self->true_dropdown, self->true_filter + 1);
  gtk_toggle_button_set_active (verdict_toggle, TRUE);
  gtk_drop_down_set_selected (self->sort_dropdown, self->sort);
  self->syncing_controls = FALSE;

  matrix = studio_prediction_scores_get_confusion_matrix (self->scores);
  studio_confusion_matrix_set_selected (matrix,
                                        self->predicted_filter >= 0 ? self->true_filter : -1,
                                        self->true_filter >= 0 ? self->predicted_filter : -1);
}

/* A new filter or order starts at the top: the grid would otherwise keep following the
 * item it showed, wherever that item went. */
void
studio_predictions_page_scroll_to_top (StudioPredictionsPage *self)
{
  /* Moving the view's anchor, not just the adjustment, which the view would reset. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->grid_view), "list.scroll-to-item", "u", 0);
}

static void
refilter (StudioPredictionsPage *self)
{
  studio_predictions_page_sync_controls (self);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  studio_predictions_page_scroll_to_top (self);
}

static void
on_predicted_dropdown_changed (StudioPredictionsPage *self)
{
  if (!self->syncing_controls)
    studio_predictions_page_set_predicted_filter (
      self, (int) gtk_drop_down_get_selected (self->predicted_dropdown) - 1);
}

static void
on_true_dropdown_changed (StudioPredictionsPage *self)
{
  if (!self->syncing_controls)
    studio_predictions_page_set_true_filter (
      self, (int) gtk_drop_down_get_selected (self->true_dropdown) - 1);
}

static void
on_verdict_toggled (StudioPredictionsPage *self,
                    GtkToggleButton       *toggle)
{
  if (self->syncing_controls || !gtk_toggle_button_get_active (toggle))
    return;
  studio_predictions_page_set_verdict (self, toggle == self->wrong_toggle
                                             ? STUDIO_PREDICTION_SHOW_WRONG
                                             : toggle == self->correct_toggle
                                             ? STUDIO_PREDICTION_SHOW_CORRECT
                                             : STUDIO_PREDICTION_SHOW_ALL);
}

static void
on_sort_dropdown_changed (StudioPredictionsPage *self)
{
  if (!self->syncing_controls)
    studio_predictions_page_set_sort (self, gtk_drop_down_get_selected (self->sort_dropdown));
}

/* A cell filters the grid to its (true, predicted) pair; the same cell again shows all. */
void
studio_predictions_page_on_confusion_cell_activated (StudioPredictionsPage *self,
                             guint                  row,
                             guint                  column)
{
  if (self->true_filter == (int) row && self->predicted_filter == (int) column)
    {
      self->true_filter = self->predicted_filter = -1;
    }
  else
    {
      self->true_filter = row;
      self->predicted_filter = column;
      self->verdict = STUDIO_PREDICTION_SHOW_ALL;
    }
  refilter (self);
}

static void
toggle_wrong_only (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  StudioPredictionsPage *self = STUDIO_PREDICTIONS_PAGE (widget);

  if (self->results == NULL || !studio_prediction_list_has_labels (self->results))
    return;
  studio_predictions_page_set_verdict (self, self->verdict == STUDIO_PREDICTION_SHOW_WRONG
                                             ? STUDIO_PREDICTION_SHOW_ALL
                                             : STUDIO_PREDICTION_SHOW_WRONG);
}

static void
clear_filters (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  StudioPredictionsPage *self = STUDIO_PREDICTIONS_PAGE (widget);

  self->predicted_filter = self->true_filter = -1;
  self->verdict = STUDIO_PREDICTION_SHOW_ALL;
  refilter (self);
}

void
studio_predictions_page_set_predicted_filter (StudioPredictionsPage *self,
                                              int                    class_index)
{
  g_return_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self));
  g_return_if_fail (class_index >= -1 && class_index < (int) self->n_classes);

  self->predicted_filter = class_index;
  refilter (self);
}

int
studio_predictions_page_get_predicted_filter (StudioPredictionsPage *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self), -1);
  return self->predicted_filter;
}

void
studio_predictions_page_set_true_filter (StudioPredictionsPage *self,
                                         int                    class_index)
{
  g_return_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self));
  g_return_if_fail (class_index >= -1 && class_index < (int) self->n_classes);

  self->true_filter = class_index;
  refilter (self);
}

int
studio_predictions_page_get_true_filter (StudioPredictionsPage *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self), -1);
  return self->true_filter;
}

void
studio_predictions_page_set_verdict (StudioPredictionsPage   *self,
                                     StudioPredictionVerdict  verdict)
{
  g_return_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self));
  g_return_if_fail (verdict <= STUDIO_PREDICTION_SHOW_WRONG);

  self->verdict = verdict;
  refilter (self);
}

StudioPredictionVerdict
studio_predictions_page_get_verdict (StudioPredictionsPage *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self), STUDIO_PREDICTION_SHOW_ALL);
  return self->verdict;
}

void
studio_predictions_page_set_sort (StudioPredictionsPage *self,
                                  StudioPredictionSort   sort)
{
  g_return_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self));
  g_return_if_fail (sort <= STUDIO_PREDICTION_SORT_LOSS_HIGH_FIRST);

  self->sort = sort;
  studio_predictions_page_sync_controls (self);
  gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
  studio_predictions_page_scroll_to_top (self);
}

StudioPredictionSort
studio_predictions_page_get_sort (StudioPredictionsPage *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self), STUDIO_PREDICTION_SORT_DATASET_ORDER);
  return self->sort;
}

guint
studio_predictions_page_get_n_shown (StudioPredictionsPage *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}

guint
studio_predictions_page_get_shown_row (StudioPredictionsPage *self,
                                       guint                  position)
{
  g_autoptr(StudioPredictionRow) row = NULL;

  g_return_val_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self), 0);

  row = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);
  g_return_val_if_fail (row != NULL, 0);
  return studio_prediction_row_get_position (row);
}

void
studio_predictions_page_class_init_filters (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_predicted_dropdown_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_true_dropdown_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_verdict_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_sort_dropdown_changed);

  /* W toggles wrong-only and Escape clears the filters, wherever the focus is on the page. */
  gtk_widget_class_install_action (widget_class, "predictions.toggle-wrong-only", NULL,
                                   toggle_wrong_only);
  gtk_widget_class_install_action (widget_class, "predictions.clear-filters", NULL,
                                   clear_filters);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, 0,
                                       "predictions.toggle-wrong-only", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0,
                                       "predictions.clear-filters", NULL);
}
