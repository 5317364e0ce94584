/* test-split.c — train/test splits against numpy and scikit-learn golden values. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "studio-split.h"

/* Golden permutations computed once with numpy 1.24.2 (Debian 12's python3-numpy):
 * list(np.random.RandomState(seed).permutation(n)). */
static const struct {
  guint32 seed;
  gsize n;
  guint32 expected[12];
  gsize n_expected;
} golden_permutations[] = {
  { 42, 10, { 8, 1, 5, 0, 7, 2, 9, 4, 3, 6 }, 10 },
  { 42, 25000, { 6868, 24016, 9668, 13640, 14018, 7488, 5804, 12909, 3386, 9567 }, 10 },
  { 0, 7, { 6, 2, 1, 3, 0, 5, 4 }, 7 },
  { 0, 2, { 1, 0 }, 2 },
  { 7, 1, { 0 }, 1 },
  { 1, 100, { 80, 84, 33, 81, 93, 17, 36, 82, 69, 65, 92, 39 }, 12 },
  { 4294967295U, 12, { 11, 8, 5, 9, 1, 10, 6, 0, 4, 7, 2, 3 }, 12 },
};

static void
test_permutation_golden (void)
{
  for (guint t = 0; t < G_N_ELEMENTS (golden_permutations); t++)
    {
      g_autofree guint32 *permutation = g_new (guint32, golden_permutations[t].n);

      studio_split_permutation (golden_permutations[t].seed, golden_permutations[t].n,
                                permutation);
      g_assert_cmpmem (permutation, golden_permutations[t].n_expected * sizeof (guint32),
                       golden_permutations[t].expected,
                       golden_permutations[t].n_expected * sizeof (guint32));
    }
}

static void
test_permutation_tail (void)
{
  /* numpy: np.random.RandomState(42).permutation(25000)[-5:] */
  static const guint32 expected_tail[] = { 21575, 5390, 860, 15795, 23654 };
  g_autofree guint32 *permutation = g_new (guint32, 25000);
  g_autofree gboolean *seen = g_new0 (gboolean, 25000);

  studio_split_permutation (42, 25000, permutation);
  g_assert_cmpmem (permutation + 25000 - 5, sizeof expected_tail,
                   expected_tail, sizeof expected_tail);
  for (gsize i = 0; i < 25000; i++)
    {
      g_assert_cmpuint (permutation[i], <, 25000);
      g_assert_false (seen[permutation[i]]);
      seen[permutation[i]] = TRUE;
    }
}

static void
test_train_test_sklearn (void)
{
  StudioIndexSplit split;
  g_autoptr(GError) error = NULL;

  /* sklearn: train_test_split(range(10), test_size=0.2, random_state=42) gives
   * test [8, 1] and train [5, 0, 7, 2, 9, 4, 3, 6]. */
  g_assert_true (studio_split_train_test (10, 0.2, 42, &split, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (split.n_test, ==, 2);
  g_assert_cmpuint (split.n_train, ==, 8);
  g_assert_cmpmem (split.test, 2 * sizeof (guint32), ((guint32[]) { 8, 1 }), 2 * sizeof (guint32));
  g_assert_cmpmem (split.train, 8 * sizeof (guint32),
                   ((guint32[]) { 5, 0, 7, 2, 9, 4, 3, 6 }), 8 * sizeof (guint32));
  studio_index_split_clear (&split);
  g_assert_null (split.train);
}

static void
test_train_test_sizes (void)
{
  static const struct { gsize n; double test_size; gsize n_test; } cases[] = {
    { 25000, 0.2, 5000 }, { 11, 0.2, 3 }, { 7, 0.5, 4 }, { 3, 0.01, 1 }, { 100, 0.25, 25 },
  };

  for (guint t = 0; t < G_N_ELEMENTS (cases); t++)
    {
      StudioIndexSplit split, again;
      g_autofree gboolean *seen = g_new0 (gboolean, cases[t].n);

      g_assert_true (studio_split_train_test (cases[t].n, cases[t].test_size, 42, &split, NULL));
      g_assert_cmpuint (split.n_test, ==, cases[t].n_test);
      g_assert_cmpuint (split.n_train + split.n_test, ==, cases[t].n);
      for (gsize i = 0; i < split.n_test; i++)
        seen[split.test[i]] = TRUE;
      for (gsize i = 0; i < split.n_train; i++)
        {
          g_assert_false (seen[split.train[i]]);
          seen[split.train[i]] = TRUE;
        }
      g_assert_true (studio_split_train_test (cases[t].n, cases[t].test_size, 42, &again, NULL));
      g_assert_cmpmem (split.test, split.n_test * sizeof (guint32),
                       again.test, again.n_test * sizeof (guint32));
      studio_index_split_clear (&split);
      studio_index_split_clear (&again);
    }
}

static void
test_train_test_seed_matters (void)
{
  StudioIndexSplit first, second;

  g_assert_true (studio_split_train_test (1000, 0.2, 42, &first, NULL));
  g_assert_true (studio_split_train_test (1000, 0.2, 43, &second, NULL));
  g_assert_false (memcmp (first.test, second.test, first.n_test * sizeof (guint32)) == 0);
  studio_index_split_clear (&first);
  studio_index_split_clear (&second);
}

static void
test_train_test_invalid (void)
{
  static const struct { gsize n; double test_size; } cases[] = {
    { 10, 0.0 }, { 10, 1.0 }, { 10, -0.5 }, { 1, 0.2 }, { 0, 0.2 }, { 10, 0.95 },
  };

  for (guint t = 0; t < G_N_ELEMENTS (cases); t++)
    {
      StudioIndexSplit split;
      g_autoptr(GError) error = NULL;

      g_assert_false (studio_split_train_test (cases[t].n, cases[t].test_size, 42,
                                               &split, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_null (split.train);
      g_assert_null (split.test);
    }
}

static void
test_stratified_golden (void)
{
  gint32 labels[31];
  gsize train_counts[3], test_counts[3];
  StudioIndexSplit split;

  for (int i = 0; i < 31; i++)
    labels[i] = (i * 7) % 3;
  /* numpy: one RandomState(42); per class c, m = its indices; shuffle(m); the first
   * ceil(0.2·len(m)) to the test part; sorted. */
  g_assert_true (studio_split_train_test_stratified (labels, 31, 3, 0.2, 42, &split, NULL));
  g_assert_cmpmem (split.test, split.n_test * sizeof (guint32),
                   ((guint32[]) { 0, 1, 8, 15, 17, 19, 27 }), 7 * sizeof (guint32));
  g_assert_cmpuint (split.n_train, ==, 24);

  studio_split_count_classes (labels, split.test, split.n_test, 3, test_counts);
  studio_split_count_classes (labels, split.train, split.n_train, 3, train_counts);
  /* 11, 10 and 10 samples: ceil(2.2) = 3, ceil(2) = 2, ceil(2) = 2. */
  g_assert_cmpuint (test_counts[0], ==, 3);
  g_assert_cmpuint (test_counts[1], ==, 2);
  g_assert_cmpuint (test_counts[2], ==, 2);
  g_assert_cmpuint (train_counts[0], ==, 8);
  g_assert_cmpuint (train_counts[1], ==, 8);
  g_assert_cmpuint (train_counts[2], ==, 8);
  for (gsize i = 1; i < split.n_train; i++)
    g_assert_cmpuint (split.train[i - 1], <, split.train[i]);
  studio_index_split_clear (&split);
}

static void
test_stratified_balance (void)
{
  /* An unbalanced set, 900 of class 0 and 100 of class 1: a stratified 20 % test part has
   * exactly 180 and 20. */
  g_autofree gint32 *labels = g_new (gint32, 1000);
  gsize counts[2];
  StudioIndexSplit split;
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 1000; i++)
    labels[i] = i % 10 == 3;
  g_assert_true (studio_split_train_test_stratified (labels, 1000, 2, 0.2, 42, &split, NULL));
  studio_split_count_classes (labels, split.test, split.n_test, 2, counts);
  g_assert_cmpuint (counts[0], ==, 180);
  g_assert_cmpuint (counts[1], ==, 20);
  studio_split_count_classes (labels, split.train, split.n_train, 2, counts);
  g_assert_cmpuint (counts[0], ==, 720);
  g_assert_cmpuint (counts[1], ==, 80);
  studio_index_split_clear (&split);

  labels[5] = -1;
  g_assert_false (studio_split_train_test_stratified (labels, 1000, 2, 0.2, 42, &split, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data/split/permutation-golden", test_permutation_golden);
  g_test_add_func ("/data/split/permutation-tail", test_permutation_tail);
  g_test_add_func ("/data/split/train-test-sklearn", test_train_test_sklearn);
  g_test_add_func ("/data/split/train-test-sizes", test_train_test_sizes);
  g_test_add_func ("/data/split/train-test-seed-matters", test_train_test_seed_matters);
  g_test_add_func ("/data/split/train-test-invalid", test_train_test_invalid);
  g_test_add_func ("/data/split/stratified-golden", test_stratified_golden);
  g_test_add_func ("/data/split/stratified-balance", test_stratified_balance);

  return g_test_run ();
}
