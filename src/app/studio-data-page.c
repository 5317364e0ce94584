/* studio-data-page.c — the Data page: a dataset's facts, class balance, samples and labels. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "studio-data-page.h"
#include "studio-format.h"
#include "studio-sample-list.h"
#include "studio-status-page.h"

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
  GtkLabel            *name_label;
  GtkLabel            *source_label;
  GtkToggleButton     *train_toggle;
  GtkLabel            *image_size_label;
  GtkLabel            *classes_label;
  GtkLabel            *train_count_label;
  GtkLabel            *test_count_label;
  GtkLabel            *chart_heading;
  StudioClassChart    *class_chart;
  StudioSampleGrid    *sample_grid;
  GtkLabel            *table_heading;
  GtkColumnView       *sample_table;

  GtkColumnViewColumn *name_column;
  GtkColumnViewColumn *category_column;
  GtkSortListModel    *sorted_rows;

  StudioDataset       *dataset;
  StudioSplit          split;
  guint32              sample_seed;
};

enum {
  PROP_0,
  PROP_DATASET,
  PROP_SPLIT,
  PROP_SAMPLE_SEED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (StudioDataPage, studio_data_page, GTK_TYPE_WIDGET)

static void
show_class_balance (StudioDataPage *self)
{
  guint n_classes = studio_dataset_get_n_classes (self->dataset);
  g_autofree gsize *counts = g_new0 (gsize, MAX (n_classes, 1));

  studio_dataset_count_classes (self->dataset, self->split, counts);
  studio_class_chart_set_counts (self->class_chart,
                                 studio_dataset_get_class_names (self->dataset),
                                 counts, n_classes);
  gtk_label_set_text (self->chart_heading, self->split == STUDIO_SPLIT_TRAIN
                      ? _("Class Balance of the Training Images")
                      : _("Class Balance of the Test Images"));
}

static void
show_sample_table (StudioDataPage *self)
{
  g_autoptr(StudioSampleList) rows = studio_sample_list_new (self->dataset, self->split);
  gsize n_rows = studio_dataset_get_n_samples (self->dataset, self->split);
  g_autofree char *count = studio_format_count (n_rows);
  g_autofree char *heading = NULL;
  gboolean has_filenames = n_rows > 0
                           && studio_dataset_get_filename (self->dataset, self->split, 0) != NULL;
  g_autoptr(GtkSorter) name_sorter = NULL;

  if (has_filenames)
    name_sorter = GTK_SORTER (gtk_string_sorter_new (
      gtk_property_expression_new (STUDIO_TYPE_SAMPLE_ROW, NULL, "filename")));
  else
    name_sorter = GTK_SORTER (gtk_numeric_sorter_new (
      gtk_property_expression_new (STUDIO_TYPE_SAMPLE_ROW, NULL, "index")));
  gtk_column_view_column_set_title (self->name_column,
                                    has_filenames ? _("Filename") : _("Index"));
  gtk_column_view_column_set_sorter (self->name_column, name_sorter);
  /* Numbers need little room; filenames share it with the categories. */
  gtk_column_view_column_set_expand (self->name_column, has_filenames);
  gtk_column_view_column_set_fixed_width (self->name_column, has_filenames ? -1 : 110);
  gtk_sort_list_model_set_model (self->sorted_rows, G_LIST_MODEL (rows));

  /* Translators: the heading of the label table, e.g. "60,000 Training Images". */
  heading = g_strdup_printf (self->split == STUDIO_SPLIT_TRAIN
                             ? g_dngettext (GETTEXT_PACKAGE, "%s Training Image",
                                            "%s Training Images", n_rows)
                             : g_dngettext (GETTEXT_PACKAGE, "%s Test Image",
                                            "%s Test Images", n_rows),
                             count);
  gtk_label_set_text (self->table_heading, heading);
}

static void
show_samples (StudioDataPage *self)
{
  studio_sample_grid_show_samples (self->sample_grid, self->dataset, self->split,
                                   self->sample_seed, STUDIO_DATA_PAGE_N_SAMPLES);
}

static void
show_split (StudioDataPage *self)
{
  if (self->dataset == NULL)
    return;

  show_class_balance (self);
  show_samples (self);
  show_sample_table (self);
}

static void
show_facts (StudioDataPage *self)
{
  StudioDataset *dataset = self->dataset;
  g_autofree char *image_size = NULL;
  g_autofree char *n_classes = NULL;
  g_autofree char *n_train = NULL;
  g_autofree char *n_test = NULL;
  const char *source = studio_dataset_get_source (dataset);

  image_size = g_strdup_printf ("%d × %d × %d", studio_dataset_get_height (dataset),
                                studio_dataset_get_width (dataset),
                                studio_dataset_get_channels (dataset));
  n_classes = studio_format_count (studio_dataset_get_n_classes (dataset));
  n_train = studio_format_count (studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TRAIN));
  n_test = studio_format_count (studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TEST));

  gtk_label_set_text (self->name_label, studio_dataset_get_name (dataset));
  gtk_label_set_text (self->source_label, source != NULL ? source : "");
  gtk_widget_set_visible (GTK_WIDGET (self->source_label), source != NULL);
  gtk_label_set_text (self->image_size_label, image_size);
  gtk_label_set_text (self->classes_label, n_classes);
  gtk_label_set_text (self->train_count_label, n_train);
  gtk_label_set_text (self->test_count_label, n_test);
}

static void
on_split_toggled (StudioDataPage *self)
{
  studio_data_page_set_split (self, gtk_toggle_button_get_active (self->train_toggle)
                                    ? STUDIO_SPLIT_TRAIN : STUDIO_SPLIT_TEST);
}

static void
on_shuffle_clicked (StudioDataPage *self)
{
  studio_data_page_shuffle_samples (self);
}

static void
on_error_dismiss_clicked (StudioDataPage *self)
{
  studio_data_page_dismiss_error (self);
}

static void
setup_text_cell (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  numeric)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (list_item, label);
}

static void
bind_name_cell (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  StudioSampleRow *row = gtk_list_item_get_item (list_item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  const char *filename = studio_sample_row_get_filename (row);

  if (filename != NULL)
    {
      gtk_label_set_text (label, filename);
      gtk_label_set_xalign (label, 0.0);
    }
  else
    {
      g_autofree char *index = g_strdup_printf ("%u", studio_sample_row_get_index (row));

      gtk_label_set_text (label, index);
      gtk_label_set_xalign (label, 1.0);
    }
}

static void
bind_category_cell (GtkSignalListItemFactory *factory,
                    GtkListItem              *list_item,
                    gpointer                  user_data)
{
  StudioSampleRow *row = gtk_list_item_get_item (list_item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (list_item)),
                      studio_sample_row_get_category (row));
}

static GtkColumnViewColumn *
append_column (StudioDataPage *self,
               const char     *title,
               GCallback       bind_cell,
               gboolean        numeric)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_text_cell), GINT_TO_POINTER (numeric));
  g_signal_connect (factory, "bind", bind_cell, NULL);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, TRUE);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->sample_table, column);

  return column;
}

/* The columns exist before the model is set: on GTK 4.8 rows stay empty otherwise. */
static void
setup_sample_table (StudioDataPage *self)
{
  g_autoptr(GtkSorter) category_sorter = NULL;
  GtkNoSelection *selection;

  self->name_column = append_column (self, _("Index"), G_CALLBACK (bind_name_cell), TRUE);
  self->category_column = append_column (self, _("Category"), G_CALLBACK (bind_category_cell),
                                         FALSE);
  category_sorter = GTK_SORTER (gtk_string_sorter_new (
    gtk_property_expression_new (STUDIO_TYPE_SAMPLE_ROW, NULL, "category")));
  gtk_column_view_column_set_sorter (self->category_column, category_sorter);

  self->sorted_rows = gtk_sort_list_model_new (NULL,
                                               g_object_ref (gtk_column_view_get_sorter (
                                                 self->sample_table)));
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->sorted_rows)));
  gtk_column_view_set_model (self->sample_table, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
}

static void
studio_data_page_dispose (GObject *object)
{
  StudioDataPage *self = STUDIO_DATA_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), STUDIO_TYPE_DATA_PAGE);
  g_clear_object (&self->name_column);
  g_clear_object (&self->category_column);
  g_clear_object (&self->sorted_rows);
  g_clear_object (&self->dataset);

  G_OBJECT_CLASS (studio_data_page_parent_class)->dispose (object);
}

static void
studio_data_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  StudioDataPage *self = STUDIO_DATA_PAGE (object);

  switch (prop_id)
    {
    case PROP_DATASET:
      g_value_set_object (value, self->dataset);
      break;
    case PROP_SPLIT:
      g_value_set_int (value, self->split);
      break;
    case PROP_SAMPLE_SEED:
      g_value_set_uint (value, self->sample_seed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
studio_data_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  StudioDataPage *self = STUDIO_DATA_PAGE (object);

  switch (prop_id)
    {
    case PROP_DATASET:
      studio_data_page_set_dataset (self, g_value_get_object (value));
      break;
    case PROP_SPLIT:
      studio_data_page_set_split (self, g_value_get_int (value));
      break;
    case PROP_SAMPLE_SEED:
      studio_data_page_set_sample_seed (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
studio_data_page_class_init (StudioDataPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = studio_data_page_dispose;
  object_class->get_property = studio_data_page_get_property;
  object_class->set_property = studio_data_page_set_property;

  properties[PROP_DATASET] =
    g_param_spec_object ("dataset", NULL, NULL, STUDIO_TYPE_DATASET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SPLIT] =
    g_param_spec_int ("split", NULL, NULL, STUDIO_SPLIT_TRAIN, STUDIO_SPLIT_TEST,
                      STUDIO_SPLIT_TRAIN,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SAMPLE_SEED] =
    g_param_spec_uint ("sample-seed", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (STUDIO_TYPE_STATUS_PAGE);
  g_type_ensure (STUDIO_TYPE_CLASS_CHART);
  g_type_ensure (STUDIO_TYPE_SAMPLE_GRID);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convstudio/ConvStudio/"
                                               "studio-data-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, page_box);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, loading_status);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, source_label);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, train_toggle);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, image_size_label);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, classes_label);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, train_count_label);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, test_count_label);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, chart_heading);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, class_chart);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, sample_grid);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, table_heading);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, sample_table);
  gtk_widget_class_bind_template_callback (widget_class, on_split_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_shuffle_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_error_dismiss_clicked);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "datapage");
}

static void
studio_data_page_init (StudioDataPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  setup_sample_table (self);
  gtk_stack_set_visible_child_name (self->state_stack, "empty");
}

GtkWidget *
studio_data_page_new (void)
{
  return g_object_new (STUDIO_TYPE_DATA_PAGE, NULL);
}

void
studio_data_page_set_dataset (StudioDataPage *self,
                              StudioDataset  *dataset)
{
  g_return_if_fail (STUDIO_IS_DATA_PAGE (self));
  g_return_if_fail (dataset == NULL || STUDIO_IS_DATASET (dataset));

  if (!g_set_object (&self->dataset, dataset))
    return;

  if (dataset != NULL)
    {
      show_facts (self);
      show_split (self);
    }
  else
    {
      studio_class_chart_set_counts (self->class_chart, NULL, NULL, 0);
      studio_sample_grid_show_samples (self->sample_grid, NULL, STUDIO_SPLIT_TRAIN, 0, 0);
      gtk_sort_list_model_set_model (self->sorted_rows, NULL);
    }
  studio_data_page_stop_loading (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATASET]);
}

StudioDataset *
studio_data_page_get_dataset (StudioDataPage *self)
{
  g_return_val_if_fail (STUDIO_IS_DATA_PAGE (self), NULL);

  return self->dataset;
}

void
studio_data_page_set_split (StudioDataPage *self,
                            StudioSplit     split)
{
  g_return_if_fail (STUDIO_IS_DATA_PAGE (self));
  g_return_if_fail (split == STUDIO_SPLIT_TRAIN || split == STUDIO_SPLIT_TEST);

  if (self->split == split)
    return;

  self->split = split;
  gtk_toggle_button_set_active (self->train_toggle, split == STUDIO_SPLIT_TRAIN);
  show_split (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPLIT]);
}

StudioSplit
studio_data_page_get_split (StudioDataPage *self)
{
  g_return_val_if_fail (STUDIO_IS_DATA_PAGE (self), STUDIO_SPLIT_TRAIN);

  return self->split;
}

guint32
studio_data_page_get_sample_seed (StudioDataPage *self)
{
  g_return_val_if_fail (STUDIO_IS_DATA_PAGE (self), 0);

  return self->sample_seed;
}

void
studio_data_page_set_sample_seed (StudioDataPage *self,
                                  guint32         sample_seed)
{
  g_return_if_fail (STUDIO_IS_DATA_PAGE (self));

  if (self->sample_seed == sample_seed)
    return;

  self->sample_seed = sample_seed;
  if (self->dataset != NULL)
    show_samples (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAMPLE_SEED]);
}

void
studio_data_page_shuffle_samples (StudioDataPage *self)
{
  guint32 seed;

  g_return_if_fail (STUDIO_IS_DATA_PAGE (self));

  do
    seed = g_random_int ();
  while (seed == self->sample_seed);
  studio_data_page_set_sample_seed (self, seed);
}

void
studio_data_page_show_loading (StudioDataPage *self,
                               const char     *path)
{
  g_return_if_fail (STUDIO_IS_DATA_PAGE (self));

  studio_status_page_set_description (self->loading_status, path);
  gtk_spinner_start (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->state_stack, "loading");
}

void
studio_data_page_stop_loading (StudioDataPage *self)
{
  g_return_if_fail (STUDIO_IS_DATA_PAGE (self));

  gtk_spinner_stop (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->state_stack,
                                    self->dataset != NULL ? "dataset" : "empty");
}

void
studio_data_page_show_error (StudioDataPage *self,
                             const char     *message)
{
  g_return_if_fail (STUDIO_IS_DATA_PAGE (self));
  g_return_if_fail (message != NULL);

  gtk_label_set_text (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}

void
studio_data_page_dismiss_error (StudioDataPage *self)
{
  g_return_if_fail (STUDIO_IS_DATA_PAGE (self));

  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
}

const char *
studio_data_page_get_error (StudioDataPage *self)
{
  g_return_val_if_fail (STUDIO_IS_DATA_PAGE (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->error_revealer))
    return NULL;
  return gtk_label_get_text (self->error_label);
}

const char *
studio_data_page_get_state (StudioDataPage *self)
{
  g_return_val_if_fail (STUDIO_IS_DATA_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->state_stack);
}

const char *
studio_data_page_get_fact (StudioDataPage *self,
                           StudioDataFact  fact)
{
  g_return_val_if_fail (STUDIO_IS_DATA_PAGE (self), NULL);

  switch (fact)
    {
    case STUDIO_DATA_FACT_IMAGE_SIZE:
      return gtk_label_get_text (self->image_size_label);
    case STUDIO_DATA_FACT_CLASSES:
      return gtk_label_get_text (self->classes_label);
    case STUDIO_DATA_FACT_TRAIN_SAMPLES:
      return gtk_label_get_text (self->train_count_label);
    case STUDIO_DATA_FACT_TEST_SAMPLES:
      return gtk_label_get_text (self->test_count_label);
    default:
      g_return_val_if_reached (NULL);
    }
}

StudioClassChart *
studio_data_page_get_class_chart (StudioDataPage *self)
{
  g_return_val_if_fail (STUDIO_IS_DATA_PAGE (self), NULL);

  return self->class_chart;
}

StudioSampleGrid *
studio_data_page_get_sample_grid (StudioDataPage *self)
{
  g_return_val_if_fail (STUDIO_IS_DATA_PAGE (self), NULL);

  return self->sample_grid;
}

GtkColumnView *
studio_data_page_get_sample_table (StudioDataPage *self)
{
  g_return_val_if_fail (STUDIO_IS_DATA_PAGE (self), NULL);

  return self->sample_table;
}
