/* studio-format.h — numbers as people read them: 60000 → "60,000". */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A count with thousands separators, as Keras prints them: 60000 → "60,000". */
char *studio_format_count (gint64 count);

/* Appends the shortest text that reads back as the same double, with a dot whatever the
 * locale ("0.001", "0.6393", "1e-07"). `value` must be finite. */
void  studio_format_append_double (GString *out,
                                   double   value);

G_END_DECLS
