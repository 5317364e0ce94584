/* studio-layer-summary.c — the Keras summary table: layers, shapes, params, MACs, totals. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "studio-format.h"
#include "studio-layer-summary.h"

struct _StudioLayerSummary
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  GtkGrid   *grid;
  GtkLabel  *total_labels[STUDIO_SUMMARY_N_TOTALS];
  guint      n_rows;
  gboolean   current;
};

G_DEFINE_FINAL_TYPE (StudioLayerSummary, studio_layer_summary, GTK_TYPE_WIDGET)

/* Grid rows: the header, a rule, then the layers. */
#define FIRST_LAYER_ROW 2

static GtkWidget *
new_cell (const char *text,
          gboolean    numeric)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  return label;
}

static void
attach_header (StudioLayerSummary *self)
{
  const char *titles[STUDIO_SUMMARY_N_COLUMNS] = {
    _("Layer (type)"), _("Output Shape"), _("Param #"), _("MACs"),
  };
  GtkWidget *rule = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);

  for (guint column = 0; column < STUDIO_SUMMARY_N_COLUMNS; column++)
    {
      GtkWidget *label = new_cell (titles[column], column >= STUDIO_SUMMARY_COLUMN_PARAMS);

      gtk_widget_add_css_class (label, "heading");
      gtk_grid_attach (self->grid, label, column, 0, 1, 1);
    }
  gtk_grid_attach (self->grid, rule, 0, 1, STUDIO_SUMMARY_N_COLUMNS, 1);
}

static void
remove_layer_rows (StudioLayerSummary *self)
{
  for (; self->n_rows > 0; self->n_rows--)
    gtk_grid_remove_row (self->grid, FIRST_LAYER_ROW);
}

static void
attach_layer_row (StudioLayerSummary *self,
                  const CnnLayerInfo *info)
{
  int row = FIRST_LAYER_ROW + (int) self->n_rows++;
  g_autofree char *name = g_strdup_printf ("%s (%s)", info->name,
                                           cnn_layer_type_class_name (info->type));
  g_autofree char *shape = studio_layer_summary_format_shape (info);
  g_autofree char *params = studio_format_count ((guint64) info->params);
  g_autofree char *macs = studio_format_count ((guint64) info->macs);
  GtkWidget *name_cell = new_cell (name, FALSE);

  gtk_label_set_ellipsize (GTK_LABEL (name_cell), PANGO_ELLIPSIZE_END);
  /* Narrow enough that the whole table fits beside the layer list in a 1024-pixel window;
   * the tooltip has the full name. */
  gtk_label_set_width_chars (GTK_LABEL (name_cell), 12);
  gtk_label_set_max_width_chars (GTK_LABEL (name_cell), 18);
  gtk_widget_set_tooltip_text (name_cell, name);
  gtk_widget_set_hexpand (name_cell, TRUE);
  gtk_grid_attach (self->grid, name_cell, STUDIO_SUMMARY_COLUMN_LAYER, row, 1, 1);
  gtk_grid_attach (self->grid, new_cell (shape, FALSE), STUDIO_SUMMARY_COLUMN_SHAPE, row, 1, 1);
  gtk_grid_attach (self->grid, new_cell (params, TRUE), STUDIO_SUMMARY_COLUMN_PARAMS, row, 1, 1);
  gtk_grid_attach (self->grid, new_cell (macs, TRUE), STUDIO_SUMMARY_COLUMN_MACS, row, 1, 1);
}

static void
set_total (StudioLayerSummary *self,
           StudioSummaryTotal  total,
           gint64              value)
{
  g_autofree char *text = value >= 0 ? studio_format_count ((guint64) value) : g_strdup ("—");

  gtk_label_set_text (self->total_labels[total], text);
}

static GtkWidget *
build_totals (StudioLayerSummary *self)
{
  const char *captions[STUDIO_SUMMARY_N_TOTALS] = {
    _("Total params:"), _("Trainable params:"), _("Non-trainable params:"),
    /* Translators: multiply-accumulate operations of one forward pass of one image. */
    _("Multiply-accumulates per image:"),
  };
  GtkWidget *totals = gtk_grid_new ();

  gtk_grid_set_column_spacing (GTK_GRID (totals), 12);
  gtk_grid_set_row_spacing (GTK_GRID (totals), 2);
  for (guint total = 0; total < STUDIO_SUMMARY_N_TOTALS; total++)
    {
      GtkWidget *caption = new_cell (captions[total], FALSE);
      GtkWidget *value = new_cell ("—", TRUE);

      if (total == STUDIO_SUMMARY_TOTAL_MACS)
        gtk_widget_add_css_class (caption, "dim-label");
      gtk_grid_attach (GTK_GRID (totals), caption, 0, total, 1, 1);
      gtk_grid_attach (GTK_GRID (totals), value, 1, total, 1, 1);
      self->total_labels[total] = GTK_LABEL (value);
    }
  return totals;
}

static void
studio_layer_summary_dispose (GObject *object)
{
  StudioLayerSummary *self = STUDIO_LAYER_SUMMARY (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (studio_layer_summary_parent_class)->dispose (object);
}

static void
studio_layer_summary_class_init (StudioLayerSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = studio_layer_summary_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "layersummary");
}

static void
studio_layer_summary_init (StudioLayerSummary *self)
{
  GtkWidget *grid = gtk_grid_new ();

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  self->grid = GTK_GRID (grid);
  gtk_grid_set_column_spacing (self->grid, 18);
  gtk_grid_set_row_spacing (self->grid, 4);
  gtk_box_append (GTK_BOX (self->box), grid);
  gtk_box_append (GTK_BOX (self->box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (self->box), build_totals (self));
  attach_header (self);
}

GtkWidget *
studio_layer_summary_new (void)
{
  return g_object_new (STUDIO_TYPE_LAYER_SUMMARY, NULL);
}

void
studio_layer_summary_show (StudioLayerSummary     *self,
                           const StudioLayerCheck *check)
{
  g_return_if_fail (STUDIO_IS_LAYER_SUMMARY (self));
  g_return_if_fail (check != NULL);

  self->current = check->valid;
  /* Greyed out, the last good table still shows what the edit broke. */
  gtk_widget_set_sensitive (self->box, check->valid);
  if (!check->valid)
    return;

  remove_layer_rows (self);
  for (guint i = 0; i < check->layers->len; i++)
    attach_layer_row (self, &g_array_index (check->layers, CnnLayerInfo, i));
  set_total (self, STUDIO_SUMMARY_TOTAL_PARAMS, check->total_params);
  set_total (self, STUDIO_SUMMARY_TRAINABLE_PARAMS, check->trainable_params);
  set_total (self, STUDIO_SUMMARY_NON_TRAINABLE_PARAMS,
             check->total_params - check->trainable_params);
  set_total (self, STUDIO_SUMMARY_TOTAL_MACS, check->total_macs);
}

void
studio_layer_summary_clear (StudioLayerSummary *self)
{
  g_return_if_fail (STUDIO_IS_LAYER_SUMMARY (self));

  remove_layer_rows (self);
  for (guint total = 0; total < STUDIO_SUMMARY_N_TOTALS; total++)
    set_total (self, total, -1);
  self->current = FALSE;
  gtk_widget_set_sensitive (self->box, FALSE);
}

gboolean
studio_layer_summary_get_current (StudioLayerSummary *self)
{
  g_return_val_if_fail (STUDIO_IS_LAYER_SUMMARY (self), FALSE);

  return self->current;
}

guint
studio_layer_summary_get_n_rows (StudioLayerSummary *self)
{
  g_return_val_if_fail (STUDIO_IS_LAYER_SUMMARY (self), 0);

  return self->n_rows;
}

const char *
studio_layer_summary_get_total_text (StudioLayerSummary *self,
                                     StudioSummaryTotal  total)
{
  g_return_val_if_fail (STUDIO_IS_LAYER_SUMMARY (self), NULL);
  g_return_val_if_fail (total < STUDIO_SUMMARY_N_TOTALS, NULL);

  return gtk_label_get_text (self->total_labels[total]);
}

const char *
studio_layer_summary_get_cell_text (StudioLayerSummary  *self,
                                    guint                row,
                                    StudioSummaryColumn  column)
{
  GtkWidget *cell;

  g_return_val_if_fail (STUDIO_IS_LAYER_SUMMARY (self), NULL);
  g_return_val_if_fail (row < self->n_rows && column < STUDIO_SUMMARY_N_COLUMNS, NULL);

  cell = gtk_grid_get_child_at (self->grid, column, FIRST_LAYER_ROW + (int) row);
  return gtk_label_get_text (GTK_LABEL (cell));
}

char *
studio_layer_summary_format_shape (const CnnLayerInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  if (info->output_rank == 1)
    return g_strdup_printf ("(None, %d)", info->output_shape[0]);
  return g_strdup_printf ("(None, %d, %d, %d)", info->output_shape[0], info->output_shape[1],
                          info->output_shape[2]);
}
