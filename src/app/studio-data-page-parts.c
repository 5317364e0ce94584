/* studio-data-page-parts.c — the Data page's training/validation parts and its accessors. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "studio-data-page-private.h"
#include "studio-format.h"
#include "studio-split.h"
#include "studio-training.h"

static void
show_part (StudioDataPage   *self,
           StudioClassChart *chart,
           GtkLabel         *label,
           const char       *format,
           const guint32    *indices,
           gsize             n_indices)
{
  guint n_classes = studio_dataset_get_n_classes (self->dataset);
  g_autofree gsize *counts = g_new0 (gsize, MAX (n_classes, 1));
  g_autofree char *count = studio_format_count (n_indices);
  g_autofree char *text = g_strdup_printf (format, count);

  studio_split_count_classes (studio_dataset_get_labels (self->dataset, STUDIO_SPLIT_TRAIN),
                              indices, n_indices, n_classes, counts);
  studio_class_chart_set_counts (chart, studio_dataset_get_class_names (self->dataset),
                                 counts, n_classes);
  gtk_label_set_text (label, text);
}

/* The class balance of the parts training will make of the training images. */
void
studio_data_page_show_parts (StudioDataPage *self)
{
  StudioIndexSplit split = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *caption = NULL;
  gboolean has_filenames;

  gtk_widget_set_visible (self->parts_box, FALSE);
  studio_class_chart_set_counts (self->training_part_chart, NULL, NULL, 0);
  studio_class_chart_set_counts (self->validation_part_chart, NULL, NULL, 0);
  if (self->dataset == NULL || self->split != STUDIO_SPLIT_TRAIN || self->validation_split <= 0
      || studio_dataset_get_n_samples (self->dataset, STUDIO_SPLIT_TRAIN) == 0
      || studio_dataset_get_n_classes (self->dataset) == 0)
    return;

  gtk_widget_set_visible (self->parts_box, TRUE);
  gtk_label_set_text (self->parts_heading, _("Class Balance of the Training and Validation Parts"));
  if (!studio_training_split (self->dataset,
                              studio_dataset_get_n_samples (self->dataset, STUDIO_SPLIT_TRAIN),
                              self->validation_split, self->stratify, self->validation_seed,
                              &split, &error))
    {
      gtk_label_set_text (self->parts_caption, error->message);
      gtk_label_set_text (self->training_part_label, "");
      gtk_label_set_text (self->validation_part_label, "");
      return;
    }

  has_filenames = studio_dataset_get_filename (self->dataset, STUDIO_SPLIT_TRAIN, 0) != NULL;
  if (!has_filenames)
    /* Translators: %g is a fraction such as 0.2. */
    caption = g_strdup_printf (_("As training will split them: Keras’s validation_split=%g "
                                 "holds back the last images."), self->validation_split);
  else if (self->stratify)
    caption = g_strdup_printf (_("As training will split them: a stratified split of %g with "
                                 "seed %u."), self->validation_split, self->validation_seed);
  else
    caption = g_strdup_printf (_("As training will split them: train_test_split(test_size=%g, "
                                 "random_state=%u)."), self->validation_split,
                               self->validation_seed);
  gtk_label_set_text (self->parts_caption, caption);
  /* Translators: %s is a number of images, e.g. "Training part: 20,000 images". */
  show_part (self, self->training_part_chart, self->training_part_label,
             g_dngettext (GETTEXT_PACKAGE, "Training part: %s image", "Training part: %s images",
                          split.n_train),
             split.train, split.n_train);
  show_part (self, self->validation_part_chart, self->validation_part_label,
             g_dngettext (GETTEXT_PACKAGE, "Validation part: %s image",
                          "Validation part: %s images", split.n_test),
             split.test, split.n_test);
  studio_index_split_clear (&split);
}

const char *
studio_data_page_get_found_text (StudioDataPage *self)
{
  g_return_val_if_fail (STUDIO_IS_DATA_PAGE (self), NULL);

  return self->found_text;
}

StudioSkippedList *
studio_data_page_get_skipped_list (StudioDataPage *self)
{
  g_return_val_if_fail (STUDIO_IS_DATA_PAGE (self), NULL);

  return self->skipped_list;
}

StudioClassChart *
studio_data_page_get_part_chart (StudioDataPage *self,
                                 StudioDataPart  part)
{
  g_return_val_if_fail (STUDIO_IS_DATA_PAGE (self), NULL);

  return part == STUDIO_DATA_PART_VALIDATION ? self->validation_part_chart
                                             : self->training_part_chart;
}

StudioAugmentPreview *
studio_data_page_get_augment_preview (StudioDataPage *self)
{
  g_return_val_if_fail (STUDIO_IS_DATA_PAGE (self), NULL);

  return self->augment_preview;
}

GtkProgressBar *
studio_data_page_get_progress_bar (StudioDataPage *self)
{
  g_return_val_if_fail (STUDIO_IS_DATA_PAGE (self), NULL);

  return self->progress_bar;
}

int
studio_data_page_get_target_height (StudioDataPage *self)
{
  g_return_val_if_fail (STUDIO_IS_DATA_PAGE (self), DEFAULT_TARGET_SIZE);

  return gtk_spin_button_get_value_as_int (self->target_height_spin);
}

int
studio_data_page_get_target_width (StudioDataPage *self)
{
  g_return_val_if_fail (STUDIO_IS_DATA_PAGE (self), DEFAULT_TARGET_SIZE);

  return gtk_spin_button_get_value_as_int (self->target_width_spin);
}

int
studio_data_page_get_target_channels (StudioDataPage *self)
{
  g_return_val_if_fail (STUDIO_IS_DATA_PAGE (self), DEFAULT_TARGET_CHANNELS);

  return gtk_drop_down_get_selected (self->target_channels_dropdown) == 1 ? 1 : 3;
}

void
studio_data_page_set_target_size (StudioDataPage *self,
                                  int             height,
                                  int             width,
                                  int             channels)
{
  g_return_if_fail (STUDIO_IS_DATA_PAGE (self));
  g_return_if_fail (channels == 1 || channels == 3);

  gtk_spin_button_set_value (self->target_height_spin, height);
  gtk_spin_button_set_value (self->target_width_spin, width);
  gtk_drop_down_set_selected (self->target_channels_dropdown, channels == 1 ? 1 : 0);
}

void
studio_data_page_get_load_options (StudioDataPage    *self,
                                   StudioLoadOptions *options)
{
  g_return_if_fail (STUDIO_IS_DATA_PAGE (self));
  g_return_if_fail (options != NULL);

  options->height = studio_data_page_get_target_height (self);
  options->width = studio_data_page_get_target_width (self);
  options->channels = studio_data_page_get_target_channels (self);
}

void
studio_data_page_get_augment_settings (StudioDataPage        *self,
                                       StudioAugmentSettings *settings)
{
  g_return_if_fail (STUDIO_IS_DATA_PAGE (self));

  studio_augment_preview_get_settings (self->augment_preview, settings);
}

void
studio_data_page_set_augment_settings (StudioDataPage              *self,
                                       const StudioAugmentSettings *settings)
{
  g_return_if_fail (STUDIO_IS_DATA_PAGE (self));

  studio_augment_preview_set_settings (self->augment_preview, settings);
}

void
studio_data_page_set_view (StudioDataPage *self,
                           const char     *view)
{
  g_return_if_fail (STUDIO_IS_DATA_PAGE (self));
  g_return_if_fail (g_strcmp0 (view, "overview") == 0 || g_strcmp0 (view, "augmentation") == 0);

  gtk_stack_set_visible_child_name (self->view_stack, view);
}

const char *
studio_data_page_get_view (StudioDataPage *self)
{
  g_return_val_if_fail (STUDIO_IS_DATA_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->view_stack);
}
