/* test-model-page.c — drives the Model page under Xvfb: live totals, errors, edits, JSON, PNGs. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "studio-model-page.h"
#include "test-app.h"

#define WAIT_SECONDS 30

/* Indices of layers in the Fashion-MNIST seed model (data/models/fashion-mnist.json). */
enum {
  FASHION_CONV2D = 0,
  FASHION_CONV2D_1 = 4,
  FASHION_FLATTEN = 12,
  FASHION_DENSE = 13,
  FASHION_DENSE_1 = 16,
  FASHION_N_LAYERS = 17,
};

typedef struct
{
  GtkWindow       *window;
  StudioModelPage *page;
  guint            n_changes;  /* "architecture-changed" emissions */
} Fixture;

static gboolean
is_idle (gpointer page)
{
  return !studio_model_page_get_updating (page);
}

/* Waits for the debounce and the shape inference of the last edit. */
static void
wait_checked (StudioModelPage *page)
{
  g_assert_true (test_wait_until (is_idle, page, WAIT_SECONDS));
}

static void
on_architecture_changed (StudioModelPage *page,
                         Fixture         *fixture)
{
  g_assert_true (studio_model_page_get_valid (page));
  fixture->n_changes++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->window = GTK_WINDOW (gtk_window_new ());
  fixture->page = STUDIO_MODEL_PAGE (studio_model_page_new ());
  gtk_window_set_default_size (fixture->window, 1180, 760);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->page));
  g_signal_connect (fixture->page, "architecture-changed",
                    G_CALLBACK (on_architecture_changed), fixture);
  gtk_window_present (fixture->window);
  g_assert_true (test_wait_until (test_is_mapped, fixture->page, WAIT_SECONDS));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  test_settle (0.05);
}

static StudioArchitecture *
load_seed_architecture (const char *file)
{
  g_autofree char *path = g_build_filename (SOURCE_DATADIR, "models", file, NULL);
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  StudioArchitecture *architecture;

  g_assert_true (g_file_get_contents (path, &json, NULL, &error));
  g_assert_no_error (error);
  architecture = studio_architecture_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  return architecture;
}

static void
show_fashion_mnist (Fixture *fixture)
{
  g_autoptr(StudioArchitecture) architecture = load_seed_architecture ("fashion-mnist.json");

  studio_model_page_set_architecture (fixture->page, architecture);
  wait_checked (fixture->page);
  g_assert_true (studio_model_page_get_valid (fixture->page));
  g_assert_cmpuint (studio_model_page_get_n_layers (fixture->page), ==, FASHION_N_LAYERS);
}

static void
assert_totals (StudioModelPage *page,
               const char      *total,
               const char      *trainable,
               const char      *non_trainable)
{
  StudioLayerSummary *summary = studio_model_page_get_summary (page);

  g_assert_cmpstr (studio_layer_summary_get_total_text (summary, STUDIO_SUMMARY_TOTAL_PARAMS),
                   ==, total);
  g_assert_cmpstr (studio_layer_summary_get_total_text (summary,
                                                        STUDIO_SUMMARY_TRAINABLE_PARAMS),
                   ==, trainable);
  g_assert_cmpstr (studio_layer_summary_get_total_text (summary,
                                                        STUDIO_SUMMARY_NON_TRAINABLE_PARAMS),
                   ==, non_trainable);
}

/* "111,882" for 111882, written out here rather than with the code under test. */
static char *
with_commas (gint64 n)
{
  if (n >= 1000000)
    return g_strdup_printf ("%d,%03d,%03d", (int) (n / 1000000), (int) (n / 1000 % 1000),
                            (int) (n % 1000));
  if (n >= 1000)
    return g_strdup_printf ("%d,%03d", (int) (n / 1000), (int) (n % 1000));
  return g_strdup_printf ("%d", (int) n);
}

static void
assert_param_counts (StudioModelPage *page,
                     gint64           total,
                     gint64           non_trainable)
{
  g_autofree char *total_text = with_commas (total);
  g_autofree char *trainable_text = with_commas (total - non_trainable);
  g_autofree char *non_trainable_text = with_commas (non_trainable);

  assert_totals (page, total_text, trainable_text, non_trainable_text);
}

/* Parameters of the Fashion-MNIST head (Flatten of `features` → Dense(units) → BN → Dropout
 * → Dense(10)), as Keras counts them: kernel + bias, BN 4 per unit of which 2 trainable. */
static gint64
fashion_head_params (gint64 features,
                     gint64 units)
{
  return features * units + units + 4 * units + units * 10 + 10;
}

static void
test_empty_state (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_false (studio_model_page_get_valid (fixture->page));
  g_assert_null (studio_model_page_get_error_message (fixture->page));
  g_assert_null (studio_model_page_get_architecture (fixture->page));
  g_assert_cmpuint (studio_model_page_get_n_layers (fixture->page), ==, 0);
  g_assert_null (studio_model_page_get_keras_text (fixture->page));
  g_assert_false (studio_layer_summary_get_current (studio_model_page_get_summary (fixture->page)));
}

static void
on_clipboard_text (GObject      *clipboard,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (clipboard), result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer pointer)
{
  return *(char **) pointer != NULL;
}

static void
test_fashion_mnist_summary (Fixture       *fixture,
                            gconstpointer  data)
{
  StudioModelPage *page = fixture->page;
  StudioLayerSummary *summary = studio_model_page_get_summary (page);
  g_autoptr(StudioArchitecture) architecture = load_seed_architecture ("fashion-mnist.json");
  g_autoptr(GError) error = NULL;
  CnnModel *model;
  char *engine_text;
  g_autofree char *copied = NULL;

  show_fashion_mnist (fixture);
  g_assert_cmpuint (fixture->n_changes, ==, 0);
  assert_totals (page, "102,730", "102,154", "576");
  g_assert_null (studio_model_page_get_error_message (page));
  g_assert_true (studio_layer_summary_get_current (summary));
  g_assert_cmpuint (studio_layer_summary_get_n_rows (summary), ==, FASHION_N_LAYERS);
  g_assert_cmpstr (studio_layer_summary_get_cell_text (summary, 0, STUDIO_SUMMARY_COLUMN_LAYER),
                   ==, "conv2d (Conv2D)");
  g_assert_cmpstr (studio_layer_summary_get_cell_text (summary, 0, STUDIO_SUMMARY_COLUMN_SHAPE),
                   ==, "(None, 26, 26, 32)");
  g_assert_cmpstr (studio_layer_summary_get_cell_text (summary, 0, STUDIO_SUMMARY_COLUMN_PARAMS),
                   ==, "320");
  /* 26·26 positions × 3·3·1 inputs × 32 filters. */
  g_assert_cmpstr (studio_layer_summary_get_cell_text (summary, 0, STUDIO_SUMMARY_COLUMN_MACS),
                   ==, "194,688");
  g_assert_cmpstr (studio_layer_summary_get_cell_text (summary, FASHION_DENSE_1,
                                                       STUDIO_SUMMARY_COLUMN_LAYER),
                   ==, "dense_1 (Dense)");
  g_assert_cmpstr (studio_layer_summary_get_cell_text (summary, FASHION_DENSE_1,
                                                       STUDIO_SUMMARY_COLUMN_SHAPE),
                   ==, "(None, 10)");

  /* Copy as Keras text puts the engine's exact text on the clipboard. */
  model = studio_architecture_build (architecture, 1, &error);
  g_assert_no_error (error);
  engine_text = cnn_model_summary (model, NULL);
  g_assert_cmpstr (studio_model_page_get_keras_text (page), ==, engine_text);
  g_assert_nonnull (strstr (engine_text, "Total params: 102,730\n"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "model.copy-summary", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (page)), NULL,
                                 on_clipboard_text, &copied);
  g_assert_true (test_wait_until (is_set, &copied, WAIT_SECONDS));
  g_assert_cmpstr (copied, ==, engine_text);
  free (engine_text);
  cnn_model_free (model);
}

static void
test_edit_dense_units (Fixture       *fixture,
                       gconstpointer  data)
{
  StudioModelPage *page = fixture->page;
  gint64 seed_total = 102730;
  gint64 edited_total = seed_total - fashion_head_params (128, 64)
                        + fashion_head_params (128, 128);
  gint64 start;

  show_fashion_mnist (fixture);
  g_assert_cmpint (fashion_head_params (128, 64), ==, 8256 + 256 + 650);

  /* Dense 64 → 128: its kernel, the BatchNormalization after it and the output layer grow. */
  start = g_get_monotonic_time ();
  g_assert_true (studio_model_page_set_layer_field (page, FASHION_DENSE,
                                                    STUDIO_LAYER_FIELD_UNITS, 128));
  g_assert_true (studio_model_page_get_updating (page));
  wait_checked (page);
  g_test_message ("Edit to updated summary (Fashion-MNIST): %.0f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_true (studio_model_page_get_valid (page));
  assert_param_counts (page, edited_total, 576 + 2 * 64);
  g_assert_cmpint (edited_total, ==, 111882);
  g_assert_cmpuint (fixture->n_changes, ==, 1);
  g_assert_cmpint (g_array_index (studio_model_page_get_architecture (page)->layers,
                                  CnnLayerSpec, FASHION_DENSE).units, ==, 128);

  /* Add Layer after the last one: a Dense(64, relu) on the 10 outputs. */
  studio_model_page_select_layer (page, FASHION_N_LAYERS - 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "model.add-layer", "s",
                                             "Dense"));
  g_assert_cmpuint (studio_model_page_get_n_layers (page), ==, FASHION_N_LAYERS + 1);
  wait_checked (page);
  assert_param_counts (page, edited_total + 10 * 64 + 64, 704);
  g_assert_cmpstr (studio_layer_summary_get_cell_text (studio_model_page_get_summary (page),
                                                       FASHION_N_LAYERS,
                                                       STUDIO_SUMMARY_COLUMN_LAYER),
                   ==, "dense_2 (Dense)");
  g_assert_cmpuint (fixture->n_changes, ==, 2);
}

static void
test_impossible_stack (Fixture       *fixture,
                       gconstpointer  data)
{
  StudioModelPage *page = fixture->page;
  StudioLayerRow *row;
  const char *message;

  show_fashion_mnist (fixture);

  /* conv2d_1 sees 13×13 after the first pooling: a 30×30 kernel cannot fit. Two edits in
   * a burst give one check. */
  studio_model_page_set_layer_field (page, FASHION_CONV2D_1, STUDIO_LAYER_FIELD_KERNEL_HEIGHT,
                                     30);
  studio_model_page_set_layer_field (page, FASHION_CONV2D_1, STUDIO_LAYER_FIELD_KERNEL_WIDTH, 30);
  wait_checked (page);
  g_assert_false (studio_model_page_get_valid (page));
  message = studio_model_page_get_error_message (page);
  g_assert_nonnull (message);
  g_test_message ("Error shown: %s", message);
  g_assert_nonnull (strstr (message, "conv2d_1"));
  g_assert_nonnull (strstr (message, "30×30"));
  g_assert_nonnull (strstr (message, "(None, 13, 13, 32)"));
  g_assert_cmpint (studio_model_page_get_error_layer (page), ==, FASHION_CONV2D_1);
  row = studio_model_page_get_row (page, FASHION_CONV2D_1);
  g_assert_cmpstr (studio_layer_row_get_error (row), ==, message);
  g_assert_null (studio_layer_row_get_error (studio_model_page_get_row (page, FASHION_CONV2D)));
  /* The summary is greyed out; the last valid numbers stay. */
  g_assert_false (studio_layer_summary_get_current (studio_model_page_get_summary (page)));
  g_assert_false (gtk_widget_is_sensitive (
    gtk_widget_get_first_child (GTK_WIDGET (studio_model_page_get_summary (page)))));
  assert_totals (page, "102,730", "102,154", "576");
  g_assert_cmpuint (fixture->n_changes, ==, 0);

  /* Undo: valid again, the error gone. */
  studio_model_page_set_layer_field (page, FASHION_CONV2D_1, STUDIO_LAYER_FIELD_KERNEL_HEIGHT, 3);
  studio_model_page_set_layer_field (page, FASHION_CONV2D_1, STUDIO_LAYER_FIELD_KERNEL_WIDTH, 3);
  wait_checked (page);
  g_assert_true (studio_model_page_get_valid (page));
  g_assert_null (studio_model_page_get_error_message (page));
  g_assert_cmpint (studio_model_page_get_error_layer (page), ==, -1);
  g_assert_null (studio_layer_row_get_error (studio_model_page_get_row (page, FASHION_CONV2D_1)));
  g_assert_true (studio_layer_summary_get_current (studio_model_page_get_summary (page)));
  assert_totals (page, "102,730", "102,154", "576");
  g_assert_cmpuint (fixture->n_changes, ==, 1);

  /* A Dense straight on an image: the message says what to add. */
  studio_model_page_remove_layer (page, FASHION_FLATTEN);
  wait_checked (page);
  g_assert_false (studio_model_page_get_valid (page));
  g_assert_cmpint (studio_model_page_get_error_layer (page), ==, FASHION_DENSE - 1);
  g_assert_nonnull (strstr (studio_model_page_get_error_message (page), "Flatten"));
}

static void
test_remove_and_reorder (Fixture       *fixture,
                         gconstpointer  data)
{
  StudioModelPage *page = fixture->page;
  StudioLayerSummary *summary = studio_model_page_get_summary (page);
  const guint dropout = 3;
  gint64 reordered_total;

  show_fashion_mnist (fixture);

  /* Dropout has no weights: one layer fewer, the same totals. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "model.remove-layer", "u",
                                             dropout));
  g_assert_cmpuint (studio_model_page_get_n_layers (page), ==, FASHION_N_LAYERS - 1);
  wait_checked (page);
  assert_totals (page, "102,730", "102,154", "576");
  g_assert_cmpuint (studio_layer_summary_get_n_rows (summary), ==, FASHION_N_LAYERS - 1);
  g_assert_cmpstr (studio_layer_summary_get_cell_text (summary, dropout,
                                                       STUDIO_SUMMARY_COLUMN_LAYER),
                   ==, "conv2d_1 (Conv2D)");

  /* The output Dense(10) moved up above Dense(64): Flatten(128) → 10 → 64 → BN → Dropout. */
  for (guint index = FASHION_DENSE_1 - 1; index > FASHION_DENSE - 1; index--)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "model.move-layer-up", "u",
                                               index));
  wait_checked (page);
  reordered_total = 102730 - fashion_head_params (128, 64)
                    + (128 * 10 + 10) + (10 * 64 + 64) + 4 * 64;
  assert_param_counts (page, reordered_total, 576);
  /* Keras numbers auto-named layers in order: the moved layer is now "dense". */
  g_assert_cmpstr (studio_layer_summary_get_cell_text (summary, FASHION_DENSE - 1,
                                                       STUDIO_SUMMARY_COLUMN_LAYER),
                   ==, "dense (Dense)");
  g_assert_cmpstr (studio_layer_summary_get_cell_text (summary, FASHION_DENSE - 1,
                                                       STUDIO_SUMMARY_COLUMN_SHAPE),
                   ==, "(None, 10)");
  g_assert_cmpint (g_array_index (studio_model_page_get_architecture (page)->layers,
                                  CnnLayerSpec, FASHION_DENSE - 1).units, ==, 10);
  g_assert_cmpuint (fixture->n_changes, ==, 2);
}

static void
test_json_round_trip (Fixture       *fixture,
                      gconstpointer  data)
{
  StudioModelPage *page = fixture->page;
  g_autofree char *folder = g_dir_make_tmp ("model-page-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (folder, "model.json", NULL);
  g_autofree char *missing = g_build_filename (folder, "missing.json", NULL);
  g_autoptr(GError) error = NULL;
  CnnModel *model;

  show_fashion_mnist (fixture);
  studio_model_page_set_layer_field (page, FASHION_DENSE, STUDIO_LAYER_FIELD_UNITS, 128);
  studio_model_page_set_layer_field (page, 3, STUDIO_LAYER_FIELD_RATE, 0.3);
  wait_checked (page);
  g_assert_true (studio_model_page_save_json (page, path, &error));
  g_assert_no_error (error);

  /* Another program reads what was saved. */
  model = studio_model_new_from_json_file (path, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cnn_model_total_params (model), ==, 111882);
  cnn_model_free (model);

  studio_model_page_set_architecture (page, NULL);
  g_assert_cmpuint (studio_model_page_get_n_layers (page), ==, 0);
  fixture->n_changes = 0;
  g_assert_true (studio_model_page_open_json (page, path, &error));
  g_assert_no_error (error);
  wait_checked (page);
  g_assert_true (studio_model_page_get_valid (page));
  assert_totals (page, "111,882", "111,178", "704");
  g_assert_cmpuint (fixture->n_changes, ==, 1);
  g_assert_cmpfloat_with_epsilon (g_array_index (studio_model_page_get_architecture (page)->layers,
                                                 CnnLayerSpec, 3).rate, 0.3, 1e-6);

  /* A missing file is an error and leaves the page as it was. */
  g_assert_false (studio_model_page_open_json (page, missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_cmpuint (studio_model_page_get_n_layers (page), ==, FASHION_N_LAYERS);

  g_unlink (path);
  g_rmdir (folder);
}

static void
test_training_state (Fixture       *fixture,
                     gconstpointer  data)
{
  StudioModelPage *page = fixture->page;
  double weight_norms[FASHION_N_LAYERS], gradient_norms[FASHION_N_LAYERS];
  const char *norms;

  show_fashion_mnist (fixture);

  /* The dataset fixes the input: 32×32×3 grows the first kernel and the flattened size
   * (32→30→15→13→6→4→2: 2·2·128 = 512 features). */
  studio_model_page_set_input_shape (page, 32, 32, 3);
  wait_checked (page);
  g_assert_cmpint (studio_model_page_get_architecture (page)->channels, ==, 3);
  assert_param_counts (page, 102730 + (3 * 3 * 3 * 32 - 3 * 3 * 1 * 32)
                             - fashion_head_params (128, 64) + fashion_head_params (512, 64),
                       576);
  g_assert_cmpuint (fixture->n_changes, ==, 0);

  /* While training: nothing can be edited; rows show norms. */
  studio_model_page_set_editable (page, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (page), "model.add-layer", "s", "Dense");
  gtk_widget_activate_action (GTK_WIDGET (page), "model.remove-layer", "u", 0);
  g_assert_cmpuint (studio_model_page_get_n_layers (page), ==, FASHION_N_LAYERS);
  g_assert_false (gtk_widget_is_sensitive (
    studio_layer_row_get_editor (studio_model_page_get_row (page, 0),
                                 STUDIO_LAYER_FIELD_FILTERS)));
  for (guint i = 0; i < FASHION_N_LAYERS; i++)
    {
      weight_norms[i] = 1.5 + i;
      gradient_norms[i] = 0.25 / (i + 1);
    }
  weight_norms[3] = NAN;  /* Dropout: no weights */
  studio_model_page_set_layer_norms (page, weight_norms, gradient_norms, FASHION_N_LAYERS);
  norms = studio_layer_row_get_norms (studio_model_page_get_row (page, 0));
  g_assert_nonnull (norms);
  g_assert_nonnull (strstr (norms, "1.5"));
  g_assert_nonnull (strstr (norms, "0.25"));
  g_assert_null (studio_layer_row_get_norms (studio_model_page_get_row (page, 3)));
  studio_model_page_clear_layer_norms (page);
  g_assert_null (studio_layer_row_get_norms (studio_model_page_get_row (page, 0)));

  studio_model_page_set_editable (page, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "model.remove-layer", "u", 3));
  g_assert_cmpuint (studio_model_page_get_n_layers (page), ==, FASHION_N_LAYERS - 1);
}

typedef struct
{
  gint64 last;
  gint64 worst;
} LoopGap;

static gboolean
measure_gap (gpointer data)
{
  LoopGap *gap = data;
  gint64 now = g_get_monotonic_time ();

  gap->worst = MAX (gap->worst, now - gap->last);
  gap->last = now;
  return G_SOURCE_CONTINUE;
}

/* The 12.9M-parameter model takes ~0.2 s to build: on the worker, the window stays live. */
static void
test_dogs_vs_cats_responsive (Fixture       *fixture,
                              gconstpointer  data)
{
  StudioModelPage *page = fixture->page;
  g_autoptr(StudioArchitecture) architecture = load_seed_architecture ("dogs-vs-cats.json");
  LoopGap gap = { g_get_monotonic_time (), 0 };
  guint gap_source;
  gint64 start;

  studio_model_page_set_architecture (page, architecture);
  wait_checked (page);
  assert_totals (page, "12,942,786", "12,941,314", "1,472");

  /* Two edits, each timed: a real stall repeats, a hiccup of the machine does not. */
  for (int edit = 0; edit < 2; edit++)
    {
      LoopGap this_gap = { 0, 0 };

      test_settle (0.1);
      this_gap.last = g_get_monotonic_time ();
      gap_source = g_timeout_add (5, measure_gap, &this_gap);
      start = g_get_monotonic_time ();
      studio_model_page_set_layer_field (page, FASHION_DENSE, STUDIO_LAYER_FIELD_UNITS,
                                         edit == 0 ? 128 : 256);
      wait_checked (page);
      g_source_remove (gap_source);
      g_test_message ("Dogs vs. Cats: edit to updated summary %.0f ms (debounce %d ms), worst "
                      "main-loop gap %.0f ms", (g_get_monotonic_time () - start) / 1000.0,
                      STUDIO_MODEL_PAGE_DEBOUNCE_MS, this_gap.worst / 1000.0);
      gap.worst = edit == 0 ? this_gap.worst : MIN (gap.worst, this_gap.worst);
    }
  g_assert_cmpint (g_array_index (studio_model_page_get_architecture (page)->layers,
                                  CnnLayerSpec, FASHION_DENSE).units, ==, 256);
  g_assert_true (studio_model_page_get_valid (page));
  if (test_timing_asserted ())
    g_assert_cmpint (gap.worst, <, 100 * 1000);
}

static double
save_png (GtkWidget  *widget,
          const char *filename)
{
  g_autoptr(GdkTexture) texture = test_render_widget (widget);
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guint8 *pixels = g_malloc (stride * height);
  double sum = 0;

  test_save_texture_png (texture, filename);
  gdk_texture_download (texture, pixels, stride);
  for (gsize i = 0; i < stride * height; i += 4)
    sum += (pixels[i] + pixels[i + 1] + pixels[i + 2]) / 3.0;
  return sum / ((double) width * height);
}

static void
set_prefer_dark (gboolean prefer_dark)
{
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", prefer_dark,
                NULL);
  test_settle (0.3);
}

static void
test_render (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *page = GTK_WIDGET (fixture->page);
  double light, dark;

  test_settle (0.3);
  save_png (page, "model-page-empty.png");
  show_fashion_mnist (fixture);
  studio_model_page_select_layer (fixture->page, FASHION_CONV2D_1);
  test_settle (0.5);
  light = save_png (page, "model-page.png");
  set_prefer_dark (TRUE);
  dark = save_png (page, "model-page-dark.png");
  set_prefer_dark (FALSE);
  g_test_message ("Mean brightness: light %.1f, dark %.1f", light, dark);
  g_assert_cmpfloat (dark + 60, <, light);

  studio_model_page_set_layer_field (fixture->page, FASHION_CONV2D_1,
                                     STUDIO_LAYER_FIELD_KERNEL_HEIGHT, 30);
  wait_checked (fixture->page);
  test_settle (0.3);
  save_png (page, "model-page-error.png");
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
  g_test_add ("/app/model-page/" path, Fixture, NULL, fixture_set_up, function, \
              fixture_tear_down)
  ADD_TEST ("empty-state", test_empty_state);
  ADD_TEST ("fashion-mnist-summary", test_fashion_mnist_summary);
  ADD_TEST ("edit-dense-units", test_edit_dense_units);
  ADD_TEST ("impossible-stack", test_impossible_stack);
  ADD_TEST ("remove-and-reorder", test_remove_and_reorder);
  ADD_TEST ("json-round-trip", test_json_round_trip);
  ADD_TEST ("training-state", test_training_state);
  ADD_TEST ("dogs-vs-cats-responsive", test_dogs_vs_cats_responsive);
  ADD_TEST ("render", test_render);
#undef ADD_TEST

  return g_test_run ();
}
