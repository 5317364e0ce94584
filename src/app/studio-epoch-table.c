/* studio-epoch-table.c — Keras's History as a table: one row per finished epoch. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "studio-epoch-table.h"

/* One row: the logs of one epoch. */
#define STUDIO_TYPE_EPOCH_ROW (studio_epoch_row_get_type ())
G_DECLARE_FINAL_TYPE (StudioEpochRow, studio_epoch_row, STUDIO, EPOCH_ROW, GObject)

struct _StudioEpochRow
{
  GObject parent_instance;
  CnnEpochLogs logs;
};

G_DEFINE_FINAL_TYPE (StudioEpochRow, studio_epoch_row, G_TYPE_OBJECT)

static void
studio_epoch_row_class_init (StudioEpochRowClass *klass)
{
}

static void
studio_epoch_row_init (StudioEpochRow *self)
{
}

typedef enum {
  COLUMN_EPOCH,
  COLUMN_LOSS,
  COLUMN_ACCURACY,
  COLUMN_VAL_LOSS,
  COLUMN_VAL_ACCURACY,
  COLUMN_LR,
  N_COLUMNS
} Column;

/* Keras's History keys: the column titles stay in Keras's vocabulary, untranslated. */
static const char *const column_titles[N_COLUMNS] = {
  "epoch", "loss", "accuracy", "val_loss", "val_accuracy", "lr",
};

struct _StudioEpochTable
{
  GtkWidget parent_instance;

  GtkWidget *scrolled;
  GtkColumnView *view;
  GListStore *rows;
  guint scroll_idle;
};

G_DEFINE_FINAL_TYPE (StudioEpochTable, studio_epoch_table, GTK_TYPE_WIDGET)

static char *
cell_text (const CnnEpochLogs *logs,
           Column              column)
{
  double value = NAN;

  switch (column)
    {
    case COLUMN_EPOCH: return g_strdup_printf ("%d", logs->epoch + 1);
    case COLUMN_LOSS: value = logs->loss; break;
    case COLUMN_ACCURACY: value = logs->accuracy; break;
    case COLUMN_VAL_LOSS: value = logs->has_validation ? logs->val_loss : NAN; break;
    case COLUMN_VAL_ACCURACY: value = logs->has_validation ? logs->val_accuracy : NAN; break;
    case COLUMN_LR: return g_strdup_printf ("%.4g", logs->lr);
    case N_COLUMNS: default: break;
    }
  return isfinite (value) ? g_strdup_printf ("%.4f", value) : g_strdup ("—");
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  StudioEpochRow *row = gtk_list_item_get_item (item);
  g_autofree char *text = cell_text (&row->logs, GPOINTER_TO_INT (user_data));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

/* After the new rows are laid out, show the latest epoch. */
static gboolean
scroll_to_end (gpointer user_data)
{
  StudioEpochTable *self = user_data;
  GtkAdjustment *adjustment =
    gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scrolled));

  self->scroll_idle = 0;
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  return G_SOURCE_REMOVE;
}

void
studio_epoch_table_set_history (StudioEpochTable   *self,
                                const CnnEpochLogs *epochs,
                                guint               n_epochs)
{
  guint shown;

  g_return_if_fail (STUDIO_IS_EPOCH_TABLE (self));

  shown = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  if (n_epochs < shown)
    {
      g_list_store_remove_all (self->rows);
      shown = 0;
    }
  for (guint i = shown; i < n_epochs; i++)
    {
      g_autoptr(StudioEpochRow) row = g_object_new (STUDIO_TYPE_EPOCH_ROW, NULL);

      row->logs = epochs[i];
      g_list_store_append (self->rows, row);
    }
  if (n_epochs > shown && self->scroll_idle == 0)
    self->scroll_idle = g_idle_add (scroll_to_end, self);
}

guint
studio_epoch_table_get_n_rows (StudioEpochTable *self)
{
  g_return_val_if_fail (STUDIO_IS_EPOCH_TABLE (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->rows));
}

static void
studio_epoch_table_dispose (GObject *object)
{
  StudioEpochTable *self = STUDIO_EPOCH_TABLE (object);

  g_clear_handle_id (&self->scroll_idle, g_source_remove);
  g_clear_pointer (&self->scrolled, gtk_widget_unparent);
  g_clear_object (&self->rows);

  G_OBJECT_CLASS (studio_epoch_table_parent_class)->dispose (object);
}

static void
studio_epoch_table_class_init (StudioEpochTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = studio_epoch_table_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "studioepochtable");
}

static void
studio_epoch_table_init (StudioEpochTable *self)
{
  GtkNoSelection *selection;

  self->rows = g_list_store_new (STUDIO_TYPE_EPOCH_ROW);
  self->view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  gtk_column_view_set_show_column_separators (self->view, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->view), "data-table");
  /* GTK 4.8 leaves rows empty unless the factories exist before the model is set. */
  for (int column = 0; column < N_COLUMNS; column++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *view_column;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (column));
      view_column = gtk_column_view_column_new (column_titles[column], factory);
      gtk_column_view_column_set_expand (view_column, column != COLUMN_EPOCH);
      gtk_column_view_append_column (self->view, view_column);
      g_object_unref (view_column);
    }
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), GTK_WIDGET (self->view));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_parent (self->scrolled, GTK_WIDGET (self));
}

GtkWidget *
studio_epoch_table_new (void)
{
  return g_object_new (STUDIO_TYPE_EPOCH_TABLE, NULL);
}
