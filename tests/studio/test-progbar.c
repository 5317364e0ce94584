/* test-progbar.c — Keras's progress lines, character for character. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include <glib.h>

#include "studio-progbar.h"

static void
test_final_line (void)
{
  const StudioMetric metrics[] = {
    { "loss", 0.70714 }, { "accuracy", 0.63934 }, { "val_loss", 0.73141 }, { "val_accuracy", 0.67812 },
  };
  g_autofree char *line = studio_progbar_line (1333, 1333, 1016.2, metrics, G_N_ELEMENTS (metrics));

  /* The course's own output (KERAS.md). */
  g_assert_cmpstr (line, ==, "1333/1333 [==============================] - 1016s 762ms/step"
                             " - loss: 0.7071 - accuracy: 0.6393 - val_loss: 0.7314"
                             " - val_accuracy: 0.6781");
}

static void
test_running_line (void)
{
  const StudioMetric metrics[] = { { "loss", 0.97853 }, { "accuracy", 0.538 } };
  g_autofree char *start = studio_progbar_line (57, 1333, 44.0, metrics, 2);
  g_autofree char *first = studio_progbar_line (1, 300, 0.5, metrics, 2);
  g_autofree char *hours = studio_progbar_line (1, 10000, 2.0, NULL, 0);
  g_autofree char *tiny = NULL;
  const StudioMetric small[] = { { "lr", 0.00001 } };

  /* 30·57/1333 = 1.28 → one '>' then 29 dots; ETA (44/57)·1276 = 984.98 s, truncated: 16:24. */
  g_assert_cmpstr (start, ==, "  57/1333 [>.............................] - ETA: 16:24"
                              " - loss: 0.9785 - accuracy: 0.5380");
  g_assert_cmpstr (first, ==, "  1/300 [..............................] - ETA: 2:29"
                              " - loss: 0.9785 - accuracy: 0.5380");
  g_assert_cmpstr (hours, ==, "    1/10000 [..............................] - ETA: 5:33:18");
  tiny = studio_progbar_line (3, 3, 0.0042, small, 1);
  g_assert_cmpstr (tiny, ==, "3/3 [==============================] - 0s 1ms/step - lr: 1.0000e-05");
}

static void
test_epoch_line (void)
{
  const StudioMetric metrics[] = { { "loss", 0.5 }, { "accuracy", 0.8125 } };
  g_autofree char *line = studio_progbar_epoch_line (300, 21.4, metrics, 2);

  g_assert_cmpstr (line, ==, "300/300 - 21s - loss: 0.5000 - accuracy: 0.8125 - 21s/epoch - 71ms/step");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studio/progbar/final-line", test_final_line);
  g_test_add_func ("/studio/progbar/running-line", test_running_line);
  g_test_add_func ("/studio/progbar/epoch-line", test_epoch_line);

  return g_test_run ();
}
