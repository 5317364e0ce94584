/* studio-status-page.h — an empty state: an icon, a title, a sentence and optional buttons. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define STUDIO_TYPE_STATUS_PAGE (studio_status_page_get_type ())
G_DECLARE_FINAL_TYPE (StudioStatusPage, studio_status_page, STUDIO, STATUS_PAGE, GtkWidget)

GtkWidget  *studio_status_page_new             (void);
const char *studio_status_page_get_icon_name   (StudioStatusPage *self);
void        studio_status_page_set_icon_name   (StudioStatusPage *self,
                                                const char       *icon_name);
const char *studio_status_page_get_title       (StudioStatusPage *self);
void        studio_status_page_set_title       (StudioStatusPage *self,
                                                const char       *title);
const char *studio_status_page_get_description (StudioStatusPage *self);
void        studio_status_page_set_description (StudioStatusPage *self,
                                                const char       *description);
GtkWidget  *studio_status_page_get_child       (StudioStatusPage *self);
void        studio_status_page_set_child       (StudioStatusPage *self,
                                                GtkWidget        *child);

G_END_DECLS
