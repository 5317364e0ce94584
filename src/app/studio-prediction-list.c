/* studio-prediction-list.c — predictions on a dataset split as a GListModel of rows. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>

#include "studio-export.h"
#include "studio-prediction-list.h"

/* Keras clips probabilities to [ε, 1 − ε] before taking the log. */
#define LOSS_EPSILON 1e-7f

struct _StudioPredictionRow
{
  GObject  parent_instance;

  guint    position;
  guint    sample_index;
  guint    predicted;
  gint32   true_label;
  float    confidence;
  float    loss;
};

G_DEFINE_FINAL_TYPE (StudioPredictionRow, studio_prediction_row, G_TYPE_OBJECT)

static void
studio_prediction_row_class_init (StudioPredictionRowClass *klass)
{
}

static void
studio_prediction_row_init (StudioPredictionRow *self)
{
}

guint
studio_prediction_row_get_position (StudioPredictionRow *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTION_ROW (self), 0);
  return self->position;
}

guint
studio_prediction_row_get_sample_index (StudioPredictionRow *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTION_ROW (self), 0);
  return self->sample_index;
}

guint
studio_prediction_row_get_predicted (StudioPredictionRow *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTION_ROW (self), 0);
  return self->predicted;
}

float
studio_prediction_row_get_confidence (StudioPredictionRow *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTION_ROW (self), 0.0f);
  return self->confidence;
}

gint32
studio_prediction_row_get_true_label (StudioPredictionRow *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTION_ROW (self), -1);
  return self->true_label;
}

gboolean
studio_prediction_row_has_label (StudioPredictionRow *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTION_ROW (self), FALSE);
  return self->true_label >= 0;
}

gboolean
studio_prediction_row_is_correct (StudioPredictionRow *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTION_ROW (self), FALSE);
  return self->true_label >= 0 && (guint) self->true_label == self->predicted;
}

float
studio_prediction_row_get_loss (StudioPredictionRow *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTION_ROW (self), NAN);
  return self->loss;
}

struct _StudioPredictionList
{
  GObject               parent_instance;

  StudioDataset        *dataset;
  StudioSplit           split;
  guint                 n_rows;
  guint                 n_classes;
  guint32              *sample_indices;   /* (n_rows) */
  float                *probabilities;    /* (n_rows, n_classes) */
  guint                *predicted;        /* (n_rows) argmax of each row */
  gint32               *true_labels;      /* (n_rows) −1 where unknown */
  gboolean              has_labels;
  StudioPredictionRow **rows;             /* (n_rows) made on first use */
};

static void studio_prediction_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (StudioPredictionList, studio_prediction_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      studio_prediction_list_model_init))

static GType
studio_prediction_list_get_item_type (GListModel *model)
{
  return STUDIO_TYPE_PREDICTION_ROW;
}

static guint
studio_prediction_list_get_n_items (GListModel *model)
{
  return STUDIO_PREDICTION_LIST (model)->n_rows;
}

static StudioPredictionRow *
create_row (StudioPredictionList *self,
            guint                 position)
{
  StudioPredictionRow *row = g_object_new (STUDIO_TYPE_PREDICTION_ROW, NULL);
  const float *probabilities = self->probabilities + (gsize) position * self->n_classes;
  gint32 truth = self->true_labels[position];

  row->position = position;
  row->sample_index = self->sample_indices[position];
  row->predicted = self->predicted[position];
  row->confidence = probabilities[row->predicted];
  row->true_label = truth;
  row->loss = truth >= 0 ? -logf (CLAMP (probabilities[truth], LOSS_EPSILON, 1.0f - LOSS_EPSILON))
                         : NAN;
  return row;
}

static gpointer
studio_prediction_list_get_item (GListModel *model,
                                 guint       position)
{
  StudioPredictionList *self = STUDIO_PREDICTION_LIST (model);

  if (position >= self->n_rows)
    return NULL;
  if (self->rows[position] == NULL)
    self->rows[position] = create_row (self, position);
  return g_object_ref (self->rows[position]);
}

static void
studio_prediction_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = studio_prediction_list_get_item_type;
  iface->get_n_items = studio_prediction_list_get_n_items;
  iface->get_item = studio_prediction_list_get_item;
}

static void
studio_prediction_list_finalize (GObject *object)
{
  StudioPredictionList *self = STUDIO_PREDICTION_LIST (object);

  for (guint i = 0; i < self->n_rows; i++)
    g_clear_object (&self->rows[i]);
  g_free (self->rows);
  g_free (self->sample_indices);
  g_free (self->probabilities);
  g_free (self->predicted);
  g_free (self->true_labels);
  g_clear_object (&self->dataset);

  G_OBJECT_CLASS (studio_prediction_list_parent_class)->finalize (object);
}

static void
studio_prediction_list_class_init (StudioPredictionListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = studio_prediction_list_finalize;
}

static void
studio_prediction_list_init (StudioPredictionList *self)
{
}

StudioPredictionList *
studio_prediction_list_new (StudioDataset  *dataset,
                            StudioSplit     split,
                            const guint32  *sample_indices,
                            gsize           n,
                            const float    *probabilities,
                            guint           n_classes)
{
  StudioPredictionList *self;
  gsize n_samples;

  g_return_val_if_fail (STUDIO_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (probabilities != NULL || n == 0, NULL);
  g_return_val_if_fail (n_classes > 0 && n <= G_MAXUINT, NULL);

  n_samples = studio_dataset_get_n_samples (dataset, split);
  g_return_val_if_fail (sample_indices != NULL || n <= n_samples, NULL);

  self = g_object_new (STUDIO_TYPE_PREDICTION_LIST, NULL);
  self->dataset = g_object_ref (dataset);
  self->split = split;
  self->n_rows = n;
  self->n_classes = n_classes;
  self->probabilities = g_memdup2 (probabilities, n * n_classes * sizeof (float));
  self->sample_indices = g_new (guint32, MAX (n, 1));
  self->predicted = g_new (guint, MAX (n, 1));
  self->true_labels = g_new (gint32, MAX (n, 1));
  self->rows = g_new0 (StudioPredictionRow *, MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    {
      guint32 sample = sample_indices != NULL ? sample_indices[i] : (guint32) i;
      gint32 label = sample < n_samples ? studio_dataset_get_label (dataset, split, sample) : -1;

      g_warn_if_fail (sample < n_samples);
      self->sample_indices[i] = MIN (sample, n_samples > 0 ? n_samples - 1 : 0);
      self->predicted[i] = studio_argmax (self->probabilities + i * n_classes, n_classes);
      /* A label the model has no output for cannot be judged. */
      self->true_labels[i] = label >= 0 && (guint) label < n_classes ? label : -1;
      self->has_labels |= self->true_labels[i] >= 0;
    }

  return self;
}

StudioDataset *
studio_prediction_list_get_dataset (StudioPredictionList *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTION_LIST (self), NULL);
  return self->dataset;
}

StudioSplit
studio_prediction_list_get_split (StudioPredictionList *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTION_LIST (self), STUDIO_SPLIT_TEST);
  return self->split;
}

guint
studio_prediction_list_get_n_classes (StudioPredictionList *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTION_LIST (self), 0);
  return self->n_classes;
}

const float *
studio_prediction_list_get_probabilities (StudioPredictionList *self,
                                          guint                 position)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTION_LIST (self), NULL);
  g_return_val_if_fail (position < self->n_rows, NULL);
  return self->probabilities + (gsize) position * self->n_classes;
}

const float *
studio_prediction_list_get_all_probabilities (StudioPredictionList *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTION_LIST (self), NULL);
  return self->probabilities;
}

const guint *
studio_prediction_list_get_predicted (StudioPredictionList *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTION_LIST (self), NULL);
  return self->predicted;
}

const gint32 *
studio_prediction_list_get_true_labels (StudioPredictionList *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTION_LIST (self), NULL);
  return self->true_labels;
}

gboolean
studio_prediction_list_has_labels (StudioPredictionList *self)
{
  g_return_val_if_fail (STUDIO_IS_PREDICTION_LIST (self), FALSE);
  return self->has_labels;
}

const char **
studio_prediction_list_dup_filenames (StudioPredictionList *self)
{
  const char **filenames;

  g_return_val_if_fail (STUDIO_IS_PREDICTION_LIST (self), NULL);

  filenames = g_new0 (const char *, self->n_rows + 1);
  for (guint i = 0; i < self->n_rows; i++)
    filenames[i] = studio_dataset_get_filename (self->dataset, self->split,
                                                self->sample_indices[i]);
  return filenames;
}
