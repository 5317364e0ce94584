/* studio-dataset.c — a labelled image dataset in memory: splits, class names, properties. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "studio-dataset.h"
#include "studio-idx-private.h"

typedef struct {
  gsize n;
  guint8 *pixels;     /* (n, height, width, channels) */
  gint32 *labels;     /* (n) */
  char **filenames;   /* (n) or NULL */
} StudioDatasetSplit;

struct _StudioDataset
{
  GObject parent_instance;

  char *name;
  char *source;
  int height;
  int width;
  int channels;
  char **class_names; /* (n_classes + 1), NULL-terminated */
  guint n_classes;
  StudioDatasetSplit splits[STUDIO_N_SPLITS];
};

G_DEFINE_FINAL_TYPE (StudioDataset, studio_dataset, G_TYPE_OBJECT)

G_DEFINE_QUARK (studio-data-error-quark, studio_data_error)

enum {
  PROP_0,
  PROP_NAME,
  PROP_SOURCE,
  PROP_HEIGHT,
  PROP_WIDTH,
  PROP_CHANNELS,
  PROP_CLASS_NAMES,
  PROP_N_CLASSES,
  PROP_N_TRAIN,
  PROP_N_TEST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
split_clear (StudioDatasetSplit *split)
{
  g_clear_pointer (&split->pixels, g_free);
  g_clear_pointer (&split->labels, g_free);
  if (split->filenames != NULL)
    {
      for (gsize i = 0; i < split->n; i++)
        g_free (split->filenames[i]);
      g_clear_pointer (&split->filenames, g_free);
    }
  split->n = 0;
}

static void
studio_dataset_finalize (GObject *object)
{
  StudioDataset *self = STUDIO_DATASET (object);

  for (int split = 0; split < STUDIO_N_SPLITS; split++)
    split_clear (&self->splits[split]);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->class_names, g_strfreev);

  G_OBJECT_CLASS (studio_dataset_parent_class)->finalize (object);
}

static void
studio_dataset_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  StudioDataset *self = STUDIO_DATASET (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;
    case PROP_HEIGHT:
      g_value_set_int (value, self->height);
      break;
    case PROP_WIDTH:
      g_value_set_int (value, self->width);
      break;
    case PROP_CHANNELS:
      g_value_set_int (value, self->channels);
      break;
    case PROP_CLASS_NAMES:
      g_value_set_boxed (value, self->class_names);
      break;
    case PROP_N_CLASSES:
      g_value_set_uint (value, self->n_classes);
      break;
    case PROP_N_TRAIN:
      g_value_set_uint64 (value, self->splits[STUDIO_SPLIT_TRAIN].n);
      break;
    case PROP_N_TEST:
      g_value_set_uint64 (value, self->splits[STUDIO_SPLIT_TEST].n);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
studio_dataset_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  StudioDataset *self = STUDIO_DATASET (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_free (self->name);
      self->name = g_value_dup_string (value);
      break;
    case PROP_SOURCE:
      studio_dataset_set_source (self, g_value_get_string (value));
      break;
    case PROP_HEIGHT:
      self->height = g_value_get_int (value);
      break;
    case PROP_WIDTH:
      self->width = g_value_get_int (value);
      break;
    case PROP_CHANNELS:
      self->channels = g_value_get_int (value);
      break;
    case PROP_CLASS_NAMES:
      g_strfreev (self->class_names);
      self->class_names = g_value_dup_boxed (value);
      if (self->class_names == NULL)
        self->class_names = g_new0 (char *, 1);
      self->n_classes = g_strv_length (self->class_names);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
studio_dataset_class_init (StudioDatasetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags construct_flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
                                | G_PARAM_STATIC_STRINGS;
  GParamFlags read_flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = studio_dataset_finalize;
  object_class->get_property = studio_dataset_get_property;
  object_class->set_property = studio_dataset_set_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, construct_flags);
  properties[PROP_SOURCE] =
    g_param_spec_string ("source", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEIGHT] = g_param_spec_int ("height", NULL, NULL, 0, G_MAXINT, 0,
                                              construct_flags);
  properties[PROP_WIDTH] = g_param_spec_int ("width", NULL, NULL, 0, G_MAXINT, 0,
                                             construct_flags);
  properties[PROP_CHANNELS] = g_param_spec_int ("channels", NULL, NULL, 0, G_MAXINT, 1,
                                                construct_flags);
  properties[PROP_CLASS_NAMES] = g_param_spec_boxed ("class-names", NULL, NULL, G_TYPE_STRV,
                                                     construct_flags);
  properties[PROP_N_CLASSES] = g_param_spec_uint ("n-classes", NULL, NULL, 0, G_MAXUINT, 0,
                                                  read_flags);
  /* Counts change when a split is set, so the Data page can bind its labels to them. */
  properties[PROP_N_TRAIN] = g_param_spec_uint64 ("n-train", NULL, NULL, 0, G_MAXUINT64, 0,
                                                  read_flags);
  properties[PROP_N_TEST] = g_param_spec_uint64 ("n-test", NULL, NULL, 0, G_MAXUINT64, 0,
                                                 read_flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
studio_dataset_init (StudioDataset *self)
{
  self->channels = 1;
  self->class_names = g_new0 (char *, 1);
}

StudioDataset *
studio_dataset_new (const char         *name,
                    int                 height,
                    int                 width,
                    int                 channels,
                    const char * const *class_names)
{
  g_return_val_if_fail (height >= 0 && width >= 0 && channels >= 0, NULL);

  return g_object_new (STUDIO_TYPE_DATASET,
                       "name", name,
                       "height", height,
                       "width", width,
                       "channels", channels,
                       "class-names", class_names,
                       NULL);
}

void
studio_dataset_set_split (StudioDataset *self,
                          StudioSplit    split,
                          gsize          n,
                          guint8        *pixels,
                          gint32        *labels,
                          char         **filenames)
{
  StudioDatasetSplit *target;

  g_return_if_fail (STUDIO_IS_DATASET (self));
  g_return_if_fail (split >= 0 && split < STUDIO_N_SPLITS);
  g_return_if_fail (n == 0 || (pixels != NULL && labels != NULL));

  target = &self->splits[split];
  split_clear (target);
  target->n = n;
  target->pixels = pixels;
  target->labels = labels;
  target->filenames = filenames;

  g_object_notify_by_pspec (G_OBJECT (self), properties[split == STUDIO_SPLIT_TRAIN
                                                         ? PROP_N_TRAIN : PROP_N_TEST]);
}

const char *
studio_dataset_get_name (StudioDataset *self)
{
  g_return_val_if_fail (STUDIO_IS_DATASET (self), NULL);
  return self->name;
}

const char *
studio_dataset_get_source (StudioDataset *self)
{
  g_return_val_if_fail (STUDIO_IS_DATASET (self), NULL);
  return self->source;
}

void
studio_dataset_set_source (StudioDataset *self, const char *source)
{
  g_return_if_fail (STUDIO_IS_DATASET (self));

  if (g_strcmp0 (self->source, source) == 0)
    return;
  g_free (self->source);
  self->source = g_strdup (source);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
}

int
studio_dataset_get_height (StudioDataset *self)
{
  g_return_val_if_fail (STUDIO_IS_DATASET (self), 0);
  return self->height;
}

int
studio_dataset_get_width (StudioDataset *self)
{
  g_return_val_if_fail (STUDIO_IS_DATASET (self), 0);
  return self->width;
}

int
studio_dataset_get_channels (StudioDataset *self)
{
  g_return_val_if_fail (STUDIO_IS_DATASET (self), 0);
  return self->channels;
}

guint
studio_dataset_get_n_classes (StudioDataset *self)
{
  g_return_val_if_fail (STUDIO_IS_DATASET (self), 0);
  return self->n_classes;
}

const char *
studio_dataset_get_class_name (StudioDataset *self, guint class_index)
{
  g_return_val_if_fail (STUDIO_IS_DATASET (self), NULL);
  g_return_val_if_fail (class_index < self->n_classes, NULL);
  return self->class_names[class_index];
}

const char * const *
studio_dataset_get_class_names (StudioDataset *self)
{
  g_return_val_if_fail (STUDIO_IS_DATASET (self), NULL);
  return (const char * const *) self->class_names;
}

gsize
studio_dataset_get_n_samples (StudioDataset *self, StudioSplit split)
{
  g_return_val_if_fail (STUDIO_IS_DATASET (self), 0);
  g_return_val_if_fail (split >= 0 && split < STUDIO_N_SPLITS, 0);
  return self->splits[split].n;
}

const guint8 *
studio_dataset_get_pixels (StudioDataset *self, StudioSplit split, gsize index)
{
  gsize sample_size;

  g_return_val_if_fail (STUDIO_IS_DATASET (self), NULL);
  g_return_val_if_fail (split >= 0 && split < STUDIO_N_SPLITS, NULL);
  g_return_val_if_fail (index < self->splits[split].n, NULL);

  sample_size = (gsize) self->height * self->width * self->channels;
  return self->splits[split].pixels + index * sample_size;
}

gint32
studio_dataset_get_label (StudioDataset *self, StudioSplit split, gsize index)
{
  g_return_val_if_fail (STUDIO_IS_DATASET (self), -1);
  g_return_val_if_fail (split >= 0 && split < STUDIO_N_SPLITS, -1);
  g_return_val_if_fail (index < self->splits[split].n, -1);
  return self->splits[split].labels[index];
}

const gint32 *
studio_dataset_get_labels (StudioDataset *self, StudioSplit split)
{
  g_return_val_if_fail (STUDIO_IS_DATASET (self), NULL);
  g_return_val_if_fail (split >= 0 && split < STUDIO_N_SPLITS, NULL);
  return self->splits[split].labels;
}

const char *
studio_dataset_get_filename (StudioDataset *self, StudioSplit split, gsize index)
{
  g_return_val_if_fail (STUDIO_IS_DATASET (self), NULL);
  g_return_val_if_fail (split >= 0 && split < STUDIO_N_SPLITS, NULL);
  g_return_val_if_fail (index < self->splits[split].n, NULL);

  if (self->splits[split].filenames == NULL)
    return NULL;
  return self->splits[split].filenames[index];
}

void
studio_dataset_count_classes (StudioDataset *self, StudioSplit split, gsize *counts)
{
  const StudioDatasetSplit *source;

  g_return_if_fail (STUDIO_IS_DATASET (self));
  g_return_if_fail (split >= 0 && split < STUDIO_N_SPLITS);
  g_return_if_fail (counts != NULL || self->n_classes == 0);

  if (self->n_classes == 0)
    return;
  source = &self->splits[split];
  memset (counts, 0, self->n_classes * sizeof *counts);
  for (gsize i = 0; i < source->n; i++)
    {
      gint32 label = source->labels[i];

      /* Unlabelled samples (e.g. a test folder without answers) carry -1. */
      if (label >= 0 && (guint) label < self->n_classes)
        counts[label]++;
    }
}

gboolean
studio_dataset_read_idx_pair (StudioDataset *self,
                              StudioSplit    split,
                              const char    *images_path,
                              const char    *labels_path,
                              GCancellable  *cancellable,
                              GError       **error)
{
  StudioIdxPair pair;
  g_autofree char *images_name = NULL;

  g_return_val_if_fail (STUDIO_IS_DATASET (self), FALSE);
  g_return_val_if_fail (split >= 0 && split < STUDIO_N_SPLITS, FALSE);
  g_return_val_if_fail (images_path != NULL && labels_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!studio_idx_read_pair (images_path, labels_path, cancellable, &pair, error))
    return FALSE;

  images_name = g_filename_display_basename (images_path);
  if ((int) pair.rows != self->height || (int) pair.cols != self->width || self->channels != 1)
    {
      g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_MISMATCH,
                   _("The images in “%s” are %u×%u×1 but the dataset holds %d×%d×%d images"),
                   images_name, pair.rows, pair.cols, self->height, self->width,
                   self->channels);
      studio_idx_pair_clear (&pair);
      return FALSE;
    }
  if (pair.n_classes > self->n_classes)
    {
      g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_MISMATCH,
                   _("The labels for “%s” go up to %u but the dataset has %u classes"),
                   images_name, pair.n_classes - 1, self->n_classes);
      studio_idx_pair_clear (&pair);
      return FALSE;
    }

  studio_dataset_set_split (self, split, pair.n_images, g_steal_pointer (&pair.pixels),
                            g_steal_pointer (&pair.labels), NULL);
  return TRUE;
}
