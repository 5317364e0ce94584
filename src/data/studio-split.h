/* studio-split.h — train/test index splits exactly as scikit-learn's train_test_split. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Row indices of the two parts of a split; free the arrays with studio_index_split_clear(). */
typedef struct {
  guint32 *train;    /* (n_train) */
  gsize    n_train;
  guint32 *test;     /* (n_test) */
  gsize    n_test;
} StudioIndexSplit;

/* How many of n rows go to the test part: ceil(test_size · n), as scikit-learn counts. */
gsize    studio_split_test_count (gsize n, double test_size);

/* numpy's np.random.RandomState(seed).permutation(n) (MT19937 seeded with init_genrand,
 * the legacy Fisher–Yates shuffle with masked rejection sampling), written into out (n). */
void     studio_split_permutation (guint32 seed, gsize n, guint32 *out);

/* sklearn.model_selection.train_test_split(range(n), test_size=test_size,
 * random_state=seed): test = permutation[:ceil(test_size·n)], train = the rest, both in
 * permutation order. Fails (G_IO_ERROR_INVALID_ARGUMENT) when test_size is not in (0, 1)
 * or either part would be empty. */
gboolean studio_split_train_test (gsize              n,
                                  double             test_size,
                                  guint32            seed,
                                  StudioIndexSplit  *split,
                                  GError           **error);

/* A simple stratified split (not scikit-learn's StratifiedShuffleSplit): one generator
 * seeded with `seed`; for each class in index order, that class's row indices (ascending)
 * are shuffled with numpy's legacy shuffle and the first ceil(test_size·n_class) go to the
 * test part. Both parts are then sorted ascending, so they keep the dataset's order. Labels
 * must be in [0, n_classes). */
gboolean studio_split_train_test_stratified (const gint32      *labels,
                                             gsize              n,
                                             guint              n_classes,
                                             double             test_size,
                                             guint32            seed,
                                             StudioIndexSplit  *split,
                                             GError           **error);

/* counts[class] (n_classes entries) over the rows `indices` of `labels`: the class balance
 * of one part. Labels outside [0, n_classes) (unlabelled, -1) are not counted. */
void     studio_split_count_classes (const gint32  *labels,
                                     const guint32 *indices,
                                     gsize          n_indices,
                                     guint          n_classes,
                                     gsize         *counts);

void     studio_index_split_clear (StudioIndexSplit *split);

G_END_DECLS
