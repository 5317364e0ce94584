/* studio-skipped-list.h — the files an image-folder scan skipped, with reasons, to inspect. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

#include "studio-image-folder.h"

G_BEGIN_DECLS

/* An expander headed "3 Files Skipped" over a table of filename, reason and the decoder's
 * or the system's own words. */
#define STUDIO_TYPE_SKIPPED_LIST (studio_skipped_list_get_type ())
G_DECLARE_FINAL_TYPE (StudioSkippedList, studio_skipped_list, STUDIO, SKIPPED_LIST, GtkWidget)

GtkWidget  *studio_skipped_list_new         (void);
/* Copies the scan's skipped files (NULL or none: an empty list). */
void        studio_skipped_list_set_scan    (StudioSkippedList     *self,
                                             const StudioImageScan *scan);
guint       studio_skipped_list_get_n_items (StudioSkippedList     *self);
/* The file (relative to the folder), the reason as the user reads it, and the detail (may
 * be NULL) of skipped file `position`, in the order the scan met them. */
const char *studio_skipped_list_get_name    (StudioSkippedList     *self,
                                             guint                  position);
const char *studio_skipped_list_get_reason  (StudioSkippedList     *self,
                                             guint                  position);
const char *studio_skipped_list_get_detail  (StudioSkippedList     *self,
                                             guint                  position);
/* The expander's heading, e.g. "3 files skipped". */
const char *studio_skipped_list_get_heading (StudioSkippedList     *self);
void        studio_skipped_list_set_expanded (StudioSkippedList    *self,
                                              gboolean              expanded);

G_END_DECLS
