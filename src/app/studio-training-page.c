/* studio-training-page.c — the Training page: settings, progress, live plots, epochs, log. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "studio-export.h"
#include "studio-training-page.h"

static const char *const monitors[] = { "val_loss", "val_accuracy", "loss", "accuracy", NULL };
/* The order of the optimizer drop-down, and the GSettings nicks. */
static const CnnOptimizerType optimizer_order[] = {
  CNN_OPTIMIZER_SGD, CNN_OPTIMIZER_RMSPROP, CNN_OPTIMIZER_ADAM,
};
static const char *const optimizer_nicks[] = { "sgd", "rmsprop", "adam" };

struct _StudioTrainingPage
{
  GtkWidget parent_instance;

  GtkWidget *settings_scroller;
  GtkWidget *settings_box;
  GtkWidget *results_box;
  GtkSpinButton *epochs_spin;
  GtkSpinButton *batch_size_spin;
  GtkDropDown *optimizer_dropdown;
  GtkSpinButton *learning_rate_spin;
  GtkSpinButton *validation_split_spin;
  GtkSpinButton *seed_spin;
  GtkSwitch *augment_switch;
  GtkSwitch *early_stopping_switch;
  GtkWidget *early_stopping_grid;
  GtkDropDown *early_stopping_monitor;
  GtkSpinButton *early_stopping_patience;
  GtkSpinButton *early_stopping_min_delta;
  GtkSwitch *reduce_lr_switch;
  GtkWidget *reduce_lr_grid;
  GtkDropDown *reduce_lr_monitor;
  GtkSpinButton *reduce_lr_patience;
  GtkSpinButton *reduce_lr_factor;
  GtkSpinButton *reduce_lr_min_lr;
  GtkSpinButton *reduce_lr_min_delta;
  GtkProgressBar *progress_bar;
  GtkLabel *status_label;
  StudioPlot *plot;
  StudioEpochTable *epoch_table;
  GtkTextView *log_view;

  StudioSession *session;
  gboolean showing_config;  /* a config is being shown: not a user's choice */
};

G_DEFINE_FINAL_TYPE (StudioTrainingPage, studio_training_page, GTK_TYPE_WIDGET)

static guint
monitor_index (const char *monitor)
{
  for (guint i = 0; monitors[i] != NULL; i++)
    if (g_strcmp0 (monitors[i], monitor) == 0)
      return i;
  return 0;
}

static const char *
selected_monitor (GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  return selected < G_N_ELEMENTS (monitors) - 1 ? monitors[selected] : monitors[0];
}

void
studio_training_page_read_config (StudioTrainingPage   *self,
                                  StudioTrainingConfig *config)
{
  guint optimizer = gtk_drop_down_get_selected (self->optimizer_dropdown);
  g_return_if_fail (STUDIO_IS_TRAINING_PAGE (self));
  g_return_if_fail (config != NULL);

  config->epochs = gtk_spin_button_get_value_as_int (self->epochs_spin);
  config->batch_size = gtk_spin_button_get_value_as_int (self->batch_size_spin);
  cnn_optimizer_config_init (&config->optimizer,
                             optimizer_order[MIN (optimizer, G_N_ELEMENTS (optimizer_order) - 1)]);
  config->optimizer.learning_rate = gtk_spin_button_get_value (self->learning_rate_spin);
  config->validation_split = gtk_spin_button_get_value (self->validation_split_spin);
  config->seed = (guint32) gtk_spin_button_get_value (self->seed_spin);

  /* config->augment is the Data page's: its switch is this page's augment switch. */
  config->has_early_stopping = gtk_switch_get_active (self->early_stopping_switch);
  cnn_early_stopping_init (&config->early_stopping);
  g_strlcpy (config->early_stopping.monitor, selected_monitor (self->early_stopping_monitor),
             sizeof config->early_stopping.monitor);
  config->early_stopping.patience =
    gtk_spin_button_get_value_as_int (self->early_stopping_patience);
  config->early_stopping.min_delta = gtk_spin_button_get_value (self->early_stopping_min_delta);

  config->has_reduce_lr = gtk_switch_get_active (self->reduce_lr_switch);
  cnn_reduce_lr_init (&config->reduce_lr);
  g_strlcpy (config->reduce_lr.monitor, selected_monitor (self->reduce_lr_monitor),
             sizeof config->reduce_lr.monitor);
  config->reduce_lr.patience = gtk_spin_button_get_value_as_int (self->reduce_lr_patience);
  config->reduce_lr.factor = gtk_spin_button_get_value (self->reduce_lr_factor);
  config->reduce_lr.min_lr = gtk_spin_button_get_value (self->reduce_lr_min_lr);
  config->reduce_lr.min_delta = gtk_spin_button_get_value (self->reduce_lr_min_delta);
}

GtkSwitch *
studio_training_page_get_augment_switch (StudioTrainingPage *self)
{
  g_return_val_if_fail (STUDIO_IS_TRAINING_PAGE (self), NULL);
  return self->augment_switch;
}

void
studio_training_page_show_config (StudioTrainingPage         *self,
                                  const StudioTrainingConfig *config)
{
  g_return_if_fail (STUDIO_IS_TRAINING_PAGE (self));
  g_return_if_fail (config != NULL);

  self->showing_config = TRUE;
  gtk_spin_button_set_value (self->epochs_spin, config->epochs);
  gtk_spin_button_set_value (self->batch_size_spin, config->batch_size);
  for (guint i = 0; i < G_N_ELEMENTS (optimizer_order); i++)
    if (optimizer_order[i] == config->optimizer.type)
      gtk_drop_down_set_selected (self->optimizer_dropdown, i);
  gtk_spin_button_set_value (self->learning_rate_spin, config->optimizer.learning_rate);
  gtk_spin_button_set_value (self->validation_split_spin, config->validation_split);
  gtk_spin_button_set_value (self->seed_spin, config->seed);
  gtk_switch_set_active (self->augment_switch,
                         !studio_augment_settings_is_identity (&config->augment));
  gtk_switch_set_active (self->early_stopping_switch, config->has_early_stopping);
  gtk_drop_down_set_selected (self->early_stopping_monitor,
                              monitor_index (config->early_stopping.monitor));
  gtk_spin_button_set_value (self->early_stopping_patience, config->early_stopping.patience);
  gtk_spin_button_set_value (self->early_stopping_min_delta, config->early_stopping.min_delta);
  gtk_switch_set_active (self->reduce_lr_switch, config->has_reduce_lr);
  gtk_drop_down_set_selected (self->reduce_lr_monitor, monitor_index (config->reduce_lr.monitor));
  gtk_spin_button_set_value (self->reduce_lr_patience, config->reduce_lr.patience);
  gtk_spin_button_set_value (self->reduce_lr_factor, config->reduce_lr.factor);
  gtk_spin_button_set_value (self->reduce_lr_min_lr, config->reduce_lr.min_lr);
  gtk_spin_button_set_value (self->reduce_lr_min_delta, config->reduce_lr.min_delta);
  self->showing_config = FALSE;
}

void
studio_training_page_use_recipe (StudioTrainingPage *self,
                                 const char         *recipe)
{
  StudioDataset *dataset = self->session != NULL ? studio_session_get_dataset (self->session)
                                                 : NULL;
  StudioTrainingConfig config;

  g_return_if_fail (STUDIO_IS_TRAINING_PAGE (self));

  if (recipe == NULL)
    recipe = dataset != NULL && studio_dataset_get_channels (dataset) == 3 ? "dogs-vs-cats"
                                                                           : "fashion-mnist";
  if (!studio_training_config_init_recipe (&config, recipe))
    return;
  /* The course trains Fashion-MNIST for 10 epochs and Dogs vs. Cats for 3 (a CPU's day). */
  config.epochs = g_str_equal (recipe, "dogs-vs-cats") ? 3 : 10;
  studio_training_page_show_config (self, &config);
}

/* Keras's default learning rate comes with a newly chosen optimizer. */
static void
on_optimizer_selected (StudioTrainingPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->optimizer_dropdown);
  CnnOptimizerConfig config;

  if (self->showing_config || selected >= G_N_ELEMENTS (optimizer_order))
    return;
  cnn_optimizer_config_init (&config, optimizer_order[selected]);
  gtk_spin_button_set_value (self->learning_rate_spin, config.learning_rate);
}

/* ---------------------------------------------------------------- following a session */

static void
append_log (StudioTrainingPage *self,
            const char         *line)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->log_view);
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, line, -1);
  gtk_text_buffer_insert (buffer, &end, "\n", 1);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_view_scroll_to_mark (self->log_view, gtk_text_buffer_get_insert (buffer), 0, FALSE,
                                0, 1);
  gtk_text_buffer_place_cursor (buffer, &end);
}

static void
update_progress (StudioTrainingPage *self)
{
  StudioSession *session = self->session;
  gint64 step = studio_session_get_step (session);
  gint64 steps = studio_session_get_steps (session);
  int epoch = studio_session_get_epoch (session);
  int n_epochs = studio_session_get_n_epochs (session);
  g_autofree char *text = NULL;

  if (!studio_session_is_running (session))
    {
      int done = studio_session_get_epochs_done (session);

      /* Translators: the progress bar when no run goes on. */
      text = done > 0 ? g_strdup_printf (ngettext ("%d epoch trained", "%d epochs trained", done),
                                         done)
                      : g_strdup (_("Not trained yet"));
      gtk_progress_bar_set_fraction (self->progress_bar, done > 0 ? 1 : 0);
    }
  else
    {
      double eta = studio_session_get_eta_seconds (session);
      int eta_seconds = (int) MIN (round (eta), 359999);

      /* Translators: the progress bar while training: epoch 3/10 · batch 57/240 ·
       * 21.4 steps/s · ETA 0:09 (minutes:seconds left in this epoch). */
      /* Plain %d: a format macro in the middle would hide the string from gettext. */
      text = g_strdup_printf (_("Epoch %d/%d · batch %d/%d · %.1f steps/s · ETA %d:%02d"),
                              MAX (epoch, 1), n_epochs, (int) MIN (step, G_MAXINT),
                              (int) MIN (steps, G_MAXINT),
                              studio_session_get_steps_per_second (session),
                              eta_seconds / 60, eta_seconds % 60);
      if (studio_session_get_state (session) == STUDIO_SESSION_PAUSED)
        {
          /* Translators: the progress bar's text while paused. */
          g_autofree char *paused = g_strdup_printf (_("Paused — %s"), text);
          g_free (text);
          text = g_steal_pointer (&paused);
        }
      gtk_progress_bar_set_fraction (self->progress_bar,
                                     n_epochs > 0 && steps > 0
                                     ? MIN (1, ((epoch - 1) + (double) step / steps) / n_epochs)
                                     : 0);
    }
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
update_plot (StudioTrainingPage *self)
{
  StudioSession *session = self->session;
  int total = MAX (studio_session_get_n_epochs (session),
                   studio_session_get_epochs_done (session));

  if (!studio_session_is_running (session))
    total = studio_session_get_epochs_done (session);
  studio_plot_set_markers (self->plot, total, studio_session_get_best_epoch (session),
                           studio_session_get_stopped_epoch (session));
  studio_plot_update (self->plot);
}

static void
update_history (StudioTrainingPage *self)
{
  GArray *history = studio_session_get_history (self->session);

  studio_epoch_table_set_history (self->epoch_table, (const CnnEpochLogs *) history->data,
                                  history->len);
}

static void
on_batch_progress (StudioTrainingPage *self)
{
  update_progress (self);
  update_plot (self);
}

static void
on_epoch_end (StudioTrainingPage *self,
              guint               index)
{
  update_history (self);
  update_plot (self);
}

static void
on_message (StudioTrainingPage *self,
            const char         *message)
{
  append_log (self, message);
}

static void
on_state_changed (StudioTrainingPage *self)
{
  gboolean running = studio_session_is_running (self->session);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  /* A spin button that keeps the focus while it turns insensitive confuses GtkText. */
  if (running && focus != NULL && gtk_widget_is_ancestor (focus, self->settings_box))
    gtk_root_set_focus (root, NULL);
  gtk_widget_set_sensitive (self->settings_box, !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "training.start-over",
                                 !running && studio_session_get_model (self->session) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "training.use-recipe", !running);
  if (running)
    studio_training_page_show_error (self, NULL);
  update_progress (self);
  update_plot (self);
}

static void
on_finished (StudioTrainingPage *self,
             const GError       *error)
{
  if (error != NULL)
    {
      append_log (self, error->message);
      studio_training_page_show_error (self, error->message);
    }
  update_history (self);
  update_progress (self);
}

/* A new model: its history (empty, or the one of an opened file) replaces the old. */
static void
on_model_changed (StudioTrainingPage *self)
{
  GArray *history = studio_session_get_history (self->session);

  studio_plot_set_series (self->plot, studio_session_get_batch_points (self->session), history);
  studio_epoch_table_set_history (self->epoch_table, NULL, 0);
  update_history (self);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->log_view), "", 0);
  on_state_changed (self);
}

void
studio_training_page_set_session (StudioTrainingPage *self,
                                  StudioSession      *session)
{
  g_return_if_fail (STUDIO_IS_TRAINING_PAGE (self));
  g_return_if_fail (STUDIO_IS_SESSION (session));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  g_signal_connect_swapped (session, "batch-progress", G_CALLBACK (on_batch_progress), self);
  g_signal_connect_swapped (session, "epoch-end", G_CALLBACK (on_epoch_end), self);
  g_signal_connect_swapped (session, "message", G_CALLBACK (on_message), self);
  g_signal_connect_swapped (session, "notify::state", G_CALLBACK (on_state_changed), self);
  g_signal_connect_swapped (session, "finished", G_CALLBACK (on_finished), self);
  g_signal_connect_swapped (session, "model-changed", G_CALLBACK (on_model_changed), self);
  studio_training_page_show_config (self, studio_session_get_config (session));
  on_model_changed (self);
}

void
studio_training_page_show_error (StudioTrainingPage *self,
                                 const char         *message)
{
  g_return_if_fail (STUDIO_IS_TRAINING_PAGE (self));

  gtk_label_set_text (self->status_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL);
}

gboolean
studio_training_page_export_history (StudioTrainingPage  *self,
                                     const char          *path,
                                     GError             **error)
{
  GArray *history;
  g_autofree char *csv = NULL;

  g_return_val_if_fail (STUDIO_IS_TRAINING_PAGE (self), FALSE);
  g_return_val_if_fail (self->session != NULL, FALSE);

  history = studio_session_get_history (self->session);
  csv = studio_history_to_csv ((const CnnEpochLogs *) history->data, history->len);
  return studio_write_file_atomically (path, csv, strlen (csv), error);
}

StudioPlot *
studio_training_page_get_plot (StudioTrainingPage *self)
{
  g_return_val_if_fail (STUDIO_IS_TRAINING_PAGE (self), NULL);
  return self->plot;
}

StudioEpochTable *
studio_training_page_get_epoch_table (StudioTrainingPage *self)
{
  g_return_val_if_fail (STUDIO_IS_TRAINING_PAGE (self), NULL);
  return self->epoch_table;
}

char *
studio_training_page_get_log_text (StudioTrainingPage *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (STUDIO_IS_TRAINING_PAGE (self), NULL);

  buffer = gtk_text_view_get_buffer (self->log_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* ---------------------------------------------------------------- settings */

static gboolean
optimizer_from_setting (GValue   *value,
                        GVariant *variant,
                        gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (optimizer_nicks); i++)
    if (g_str_equal (nick, optimizer_nicks[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
optimizer_to_setting (const GValue       *value,
                      const GVariantType *expected_type,
                      gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  return g_variant_new_string (optimizer_nicks[MIN (selected, G_N_ELEMENTS (optimizer_nicks) - 1)]);
}

static gboolean
monitor_from_setting (GValue   *value,
                      GVariant *variant,
                      gpointer  user_data)
{
  g_value_set_uint (value, monitor_index (g_variant_get_string (variant, NULL)));
  return TRUE;
}

static GVariant *
monitor_to_setting (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  return g_variant_new_string (monitors[MIN (selected, G_N_ELEMENTS (monitors) - 2)]);
}

static void
bind_if_key (GSettings  *settings,
             const char *key,
             gpointer    object,
             const char *property)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  if (schema != NULL && g_settings_schema_has_key (schema, key))
    g_settings_bind (settings, key, object, property, G_SETTINGS_BIND_DEFAULT);
}

static void
bind_monitor (GSettings   *settings,
              const char  *key,
              GtkDropDown *dropdown)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  if (schema != NULL && g_settings_schema_has_key (schema, key))
    g_settings_bind_with_mapping (settings, key, dropdown, "selected", G_SETTINGS_BIND_DEFAULT,
                                  monitor_from_setting, monitor_to_setting, NULL, NULL);
}

void
studio_training_page_bind_settings (StudioTrainingPage *self,
                                    GSettings          *settings)
{
  g_return_if_fail (STUDIO_IS_TRAINING_PAGE (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  /* Restoring is not choosing: keep the stored learning rate with the stored optimizer. */
  self->showing_config = TRUE;
  g_settings_bind_with_mapping (settings, "optimizer", self->optimizer_dropdown, "selected",
                                G_SETTINGS_BIND_DEFAULT, optimizer_from_setting,
                                optimizer_to_setting, NULL, NULL);
  self->showing_config = FALSE;
  bind_if_key (settings, "epochs", self->epochs_spin, "value");
  bind_if_key (settings, "batch-size", self->batch_size_spin, "value");
  bind_if_key (settings, "learning-rate", self->learning_rate_spin, "value");
  bind_if_key (settings, "validation-split", self->validation_split_spin, "value");
  bind_if_key (settings, "training-seed", self->seed_spin, "value");
  bind_if_key (settings, "augmentation", self->augment_switch, "active");
  bind_if_key (settings, "early-stopping", self->early_stopping_switch, "active");
  bind_monitor (settings, "early-stopping-monitor", self->early_stopping_monitor);
  bind_if_key (settings, "early-stopping-patience", self->early_stopping_patience, "value");
  bind_if_key (settings, "early-stopping-min-delta", self->early_stopping_min_delta, "value");
  bind_if_key (settings, "reduce-lr", self->reduce_lr_switch, "active");
  bind_monitor (settings, "reduce-lr-monitor", self->reduce_lr_monitor);
  bind_if_key (settings, "reduce-lr-patience", self->reduce_lr_patience, "value");
  bind_if_key (settings, "reduce-lr-factor", self->reduce_lr_factor, "value");
  bind_if_key (settings, "reduce-lr-min-lr", self->reduce_lr_min_lr, "value");
  bind_if_key (settings, "reduce-lr-min-delta", self->reduce_lr_min_delta, "value");
}

/* ---------------------------------------------------------------- GObject */

static void
use_recipe_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  studio_training_page_use_recipe (STUDIO_TRAINING_PAGE (widget), NULL);
}

static void
start_over_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  StudioTrainingPage *self = STUDIO_TRAINING_PAGE (widget);
  g_autoptr(GError) error = NULL;
  StudioTrainingConfig config;

  if (self->session == NULL || studio_session_is_running (self->session))
    return;
  /* The new weights come from the seed on the page. */
  config = *studio_session_get_config (self->session);
  studio_training_page_read_config (self, &config);
  studio_session_set_config (self->session, &config);
  if (!studio_session_reset (self->session, &error))
    studio_training_page_show_error (self, error->message);
}

static void
studio_training_page_dispose (GObject *object)
{
  StudioTrainingPage *self = STUDIO_TRAINING_PAGE (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), STUDIO_TYPE_TRAINING_PAGE);
  /* The separator is not bound to a field: unparent what the template left. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (studio_training_page_parent_class)->dispose (object);
}

#define BIND_CHILD(name) \
  gtk_widget_class_bind_template_child (widget_class, StudioTrainingPage, name)

static void
studio_training_page_class_init (StudioTrainingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = studio_training_page_dispose;

  g_type_ensure (STUDIO_TYPE_PLOT);
  g_type_ensure (STUDIO_TYPE_EPOCH_TABLE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/convstudio/ConvStudio/"
                                                             "studio-training-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "studiotrainingpage");
  BIND_CHILD (settings_scroller);
  BIND_CHILD (settings_box);
  BIND_CHILD (results_box);
  BIND_CHILD (epochs_spin);
  BIND_CHILD (batch_size_spin);
  BIND_CHILD (optimizer_dropdown);
  BIND_CHILD (learning_rate_spin);
  BIND_CHILD (validation_split_spin);
  BIND_CHILD (seed_spin);
  BIND_CHILD (augment_switch);
  BIND_CHILD (early_stopping_switch);
  BIND_CHILD (early_stopping_grid);
  BIND_CHILD (early_stopping_monitor);
  BIND_CHILD (early_stopping_patience);
  BIND_CHILD (early_stopping_min_delta);
  BIND_CHILD (reduce_lr_switch);
  BIND_CHILD (reduce_lr_grid);
  BIND_CHILD (reduce_lr_monitor);
  BIND_CHILD (reduce_lr_patience);
  BIND_CHILD (reduce_lr_factor);
  BIND_CHILD (reduce_lr_min_lr);
  BIND_CHILD (reduce_lr_min_delta);
  BIND_CHILD (progress_bar);
  BIND_CHILD (status_label);
  BIND_CHILD (plot);
  BIND_CHILD (epoch_table);
  BIND_CHILD (log_view);

  gtk_widget_class_install_action (widget_class, "training.use-recipe", NULL, use_recipe_action);
  gtk_widget_class_install_action (widget_class, "training.start-over", NULL, start_over_action);
}

static void
studio_training_page_init (StudioTrainingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  g_object_bind_property (self->early_stopping_switch, "active", self->early_stopping_grid,
                          "sensitive", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->reduce_lr_switch, "active", self->reduce_lr_grid, "sensitive",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->optimizer_dropdown, "notify::selected",
                            G_CALLBACK (on_optimizer_selected), self);
  gtk_progress_bar_set_text (self->progress_bar, _("Not trained yet"));
}

GtkWidget *
studio_training_page_new (void)
{
  return g_object_new (STUDIO_TYPE_TRAINING_PAGE, NULL);
}
