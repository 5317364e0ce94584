/* studio-layer-row.c — one layer of the Model page: its name, settings, shape, norms, errors. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "studio-format.h"
#include "studio-layer-row.h"
#include "studio-model-json.h"

struct _StudioLayerRow
{
  GtkListBoxRow  parent_instance;

  /* Template children */
  GtkLabel      *index_label;
  GtkLabel      *title_label;
  GtkLabel      *output_label;
  GtkLabel      *norms_label;
  GtkLabel      *settings_label;
  GtkRevealer   *settings_revealer;
  GtkFlowBox    *settings_grid;
  GtkWidget     *error_box;
  GtkLabel      *error_label;
  GtkWidget     *button_box;
  GtkButton     *up_button;
  GtkButton     *down_button;
  GtkButton     *remove_button;

  GtkWidget     *editors[STUDIO_LAYER_N_FIELDS];
  CnnLayerSpec   spec;
  guint          index;
  guint          n_layers;
  guint          n_settings;
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* How a numeric setting is edited: its range, step and decimals. */
typedef struct
{
  double lower;
  double upper;
  double step;
  guint  digits;
} SpinRange;

static const char * const padding_names[] = { "valid", "same", NULL };

G_DEFINE_FINAL_TYPE (StudioLayerRow, studio_layer_row, GTK_TYPE_LIST_BOX_ROW)

#define FIELD_KEY "studio-layer-field"

static StudioLayerField
editor_field (gpointer editor)
{
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (editor), FIELD_KEY));
}

static double
spec_field_value (const CnnLayerSpec *spec,
                  StudioLayerField    field)
{
  switch (field)
    {
    case STUDIO_LAYER_FIELD_FILTERS: return spec->filters;
    case STUDIO_LAYER_FIELD_UNITS: return spec->units;
    case STUDIO_LAYER_FIELD_KERNEL_HEIGHT: return spec->kernel_size[0];
    case STUDIO_LAYER_FIELD_KERNEL_WIDTH: return spec->kernel_size[1];
    case STUDIO_LAYER_FIELD_POOL_HEIGHT: return spec->pool_size[0];
    case STUDIO_LAYER_FIELD_POOL_WIDTH: return spec->pool_size[1];
    case STUDIO_LAYER_FIELD_STRIDE_HEIGHT: return spec->strides[0];
    case STUDIO_LAYER_FIELD_STRIDE_WIDTH: return spec->strides[1];
    case STUDIO_LAYER_FIELD_PADDING: return spec->padding;
    case STUDIO_LAYER_FIELD_ACTIVATION: return spec->activation;
    case STUDIO_LAYER_FIELD_RATE: return spec->rate;
    case STUDIO_LAYER_FIELD_MOMENTUM: return spec->momentum;
    case STUDIO_LAYER_FIELD_EPSILON: return spec->epsilon;
    case STUDIO_LAYER_FIELD_SCALE: return spec->scale;
    case STUDIO_LAYER_FIELD_OFFSET: return spec->offset;
    case STUDIO_LAYER_N_FIELDS:
    default:
      g_return_val_if_reached (0);
    }
}

static void
set_spec_field (CnnLayerSpec     *spec,
                StudioLayerField  field,
                double            value)
{
  int whole = (int) lround (value);

  switch (field)
    {
    case STUDIO_LAYER_FIELD_FILTERS: spec->filters = whole; break;
    case STUDIO_LAYER_FIELD_UNITS: spec->units = whole; break;
    case STUDIO_LAYER_FIELD_KERNEL_HEIGHT: spec->kernel_size[0] = whole; break;
    case STUDIO_LAYER_FIELD_KERNEL_WIDTH: spec->kernel_size[1] = whole; break;
    case STUDIO_LAYER_FIELD_POOL_HEIGHT: spec->pool_size[0] = whole; break;
    case STUDIO_LAYER_FIELD_POOL_WIDTH: spec->pool_size[1] = whole; break;
    case STUDIO_LAYER_FIELD_STRIDE_HEIGHT: spec->strides[0] = whole; break;
    case STUDIO_LAYER_FIELD_STRIDE_WIDTH: spec->strides[1] = whole; break;
    case STUDIO_LAYER_FIELD_PADDING: spec->padding = (CnnPadding) whole; break;
    case STUDIO_LAYER_FIELD_ACTIVATION: spec->activation = (CnnActivation) whole; break;
    case STUDIO_LAYER_FIELD_RATE: spec->rate = (float) value; break;
    case STUDIO_LAYER_FIELD_MOMENTUM: spec->momentum = (float) value; break;
    case STUDIO_LAYER_FIELD_EPSILON: spec->epsilon = (float) value; break;
    case STUDIO_LAYER_FIELD_SCALE: spec->scale = (float) value; break;
    case STUDIO_LAYER_FIELD_OFFSET: spec->offset = (float) value; break;
    case STUDIO_LAYER_N_FIELDS:
    default:
      g_return_if_reached ();
    }
}

/* The settings in one line, shown while the editors are folded away. */
static char *
describe_settings (const CnnLayerSpec *spec)
{
  const char *activation = cnn_activation_name (spec->activation);
  const char *padding = padding_names[spec->padding == CNN_PADDING_SAME];

  switch (spec->type)
    {
    case CNN_LAYER_CONV2D:
      return g_strdup_printf (_("%d filters, kernel %d×%d, strides %d×%d, %s, %s"),
                              spec->filters, spec->kernel_size[0], spec->kernel_size[1],
                              spec->strides[0], spec->strides[1], padding, activation);
    case CNN_LAYER_MAX_POOLING2D:
    case CNN_LAYER_AVERAGE_POOLING2D:
      if (spec->strides[0] == 0 && spec->strides[1] == 0)
        return g_strdup_printf (_("pool %d×%d, %s"), spec->pool_size[0], spec->pool_size[1],
                                padding);
      return g_strdup_printf (_("pool %d×%d, strides %d×%d, %s"), spec->pool_size[0],
                              spec->pool_size[1], spec->strides[0], spec->strides[1], padding);
    case CNN_LAYER_BATCH_NORMALIZATION:
      return g_strdup_printf (_("momentum %g, epsilon %g"), spec->momentum, spec->epsilon);
    case CNN_LAYER_DROPOUT:
      return g_strdup_printf (_("rate %g"), spec->rate);
    case CNN_LAYER_DENSE:
      return g_strdup_printf (_("%d units, %s"), spec->units, activation);
    case CNN_LAYER_ACTIVATION:
      return g_strdup (activation);
    case CNN_LAYER_RESCALING:
      return g_strdup_printf (_("scale %g, offset %g"), spec->scale, spec->offset);
    case CNN_LAYER_GLOBAL_AVERAGE_POOLING2D:
    case CNN_LAYER_FLATTEN:
    case CNN_N_LAYER_TYPES:
    default:
      return g_strdup ("");
    }
}

static void
show_settings_text (StudioLayerRow *self)
{
  g_autofree char *text = describe_settings (&self->spec);
  gboolean folded = !gtk_revealer_get_reveal_child (self->settings_revealer);

  gtk_label_set_text (self->settings_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->settings_label), *text != '\0' && folded);
}

static void
on_spin_value_changed (GtkSpinButton  *spin,
                       StudioLayerRow *self)
{
  set_spec_field (&self->spec, editor_field (spin), gtk_spin_button_get_value (spin));
  show_settings_text (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_drop_down_selected (GtkDropDown    *drop_down,
                       GParamSpec     *pspec,
                       StudioLayerRow *self)
{
  set_spec_field (&self->spec, editor_field (drop_down), gtk_drop_down_get_selected (drop_down));
  show_settings_text (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* Pooling strides of 0 follow the pool size, as Keras's strides=None does. */
static gboolean
on_stride_output (GtkSpinButton *spin,
                  gpointer       user_data)
{
  if (gtk_spin_button_get_value_as_int (spin) != 0)
    return FALSE;
  /* Translators: pooling strides that follow the pool size (Keras's strides=None). */
  gtk_editable_set_text (GTK_EDITABLE (spin), C_("strides", "auto"));
  return TRUE;
}

static int
on_stride_input (GtkSpinButton *spin,
                 double        *new_value,
                 gpointer       user_data)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));

  if (g_strcmp0 (text, C_("strides", "auto")) != 0 && g_strcmp0 (text, "auto") != 0)
    return FALSE;
  *new_value = 0;
  return TRUE;
}

static GtkWidget *
new_spin (StudioLayerRow   *self,
          StudioLayerField  field,
          SpinRange         range)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (range.lower, range.upper, range.step);

  g_object_set_data (G_OBJECT (spin), FIELD_KEY, GINT_TO_POINTER (field));
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), range.digits);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), FALSE);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), range.digits > 0 ? (int) range.digits + 3
                                                     : range.upper > STUDIO_MODEL_MAX_WINDOW ? 5
                                                     : 3);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), spec_field_value (&self->spec, field));
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  g_signal_connect (spin, "value-changed", G_CALLBACK (on_spin_value_changed), self);
  self->editors[field] = spin;
  return spin;
}

static GtkWidget *
new_drop_down (StudioLayerRow     *self,
               StudioLayerField    field,
               const char * const *choices)
{
  GtkWidget *drop_down = gtk_drop_down_new_from_strings (choices);

  g_object_set_data (G_OBJECT (drop_down), FIELD_KEY, GINT_TO_POINTER (field));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down),
                              (guint) spec_field_value (&self->spec, field));
  gtk_widget_set_valign (drop_down, GTK_ALIGN_CENTER);
  g_signal_connect (drop_down, "notify::selected", G_CALLBACK (on_drop_down_selected), self);
  self->editors[field] = drop_down;
  return drop_down;
}

/* One setting in the editor box: "Kernel [3] × [3]". The settings flow into as many
 * columns as the width allows, so a narrow window still shows every editor. */
static void
add_setting (StudioLayerRow *self,
             const char     *caption,
             GtkWidget      *first,
             GtkWidget      *second)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *label = gtk_label_new (caption);
  GtkWidget *child = gtk_flow_box_child_new ();

  gtk_widget_add_css_class (label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_margin_end (label, 4);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), first);
  if (second != NULL)
    {
      gtk_box_append (GTK_BOX (box), gtk_label_new ("×"));
      gtk_box_append (GTK_BOX (box), second);
    }
  /* The editors take the focus, not the flow box's cells. */
  gtk_widget_set_focusable (child, FALSE);
  gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), box);
  gtk_flow_box_append (self->settings_grid, child);
  self->n_settings++;
}

static void
add_window_settings (StudioLayerRow   *self,
                     const char       *caption,
                     StudioLayerField  height_field,
                     gboolean          strides_may_follow)
{
  SpinRange window = { 1, STUDIO_MODEL_MAX_WINDOW, 1, 0 };
  SpinRange strides = { strides_may_follow ? 0 : 1, STUDIO_MODEL_MAX_WINDOW, 1, 0 };
  GtkWidget *stride_height, *stride_width;

  add_setting (self, caption, new_spin (self, height_field, window),
               new_spin (self, height_field + 1, window));
  stride_height = new_spin (self, STUDIO_LAYER_FIELD_STRIDE_HEIGHT, strides);
  stride_width = new_spin (self, STUDIO_LAYER_FIELD_STRIDE_WIDTH, strides);
  if (strides_may_follow)
    for (GtkWidget *spin = stride_height; spin != NULL;
         spin = spin == stride_height ? stride_width : NULL)
      {
        g_signal_connect (spin, "output", G_CALLBACK (on_stride_output), NULL);
        g_signal_connect (spin, "input", G_CALLBACK (on_stride_input), NULL);
        gtk_spin_button_update (GTK_SPIN_BUTTON (spin));
        gtk_editable_set_width_chars (GTK_EDITABLE (spin), 4);
      }
  add_setting (self, _("Strides"), stride_height, stride_width);
  add_setting (self, _("Padding"),
               new_drop_down (self, STUDIO_LAYER_FIELD_PADDING, padding_names), NULL);
}

static void
add_activation_setting (StudioLayerRow *self)
{
  const char *names[CNN_N_ACTIVATIONS + 1];

  for (int i = 0; i < CNN_N_ACTIVATIONS; i++)
    names[i] = cnn_activation_name (i);
  names[CNN_N_ACTIVATIONS] = NULL;
  add_setting (self, _("Activation"),
               new_drop_down (self, STUDIO_LAYER_FIELD_ACTIVATION, names), NULL);
}

static void
build_settings (StudioLayerRow *self)
{
  SpinRange units = { 1, STUDIO_MODEL_MAX_UNITS, 1, 0 };

  switch (self->spec.type)
    {
    case CNN_LAYER_CONV2D:
      add_setting (self, _("Filters"), new_spin (self, STUDIO_LAYER_FIELD_FILTERS, units), NULL);
      add_window_settings (self, _("Kernel"), STUDIO_LAYER_FIELD_KERNEL_HEIGHT, FALSE);
      add_activation_setting (self);
      break;
    case CNN_LAYER_MAX_POOLING2D:
    case CNN_LAYER_AVERAGE_POOLING2D:
      add_window_settings (self, _("Pool"), STUDIO_LAYER_FIELD_POOL_HEIGHT, TRUE);
      break;
    case CNN_LAYER_BATCH_NORMALIZATION:
      add_setting (self, _("Momentum"),
                   new_spin (self, STUDIO_LAYER_FIELD_MOMENTUM, (SpinRange) { 0, 1, 0.01, 3 }),
                   NULL);
      add_setting (self, _("Epsilon"),
                   new_spin (self, STUDIO_LAYER_FIELD_EPSILON,
                             (SpinRange) { 1e-6, 1, 1e-4, 6 }), NULL);
      break;
    case CNN_LAYER_DROPOUT:
      add_setting (self, _("Rate"),
                   new_spin (self, STUDIO_LAYER_FIELD_RATE, (SpinRange) { 0, 0.99, 0.05, 2 }),
                   NULL);
      break;
    case CNN_LAYER_DENSE:
      add_setting (self, _("Units"), new_spin (self, STUDIO_LAYER_FIELD_UNITS, units), NULL);
      add_activation_setting (self);
      break;
    case CNN_LAYER_ACTIVATION:
      add_activation_setting (self);
      break;
    case CNN_LAYER_RESCALING:
      add_setting (self, _("Scale"),
                   new_spin (self, STUDIO_LAYER_FIELD_SCALE,
                             (SpinRange) { -1000, 1000, 0.001, 8 }), NULL);
      add_setting (self, _("Offset"),
                   new_spin (self, STUDIO_LAYER_FIELD_OFFSET,
                             (SpinRange) { -1000, 1000, 0.1, 3 }), NULL);
      break;
    case CNN_LAYER_GLOBAL_AVERAGE_POOLING2D:
    case CNN_LAYER_FLATTEN:
    case CNN_N_LAYER_TYPES:
    default:
      break;
    }
  if (self->n_settings == 0)
    gtk_widget_set_visible (GTK_WIDGET (self->settings_revealer), FALSE);
}

static void
studio_layer_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), STUDIO_TYPE_LAYER_ROW);

  G_OBJECT_CLASS (studio_layer_row_parent_class)->dispose (object);
}

static void
studio_layer_row_class_init (StudioLayerRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = studio_layer_row_dispose;

  /* The user edited a setting; get_spec() holds the new value. */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convstudio/ConvStudio/"
                                               "studio-layer-row.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioLayerRow, index_label);
  gtk_widget_class_bind_template_child (widget_class, StudioLayerRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, StudioLayerRow, output_label);
  gtk_widget_class_bind_template_child (widget_class, StudioLayerRow, norms_label);
  gtk_widget_class_bind_template_child (widget_class, StudioLayerRow, settings_label);
  gtk_widget_class_bind_template_child (widget_class, StudioLayerRow, settings_revealer);
  gtk_widget_class_bind_template_child (widget_class, StudioLayerRow, settings_grid);
  gtk_widget_class_bind_template_child (widget_class, StudioLayerRow, error_box);
  gtk_widget_class_bind_template_child (widget_class, StudioLayerRow, error_label);
  gtk_widget_class_bind_template_child (widget_class, StudioLayerRow, button_box);
  gtk_widget_class_bind_template_child (widget_class, StudioLayerRow, up_button);
  gtk_widget_class_bind_template_child (widget_class, StudioLayerRow, down_button);
  gtk_widget_class_bind_template_child (widget_class, StudioLayerRow, remove_button);
}

static void
studio_layer_row_init (StudioLayerRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
studio_layer_row_new (const CnnLayerSpec *spec,
                      guint               index,
                      guint               n_layers,
                      const char         *name)
{
  StudioLayerRow *self;
  g_autofree char *number = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (spec != NULL && name != NULL, NULL);
  g_return_val_if_fail (index < n_layers, NULL);

  self = g_object_new (STUDIO_TYPE_LAYER_ROW, NULL);
  self->spec = *spec;
  self->index = index;
  self->n_layers = n_layers;
  number = g_strdup_printf ("%u", index + 1);
  title = g_strdup_printf ("%s (%s)", name, cnn_layer_type_class_name (spec->type));
  gtk_label_set_text (self->index_label, number);
  gtk_label_set_text (self->title_label, title);
  build_settings (self);
  show_settings_text (self);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->up_button), "model.move-layer-up");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->down_button), "model.move-layer-down");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->remove_button), "model.remove-layer");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->up_button), "u", index);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->down_button), "u", index);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->remove_button), "u", index);
  gtk_widget_set_sensitive (GTK_WIDGET (self->up_button), index > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->down_button), index + 1 < n_layers);

  return GTK_WIDGET (self);
}

const CnnLayerSpec *
studio_layer_row_get_spec (StudioLayerRow *self)
{
  g_return_val_if_fail (STUDIO_IS_LAYER_ROW (self), NULL);

  return &self->spec;
}

guint
studio_layer_row_get_index (StudioLayerRow *self)
{
  g_return_val_if_fail (STUDIO_IS_LAYER_ROW (self), 0);

  return self->index;
}

void
studio_layer_row_set_output (StudioLayerRow     *self,
                             const CnnLayerInfo *info)
{
  g_autofree char *params = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (STUDIO_IS_LAYER_ROW (self));

  if (info == NULL)
    {
      gtk_label_set_text (self->output_label, "");
      return;
    }
  params = studio_format_count ((guint64) info->params);
  if (info->output_rank == 1)
    /* Translators: a layer's output shape and weight count, "→ (None, 64) · 8,256 params". */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "→ (None, %d) · %s param",
                                         "→ (None, %d) · %s params", (gulong) info->params),
                            info->output_shape[0], params);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "→ (None, %d, %d, %d) · %s param",
                                         "→ (None, %d, %d, %d) · %s params",
                                         (gulong) info->params),
                            info->output_shape[0], info->output_shape[1],
                            info->output_shape[2], params);
  gtk_label_set_text (self->output_label, text);
}

void
studio_layer_row_set_error (StudioLayerRow *self,
                            const char     *message)
{
  g_return_if_fail (STUDIO_IS_LAYER_ROW (self));

  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (self->error_box, message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self), "error-row");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "error-row");
}

const char *
studio_layer_row_get_error (StudioLayerRow *self)
{
  g_return_val_if_fail (STUDIO_IS_LAYER_ROW (self), NULL);

  if (!gtk_widget_get_visible (self->error_box))
    return NULL;
  return gtk_label_get_text (self->error_label);
}

void
studio_layer_row_set_norms (StudioLayerRow *self,
                            double          weight_norm,
                            double          gradient_norm)
{
  g_autofree char *text = NULL;

  g_return_if_fail (STUDIO_IS_LAYER_ROW (self));

  if (isnan (weight_norm) || isnan (gradient_norm))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->norms_label), FALSE);
      return;
    }
  /* Translators: ‖w‖ is the norm of a layer's weights, ‖∇‖ that of their gradients. */
  text = g_strdup_printf (_("‖w‖ %.4g   ‖∇‖ %.3g"), weight_norm, gradient_norm);
  gtk_label_set_text (self->norms_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->norms_label), TRUE);
}

const char *
studio_layer_row_get_norms (StudioLayerRow *self)
{
  g_return_val_if_fail (STUDIO_IS_LAYER_ROW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->norms_label)))
    return NULL;
  return gtk_label_get_text (self->norms_label);
}

void
studio_layer_row_set_editable (StudioLayerRow *self,
                               gboolean        editable)
{
  g_return_if_fail (STUDIO_IS_LAYER_ROW (self));

  gtk_widget_set_sensitive (GTK_WIDGET (self->settings_grid), editable);
  gtk_widget_set_visible (self->button_box, editable);
}

void
studio_layer_row_set_expanded (StudioLayerRow *self,
                               gboolean        expanded)
{
  g_return_if_fail (STUDIO_IS_LAYER_ROW (self));

  gtk_revealer_set_reveal_child (self->settings_revealer, expanded && self->n_settings > 0);
  show_settings_text (self);
}

gboolean
studio_layer_row_set_field (StudioLayerRow   *self,
                            StudioLayerField  field,
                            double            value)
{
  GtkWidget *editor;

  g_return_val_if_fail (STUDIO_IS_LAYER_ROW (self), FALSE);
  g_return_val_if_fail (field < STUDIO_LAYER_N_FIELDS, FALSE);

  editor = self->editors[field];
  if (editor == NULL)
    return FALSE;
  if (GTK_IS_SPIN_BUTTON (editor))
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (editor), value);
  else
    gtk_drop_down_set_selected (GTK_DROP_DOWN (editor), (guint) value);
  return TRUE;
}

GtkWidget *
studio_layer_row_get_editor (StudioLayerRow   *self,
                             StudioLayerField  field)
{
  g_return_val_if_fail (STUDIO_IS_LAYER_ROW (self), NULL);
  g_return_val_if_fail (field < STUDIO_LAYER_N_FIELDS, NULL);

  return self->editors[field];
}
