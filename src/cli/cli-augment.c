/* cli-augment.c — `convstudio-cli augment`: the course's 5×3 grid of one image, augmented. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include <glib/gi18n-lib.h>

#include "cli.h"
#include "studio-export.h"
#include "studio-training.h"

/* The notebook's plt.subplot(5, 3, i + 1): five rows of three. */
enum { GRID_ROWS = 5, GRID_COLUMNS = 3, GAP = 4 };

static void
draw_tile (GdkPixbuf   *grid,
           const float *image,
           int          height,
           int          width,
           int          row,
           int          column)
{
  guchar *pixels = gdk_pixbuf_get_pixels (grid);
  int stride = gdk_pixbuf_get_rowstride (grid);
  int left = GAP + column * (width + GAP);
  int top = GAP + row * (height + GAP);

  for (int i = 0; i < height; i++)
    for (int j = 0; j < width; j++)
      for (int c = 0; c < 3; c++)
        {
          float value = image[((gsize) i * width + j) * 3 + c];

          pixels[(gsize) (top + i) * stride + (left + j) * 3 + c] =
            (guchar) CLAMP (floorf (value + 0.5f), 0, 255);
        }
}

static void
print_transform (int                    index,
                 const StudioTransform *transform)
{
  g_print (_("%2d: rotation %+.1f°, shift %+.1f, %+.1f px, shear %+.2f°, zoom %.3f × %.3f%s%s"),
           index, transform->theta, transform->tx, transform->ty, transform->shear,
           transform->zx, transform->zy,
           transform->flip_horizontal ? _(", flipped left–right") : "",
           transform->flip_vertical ? _(", flipped upside down") : "");
  if (transform->has_brightness)
    g_print (_(", brightness × %.2f"), transform->brightness);
  g_print ("\n");
}

/* The image as the model would see it: RGB, resized like Keras's load_img. */
static guint8 *
load_image (const char  *path,
            int          height,
            int          width,
            GError     **error)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (path, error);
  guint8 *image;

  if (pixbuf == NULL)
    return NULL;
  image = g_new (guint8, (gsize) height * width * 3);
  studio_image_resize_nearest (gdk_pixbuf_read_pixels (pixbuf), gdk_pixbuf_get_height (pixbuf),
                               gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_n_channels (pixbuf),
                               gdk_pixbuf_get_rowstride (pixbuf), image, height, width, 3);
  return image;
}

int
cli_augment (int    argc,
             char **argv)
{
  StudioTrainingConfig recipe;
  StudioAugmentSettings settings;
  g_autofree char *output = NULL;
  g_autofree char *size = NULL;
  int seed = 42;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the grid here (PNG)"),
      N_("GRID.png") },
    { "target-size", 0, 0, G_OPTION_ARG_STRING, &size,
      N_("Resize the image first, as flow_from_dataframe does (default 128x128)"), N_("HxW") },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, N_("Seed of the random draws (42)"), N_("N") },
    { NULL }
  };
  g_autoptr (GOptionContext) context =
    g_option_context_new (_("IMAGE — the 5×3 augmentation preview of one image"));
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkPixbuf) grid = NULL;
  g_autoptr (GRand) rand = NULL;
  g_autofree guint8 *image = NULL;
  g_autofree float *augmented = NULL;
  g_autofree char *png = NULL;
  gsize png_size;
  int height = 128, width = 128;

  /* Without options, the course's Dogs vs. Cats generator. */
  studio_training_config_init_recipe (&recipe, "dogs-vs-cats");
  settings = recipe.augment;
  settings.rescale = 0;

  g_option_context_set_summary (context,
    _("Without augmentation options, uses the course's: rotation 15, shear 0.1, zoom 0.2,\n"
      "shifts 0.1 and horizontal flips. Prints the parameters drawn for each tile."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, cli_augment_option_group (&settings));
  if (!cli_parse_options (context, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc != 2 || output == NULL)
    {
      g_printerr (_("%s: give one image and --output GRID.png.\n"), g_get_prgname ());
      return CLI_EXIT_USAGE;
    }
  if (size != NULL && !cli_parse_size (size, &height, &width, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return CLI_EXIT_USAGE;
    }

  image = load_image (argv[1], height, width, &error);
  if (image == NULL)
    return cli_fail (error);

  /* A preview shows pixel values, whatever rescale training uses. */
  settings.rescale = 0;
  grid = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8,
                         GAP + GRID_COLUMNS * (width + GAP), GAP + GRID_ROWS * (height + GAP));
  gdk_pixbuf_fill (grid, 0xffffffff);
  augmented = g_new (float, (gsize) height * width * 3);
  rand = g_rand_new_with_seed (seed);

  for (int k = 0; k < GRID_ROWS * GRID_COLUMNS; k++)
    {
      StudioTransform transform;

      studio_augment_draw (&settings, height, width, rand, &transform);
      studio_augment_apply (&settings, &transform, image, height, width, 3, augmented);
      draw_tile (grid, augmented, height, width, k / GRID_COLUMNS, k % GRID_COLUMNS);
      print_transform (k + 1, &transform);
    }

  if (!gdk_pixbuf_save_to_buffer (grid, &png, &png_size, "png", &error, NULL)
      || !studio_write_file_atomically (output, png, png_size, &error))
    return cli_fail (error);
  g_print (_("Wrote the grid to %s\n"), output);
  return CLI_EXIT_OK;
}
