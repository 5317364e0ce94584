/* studio-model-page.c — the Model page: the editable layer list and the live Keras summary. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "studio-export.h"
#include "studio-layer-check.h"
#include "studio-layer-json-dialog.h"
#include "studio-model-page.h"
#include "studio-status-page.h"

struct _StudioModelPage
{
  GtkWidget           parent_instance;

  /* Template children */
  GtkStack           *state_stack;
  GtkWidget          *input_box;
  GtkSpinButton      *input_height_spin;
  GtkSpinButton      *input_width_spin;
  GtkSpinButton      *input_channels_spin;
  GtkWidget          *input_fixed_label;
  GtkMenuButton      *add_button;
  GtkBox             *add_layer_box;
  GtkWidget          *stack_error_box;
  GtkLabel           *stack_error_label;
  GtkListBox         *layer_list;
  GtkSpinner         *checking_spinner;
  StudioLayerSummary *summary;

  StudioArchitecture *architecture;     /* NULL: the empty state */
  int                 fixed_shape[3];   /* the dataset's (h, w, c); 0 when not fixed */
  gboolean            editable;

  StudioLayerCheck   *check;            /* of the architecture as last checked */
  guint               debounce_id;
  GCancellable       *cancellable;
  gboolean            checking;         /* a worker builds the stack */
  gboolean            check_again;      /* edits arrived meanwhile */
  gboolean            edited;           /* a user edit awaits "architecture-changed" */
  GtkNativeDialog    *file_chooser;
};

enum {
  PROP_0,
  PROP_VALID,
  PROP_ERROR_MESSAGE,
  PROP_EDITABLE,
  PROP_UPDATING,
  N_PROPS
};

enum {
  SIGNAL_ARCHITECTURE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (StudioModelPage, studio_model_page, GTK_TYPE_WIDGET)

static void start_check (StudioModelPage *self);

static CnnLayerSpec *
layer_at (StudioModelPage *self,
          guint            index)
{
  return &g_array_index (self->architecture->layers, CnnLayerSpec, index);
}

static guint
n_layers (StudioModelPage *self)
{
  return self->architecture != NULL ? self->architecture->layers->len : 0;
}

static void
notify_updating (StudioModelPage *self)
{
  gboolean updating = studio_model_page_get_updating (self);

  if (updating)
    gtk_spinner_start (self->checking_spinner);
  else
    gtk_spinner_stop (self->checking_spinner);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATING]);
}

/* ---------------------------------------------------------------- showing a check */

static void
show_check_in_rows (StudioModelPage *self)
{
  const StudioLayerCheck *check = self->check;
  guint index = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->layer_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      StudioLayerRow *row;

      if (!STUDIO_IS_LAYER_ROW (child))
        continue;
      row = STUDIO_LAYER_ROW (child);
      if (check != NULL && check->valid && index < check->layers->len)
        studio_layer_row_set_output (row, &g_array_index (check->layers, CnnLayerInfo, index));
      else
        studio_layer_row_set_output (row, NULL);
      studio_layer_row_set_error (row, check != NULL && check->error_layer == (int) index
                                       ? check->error_message : NULL);
      index++;
    }
}

static void
apply_check (StudioModelPage  *self,
             StudioLayerCheck *check)
{
  gboolean was_valid = studio_model_page_get_valid (self);

  studio_layer_check_free (self->check);
  self->check = check;
  show_check_in_rows (self);
  studio_layer_summary_show (self->summary, check);
  /* Above the list too: the offending row may be scrolled away, or there is none (the
   * input shape, no layers). */
  gtk_label_set_text (self->stack_error_label, check->valid ? "" : check->error_message);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->stack_error_label), check->error_message);
  gtk_widget_set_visible (self->stack_error_box, !check->valid);

  if (was_valid != check->valid)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "model.copy-summary", check->valid);
  if (check->valid && self->edited)
    {
      self->edited = FALSE;
      g_signal_emit (self, signals[SIGNAL_ARCHITECTURE_CHANGED], 0);
    }
}

static void
on_check_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(StudioModelPage) self = user_data;
  g_autoptr(GError) error = NULL;
  StudioLayerCheck *check = studio_layer_check_finish (result, &error);

  if (check == NULL)
    return;  /* cancelled: the page went away or has another architecture */

  self->checking = FALSE;
  if (self->check_again)
    {
      self->check_again = FALSE;
      studio_layer_check_free (check);
      start_check (self);
      return;
    }
  apply_check (self, check);
  notify_updating (self);
}

/* One build at a time: the machine's cores also train; edits meanwhile ask for another. */
static void
start_check (StudioModelPage *self)
{
  if (self->architecture == NULL)
    return;
  if (self->checking)
    {
      self->check_again = TRUE;
      return;
    }
  self->checking = TRUE;
  studio_layer_check_async (self->architecture->height, self->architecture->width,
                            self->architecture->channels,
                            (const CnnLayerSpec *) self->architecture->layers->data,
                            n_layers (self), self->cancellable, on_check_done,
                            g_object_ref (self));
}

static gboolean
on_debounce_elapsed (gpointer user_data)
{
  StudioModelPage *self = user_data;

  self->debounce_id = 0;
  start_check (self);
  notify_updating (self);
  return G_SOURCE_REMOVE;
}

/* After a user edit: wait for the burst of edits to end, then check once. */
static void
schedule_check (StudioModelPage *self)
{
  self->edited = TRUE;
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->debounce_id = g_timeout_add (STUDIO_MODEL_PAGE_DEBOUNCE_MS, on_debounce_elapsed, self);
  notify_updating (self);
}

/* A new architecture from the program: check it at once, dropping checks under way. */
static void
restart_check (StudioModelPage *self)
{
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->checking = FALSE;
  self->check_again = FALSE;
  start_check (self);
  notify_updating (self);
}

/* ---------------------------------------------------------------- the layer list */

static void
on_row_changed (StudioLayerRow  *row,
                StudioModelPage *self)
{
  guint index = studio_layer_row_get_index (row);

  g_assert (index < n_layers (self));
  *layer_at (self, index) = *studio_layer_row_get_spec (row);
  schedule_check (self);
}

static void
rebuild_rows (StudioModelPage *self,
              int              selected)
{
  guint count = n_layers (self);
  g_autofree StudioLayerName *names = g_new0 (StudioLayerName, MAX (count, 1));
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->layer_list))) != NULL)
    gtk_list_box_remove (self->layer_list, child);
  if (count > 0)
    studio_layer_check_resolve_names ((const CnnLayerSpec *) self->architecture->layers->data,
                                      count, names);
  for (guint i = 0; i < count; i++)
    {
      GtkWidget *row = studio_layer_row_new (layer_at (self, i), i, count, names[i]);

      studio_layer_row_set_editable (STUDIO_LAYER_ROW (row), self->editable);
      g_signal_connect (row, "changed", G_CALLBACK (on_row_changed), self);
      gtk_list_box_append (self->layer_list, row);
    }
  studio_model_page_select_layer (self, selected);
}

static void
show_input_shape (StudioModelPage *self)
{
  gboolean fixed = self->fixed_shape[0] > 0;

  if (self->architecture != NULL)
    {
      gtk_spin_button_set_value (self->input_height_spin, self->architecture->height);
      gtk_spin_button_set_value (self->input_width_spin, self->architecture->width);
      gtk_spin_button_set_value (self->input_channels_spin, self->architecture->channels);
    }
  /* A shape the dataset sets is a fact, not a setting: plain text keeps the bar narrow. */
  gtk_widget_set_sensitive (self->input_box, self->editable);
  gtk_widget_set_visible (self->input_box, !fixed);
  gtk_widget_set_visible (self->input_fixed_label, fixed);
  if (fixed)
    {
      /* Translators: the input shape the dataset sets: height × width × channels. */
      g_autofree char *text = g_strdup_printf (_("%d × %d × %d, set by the dataset"),
                                               self->fixed_shape[0], self->fixed_shape[1],
                                               self->fixed_shape[2]);

      gtk_label_set_text (GTK_LABEL (self->input_fixed_label), text);
    }
}

static void
on_input_shape_changed (StudioModelPage *self)
{
  int height = gtk_spin_button_get_value_as_int (self->input_height_spin);
  int width = gtk_spin_button_get_value_as_int (self->input_width_spin);
  int channels = gtk_spin_button_get_value_as_int (self->input_channels_spin);
  StudioArchitecture *architecture = self->architecture;

  if (architecture == NULL
      || (architecture->height == height && architecture->width == width
          && architecture->channels == channels))
    return;
  architecture->height = height;
  architecture->width = width;
  architecture->channels = channels;
  schedule_check (self);
}

/* Shows the architecture's input shape without taking it for an edit. */
static void
show_input_shape_quietly (StudioModelPage *self)
{
  GtkSpinButton *spins[] = {
    self->input_height_spin, self->input_width_spin, self->input_channels_spin
  };

  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    g_signal_handlers_block_by_func (spins[i], on_input_shape_changed, self);
  show_input_shape (self);
  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    g_signal_handlers_unblock_by_func (spins[i], on_input_shape_changed, self);
}

/* Only the selected row unfolds its editors, so the list stays short. */
static void
on_selection_changed (StudioModelPage *self)
{
  if (self->layer_list == NULL)
    return;  /* disposing */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->layer_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (STUDIO_IS_LAYER_ROW (child))
      studio_layer_row_set_expanded (STUDIO_LAYER_ROW (child),
                                     gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (child)));
}

static int
selected_index (StudioModelPage *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->layer_list);

  return row != NULL ? gtk_list_box_row_get_index (row) : -1;
}

/* ---------------------------------------------------------------- actions */

static void
add_layer_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  StudioModelPage *self = STUDIO_MODEL_PAGE (widget);
  CnnLayerType type;
  int selected = selected_index (self);

  gtk_menu_button_popdown (self->add_button);
  if (!cnn_layer_type_from_class_name (g_variant_get_string (parameter, NULL), &type))
    return;
  studio_model_page_add_layer (self, selected >= 0 ? (guint) selected + 1 : n_layers (self),
                               type);
}

static void
remove_layer_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  studio_model_page_remove_layer (STUDIO_MODEL_PAGE (widget), g_variant_get_uint32 (parameter));
}

static void
move_layer_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  StudioModelPage *self = STUDIO_MODEL_PAGE (widget);
  guint index = g_variant_get_uint32 (parameter);
  gboolean up = g_str_equal (action_name, "model.move-layer-up");

  if ((up && index == 0) || (!up && index + 1 >= n_layers (self)))
    return;
  studio_model_page_move_layer (self, index, up ? index - 1 : index + 1);
}

static void
copy_summary_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  const char *text = studio_model_page_get_keras_text (STUDIO_MODEL_PAGE (widget));

  if (text != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

static void
on_json_file_chosen (StudioModelPage *self,
                     const char      *path,
                     gboolean         saving)
{
  g_autoptr(GError) error = NULL;

  if (saving && !studio_model_page_save_json (self, path, &error))
    studio_layer_json_dialog_show_error (GTK_WIDGET (self),
                                         _("Could not save the model JSON"), error);
  else if (!saving && !studio_model_page_open_json (self, path, &error))
    studio_layer_json_dialog_show_error (GTK_WIDGET (self),
                                         _("Could not open the model JSON"), error);
}

static void
choose_file (StudioModelPage *self,
             gboolean         saving)
{
  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (self->file_chooser);
  g_clear_object (&self->file_chooser);
  self->file_chooser = studio_layer_json_dialog_new (GTK_WIDGET (self), saving,
                                                     (StudioLayerJsonChosen) on_json_file_chosen,
                                                     self);
}

static void
open_json_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  choose_file (STUDIO_MODEL_PAGE (widget), FALSE);
}

static void
save_json_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  choose_file (STUDIO_MODEL_PAGE (widget), TRUE);
}

static void
update_actions (StudioModelPage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean has_model = self->architecture != NULL;

  gtk_widget_action_set_enabled (widget, "model.add-layer", self->editable && has_model);
  gtk_widget_action_set_enabled (widget, "model.remove-layer", self->editable && has_model);
  gtk_widget_action_set_enabled (widget, "model.move-layer-up", self->editable && has_model);
  gtk_widget_action_set_enabled (widget, "model.move-layer-down", self->editable && has_model);
  gtk_widget_action_set_enabled (widget, "model.open-json", self->editable);
  gtk_widget_action_set_enabled (widget, "model.save-json", has_model);
  gtk_widget_action_set_enabled (widget, "model.copy-summary",
                                 self->check != NULL && self->check->valid);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), self->editable);
}

static void
fill_add_layer_menu (StudioModelPage *self)
{
  for (int type = 0; type < CNN_N_LAYER_TYPES; type++)
    {
      const char *class_name = cnn_layer_type_class_name (type);
      GtkWidget *button = gtk_button_new_with_label (class_name);

      gtk_widget_add_css_class (button, "flat");
      gtk_label_set_xalign (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), 0.0);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "model.add-layer");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", class_name);
      gtk_box_append (self->add_layer_box, button);
    }
}

/* ---------------------------------------------------------------- GObject */

static void
studio_model_page_dispose (GObject *object)
{
  StudioModelPage *self = STUDIO_MODEL_PAGE (object);

  g_clear_handle_id (&self->debounce_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (self->file_chooser);
  g_clear_object (&self->file_chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), STUDIO_TYPE_MODEL_PAGE);
  g_clear_pointer (&self->architecture, studio_architecture_free);
  g_clear_pointer (&self->check, studio_layer_check_free);

  G_OBJECT_CLASS (studio_model_page_parent_class)->dispose (object);
}

static void
studio_model_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StudioModelPage *self = STUDIO_MODEL_PAGE (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, studio_model_page_get_valid (self));
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, studio_model_page_get_error_message (self));
      break;
    case PROP_EDITABLE:
      g_value_set_boolean (value, self->editable);
      break;
    case PROP_UPDATING:
      g_value_set_boolean (value, studio_model_page_get_updating (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
studio_model_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  StudioModelPage *self = STUDIO_MODEL_PAGE (object);

  switch (prop_id)
    {
    case PROP_EDITABLE:
      studio_model_page_set_editable (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
studio_model_page_class_init (StudioModelPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = studio_model_page_dispose;
  object_class->get_property = studio_model_page_get_property;
  object_class->set_property = studio_model_page_set_property;

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EDITABLE] =
    g_param_spec_boolean ("editable", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPDATING] =
    g_param_spec_boolean ("updating", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_ARCHITECTURE_CHANGED] =
    g_signal_new ("architecture-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "model.add-layer", "s", add_layer_action);
  gtk_widget_class_install_action (widget_class, "model.remove-layer", "u",
                                   remove_layer_action);
  gtk_widget_class_install_action (widget_class, "model.move-layer-up", "u", move_layer_action);
  gtk_widget_class_install_action (widget_class, "model.move-layer-down", "u",
                                   move_layer_action);
  gtk_widget_class_install_action (widget_class, "model.copy-summary", NULL,
                                   copy_summary_action);
  gtk_widget_class_install_action (widget_class, "model.open-json", NULL, open_json_action);
  gtk_widget_class_install_action (widget_class, "model.save-json", NULL, save_json_action);

  g_type_ensure (STUDIO_TYPE_STATUS_PAGE);
  g_type_ensure (STUDIO_TYPE_LAYER_SUMMARY);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convstudio/ConvStudio/"
                                               "studio-model-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioModelPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, StudioModelPage, input_box);
  gtk_widget_class_bind_template_child (widget_class, StudioModelPage, input_height_spin);
  gtk_widget_class_bind_template_child (widget_class, StudioModelPage, input_width_spin);
  gtk_widget_class_bind_template_child (widget_class, StudioModelPage, input_channels_spin);
  gtk_widget_class_bind_template_child (widget_class, StudioModelPage, input_fixed_label);
  gtk_widget_class_bind_template_child (widget_class, StudioModelPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, StudioModelPage, add_layer_box);
  gtk_widget_class_bind_template_child (widget_class, StudioModelPage, stack_error_box);
  gtk_widget_class_bind_template_child (widget_class, StudioModelPage, stack_error_label);
  gtk_widget_class_bind_template_child (widget_class, StudioModelPage, layer_list);
  gtk_widget_class_bind_template_child (widget_class, StudioModelPage, checking_spinner);
  gtk_widget_class_bind_template_child (widget_class, StudioModelPage, summary);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "modelpage");
}

static void
studio_model_page_init (StudioModelPage *self)
{
  self->editable = TRUE;
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  fill_add_layer_menu (self);
  g_signal_connect_swapped (self->layer_list, "selected-rows-changed",
                            G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->input_height_spin, "value-changed",
                            G_CALLBACK (on_input_shape_changed), self);
  g_signal_connect_swapped (self->input_width_spin, "value-changed",
                            G_CALLBACK (on_input_shape_changed), self);
  g_signal_connect_swapped (self->input_channels_spin, "value-changed",
                            G_CALLBACK (on_input_shape_changed), self);
  studio_layer_summary_clear (self->summary);
  gtk_stack_set_visible_child_name (self->state_stack, "empty");
  update_actions (self);
}

/* ---------------------------------------------------------------- public API */

GtkWidget *
studio_model_page_new (void)
{
  return g_object_new (STUDIO_TYPE_MODEL_PAGE, NULL);
}

/* Takes `architecture`; `edited` when the user asked for it (Open Model JSON). */
static void
replace_architecture (StudioModelPage    *self,
                      StudioArchitecture *architecture,
                      gboolean            edited)
{
  gboolean was_valid = studio_model_page_get_valid (self);

  g_clear_pointer (&self->architecture, studio_architecture_free);
  g_clear_pointer (&self->check, studio_layer_check_free);
  self->architecture = architecture;
  self->edited = edited && architecture != NULL;
  if (architecture != NULL)
    {
      studio_layer_clear_automatic_names (architecture);
      if (self->fixed_shape[0] > 0)
        {
          architecture->height = self->fixed_shape[0];
          architecture->width = self->fixed_shape[1];
          architecture->channels = self->fixed_shape[2];
        }
    }
  show_input_shape_quietly (self);
  rebuild_rows (self, -1);
  studio_layer_summary_clear (self->summary);
  gtk_widget_set_visible (self->stack_error_box, FALSE);
  gtk_stack_set_visible_child_name (self->state_stack, architecture != NULL ? "model" : "empty");
  update_actions (self);
  restart_check (self);
  if (was_valid)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
}

void
studio_model_page_set_architecture (StudioModelPage          *self,
                                    const StudioArchitecture *architecture)
{
  g_return_if_fail (STUDIO_IS_MODEL_PAGE (self));

  replace_architecture (self,
                        architecture != NULL ? studio_layer_copy_architecture (architecture)
                                             : NULL,
                        FALSE);
}

const StudioArchitecture *
studio_model_page_get_architecture (StudioModelPage *self)
{
  g_return_val_if_fail (STUDIO_IS_MODEL_PAGE (self), NULL);

  return self->architecture;
}

gboolean
studio_model_page_get_valid (StudioModelPage *self)
{
  g_return_val_if_fail (STUDIO_IS_MODEL_PAGE (self), FALSE);

  return self->check != NULL && self->check->valid;
}

const char *
studio_model_page_get_error_message (StudioModelPage *self)
{
  g_return_val_if_fail (STUDIO_IS_MODEL_PAGE (self), NULL);

  return self->check != NULL ? self->check->error_message : NULL;
}

gboolean
studio_model_page_get_updating (StudioModelPage *self)
{
  g_return_val_if_fail (STUDIO_IS_MODEL_PAGE (self), FALSE);

  return self->debounce_id != 0 || self->checking;
}

void
studio_model_page_set_editable (StudioModelPage *self,
                                gboolean         editable)
{
  g_return_if_fail (STUDIO_IS_MODEL_PAGE (self));

  editable = !!editable;
  if (self->editable == editable)
    return;
  self->editable = editable;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->layer_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (STUDIO_IS_LAYER_ROW (child))
      studio_layer_row_set_editable (STUDIO_LAYER_ROW (child), editable);
  show_input_shape (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITABLE]);
}

gboolean
studio_model_page_get_editable (StudioModelPage *self)
{
  g_return_val_if_fail (STUDIO_IS_MODEL_PAGE (self), FALSE);

  return self->editable;
}

void
studio_model_page_set_input_shape (StudioModelPage *self,
                                   int              height,
                                   int              width,
                                   int              channels)
{
  gboolean fixed = height > 0 && width > 0 && channels > 0;

  g_return_if_fail (STUDIO_IS_MODEL_PAGE (self));

  self->fixed_shape[0] = fixed ? height : 0;
  self->fixed_shape[1] = fixed ? width : 0;
  self->fixed_shape[2] = fixed ? channels : 0;
  if (fixed && self->architecture != NULL
      && (self->architecture->height != height || self->architecture->width != width
          || self->architecture->channels != channels))
    {
      /* The program's choice, not an edit: no "architecture-changed". */
      replace_architecture (self, studio_layer_copy_architecture (self->architecture), FALSE);
      return;
    }
  show_input_shape_quietly (self);
}

void
studio_model_page_set_layer_norms (StudioModelPage *self,
                                   const double    *weight_norms,
                                   const double    *gradient_norms,
                                   guint            count)
{
  g_return_if_fail (STUDIO_IS_MODEL_PAGE (self));
  g_return_if_fail (count == 0 || (weight_norms != NULL && gradient_norms != NULL));

  for (guint i = 0; i < n_layers (self); i++)
    {
      StudioLayerRow *row = studio_model_page_get_row (self, i);

      if (i < count)
        studio_layer_row_set_norms (row, weight_norms[i], gradient_norms[i]);
      else
        studio_layer_row_set_norms (row, NAN, NAN);
    }
}

void
studio_model_page_clear_layer_norms (StudioModelPage *self)
{
  studio_model_page_set_layer_norms (self, NULL, NULL, 0);
}

gboolean
studio_model_page_open_json (StudioModelPage  *self,
                             const char       *path,
                             GError          **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  StudioArchitecture *architecture;

  g_return_val_if_fail (STUDIO_IS_MODEL_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;
  architecture = studio_architecture_new_from_json (contents, (gssize) length, error);
  if (architecture == NULL)
    return FALSE;
  replace_architecture (self, architecture, TRUE);
  return TRUE;
}

gboolean
studio_model_page_save_json (StudioModelPage  *self,
                             const char       *path,
                             GError          **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (STUDIO_IS_MODEL_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->architecture == NULL)
    {
      g_set_error_literal (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_INVALID,
                           _("There is no model to save"));
      return FALSE;
    }
  json = studio_architecture_to_json (self->architecture);
  return studio_write_file_atomically (path, json, strlen (json), error);
}

const char *
studio_model_page_get_keras_text (StudioModelPage *self)
{
  g_return_val_if_fail (STUDIO_IS_MODEL_PAGE (self), NULL);

  return self->check != NULL ? self->check->keras_text : NULL;
}

guint
studio_model_page_get_n_layers (StudioModelPage *self)
{
  g_return_val_if_fail (STUDIO_IS_MODEL_PAGE (self), 0);

  return n_layers (self);
}

StudioLayerRow *
studio_model_page_get_row (StudioModelPage *self,
                           guint            index)
{
  g_return_val_if_fail (STUDIO_IS_MODEL_PAGE (self), NULL);
  g_return_val_if_fail (index < n_layers (self), NULL);

  return STUDIO_LAYER_ROW (gtk_list_box_get_row_at_index (self->layer_list, (int) index));
}

StudioLayerSummary *
studio_model_page_get_summary (StudioModelPage *self)
{
  g_return_val_if_fail (STUDIO_IS_MODEL_PAGE (self), NULL);

  return self->summary;
}

void
studio_model_page_add_layer (StudioModelPage *self,
                             guint            position,
                             CnnLayerType     type)
{
  CnnLayerSpec spec;

  g_return_if_fail (STUDIO_IS_MODEL_PAGE (self));
  g_return_if_fail (self->architecture != NULL);
  g_return_if_fail (position <= n_layers (self));
  g_return_if_fail ((guint) type < CNN_N_LAYER_TYPES);

  studio_layer_spec_init_for_insert (&spec, type);
  g_array_insert_val (self->architecture->layers, position, spec);
  rebuild_rows (self, (int) position);
  schedule_check (self);
}

void
studio_model_page_remove_layer (StudioModelPage *self,
                                guint            index)
{
  g_return_if_fail (STUDIO_IS_MODEL_PAGE (self));
  g_return_if_fail (index < n_layers (self));

  g_array_remove_index (self->architecture->layers, index);
  rebuild_rows (self, MIN ((int) index, (int) n_layers (self) - 1));
  schedule_check (self);
}

void
studio_model_page_move_layer (StudioModelPage *self,
                              guint            from,
                              guint            to)
{
  CnnLayerSpec spec;

  g_return_if_fail (STUDIO_IS_MODEL_PAGE (self));
  g_return_if_fail (from < n_layers (self) && to < n_layers (self));

  if (from == to)
    return;
  spec = *layer_at (self, from);
  g_array_remove_index (self->architecture->layers, from);
  g_array_insert_val (self->architecture->layers, to, spec);
  rebuild_rows (self, (int) to);
  schedule_check (self);
}

void
studio_model_page_select_layer (StudioModelPage *self,
                                int              index)
{
  GtkListBoxRow *row;

  g_return_if_fail (STUDIO_IS_MODEL_PAGE (self));

  row = index >= 0 ? gtk_list_box_get_row_at_index (self->layer_list, index) : NULL;
  if (row != NULL)
    gtk_list_box_select_row (self->layer_list, row);
  else
    gtk_list_box_unselect_all (self->layer_list);
}

gboolean
studio_model_page_set_layer_field (StudioModelPage  *self,
                                   guint             index,
                                   StudioLayerField  field,
                                   double            value)
{
  g_return_val_if_fail (STUDIO_IS_MODEL_PAGE (self), FALSE);
  g_return_val_if_fail (index < n_layers (self), FALSE);

  return studio_layer_row_set_field (studio_model_page_get_row (self, index), field, value);
}

int
studio_model_page_get_error_layer (StudioModelPage *self)
{
  g_return_val_if_fail (STUDIO_IS_MODEL_PAGE (self), -1);

  return self->check != NULL ? self->check->error_layer : -1;
}
