/* test-layers-view.c — the Layers view under Xvfb: a Fashion-MNIST shirt through every layer. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "studio-layers-view.h"
#include "studio-model-json.h"
#include "test-app.h"

#define WAIT_SECONDS  20
#define SHIRT         6      /* Fashion-MNIST's label for "Shirt" */

typedef struct
{
  GtkWindow        *window;
  StudioLayersView *view;
  StudioDataset    *dataset;
  gsize             shirt;   /* index of the first shirt of the test split */
} Fixture;

static gboolean
is_shown (gpointer view)
{
  return !studio_layers_view_get_busy (view) && studio_layers_view_get_n_shown (view) > 0;
}

static CnnModel *
load_seed_model (void)
{
  g_autofree char *path = g_build_filename (SOURCE_DATADIR, "models", "fashion-mnist.json",
                                            NULL);
  g_autoptr(GError) error = NULL;
  CnnModel *model = studio_model_new_from_json_file (path, 42, &error);

  g_assert_no_error (error);
  return model;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *folder = g_getenv ("FASHION_MNIST_DIR");
  g_autoptr(GError) error = NULL;
  gsize n_test;

  if (folder == NULL)
    folder = FASHION_MNIST_DIR;
  fixture->dataset = studio_dataset_open (folder, NULL, &error);
  g_assert_no_error (error);
  n_test = studio_dataset_get_n_samples (fixture->dataset, STUDIO_SPLIT_TEST);
  for (fixture->shirt = 0; fixture->shirt < n_test; fixture->shirt++)
    if (studio_dataset_get_label (fixture->dataset, STUDIO_SPLIT_TEST, fixture->shirt) == SHIRT)
      break;
  g_assert_cmpuint (fixture->shirt, <, n_test);
  g_assert_cmpstr (studio_dataset_get_class_name (fixture->dataset, SHIRT), ==, "Shirt");

  fixture->window = GTK_WINDOW (gtk_window_new ());
  fixture->view = STUDIO_LAYERS_VIEW (studio_layers_view_new ());
  gtk_window_set_default_size (fixture->window, 1100, 800);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  gtk_window_present (fixture->window);
  g_assert_true (test_wait_until (test_is_mapped, fixture->view, WAIT_SECONDS));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->dataset);
  test_wait_until (test_never, NULL, 0.05);
}

static void
show_shirt (Fixture *fixture)
{
  studio_layers_view_set_model (fixture->view, load_seed_model (), 1.0 / 255);
  studio_layers_view_set_image (fixture->view, fixture->dataset, STUDIO_SPLIT_TEST,
                                fixture->shirt);
  g_assert_true (test_wait_until (is_shown, fixture->view, WAIT_SECONDS));
}

static void
assert_maps (StudioChannelGrid *grid,
             int                channels)
{
  g_assert_nonnull (grid);
  g_assert_false (studio_channel_grid_get_shows_units (grid));
  g_assert_cmpuint (studio_channel_grid_get_n_tiles (grid), ==, channels);
}

static void
assert_units (StudioChannelGrid *grid,
              int                units)
{
  g_assert_nonnull (grid);
  g_assert_true (studio_channel_grid_get_shows_units (grid));
  g_assert_cmpuint (studio_channel_grid_get_n_tiles (grid), ==, units);
}

/* Every layer shows one tile per channel (or one bar per unit); Conv2D its kernels. */
static void
test_tiles_per_layer (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(StudioArchitecture) architecture = NULL;
  CnnModel *model = load_seed_model ();
  int n_convolutions = 0, n_dense = 0;

  show_shirt (fixture);
  g_assert_cmpuint (studio_layers_view_get_n_layers (fixture->view), ==,
                    cnn_model_n_layers (model));
  for (int layer = 0; layer < cnn_model_n_layers (model); layer++)
    {
      const CnnLayerSpec *spec = cnn_model_layer_spec (model, layer);
      StudioChannelGrid *output = studio_layers_view_get_output_grid (fixture->view, layer);
      StudioChannelGrid *before = studio_layers_view_get_preactivation_grid (fixture->view,
                                                                             layer);
      StudioFilterGrid *filters = studio_layers_view_get_filter_grid (fixture->view, layer);
      CnnLayerInfo info;

      cnn_model_layer_info (model, layer, &info);
      if (info.output_rank == 3)
        assert_maps (output, info.output_shape[2]);
      else
        assert_units (output, info.output_shape[0]);

      if (spec->type == CNN_LAYER_CONV2D)
        {
          n_convolutions++;
          assert_maps (before, spec->filters);
          g_assert_nonnull (filters);
          g_assert_cmpuint (studio_filter_grid_get_n_kernels (filters), ==, spec->filters);
          g_assert_cmpuint (studio_filter_grid_get_n_input_channels (filters), ==,
                            layer == 0 ? 1 : cnn_model_layer_spec (model, layer - 4)->filters);
          /* ReLU's output test_never goes negative; the feature map before it does. */
          g_assert_true (studio_channel_grid_get_diverging (before));
          g_assert_false (studio_channel_grid_get_diverging (output));
        }
      else
        g_assert_null (filters);

      if (spec->type == CNN_LAYER_DENSE)
        n_dense++;
      if (spec->type == CNN_LAYER_DENSE && spec->activation == CNN_ACTIVATION_RELU)
        assert_units (before, spec->units);
      if (spec->type != CNN_LAYER_CONV2D && spec->type != CNN_LAYER_DENSE)
        g_assert_null (before);
    }
  g_assert_cmpint (n_convolutions, ==, 3);
  g_assert_cmpint (n_dense, ==, 2);
  /* Named as the engine names them: conv2d 32 filters, dense 64 units, dense_1 10 classes. */
  assert_maps (studio_layers_view_get_output_grid (fixture->view, 0), 32);
  assert_units (studio_layers_view_get_output_grid (fixture->view, 13), 64);
  assert_units (studio_layers_view_get_output_grid (fixture->view, 16), 10);
  cnn_model_free (model);
}

static void
test_shape_arithmetic (Fixture       *fixture,
                       gconstpointer  data)
{
  show_shirt (fixture);
  /* conv2d: 3×3 valid on 28×28×1 with 32 filters. */
  g_assert_cmpstr (studio_layers_view_get_shape_text (fixture->view, 0), ==,
                   "(28 − 3 + 2·0) / 1 + 1 = 26");
  g_assert_cmpstr (studio_layers_view_get_params_text (fixture->view, 0), ==,
                   "3·3·1·32 + 32 = 320");
  /* max_pooling2d after it: the floor division. */
  g_assert_cmpstr (studio_layers_view_get_shape_text (fixture->view, 2), ==,
                   "⌊(26 − 2 + 2·0) / 2⌋ + 1 = 13");
  g_assert_null (studio_layers_view_get_params_text (fixture->view, 2));
  /* Dropout keeps its input's shape and has no weights. */
  g_assert_null (studio_layers_view_get_shape_text (fixture->view, 3));
  g_assert_null (studio_layers_view_get_params_text (fixture->view, 3));
  /* Flatten of 1×1×128 and the Dense after it. */
  g_assert_cmpstr (studio_layers_view_get_shape_text (fixture->view, 12), ==,
                   "1 · 1 · 128 = 128");
  g_assert_cmpstr (studio_layers_view_get_params_text (fixture->view, 13), ==,
                   "128·64 + 64 = 8,256");
}

static void
test_class_probabilities (Fixture       *fixture,
                          gconstpointer  data)
{
  StudioChannelGrid *probabilities;
  float low, high, sum = 0;

  show_shirt (fixture);
  probabilities = studio_layers_view_get_output_grid (fixture->view, 16);
  for (int unit = 0; unit < 10; unit++)
    {
      studio_channel_grid_get_range (probabilities, unit, &low, &high);
      g_assert_cmpfloat (low, ==, high);
      g_assert_cmpfloat (low, >=, 0);
      sum += low;
    }
  g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-4);
}

/* A newer image supersedes the request before it; the colour scale toggles every grid. */
static void
test_newest_request_wins (Fixture       *fixture,
                          gconstpointer  data)
{
  StudioChannelGrid *activation;
  float shared_low, shared_high;
  guint shown;

  show_shirt (fixture);
  shown = studio_layers_view_get_n_shown (fixture->view);
  studio_layers_view_set_image (fixture->view, fixture->dataset, STUDIO_SPLIT_TEST, 0);
  studio_layers_view_set_image (fixture->view, fixture->dataset, STUDIO_SPLIT_TEST, 1);
  studio_layers_view_set_model (fixture->view, load_seed_model (), 1.0 / 255);
  g_assert_true (test_wait_until (is_shown, fixture->view, WAIT_SECONDS));
  g_assert_cmpuint (studio_layers_view_get_image_index (fixture->view), ==, 1);
  g_assert_cmpuint (studio_layers_view_get_n_shown (fixture->view), ==, shown + 1);

  activation = studio_layers_view_get_output_grid (fixture->view, 0);
  studio_channel_grid_get_range (activation, -1, &shared_low, &shared_high);
  g_assert_cmpfloat (shared_low, >=, 0);
  g_assert_cmpfloat (shared_high, >, 0);
  g_assert_cmpint (studio_channel_grid_get_color_scale (activation), ==,
                   STUDIO_COLOR_SCALE_SHARED);
  g_assert_cmpint (studio_channel_grid_tile_at (activation, 1, 30), ==, 0);
  studio_channel_grid_enlarge_tile (activation, 0);
  test_wait_until (test_never, NULL, 0.1);
}

static void
test_render (Fixture       *fixture,
             gconstpointer  data)
{
  show_shirt (fixture);
  test_wait_until (test_never, NULL, 0.3);
  test_save_widget_png (GTK_WIDGET (fixture->view), "layers-view.png");
}

int
main (int   argc,
      char *argv[])
{
  /* The assertions compare English text. */
  g_setenv ("LANGUAGE", "C", TRUE);
  if (!test_app_init (&argc, &argv))
    return 0;

#define ADD_TEST(path, function) \
  g_test_add ("/app/layers-view/" path, Fixture, NULL, fixture_set_up, function, \
              fixture_tear_down)
  ADD_TEST ("tiles-per-layer", test_tiles_per_layer);
  ADD_TEST ("shape-arithmetic", test_shape_arithmetic);
  ADD_TEST ("class-probabilities", test_class_probabilities);
  ADD_TEST ("newest-request-wins", test_newest_request_wins);
  ADD_TEST ("render", test_render);
#undef ADD_TEST

  return g_test_run ();
}
