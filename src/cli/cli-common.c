/* cli-common.c — what the subcommands of convstudio-cli share: models, datasets, options. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cli.h"
#include "studio-model-json.h"

int
cli_fail (const GError *error)
{
  g_printerr ("convstudio-cli: %s\n", error->message);
  return CLI_EXIT_FAILED;
}

gboolean
cli_parse_options (GOptionContext *context,
                   int            *argc,
                   char         ***argv)
{
  g_autoptr (GError) error = NULL;

  if (g_option_context_parse (context, argc, argv, &error))
    return TRUE;
  g_printerr ("%s: %s\n", g_get_prgname (), error->message);
  g_printerr (_("Run “%s --help” to see the options.\n"), g_get_prgname ());
  return FALSE;
}

StudioModelFile *
cli_load_model (const char  *path,
                guint32      seed,
                GError     **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  StudioModelFile *file;

  if (!g_str_has_suffix (lower, ".json"))
    return studio_model_file_load (path, error);

  file = studio_model_file_new ();
  file->model = studio_model_new_from_json_file (path, seed, error);
  if (file->model == NULL)
    {
      studio_model_file_free (file);
      return NULL;
    }
  return file;
}

StudioDataset *
cli_open_dataset (const char  *spec,
                  CnnModel    *model,
                  GError     **error)
{
  g_autoptr (StudioLoadResult) result = NULL;
  StudioLoadOptions options;
  StudioImageProgress progress = { 0 };

  studio_load_options_init (&options);
  if (model != NULL)
    cnn_model_input_shape (model, &options.height, &options.width, &options.channels);

  result = studio_load_dataset (spec, &options, &progress, NULL, error);
  if (result == NULL)
    return NULL;

  if (result->scan != NULL)
    {
      g_autofree char *found = studio_image_scan_format_found (result->scan);
      g_autofree char *skipped = studio_image_scan_format_skipped (result->scan, 20);

      g_print ("%s\n", found);
      if (skipped != NULL)
        g_printerr ("%s\n", skipped);
    }
  return g_steal_pointer (&result->dataset);
}

gboolean
cli_parse_size (const char  *text,
                int         *height,
                int         *width,
                GError     **error)
{
  unsigned long first, second;
  char *end = NULL;

  errno = 0;
  first = strtoul (text, &end, 10);
  if (errno == 0 && end != text && (*end == 'x' || *end == 'X'))
    {
      const char *rest = end + 1;

      second = strtoul (rest, &end, 10);
      if (errno == 0 && end != rest && *end == '\0' && first > 0 && second > 0
          && first <= 16384 && second <= 16384)
        {
          *height = (int) first;
          *width = (int) second;
          return TRUE;
        }
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("“%s” is not a size like 128x128 (height x width)."), text);
  return FALSE;
}

/* ---------------------------------------------------------------- augmentation options */

static gboolean
parse_number (const char  *option,
              const char  *text,
              double      *value,
              GError     **error)
{
  if (studio_parse_fraction (text, value))
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("%s needs a number, not “%s”."), option, text);
  return FALSE;
}

/* "0.2" or "0.8,1.2". */
static gboolean
parse_range (const char  *option,
             const char  *text,
             double       range[2],
             gboolean    *is_pair,
             GError     **error)
{
  g_auto (GStrv) parts = g_strsplit (text, ",", 3);

  *is_pair = g_strv_length (parts) == 2;
  if (g_strv_length (parts) == 1)
    return parse_number (option, parts[0], &range[0], error);
  if (*is_pair && parse_number (option, parts[0], &range[0], error)
      && parse_number (option, parts[1], &range[1], error))
    return TRUE;
  if (error != NULL && *error == NULL)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 _("%s needs a number or two numbers like 0.8,1.2, not “%s”."), option, text);
  return FALSE;
}

static gboolean
on_augment_option (const char  *option,
                   const char  *value,
                   gpointer     data,
                   GError     **error)
{
  StudioAugmentSettings *settings = data;
  double range[2] = { 0, 0 };
  gboolean is_pair = FALSE;

  if (g_str_equal (option, "--horizontal-flip"))
    settings->horizontal_flip = TRUE;
  else if (g_str_equal (option, "--vertical-flip"))
    settings->vertical_flip = TRUE;
  else if (g_str_equal (option, "--fill-mode"))
    {
      if (!studio_fill_mode_from_name (value, &settings->fill_mode))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--fill-mode is nearest, constant, reflect or wrap, not “%s”."), value);
          return FALSE;
        }
    }
  else if (g_str_equal (option, "--zoom-range"))
    {
      if (!parse_range (option, value, range, &is_pair, error))
        return FALSE;
      if (is_pair)
        {
          settings->zoom_range[0] = range[0];
          settings->zoom_range[1] = range[1];
        }
      else
        studio_augment_settings_set_zoom (settings, range[0]);
    }
  else if (g_str_equal (option, "--brightness-range"))
    {
      if (!parse_range (option, value, range, &is_pair, error))
        return FALSE;
      if (!is_pair)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--brightness-range needs two numbers like 0.8,1.2."));
          return FALSE;
        }
      settings->has_brightness_range = TRUE;
      settings->brightness_range[0] = range[0];
      settings->brightness_range[1] = range[1];
    }
  else
    {
      double number;

      if (!parse_number (option, value, &number, error))
        return FALSE;
      if (g_str_equal (option, "--rotation-range"))
        settings->rotation_range = number;
      else if (g_str_equal (option, "--width-shift-range"))
        settings->width_shift_range = number;
      else if (g_str_equal (option, "--height-shift-range"))
        settings->height_shift_range = number;
      else if (g_str_equal (option, "--shear-range"))
        settings->shear_range = number;
      else if (g_str_equal (option, "--cval"))
        settings->cval = number;
      else if (g_str_equal (option, "--rescale"))
        settings->rescale = number;
    }
  return TRUE;
}

#define AUGMENT_OPTION(name, arg, description, arg_description) \
  { name, 0, 0, arg, (gpointer) on_augment_option, description, arg_description }

GOptionGroup *
cli_augment_option_group (StudioAugmentSettings *settings)
{
  static const GOptionEntry entries[] = {
    AUGMENT_OPTION ("rotation-range", G_OPTION_ARG_CALLBACK,
                    N_("Rotate by up to ± this many degrees"), N_("DEGREES")),
    AUGMENT_OPTION ("width-shift-range", G_OPTION_ARG_CALLBACK,
                    N_("Shift sideways by up to this fraction of the width (pixels when ≥ 1)"),
                    N_("FRACTION")),
    AUGMENT_OPTION ("height-shift-range", G_OPTION_ARG_CALLBACK,
                    N_("Shift up or down by up to this fraction of the height"), N_("FRACTION")),
    AUGMENT_OPTION ("shear-range", G_OPTION_ARG_CALLBACK,
                    N_("Shear by up to ± this many degrees"), N_("DEGREES")),
    AUGMENT_OPTION ("zoom-range", G_OPTION_ARG_CALLBACK,
                    N_("Zoom by a factor in [1 − Z, 1 + Z], or in LOW,HIGH"), N_("Z")),
    { "horizontal-flip", 0, G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK,
      (gpointer) on_augment_option, N_("Flip half of the images left to right"), NULL },
    { "vertical-flip", 0, G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK,
      (gpointer) on_augment_option, N_("Flip half of the images upside down"), NULL },
    AUGMENT_OPTION ("fill-mode", G_OPTION_ARG_CALLBACK,
                    N_("Fill outside the image: nearest, constant, reflect or wrap"),
                    N_("MODE")),
    AUGMENT_OPTION ("cval", G_OPTION_ARG_CALLBACK,
                    N_("The value --fill-mode constant fills with"), N_("VALUE")),
    AUGMENT_OPTION ("brightness-range", G_OPTION_ARG_CALLBACK,
                    N_("Scale the brightness by a factor in LOW,HIGH"), N_("LOW,HIGH")),
    AUGMENT_OPTION ("rescale", G_OPTION_ARG_CALLBACK,
                    N_("Multiply the pixel values by this (default 1/255)"), N_("FACTOR")),
    { NULL }
  };
  GOptionGroup *group = g_option_group_new ("augmentation",
                                            _("Augmentation (ImageDataGenerator) options:"),
                                            _("Show the augmentation options"),
                                            settings, NULL);

  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  return group;
}
