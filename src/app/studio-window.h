/* studio-window.h — the main window: header bar, page switcher, the four pages. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

#include "studio-application.h"
#include "studio-data-page.h"
#include "studio-dataset.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_WINDOW (studio_window_get_type ())
G_DECLARE_FINAL_TYPE (StudioWindow, studio_window, STUDIO, WINDOW, GtkApplicationWindow)

StudioWindow   *studio_window_new                  (StudioApplication *application);
/* Loads a dataset folder or IDX file on a worker thread; the Data page shows a spinner with
 * Cancel meanwhile, then the dataset or an error banner. The Open Dataset actions and the
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
/* "model", "data", "training" or "predictions". */
void            studio_window_show_page            (StudioWindow      *self,
                                                    const char        *page_name);
const char     *studio_window_get_visible_page     (StudioWindow      *self);

G_END_DECLS
