/* studio-application.c — the GtkApplication: app actions, accelerators, theme, settings. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "convstudio-resources.h"
#include "studio-application.h"
#include "studio-window.h"

#define DESKTOP_INTERFACE_SCHEMA "org.gnome.desktop.interface"

struct _StudioApplication
{
  GtkApplication  parent_instance;

  GSettings      *settings;
  GSettings      *desktop_interface;  /* NULL without GNOME's schema or its color-scheme key */
  gboolean        force_dark;
};

G_DEFINE_FINAL_TYPE (StudioApplication, studio_application, GTK_TYPE_APPLICATION)

/* g_settings_new() aborts on a missing schema; a missing one must only mean "not remembered". */
static GSettings *
settings_new_if_installed (const char *schema_id,
                           const char *required_key)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, schema_id, TRUE);
  if (schema == NULL)
    return NULL;
  if (required_key != NULL && !g_settings_schema_has_key (schema, required_key))
    return NULL;

  return g_settings_new_full (schema, NULL, NULL);
}

static void
update_color_scheme (StudioApplication *self)
{
  gboolean prefer_dark = self->force_dark;

  if (!prefer_dark && self->desktop_interface != NULL)
    {
      g_autofree char *scheme = g_settings_get_string (self->desktop_interface, "color-scheme");

      prefer_dark = g_str_equal (scheme, "prefer-dark");
    }

  g_object_set (gtk_settings_get_default (),
                "gtk-application-prefer-dark-theme", prefer_dark,
                NULL);
}

/* GTK 4.8 has no libadwaita style manager: follow the desktop's dark preference by hand. */
static void
follow_desktop_color_scheme (StudioApplication *self)
{
  self->desktop_interface = settings_new_if_installed (DESKTOP_INTERFACE_SCHEMA, "color-scheme");
  if (self->desktop_interface != NULL)
    g_signal_connect_object (self->desktop_interface, "changed::color-scheme",
                             G_CALLBACK (update_color_scheme), self, G_CONNECT_SWAPPED);
  update_color_scheme (self);
}

static void
load_style_sheet (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/io/github/convstudio/ConvStudio/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

/* Run from the build tree, the icon is only in the source folder; installed, this is a no-op. */
static void
add_source_icons (void)
{
  if (g_file_test (SOURCE_ICONDIR, G_FILE_TEST_IS_DIR))
    gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    SOURCE_ICONDIR);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GApplication *application = user_data;
  GList *open_windows = gtk_application_get_windows (GTK_APPLICATION (application));
  g_autoptr(GList) windows = g_list_copy (open_windows);

  /* Closing each window lets it save its size and cancel its work. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_application_quit (application);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  const char *authors[] = { _("The ConvStudio developers"), NULL };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  gtk_show_about_dialog (parent,
                         "program-name", PACKAGE_NAME,
                         "version", PACKAGE_VERSION,
                         "logo-icon-name", APP_ID,
                         "comments", _("Build, train and inspect convolutional image "
                                       "classifiers"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "website", "https://github.com/convstudio/convstudio",
                         "authors", authors,
                         /* Translators: your names, one per line; shown in the About box. */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action, NULL, NULL, NULL, { 0 } },
  { "about", about_action, NULL, NULL, NULL, { 0 } },
  { "shortcuts", shortcuts_action, NULL, NULL, NULL, { 0 } },
};

static void
set_accelerators (GtkApplication *application)
{
  static const struct
  {
    const char *action;
    const char *accels[3];
  } accelerators[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.shortcuts", { "<Control>question", "F1", NULL } },
    { "win.open-dataset", { "<Control>o", NULL } },
    { "win.open-idx-file", { "<Control><Shift>o", NULL } },
    { "win.show-page::model", { "<Alt>1", NULL } },
    { "win.show-page::data", { "<Alt>2", NULL } },
    { "win.show-page::training", { "<Alt>3", NULL } },
    { "win.show-page::predictions", { "<Alt>4", NULL } },
    { "win.show-page::layers", { "<Alt>5", NULL } },
    { "win.show-help-overlay", { NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (accelerators); i++)
    gtk_application_set_accels_for_action (application, accelerators[i].action,
                                           accelerators[i].accels);
}

static void
studio_application_startup (GApplication *application)
{
  StudioApplication *self = STUDIO_APPLICATION (application);

  G_APPLICATION_CLASS (studio_application_parent_class)->startup (application);

  g_set_application_name (PACKAGE_NAME);
  gtk_window_set_default_icon_name (APP_ID);
  self->settings = settings_new_if_installed (APP_ID, NULL);
  if (self->settings == NULL)
    g_message ("The settings schema %s is not installed: window size and the last dataset "
               "will not be remembered", APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  set_accelerators (GTK_APPLICATION (self));
  load_style_sheet ();
  add_source_icons ();
  follow_desktop_color_scheme (self);
}

static StudioWindow *
get_or_create_window (StudioApplication *self,
                      gboolean          *created)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  *created = window == NULL;
  if (window == NULL)
    window = GTK_WINDOW (studio_window_new (self));

  return STUDIO_WINDOW (window);
}

static void
studio_application_activate (GApplication *application)
{
  gboolean created;
  StudioWindow *window = get_or_create_window (STUDIO_APPLICATION (application), &created);

  gtk_window_present (GTK_WINDOW (window));
  if (created)
    studio_window_reopen_last_dataset (window);
}

/* `convstudio PATH` opens that dataset instead of the last one. */
static void
studio_application_open (GApplication  *application,
                         GFile        **files,
                         int            n_files,
                         const char    *hint)
{
  gboolean created;
  StudioWindow *window = get_or_create_window (STUDIO_APPLICATION (application), &created);
  g_autofree char *path = g_file_get_path (files[0]);

  gtk_window_present (GTK_WINDOW (window));
  if (path != NULL)
    studio_window_open_dataset (window, path);
}

static int
studio_application_handle_local_options (GApplication *application,
                                         GVariantDict *options)
{
  StudioApplication *self = STUDIO_APPLICATION (application);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }
  self->force_dark = g_variant_dict_contains (options, "dark");

  return -1;
}

static void
studio_application_dispose (GObject *object)
{
  StudioApplication *self = STUDIO_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->desktop_interface);

  G_OBJECT_CLASS (studio_application_parent_class)->dispose (object);
}

static void
studio_application_class_init (StudioApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = studio_application_dispose;
  application_class->startup = studio_application_startup;
  application_class->activate = studio_application_activate;
  application_class->open = studio_application_open;
  application_class->handle_local_options = studio_application_handle_local_options;

  /* Referencing the resource keeps its object file, whose constructor registers it, in the
   * link when the app comes from a static library. */
  g_assert (convstudio_get_resource () != NULL);
}

static void
studio_application_init (StudioApplication *self)
{
  static const GOptionEntry options[] = {
    { "dark", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Use the dark style"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and quit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

StudioApplication *
studio_application_new (void)
{
  return g_object_new (STUDIO_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/convstudio/ConvStudio",
                       NULL);
}

GSettings *
studio_application_get_settings (StudioApplication *self)
{
  g_return_val_if_fail (STUDIO_IS_APPLICATION (self), NULL);

  return self->settings;
}

gboolean
studio_application_get_prefers_dark (StudioApplication *self)
{
  gboolean prefer_dark = FALSE;

  g_return_val_if_fail (STUDIO_IS_APPLICATION (self), FALSE);

  g_object_get (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", &prefer_dark,
                NULL);
  return prefer_dark;
}
