/* studio-split.c — numpy's legacy permutation and scikit-learn's train/test split. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "studio-split.h"

#define MT_STATE_SIZE 624
#define MT_SHIFT_SIZE 397

/* MT19937 as numpy's RandomState keeps it. Our own copy rather than GRand, whose seeding
 * can be switched by the G_RANDOM_VERSION environment variable: splits must not change. */
typedef struct {
  guint32 state[MT_STATE_SIZE];
  int     position;
} MersenneTwister;

static void
mt_seed (MersenneTwister *mt, guint32 seed)
{
  mt->state[0] = seed;
  for (int i = 1; i < MT_STATE_SIZE; i++)
    mt->state[i] = 1812433253U * (mt->state[i - 1] ^ (mt->state[i - 1] >> 30)) + (guint32) i;
  mt->position = MT_STATE_SIZE;
}

static void
mt_refill (MersenneTwister *mt)
{
  for (int i = 0; i < MT_STATE_SIZE; i++)
    {
      guint32 y = (mt->state[i] & 0x80000000U)
                  | (mt->state[(i + 1) % MT_STATE_SIZE] & 0x7fffffffU);

      mt->state[i] = mt->state[(i + MT_SHIFT_SIZE) % MT_STATE_SIZE] ^ (y >> 1)
                     ^ ((y & 1U) ? 0x9908b0dfU : 0U);
    }
  mt->position = 0;
}

static guint32
mt_next (MersenneTwister *mt)
{
  guint32 y;

  if (mt->position >= MT_STATE_SIZE)
    mt_refill (mt);
  y = mt->state[mt->position++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= y >> 18;
  return y;
}

/* numpy's random_interval(max): a uniform integer in [0, max] by masked rejection. */
static guint32
mt_interval (MersenneTwister *mt, guint32 max)
{
  guint32 mask = max;
  guint32 value;

  if (max == 0)
    return 0;
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  while ((value = mt_next (mt) & mask) > max)
    ;
  return value;
}

/* numpy's legacy RandomState.shuffle on a 1-d array. */
static void
mt_shuffle (MersenneTwister *mt, guint32 *values, gsize n)
{
  for (gsize i = n > 0 ? n - 1 : 0; i >= 1; i--)
    {
      guint32 j = mt_interval (mt, (guint32) i);
      guint32 kept = values[i];

      values[i] = values[j];
      values[j] = kept;
    }
}

gsize
studio_split_test_count (gsize n, double test_size)
{
  return (gsize) ceil (test_size * (double) n);
}

void
studio_split_permutation (guint32 seed, gsize n, guint32 *out)
{
  MersenneTwister mt;

  g_return_if_fail (n == 0 || out != NULL);
  g_return_if_fail (n <= G_MAXUINT32);

  for (gsize i = 0; i < n; i++)
    out[i] = (guint32) i;
  mt_seed (&mt, seed);
  mt_shuffle (&mt, out, n);
}

static gboolean
check_sizes (gsize n, double test_size, gsize n_test, GError **error)
{
  if (!(test_size > 0.0 && test_size < 1.0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The test size must be between 0 and 1, not %g."), test_size);
      return FALSE;
    }
  if (n > G_MAXUINT32 || n_test == 0 || n_test >= n)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("With %llu samples and a test size of %g, one part "
                     "of the split would be empty."), (unsigned long long) n, test_size);
      return FALSE;
    }
  return TRUE;
}

gboolean
studio_split_train_test (gsize              n,
                         double             test_size,
                         guint32            seed,
                         StudioIndexSplit  *split,
                         GError           **error)
{
  gsize n_test = studio_split_test_count (n, test_size);
  g_autofree guint32 *permutation = NULL;

  g_return_val_if_fail (split != NULL, FALSE);

  memset (split, 0, sizeof *split);
  if (!check_sizes (n, test_size, n_test, error))
    return FALSE;
  permutation = g_new (guint32, n);
  studio_split_permutation (seed, n, permutation);
  split->n_test = n_test;
  split->test = g_memdup2 (permutation, n_test * sizeof (guint32));
  split->n_train = n - n_test;
  split->train = g_memdup2 (permutation + n_test, split->n_train * sizeof (guint32));
  return TRUE;
}

static int
compare_indices (gconstpointer a, gconstpointer b)
{
  guint32 left = *(const guint32 *) a;
  guint32 right = *(const guint32 *) b;

  return left < right ? -1 : left > right;
}

gboolean
studio_split_train_test_stratified (const gint32      *labels,
                                    gsize              n,
                                    guint              n_classes,
                                    double             test_size,
                                    guint32            seed,
                                    StudioIndexSplit  *split,
                                    GError           **error)
{
  g_autofree guint32 *members = NULL;
  MersenneTwister mt;

  g_return_val_if_fail (labels != NULL || n == 0, FALSE);
  g_return_val_if_fail (split != NULL, FALSE);

  memset (split, 0, sizeof *split);
  if (!check_sizes (n, test_size, studio_split_test_count (n, test_size), error))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (labels[i] < 0 || (guint) labels[i] >= n_classes)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     _("Sample %llu has no class: a stratified split needs "
                       "labelled samples."), (unsigned long long) i);
        return FALSE;
      }

  mt_seed (&mt, seed);
  members = g_new (guint32, n);
  split->train = g_new (guint32, n);
  split->test = g_new (guint32, n);
  for (guint c = 0; c < n_classes; c++)
    {
      gsize n_members = 0, n_test;

      for (gsize i = 0; i < n; i++)
        if ((guint) labels[i] == c)
          members[n_members++] = (guint32) i;
      mt_shuffle (&mt, members, n_members);
      n_test = MIN (studio_split_test_count (n_members, test_size), n_members);
      memcpy (split->test + split->n_test, members, n_test * sizeof (guint32));
      split->n_test += n_test;
      memcpy (split->train + split->n_train, members + n_test,
              (n_members - n_test) * sizeof (guint32));
      split->n_train += n_members - n_test;
    }
  qsort (split->test, split->n_test, sizeof (guint32), compare_indices);
  qsort (split->train, split->n_train, sizeof (guint32), compare_indices);
  return TRUE;
}

void
studio_split_count_classes (const gint32  *labels,
                            const guint32 *indices,
                            gsize          n_indices,
                            guint          n_classes,
                            gsize         *counts)
{
  g_return_if_fail (n_indices == 0 || (labels != NULL && indices != NULL));
  g_return_if_fail (counts != NULL || n_classes == 0);

  memset (counts, 0, n_classes * sizeof *counts);
  for (gsize i = 0; i < n_indices; i++)
    {
      gint32 label = labels[indices[i]];

      if (label >= 0 && (guint) label < n_classes)
        counts[label]++;
    }
}

void
studio_index_split_clear (StudioIndexSplit *split)
{
  g_return_if_fail (split != NULL);

  g_clear_pointer (&split->train, g_free);
  g_clear_pointer (&split->test, g_free);
  split->n_train = 0;
  split->n_test = 0;
}
