/* studio-window.h — the main window: header bar, page switcher, the five pages. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

#include "studio-application.h"
#include "studio-data-page.h"
#include "studio-dataset.h"
#include "studio-layers-view.h"
#include "studio-model-page.h"
#include "studio-predictions-page.h"
#include "studio-session.h"
#include "studio-training-page.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_WINDOW (studio_window_get_type ())
G_DECLARE_FINAL_TYPE (StudioWindow, studio_window, STUDIO, WINDOW, GtkApplicationWindow)

StudioWindow   *studio_window_new                  (StudioApplication *application);
/* Loads a dataset (IDX, image folder or CSV, decoded to the Data page's target size) on a
 * worker thread; the Data page shows the progress with Cancel meanwhile, then the dataset
 * or an error banner. The Open Dataset actions and the
 * win.open-dataset-path action all end here. */
void            studio_window_open_dataset         (StudioWindow      *self,
                                                    const char        *path);
/* Reopens the dataset of the last session (Fashion-MNIST's folder when there was none and
 * it is installed). */
void            studio_window_reopen_last_dataset  (StudioWindow      *self);
void            studio_window_cancel_loading       (StudioWindow      *self);
gboolean        studio_window_get_loading          (StudioWindow      *self);
StudioDataset  *studio_window_get_dataset          (StudioWindow      *self);
StudioDataPage *studio_window_get_data_page        (StudioWindow      *self);
/* "model", "data", "training", "predictions" or "layers". */
void            studio_window_show_page            (StudioWindow      *self,
                                                    const char        *page_name);
const char     *studio_window_get_visible_page     (StudioWindow      *self);

StudioSession      *studio_window_get_session       (StudioWindow      *self);
StudioModelPage    *studio_window_get_model_page    (StudioWindow      *self);
StudioTrainingPage *studio_window_get_training_page (StudioWindow      *self);
StudioPredictionsPage *studio_window_get_predictions_page (StudioWindow *self);
StudioLayersView   *studio_window_get_layers_view   (StudioWindow      *self);
/* TRUE while win.predict runs on a worker (win.cancel-predict stops it). */
gboolean            studio_window_get_predicting    (StudioWindow      *self);
/* Trains on only the first `limit` training samples (0 = all): quick runs and tests. */
void            studio_window_set_training_limit   (StudioWindow      *self,
                                                    gsize              limit);
/* Starts a run with the Training page's settings (what win.train does); FALSE with the
 * reason on the Training page when the model cannot train on the dataset. */
gboolean        studio_window_train                (StudioWindow      *self);
/* Save Model / Open Model without a chooser (.safetensors; Open also takes Keras JSON). */
gboolean        studio_window_save_model           (StudioWindow      *self,
                                                    const char        *path,
                                                    GError           **error);
gboolean        studio_window_open_model           (StudioWindow      *self,
                                                    const char        *path,
                                                    GError           **error);

G_END_DECLS
