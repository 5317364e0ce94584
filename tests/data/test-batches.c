/* test-batches.c — the engine's batch source over a dataset: order, coverage, augmentation. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include <string.h>

#include <glib.h>

#include "studio-batches.h"

enum { N_SAMPLES = 103, SIDE = 6, N_CLASSES = 3 };

/* A dataset whose every pixel of sample k is k % 256 and whose label is k % 3, so a batch
 * tells which samples it holds. */
static StudioDataset *
make_dataset (void)
{
  static const char * const class_names[] = { "a", "b", "c", NULL };
  StudioDataset *dataset = studio_dataset_new ("counting", SIDE, SIDE, 1, class_names);
  guint8 *pixels = g_new (guint8, N_SAMPLES * SIDE * SIDE);
  gint32 *labels = g_new (gint32, N_SAMPLES);

  for (gsize k = 0; k < N_SAMPLES; k++)
    {
      memset (pixels + k * SIDE * SIDE, (int) (k % 256), SIDE * SIDE);
      labels[k] = k % N_CLASSES;
    }
  studio_dataset_set_split (dataset, STUDIO_SPLIT_TRAIN, N_SAMPLES, pixels, labels, NULL);
  return dataset;
}

/* Runs one epoch with the given batch size; seen[k] counts sample k; returns the order. */
static GArray *
run_epoch (StudioBatches *batches,
           int            epoch,
           int            batch_size,
           int           *seen)
{
  CnnBatchSource *source = studio_batches_get_source (batches);
  g_autofree float *x = g_new (float, batch_size * SIDE * SIDE);
  g_autofree int32_t *labels = g_new (int32_t, batch_size);
  GArray *order = g_array_new (FALSE, FALSE, sizeof (int));
  int n_filled;

  g_assert_cmpint (source->begin_epoch (source->user_data, epoch, NULL), ==, CNN_OK);
  for (;;)
    {
      g_assert_cmpint (source->next_batch (source->user_data, x, labels, batch_size, &n_filled,
                                           NULL), ==, CNN_OK);
      if (n_filled == 0)
        break;
      g_assert_cmpint (n_filled, <=, batch_size);
      for (int k = 0; k < n_filled; k++)
        {
          int sample = (int) (x[k * SIDE * SIDE] * 2); /* rescale 0.5 in the tests below */

          g_assert_cmpint (labels[k], ==, sample % N_CLASSES);
          if (seen != NULL)
            seen[sample]++;
          g_array_append_val (order, sample);
        }
    }
  return order;
}

static void
test_every_sample_once_per_epoch (void)
{
  g_autoptr (StudioDataset) dataset = make_dataset ();
  StudioAugmentSettings settings;
  g_autoptr (StudioBatches) batches = NULL;

  studio_augment_settings_init (&settings);
  settings.rescale = 0.5;
  batches = studio_batches_new (dataset, STUDIO_SPLIT_TRAIN, NULL, 0, TRUE, &settings, 7);
  g_assert_cmpuint (studio_batches_get_n_samples (batches), ==, N_SAMPLES);

  for (int epoch = 0; epoch < 3; epoch++)
    {
      int seen[N_SAMPLES] = { 0 };
      g_autoptr (GArray) order = run_epoch (batches, epoch, 10, seen);

      g_assert_cmpuint (order->len, ==, N_SAMPLES);
      for (int k = 0; k < N_SAMPLES; k++)
        g_assert_cmpint (seen[k], ==, 1);
    }
}

static void
test_order_depends_on_seed_and_epoch_only (void)
{
  g_autoptr (StudioDataset) dataset = make_dataset ();
  StudioAugmentSettings settings;
  g_autoptr (StudioBatches) first = NULL;
  g_autoptr (StudioBatches) second = NULL;
  g_autoptr (GArray) epoch0 = NULL;
  g_autoptr (GArray) epoch1 = NULL;
  g_autoptr (GArray) resumed = NULL;
  g_autoptr (GArray) epoch1_other_batch = NULL;

  studio_augment_settings_init (&settings);
  settings.rescale = 0.5;
  first = studio_batches_new (dataset, STUDIO_SPLIT_TRAIN, NULL, 0, TRUE, &settings, 42);
  second = studio_batches_new (dataset, STUDIO_SPLIT_TRAIN, NULL, 0, TRUE, &settings, 42);

  epoch0 = run_epoch (first, 0, 16, NULL);
  epoch1 = run_epoch (first, 1, 16, NULL);
  /* A run resumed at epoch 1, with a different batch size, sees the same order. */
  resumed = run_epoch (second, 1, 16, NULL);
  epoch1_other_batch = run_epoch (second, 1, 5, NULL);

  g_assert_cmpmem (epoch1->data, epoch1->len * sizeof (int),
                   resumed->data, resumed->len * sizeof (int));
  g_assert_cmpmem (epoch1->data, epoch1->len * sizeof (int),
                   epoch1_other_batch->data, epoch1_other_batch->len * sizeof (int));
  g_assert_false (memcmp (epoch0->data, epoch1->data, epoch0->len * sizeof (int)) == 0);
}

static void
test_subset_in_input_order (void)
{
  g_autoptr (StudioDataset) dataset = make_dataset ();
  StudioAugmentSettings settings;
  const guint32 subset[] = { 100, 3, 50, 7, 8 };
  g_autoptr (StudioBatches) batches = NULL;
  g_autoptr (GArray) order = NULL;

  studio_augment_settings_init (&settings);
  settings.rescale = 0.5;
  batches = studio_batches_new (dataset, STUDIO_SPLIT_TRAIN, subset, G_N_ELEMENTS (subset),
                                FALSE, &settings, 1);
  order = run_epoch (batches, 0, 2, NULL);

  g_assert_cmpuint (order->len, ==, G_N_ELEMENTS (subset));
  for (guint k = 0; k < order->len; k++)
    {
      g_assert_cmpint (g_array_index (order, int, k), ==, (int) subset[k]);
      g_assert_cmpuint (studio_batches_get_sample_index (batches, k), ==, subset[k]);
    }
}

/* Augmented batches are the same whichever thread timing or batch size produced them. */
static void
test_augmentation_reproducible (void)
{
  g_autoptr (StudioDataset) dataset = NULL;
  static const char * const class_names[] = { "x", NULL };
  StudioAugmentSettings settings;
  guint8 *pixels = g_new (guint8, 4 * SIDE * SIDE);
  gint32 *labels = g_new0 (gint32, 4);
  float a[4 * SIDE * SIDE], b[4 * SIDE * SIDE];
  int32_t batch_labels[4];
  int n_filled;

  for (gsize k = 0; k < 4 * SIDE * SIDE; k++)
    pixels[k] = (k * 37) % 251;
  dataset = studio_dataset_new ("noise", SIDE, SIDE, 1, class_names);
  studio_dataset_set_split (dataset, STUDIO_SPLIT_TRAIN, 4, pixels, labels, NULL);

  studio_augment_settings_init (&settings);
  settings.rotation_range = 30;
  settings.horizontal_flip = TRUE;
  studio_augment_settings_set_zoom (&settings, 0.2);

  for (int run = 0; run < 2; run++)
    {
      g_autoptr (StudioBatches) batches =
        studio_batches_new (dataset, STUDIO_SPLIT_TRAIN, NULL, 0, TRUE, &settings, 9);
      CnnBatchSource *source = studio_batches_get_source (batches);
      float *out = run == 0 ? a : b;

      source->begin_epoch (source->user_data, 3, NULL);
      if (run == 0)
        source->next_batch (source->user_data, out, batch_labels, 4, &n_filled, NULL);
      else
        for (int k = 0; k < 4; k++)
          source->next_batch (source->user_data, out + k * SIDE * SIDE, batch_labels, 1,
                              &n_filled, NULL);
    }
  g_assert_cmpmem (a, sizeof a, b, sizeof b);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data/batches/every-sample-once", test_every_sample_once_per_epoch);
  g_test_add_func ("/data/batches/order-reproducible", test_order_depends_on_seed_and_epoch_only);
  g_test_add_func ("/data/batches/subset-order", test_subset_in_input_order);
  g_test_add_func ("/data/batches/augmentation-reproducible", test_augmentation_reproducible);

  return g_test_run ();
}
