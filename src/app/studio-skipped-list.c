/* studio-skipped-list.c — the files an image-folder scan skipped, with reasons, to inspect. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "studio-format.h"
#include "studio-skipped-list.h"

/* One skipped file: a row of the table. */
#define STUDIO_TYPE_SKIPPED_ROW (studio_skipped_row_get_type ())
G_DECLARE_FINAL_TYPE (StudioSkippedRow, studio_skipped_row, STUDIO, SKIPPED_ROW, GObject)

struct _StudioSkippedRow
{
  GObject  parent_instance;

  char    *name;
  char    *reason;
  char    *detail;
};

G_DEFINE_FINAL_TYPE (StudioSkippedRow, studio_skipped_row, G_TYPE_OBJECT)

static void
studio_skipped_row_finalize (GObject *object)
{
  StudioSkippedRow *self = STUDIO_SKIPPED_ROW (object);

  g_free (self->name);
  g_free (self->reason);
  g_free (self->detail);

  G_OBJECT_CLASS (studio_skipped_row_parent_class)->finalize (object);
}

static void
studio_skipped_row_class_init (StudioSkippedRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = studio_skipped_row_finalize;
}

static void
studio_skipped_row_init (StudioSkippedRow *self)
{
}

static StudioSkippedRow *
studio_skipped_row_new (const StudioImageSkip *skip)
{
  StudioSkippedRow *row = g_object_new (STUDIO_TYPE_SKIPPED_ROW, NULL);

  row->name = g_strdup (skip->name);
  row->reason = g_strdup (studio_image_skip_reason_to_string (skip->reason));
  row->detail = g_strdup (skip->detail);
  return row;
}

/* ------------------------------------------------------------------ the list */

struct _StudioSkippedList
{
  GtkWidget      parent_instance;

  GtkWidget     *expander;
  GtkColumnView *table;
  GListStore    *rows;
};

G_DEFINE_FINAL_TYPE (StudioSkippedList, studio_skipped_list, GTK_TYPE_WIDGET)

typedef enum {
  COLUMN_NAME,
  COLUMN_REASON,
  COLUMN_DETAIL,
} SkippedColumn;

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  column)
{
  StudioSkippedRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  const char *text = NULL;

  switch (GPOINTER_TO_INT (column))
    {
    case COLUMN_NAME:
      text = row->name;
      break;
    case COLUMN_REASON:
      text = row->reason;
      break;
    case COLUMN_DETAIL:
      text = row->detail != NULL ? row->detail : "—";
      break;
    default:
      g_assert_not_reached ();
    }
  gtk_label_set_text (GTK_LABEL (label), text);
  /* Details are often longer than the column: the tooltip keeps them readable. */
  gtk_widget_set_tooltip_text (label, text);
}

static void
append_column (StudioSkippedList *self,
               const char        *title,
               SkippedColumn      column,
               gboolean           expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (column));
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (self->table, view_column);
  g_object_unref (view_column);
}

static void
update_heading (StudioSkippedList *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  g_autofree char *count = studio_format_count (n_items);
  g_autofree char *heading = NULL;

  /* Translators: the heading of the list of files that are not part of the dataset. */
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s file skipped",
                                          "%s files skipped", n_items), count);
  gtk_expander_set_label (GTK_EXPANDER (self->expander), heading);
}

void
studio_skipped_list_set_scan (StudioSkippedList     *self,
                              const StudioImageScan *scan)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (STUDIO_IS_SKIPPED_LIST (self));

  if (scan != NULL)
    for (guint i = 0; i < scan->skipped->len; i++)
      g_ptr_array_add (rows, studio_skipped_row_new (&g_array_index (scan->skipped,
                                                                     StudioImageSkip, i)));
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       rows->pdata, rows->len);
  update_heading (self);
}

guint
studio_skipped_list_get_n_items (StudioSkippedList *self)
{
  g_return_val_if_fail (STUDIO_IS_SKIPPED_LIST (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->rows));
}

static StudioSkippedRow *
peek_row (StudioSkippedList *self,
          guint              position)
{
  g_autoptr(StudioSkippedRow) row = g_list_model_get_item (G_LIST_MODEL (self->rows), position);

  /* The store keeps its own reference, so the row outlives this one. */
  return row;
}

const char *
studio_skipped_list_get_name (StudioSkippedList *self,
                              guint              position)
{
  g_return_val_if_fail (STUDIO_IS_SKIPPED_LIST (self), NULL);
  g_return_val_if_fail (position < studio_skipped_list_get_n_items (self), NULL);

  return peek_row (self, position)->name;
}

const char *
studio_skipped_list_get_reason (StudioSkippedList *self,
                                guint              position)
{
  g_return_val_if_fail (STUDIO_IS_SKIPPED_LIST (self), NULL);
  g_return_val_if_fail (position < studio_skipped_list_get_n_items (self), NULL);

  return peek_row (self, position)->reason;
}

const char *
studio_skipped_list_get_detail (StudioSkippedList *self,
                                guint              position)
{
  g_return_val_if_fail (STUDIO_IS_SKIPPED_LIST (self), NULL);
  g_return_val_if_fail (position < studio_skipped_list_get_n_items (self), NULL);

  return peek_row (self, position)->detail;
}

const char *
studio_skipped_list_get_heading (StudioSkippedList *self)
{
  g_return_val_if_fail (STUDIO_IS_SKIPPED_LIST (self), NULL);

  return gtk_expander_get_label (GTK_EXPANDER (self->expander));
}

void
studio_skipped_list_set_expanded (StudioSkippedList *self,
                                  gboolean           expanded)
{
  g_return_if_fail (STUDIO_IS_SKIPPED_LIST (self));

  gtk_expander_set_expanded (GTK_EXPANDER (self->expander), expanded);
}

static void
studio_skipped_list_dispose (GObject *object)
{
  StudioSkippedList *self = STUDIO_SKIPPED_LIST (object);

  g_clear_pointer (&self->expander, gtk_widget_unparent);
  g_clear_object (&self->rows);

  G_OBJECT_CLASS (studio_skipped_list_parent_class)->dispose (object);
}

static void
studio_skipped_list_class_init (StudioSkippedListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = studio_skipped_list_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "skippedlist");
}

static void
studio_skipped_list_init (StudioSkippedList *self)
{
  GtkWidget *scrolled;
  GtkNoSelection *selection;

  self->rows = g_list_store_new (STUDIO_TYPE_SKIPPED_ROW);
  self->table = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  gtk_column_view_set_show_row_separators (self->table, TRUE);
  /* Columns before the model: on GTK 4.8 rows stay empty otherwise. */
  append_column (self, _("File"), COLUMN_NAME, FALSE);
  append_column (self, _("Reason"), COLUMN_REASON, FALSE);
  append_column (self, _("Detail"), COLUMN_DETAIL, TRUE);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->rows)));
  gtk_column_view_set_model (self->table, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 180);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->table));
  gtk_widget_add_css_class (scrolled, "frame");
  gtk_widget_set_margin_top (scrolled, 6);

  self->expander = gtk_expander_new (NULL);
  gtk_expander_set_child (GTK_EXPANDER (self->expander), scrolled);
  gtk_widget_set_parent (self->expander, GTK_WIDGET (self));
  update_heading (self);
}

GtkWidget *
studio_skipped_list_new (void)
{
  return g_object_new (STUDIO_TYPE_SKIPPED_LIST, NULL);
}
