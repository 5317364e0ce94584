/* studio-augment-controls.h — a form with one control per ImageDataGenerator setting. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

#include "studio-augment.h"

G_BEGIN_DECLS

/* Emits "changed" (no arguments) whenever the user, a preset or a setter changes a value;
 * programmatic changes that touch several controls emit it once. */
#define STUDIO_TYPE_AUGMENT_CONTROLS (studio_augment_controls_get_type ())
G_DECLARE_FINAL_TYPE (StudioAugmentControls, studio_augment_controls,
                      STUDIO, AUGMENT_CONTROLS, GtkWidget)

GtkWidget *studio_augment_controls_new          (void);
void       studio_augment_controls_get_settings (StudioAugmentControls       *self,
                                                 StudioAugmentSettings       *settings);
void       studio_augment_controls_set_settings (StudioAugmentControls       *self,
                                                 const StudioAugmentSettings *settings);
/* The course's Dogs vs. Cats ImageDataGenerator (DESIGN.md): rotation 15, shear 0.1,
 * zoom 0.2, shifts 0.1, horizontal flip, rescale 1/255. */
void       studio_augment_controls_apply_course_preset (StudioAugmentControls *self);
/* No augmentation, rescale 1/255: what training uses by default. */
void       studio_augment_controls_reset        (StudioAugmentControls       *self);

G_END_DECLS
