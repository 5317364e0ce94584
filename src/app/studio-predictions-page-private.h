/* studio-predictions-page-private.h — what the Predictions page's files share. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include "studio-prediction-list.h"
#include "studio-prediction-bars.h"
#include "studio-prediction-scores.h"
#include "studio-predictions-page.h"

G_BEGIN_DECLS

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
  StudioPredictionScores  *scores;
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

/* studio-predictions-page-filters.c: which rows the grid shows, in which order. */
gboolean studio_predictions_page_row_passes_filters          (gpointer               item,
                                                              gpointer               user_data);
int      studio_predictions_page_compare_rows                (gconstpointer          a,
                                                              gconstpointer          b,
                                                              gpointer               user_data);
void     studio_predictions_page_update_count                (StudioPredictionsPage *self);
/* Moves the controls to match the filter state without their handlers refiltering. */
void     studio_predictions_page_sync_controls               (StudioPredictionsPage *self);
void     studio_predictions_page_scroll_to_top               (StudioPredictionsPage *self);
void     studio_predictions_page_on_confusion_cell_activated (StudioPredictionsPage *self,
                                                              guint                  row,
                                                              guint                  column);
/* The filter controls' template callbacks, actions and key bindings. */
void     studio_predictions_page_class_init_filters          (GtkWidgetClass        *widget_class);

G_END_DECLS
