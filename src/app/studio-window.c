/* studio-window.c — the main window: header bar, page switcher, the four pages. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "studio-status-page.h"
#include "studio-window-private.h"

/* One Open Dataset request; a newer request or Cancel makes it stale. */
typedef struct
{
  StudioWindow *window;
  GCancellable *cancellable;
  char         *path;
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

static void
show_dataset (StudioWindow  *self,
              StudioDataset *dataset,
              const char    *path)
{
  g_autofree char *title = NULL;

  if (studio_dataset_get_source (dataset) == NULL)
    studio_dataset_set_source (dataset, path);

  studio_data_page_set_dataset (self->data_page, dataset);
  /* Translators: the window title: the dataset's name, then the program's. */
  title = g_strdup_printf (_("%s — ConvStudio"), studio_dataset_get_name (dataset));
  gtk_window_set_title (GTK_WINDOW (self), title);
  remember_dataset (self, path);
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
  g_autoptr(StudioDataset) dataset = studio_dataset_open_finish (result, &error);
  g_autofree char *message = NULL;

  /* Cancelled, or replaced by a newer request: the page has moved on already. */
  if (request->cancellable != self->load_cancellable)
    return;

  finish_loading (self);
  if (dataset != NULL)
    {
      show_dataset (self, dataset, request->path);
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

void
studio_window_open_dataset (StudioWindow *self,
                            const char   *path)
{
  LoadRequest *request;

  g_return_if_fail (STUDIO_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
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

  studio_dataset_open_async (path, self->load_cancellable, on_dataset_opened, request);
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

  return GTK_WINDOW_CLASS (studio_window_parent_class)->close_request (window);
}

static void
studio_window_constructed (GObject *object)
{
  StudioWindow *self = STUDIO_WINDOW (object);
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  G_OBJECT_CLASS (studio_window_parent_class)->constructed (object);

  if (STUDIO_IS_APPLICATION (application))
    {
      GSettings *settings = studio_application_get_settings (STUDIO_APPLICATION (application));

      self->settings = settings != NULL ? g_object_ref (settings) : NULL;
    }
  restore_window_state (self);
  studio_window_update_actions (self);
}

static void
studio_window_dispose (GObject *object)
{
  StudioWindow *self = STUDIO_WINDOW (object);

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_pointer (&self->loading_path, g_free);
  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (self->file_chooser);
  g_clear_object (&self->file_chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), STUDIO_TYPE_WINDOW);
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

  object_class->constructed = studio_window_constructed;
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

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convstudio/ConvStudio/"
                                               "studio-window.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, page_stack);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, data_page);
  gtk_widget_class_bind_template_child (widget_class, StudioWindow, primary_menu_button);

  studio_window_class_install_actions (widget_class);
}

static void
studio_window_init (StudioWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The Data page is where everything starts: it offers to open a dataset. */
  gtk_stack_set_visible_child_name (self->page_stack, "data");
}

StudioWindow *
studio_window_new (StudioApplication *application)
{
  g_return_val_if_fail (STUDIO_IS_APPLICATION (application), NULL);

  return g_object_new (STUDIO_TYPE_WINDOW, "application", application, NULL);
}
