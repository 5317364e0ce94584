/* test-augment-preview.c — the Data page's 5×3 augmentation preview under Xvfb. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "studio-data-page.h"
#include "studio-dataset-loader.h"
#include "studio-training.h"
#include "test-app.h"

#define N_TILES      STUDIO_AUGMENT_PREVIEW_N_TILES
#define IMAGE_SIZE   160
#define WAIT_SECONDS 30

static char *folder;
static StudioDataPage *page;
static GtkWidget *window;
static StudioLoadResult *loaded;

static gboolean
is_idle (gpointer preview)
{
  return !studio_augment_preview_get_busy (preview);
}

static StudioAugmentPreview *
preview (void)
{
  return studio_data_page_get_augment_preview (page);
}

/* Waits for the grid computed for the latest request to reach the screen. */
static void
wait_for_grid (void)
{
  g_assert_true (test_wait_until (is_idle, preview (), WAIT_SECONDS));
  g_assert_cmpuint (studio_augment_preview_get_n_rendered (preview ()), >, 0);
}

/* The 15 tooltips, one string. */
static char *
grid_descriptions (void)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < N_TILES; i++)
    {
      const char *description = studio_augment_preview_get_tile_description (preview (), i);

      g_assert_nonnull (description);
      g_assert_nonnull (studio_augment_preview_get_tile_paintable (preview (), i));
      g_string_append_printf (text, "[%u] %s\n", i, description);
    }
  return g_string_free (text, FALSE);
}

static GBytes *
tile_pixels (guint position)
{
  GdkTexture *texture = GDK_TEXTURE (studio_augment_preview_get_tile_paintable (preview (),
                                                                               position));
  gsize stride = (gsize) gdk_texture_get_width (texture) * 4;
  gsize size = stride * gdk_texture_get_height (texture);
  guint8 *data = g_malloc (size);

  gdk_texture_download (texture, data, stride);
  return g_bytes_new_take (data, size);
}

/* A picture whose turns and flips show: a sky gradient, a red L in the upper left and a
 * yellow disc lower right. */
static void
save_picture (const char *name,
              int         variant)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8,
                                                IMAGE_SIZE, IMAGE_SIZE);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autoptr(GError) error = NULL;

  for (int y = 0; y < IMAGE_SIZE; y++)
    for (int x = 0; x < IMAGE_SIZE; x++)
      {
        guint8 *pixel = pixels + y * stride + x * 3;
        gboolean in_l = (x >= 30 && x < 50 && y >= 25 && y < 110)
                        || (x >= 30 && x < 90 && y >= 90 && y < 110);
        int dx = x - 112 - variant * 4, dy = y - 115;
        gboolean in_disc = dx * dx + dy * dy < 24 * 24;

        pixel[0] = in_l ? 210 : in_disc ? 245 : 60 + y / 2;
        pixel[1] = in_l ? 40 : in_disc ? 200 : 110 + y / 3;
        pixel[2] = in_l ? 50 : in_disc ? 40 : 200 - y / 4;
      }
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
}

static void
make_folder (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = g_dir_make_tmp ("convstudio-augment-XXXXXX", &error);

  g_assert_no_error (error);
  /* Named as the course's folder, so the rendered page reads as it would for a user. */
  folder = g_build_filename (parent, "train", NULL);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  for (int i = 0; i < 4; i++)
    {
      g_autofree char *cat = g_strdup_printf ("cat.%d.png", i);
      g_autofree char *dog = g_strdup_printf ("dog.%d.png", i);

      save_picture (cat, i);
      save_picture (dog, i + 4);
    }
}

static void
remove_folder (void)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_unlink (path);
    }
  g_rmdir (folder);
  {
    g_autofree char *parent = g_path_get_dirname (folder);

    g_rmdir (parent);
  }
  g_clear_pointer (&folder, g_free);
}

static void
count_signal (gpointer  instance,
              guint    *count)
{
  (*count)++;
}

static void
test_setting_rerenders (void)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  StudioAugmentSettings settings;
  guint n_rendered, n_changed = 0;

  wait_for_grid ();
  before = grid_descriptions ();
  g_test_message ("Grid before:\n%s", before);
  n_rendered = studio_augment_preview_get_n_rendered (preview ());

  g_signal_connect (page, "augment-settings-changed", G_CALLBACK (count_signal), &n_changed);
  studio_augment_controls_get_settings (studio_augment_preview_get_controls (preview ()),
                                        &settings);
  settings.rotation_range = 40;
  settings.vertical_flip = TRUE;
  studio_augment_controls_set_settings (studio_augment_preview_get_controls (preview ()),
                                        &settings);
  /* Computing happens on the worker: the main thread is free at once. */
  g_assert_true (studio_augment_preview_get_busy (preview ()));
  g_assert_cmpuint (n_changed, ==, 1);
  wait_for_grid ();
  after = grid_descriptions ();
  g_assert_cmpuint (studio_augment_preview_get_n_rendered (preview ()), ==, n_rendered + 1);
  g_assert_cmpstr (before, !=, after);
  /* With vertical flips on, some of the 15 tiles are upside down (all upright: 2⁻¹⁵). */
  g_assert_nonnull (strstr (after, "vertically"));
  g_signal_handlers_disconnect_by_func (page, count_signal, &n_changed);
}

static void
test_seed_reproducible (void)
{
  g_autofree char *first = NULL;
  g_autofree char *rerolled = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GBytes) first_pixels = NULL;
  g_autoptr(GBytes) again_pixels = NULL;

  studio_augment_preview_set_seed (preview (), 1234);
  wait_for_grid ();
  first = grid_descriptions ();
  first_pixels = tile_pixels (7);

  studio_augment_preview_reroll (preview ());
  g_assert_cmpuint (studio_augment_preview_get_seed (preview ()), !=, 1234);
  wait_for_grid ();
  rerolled = grid_descriptions ();
  g_assert_cmpstr (first, !=, rerolled);

  /* Quick changes: each newer request cancels the older; the last one wins. */
  for (guint32 seed = 1; seed <= 5; seed++)
    studio_augment_preview_set_seed (preview (), seed);
  studio_augment_preview_set_seed (preview (), 1234);
  wait_for_grid ();
  again = grid_descriptions ();
  again_pixels = tile_pixels (7);
  g_assert_cmpstr (first, ==, again);
  g_assert_true (g_bytes_equal (first_pixels, again_pixels));
}

/* No random transform (the rescale is standardisation, not augmentation). */
static gboolean
has_no_transforms (const StudioAugmentSettings *settings)
{
  StudioAugmentSettings transforms_only = *settings;

  transforms_only.rescale = 0;
  return studio_augment_settings_is_identity (&transforms_only);
}

static void
test_switch_and_preset (void)
{
  StudioAugmentSettings settings;
  StudioTrainingConfig course;

  studio_training_config_init_recipe (&course, "dogs-vs-cats");
  studio_augment_controls_apply_course_preset (studio_augment_preview_get_controls (preview ()));

  /* Off: training sees the images unchanged, only rescaled. */
  studio_augment_preview_set_augment_enabled (preview (), FALSE);
  studio_data_page_get_augment_settings (page, &settings);
  g_assert_true (has_no_transforms (&settings));
  g_assert_cmpfloat_with_epsilon (settings.rescale, 1.0 / 255, 1e-12);

  studio_augment_preview_set_augment_enabled (preview (), TRUE);
  studio_data_page_get_augment_settings (page, &settings);
  g_assert_cmpfloat (settings.rotation_range, ==, course.augment.rotation_range);
  g_assert_cmpfloat (settings.shear_range, ==, course.augment.shear_range);
  g_assert_cmpfloat (settings.zoom_range[0], ==, course.augment.zoom_range[0]);
  g_assert_cmpfloat (settings.zoom_range[1], ==, course.augment.zoom_range[1]);
  g_assert_cmpfloat (settings.width_shift_range, ==, course.augment.width_shift_range);
  g_assert_cmpfloat (settings.height_shift_range, ==, course.augment.height_shift_range);
  g_assert_true (settings.horizontal_flip == course.augment.horizontal_flip);
  g_assert_cmpfloat_with_epsilon (settings.rescale, course.augment.rescale, 1e-12);

  studio_augment_controls_reset (studio_augment_preview_get_controls (preview ()));
  studio_data_page_get_augment_settings (page, &settings);
  g_assert_true (has_no_transforms (&settings));
  wait_for_grid ();
  g_assert_nonnull (strstr (studio_augment_preview_get_tile_description (preview (), 0),
                            "Not flipped"));
  studio_augment_controls_apply_course_preset (studio_augment_preview_get_controls (preview ()));
}

static void
test_rescale_text (void)
{
  double rescale;
  g_autofree char *text = studio_format_rescale (1.0 / 255);

  g_assert_cmpstr (text, ==, "1/255");
  g_assert_true (studio_parse_rescale ("1/255", &rescale));
  g_assert_cmpfloat_with_epsilon (rescale, 1.0 / 255, 1e-15);
  g_assert_true (studio_parse_rescale (" 0.5 ", &rescale));
  g_assert_cmpfloat (rescale, ==, 0.5);
  g_assert_true (studio_parse_rescale ("", &rescale));
  g_assert_cmpfloat (rescale, ==, 0);
  g_assert_false (studio_parse_rescale ("1/0", &rescale));
  g_assert_false (studio_parse_rescale ("abc", &rescale));
}

static void
test_render_png (void)
{
  studio_augment_preview_set_augment_enabled (preview (), TRUE);
  studio_augment_preview_set_seed (preview (), 42);
  wait_for_grid ();
  test_wait_until (test_never, NULL, 0.4);
  test_save_widget_png (window, "data-augment.png");
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", TRUE, NULL);
  test_wait_until (test_never, NULL, 0.4);
  test_save_widget_png (window, "data-augment-dark.png");
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", FALSE, NULL);
  studio_data_page_set_view (page, "overview");
  test_wait_until (test_never, NULL, 0.4);
  test_save_widget_png (window, "data-folder.png");
  studio_data_page_set_view (page, "augmentation");
}

static void
set_up_page (void)
{
  StudioLoadOptions options;
  g_autoptr(GError) error = NULL;

  window = gtk_window_new ();
  page = STUDIO_DATA_PAGE (studio_data_page_new ());
  test_load_style ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));

  studio_load_options_init (&options);
  studio_data_page_get_load_options (page, &options);
  loaded = studio_load_dataset (folder, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  studio_data_page_set_load_result (page, loaded->dataset, loaded->scan);
  studio_data_page_set_view (page, "augmentation");
  g_assert_cmpstr (studio_data_page_get_view (page), ==, "augmentation");
}

int
main (int   argc,
      char *argv[])
{
  g_auto(GStrv) data_dirs = test_get_system_data_dirs ();
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return g_test_run ();
    }
  test_use_system_data_dirs ((const char * const *) data_dirs);

  make_folder ();
  set_up_page ();
  g_test_add_func ("/app/augment-preview/rescale-text", test_rescale_text);
  g_test_add_func ("/app/augment-preview/setting-rerenders", test_setting_rerenders);
  g_test_add_func ("/app/augment-preview/seed-reproducible", test_seed_reproducible);
  g_test_add_func ("/app/augment-preview/switch-and-preset", test_switch_and_preset);
  g_test_add_func ("/app/augment-preview/render-png", test_render_png);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_pointer (&loaded, studio_load_result_free);
  remove_folder ();
  return status;
}
