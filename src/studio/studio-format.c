/* studio-format.c — numbers as people read them: 60000 → "60,000". */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include "studio-format.h"

char *
studio_format_count (gint64 count)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                             count < 0 ? -(guint64) count : (guint64) count);
  gsize n_digits = strlen (digits);
  GString *formatted = g_string_sized_new (n_digits + n_digits / 3 + 1);

  if (count < 0)
    g_string_append_c (formatted, '-');
  for (gsize i = 0; i < n_digits; i++)
    {
      if (i > 0 && (n_digits - i) % 3 == 0)
        g_string_append_c (formatted, ',');
      g_string_append_c (formatted, digits[i]);
    }
  return g_string_free (formatted, FALSE);
}

void
studio_format_append_double (GString *out,
                             double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_if_fail (out != NULL);

  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  g_string_append (out, buffer);
}
