/* studio-data-page-private.h — the Data page's state, shared by its source files. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include "studio-data-page.h"
#include "studio-status-page.h"

G_BEGIN_DECLS

#define DEFAULT_TARGET_SIZE     128
#define DEFAULT_TARGET_CHANNELS 3

struct _StudioDataPage
{
  GtkWidget            parent_instance;

  /* Template children */
  GtkWidget           *page_box;
  GtkRevealer         *error_revealer;
  GtkLabel            *error_label;
  GtkStack            *state_stack;
  StudioStatusPage    *loading_status;
  GtkSpinner          *loading_spinner;
  GtkProgressBar      *progress_bar;
  GtkLabel            *name_label;
  GtkLabel            *source_label;
  GtkToggleButton     *train_toggle;
  GtkLabel            *found_label;
  StudioSkippedList   *skipped_list;
  GtkWidget           *target_box;
  GtkSpinButton       *target_height_spin;
  GtkSpinButton       *target_width_spin;
  GtkDropDown         *target_channels_dropdown;
  GtkWidget           *reload_button;
  GtkLabel            *image_size_label;
  GtkLabel            *classes_label;
  GtkLabel            *train_count_label;
  GtkLabel            *test_count_label;
  GtkWidget           *cache_fact;
  GtkLabel            *cache_size_label;
  GtkStack            *view_stack;
  GtkLabel            *chart_heading;
  StudioClassChart    *class_chart;
  GtkWidget           *parts_box;
  GtkLabel            *parts_heading;
  GtkLabel            *parts_caption;
  GtkLabel            *training_part_label;
  StudioClassChart    *training_part_chart;
  GtkLabel            *validation_part_label;
  StudioClassChart    *validation_part_chart;
  StudioSampleGrid    *sample_grid;
  GtkLabel            *table_heading;
  GtkColumnView       *sample_table;
  StudioAugmentPreview *augment_preview;

  GtkColumnViewColumn *name_column;
  GtkColumnViewColumn *category_column;
  GtkSortListModel    *sorted_rows;

  StudioDataset       *dataset;
  StudioSplit          split;
  guint32              sample_seed;
  char                *found_text;       /* the scan's "Found N …" line, NULL for IDX */
  double               validation_split; /* how training will split the training images */
  guint32              validation_seed;
  gboolean             stratify;
};

/* Shows the class balance of the parts training will make of the training images. */
void studio_data_page_show_parts (StudioDataPage *self);

G_END_DECLS
