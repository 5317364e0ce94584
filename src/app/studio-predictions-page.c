/* studio-predictions-page.c — the Predictions page: a grid of predicted images, one image's
 * probabilities and CSV export (filters in -filters.c, scores in studio-prediction-scores.c). */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"


#include <glib/gi18n.h>

#include "studio-export.h"
#include "studio-format.h"
#include "studio-prediction-bars.h"
#include "studio-prediction-cell.h"
#include "studio-prediction-list.h"
#include "studio-prediction-scores.h"
#include "studio-predictions-page-private.h"
#include "studio-sample-grid.h"
#include "studio-status-page.h"

#define DETAIL_SIZE    224

G_DEFINE_FINAL_TYPE (StudioPredictionsPage, studio_predictions_page, GTK_TYPE_WIDGET)

static guint sample_activated_signal;

static const char *
class_name_or_unknown (StudioPredictionsPage *self,
                       gint32                 class_index)
{
  return studio_prediction_class_name ((const char * const *) self->class_names, self->n_classes,
                                       class_index);
}

/* Grid cells ---------------------------------------------------------------------------- */

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  gtk_list_item_set_child (list_item, studio_prediction_cell_new ());
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           StudioPredictionsPage    *self)
{
  studio_prediction_cell_bind (STUDIO_PREDICTION_CELL (gtk_list_item_get_child (list_item)),
                               self->results, gtk_list_item_get_item (list_item),
                               (const char * const *) self->class_names);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  studio_prediction_cell_bind (STUDIO_PREDICTION_CELL (gtk_list_item_get_child (list_item)),
                               NULL, NULL, NULL);
}

/* Detail of the selected image ---------------------------------------------------------- */

static void
show_detail (StudioPredictionsPage *self,
             StudioPredictionRow   *row)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *percent = NULL;
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;
  g_autofree char *subtitle = NULL;
  gint32 truth;
  guint position;

  if (row == NULL)
    {
      gtk_image_clear (self->detail_picture);
      gtk_label_set_text (self->detail_title, "");
      gtk_label_set_text (self->detail_subtitle,
                          _("Select an image to see how likely the model found each class."));
      studio_prediction_bars_set_probabilities (self->detail_bars, NULL, NULL, 0, -1);
      return;
    }

  truth = studio_prediction_row_get_true_label (row);
  position = studio_prediction_row_get_position (row);
  texture = studio_sample_texture_new (studio_prediction_list_get_dataset (self->results),
                                       studio_prediction_list_get_split (self->results),
                                       studio_prediction_row_get_sample_index (row), DETAIL_SIZE);
  gtk_image_set_from_paintable (self->detail_picture, GDK_PAINTABLE (texture));

  percent = studio_prediction_format_percent (studio_prediction_row_get_confidence (row), 1);
  /* Translators: the detail's title: predicted class and confidence, e.g. "dog — 97.1%". */
  title = g_strdup_printf (_("%s — %s"),
                           class_name_or_unknown (self, studio_prediction_row_get_predicted (row)),
                           percent);
  gtk_label_set_text (self->detail_title, title);

  name = studio_prediction_describe_sample (self->results, row);
  if (truth < 0)
    /* Translators: the detail's subtitle for an image without a label. */
    subtitle = g_strdup_printf (_("%s · no label"), name);
  else if (studio_prediction_row_is_correct (row))
    /* Translators: the detail's subtitle for a right prediction. */
    subtitle = g_strdup_printf (_("%s · ✓ correct"), name);
  else
    /* Translators: the detail's subtitle for a wrong prediction, with the true class. */
    subtitle = g_strdup_printf (_("%s · ✗ wrong, true class: %s"), name,
                                class_name_or_unknown (self, truth));
  gtk_label_set_text (self->detail_subtitle, subtitle);

  studio_prediction_bars_set_probabilities (self->detail_bars,
                                            (const char * const *) self->class_names,
                                            studio_prediction_list_get_probabilities (self->results,
                                                                                      position),
                                            self->n_classes, truth);
}

static gboolean
grid_has_focus (StudioPredictionsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == GTK_WIDGET (self->grid_view)
                           || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->grid_view)));
}

static void
on_selection_changed (StudioPredictionsPage *self)
{
  StudioPredictionRow *row = gtk_single_selection_get_selected_item (self->selection);

  show_detail (self, row);
  if (row != NULL && self->results != NULL)
    g_signal_emit (self, sample_activated_signal, 0,
                   (int) studio_prediction_list_get_split (self->results),
                   (guint64) studio_prediction_row_get_sample_index (row));
  /* A click or an arrow key in the grid means the user wants to see that image; a change
   * made by a filter (a confusion-matrix click) leaves the matrix in view. */
  if (row != NULL && grid_has_focus (self))
    gtk_stack_set_visible_child_name (self->side_stack, "image");
}

static void
on_grid_activate (StudioPredictionsPage *self,
                  guint                  position)
{
  gtk_single_selection_set_selected (self->selection, position);
  gtk_stack_set_visible_child_name (self->side_stack, "image");
}

/* Scores ---------------------------------------------------------------------------------- */

static void
show_scores (StudioPredictionsPage *self)
{
  gboolean labelled = self->metrics != NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->true_dropdown), labelled);
  gtk_widget_set_sensitive (self->verdict_box, labelled);
  studio_prediction_scores_set_metrics (self->scores, self->metrics,
                                        (const char * const *) self->class_names);
}

static void
set_class_dropdown (GtkDropDown        *dropdown,
                    const char * const *class_names)
{
  g_autoptr(GtkStringList) choices = gtk_string_list_new (NULL);

  /* Translators: the first choice of the class filters: no filter. */
  gtk_string_list_append (choices, _("Any class"));
  for (guint i = 0; class_names != NULL && class_names[i] != NULL; i++)
    gtk_string_list_append (choices, class_names[i]);
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (choices));
}

/* Public API ------------------------------------------------------------------------------ */

void
studio_predictions_page_set_results (StudioPredictionsPage *self,
                                     StudioDataset         *dataset,
                                     StudioSplit            split,
                                     const guint32         *indices,
                                     gsize                  n,
                                     const float           *probabilities,
                                     const char * const    *class_names,
                                     guint                  n_classes)
{
  g_autoptr(StudioPredictionList) results = NULL;

  g_return_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self));
  g_return_if_fail (STUDIO_IS_DATASET (dataset));
  g_return_if_fail (probabilities != NULL || n == 0);
  g_return_if_fail (class_names != NULL && n_classes > 0);
  g_return_if_fail (g_strv_length ((char **) class_names) >= n_classes);

  results = studio_prediction_list_new (dataset, split, indices, n, probabilities, n_classes);
  if (results == NULL)
    return;

  g_clear_pointer (&self->class_names, g_strfreev);
  self->class_names = g_new0 (char *, n_classes + 1);
  for (guint i = 0; i < n_classes; i++)
    self->class_names[i] = g_strdup (class_names[i]);
  self->n_classes = n_classes;
  g_clear_pointer (&self->metrics, studio_prediction_metrics_free);
  if (studio_prediction_list_has_labels (results))
    self->metrics = studio_prediction_metrics_new (studio_prediction_list_get_predicted (results),
                                                   studio_prediction_list_get_true_labels (results),
                                                   n, n_classes);
  g_set_object (&self->results, results);

  self->syncing_controls = TRUE;
  set_class_dropdown (self->predicted_dropdown, class_names);
  set_class_dropdown (self->true_dropdown, class_names);
  self->syncing_controls = FALSE;
  self->predicted_filter = self->true_filter = -1;
  self->verdict = STUDIO_PREDICTION_SHOW_ALL;

  show_scores (self);
  studio_predictions_page_sync_controls (self);
  gtk_sort_list_model_set_model (self->sorted, G_LIST_MODEL (results));
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  studio_predictions_page_scroll_to_top (self);
  show_detail (self, NULL);
  studio_predictions_page_update_count (self);
  gtk_stack_set_visible_child_name (self->side_stack, "matrix");
  gtk_stack_set_visible_child_name (self->state_stack, "results");
}

void
studio_predictions_page_clear_results (StudioPredictionsPage *self)
{
  g_return_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self));

  gtk_sort_list_model_set_model (self->sorted, NULL);
  show_detail (self, NULL);
  g_clear_object (&self->results);
  g_clear_pointer (&self->metrics, studio_prediction_metrics_free);
  g_clear_pointer (&self->class_names, g_strfreev);
  self->n_classes = 0;
  show_scores (self);
  studio_predictions_page_update_count (self);
  gtk_stack_set_visible_child_name (self->state_stack, "empty");
}

gsize
studio_predictions_page_get_n_results (StudioPredictionsPage *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self), 0);
  return self->results != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->results)) : 0;
}

gboolean
studio_predictions_page_has_labels (StudioPredictionsPage *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self), FALSE);
  return self->metrics != NULL;
}

const char *
studio_predictions_page_get_state (StudioPredictionsPage *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->state_stack);
}

void
studio_predictions_page_set_busy (StudioPredictionsPage *self,
                                  gboolean               busy)
{
  g_return_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self));

  self->busy = !!busy;
  gtk_revealer_set_reveal_child (self->progress_revealer, self->busy);
  gtk_widget_set_sensitive (self->predict_button, !self->busy);
  gtk_widget_set_sensitive (self->empty_predict_button, !self->busy);
  if (self->busy)
    studio_predictions_page_set_progress (self, 0.0, _("Predicting…"));
}

gboolean
studio_predictions_page_get_busy (StudioPredictionsPage *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self), FALSE);
  return self->busy;
}

void
studio_predictions_page_set_progress (StudioPredictionsPage *self,
                                      double                 fraction,
                                      const char            *text)
{
  g_return_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self));

  if (fraction < 0)
    gtk_progress_bar_pulse (self->progress_bar);
  else
    gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));
  gtk_progress_bar_set_text (self->progress_bar, text);
}

void
studio_predictions_page_select (StudioPredictionsPage *self,
                                guint                  position)
{
  g_return_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self));
  g_return_if_fail (position < g_list_model_get_n_items (G_LIST_MODEL (self->filtered)));

  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->grid_view), "list.scroll-to-item", "u", position);
}

int
studio_predictions_page_get_selected_row (StudioPredictionsPage *self)
{
  StudioPredictionRow *row;

  g_return_val_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self), -1);

  row = gtk_single_selection_get_selected_item (self->selection);
  return row != NULL ? (int) studio_prediction_row_get_position (row) : -1;
}

const char *
studio_predictions_page_get_side_view (StudioPredictionsPage *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->side_stack);
}

const StudioPredictionMetrics *
studio_predictions_page_get_metrics (StudioPredictionsPage *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self), NULL);
  return self->metrics;
}

StudioConfusionMatrix *
studio_predictions_page_get_confusion_matrix (StudioPredictionsPage *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self), NULL);
  return studio_prediction_scores_get_confusion_matrix (self->scores);
}

/* The detailed form names IDX rows (no file) by their index in the split. */
static char **
filenames_for_export (StudioPredictionList *results,
                      gboolean              kaggle)
{
  g_autofree const char **filenames = studio_prediction_list_dup_filenames (results);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (results));
  char **names = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StudioPredictionRow) row = g_list_model_get_item (G_LIST_MODEL (results), i);

      if (filenames[i] != NULL)
        names[i] = g_strdup (filenames[i]);
      else if (!kaggle)
        names[i] = g_strdup_printf ("%u", studio_prediction_row_get_sample_index (row));
    }
  return names;
}

gboolean
studio_predictions_page_export_csv (StudioPredictionsPage  *self,
                                    const char             *path,
                                    gboolean                kaggle,
                                    GError                **error)
{
  g_autofree char *csv = NULL;
  char **filenames;
  gsize n;

  g_return_val_if_fail (STUDIO_IS_PREDICTIONS_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->results == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("There are no predictions to export yet. Predict the test images "
                             "first."));
      return FALSE;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->results));
  filenames = filenames_for_export (self->results, kaggle);
  if (kaggle)
    csv = studio_predictions_to_kaggle_csv ((const char * const *) filenames,
                                            studio_prediction_list_get_all_probabilities (
                                              self->results),
                                            n, self->n_classes);
  else
    csv = studio_predictions_to_csv ((const char * const *) filenames,
                                     self->metrics != NULL
                                     ? studio_prediction_list_get_true_labels (self->results)
                                     : NULL,
                                     studio_prediction_list_get_all_probabilities (self->results),
                                     n, (const char * const *) self->class_names, self->n_classes);
  /* Rows without names leave holes, so free them one by one, not as a GStrv. */
  for (gsize i = 0; i < n; i++)
    g_free (filenames[i]);
  g_free (filenames);

  return studio_write_file_atomically (path, csv, strlen (csv), error);
}

/* Class ----------------------------------------------------------------------------------- */

static void
studio_predictions_page_dispose (GObject *object)
{
  StudioPredictionsPage *self = STUDIO_PREDICTIONS_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), STUDIO_TYPE_PREDICTIONS_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->sorted);
  g_clear_object (&self->sorter);
  g_clear_object (&self->filter);
  g_clear_object (&self->results);
  g_clear_pointer (&self->metrics, studio_prediction_metrics_free);
  g_clear_pointer (&self->class_names, g_strfreev);

  G_OBJECT_CLASS (studio_predictions_page_parent_class)->dispose (object);
}

static void
studio_predictions_page_class_init (StudioPredictionsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = studio_predictions_page_dispose;
  /* The user picked an image (click, arrow key, or code): the Layers page looks at it. */
  sample_activated_signal =
    g_signal_new ("sample-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_UINT64);

  g_type_ensure (STUDIO_TYPE_STATUS_PAGE);
  g_type_ensure (STUDIO_TYPE_PREDICTION_SCORES);
  g_type_ensure (STUDIO_TYPE_PREDICTION_BARS);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convstudio/ConvStudio/"
                                               "studio-predictions-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, StudioPredictionsPage, name)
  BIND (page_box);
  BIND (progress_revealer);
  BIND (progress_bar);
  BIND (state_stack);
  BIND (empty_predict_button);
  BIND (predict_button);
  BIND (predicted_dropdown);
  BIND (true_dropdown);
  BIND (verdict_box);
  BIND (all_toggle);
  BIND (correct_toggle);
  BIND (wrong_toggle);
  BIND (sort_dropdown);
  BIND (count_label);
  BIND (grid_stack);
  BIND (grid_view);
  BIND (side_stack);
  BIND (scores);
  BIND (detail_picture);
  BIND (detail_title);
  BIND (detail_subtitle);
  BIND (detail_bars);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_grid_activate);
  studio_predictions_page_class_init_filters (widget_class);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "predictionspage");
}

static void
setup_grid (StudioPredictionsPage *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  self->sorter = gtk_custom_sorter_new (studio_predictions_page_compare_rows, self, NULL);
  self->filter = gtk_custom_filter_new (studio_predictions_page_row_passes_filters, self, NULL);
  self->sorted = gtk_sort_list_model_new (NULL, g_object_ref (GTK_SORTER (self->sorter)));
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->sorted)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected",
                            G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->filtered, "items-changed",
                            G_CALLBACK (studio_predictions_page_update_count), self);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), NULL);
  gtk_grid_view_set_factory (self->grid_view, factory);
  gtk_grid_view_set_model (self->grid_view, GTK_SELECTION_MODEL (self->selection));
  g_object_unref (factory);
}

static void
studio_predictions_page_init (StudioPredictionsPage *self)
{
  self->predicted_filter = self->true_filter = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  setup_grid (self);
  g_signal_connect_swapped (studio_prediction_scores_get_confusion_matrix (self->scores),
                            "cell-activated",
                            G_CALLBACK (studio_predictions_page_on_confusion_cell_activated),
                            self);
  show_detail (self, NULL);
  show_scores (self);
  studio_predictions_page_update_count (self);
  gtk_stack_set_visible_child_name (self->state_stack, "empty");
}

GtkWidget *
studio_predictions_page_new (void)
{
  return g_object_new (STUDIO_TYPE_PREDICTIONS_PAGE, NULL);
}
