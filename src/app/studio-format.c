/* studio-format.c — numbers as the UI shows them (60,000), shared by the pages and widgets. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include "studio-format.h"

char *
studio_format_count (guint64 count)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, count);
  gsize n_digits = strlen (digits);
  GString *formatted = g_string_sized_new (n_digits + n_digits / 3);

  for (gsize i = 0; i < n_digits; i++)
    {
      if (i > 0 && (n_digits - i) % 3 == 0)
        g_string_append_c (formatted, ',');
      g_string_append_c (formatted, digits[i]);
    }

  return g_string_free (formatted, FALSE);
}
