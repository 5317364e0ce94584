/* studio-prediction-cell.c — one image of the predictions grid: thumbnail, guess, verdict. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "studio-prediction-cell.h"
#include "studio-sample-grid.h"

struct _StudioPredictionCell
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  GtkWidget *picture;
  GtkWidget *caption;
  GtkWidget *truth;
};

G_DEFINE_FINAL_TYPE (StudioPredictionCell, studio_prediction_cell, GTK_TYPE_WIDGET)

char *
studio_prediction_format_percent (double fraction,
                                  int    decimals)
{
  g_autofree char *number = NULL;

  if (isnan (fraction))
    /* Translators: a rate that cannot be computed (e.g. precision of a class never predicted). */
    return g_strdup (_("—"));
  number = g_strdup_printf ("%.*f", decimals, 100 * fraction);
  /* Translators: a percentage such as "97.1%"; the %s is the number. */
  return g_strdup_printf (_("%s%%"), number);
}

const char *
studio_prediction_class_name (const char * const *class_names,
                              guint               n_classes,
                              gint32              class_index)
{
  if (class_names == NULL || class_index < 0 || (guint) class_index >= n_classes)
    /* Translators: the class of an image whose label is unknown. */
    return _("unknown");
  return class_names[class_index];
}

char *
studio_prediction_describe_sample (StudioPredictionList *results,
                                   StudioPredictionRow  *row)
{
  StudioDataset *dataset = studio_prediction_list_get_dataset (results);
  StudioSplit split = studio_prediction_list_get_split (results);
  guint sample = studio_prediction_row_get_sample_index (row);
  const char *filename = studio_dataset_get_filename (dataset, split, sample);

  if (filename != NULL)
    return g_path_get_basename (filename);
  /* Translators: an image without a file name, known by its number in the dataset part. */
  return g_strdup_printf (split == STUDIO_SPLIT_TEST ? _("Test image %u") : _("Training image %u"),
                          sample);
}

static void
studio_prediction_cell_dispose (GObject *object)
{
  StudioPredictionCell *self = STUDIO_PREDICTION_CELL (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (studio_prediction_cell_parent_class)->dispose (object);
}

static void
studio_prediction_cell_class_init (StudioPredictionCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = studio_prediction_cell_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "predictioncell");
}

static GtkWidget *
append_label (GtkWidget  *box,
              const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 12);
  gtk_widget_add_css_class (label, css_class);
  gtk_box_append (GTK_BOX (box), label);
  return label;
}

static void
studio_prediction_cell_init (StudioPredictionCell *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_add_css_class (self->box, "prediction-cell");
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->picture = gtk_picture_new ();
  gtk_picture_set_can_shrink (GTK_PICTURE (self->picture), TRUE);
  gtk_widget_set_size_request (self->picture, STUDIO_PREDICTION_THUMBNAIL_SIZE,
                               STUDIO_PREDICTION_THUMBNAIL_SIZE);
  gtk_box_append (GTK_BOX (self->box), self->picture);
  self->caption = append_label (self->box, "prediction-caption");
  self->truth = append_label (self->box, "prediction-truth");
}

GtkWidget *
studio_prediction_cell_new (void)
{
  return g_object_new (STUDIO_TYPE_PREDICTION_CELL, NULL);
}

void
studio_prediction_cell_bind (StudioPredictionCell *self,
                             StudioPredictionList *results,
                             StudioPredictionRow  *row,
                             const char * const   *class_names)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *percent = NULL;
  g_autofree char *caption = NULL;
  g_autofree char *truth = NULL;
  g_autofree char *name = NULL;
  guint n_classes;
  gboolean wrong;

  g_return_if_fail (STUDIO_IS_PREDICTION_CELL (self));

  if (row == NULL || results == NULL)
    {
      gtk_picture_set_paintable (GTK_PICTURE (self->picture), NULL);
      return;
    }

  n_classes = studio_prediction_list_get_n_classes (results);
  wrong = studio_prediction_row_has_label (row) && !studio_prediction_row_is_correct (row);
  texture = studio_sample_texture_new (studio_prediction_list_get_dataset (results),
                                       studio_prediction_list_get_split (results),
                                       studio_prediction_row_get_sample_index (row),
                                       STUDIO_PREDICTION_THUMBNAIL_SIZE);
  gtk_picture_set_paintable (GTK_PICTURE (self->picture), GDK_PAINTABLE (texture));

  percent = studio_prediction_format_percent (studio_prediction_row_get_confidence (row), 0);
  /* Translators: a grid caption: predicted class and confidence, e.g. "dog 97%". */
  caption = g_strdup_printf (_("%s %s"),
                             studio_prediction_class_name (class_names, n_classes,
                                                           studio_prediction_row_get_predicted (row)),
                             percent);
  gtk_label_set_text (GTK_LABEL (self->caption), caption);
  /* Translators: under a wrongly predicted image: its true class, e.g. "✗ true: cat". */
  truth = g_strdup_printf (_("✗ true: %s"),
                           studio_prediction_class_name (class_names, n_classes,
                                                         studio_prediction_row_get_true_label (row)));
  gtk_label_set_text (GTK_LABEL (self->truth), truth);
  gtk_widget_set_visible (self->truth, wrong);
  if (wrong)
    gtk_widget_add_css_class (self->box, "wrong");
  else
    gtk_widget_remove_css_class (self->box, "wrong");

  name = studio_prediction_describe_sample (results, row);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), name);
}

const char *
studio_prediction_cell_get_caption (StudioPredictionCell *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTION_CELL (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->caption));
}
