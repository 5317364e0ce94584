/* studio-augment-controls.c — a form with one control per ImageDataGenerator setting. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include <glib/gi18n.h>

#include "studio-augment-controls.h"
#include "studio-training.h"

struct _StudioAugmentControls
{
  GtkWidget       parent_instance;

  GtkWidget      *grid;
  GtkSpinButton  *rotation_spin;
  GtkSpinButton  *width_shift_spin;
  GtkSpinButton  *height_shift_spin;
  GtkSpinButton  *shear_spin;
  GtkSpinButton  *zoom_lower_spin;
  GtkSpinButton  *zoom_upper_spin;
  GtkCheckButton *horizontal_flip_check;
  GtkCheckButton *vertical_flip_check;
  GtkDropDown    *fill_mode_dropdown;
  GtkSpinButton  *cval_spin;
  GtkCheckButton *brightness_check;
  GtkSpinButton  *brightness_lower_spin;
  GtkSpinButton  *brightness_upper_spin;
  GtkEntry       *rescale_entry;

  double          rescale;       /* the last valid value typed into rescale_entry */
  guint           updating;      /* > 0 while a setter changes several controls */
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (StudioAugmentControls, studio_augment_controls, GTK_TYPE_WIDGET)

static void
emit_changed (StudioAugmentControls *self)
{
  if (self->updating == 0)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
update_sensitivity (StudioAugmentControls *self)
{
  gboolean has_brightness = gtk_check_button_get_active (self->brightness_check);

  gtk_widget_set_sensitive (GTK_WIDGET (self->cval_spin),
                            gtk_drop_down_get_selected (self->fill_mode_dropdown)
                            == STUDIO_FILL_CONSTANT);
  gtk_widget_set_sensitive (GTK_WIDGET (self->brightness_lower_spin), has_brightness);
  gtk_widget_set_sensitive (GTK_WIDGET (self->brightness_upper_spin), has_brightness);
}

static void
on_control_changed (StudioAugmentControls *self)
{
  update_sensitivity (self);
  emit_changed (self);
}

/* Keeps lower ≤ upper: moving one end past the other drags the other along. */
static void
on_range_changed (GtkSpinButton         *spin,
                  StudioAugmentControls *self)
{
  GtkSpinButton *lower = NULL, *upper = NULL;

  if (spin == self->zoom_lower_spin || spin == self->zoom_upper_spin)
    lower = self->zoom_lower_spin, upper = self->zoom_upper_spin;
  else
    lower = self->brightness_lower_spin, upper = self->brightness_upper_spin;

  self->updating++;
  if (gtk_spin_button_get_value (lower) > gtk_spin_button_get_value (upper))
    {
      if (spin == lower)
        gtk_spin_button_set_value (upper, gtk_spin_button_get_value (lower));
      else
        gtk_spin_button_set_value (lower, gtk_spin_button_get_value (upper));
    }
  self->updating--;
  emit_changed (self);
}

static void
on_rescale_changed (StudioAugmentControls *self)
{
  double rescale;

  if (!studio_parse_rescale (gtk_editable_get_text (GTK_EDITABLE (self->rescale_entry)),
                             &rescale))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->rescale_entry), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->rescale_entry), "error");
  if (rescale == self->rescale)
    return;
  self->rescale = rescale;
  emit_changed (self);
}

static GtkSpinButton *
create_spin (double      lower,
             double      upper,
             double      step,
             guint       digits,
             const char *accessible_name)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, step);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 5);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible_name, -1);
  return GTK_SPIN_BUTTON (spin);
}

/* A row of the form: a caption (with the Keras keyword as its tooltip) and its control. */
static void
attach_row (StudioAugmentControls *self,
            int                    column,
            int                    row,
            const char            *caption,
            const char            *keras_name,
            const char            *tooltip,
            GtkWidget             *control)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (caption);
  g_autofree char *full_tooltip = g_strdup_printf ("%s — %s", keras_name, tooltip);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_tooltip_text (label, full_tooltip);
  gtk_widget_set_tooltip_text (control, full_tooltip);
  gtk_grid_attach (GTK_GRID (self->grid), label, column * 2, row, 1, 1);
  gtk_grid_attach (GTK_GRID (self->grid), control, column * 2 + 1, row, 1, 1);
  if (GTK_IS_SPIN_BUTTON (control) || GTK_IS_DROP_DOWN (control) || GTK_IS_ENTRY (control))
    gtk_label_set_mnemonic_widget (GTK_LABEL (label), control);
}

/* Two spin buttons "lower – upper" in one row. */
static GtkWidget *
create_range_box (GtkSpinButton *lower,
                  GtkSpinButton *upper)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (lower));
  gtk_box_append (GTK_BOX (box), gtk_label_new ("–"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (upper));
  return box;
}

static void
connect_spin (StudioAugmentControls *self,
              GtkSpinButton         *spin)
{
  g_signal_connect_swapped (spin, "value-changed", G_CALLBACK (on_control_changed), self);
}

static void
build_geometry_column (StudioAugmentControls *self)
{
  self->rotation_spin = create_spin (0, 180, 1, 1, _("Rotation range in degrees"));
  self->width_shift_spin = create_spin (0, 512, 0.01, 2, _("Width shift range"));
  self->height_shift_spin = create_spin (0, 512, 0.01, 2, _("Height shift range"));
  self->shear_spin = create_spin (0, 90, 0.1, 2, _("Shear range in degrees"));
  self->zoom_lower_spin = create_spin (0.05, 4, 0.05, 2, _("Smallest zoom"));
  self->zoom_upper_spin = create_spin (0.05, 4, 0.05, 2, _("Largest zoom"));

  attach_row (self, 0, 0, _("_Rotation (°)"), "rotation_range",
              _("each image turns by an angle drawn between −r and r degrees"),
              GTK_WIDGET (self->rotation_spin));
  attach_row (self, 0, 1, _("_Width shift"), "width_shift_range",
              _("a fraction of the width (below 1) or pixels; the shift is drawn between −r "
                "and r"), GTK_WIDGET (self->width_shift_spin));
  attach_row (self, 0, 2, _("_Height shift"), "height_shift_range",
              _("a fraction of the height (below 1) or pixels; the shift is drawn between −r "
                "and r"), GTK_WIDGET (self->height_shift_spin));
  attach_row (self, 0, 3, _("S_hear (°)"), "shear_range",
              _("shear angle in degrees, drawn between −r and r"),
              GTK_WIDGET (self->shear_spin));
  attach_row (self, 0, 4, _("_Zoom range"), "zoom_range",
              _("each axis is scaled by a factor drawn from this range; Keras's zoom_range=z "
                "means 1 − z to 1 + z"),
              create_range_box (self->zoom_lower_spin, self->zoom_upper_spin));

  connect_spin (self, self->rotation_spin);
  connect_spin (self, self->width_shift_spin);
  connect_spin (self, self->height_shift_spin);
  connect_spin (self, self->shear_spin);
  g_signal_connect (self->zoom_lower_spin, "value-changed", G_CALLBACK (on_range_changed), self);
  g_signal_connect (self->zoom_upper_spin, "value-changed", G_CALLBACK (on_range_changed), self);
}

static void
build_value_column (StudioAugmentControls *self)
{
  const char * const fill_modes[] = {
    /* Translators: ImageDataGenerator's fill modes; the Keras keyword follows in brackets. */
    N_("Nearest (nearest)"), N_("Constant (constant)"), N_("Reflect (reflect)"),
    N_("Wrap (wrap)"), NULL
  };
  g_autoptr(GtkStringList) fill_mode_names = gtk_string_list_new (NULL);
  GtkWidget *brightness_box;

  G_STATIC_ASSERT (G_N_ELEMENTS (fill_modes) == STUDIO_N_FILL_MODES + 1);
  for (guint i = 0; fill_modes[i] != NULL; i++)
    gtk_string_list_append (fill_mode_names, _(fill_modes[i]));

  self->horizontal_flip_check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  self->vertical_flip_check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  self->fill_mode_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (
    G_LIST_MODEL (g_steal_pointer (&fill_mode_names)), NULL));
  gtk_widget_set_valign (GTK_WIDGET (self->fill_mode_dropdown), GTK_ALIGN_CENTER);
  self->cval_spin = create_spin (0, 255, 1, 0, _("Fill value"));
  self->brightness_check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  self->brightness_lower_spin = create_spin (0, 3, 0.05, 2, _("Darkest brightness factor"));
  self->brightness_upper_spin = create_spin (0, 3, 0.05, 2, _("Brightest brightness factor"));
  self->rescale_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_editable_set_width_chars (GTK_EDITABLE (self->rescale_entry), 8);
  gtk_entry_set_placeholder_text (self->rescale_entry, _("none"));
  gtk_widget_set_valign (GTK_WIDGET (self->rescale_entry), GTK_ALIGN_CENTER);

  brightness_box = create_range_box (self->brightness_lower_spin, self->brightness_upper_spin);
  gtk_box_prepend (GTK_BOX (brightness_box), GTK_WIDGET (self->brightness_check));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->brightness_check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Vary the brightness"), -1);

  attach_row (self, 1, 0, _("Flip _horizontally"), "horizontal_flip",
              _("half of the images are mirrored left to right"),
              GTK_WIDGET (self->horizontal_flip_check));
  attach_row (self, 1, 1, _("Flip _vertically"), "vertical_flip",
              _("half of the images are turned upside down"),
              GTK_WIDGET (self->vertical_flip_check));
  attach_row (self, 1, 2, _("_Fill mode"), "fill_mode",
              _("how points outside the image are filled"),
              GTK_WIDGET (self->fill_mode_dropdown));
  attach_row (self, 1, 3, _("Fill _value"), "cval",
              _("the value of points outside the image when the fill mode is “constant”"),
              GTK_WIDGET (self->cval_spin));
  attach_row (self, 1, 4, _("_Brightness"), "brightness_range",
              _("each image's brightness is multiplied by a factor drawn from this range"),
              brightness_box);
  attach_row (self, 0, 5, _("Re_scale"), "rescale",
              _("multiplies every value after the other transforms, e.g. 1/255; the preview "
                "shows the images before it"), GTK_WIDGET (self->rescale_entry));

  g_signal_connect_swapped (self->horizontal_flip_check, "toggled",
                            G_CALLBACK (on_control_changed), self);
  g_signal_connect_swapped (self->vertical_flip_check, "toggled",
                            G_CALLBACK (on_control_changed), self);
  g_signal_connect_swapped (self->brightness_check, "toggled",
                            G_CALLBACK (on_control_changed), self);
  g_signal_connect_swapped (self->fill_mode_dropdown, "notify::selected",
                            G_CALLBACK (on_control_changed), self);
  connect_spin (self, self->cval_spin);
  g_signal_connect (self->brightness_lower_spin, "value-changed",
                    G_CALLBACK (on_range_changed), self);
  g_signal_connect (self->brightness_upper_spin, "value-changed",
                    G_CALLBACK (on_range_changed), self);
  g_signal_connect_swapped (self->rescale_entry, "changed",
                            G_CALLBACK (on_rescale_changed), self);
}

void
studio_augment_controls_get_settings (StudioAugmentControls *self,
                                      StudioAugmentSettings *settings)
{
  g_return_if_fail (STUDIO_IS_AUGMENT_CONTROLS (self));
  g_return_if_fail (settings != NULL);

  studio_augment_settings_init (settings);
  settings->rotation_range = gtk_spin_button_get_value (self->rotation_spin);
  settings->width_shift_range = gtk_spin_button_get_value (self->width_shift_spin);
  settings->height_shift_range = gtk_spin_button_get_value (self->height_shift_spin);
  settings->shear_range = gtk_spin_button_get_value (self->shear_spin);
  settings->zoom_range[0] = gtk_spin_button_get_value (self->zoom_lower_spin);
  settings->zoom_range[1] = gtk_spin_button_get_value (self->zoom_upper_spin);
  settings->horizontal_flip = gtk_check_button_get_active (self->horizontal_flip_check);
  settings->vertical_flip = gtk_check_button_get_active (self->vertical_flip_check);
  settings->fill_mode = gtk_drop_down_get_selected (self->fill_mode_dropdown);
  settings->cval = gtk_spin_button_get_value (self->cval_spin);
  settings->has_brightness_range = gtk_check_button_get_active (self->brightness_check);
  settings->brightness_range[0] = gtk_spin_button_get_value (self->brightness_lower_spin);
  settings->brightness_range[1] = gtk_spin_button_get_value (self->brightness_upper_spin);
  settings->rescale = self->rescale;
}

void
studio_augment_controls_set_settings (StudioAugmentControls       *self,
                                      const StudioAugmentSettings *settings)
{
  g_autofree char *rescale = NULL;

  g_return_if_fail (STUDIO_IS_AUGMENT_CONTROLS (self));
  g_return_if_fail (settings != NULL);
  g_return_if_fail (settings->fill_mode < STUDIO_N_FILL_MODES);

  self->updating++;
  gtk_spin_button_set_value (self->rotation_spin, settings->rotation_range);
  gtk_spin_button_set_value (self->width_shift_spin, settings->width_shift_range);
  gtk_spin_button_set_value (self->height_shift_spin, settings->height_shift_range);
  gtk_spin_button_set_value (self->shear_spin, settings->shear_range);
  gtk_spin_button_set_value (self->zoom_upper_spin, settings->zoom_range[1]);
  gtk_spin_button_set_value (self->zoom_lower_spin, settings->zoom_range[0]);
  gtk_check_button_set_active (self->horizontal_flip_check, settings->horizontal_flip);
  gtk_check_button_set_active (self->vertical_flip_check, settings->vertical_flip);
  gtk_drop_down_set_selected (self->fill_mode_dropdown, settings->fill_mode);
  gtk_spin_button_set_value (self->cval_spin, settings->cval);
  gtk_check_button_set_active (self->brightness_check, settings->has_brightness_range);
  gtk_spin_button_set_value (self->brightness_upper_spin, settings->brightness_range[1]);
  gtk_spin_button_set_value (self->brightness_lower_spin, settings->brightness_range[0]);
  rescale = studio_format_rescale (settings->rescale);
  gtk_editable_set_text (GTK_EDITABLE (self->rescale_entry), rescale);
  self->rescale = settings->rescale;
  self->updating--;

  update_sensitivity (self);
  emit_changed (self);
}

void
studio_augment_controls_apply_course_preset (StudioAugmentControls *self)
{
  StudioTrainingConfig config;

  g_return_if_fail (STUDIO_IS_AUGMENT_CONTROLS (self));

  /* The recipe is the one place that states the course's values, for the CLI too. */
  studio_training_config_init_recipe (&config, "dogs-vs-cats");
  studio_augment_controls_set_settings (self, &config.augment);
}

void
studio_augment_controls_reset (StudioAugmentControls *self)
{
  StudioTrainingConfig config;

  g_return_if_fail (STUDIO_IS_AUGMENT_CONTROLS (self));

  studio_training_config_init (&config);
  studio_augment_controls_set_settings (self, &config.augment);
}

static void
studio_augment_controls_dispose (GObject *object)
{
  StudioAugmentControls *self = STUDIO_AUGMENT_CONTROLS (object);

  g_clear_pointer (&self->grid, gtk_widget_unparent);

  G_OBJECT_CLASS (studio_augment_controls_parent_class)->dispose (object);
}

static void
studio_augment_controls_class_init (StudioAugmentControlsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = studio_augment_controls_dispose;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "augmentcontrols");
}

static void
studio_augment_controls_init (StudioAugmentControls *self)
{
  self->grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 12);
  gtk_widget_set_parent (self->grid, GTK_WIDGET (self));

  build_geometry_column (self);
  build_value_column (self);
  /* A gap between the two columns of the form. */
  gtk_widget_set_margin_start (gtk_grid_get_child_at (GTK_GRID (self->grid), 2, 0), 18);
  for (int row = 1; row < 5; row++)
    gtk_widget_set_margin_start (gtk_grid_get_child_at (GTK_GRID (self->grid), 2, row), 18);
  studio_augment_controls_reset (self);
}

GtkWidget *
studio_augment_controls_new (void)
{
  return g_object_new (STUDIO_TYPE_AUGMENT_CONTROLS, NULL);
}
