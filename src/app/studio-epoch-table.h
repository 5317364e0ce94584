/* studio-epoch-table.h — Keras's History as a table: one row per finished epoch. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

#include "cnn.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_EPOCH_TABLE (studio_epoch_table_get_type ())
G_DECLARE_FINAL_TYPE (StudioEpochTable, studio_epoch_table, STUDIO, EPOCH_TABLE, GtkWidget)

GtkWidget *studio_epoch_table_new        (void);
/* Shows `epochs` (CnnEpochLogs): rows already shown stay, new ones are appended, and a
 * shorter history (a new model) starts the table over. */
void       studio_epoch_table_set_history (StudioEpochTable   *self,
                                           const CnnEpochLogs *epochs,
                                           guint               n_epochs);
guint      studio_epoch_table_get_n_rows (StudioEpochTable   *self);

G_END_DECLS
