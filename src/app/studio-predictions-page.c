/* studio-predictions-page.c — the Predictions page: a filterable grid of predicted images,
 * one image's probabilities, a confusion matrix, metrics and CSV export. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "studio-export.h"
#include "studio-format.h"
#include "studio-prediction-bars.h"
#include "studio-prediction-cell.h"
#include "studio-prediction-list.h"
#include "studio-predictions-page.h"
#include "studio-sample-grid.h"
#include "studio-status-page.h"

#define DETAIL_SIZE    224

struct _StudioPredictionsPage
{
  GtkWidget                parent_instance;

  /* Template children */
  GtkWidget               *page_box;
  GtkRevealer             *progress_revealer;
  GtkProgressBar          *progress_bar;
  GtkStack                *state_stack;
  GtkWidget               *empty_predict_button;
  GtkWidget               *predict_button;
  GtkDropDown             *predicted_dropdown;
  GtkDropDown             *true_dropdown;
  GtkWidget               *verdict_box;
  GtkToggleButton         *all_toggle;
  GtkToggleButton         *correct_toggle;
  GtkToggleButton         *wrong_toggle;
  GtkDropDown             *sort_dropdown;
  GtkLabel                *count_label;
  GtkStack                *grid_stack;
  GtkGridView             *grid_view;
  GtkStack                *side_stack;
  GtkLabel                *accuracy_label;
  StudioConfusionMatrix   *confusion_matrix;
  GtkWidget               *matrix_hint;
  GtkGrid                 *metrics_grid;
  GtkWidget               *no_labels_label;
  GtkImage                *detail_picture;
  GtkLabel                *detail_title;
  GtkLabel                *detail_subtitle;
  StudioPredictionBars    *detail_bars;

  /* results → sorted → filtered → selection → grid */
  StudioPredictionList    *results;
  GtkSortListModel        *sorted;
  GtkFilterListModel      *filtered;
  GtkSingleSelection      *selection;
  GtkCustomSorter         *sorter;
  GtkCustomFilter         *filter;

  GStrv                    class_names;
  guint                    n_classes;
  StudioPredictionMetrics *metrics;

  int                      predicted_filter;   /* −1: any class */
  int                      true_filter;
  StudioPredictionVerdict  verdict;
  StudioPredictionSort     sort;
  gboolean                 busy;
  gboolean                 syncing_controls;   /* set while code moves the controls */
};

G_DEFINE_FINAL_TYPE (StudioPredictionsPage, studio_predictions_page, GTK_TYPE_WIDGET)

static guint sample_activated_signal;

static gboolean
row_passes_filters (gpointer item,
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

static int
compare_rows (gconstpointer a,
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

/* Filters -------------------------------------------------------------------------------- */

static void
update_count (StudioPredictionsPage *self)
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

/* Moves the controls to match the filter state without their handlers refiltering. */
static void
sync_controls (StudioPredictionsPage *self)
{
  GtkToggleButton *verdict_toggle = self->verdict == STUDIO_PREDICTION_SHOW_CORRECT
                                    ? self->correct_toggle
                                    : self->verdict == STUDIO_PREDICTION_SHOW_WRONG
                                    ? self->wrong_toggle : self->all_toggle;

  self->syncing_controls = TRUE;
  gtk_drop_down_set_selected (self->predicted_dropdown, self->predicted_filter + 1);
  gtk_drop_down_set_selected (self->true_dropdown, self->true_filter + 1);
  gtk_toggle_button_set_active (verdict_toggle, TRUE);
  gtk_drop_down_set_selected (self->sort_dropdown, self->sort);
  self->syncing_controls = FALSE;

  studio_confusion_matrix_set_selected (self->confusion_matrix,
                                        self->predicted_filter >= 0 ? self->true_filter : -1,
                                        self->true_filter >= 0 ? self->predicted_filter : -1);
}

/* A new filter or order starts at the top: the grid would otherwise keep following the
 * item it showed, wherever that item went. */
static void
scroll_to_top (StudioPredictionsPage *self)
{
  /* Moving the view's anchor, not just the adjustment, which the view would reset. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->grid_view), "list.scroll-to-item", "u", 0);
}

static void
refilter (StudioPredictionsPage *self)
{
  sync_controls (self);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  scroll_to_top (self);
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
static void
on_confusion_cell_activated (StudioPredictionsPage *self,
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

/* Scores ---------------------------------------------------------------------------------- */

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
show_metrics_table (StudioPredictionsPage *self)
{
  const StudioPredictionMetrics *metrics = self->metrics;
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

      attach_cell (self->metrics_grid, self->class_names[c], 0, c + 1, FALSE);
      attach_cell (self->metrics_grid, precision, 1, c + 1, FALSE);
      attach_cell (self->metrics_grid, recall, 2, c + 1, FALSE);
      attach_cell (self->metrics_grid, support, 3, c + 1, FALSE);
    }
}

static void
show_scores (StudioPredictionsPage *self)
{
  gboolean labelled = self->metrics != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->accuracy_label), labelled);
  gtk_widget_set_visible (GTK_WIDGET (self->confusion_matrix), labelled);
  gtk_widget_set_visible (self->matrix_hint, labelled);
  gtk_widget_set_visible (GTK_WIDGET (self->metrics_grid), labelled);
  gtk_widget_set_visible (self->no_labels_label, !labelled);
  gtk_widget_set_sensitive (GTK_WIDGET (self->true_dropdown), labelled);
  gtk_widget_set_sensitive (self->verdict_box, labelled);

  if (labelled)
    {
      g_autofree char *accuracy = studio_prediction_format_percent (self->metrics->accuracy, 1);
      g_autofree char *correct = studio_format_count (self->metrics->n_correct);
      g_autofree char *labelled_count = studio_format_count (self->metrics->n_labelled);
      g_autofree char *text = NULL;

      /* Translators: e.g. "Accuracy 91.2% (9,120 of 10,000 right)". */
      text = g_strdup_printf (_("Accuracy %s (%s of %s right)"), accuracy, correct,
                              labelled_count);
      gtk_label_set_text (self->accuracy_label, text);
      studio_confusion_matrix_set_counts (self->confusion_matrix,
                                          (const char * const *) self->class_names,
                                          self->metrics->confusion, self->n_classes);
    }
  else
    studio_confusion_matrix_set_counts (self->confusion_matrix, NULL, NULL, 0);
  show_metrics_table (self);
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
  sync_controls (self);
  gtk_sort_list_model_set_model (self->sorted, G_LIST_MODEL (results));
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  scroll_to_top (self);
  show_detail (self, NULL);
  update_count (self);
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
  update_count (self);
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
  sync_controls (self);
  gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
  scroll_to_top (self);
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
  return self->confusion_matrix;
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
load_page_css (GdkDisplay *display)
{
  static GdkDisplay *loaded_for = NULL;
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL || display == loaded_for)
    return;
  provider = gtk_css_provider_new ();
  /* Page-specific looks, in the theme's own colours so light and dark both work. */
  gtk_css_provider_load_from_resource (provider, "/io/github/convstudio/ConvStudio/"
                                       "studio-predictions-page.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  loaded_for = display;
}

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
  g_type_ensure (STUDIO_TYPE_CONFUSION_MATRIX);
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
  BIND (accuracy_label);
  BIND (confusion_matrix);
  BIND (matrix_hint);
  BIND (metrics_grid);
  BIND (no_labels_label);
  BIND (detail_picture);
  BIND (detail_title);
  BIND (detail_subtitle);
  BIND (detail_bars);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_predicted_dropdown_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_true_dropdown_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_verdict_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_sort_dropdown_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_grid_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_confusion_cell_activated);

  /* W toggles wrong-only and Escape clears the filters, wherever the focus is on the page. */
  gtk_widget_class_install_action (widget_class, "predictions.toggle-wrong-only", NULL,
                                   toggle_wrong_only);
  gtk_widget_class_install_action (widget_class, "predictions.clear-filters", NULL,
                                   clear_filters);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, 0,
                                       "predictions.toggle-wrong-only", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0,
                                       "predictions.clear-filters", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "predictionspage");
}

static void
setup_grid (StudioPredictionsPage *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  self->sorter = gtk_custom_sorter_new (compare_rows, self, NULL);
  self->filter = gtk_custom_filter_new (row_passes_filters, self, NULL);
  self->sorted = gtk_sort_list_model_new (NULL, g_object_ref (GTK_SORTER (self->sorter)));
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->sorted)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected",
                            G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->filtered, "items-changed", G_CALLBACK (update_count), self);

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
  load_page_css (gtk_widget_get_display (GTK_WIDGET (self)));
  setup_grid (self);
  show_detail (self, NULL);
  show_scores (self);
  update_count (self);
  gtk_stack_set_visible_child_name (self->state_stack, "empty");
}

GtkWidget *
studio_predictions_page_new (void)
{
  return g_object_new (STUDIO_TYPE_PREDICTIONS_PAGE, NULL);
}
