/* studio-training-page.h — the Training page: settings, progress, live plots, epochs, log. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

#include "studio-epoch-table.h"
#include "studio-plot.h"
#include "studio-session.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_TRAINING_PAGE (studio_training_page_get_type ())
G_DECLARE_FINAL_TYPE (StudioTrainingPage, studio_training_page, STUDIO, TRAINING_PAGE, GtkWidget)

GtkWidget        *studio_training_page_new            (void);
/* Follows `session`: progress, curves, History rows and log lines; its settings are locked
 * while a run goes on. Actions "training.use-recipe" and "training.start-over". */
void              studio_training_page_set_session    (StudioTrainingPage         *self,
                                                       StudioSession              *session);
/* Remembers the settings that have keys in `settings` (batch size, epochs, …). */
void              studio_training_page_bind_settings  (StudioTrainingPage         *self,
                                                       GSettings                  *settings);
/* The settings on the page written into `config` (other fields are left as they are). */
void              studio_training_page_read_config    (StudioTrainingPage         *self,
                                                       StudioTrainingConfig       *config);
void              studio_training_page_show_config    (StudioTrainingPage         *self,
                                                       const StudioTrainingConfig *config);
/* "fashion-mnist" or "dogs-vs-cats"; NULL picks the one for the session's dataset. */
void              studio_training_page_use_recipe     (StudioTrainingPage         *self,
                                                       const char                 *recipe);
gboolean          studio_training_page_export_history (StudioTrainingPage         *self,
                                                       const char                 *path,
                                                       GError                    **error);
/* "Augmentation" on: the window links it to the Data page's "Augment training images" switch,
 * whose settings read_config leaves to the caller. */
GtkSwitch        *studio_training_page_get_augment_switch (StudioTrainingPage     *self);
/* Shows a problem above the plots (NULL hides it). */
void              studio_training_page_show_error     (StudioTrainingPage         *self,
                                                       const char                 *message);
StudioPlot       *studio_training_page_get_plot       (StudioTrainingPage         *self);
StudioEpochTable *studio_training_page_get_epoch_table (StudioTrainingPage        *self);
/* The Keras-style lines of the log, for tests. */
char             *studio_training_page_get_log_text   (StudioTrainingPage         *self);

G_END_DECLS
