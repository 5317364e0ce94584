/* test-workflow-folder.c — the Dogs-vs-Cats workflow end to end in the real window, on a
 * generated Kaggle-layout folder: load, augment, train, predict, filter, export, inspect. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "studio-window.h"
#include "test-app.h"

#define WAIT_SECONDS 60
#define IMAGE_SIZE 32
#define N_PER_CLASS 20

static StudioApplication *application;
static char *work_dir;

/* A red disc (cat) or a blue square (dog) on grey, placed and sized by `n`. */
static GdkPixbuf *
draw_pet (gboolean cat,
          guint    n)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, IMAGE_SIZE, IMAGE_SIZE);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  double cx = 12 + n % 8, cy = 12 + (n * 3) % 8, radius = 7 + n % 4;

  for (int y = 0; y < IMAGE_SIZE; y++)
    for (int x = 0; x < IMAGE_SIZE; x++)
      {
        guint8 *p = pixels + y * stride + x * 3;
        gboolean inside = cat ? hypot (x - cx, y - cy) <= radius
                              : fabs (x - cx) <= radius && fabs (y - cy) <= radius;

        p[0] = inside && cat ? 220 : 90;
        p[1] = 90;
        p[2] = inside && !cat ? 220 : 90;
      }
  return pixbuf;
}

static char *
make_folder (void)
{
  char *folder = g_build_filename (work_dir, "pets", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  for (guint n = 0; n < N_PER_CLASS; n++)
    {
      g_autoptr(GdkPixbuf) cat = draw_pet (TRUE, n);
      g_autoptr(GdkPixbuf) dog = draw_pet (FALSE, n);
      g_autofree char *cat_path = g_strdup_printf ("%s/cat.%u.png", folder, n);
      g_autofree char *dog_path = g_strdup_printf ("%s/dog.%u.jpg", folder, n);

      g_assert_true (gdk_pixbuf_save (cat, cat_path, "png", &error, NULL));
      g_assert_true (gdk_pixbuf_save (dog, dog_path, "jpeg", &error, "quality", "95", NULL));
    }
  /* Two files a user's folder might hold: a truncated JPEG and an empty PNG. */
  {
    g_autofree char *broken = g_build_filename (folder, "cat.900.jpg", NULL);
    g_autofree char *empty = g_build_filename (folder, "dog.901.png", NULL);

    g_assert_true (g_file_set_contents (broken, "\xff\xd8\xff\xe0 not really", -1, &error));
    g_assert_true (g_file_set_contents (empty, "", 0, &error));
  }
  return folder;
}

/* Keras's model.to_json() of a small CNN for 32 × 32 × 3 images and two classes. */
static const char small_model_json[] =
  "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"small\", \"layers\": ["
  "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 32, 32, 3],"
  " \"name\": \"input\"}},"
  "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"conv2d\", \"filters\": 6,"
  " \"kernel_size\": [3, 3], \"strides\": [1, 1], \"padding\": \"valid\","
  " \"activation\": \"relu\", \"use_bias\": true}},"
  "{\"class_name\": \"MaxPooling2D\", \"config\": {\"name\": \"max_pooling2d\","
  " \"pool_size\": [2, 2], \"strides\": [2, 2], \"padding\": \"valid\"}},"
  "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"conv2d_1\", \"filters\": 4,"
  " \"kernel_size\": [3, 3], \"strides\": [2, 2], \"padding\": \"same\","
  " \"activation\": \"relu\", \"use_bias\": true}},"
  "{\"class_name\": \"Flatten\", \"config\": {\"name\": \"flatten\"}},"
  "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense\", \"units\": 2,"
  " \"activation\": \"softmax\", \"use_bias\": true}}]}}";

static gboolean
is_done_loading (gpointer window)
{
  return !studio_window_get_loading (window);
}

static gboolean
is_idle (gpointer window)
{
  return !studio_session_is_running (studio_window_get_session (window));
}

static gboolean
has_predictions (gpointer window)
{
  return !studio_window_get_predicting (window)
         && studio_predictions_page_get_n_results (studio_window_get_predictions_page (window))
            > 0;
}

typedef struct {
  StudioAugmentPreview *preview;
  guint n_rendered;
} RenderWait;

static gboolean
rendered_again (gpointer data)
{
  RenderWait *wait = data;

  return studio_augment_preview_get_n_rendered (wait->preview) > wait->n_rendered
         && !studio_augment_preview_get_busy (wait->preview);
}

typedef struct {
  StudioLayersView *view;
  guint n_shown;
} LayersWait;

static gboolean
layers_shown (gpointer data)
{
  LayersWait *wait = data;

  return studio_layers_view_get_n_shown (wait->view) > wait->n_shown
         && !studio_layers_view_get_busy (wait->view);
}

static void
show_and_render (StudioWindow *window,
                 const char   *page,
                 const char   *png)
{
  studio_window_show_page (window, page);
  /* Let the stack's crossfade end and the page lay out. */
  for (int i = 0; i < 40; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
    }
  test_save_widget_png (GTK_WIDGET (window), png);
}

/* The rows of a CSV file (CRLF lines, no quoted commas in what we wrote), header first. */
static GPtrArray *
read_csv (const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (text, "\r\n"));
  lines = g_strsplit (text, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_ptr_array_add (rows, g_strsplit (lines[i], ",", -1));
  return rows;
}

static int
column_of (GPtrArray  *rows,
           const char *name)
{
  char **header = g_ptr_array_index (rows, 0);

  for (int i = 0; header[i] != NULL; i++)
    if (g_str_equal (header[i], name))
      return i;
  g_assert_not_reached ();
}

static void
open_folder (StudioWindow *window,
             const char   *folder)
{
  StudioDataPage *data_page = studio_window_get_data_page (window);
  StudioSkippedList *skipped = studio_data_page_get_skipped_list (data_page);
  StudioDataset *dataset;

  studio_data_page_set_target_size (data_page, IMAGE_SIZE, IMAGE_SIZE, 3);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-dataset-path", "s", folder);
  g_assert_true (studio_window_get_loading (window));
  g_assert_true (test_wait_until (is_done_loading, window, WAIT_SECONDS));

  dataset = studio_window_get_dataset (window);
  g_assert_nonnull (dataset);
  g_assert_cmpuint (studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TRAIN), ==,
                    2 * N_PER_CLASS);
  g_assert_cmpint (studio_dataset_get_height (dataset), ==, IMAGE_SIZE);
  g_assert_cmpint (studio_dataset_get_channels (dataset), ==, 3);
  g_assert_cmpstr (studio_data_page_get_found_text (data_page), ==,
                   "Found 40 validated image filenames belonging to 2 classes.");
  g_assert_cmpuint (studio_skipped_list_get_n_items (skipped), ==, 2);
  g_assert_cmpstr (studio_skipped_list_get_name (skipped, 0), ==, "cat.900.jpg");
  g_assert_cmpstr (studio_skipped_list_get_name (skipped, 1), ==, "dog.901.png");
  g_assert_cmpstr (studio_data_page_get_fact (data_page, STUDIO_DATA_FACT_IMAGE_SIZE), ==,
                   "32 × 32 × 3");
  /* The session trains on it. */
  g_assert_true (studio_session_get_dataset (studio_window_get_session (window)) == dataset);
}

static void
change_augmentation (StudioWindow *window)
{
  StudioDataPage *data_page = studio_window_get_data_page (window);
  StudioAugmentPreview *preview = studio_data_page_get_augment_preview (data_page);
  RenderWait wait = { preview, 0 };
  StudioAugmentSettings settings;
  g_autofree char *before = NULL;

  studio_data_page_set_view (data_page, "augmentation");
  studio_augment_preview_set_augment_enabled (preview, TRUE);
  wait.n_rendered = 0;
  g_assert_true (test_wait_until (rendered_again, &wait, WAIT_SECONDS));
  before = g_strdup (studio_augment_preview_get_tile_description (preview, 0));

  studio_data_page_get_augment_settings (data_page, &settings);
  settings.rotation_range = 90;
  settings.horizontal_flip = TRUE;
  wait.n_rendered = studio_augment_preview_get_n_rendered (preview);
  studio_data_page_set_augment_settings (data_page, &settings);
  g_assert_true (test_wait_until (rendered_again, &wait, WAIT_SECONDS));
  g_assert_cmpstr (studio_augment_preview_get_tile_description (preview, 0), !=, before);

  /* One setting: the Training page's switch follows the Data page's. */
  g_assert_true (gtk_switch_get_active (studio_training_page_get_augment_switch (
                   studio_window_get_training_page (window))));
  show_and_render (window, "data", "workflow-data.png");
}

static void
open_model_and_train (StudioWindow *window)
{
  g_autofree char *model_path = g_build_filename (work_dir, "small.json", NULL);
  StudioSession *session = studio_window_get_session (window);
  StudioTrainingConfig config;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (model_path, small_model_json, -1, &error));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-model-path", "s", model_path);
  g_assert_nonnull (studio_session_get_model (session));
  g_assert_cmpint (cnn_model_n_layers (studio_session_get_model (session)), ==, 5);

  config = *studio_session_get_config (session);
  config.epochs = 3;
  config.batch_size = 8;
  config.validation_split = 0.25;
  config.optimizer.learning_rate = 0.01;
  studio_training_page_show_config (studio_window_get_training_page (window), &config);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL));
  g_assert_true (studio_session_is_running (session));
  /* The run uses the Data page's augmentation, with the rescale the user set. */
  config = *studio_session_get_config (session);
  g_assert_cmpfloat (config.augment.rotation_range, ==, 90);
  g_assert_true (config.augment.horizontal_flip);
  g_assert_cmpfloat_with_epsilon (config.augment.rescale, 1.0 / 255, 1e-9);
  g_assert_true (test_wait_until (is_idle, window, WAIT_SECONDS));
  g_assert_cmpint (studio_session_get_epochs_done (session), ==, 3);
  show_and_render (window, "training", "workflow-training.png");
}

static const char *const class_names[] = { "cat", "dog" };

/* The grid's counts for the wrong-only and right-only filters and for every confusion cell
 * (as a click picks it) match the exported CSV. */
static void
check_filters_against_csv (StudioPredictionsPage *page,
                           GPtrArray             *rows)
{
  StudioConfusionMatrix *matrix = studio_predictions_page_get_confusion_matrix (page);
  int true_column = column_of (rows, "true_class");
  int predicted_column = column_of (rows, "predicted_class");
  int correct_column = column_of (rows, "correct");
  guint n_wrong = 0, n_right = 0, n_cell[2][2] = { { 0 } };

  for (guint i = 1; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      n_wrong += g_str_equal (row[correct_column], "0");
      n_right += g_str_equal (row[correct_column], "1");
      for (guint t = 0; t < 2; t++)
        for (guint p = 0; p < 2; p++)
          n_cell[t][p] += g_str_equal (row[true_column], class_names[t])
                          && g_str_equal (row[predicted_column], class_names[p]);
    }
  g_assert_cmpuint (n_wrong + n_right, ==, rows->len - 1);

  studio_predictions_page_set_verdict (page, STUDIO_PREDICTION_SHOW_WRONG);
  g_assert_cmpuint (studio_predictions_page_get_n_shown (page), ==, n_wrong);
  studio_predictions_page_set_verdict (page, STUDIO_PREDICTION_SHOW_CORRECT);
  g_assert_cmpuint (studio_predictions_page_get_n_shown (page), ==, n_right);
  studio_predictions_page_set_verdict (page, STUDIO_PREDICTION_SHOW_ALL);

  for (guint t = 0; t < 2; t++)
    for (guint p = 0; p < 2; p++)
      {
        studio_confusion_matrix_activate_cell (matrix, t, p);
        g_assert_cmpint (studio_predictions_page_get_true_filter (page), ==, (int) t);
        g_assert_cmpint (studio_predictions_page_get_predicted_filter (page), ==, (int) p);
        g_assert_cmpuint (studio_predictions_page_get_n_shown (page), ==, n_cell[t][p]);
        g_assert_cmpuint (studio_confusion_matrix_get_count (matrix, t, p), ==, n_cell[t][p]);
      }
  studio_predictions_page_set_true_filter (page, -1);
  studio_predictions_page_set_predicted_filter (page, -1);
  g_assert_cmpuint (studio_predictions_page_get_n_shown (page), ==, rows->len - 1);
}

static void
check_kaggle_csv (GPtrArray  *detailed,
                  const char *path)
{
  g_autoptr(GPtrArray) kaggle = read_csv (path);
  int predicted_column = column_of (detailed, "predicted_class");

  g_assert_cmpstr (((char **) g_ptr_array_index (kaggle, 0))[0], ==, "id");
  g_assert_cmpstr (((char **) g_ptr_array_index (kaggle, 0))[1], ==, "label");
  g_assert_cmpuint (kaggle->len, ==, detailed->len);
  for (guint i = 1; i < kaggle->len; i++)
    {
      char **row = g_ptr_array_index (kaggle, i);
      char **full = g_ptr_array_index (detailed, i);
      g_autofree char *id = g_strndup (full[0], strrchr (full[0], '.') - full[0]);

      /* "cat.7.png" → id "cat.7"; label 1 is "dog", Kaggle's convention. */
      g_assert_cmpstr (row[0], ==, id);
      g_assert_cmpstr (row[1], ==, g_str_equal (full[predicted_column], "dog") ? "1" : "0");
    }
}

static void
predict_and_export (StudioWindow *window)
{
  StudioPredictionsPage *page = studio_window_get_predictions_page (window);
  g_autofree char *csv_path = g_build_filename (work_dir, "predictions.csv", NULL);
  g_autofree char *kaggle_path = g_build_filename (work_dir, "submission.csv", NULL);
  g_autoptr(GPtrArray) rows = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.predict", NULL));
  g_assert_true (studio_window_get_predicting (window));
  g_assert_true (studio_predictions_page_get_busy (page));
  g_assert_true (test_wait_until (has_predictions, window, WAIT_SECONDS));
  g_assert_false (studio_predictions_page_get_busy (page));
  g_assert_cmpstr (studio_window_get_visible_page (window), ==, "predictions");
  /* No test folder: the validation quarter of the training images, whose labels are known. */
  g_assert_cmpuint (studio_predictions_page_get_n_results (page), ==, 10);
  g_assert_true (studio_predictions_page_has_labels (page));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.export-predictions-path", "s",
                              csv_path);
  rows = read_csv (csv_path);
  g_assert_cmpuint (rows->len, ==, 11);
  check_filters_against_csv (page, rows);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.export-predictions-kaggle-path", "s",
                              kaggle_path);
  check_kaggle_csv (rows, kaggle_path);
  show_and_render (window, "predictions", "workflow-predictions.png");
}

static void
remember_sample (StudioPredictionsPage *page,
                 int                    split,
                 guint64                index,
                 guint64               *activated)
{
  *activated = index;
}

static void
inspect_layers (StudioWindow *window)
{
  StudioPredictionsPage *page = studio_window_get_predictions_page (window);
  StudioLayersView *view = studio_window_get_layers_view (window);
  CnnModel *model = studio_session_get_model (studio_window_get_session (window));
  LayersWait wait = { view, studio_layers_view_get_n_shown (view) };
  guint64 activated = G_MAXUINT64;

  g_signal_connect (page, "sample-activated", G_CALLBACK (remember_sample), &activated);
  studio_predictions_page_select (page, 3);
  g_signal_handlers_disconnect_by_data (page, &activated);
  g_assert_cmpuint (activated, <, 2 * N_PER_CLASS);
  studio_window_show_page (window, "layers");
  g_assert_true (test_wait_until (layers_shown, &wait, WAIT_SECONDS));
  g_assert_cmpuint (studio_layers_view_get_n_layers (view), ==,
                    (guint) cnn_model_n_layers (model));
  /* The image selected on the Predictions page is the one inspected. */
  g_assert_cmpuint (studio_layers_view_get_image_index (view), ==, activated);
  for (int layer = 0; layer < cnn_model_n_layers (model); layer++)
    {
      CnnLayerInfo info;
      StudioChannelGrid *grid = studio_layers_view_get_output_grid (view, (guint) layer);

      cnn_model_layer_info (model, layer, &info);
      g_assert_nonnull (grid);
      if (info.output_shape[1] == 0)
        continue;  /* Flatten and Dense: a bar strip of units, not channel tiles */
      g_assert_cmpuint (studio_channel_grid_get_n_tiles (grid), ==, (guint) info.output_shape[2]);
    }
  g_assert_nonnull (studio_layers_view_get_filter_grid (view, 0));
  show_and_render (window, "layers", "workflow-layers.png");
  show_and_render (window, "model", "workflow-model.png");
}

static void
test_folder_workflow (void)
{
  g_autofree char *folder = make_folder ();
  StudioWindow *window = studio_window_new (application);

  gtk_window_set_default_size (GTK_WINDOW (window), 1180, 780);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (test_wait_until (test_is_mapped, window, WAIT_SECONDS));

  open_folder (window, folder);
  change_augmentation (window);
  open_model_and_train (window);
  predict_and_export (window);
  inspect_layers (window);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_setenv ("LANGUAGE", "C", TRUE);
  if (!test_app_init (&argc, &argv))
    return 0;
  application = studio_application_new ();
  g_application_set_flags (G_APPLICATION (application),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_application_register (G_APPLICATION (application), NULL, &error);
  g_assert_no_error (error);
  work_dir = g_dir_make_tmp ("convstudio-workflow-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/app/workflow/folder", test_folder_workflow);
  status = g_test_run ();

  g_clear_object (&application);
  g_free (work_dir);
  return status;
}
