/* studio-window-actions.c — the window's actions: datasets, pages, training, models, exports. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "studio-window-private.h"

static void
on_file_chooser_response (GtkNativeDialog *dialog,
                          int              response,
                          StudioWindow    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        studio_window_open_dataset (self, path);
      else
        studio_data_page_show_error (self->data_page,
                                     _("Only local files and folders can be opened."));
    }

  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->file_chooser);
}

/* Starts the chooser where the current dataset lives, or in the default dataset folder. */
static void
set_initial_folder (StudioWindow   *self,
                    GtkFileChooser *chooser)
{
  StudioDataset *dataset = studio_window_get_dataset (self);
  const char *source = dataset != NULL ? studio_dataset_get_source (dataset) : NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GFile) file = NULL;

  if (source != NULL)
    folder = g_path_get_dirname (source);
  else if (g_file_test (studio_dataset_default_path (), G_FILE_TEST_IS_DIR))
    folder = g_strdup (studio_dataset_default_path ());
  if (folder == NULL)
    return;

  file = g_file_new_for_path (folder);
  gtk_file_chooser_set_current_folder (chooser, file, NULL);
}

static void
add_dataset_filter (GtkFileChooser *chooser,
                    const char     *name,
                    const char     *pattern,
                    const char     *second_pattern)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  if (second_pattern != NULL)
    gtk_file_filter_add_pattern (filter, second_pattern);
  gtk_file_chooser_add_filter (chooser, filter);
}

/* A file chooser for a dataset: a folder, or a file whose filter `kind` offers first
 * ("idx" or "csv"). */
static void
show_file_chooser (StudioWindow         *self,
                   GtkFileChooserAction  action,
                   const char           *title,
                   const char           *kind)
{
  GtkFileChooserNative *chooser;

  if (self->file_chooser != NULL)
    {
      gtk_native_dialog_show (self->file_chooser);
      return;
    }

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action,
                                         _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (g_strcmp0 (kind, "idx") == 0)
    add_dataset_filter (GTK_FILE_CHOOSER (chooser), _("IDX Image Files"), "*idx3-ubyte",
                        "*idx3-ubyte.gz");
  else if (g_strcmp0 (kind, "csv") == 0)
    /* Translators: a file filter: a CSV of filename,category rows beside the images. */
    add_dataset_filter (GTK_FILE_CHOOSER (chooser), _("CSV Files of Image Names"), "*.csv",
                        "*.CSV");
  if (action == GTK_FILE_CHOOSER_ACTION_OPEN)
    add_dataset_filter (GTK_FILE_CHOOSER (chooser), _("All Files"), "*", NULL);
  set_initial_folder (self, GTK_FILE_CHOOSER (chooser));

  self->file_chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chooser_response), self);
  gtk_native_dialog_show (self->file_chooser);
}

static void
open_dataset_folder_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  show_file_chooser (STUDIO_WINDOW (widget), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                     _("Open Dataset Folder"), NULL);
}

static void
open_idx_file_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  show_file_chooser (STUDIO_WINDOW (widget), GTK_FILE_CHOOSER_ACTION_OPEN,
                     _("Open IDX Images File"), "idx");
}

static void
open_csv_file_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  show_file_chooser (STUDIO_WINDOW (widget), GTK_FILE_CHOOSER_ACTION_OPEN,
                     _("Open a CSV of Image Files"), "csv");
}

static void
open_dataset_path_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  studio_window_open_dataset (STUDIO_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
cancel_loading_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  studio_window_cancel_loading (STUDIO_WINDOW (widget));
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  studio_window_show_page (STUDIO_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* ---------------------------------------------------------------- training */

static void
train_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  studio_window_train (STUDIO_WINDOW (widget));
}

static void
pause_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  StudioSession *session = STUDIO_WINDOW (widget)->session;

  if (studio_session_get_state (session) == STUDIO_SESSION_PAUSED)
    studio_session_resume (session);
  else
    studio_session_pause (session);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  studio_session_stop (STUDIO_WINDOW (widget)->session);
}

/* ---------------------------------------------------------------- files of a run */

typedef gboolean (*PathHandler) (StudioWindow *self, const char *path, GError **error);

static gboolean
export_history (StudioWindow  *self,
                const char    *path,
                GError       **error)
{
  return studio_training_page_export_history (self->training_page, path, error);
}

static gboolean
export_plot (StudioWindow  *self,
             const char    *path,
             GError       **error)
{
  StudioPlot *plot = studio_training_page_get_plot (self->training_page);

  return studio_plot_export (plot, path, 1200, 900, error);
}

static gboolean
save_model (StudioWindow  *self,
            const char    *path,
            GError       **error)
{
  gboolean saved = studio_window_save_model (self, path, error);

  if (saved && self->close_after_save)
    {
      self->close_after_save = FALSE;
      gtk_window_close (GTK_WINDOW (self));
    }
  return saved;
}

static gboolean
export_predictions (StudioWindow  *self,
                    const char    *path,
                    GError       **error)
{
  return studio_window_export_predictions (self, path, FALSE, error);
}

static gboolean
export_kaggle_predictions (StudioWindow  *self,
                           const char    *path,
                           GError       **error)
{
  return studio_window_export_predictions (self, path, TRUE, error);
}

/* Runs `handler` on `path`; a failure is shown on the Training page in the user's words. */
static void
run_path_handler (StudioWindow *self,
                  PathHandler   handler,
                  const char   *path)
{
  g_autoptr(GError) error = NULL;

  if (handler (self, path, &error))
    return;
  studio_training_page_show_error (self->training_page, error->message);
  studio_window_show_page (self, "training");
}

static void
on_path_chosen (GtkNativeDialog *dialog,
                int              response,
                StudioWindow    *self)
{
  PathHandler handler = g_object_get_data (G_OBJECT (dialog), "path-handler");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        run_path_handler (self, handler, path);
    }
  else
    self->close_after_save = FALSE;
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *pattern)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_auto(GStrv) patterns = g_strsplit (pattern, " ", -1);

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; patterns[i] != NULL; i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

static GtkFileChooser *
path_chooser_new (StudioWindow          *self,
                  GtkFileChooserAction   action,
                  const char            *title,
                  const char            *accept_label,
                  const char            *current_name,
                  PathHandler            handler)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action,
                                                               accept_label, _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (current_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), current_name);
  g_object_set_data (G_OBJECT (chooser), "path-handler", handler);
  g_signal_connect (chooser, "response", G_CALLBACK (on_path_chosen), self);
  return GTK_FILE_CHOOSER (chooser);
}

void
studio_window_choose_model_file (StudioWindow *self,
                                 gboolean      then_close)
{
  GtkFileChooser *chooser = path_chooser_new (self, GTK_FILE_CHOOSER_ACTION_SAVE,
                                              _("Save Model"), _("_Save"),
                                              "model.safetensors", save_model);

  self->close_after_save = then_close;
  add_filter (chooser, _("Model Files"), "*.safetensors");
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
save_model_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  studio_window_choose_model_file (STUDIO_WINDOW (widget), FALSE);
}

static void
open_model_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GtkFileChooser *chooser = path_chooser_new (STUDIO_WINDOW (widget),
                                              GTK_FILE_CHOOSER_ACTION_OPEN, _("Open Model"),
                                              _("_Open"), NULL, studio_window_open_model);

  add_filter (chooser, _("Models and Keras JSON"), "*.safetensors *.json");
  add_filter (chooser, _("All Files"), "*");
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_history_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  GtkFileChooser *chooser = path_chooser_new (STUDIO_WINDOW (widget),
                                              GTK_FILE_CHOOSER_ACTION_SAVE,
                                              _("Export History CSV"), _("_Export"),
                                              "history.csv", export_history);

  add_filter (chooser, _("CSV Files"), "*.csv");
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_plot_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GtkFileChooser *chooser = path_chooser_new (STUDIO_WINDOW (widget),
                                              GTK_FILE_CHOOSER_ACTION_SAVE,
                                              _("Export Plot"), _("_Export"),
                                              "training.png", export_plot);

  add_filter (chooser, _("PNG or SVG Images"), "*.png *.svg");
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* A failed export says why in a dialog: the Predictions page has no banner of its own. */
static void
export_predictions_path (StudioWindow *self,
                         PathHandler   handler,
                         const char   *path)
{
  g_autoptr(GError) error = NULL;

  if (!handler (self, path, &error))
    studio_window_show_problem (self, _("Could Not Export the Predictions"), error->message);
}

/* ---------------------------------------------------------------- predictions */

static void
predict_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  studio_window_predict (STUDIO_WINDOW (widget));
}

static void
cancel_predict_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  studio_window_cancel_predict (STUDIO_WINDOW (widget));
}

static void
export_predictions_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  studio_window_choose_predictions_file (STUDIO_WINDOW (widget));
}

static void
install_prediction_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.predict", NULL, predict_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-predict", NULL,
                                   cancel_predict_action);
  gtk_widget_class_install_action (widget_class, "win.export-predictions", NULL,
                                   export_predictions_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "win.predict", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "win.export-predictions", NULL);
}

/* The -path variants do the same without a chooser (scripts and tests). */
static void
path_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  StudioWindow *self = STUDIO_WINDOW (widget);
  const char *path = g_variant_get_string (parameter, NULL);

  if (g_str_equal (action_name, "win.save-model-path"))
    run_path_handler (self, save_model, path);
  else if (g_str_equal (action_name, "win.open-model-path"))
    run_path_handler (self, studio_window_open_model, path);
  else if (g_str_equal (action_name, "win.export-history-path"))
    run_path_handler (self, export_history, path);
  else if (g_str_equal (action_name, "win.export-plot-path"))
    run_path_handler (self, export_plot, path);
  else if (g_str_equal (action_name, "win.export-predictions-path"))
    export_predictions_path (self, export_predictions, path);
  else if (g_str_equal (action_name, "win.export-predictions-kaggle-path"))
    export_predictions_path (self, export_kaggle_predictions, path);
}

static void
install_training_actions (GtkWidgetClass *widget_class)
{
  static const char *const path_actions[] = {
    "win.save-model-path", "win.open-model-path", "win.export-history-path",
    "win.export-plot-path", "win.export-predictions-path",
    "win.export-predictions-kaggle-path",
  };

  gtk_widget_class_install_action (widget_class, "win.train", NULL, train_action);
  gtk_widget_class_install_action (widget_class, "win.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "win.save-model", NULL, save_model_action);
  gtk_widget_class_install_action (widget_class, "win.open-model", NULL, open_model_action);
  gtk_widget_class_install_action (widget_class, "win.export-history", NULL,
                                   export_history_action);
  gtk_widget_class_install_action (widget_class, "win.export-plot", NULL, export_plot_action);
  for (guint i = 0; i < G_N_ELEMENTS (path_actions); i++)
    gtk_widget_class_install_action (widget_class, path_actions[i], "s", path_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "win.train", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "win.train", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_period, GDK_CONTROL_MASK,
                                       "win.pause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.stop", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "win.save-model", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK,
                                       "win.open-model", NULL);
}

void
studio_window_class_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open-dataset", NULL,
                                   open_dataset_folder_action);
  gtk_widget_class_install_action (widget_class, "win.open-idx-file", NULL,
                                   open_idx_file_action);
  gtk_widget_class_install_action (widget_class, "win.open-csv-file", NULL,
                                   open_csv_file_action);
  gtk_widget_class_install_action (widget_class, "win.open-dataset-path", "s",
                                   open_dataset_path_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-loading", NULL,
                                   cancel_loading_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  install_training_actions (widget_class);
  install_prediction_actions (widget_class);
}

void
studio_window_update_actions (StudioWindow *self)
{
  g_return_if_fail (STUDIO_IS_WINDOW (self));

  gboolean running = self->session != NULL && studio_session_is_running (self->session);
  gboolean has_model = self->session != NULL && studio_session_get_model (self->session) != NULL;
  gboolean building = self->build_cancellable != NULL;
  gboolean can_train = !running && !building && has_model && self->session != NULL
                       && studio_session_get_dataset (self->session) != NULL
                       && studio_session_check_ready (self->session, NULL);
  gboolean has_history = self->session != NULL
                         && studio_session_get_epochs_done (self->session) > 0;
  gboolean predicting = studio_window_get_predicting (self);
  gboolean has_results = self->predictions_page != NULL
                         && studio_predictions_page_get_n_results (self->predictions_page) > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-loading",
                                 studio_window_get_loading (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.train", can_train);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.pause", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-model", has_model && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-model", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-model-path", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-history", has_history);
  /* Predict uses a copy of the model: none is consistent while the worker trains it. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.predict",
                                 has_model && !running && !predicting
                                 && studio_window_get_dataset (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-predict", predicting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-predictions", has_results);
}
