/* studio-data-page.c — the Data page: a dataset's facts, class balance, samples and labels. */
// Image folders add the scan's findings (found line, skipped files, cache size), the split
// training will make, and the augmentation preview.
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "studio-data-page-private.h"
#include "studio-format.h"
#include "studio-sample-list.h"
#include "studio-split.h"
#include "studio-status-page.h"




enum {
  PROP_0,
  PROP_DATASET,
  PROP_SPLIT,
  PROP_SAMPLE_SEED,
  PROP_TARGET_HEIGHT,
  PROP_TARGET_WIDTH,
  PROP_TARGET_CHANNELS,
  PROP_VALIDATION_SPLIT,
  PROP_VALIDATION_SEED,
  N_PROPS
};

enum {
  SIGNAL_AUGMENT_SETTINGS_CHANGED,
  SIGNAL_SAMPLE_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

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


/* The augmentation preview starts with the first of the samples shown. */
static void
show_preview_image (StudioDataPage *self)
{
  if (self->dataset == NULL || studio_sample_grid_get_n_samples (self->sample_grid) == 0)
    {
      studio_augment_preview_set_image (self->augment_preview, NULL, STUDIO_SPLIT_TRAIN, 0);
      return;
    }
  studio_augment_preview_set_image (self->augment_preview, self->dataset, self->split,
                                    studio_sample_grid_get_sample_index (self->sample_grid, 0));
}

static void
show_split (StudioDataPage *self)
{
  if (self->dataset == NULL)
    return;

  show_class_balance (self);
  studio_data_page_show_parts (self);
  show_samples (self);
  show_sample_table (self);
  show_preview_image (self);
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
  gtk_label_set_text (self->found_label, self->found_text != NULL ? self->found_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->found_label), self->found_text != NULL);
  /* Only image folders are decoded to a target size; IDX images have their own. */
  gtk_widget_set_visible (self->target_box, self->found_text != NULL);
}

/* The reload button only makes sense when the size differs from the loaded images'. */
static void
update_reload_button (StudioDataPage *self)
{
  gboolean differs = self->dataset != NULL
    && (studio_data_page_get_target_height (self) != studio_dataset_get_height (self->dataset)
        || studio_data_page_get_target_width (self) != studio_dataset_get_width (self->dataset)
        || studio_data_page_get_target_channels (self)
           != studio_dataset_get_channels (self->dataset));

  gtk_widget_set_sensitive (self->reload_button,
                            differs && studio_dataset_get_source (self->dataset) != NULL);
}

static void
on_target_changed (StudioDataPage *self)
{
  update_reload_button (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TARGET_HEIGHT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TARGET_WIDTH]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TARGET_CHANNELS]);
}

static void
on_reload_clicked (StudioDataPage *self)
{
  if (self->dataset == NULL || studio_dataset_get_source (self->dataset) == NULL)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-dataset-path", "s",
                              studio_dataset_get_source (self->dataset));
}

static void
on_augment_settings_changed (StudioDataPage *self)
{
  g_signal_emit (self, signals[SIGNAL_AUGMENT_SETTINGS_CHANGED], 0);
}

/* A row picked in the table becomes the image of the augmentation preview. */
static void
on_table_selection_changed (GtkSingleSelection *selection,
                            GParamSpec         *pspec,
                            StudioDataPage     *self)
{
  StudioSampleRow *row = gtk_single_selection_get_selected_item (selection);

  if (row == NULL || self->dataset == NULL)
    return;
  studio_augment_preview_set_image (self->augment_preview, self->dataset, self->split,
                                    studio_sample_row_get_index (row));
  g_signal_emit (self, signals[SIGNAL_SAMPLE_ACTIVATED], 0, (int) self->split,
                 (guint64) studio_sample_row_get_index (row));
}

/* Clicking a sample shows it in the augmentation preview. */
static void
on_sample_clicked (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   StudioDataPage  *self)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->sample_grid), x, y, GTK_PICK_DEFAULT);
  GtkWidget *child = picked != NULL
                     ? gtk_widget_get_ancestor (picked, GTK_TYPE_FLOW_BOX_CHILD) : NULL;
  int position;

  if (child == NULL || self->dataset == NULL)
    return;
  position = gtk_flow_box_child_get_index (GTK_FLOW_BOX_CHILD (child));
  if (position < 0 || (guint) position >= studio_sample_grid_get_n_samples (self->sample_grid))
    return;
  studio_augment_preview_set_image (self->augment_preview, self->dataset, self->split,
                                    studio_sample_grid_get_sample_index (self->sample_grid,
                                                                         position));
  g_signal_emit (self, signals[SIGNAL_SAMPLE_ACTIVATED], 0, (int) self->split,
                 (guint64) studio_sample_grid_get_sample_index (self->sample_grid, position));
  studio_data_page_set_view (self, "augmentation");
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
  GtkSingleSelection *selection;

  self->name_column = append_column (self, _("Index"), G_CALLBACK (bind_name_cell), TRUE);
  self->category_column = append_column (self, _("Category"), G_CALLBACK (bind_category_cell),
                                         FALSE);
  category_sorter = GTK_SORTER (gtk_string_sorter_new (
    gtk_property_expression_new (STUDIO_TYPE_SAMPLE_ROW, NULL, "category")));
  gtk_column_view_column_set_sorter (self->category_column, category_sorter);

  self->sorted_rows = gtk_sort_list_model_new (NULL,
                                               g_object_ref (gtk_column_view_get_sorter (
                                                 self->sample_table)));
  selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sorted_rows)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  g_signal_connect_object (selection, "notify::selected-item",
                           G_CALLBACK (on_table_selection_changed), self, 0);
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
  g_clear_pointer (&self->found_text, g_free);

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
    case PROP_TARGET_HEIGHT:
      g_value_set_int (value, studio_data_page_get_target_height (self));
      break;
    case PROP_TARGET_WIDTH:
      g_value_set_int (value, studio_data_page_get_target_width (self));
      break;
    case PROP_TARGET_CHANNELS:
      g_value_set_int (value, studio_data_page_get_target_channels (self));
      break;
    case PROP_VALIDATION_SPLIT:
      g_value_set_double (value, self->validation_split);
      break;
    case PROP_VALIDATION_SEED:
      g_value_set_uint (value, self->validation_seed);
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
    case PROP_TARGET_HEIGHT:
      gtk_spin_button_set_value (self->target_height_spin, g_value_get_int (value));
      break;
    case PROP_TARGET_WIDTH:
      gtk_spin_button_set_value (self->target_width_spin, g_value_get_int (value));
      break;
    case PROP_TARGET_CHANNELS:
      gtk_drop_down_set_selected (self->target_channels_dropdown,
                                  g_value_get_int (value) == 1 ? 1 : 0);
      break;
    case PROP_VALIDATION_SPLIT:
      studio_data_page_set_validation (self, g_value_get_double (value), self->validation_seed,
                                       self->stratify);
      break;
    case PROP_VALIDATION_SEED:
      studio_data_page_set_validation (self, self->validation_split, g_value_get_uint (value),
                                       self->stratify);
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
  properties[PROP_TARGET_HEIGHT] =
    g_param_spec_int ("target-height", NULL, NULL, 8, 1024, DEFAULT_TARGET_SIZE,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TARGET_WIDTH] =
    g_param_spec_int ("target-width", NULL, NULL, 8, 1024, DEFAULT_TARGET_SIZE,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TARGET_CHANNELS] =
    g_param_spec_int ("target-channels", NULL, NULL, 1, 3, DEFAULT_TARGET_CHANNELS,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALIDATION_SPLIT] =
    g_param_spec_double ("validation-split", NULL, NULL, 0.0, 0.99, 0.2,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALIDATION_SEED] =
    g_param_spec_uint ("validation-seed", NULL, NULL, 0, G_MAXUINT32, 42,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_AUGMENT_SETTINGS_CHANGED] =
    g_signal_new ("augment-settings-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_SAMPLE_ACTIVATED] =
    g_signal_new ("sample-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_UINT64);

  g_type_ensure (STUDIO_TYPE_AUGMENT_PREVIEW);
  g_type_ensure (STUDIO_TYPE_SKIPPED_LIST);
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
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, found_label);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, skipped_list);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, target_box);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, target_height_spin);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, target_width_spin);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, target_channels_dropdown);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, reload_button);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, cache_fact);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, cache_size_label);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, parts_box);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, parts_heading);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, parts_caption);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, training_part_label);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, training_part_chart);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, validation_part_label);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, validation_part_chart);
  gtk_widget_class_bind_template_child (widget_class, StudioDataPage, augment_preview);
  gtk_widget_class_bind_template_callback (widget_class, on_split_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_target_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_reload_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_augment_settings_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_shuffle_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_error_dismiss_clicked);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "datapage");
}

static void
studio_data_page_init (StudioDataPage *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->validation_split = 0.2;
  self->validation_seed = 42;
  gtk_widget_init_template (GTK_WIDGET (self));
  setup_sample_table (self);
  gtk_stack_set_visible_child_name (self->state_stack, "empty");
  g_signal_connect (click, "released", G_CALLBACK (on_sample_clicked), self);
  gtk_widget_add_controller (GTK_WIDGET (self->sample_grid), GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sample_grid), NULL);
}

GtkWidget *
studio_data_page_new (void)
{
  return g_object_new (STUDIO_TYPE_DATA_PAGE, NULL);
}

/* Shows `dataset` with what its scan found (NULL for IDX datasets). */
static void
show_dataset (StudioDataPage        *self,
              StudioDataset         *dataset,
              const StudioImageScan *scan)
{
  g_clear_pointer (&self->found_text, g_free);
  if (scan != NULL)
    self->found_text = studio_image_scan_format_found (scan);
  studio_skipped_list_set_scan (self->skipped_list, scan);
  gtk_widget_set_visible (GTK_WIDGET (self->skipped_list),
                          studio_skipped_list_get_n_items (self->skipped_list) > 0);
  gtk_widget_set_visible (self->cache_fact, scan != NULL && dataset != NULL);
  if (scan != NULL && dataset != NULL)
    {
      g_autofree char *cache_size = g_format_size (
        studio_image_scan_get_cache_size (scan, studio_dataset_get_height (dataset),
                                          studio_dataset_get_width (dataset),
                                          studio_dataset_get_channels (dataset)));

      gtk_label_set_text (self->cache_size_label, cache_size);
    }

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
      studio_data_page_show_parts (self);
      show_preview_image (self);
    }
  update_reload_button (self);
  studio_data_page_stop_loading (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATASET]);
}

void
studio_data_page_set_dataset (StudioDataPage *self,
                              StudioDataset  *dataset)
{
  g_return_if_fail (STUDIO_IS_DATA_PAGE (self));
  g_return_if_fail (dataset == NULL || STUDIO_IS_DATASET (dataset));

  if (!g_set_object (&self->dataset, dataset))
    return;
  show_dataset (self, dataset, NULL);
}

void
studio_data_page_set_load_result (StudioDataPage  *self,
                                  StudioDataset   *dataset,
                                  StudioImageScan *scan)
{
  g_return_if_fail (STUDIO_IS_DATA_PAGE (self));
  g_return_if_fail (dataset == NULL || STUDIO_IS_DATASET (dataset));

  g_set_object (&self->dataset, dataset);
  show_dataset (self, dataset, scan);
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
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->loading_spinner), TRUE);
  gtk_spinner_start (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->state_stack, "loading");
}

void
studio_data_page_show_progress (StudioDataPage *self,
                                guint           done,
                                guint           total)
{
  g_autofree char *done_text = NULL;
  g_autofree char *total_text = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (STUDIO_IS_DATA_PAGE (self));

  gtk_stack_set_visible_child_name (self->state_stack, "loading");
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), total > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->loading_spinner), total == 0);
  if (total == 0)
    {
      gtk_spinner_start (self->loading_spinner);
      return;
    }
  gtk_spinner_stop (self->loading_spinner);
  done = MIN (done, total);
  done_text = studio_format_count (done);
  total_text = studio_format_count (total);
  /* Translators: loading progress, e.g. "1,200 of 25,000 images decoded". */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s of %s image decoded",
                                       "%s of %s images decoded", total),
                          done_text, total_text);
  gtk_progress_bar_set_fraction (self->progress_bar, (double) done / total);
  gtk_progress_bar_set_text (self->progress_bar, text);
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
    case STUDIO_DATA_FACT_CACHE_SIZE:
      return gtk_widget_get_visible (self->cache_fact)
             ? gtk_label_get_text (self->cache_size_label) : NULL;
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

void
studio_data_page_set_validation (StudioDataPage *self,
                                 double          validation_split,
                                 guint32         seed,
                                 gboolean        stratify)
{
  gboolean split_changed, seed_changed;

  g_return_if_fail (STUDIO_IS_DATA_PAGE (self));
  g_return_if_fail (validation_split >= 0 && validation_split < 1);

  split_changed = self->validation_split != validation_split;
  seed_changed = self->validation_seed != seed;
  if (!split_changed && !seed_changed && self->stratify == !!stratify)
    return;

  self->validation_split = validation_split;
  self->validation_seed = seed;
  self->stratify = !!stratify;
  studio_data_page_show_parts (self);
  if (split_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALIDATION_SPLIT]);
  if (seed_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALIDATION_SEED]);
}

void
studio_data_page_set_training_config (StudioDataPage             *self,
                                      const StudioTrainingConfig *config)
{
  g_return_if_fail (STUDIO_IS_DATA_PAGE (self));
  g_return_if_fail (config != NULL);

  studio_data_page_set_validation (self, config->validation_split, config->seed,
                                   config->stratify);
}
