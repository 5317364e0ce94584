/* studio-format.h — numbers as the UI shows them (60,000), shared by the pages and widgets. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A count with thousands separators, as Keras prints them: 60000 → "60,000". */
char *studio_format_count (guint64 count);

G_END_DECLS
