/* studio-augment.c — Keras ImageDataGenerator's random transforms (keras-preprocessing 1.1.2). */
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Follows keras-preprocessing 1.1.2 (image/image_data_generator.py and affine_transformations.py):
// the draw order of get_random_transform, the matrix of apply_affine_transform, the centre
// offset of transform_matrix_offset_center, scipy.ndimage's order-1 sampling and fill modes.

#include "config.h"

#include <math.h>
#include <string.h>

#include "studio-augment.h"

static const char * const fill_mode_names[STUDIO_N_FILL_MODES] = {
  "nearest", "constant", "reflect", "wrap",
};

const char *
studio_fill_mode_name (StudioFillMode mode)
{
  g_return_val_if_fail (mode < STUDIO_N_FILL_MODES, NULL);
  return fill_mode_names[mode];
}

gboolean
studio_fill_mode_from_name (const char     *name,
                            StudioFillMode *mode)
{
  for (guint i = 0; i < STUDIO_N_FILL_MODES; i++)
    {
      if (g_strcmp0 (name, fill_mode_names[i]) == 0)
        {
          *mode = i;
          return TRUE;
        }
    }
  return FALSE;
}

void
studio_augment_settings_init (StudioAugmentSettings *settings)
{
  g_return_if_fail (settings != NULL);

  memset (settings, 0, sizeof *settings);
  settings->zoom_range[0] = 1.0;
  settings->zoom_range[1] = 1.0;
  settings->fill_mode = STUDIO_FILL_NEAREST;
  settings->brightness_range[0] = 1.0;
  settings->brightness_range[1] = 1.0;
}

void
studio_augment_settings_set_zoom (StudioAugmentSettings *settings,
                                  double                 zoom)
{
  g_return_if_fail (settings != NULL);

  settings->zoom_range[0] = 1.0 - zoom;
  settings->zoom_range[1] = 1.0 + zoom;
}

gboolean
studio_augment_settings_is_identity (const StudioAugmentSettings *settings)
{
  return settings->rotation_range == 0 && settings->width_shift_range == 0
         && settings->height_shift_range == 0 && settings->shear_range == 0
         && settings->zoom_range[0] == 1 && settings->zoom_range[1] == 1
         && !settings->horizontal_flip && !settings->vertical_flip
         && !settings->has_brightness_range
         && (settings->rescale == 0 || settings->rescale == 1);
}

/* A shift range below 1 is a fraction of the side, otherwise pixels (Keras's float form). */
static double
draw_shift (double  range,
            int     side,
            GRand  *rand)
{
  double shift;

  if (range == 0)
    return 0;
  shift = g_rand_double_range (rand, -range, range);
  return range < 1 ? shift * side : shift;
}

void
studio_augment_draw (const StudioAugmentSettings *settings,
                     int                          height,
                     int                          width,
                     GRand                       *rand,
                     StudioTransform             *transform)
{
  g_return_if_fail (settings != NULL && rand != NULL && transform != NULL);

  memset (transform, 0, sizeof *transform);

  if (settings->rotation_range != 0)
    transform->theta = g_rand_double_range (rand, -settings->rotation_range,
                                            settings->rotation_range);
  transform->tx = draw_shift (settings->height_shift_range, height, rand);
  transform->ty = draw_shift (settings->width_shift_range, width, rand);
  if (settings->shear_range != 0)
    transform->shear = g_rand_double_range (rand, -settings->shear_range,
                                            settings->shear_range);

  if (settings->zoom_range[0] == 1 && settings->zoom_range[1] == 1)
    {
      transform->zx = 1;
      transform->zy = 1;
    }
  else
    {
      transform->zx = g_rand_double_range (rand, settings->zoom_range[0], settings->zoom_range[1]);
      transform->zy = g_rand_double_range (rand, settings->zoom_range[0], settings->zoom_range[1]);
    }

  /* Keras draws both coins whether or not the flips are enabled. */
  transform->flip_horizontal = g_rand_double (rand) < 0.5 && settings->horizontal_flip;
  transform->flip_vertical = g_rand_double (rand) < 0.5 && settings->vertical_flip;

  if (settings->has_brightness_range)
    {
      transform->has_brightness = TRUE;
      transform->brightness = g_rand_double_range (rand, settings->brightness_range[0],
                                                   settings->brightness_range[1]);
    }
}

static void
matrix_multiply (double       result[3][3],
                 const double a[3][3],
                 const double b[3][3])
{
  double product[3][3];

  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      product[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
  memcpy (result, product, sizeof product);
}

gboolean
studio_transform_matrix (const StudioTransform *transform,
                         int                    height,
                         int                    width,
                         double                 matrix[3][3])
{
  double m[3][3] = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
  gboolean any = FALSE;

  if (transform->theta != 0)
    {
      double theta = transform->theta * G_PI / 180.0;
      const double rotation[3][3] = {
        { cos (theta), -sin (theta), 0 },
        { sin (theta), cos (theta), 0 },
        { 0, 0, 1 },
      };
      matrix_multiply (m, m, rotation);
      any = TRUE;
    }
  if (transform->tx != 0 || transform->ty != 0)
    {
      const double shift[3][3] = {
        { 1, 0, transform->tx }, { 0, 1, transform->ty }, { 0, 0, 1 },
      };
      matrix_multiply (m, m, shift);
      any = TRUE;
    }
  if (transform->shear != 0)
    {
      double shear = transform->shear * G_PI / 180.0;
      const double shear_matrix[3][3] = {
        { 1, -sin (shear), 0 }, { 0, cos (shear), 0 }, { 0, 0, 1 },
      };
      matrix_multiply (m, m, shear_matrix);
      any = TRUE;
    }
  if (transform->zx != 1 || transform->zy != 1)
    {
      const double zoom[3][3] = {
        { transform->zx, 0, 0 }, { 0, transform->zy, 0 }, { 0, 0, 1 },
      };
      matrix_multiply (m, m, zoom);
      any = TRUE;
    }

  if (any)
    {
      /* Keras centres on size / 2 + 0.5, not on the middle pixel (size − 1) / 2. */
      double o_x = height / 2.0 + 0.5;
      double o_y = width / 2.0 + 0.5;
      const double offset[3][3] = { { 1, 0, o_x }, { 0, 1, o_y }, { 0, 0, 1 } };
      const double reset[3][3] = { { 1, 0, -o_x }, { 0, 1, -o_y }, { 0, 0, 1 } };

      matrix_multiply (m, offset, m);
      matrix_multiply (m, m, reset);
    }
  memcpy (matrix, m, sizeof m);
  return any;
}

/* Maps an index outside [0, size) back inside, as scipy.ndimage's modes do; -1 = cval. */
static int
fill_index (int            index,
            int            size,
            StudioFillMode mode)
{
  if (index >= 0 && index < size)
    return index;

  switch (mode)
    {
    case STUDIO_FILL_NEAREST:
    case STUDIO_FILL_CONSTANT:
      return index < 0 ? 0 : size - 1;
    case STUDIO_FILL_REFLECT:
      {
        int period = 2 * size;
        int folded = index % period;

        if (folded < 0)
          folded += period;
        return folded < size ? folded : period - 1 - folded;
      }
    case STUDIO_FILL_WRAP:
      {
        int wrapped = index % size;
        return wrapped < 0 ? wrapped + size : wrapped;
      }
    case STUDIO_N_FILL_MODES:
    default:
      g_assert_not_reached ();
    }
  return 0;
}

/* Bilinear (order 1) sample of every channel at input position (row, col). */
static void
sample_bilinear (const StudioAugmentSettings *settings,
                 const guint8                *image,
                 int                          height,
                 int                          width,
                 int                          channels,
                 double                       row,
                 double                       col,
                 float                       *pixel)
{
  const double tolerance = 1e-6;
  int row0, col0, rows[2], cols[2];
  double row_fraction, col_fraction;

  /* scipy's 'constant' does not interpolate past the edges: outside is cval. */
  if (settings->fill_mode == STUDIO_FILL_CONSTANT
      && (row < -tolerance || row > height - 1 + tolerance
          || col < -tolerance || col > width - 1 + tolerance))
    {
      for (int c = 0; c < channels; c++)
        pixel[c] = settings->cval;
      return;
    }

  row0 = (int) floor (row);
  col0 = (int) floor (col);
  row_fraction = row - row0;
  col_fraction = col - col0;
  rows[0] = fill_index (row0, height, settings->fill_mode);
  rows[1] = fill_index (row0 + 1, height, settings->fill_mode);
  cols[0] = fill_index (col0, width, settings->fill_mode);
  cols[1] = fill_index (col0 + 1, width, settings->fill_mode);

  for (int c = 0; c < channels; c++)
    {
      double top = image[((gsize) rows[0] * width + cols[0]) * channels + c] * (1 - col_fraction)
                   + image[((gsize) rows[0] * width + cols[1]) * channels + c] * col_fraction;
      double bottom = image[((gsize) rows[1] * width + cols[0]) * channels + c] * (1 - col_fraction)
                      + image[((gsize) rows[1] * width + cols[1]) * channels + c] * col_fraction;

      pixel[c] = top * (1 - row_fraction) + bottom * row_fraction;
    }
}

static void
flip_columns (float *output,
              int    height,
              int    width,
              int    channels)
{
  for (int i = 0; i < height; i++)
    for (int j = 0; j < width / 2; j++)
      for (int c = 0; c < channels; c++)
        {
          float *a = output + ((gsize) i * width + j) * channels + c;
          float *b = output + ((gsize) i * width + (width - 1 - j)) * channels + c;
          float swap = *a;

          *a = *b;
          *b = swap;
        }
}

static void
flip_rows (float *output,
           int    height,
           int    width,
           int    channels)
{
  gsize row_size = (gsize) width * channels;

  for (int i = 0; i < height / 2; i++)
    for (gsize k = 0; k < row_size; k++)
      {
        float *a = output + (gsize) i * row_size + k;
        float *b = output + (gsize) (height - 1 - i) * row_size + k;
        float swap = *a;

        *a = *b;
        *b = swap;
      }
}

/* Keras's apply_brightness_shift: array_to_img (which stretches the values to 0–255 and
 * truncates to uint8), then PIL's Brightness.enhance (a blend with black, truncated, clipped). */
static void
apply_brightness (float  *output,
                  gsize   n_values,
                  double  brightness)
{
  float low = output[0], high = output[0];

  for (gsize k = 1; k < n_values; k++)
    {
      low = MIN (low, output[k]);
      high = MAX (high, output[k]);
    }
  for (gsize k = 0; k < n_values; k++)
    {
      double value = output[k] - low;
      guint8 stretched;
      double blended;

      if (high - low != 0)
        value = value / (high - low);
      stretched = (guint8) (value * 255.0);
      blended = (float) (brightness * stretched);
      output[k] = blended <= 0 ? 0 : blended >= 255 ? 255 : floor (blended);
    }
}

void
studio_augment_apply (const StudioAugmentSettings *settings,
                      const StudioTransform       *transform,
                      const guint8                *image,
                      int                          height,
                      int                          width,
                      int                          channels,
                      float                       *output)
{
  gsize n_values = (gsize) height * width * channels;
  double m[3][3];

  g_return_if_fail (settings != NULL && transform != NULL);
  g_return_if_fail (image != NULL && output != NULL);

  if (studio_transform_matrix (transform, height, width, m))
    {
      for (int i = 0; i < height; i++)
        for (int j = 0; j < width; j++)
          {
            double row = m[0][0] * i + m[0][1] * j + m[0][2];
            double col = m[1][0] * i + m[1][1] * j + m[1][2];

            sample_bilinear (settings, image, height, width, channels, row, col,
                             output + ((gsize) i * width + j) * channels);
          }
    }
  else
    {
      for (gsize k = 0; k < n_values; k++)
        output[k] = image[k];
    }

  if (transform->flip_horizontal)
    flip_columns (output, height, width, channels);
  if (transform->flip_vertical)
    flip_rows (output, height, width, channels);
  if (transform->has_brightness)
    apply_brightness (output, n_values, transform->brightness);
  if (settings->rescale != 0)
    for (gsize k = 0; k < n_values; k++)
      output[k] *= settings->rescale;
}

gboolean
studio_parse_fraction (const char *text,
                       double     *value)
{
  const char *slash;
  g_autofree char *numerator_text = NULL;
  double numerator, denominator = 1;
  char *end;

  g_return_val_if_fail (text != NULL && value != NULL, FALSE);

  slash = strchr (text, '/');
  numerator_text = slash != NULL ? g_strndup (text, slash - text) : g_strdup (text);
  numerator = g_ascii_strtod (numerator_text, &end);
  if (end == numerator_text || *end != '\0')
    return FALSE;
  if (slash != NULL)
    {
      denominator = g_ascii_strtod (slash + 1, &end);
      if (end == slash + 1 || *end != '\0' || denominator == 0)
        return FALSE;
    }
  if (!isfinite (numerator / denominator))
    return FALSE;
  *value = numerator / denominator;
  return TRUE;
}

gboolean
studio_parse_rescale (const char *text,
                      double     *rescale)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));
  double value;

  if (*stripped == '\0' || g_ascii_strcasecmp (stripped, "none") == 0)
    {
      *rescale = 0;
      return TRUE;
    }
  if (!studio_parse_fraction (stripped, &value) || value < 0)
    return FALSE;
  *rescale = value;
  return TRUE;
}

char *
studio_format_rescale (double rescale)
{
  double denominator;

  if (rescale == 0)
    return g_strdup ("");
  /* 1/255 and its kind read better as the fraction a notebook writes. */
  denominator = 1 / rescale;
  if (fabs (denominator - round (denominator)) < 1e-6 * denominator)
    return g_strdup_printf ("1/%.0f", round (denominator));
  return g_strdup_printf ("%g", rescale);
}
