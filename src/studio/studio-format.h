/* studio-format.h — numbers as people read them: 60000 → "60,000". */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A count with thousands separators, as Keras prints them: 60000 → "60,000". */
char *studio_format_count (gint64 count);

G_END_DECLS
