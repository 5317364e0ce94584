/* test-training.c — trains in the real window under Xvfb: plots, table, exports, latency. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "studio-application.h"
#include "studio-window.h"
#include "test-app.h"

#define WAIT_SECONDS 90
/* 960 training and 240 validation images: 10 batches of 96 per epoch. */
#define TRAINING_LIMIT 1200

static StudioApplication *application;

static gboolean
is_done_loading (gpointer window)
{
  return !studio_window_get_loading (window);
}

static gboolean
can_train (gpointer window)
{
  return gtk_widget_activate_action (window, "win.show-page", "s", "training")
         && studio_session_get_model (studio_window_get_session (window)) != NULL
         && studio_session_check_ready (studio_window_get_session (window), NULL);
}

static gboolean
has_layers (gpointer window)
{
  CnnModel *model = studio_session_get_model (studio_window_get_session (window));

  return model != NULL
         && cnn_model_n_layers (model) == GPOINTER_TO_INT (g_object_get_data (window, "layers"));
}

/* Runs the main loop until training ends; returns the worst gap between two main-loop
 * iterations in ms (a 1 ms timeout keeps the loop waking). */
static double
wait_for_training (StudioSession *session)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  guint tick = g_timeout_add (1, test_keep_waking, NULL);
  gint64 last = g_get_monotonic_time ();
  gint64 worst = 0;

  while (studio_session_is_running (session) && g_get_monotonic_time () < deadline)
    {
      gint64 now;

      g_main_context_iteration (NULL, TRUE);
      now = g_get_monotonic_time ();
      if (now - last > 30000)
        g_test_message ("gap of %.0f ms at batch %u", (now - last) / 1000.0,
                        studio_session_get_batch_points (session)->len);
      worst = MAX (worst, now - last);
      last = now;
    }
  g_source_remove (tick);
  g_assert_false (studio_session_is_running (session));
  return worst / 1000.0;
}

static int
natural_width (gpointer widget)
{
  int minimum, natural;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  return natural;
}

/* With Fashion-MNIST loaded, the window fits a 1024×700 screen and neither the Model page nor
 * the Training page asks for more than ~1000 pixels. */
static void
assert_fits_small_screens (StudioWindow *window)
{
  int minimum_width, minimum_height;

  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum_width,
                      NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_VERTICAL, minimum_width,
                      &minimum_height, NULL, NULL, NULL);
  g_test_message ("minimum window size %d×%d; natural widths: Model page %d, Training page %d",
                  minimum_width, minimum_height,
                  natural_width (studio_window_get_model_page (window)),
                  natural_width (studio_window_get_training_page (window)));
  g_assert_cmpint (minimum_width, <=, 1024);
  g_assert_cmpint (minimum_height, <=, 700);
  g_assert_cmpint (natural_width (studio_window_get_model_page (window)), <=, 1000);
  g_assert_cmpint (natural_width (studio_window_get_training_page (window)), <=, 1000);
}

static void
configure_one_epoch (StudioWindow *window)
{
  StudioTrainingConfig config;

  studio_training_config_init_recipe (&config, "fashion-mnist");
  config.epochs = 1;
  config.batch_size = 96;
  studio_training_page_show_config (studio_window_get_training_page (window), &config);
  studio_window_set_training_limit (window, TRAINING_LIMIT);
}

static void
check_exports (StudioWindow *window)
{
  g_autofree char *csv_path = test_output_path ("training-history.csv");
  g_autofree char *png_path = test_output_path ("training-plot.png");
  g_autofree char *svg_path = test_output_path ("training-plot.svg");
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  g_unlink (csv_path);
  g_unlink (png_path);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.export-history-path", "s", csv_path);
  g_assert_true (g_file_get_contents (csv_path, &contents, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (g_strchomp (contents), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_true (g_str_has_prefix (lines[0], "epoch,loss,accuracy,val_loss,val_accuracy,lr"));
  g_assert_true (g_str_has_prefix (lines[1], "1,"));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.export-plot-path", "s", png_path);
  pixbuf = gdk_pixbuf_new_from_file (png_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 1200);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.export-plot-path", "s", svg_path);
  g_assert_true (g_file_test (svg_path, G_FILE_TEST_IS_REGULAR));
}

static void
check_save_and_open (StudioWindow *window)
{
  StudioSession *session = studio_window_get_session (window);
  g_autofree char *path = test_output_path ("training-model.safetensors");

  g_unlink (path);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save-model-path", "s", path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-model-path", "s", path);
  g_assert_cmpint (studio_session_get_epochs_done (session), ==, 1);
  g_assert_cmpuint (studio_epoch_table_get_n_rows (studio_training_page_get_epoch_table (
                      studio_window_get_training_page (window))), ==, 1);
  g_unlink (path);
}

static void
test_train_one_epoch (void)
{
  StudioWindow *window = studio_window_new (application);
  StudioSession *session = studio_window_get_session (window);
  StudioTrainingPage *page = studio_window_get_training_page (window);
  StudioModelPage *model_page = studio_window_get_model_page (window);
  const char *folder = g_getenv ("FASHION_MNIST_DIR");
  g_autofree char *log = NULL;
  int n_layers;
  double worst_gap_ms;

  gtk_window_set_default_size (GTK_WINDOW (window), 1180, 780);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (test_wait_until (test_is_mapped, window, WAIT_SECONDS));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-dataset-path", "s",
                              folder != NULL ? folder : FASHION_MNIST_DIR);
  g_assert_true (test_wait_until (is_done_loading, window, WAIT_SECONDS));
  g_assert_true (test_wait_until (can_train, window, WAIT_SECONDS));

  assert_fits_small_screens (window);

  /* An edit on the Model page reaches the session's model. */
  n_layers = cnn_model_n_layers (studio_session_get_model (session));
  studio_model_page_add_layer (model_page, studio_model_page_get_n_layers (model_page) - 1,
                               CNN_LAYER_DROPOUT);
  g_object_set_data (G_OBJECT (window), "layers", GINT_TO_POINTER (n_layers + 1));
  g_assert_true (test_wait_until (has_layers, window, WAIT_SECONDS));

  configure_one_epoch (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL));
  g_assert_true (studio_session_is_running (session));
  g_assert_false (studio_model_page_get_editable (model_page));
  g_assert_cmpstr (studio_window_get_visible_page (window), ==, "training");
  worst_gap_ms = wait_for_training (session);
  g_test_message ("worst main-loop gap during training: %.1f ms", worst_gap_ms);
  test_wait_until (test_never, NULL, 0.3);

  g_assert_true (studio_model_page_get_editable (model_page));
  g_assert_cmpuint (studio_plot_get_n_batch_points (studio_training_page_get_plot (page)), ==, 10);
  g_assert_cmpuint (studio_plot_get_n_epochs (studio_training_page_get_plot (page)), ==, 1);
  g_assert_cmpuint (studio_epoch_table_get_n_rows (studio_training_page_get_epoch_table (page)),
                    ==, 1);
  log = studio_training_page_get_log_text (page);
  g_assert_nonnull (strstr (log, "Epoch 1/1"));
  g_assert_nonnull (strstr (log, "10/10 - "));

  check_exports (window);
  test_save_widget_png (GTK_WIDGET (window), "window-training.png");
  check_save_and_open (window);
  if (test_timing_asserted ())
    g_assert_cmpfloat (worst_gap_ms, <, 100);

  gtk_window_destroy (GTK_WINDOW (window));
  test_wait_until (test_never, NULL, 0.1);
}

/* A fresh user (memory backend) gets the course's recipe, and a choice outlives the window. */
static void
test_settings_defaults (void)
{
  StudioWindow *window = studio_window_new (application);
  StudioTrainingConfig config;
  GSettings *settings = studio_application_get_settings (application);

  g_assert_nonnull (settings);
  studio_training_config_init (&config);
  studio_training_page_read_config (studio_window_get_training_page (window), &config);
  g_assert_cmpint (config.batch_size, ==, 200);
  g_assert_cmpfloat_with_epsilon (config.validation_split, 0.2, 1e-9);
  g_assert_cmpint (config.optimizer.type, ==, CNN_OPTIMIZER_ADAM);
  g_assert_true (config.has_early_stopping);
  g_assert_cmpint (config.early_stopping.patience, ==, 10);
  g_assert_true (config.has_reduce_lr);
  g_assert_cmpstr (config.reduce_lr.monitor, ==, "val_accuracy");
  g_assert_cmpint (config.reduce_lr.patience, ==, 2);
  g_assert_cmpfloat_with_epsilon (config.reduce_lr.factor, 0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (config.reduce_lr.min_lr, 1e-5, 1e-12);

  config.batch_size = 64;
  config.reduce_lr.patience = 3;
  studio_training_page_show_config (studio_window_get_training_page (window), &config);
  g_assert_cmpint (g_settings_get_int (settings, "batch-size"), ==, 64);
  gtk_window_destroy (GTK_WINDOW (window));

  window = studio_window_new (application);
  studio_training_config_init (&config);
  studio_training_page_read_config (studio_window_get_training_page (window), &config);
  g_assert_cmpint (config.batch_size, ==, 64);
  g_assert_cmpint (config.reduce_lr.patience, ==, 3);
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "batch-size");
  g_settings_reset (settings, "reduce-lr-patience");
}

static GtkWidget *
find_close_dialog (StudioWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* owned by GTK */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (GTK_IS_MESSAGE_DIALOG (toplevel)
          && gtk_window_get_transient_for (toplevel) == GTK_WINDOW (window)
          && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return GTK_WIDGET (toplevel);
    }
  return NULL;
}

static gboolean
has_close_dialog (gpointer window)
{
  return find_close_dialog (window) != NULL;
}

static gboolean
is_cleared (gpointer pointer_location)
{
  return *(gpointer *) pointer_location == NULL;
}

/* Closing during a run asks; Keep Training keeps it; Stop and Close stops and closes. */
static void
test_close_while_training (void)
{
  StudioWindow *window = studio_window_new (application);
  StudioSession *session = studio_window_get_session (window);
  const char *folder = g_getenv ("FASHION_MNIST_DIR");
  gpointer window_pointer = window;
  gpointer session_pointer = session;
  StudioTrainingConfig config;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (test_wait_until (test_is_mapped, window, WAIT_SECONDS));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-dataset-path", "s",
                              folder != NULL ? folder : FASHION_MNIST_DIR);
  g_assert_true (test_wait_until (is_done_loading, window, WAIT_SECONDS));
  g_assert_true (test_wait_until (can_train, window, WAIT_SECONDS));

  /* Many short epochs: the run outlasts the dialog's back and forth. */
  studio_training_config_init_recipe (&config, "fashion-mnist");
  config.epochs = 1000;
  config.batch_size = 50;
  config.has_early_stopping = FALSE;
  studio_training_page_show_config (studio_window_get_training_page (window), &config);
  studio_window_set_training_limit (window, 500);
  g_assert_true (studio_window_train (window));

  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (test_wait_until (has_close_dialog, window, 5));
  gtk_dialog_response (GTK_DIALOG (find_close_dialog (window)), GTK_RESPONSE_CANCEL);
  test_wait_until (test_never, NULL, 0.3);
  g_assert_null (find_close_dialog (window));
  g_assert_true (studio_session_is_running (session));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));

  g_object_add_weak_pointer (G_OBJECT (window), &window_pointer);
  g_object_add_weak_pointer (G_OBJECT (session), &session_pointer);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (test_wait_until (has_close_dialog, window, 5));
  gtk_dialog_response (GTK_DIALOG (find_close_dialog (window)), GTK_RESPONSE_CLOSE);
  g_assert_true (test_wait_until (is_cleared, &window_pointer, WAIT_SECONDS));
  g_assert_true (test_wait_until (is_cleared, &session_pointer, WAIT_SECONDS));
}

int
main (int   argc,
      char *argv[])
{
  g_auto(GStrv) system_data_dirs = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_setenv ("LANGUAGE", "C", TRUE);
  system_data_dirs = test_get_system_data_dirs ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!gtk_init_check ())
    {
      printf ("1..0 # SKIP no display\n");
      return 0;
    }

  test_use_system_data_dirs ((const char * const *) system_data_dirs);
  application = studio_application_new ();
  g_application_set_flags (G_APPLICATION (application),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_application_register (G_APPLICATION (application), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/app/training/settings-defaults", test_settings_defaults);
  g_test_add_func ("/app/training/train-one-epoch", test_train_one_epoch);
  g_test_add_func ("/app/training/close-while-training", test_close_while_training);
  status = g_test_run ();

  g_clear_object (&application);
  return status;
}
