/* studio-sample-list.c — one split of a dataset as a GListModel of rows for the sample table. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "studio-sample-list.h"

struct _StudioSampleRow
{
  GObject  parent_instance;

  guint    index;
  gint32   label;
  char    *filename;
  char    *category;
};

enum {
  ROW_PROP_0,
  ROW_PROP_INDEX,
  ROW_PROP_FILENAME,
  ROW_PROP_CATEGORY,
  ROW_PROP_LABEL,
  ROW_N_PROPS
};

static GParamSpec *row_properties[ROW_N_PROPS];

G_DEFINE_FINAL_TYPE (StudioSampleRow, studio_sample_row, G_TYPE_OBJECT)

static void
studio_sample_row_finalize (GObject *object)
{
  StudioSampleRow *self = STUDIO_SAMPLE_ROW (object);

  g_free (self->filename);
  g_free (self->category);

  G_OBJECT_CLASS (studio_sample_row_parent_class)->finalize (object);
}

static void
studio_sample_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StudioSampleRow *self = STUDIO_SAMPLE_ROW (object);

  switch (prop_id)
    {
    case ROW_PROP_INDEX:
      g_value_set_uint (value, self->index);
      break;
    case ROW_PROP_FILENAME:
      g_value_set_string (value, self->filename);
      break;
    case ROW_PROP_CATEGORY:
      g_value_set_string (value, self->category);
      break;
    case ROW_PROP_LABEL:
      g_value_set_int (value, self->label);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
studio_sample_row_class_init (StudioSampleRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = studio_sample_row_finalize;
  object_class->get_property = studio_sample_row_get_property;

  /* Read-only properties so GtkSorters can sort the table through property expressions. */
  row_properties[ROW_PROP_INDEX] =
    g_param_spec_uint ("index", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  row_properties[ROW_PROP_FILENAME] =
    g_param_spec_string ("filename", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  row_properties[ROW_PROP_CATEGORY] =
    g_param_spec_string ("category", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  row_properties[ROW_PROP_LABEL] =
    g_param_spec_int ("label", NULL, NULL, G_MININT32, G_MAXINT32, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, ROW_N_PROPS, row_properties);
}

static void
studio_sample_row_init (StudioSampleRow *self)
{
}

guint
studio_sample_row_get_index (StudioSampleRow *self)
{
  g_return_val_if_fail (STUDIO_IS_SAMPLE_ROW (self), 0);

  return self->index;
}

const char *
studio_sample_row_get_filename (StudioSampleRow *self)
{
  g_return_val_if_fail (STUDIO_IS_SAMPLE_ROW (self), NULL);

  return self->filename;
}

const char *
studio_sample_row_get_category (StudioSampleRow *self)
{
  g_return_val_if_fail (STUDIO_IS_SAMPLE_ROW (self), NULL);

  return self->category;
}

gint32
studio_sample_row_get_label (StudioSampleRow *self)
{
  g_return_val_if_fail (STUDIO_IS_SAMPLE_ROW (self), -1);

  return self->label;
}

struct _StudioSampleList
{
  GObject          parent_instance;

  StudioDataset   *dataset;
  StudioSplit      split;
  guint            n_rows;
  StudioSampleRow **rows;   /* (n_rows), NULL until a row is first asked for */
};

static GType
studio_sample_list_get_item_type (GListModel *model)
{
  return STUDIO_TYPE_SAMPLE_ROW;
}

static guint
studio_sample_list_get_n_items (GListModel *model)
{
  return STUDIO_SAMPLE_LIST (model)->n_rows;
}

static StudioSampleRow *
create_row (StudioSampleList *self,
            guint             position)
{
  StudioSampleRow *row = g_object_new (STUDIO_TYPE_SAMPLE_ROW, NULL);
  guint n_classes = studio_dataset_get_n_classes (self->dataset);

  row->index = position;
  row->label = studio_dataset_get_label (self->dataset, self->split, position);
  row->filename = g_strdup (studio_dataset_get_filename (self->dataset, self->split, position));
  if (row->label >= 0 && (guint) row->label < n_classes)
    row->category = g_strdup (studio_dataset_get_class_name (self->dataset, row->label));
  else
    row->category = g_strdup_printf ("%d", row->label);

  return row;
}

static gpointer
studio_sample_list_get_item (GListModel *model,
                             guint       position)
{
  StudioSampleList *self = STUDIO_SAMPLE_LIST (model);

  if (position >= self->n_rows)
    return NULL;
  if (self->rows[position] == NULL)
    self->rows[position] = create_row (self, position);

  return g_object_ref (self->rows[position]);
}

static void
studio_sample_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = studio_sample_list_get_item_type;
  iface->get_n_items = studio_sample_list_get_n_items;
  iface->get_item = studio_sample_list_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (StudioSampleList, studio_sample_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      studio_sample_list_model_init))

static void
studio_sample_list_finalize (GObject *object)
{
  StudioSampleList *self = STUDIO_SAMPLE_LIST (object);

  for (guint i = 0; i < self->n_rows; i++)
    g_clear_object (&self->rows[i]);
  g_free (self->rows);
  g_clear_object (&self->dataset);

  G_OBJECT_CLASS (studio_sample_list_parent_class)->finalize (object);
}

static void
studio_sample_list_class_init (StudioSampleListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = studio_sample_list_finalize;
}

static void
studio_sample_list_init (StudioSampleList *self)
{
}

StudioSampleList *
studio_sample_list_new (StudioDataset *dataset,
                        StudioSplit    split)
{
  StudioSampleList *self;
  gsize n_samples;

  g_return_val_if_fail (STUDIO_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (split < STUDIO_N_SPLITS, NULL);

  n_samples = studio_dataset_get_n_samples (dataset, split);
  g_return_val_if_fail (n_samples <= G_MAXUINT, NULL);

  self = g_object_new (STUDIO_TYPE_SAMPLE_LIST, NULL);
  self->dataset = g_object_ref (dataset);
  self->split = split;
  self->n_rows = n_samples;
  self->rows = g_new0 (StudioSampleRow *, n_samples);

  return self;
}
