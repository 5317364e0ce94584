/* studio-window.c — the main window: header bar, page switcher, the five pages. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "studio-status-page.h"
#include "studio-window-private.h"

/* How often the Data page's progress bar follows the decoding workers. */
#define LOAD_POLL_MS 100

/* The seed models of the course, by the number of image channels. */

/* One Open Dataset request; a newer request or Cancel makes it stale. */
typedef struct
{
  StudioWindow *window;
  GCancellable *cancellable;
  char         *path;
  StudioImageProgress progress;  /* the workers count decoded files here */
} LoadRequest;

enum {
  PROP_0,
  PROP_DATASET,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (StudioWindow, studio_window, GTK_TYPE_APPLICATION_WINDOW)

static void
load_request_free (LoadRequest *request)
{
  g_object_unref (request->window);
  g_object_unref (request->cancellable);
  g_free (request->path);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadRequest, load_request_free)

static void
finish_loading (StudioWindow *self)
{
  g_clear_handle_id (&self->load_poll_id, g_source_remove);
  self->load_progress = NULL;
  g_clear_object (&self->load_cancellable);
  g_clear_pointer (&self->loading_path, g_free);
  studio_window_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* The setting holds "" for the default location, so moving the default keeps working. */
static void
remember_dataset (StudioWindow *self,
                  const char   *path)
{
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  g_autofree char *default_path = g_canonicalize_filename (studio_dataset_default_path (), NULL);

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-dataset",
                           g_str_equal (absolute, default_path) ? "" : absolute);
}

/* ---------------------------------------------------------------- model and training */

/* The course's model for images like the dataset's, installed or beside the sources:
 * Dogs vs. Cats for its 128 × 128 colour photos of two classes, else the Fashion-MNIST stack
 * with the dataset's input shape and classes (it is small enough for any size ≥ 24). */
static StudioArchitecture *
seed_architecture (StudioDataset *dataset)
{
  gboolean dogs_vs_cats = studio_dataset_get_height (dataset) == 128
                          && studio_dataset_get_width (dataset) == 128
                          && studio_dataset_get_channels (dataset) == 3
                          && studio_dataset_get_n_classes (dataset) == 2;
  g_autofree char *path = studio_seed_model_path (dogs_vs_cats ? "dogs-vs-cats"
                                                                : "fashion-mnist");
  g_autofree char *json = NULL;
  StudioArchitecture *architecture;
  CnnLayerSpec *last;

  if (!g_file_get_contents (path, &json, NULL, NULL))
    return NULL;
  architecture = studio_architecture_new_from_json (json, -1, NULL);
  if (architecture == NULL || architecture->layers->len == 0)
    {
      g_clear_pointer (&architecture, studio_architecture_free);
      return NULL;
    }
  /* One output per class of this dataset. */
  last = &g_array_index (architecture->layers, CnnLayerSpec, architecture->layers->len - 1);
  if (last->type == CNN_LAYER_DENSE)
    last->units = (int) studio_dataset_get_n_classes (dataset);
  architecture->height = studio_dataset_get_height (dataset);
  architecture->width = studio_dataset_get_width (dataset);
  architecture->channels = studio_dataset_get_channels (dataset);
  return architecture;
}

static void
on_session_model_built (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(StudioWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!studio_session_build_model_finish (STUDIO_SESSION (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;  /* a newer architecture is being built */
      /* The Model page shows why a stack does not build; no model means no Train. */
      if (!studio_session_is_running (self->session))
        studio_session_set_model (self->session, NULL);
    }
  g_clear_object (&self->build_cancellable);
  studio_window_update_actions (self);
}

/* Builds on a worker (~0.2 s for Dogs vs. Cats): the window stays responsive, and Train
 * waits until the model is there. */
static void
build_session_model (StudioWindow *self)
{
  const StudioArchitecture *architecture = studio_model_page_get_architecture (self->model_page);
  StudioTrainingConfig config;

  if (architecture == NULL || studio_session_is_running (self->session))
    return;
  /* The initial weights come from the seed on the Training page. */
  config = *studio_session_get_config (self->session);
  studio_training_page_read_config (self->training_page, &config);
  studio_data_page_get_augment_settings (self->data_page, &config.augment);
  studio_session_set_config (self->session, &config);

  g_cancellable_cancel (self->build_cancellable);
  g_clear_object (&self->build_cancellable);
  self->build_cancellable = g_cancellable_new ();
  studio_session_build_model_async (self->session, architecture, self->build_cancellable,
                                    on_session_model_built, g_object_ref (self));
  studio_window_update_actions (self);
}

static void
use_dataset_for_training (StudioWindow  *self,
                          StudioDataset *dataset)
{
  /* An unlabelled folder is for predicting: the model keeps its classes. */
  if (studio_session_is_running (self->session) || studio_dataset_get_n_classes (dataset) == 0)
    return;
  studio_session_set_dataset (self->session, dataset);
  studio_model_page_set_input_shape (self->model_page, studio_dataset_get_height (dataset),
                                     studio_dataset_get_width (dataset),
                                     studio_dataset_get_channels (dataset));
  if (studio_model_page_get_architecture (self->model_page) == NULL
      || studio_session_get_model (self->session) == NULL
      || !studio_training_check_model (studio_session_get_model (self->session), dataset,
                                       studio_session_get_config (self->session)->loss, NULL))
    {
      g_autoptr(StudioArchitecture) seed = seed_architecture (dataset);

      if (seed != NULL)
        studio_model_page_set_architecture (self->model_page, seed);
    }
  build_session_model (self);
}

static void
on_architecture_changed (StudioWindow *self)
{
  build_session_model (self);
}

static void
on_session_model_changed (StudioWindow *self)
{
  CnnModel *model = studio_session_get_model (self->session);
  g_autoptr(StudioArchitecture) architecture = NULL;
  const StudioArchitecture *shown = studio_model_page_get_architecture (self->model_page);
  g_autofree char *shown_json = shown != NULL ? studio_architecture_to_json (shown) : NULL;
  g_autofree char *model_json = NULL;

  studio_model_page_clear_layer_norms (self->model_page);
  studio_window_layers_model_changed (self);
  if (model == NULL)
    return;
  /* An opened model replaces the page's layers; a model built from the page is the same. */
  architecture = studio_architecture_new_from_model (model);
  model_json = studio_architecture_to_json (architecture);
  if (g_strcmp0 (shown_json, model_json) != 0)
    studio_model_page_set_architecture (self->model_page, architecture);
}

static void
on_session_progress (StudioWindow *self)
{
  CnnModel *model = studio_session_get_model (self->session);
  int n_layers = model != NULL ? cnn_model_n_layers (model) : 0;
  g_autofree double *weight_norms = g_new (double, MAX (n_layers, 1));
  g_autofree double *gradient_norms = g_new (double, MAX (n_layers, 1));
  gboolean any = FALSE;

  for (int i = 0; i < n_layers; i++)
    {
      CnnLayerInfo info;

      weight_norms[i] = gradient_norms[i] = NAN;
      /* Pooling, Dropout, Flatten: no weights, so no norms to show. */
      cnn_model_layer_info (model, i, &info);
      if (info.params > 0)
        any |= studio_session_get_layer_norms (self->session, i, &weight_norms[i],
                                               &gradient_norms[i]);
    }
  if (any)
    studio_model_page_set_layer_norms (self->model_page, weight_norms, gradient_norms,
                                       (guint) n_layers);
}

static void
on_session_state (StudioWindow *self)
{
  gboolean running = studio_session_is_running (self->session);
  gboolean paused = studio_session_get_state (self->session) == STUDIO_SESSION_PAUSED;

  studio_model_page_set_editable (self->model_page, !running);
  gtk_button_set_icon_name (self->pause_button, paused ? "media-playback-start-symbolic"
                                                       : "media-playback-pause-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->pause_button),
                               paused ? _("Resume training (Ctrl+.)")
                                      : _("Pause training (Ctrl+.)"));
  studio_window_update_actions (self);
}

static void
on_session_finished (StudioWindow *self,
                     const GError *error)
{
  /* The dataset may have changed during the run: train on it next time. */
  StudioDataset *dataset = studio_data_page_get_dataset (self->data_page);

  if (dataset != NULL && dataset != studio_session_get_dataset (self->session))
    use_dataset_for_training (self, dataset);
  if (self->save_after_stop)
    {
      self->save_after_stop = FALSE;
      studio_window_choose_model_file (self, TRUE);
    }
  else if (self->close_after_stop)
    gtk_window_close (GTK_WINDOW (self));
}

static void
on_train_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(StudioWindow) self = user_data;

  /* The page shows the error from the session's "finished" signal. */
  studio_session_train_finish (STUDIO_SESSION (source), result, NULL);
  studio_window_update_actions (self);
}

gboolean
studio_window_train (StudioWindow *self)
{
  g_autoptr(GError) error = NULL;
  StudioTrainingConfig config;

  g_return_val_if_fail (STUDIO_IS_WINDOW (self), FALSE);

  if (studio_session_is_running (self->session))
    return FALSE;
  config = *studio_session_get_config (self->session);
  studio_training_page_read_config (self->training_page, &config);
  /* The Data page's augmentation is the run's (its switch is the Training page's too). */
  studio_data_page_get_augment_settings (self->data_page, &config.augment);
  config.limit = self->training_limit;
  studio_session_set_config (self->session, &config);
  if (!studio_session_check_ready (self->session, &error))
    {
      studio_training_page_show_error (self->training_page, error->message);
      return FALSE;
    }
  studio_data_page_set_training_config (self->data_page, &config);
  studio_training_page_show_error (self->training_page, NULL);
  studio_window_show_page (self, "training");
  studio_session_train_async (self->session, NULL, on_train_done, g_object_ref (self));
  return TRUE;
}

gboolean
studio_window_save_model (StudioWindow  *self,
                          const char    *path,
                          GError       **error)
{
  g_return_val_if_fail (STUDIO_IS_WINDOW (self), FALSE);

  return studio_session_save (self->session, path, error);
}

gboolean
studio_window_open_model (StudioWindow  *self,
                          const char    *path,
                          GError       **error)
{
  StudioTrainingConfig config;

  g_return_val_if_fail (STUDIO_IS_WINDOW (self), FALSE);

  if (studio_session_is_running (self->session))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                           _("Stop training before opening another model."));
      return FALSE;
    }
  /* A model still being built from the page would replace the opened one. */
  g_cancellable_cancel (self->build_cancellable);
  g_clear_object (&self->build_cancellable);
  /* A Keras JSON keeps the augmentation the user set; a model file brings its own. */
  config = *studio_session_get_config (self->session);
  studio_data_page_get_augment_settings (self->data_page, &config.augment);
  studio_session_set_config (self->session, &config);
  if (!studio_session_load (self->session, path, error))
    return FALSE;
  studio_training_page_show_config (self->training_page,
                                    studio_session_get_config (self->session));
  /* A resumed run continues with the augmentation it was trained with. */
  if (!studio_augment_settings_is_identity (&studio_session_get_config (self->session)->augment))
    studio_data_page_set_augment_settings (self->data_page,
                                           &studio_session_get_config (self->session)->augment);
  studio_window_update_actions (self);
  return TRUE;
}

StudioSession *
studio_window_get_session (StudioWindow *self)
{
  g_return_val_if_fail (STUDIO_IS_WINDOW (self), NULL);
  return self->session;
}

StudioModelPage *
studio_window_get_model_page (StudioWindow *self)
{
  g_return_val_if_fail (STUDIO_IS_WINDOW (self), NULL);
  return self->model_page;
}

StudioTrainingPage *
studio_window_get_training_page (StudioWindow *self)
{
  g_return_val_if_fail (STUDIO_IS_WINDOW (self), NULL);
  return self->training_page;
}

StudioPredictionsPage *
studio_window_get_predictions_page (StudioWindow *self)
{
  g_return_val_if_fail (STUDIO_IS_WINDOW (self), NULL);
  return self->predictions_page;
}

StudioLayersView *
studio_window_get_layers_view (StudioWindow *self)
{
  g_return_val_if_fail (STUDIO_IS_WINDOW (self), NULL);
  return self->layers_view;
}

double
studio_window_get_rescale (StudioWindow *self)
{
  StudioAugmentSettings settings;

  studio_data_page_get_augment_settings (self->data_page, &settings);
  return settings.rescale > 0 ? settings.rescale : 1.0;
}

void
studio_window_set_training_limit (StudioWindow *self,
                                  gsize         limit)
{
  g_return_if_fail (STUDIO_IS_WINDOW (self));
  self->training_limit = limit;
}

static void
on_close_response (GtkDialog    *dialog,
                   int           response,
                   StudioWindow *self)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response == GTK_RESPONSE_CLOSE)
    self->close_after_stop = TRUE;
  else if (response == GTK_RESPONSE_ACCEPT)
    self->save_after_stop = TRUE;
  else
    return;
  studio_session_stop (self->session);
}

/* Closing during a run asks first: the weights since the last save would be lost. */
static void
ask_to_stop_training (StudioWindow *self)
{
  GtkWidget *dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                              GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                              GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                              _("Stop training and close?"));

  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
                                            _("The model is training. Closing stops it after "
                                              "the current batch; the epochs trained since "
                                              "the model was last saved are lost unless you "
                                              "save it."));
  gtk_dialog_add_buttons (GTK_DIALOG (dialog),
                          _("_Keep Training"), GTK_RESPONSE_CANCEL,
                          _("_Save Model…"), GTK_RESPONSE_ACCEPT,
                          _("_Stop and Close"), GTK_RESPONSE_CLOSE,
                          NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_signal_connect (dialog, "response", G_CALLBACK (on_close_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
connect_session (StudioWindow *self)
{
  self->session = studio_session_new ();
  studio_training_page_set_session (self->training_page, self->session);
  g_signal_connect_swapped (self->session, "notify::state", G_CALLBACK (on_session_state), self);
  g_signal_connect_swapped (self->session, "notify::has-model",
                            G_CALLBACK (studio_window_update_actions), self);
  g_signal_connect_swapped (self->session, "model-changed",
                            G_CALLBACK (on_session_model_changed), self);
  g_signal_connect_swapped (self->session, "batch-progress",
                            G_CALLBACK (on_session_progress), self);
  g_signal_connect_swapped (self->session, "finished", G_CALLBACK (on_session_finished), self);
  g_signal_connect_swapped (self->model_page, "architecture-changed",
                            G_CALLBACK (on_architecture_changed), self);
  g_signal_connect_swapped (self->model_page, "notify::valid",
                            G_CALLBACK (studio_window_update_actions), self);
  /* One augmentation setting: the Training page's switch is the Data page's. */
  g_object_bind_property (studio_training_page_get_augment_switch (self->training_page),
                          "active",
                          studio_data_page_get_augment_preview (self->data_page),
                          "augment-enabled", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->data_page, "augment-settings-changed",
                            G_CALLBACK (studio_window_layers_model_changed), self);
}

/* Takes `result`: the page shows its scan (skipped files) for as long as the dataset. */
static void
show_dataset (StudioWindow     *self,
              StudioLoadResult *result,
              const char       *path)
{
  StudioDataset *dataset = result->dataset;
  g_autofree char *title = NULL;

  if (studio_dataset_get_source (dataset) == NULL)
    studio_dataset_set_source (dataset, path);

  studio_data_page_set_load_result (self->data_page, dataset, result->scan);
  g_clear_pointer (&self->load_result, studio_load_result_free);
  self->load_result = result;
  /* Translators: the window title: the dataset's name, then the program's. */
  title = g_strdup_printf (_("%s — ConvStudio"), studio_dataset_get_name (dataset));
  gtk_window_set_title (GTK_WINDOW (self), title);
  remember_dataset (self, path);
  use_dataset_for_training (self, dataset);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATASET]);
}

static void
on_dataset_opened (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(LoadRequest) request = user_data;
  StudioWindow *self = request->window;
  g_autoptr(GError) error = NULL;
  StudioLoadResult *loaded = studio_load_dataset_finish (result, &error);
  g_autofree char *message = NULL;

  /* Cancelled, or replaced by a newer request: the page has moved on already. */
  if (request->cancellable != self->load_cancellable)
    {
      studio_load_result_free (loaded);
      return;
    }

  finish_loading (self);
  if (loaded != NULL)
    {
      show_dataset (self, loaded, request->path);
      return;
    }

  studio_data_page_stop_loading (self->data_page);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* The readers' messages already name the file or folder that is wrong. */
  /* Translators: %s says what went wrong, e.g. "“/data/x” does not exist". */
  message = g_strdup_printf (_("Could not open the dataset: %s"), error->message);
  studio_data_page_show_error (self->data_page, message);
}

static gboolean
poll_load_progress (gpointer user_data)
{
  StudioWindow *self = user_data;
  StudioImageProgress *progress = self->load_progress;

  studio_data_page_show_progress (self->data_page,
                                  (guint) MAX (g_atomic_int_get (&progress->done), 0),
                                  (guint) MAX (g_atomic_int_get (&progress->total), 0));
  return G_SOURCE_CONTINUE;
}

void
studio_window_open_dataset (StudioWindow *self,
                            const char   *path)
{
  StudioLoadOptions options;
  LoadRequest *request;

  g_return_if_fail (STUDIO_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  g_cancellable_cancel (self->load_cancellable);
  finish_loading (self);
  self->load_cancellable = g_cancellable_new ();
  g_free (self->loading_path);
  self->loading_path = g_strdup (path);

  request = g_new0 (LoadRequest, 1);
  request->window = g_object_ref (self);
  request->cancellable = g_object_ref (self->load_cancellable);
  request->path = g_strdup (path);

  studio_data_page_dismiss_error (self->data_page);
  studio_data_page_show_loading (self->data_page, path);
  studio_window_show_page (self, "data");
  studio_window_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);

  /* The request lives until its callback, so its progress outlives the workers. */
  self->load_progress = &request->progress;
  self->load_poll_id = g_timeout_add (LOAD_POLL_MS, poll_load_progress, self);
  studio_load_options_init (&options);
  studio_data_page_get_load_options (self->data_page, &options);
  studio_load_dataset_async (path, &options, &request->progress, self->load_cancellable,
                             on_dataset_opened, request);
}

void
studio_window_cancel_loading (StudioWindow *self)
{
  g_return_if_fail (STUDIO_IS_WINDOW (self));

  if (self->load_cancellable == NULL)
    return;

  g_cancellable_cancel (self->load_cancellable);
  finish_loading (self);
  studio_data_page_stop_loading (self->data_page);
}

void
studio_window_reopen_last_dataset (StudioWindow *self)
{
  g_autofree char *last_dataset = NULL;
  const char *default_path = studio_dataset_default_path ();

  g_return_if_fail (STUDIO_IS_WINDOW (self));

  if (self->settings != NULL)
    last_dataset = g_settings_get_string (self->settings, "last-dataset");

  if (last_dataset != NULL && *last_dataset != '\0')
    studio_window_open_dataset (self, last_dataset);
  else if (default_path != NULL && g_file_test (default_path, G_FILE_TEST_IS_DIR))
    studio_window_open_dataset (self, default_path);
}

gboolean
studio_window_get_loading (StudioWindow *self)
{
  g_return_val_if_fail (STUDIO_IS_WINDOW (self), FALSE);

  return self->load_cancellable != NULL;
}

StudioDataset *
studio_window_get_dataset (StudioWindow *self)
{
  g_return_val_if_fail (STUDIO_IS_WINDOW (self), NULL);

  return studio_data_page_get_dataset (self->data_page);
}

StudioDataPage *
studio_window_get_data_page (StudioWindow *self)
{
  g_return_val_if_fail (STUDIO_IS_WINDOW (self), NULL);

  return self->data_page;
}

void
studio_window_show_page (StudioWindow *self,
                         const char   *page_name)
{
  g_return_if_fail (STUDIO_IS_WINDOW (self));
  g_return_if_fail (page_name != NULL);

  if (gtk_stack_get_child_by_name (self->page_stack, page_name) == NULL)
    {
      g_warning ("The window has no page called “%s”", page_name);
      return;
    }
  gtk_stack_set_visible_child_name (self->page_stack, page_name);
}

const char *
studio_window_get_visible_page (StudioWindow *self)
{
  g_return_val_if_fail (STUDIO_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->page_stack);
}

static void
restore_window_state (StudioWindow *self)
{
  if (self->settings == NULL)
    return;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_settings_bind (self->settings, "sample-seed", self->data_page, "sample-seed",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "image-target-height", self->data_page, "target-height",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "image-target-width", self->data_page, "target-width",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "image-target-channels", self->data_page,
                   "target-channels", G_SETTINGS_BIND_DEFAULT);
  /* The Training page edits the split; the Data page shows the parts it makes. */
  g_settings_bind (self->settings, "validation-split", self->data_page, "validation-split",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "training-seed", self->data_page, "validation-seed",
                   G_SETTINGS_BIND_GET);
}

static gboolean
studio_window_close_request (GtkWindow *window)
{
  StudioWindow *self = STUDIO_WINDOW (window);

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (window));
    }
  studio_window_cancel_loading (self);
  if (studio_session_is_running (self->session))
    {
      if (!self->close_after_stop)
        ask_to_stop_training (self);
      return TRUE;
    }

  return GTK_WINDOW_CLASS (studio_window_parent_class)->close_request (window);
}

/* The "application" property is set after constructed(): the window learns its settings
 * here, once it has its application, so that a fresh user gets the schema's defaults (the
 * course's recipe) and a returning one what they chose last time. */
static void
use_application_settings (StudioWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  GSettings *settings = STUDIO_IS_APPLICATION (application)
                        ? studio_application_get_settings (STUDIO_APPLICATION (application))
                        : NULL;

  if (settings == NULL || self->settings != NULL)
    return;
  self->settings = g_object_ref (settings);
  restore_window_state (self);
  studio_training_page_bind_settings (self->training_page, self->settings);
}

static void
studio_window_dispose (GObject *object)
{
  StudioWindow *self = STUDIO_WINDOW (object);

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_cancellable_cancel (self->build_cancellable);
  g_clear_object (&self->build_cancellable);
  g_clear_handle_id (&self->load_poll_id, g_source_remove);
  g_clear_pointer (&self->loading_path, g_free);
  studio_window_predict_dispose (self);
  studio_window_layers_dispose (self);
  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (self->file_chooser);
  g_clear_object (&self->file_chooser);
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      studio_session_stop (self->session);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), STUDIO_TYPE_WINDOW);
  g_clear_object (&self->session);
  g_clear_pointer (&self->load_result, studio_load_result_free);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (studio_window_parent_class)->dispose (object);
}

static void
studio_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  StudioWindow *self = STUDIO_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DATASET:
      g_value_set_object (value, studio_window_get_dataset (self));
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, studio_window_get_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
studio_window_class_init (StudioWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = studio_window_dispose;
  object_class->get_property = studio_window_get_property;
  window_class->close_request = studio_window_close_request;

  properties[PROP_DATASET] =
    g_param_spec_object ("dataset", NULL, NULL, STUDIO_TYPE_DATASET,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (STUDIO_TYPE_STATUS_PAGE);
  g_type_ensure (STUDIO_TYPE_DATA_PAGE);
  g_type_ensure (STUDIO_TYPE_MODEL_PAGE);
  g_type_ensure (STUDIO_TYPE_TRAINING_PAGE);
  g_type_ensure (STUDIO_TYPE_PREDICTIONS_PAGE);
  g_type_ensure (STUDIO_TYPE_LAYERS_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convstudio/ConvStudio/"
                                               "studio-window.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, page_stack);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, data_page);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, model_page);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, training_page);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, predictions_page);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, layers_view);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, pause_button);

  studio_window_class_install_actions (widget_class);
}

static void
studio_window_init (StudioWindow *self)
{
  /* Undocumented, for demos and screenshots: train on the first N images only. */
  const char *limit = g_getenv ("CONVSTUDIO_TRAINING_LIMIT");

  gtk_widget_init_template (GTK_WIDGET (self));
  if (limit != NULL)
    self->training_limit = (gsize) g_ascii_strtoull (limit, NULL, 10);
  connect_session (self);
  studio_window_connect_layers (self);
  /* The Data page is where everything starts: it offers to open a dataset. */
  gtk_stack_set_visible_child_name (self->page_stack, "data");
  studio_window_update_actions (self);
}

StudioWindow *
studio_window_new (StudioApplication *application)
{
  StudioWindow *self;

  g_return_val_if_fail (STUDIO_IS_APPLICATION (application), NULL);

  self = g_object_new (STUDIO_TYPE_WINDOW, "application", application, NULL);
  use_application_settings (self);
  return self;
}
