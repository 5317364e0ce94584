/* studio-augment.h — Keras ImageDataGenerator's random transforms (keras-preprocessing 1.1.2). */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How samples outside the image are filled (ImageDataGenerator's fill_mode). */
typedef enum {
  STUDIO_FILL_NEAREST,   /* aaaa|abcd|dddd — the default */
  STUDIO_FILL_CONSTANT,  /* kkkk|abcd|kkkk with k = cval */
  STUDIO_FILL_REFLECT,   /* dcba|abcd|dcba */
  STUDIO_FILL_WRAP,      /* abcd|abcd|abcd */
  STUDIO_N_FILL_MODES
} StudioFillMode;

const char *studio_fill_mode_name (StudioFillMode mode);
gboolean    studio_fill_mode_from_name (const char *name, StudioFillMode *mode);

/* ImageDataGenerator's settings, with its names and meanings. All zero = no augmentation
 * (except the zoom range, which studio_augment_settings_init sets to [1, 1]). */
typedef struct {
  double rotation_range;      /* degrees: theta ~ U(−r, r) */
  double width_shift_range;   /* fraction of the width when < 1, else pixels */
  double height_shift_range;  /* fraction of the height when < 1, else pixels */
  double shear_range;         /* degrees */
  double zoom_range[2];       /* [lower, upper]; Keras's scalar z means [1 − z, 1 + z] */
  gboolean horizontal_flip;
  gboolean vertical_flip;
  StudioFillMode fill_mode;
  double cval;                /* the fill value for STUDIO_FILL_CONSTANT */
  gboolean has_brightness_range;
  double brightness_range[2]; /* factor ~ U(lower, upper), as PIL's ImageEnhance.Brightness */
  double rescale;             /* multiplies every value after the transform; 0 = none */
} StudioAugmentSettings;

/* No augmentation: identity zoom, nearest fill, no rescale. */
void     studio_augment_settings_init (StudioAugmentSettings *settings);
/* Sets zoom_range from Keras's scalar form: [1 − zoom, 1 + zoom]. */
void     studio_augment_settings_set_zoom (StudioAugmentSettings *settings, double zoom);
/* TRUE when the settings change the geometry or the values of an image. */
gboolean studio_augment_settings_is_identity (const StudioAugmentSettings *settings);

/* The parameters drawn for one sample (Keras's transform_parameters). */
typedef struct {
  double theta;       /* degrees */
  double tx;          /* pixels, along the rows (Keras's height shift) */
  double ty;          /* pixels, along the columns (Keras's width shift) */
  double shear;       /* degrees */
  double zx;          /* zoom along the rows */
  double zy;          /* zoom along the columns */
  gboolean flip_horizontal;
  gboolean flip_vertical;
  gboolean has_brightness;
  double brightness;
} StudioTransform;

/* Draws one sample's parameters in Keras's order: theta, tx, ty, shear, (zx, zy), the
 * horizontal flip, the vertical flip, the brightness. */
void studio_augment_draw (const StudioAugmentSettings *settings,
                          int                          height,
                          int                          width,
                          GRand                       *rand,
                          StudioTransform             *transform);

/* The transform's 3×3 matrix in Keras's order R·T·Shear·Zoom, centred with Keras's offset
 * (size / 2 + 0.5); it maps output (row, col) to input (row, col). Returns FALSE for the
 * identity (Keras then leaves the image untouched). */
gboolean studio_transform_matrix (const StudioTransform *transform,
                                  int                    height,
                                  int                    width,
                                  double                 matrix[3][3]);

/* Applies `transform` to image (height, width, channels) uint8 into output (same shape)
 * float32: bilinear sampling with the fill mode, then the flips, the brightness and the
 * rescale — ImageDataGenerator.apply_transform followed by standardize. */
void studio_augment_apply (const StudioAugmentSettings *settings,
                           const StudioTransform       *transform,
                           const guint8                *image,
                           int                          height,
                           int                          width,
                           int                          channels,
                           float                       *output);

/* A number as Keras users write it: "0.5", or a fraction like "1/255" (rescale=1./255).
 * FALSE for anything else, a zero denominator or a value that is not finite. */
gboolean studio_parse_fraction (const char *text,
                                double     *value);
/* A rescale factor as a user types it: a fraction, "" or "none" (0, no rescale); not
 * negative. Surrounding spaces are ignored. */
gboolean studio_parse_rescale  (const char *text,
                                double     *rescale);
/* The reverse: 1/255 → "1/255", 0 → "" (no rescale), other values as "%g". */
char    *studio_format_rescale (double      rescale);

G_END_DECLS
