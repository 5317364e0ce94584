/* test-augment.c — ImageDataGenerator geometry and Pillow resizing against hand-computed results. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include <math.h>
#include <string.h>

#include <glib.h>

#include "studio-augment.h"
#include "studio-resize.h"

enum { SIDE = 4 };

/* A 4×4 one-channel gradient whose every value tells its position: 10·row + col. */
static void
make_gradient (guint8 image[SIDE * SIDE])
{
  for (int i = 0; i < SIDE; i++)
    for (int j = 0; j < SIDE; j++)
      image[i * SIDE + j] = 10 * i + j;
}

static void
transform_gradient (const StudioAugmentSettings *settings,
                    const StudioTransform       *transform,
                    float                        output[SIDE * SIDE])
{
  guint8 image[SIDE * SIDE];

  make_gradient (image);
  studio_augment_apply (settings, transform, image, SIDE, SIDE, 1, output);
}

static void
identity_transform (StudioTransform *transform)
{
  memset (transform, 0, sizeof *transform);
  transform->zx = 1;
  transform->zy = 1;
}

static void
test_rotation_90 (void)
{
  StudioAugmentSettings settings;
  StudioTransform transform;
  float output[SIDE * SIDE];

  studio_augment_settings_init (&settings);
  identity_transform (&transform);
  transform.theta = 90;
  transform_gradient (&settings, &transform, output);

  /* By hand: with centre o = 4/2 + 0.5 = 2.5, output (i, j) reads input (2o − j, i) =
   * (5 − j, i); rows past the last one repeat it (fill nearest). Keras's centre is half a
   * pixel off the middle, which this shows. */
  for (int i = 0; i < SIDE; i++)
    for (int j = 0; j < SIDE; j++)
      {
        int source_row = MIN (5 - j, SIDE - 1);
        g_assert_cmpfloat_with_epsilon (output[i * SIDE + j], 10 * source_row + i, 1e-4);
      }
}

static void
test_shift_one_pixel (void)
{
  static const struct {
    StudioFillMode mode;
    float last_row[SIDE]; /* what the bottom row becomes after a shift of one row */
  } cases[] = {
    { STUDIO_FILL_NEAREST, { 30, 31, 32, 33 } },
    { STUDIO_FILL_CONSTANT, { 7, 7, 7, 7 } },
    { STUDIO_FILL_REFLECT, { 30, 31, 32, 33 } },
    { STUDIO_FILL_WRAP, { 0, 1, 2, 3 } },
  };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      StudioAugmentSettings settings;
      StudioTransform transform;
      float output[SIDE * SIDE];

      studio_augment_settings_init (&settings);
      settings.fill_mode = cases[k].mode;
      settings.cval = 7;
      identity_transform (&transform);
      transform.tx = 1; /* Keras's tx moves along the rows: output row i reads row i + 1 */
      transform_gradient (&settings, &transform, output);

      for (int i = 0; i < SIDE - 1; i++)
        for (int j = 0; j < SIDE; j++)
          g_assert_cmpfloat_with_epsilon (output[i * SIDE + j], 10 * (i + 1) + j, 1e-4);
      for (int j = 0; j < SIDE; j++)
        g_assert_cmpfloat_with_epsilon (output[(SIDE - 1) * SIDE + j], cases[k].last_row[j], 1e-4);
    }
}

static void
test_shift_columns_reflect_left (void)
{
  StudioAugmentSettings settings;
  StudioTransform transform;
  float output[SIDE * SIDE];

  studio_augment_settings_init (&settings);
  settings.fill_mode = STUDIO_FILL_REFLECT;
  identity_transform (&transform);
  transform.ty = -2; /* output column j reads column j − 2: columns −2, −1 reflect to 1, 0 */
  transform_gradient (&settings, &transform, output);

  for (int i = 0; i < SIDE; i++)
    {
      static const int source_cols[SIDE] = { 1, 0, 0, 1 };
      for (int j = 0; j < SIDE; j++)
        g_assert_cmpfloat_with_epsilon (output[i * SIDE + j], 10 * i + source_cols[j], 1e-4);
    }
}

static void
test_flips (void)
{
  StudioAugmentSettings settings;
  StudioTransform transform;
  float output[SIDE * SIDE];

  studio_augment_settings_init (&settings);
  identity_transform (&transform);
  transform.flip_horizontal = TRUE;
  transform_gradient (&settings, &transform, output);
  for (int i = 0; i < SIDE; i++)
    for (int j = 0; j < SIDE; j++)
      g_assert_cmpfloat (output[i * SIDE + j], ==, 10 * i + (SIDE - 1 - j));

  identity_transform (&transform);
  transform.flip_vertical = TRUE;
  transform_gradient (&settings, &transform, output);
  for (int i = 0; i < SIDE; i++)
    for (int j = 0; j < SIDE; j++)
      g_assert_cmpfloat (output[i * SIDE + j], ==, 10 * (SIDE - 1 - i) + j);
}

static void
test_zoom_and_bilinear (void)
{
  StudioAugmentSettings settings;
  StudioTransform transform;
  float output[SIDE * SIDE];

  studio_augment_settings_init (&settings);
  identity_transform (&transform);
  transform.zx = 0.5; /* rows: input row = 0.5·(i − 2.5) + 2.5 = 0.5·i + 1.25 */
  transform_gradient (&settings, &transform, output);

  for (int i = 0; i < SIDE; i++)
    for (int j = 0; j < SIDE; j++)
      {
        double source_row = 0.5 * i + 1.25; /* between rows: bilinear blends them linearly */
        g_assert_cmpfloat_with_epsilon (output[i * SIDE + j], 10 * source_row + j, 1e-4);
      }
}

static void
test_shear_matrix (void)
{
  StudioTransform transform;
  double m[3][3];
  double phi = 30 * G_PI / 180;

  identity_transform (&transform);
  transform.shear = 30;
  g_assert_true (studio_transform_matrix (&transform, 10, 20, m));
  /* Shear = [[1, −sin φ, 0], [0, cos φ, 0]] about (5.5, 10.5). */
  g_assert_cmpfloat_with_epsilon (m[0][0], 1, 1e-12);
  g_assert_cmpfloat_with_epsilon (m[0][1], -sin (phi), 1e-12);
  g_assert_cmpfloat_with_epsilon (m[1][1], cos (phi), 1e-12);
  g_assert_cmpfloat_with_epsilon (m[0][2], 10.5 * sin (phi), 1e-12);
  g_assert_cmpfloat_with_epsilon (m[1][2], 10.5 - 10.5 * cos (phi), 1e-12);

  identity_transform (&transform);
  g_assert_false (studio_transform_matrix (&transform, 10, 20, m));
}

static void
test_rescale_and_brightness (void)
{
  StudioAugmentSettings settings;
  StudioTransform transform;
  float output[SIDE * SIDE];

  studio_augment_settings_init (&settings);
  settings.rescale = 1.0 / 255;
  identity_transform (&transform);
  transform_gradient (&settings, &transform, output);
  g_assert_cmpfloat_with_epsilon (output[SIDE * SIDE - 1], 33.0 / 255, 1e-6);

  /* Brightness stretches to 0–255 (max 33 → 255), truncates, then scales by 0.5. */
  settings.rescale = 0;
  transform.has_brightness = TRUE;
  transform.brightness = 0.5;
  transform_gradient (&settings, &transform, output);
  g_assert_cmpfloat (output[0], ==, 0);
  g_assert_cmpfloat (output[SIDE * SIDE - 1], ==, 127);
  g_assert_cmpfloat (output[1], ==, floor (0.5 * (guint8) (1.0 / 33 * 255)));
}

static void
test_draw_ranges_and_seed (void)
{
  StudioAugmentSettings settings;
  g_autoptr (GRand) first = g_rand_new_with_seed (42);
  g_autoptr (GRand) second = g_rand_new_with_seed (42);
  int flips = 0;

  studio_augment_settings_init (&settings);
  settings.rotation_range = 15;
  settings.width_shift_range = 0.1;
  settings.height_shift_range = 0.1;
  settings.shear_range = 0.1;
  studio_augment_settings_set_zoom (&settings, 0.2);
  settings.horizontal_flip = TRUE;

  for (int k = 0; k < 2000; k++)
    {
      StudioTransform a, b;

      studio_augment_draw (&settings, 128, 64, first, &a);
      studio_augment_draw (&settings, 128, 64, second, &b);
      g_assert_cmpmem (&a, sizeof a, &b, sizeof b);
      g_assert_cmpfloat (fabs (a.theta), <=, 15);
      g_assert_cmpfloat (fabs (a.tx), <=, 0.1 * 128);
      g_assert_cmpfloat (fabs (a.ty), <=, 0.1 * 64);
      g_assert_cmpfloat (fabs (a.shear), <=, 0.1);
      g_assert_cmpfloat (a.zx, >=, 0.8);
      g_assert_cmpfloat (a.zx, <=, 1.2);
      g_assert_cmpfloat (a.zy, >=, 0.8);
      g_assert_cmpfloat (a.zy, <=, 1.2);
      g_assert_false (a.flip_vertical);
      flips += a.flip_horizontal;
    }
  /* A fair coin: 1000 ± 5σ (σ ≈ 22). */
  g_assert_cmpint (flips, >, 890);
  g_assert_cmpint (flips, <, 1110);
}

static void
test_resize_nearest (void)
{
  const guint8 row[3] = { 10, 20, 30 };
  const guint8 pair[2] = { 1, 2 };
  guint8 shrunk[2], grown[5];

  /* 3 → 2: sources floor(0.5·1.5) = 0, floor(1.5·1.5) = 2. */
  studio_resize (row, 1, 3, 1, shrunk, 1, 2, STUDIO_RESIZE_NEAREST);
  g_assert_cmpuint (shrunk[0], ==, 10);
  g_assert_cmpuint (shrunk[1], ==, 30);

  /* 2 → 5: sources floor((x + 0.5)·0.4) = 0, 0, 1, 1, 1. */
  studio_resize (pair, 1, 2, 1, grown, 1, 5, STUDIO_RESIZE_NEAREST);
  g_assert_cmpmem (grown, 5, ((guint8[]) { 1, 1, 2, 2, 2 }), 5);
}

static void
test_resize_bilinear (void)
{
  const guint8 row[4] = { 0, 100, 200, 40 };
  guint8 halved[2], same[4];

  /* 4 → 2: shrinking by 2 widens the triangle to ±2 pixels. Output 0 is centred at 1.0 and
   * weighs columns 0, 1, 2 by 1 − |k − 1 + 0.5| / 2 = 0.75, 0.75, 0.25 (sum 1.75). */
  studio_resize (row, 1, 4, 1, halved, 1, 2, STUDIO_RESIZE_BILINEAR);
  g_assert_cmpuint (halved[0], ==, (guint8) floor ((0.75 * 0 + 0.75 * 100 + 0.25 * 200) / 1.75
                                                   + 0.5));
  studio_resize (row, 1, 4, 1, same, 1, 4, STUDIO_RESIZE_BILINEAR);
  g_assert_cmpmem (same, 4, row, 4);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data/augment/rotation-90", test_rotation_90);
  g_test_add_func ("/data/augment/shift-one-pixel", test_shift_one_pixel);
  g_test_add_func ("/data/augment/shift-reflect", test_shift_columns_reflect_left);
  g_test_add_func ("/data/augment/flips", test_flips);
  g_test_add_func ("/data/augment/zoom-bilinear", test_zoom_and_bilinear);
  g_test_add_func ("/data/augment/shear-matrix", test_shear_matrix);
  g_test_add_func ("/data/augment/rescale-brightness", test_rescale_and_brightness);
  g_test_add_func ("/data/augment/draw", test_draw_ranges_and_seed);
  g_test_add_func ("/data/resize/nearest", test_resize_nearest);
  g_test_add_func ("/data/resize/bilinear", test_resize_bilinear);

  return g_test_run ();
}
