/* studio-export.c — the CSV files ConvStudio writes: predictions, Kaggle submissions, history. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "studio-export.h"
#include "studio-format.h"

guint
studio_argmax (const float *values,
               guint        n)
{
  guint best = 0;

  for (guint i = 1; i < n; i++)
    if (values[i] > values[best])
      best = i;
  return best;
}

/* A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
static void
append_field (GString    *line,
              const char *field)
{
  if (strpbrk (field, ",\"\r\n") == NULL)
    {
      g_string_append (line, field);
      return;
    }
  g_string_append_c (line, '"');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

/* Probabilities with as many digits as a float32 holds, locale-independent. */
static void
append_probability (GString *line,
                    float    value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (line, g_ascii_formatd (buffer, sizeof buffer, "%.6g", value));
}

char *
studio_predictions_to_csv (const char * const *filenames,
                           const gint32       *true_labels,
                           const float        *probabilities,
                           gsize               n,
                           const char * const *class_names,
                           guint               n_classes)
{
  GString *csv = g_string_new ("filename,predicted_class,confidence");

  g_return_val_if_fail (probabilities != NULL || n == 0, NULL);
  g_return_val_if_fail (class_names != NULL && n_classes > 0, NULL);

  if (true_labels != NULL)
    g_string_append (csv, ",true_class,correct");
  for (guint c = 0; c < n_classes; c++)
    {
      g_string_append_c (csv, ',');
      append_field (csv, class_names[c]);
    }
  g_string_append (csv, "\r\n");

  for (gsize i = 0; i < n; i++)
    {
      const float *row = probabilities + i * n_classes;
      guint predicted = studio_argmax (row, n_classes);

      if (filenames != NULL && filenames[i] != NULL)
        append_field (csv, filenames[i]);
      else
        g_string_append_printf (csv, "%" G_GSIZE_FORMAT, i);
      g_string_append_c (csv, ',');
      append_field (csv, class_names[predicted]);
      g_string_append_c (csv, ',');
      append_probability (csv, row[predicted]);
      if (true_labels != NULL)
        {
          g_string_append_c (csv, ',');
          /* An unknown label (−1) leaves both cells empty: nothing to be right about. */
          if (true_labels[i] >= 0 && (guint) true_labels[i] < n_classes)
            {
              append_field (csv, class_names[true_labels[i]]);
              g_string_append (csv, (guint) true_labels[i] == predicted ? ",1" : ",0");
            }
          else
            g_string_append_c (csv, ',');
        }
      for (guint c = 0; c < n_classes; c++)
        {
          g_string_append_c (csv, ',');
          append_probability (csv, row[c]);
        }
      g_string_append (csv, "\r\n");
    }
  return g_string_free (csv, FALSE);
}

/* "test1/123.jpg" → "123". */
static char *
kaggle_id (const char *filename)
{
  g_autofree char *base = g_path_get_basename (filename);
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_steal_pointer (&base);
}

char *
studio_predictions_to_kaggle_csv (const char * const *filenames,
                                  const float        *probabilities,
                                  gsize               n,
                                  guint               n_classes)
{
  GString *csv = g_string_new ("id,label\r\n");

  g_return_val_if_fail (probabilities != NULL || n == 0, NULL);
  g_return_val_if_fail (n_classes > 0, NULL);

  for (gsize i = 0; i < n; i++)
    {
      guint predicted = studio_argmax (probabilities + i * n_classes, n_classes);

      if (filenames != NULL && filenames[i] != NULL)
        {
          g_autofree char *id = kaggle_id (filenames[i]);
          append_field (csv, id);
        }
      else
        g_string_append_printf (csv, "%" G_GSIZE_FORMAT, i + 1);
      g_string_append_printf (csv, ",%u\r\n", predicted);
    }
  return g_string_free (csv, FALSE);
}

/* Shortest text that reads back as the same double ("0.001", "0.6393"), with a dot. */
static void
append_number (GString *line,
               double   value)
{
  if (!isfinite (value))
    g_string_append (line, isnan (value) ? "nan" : value > 0 ? "inf" : "-inf");
  else
    studio_format_append_double (line, value);
}

char *
studio_history_to_csv (const CnnEpochLogs *epochs,
                       gsize               n_epochs)
{
  GString *csv = g_string_new ("epoch,loss,accuracy,val_loss,val_accuracy,lr\r\n");

  for (gsize i = 0; i < n_epochs; i++)
    {
      const CnnEpochLogs *logs = &epochs[i];

      g_string_append_printf (csv, "%d,", logs->epoch + 1);
      append_number (csv, logs->loss);
      g_string_append_c (csv, ',');
      append_number (csv, logs->accuracy);
      g_string_append_c (csv, ',');
      if (logs->has_validation)
        append_number (csv, logs->val_loss);
      g_string_append_c (csv, ',');
      if (logs->has_validation)
        append_number (csv, logs->val_accuracy);
      g_string_append_c (csv, ',');
      append_number (csv, logs->lr);
      g_string_append (csv, "\r\n");
    }
  return g_string_free (csv, FALSE);
}

static gboolean
parse_number (const char *text,
              double     *value)
{
  char *end = NULL;

  if (*text == '\0')
    return FALSE;
  errno = 0;
  *value = g_ascii_strtod (text, &end);
  return errno == 0 && end != NULL && *end == '\0';
}

GArray *
studio_history_from_csv (const char  *contents,
                         GError     **error)
{
  g_autoptr (GArray) epochs = g_array_new (FALSE, TRUE, sizeof (CnnEpochLogs));
  g_auto (GStrv) lines = NULL;

  g_return_val_if_fail (contents != NULL, NULL);

  lines = g_strsplit (contents, "\n", -1);
  if (lines[0] == NULL
      || !g_str_has_prefix (lines[0], "epoch,loss,accuracy,val_loss,val_accuracy,lr"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("This is not a ConvStudio history CSV (its first line should be “%s”)."),
                   "epoch,loss,accuracy,val_loss,val_accuracy,lr");
      return NULL;
    }

  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto (GStrv) fields = NULL;
      CnnEpochLogs logs = { 0 };
      double epoch;

      g_strchomp (lines[i]);
      if (lines[i][0] == '\0')
        continue;
      fields = g_strsplit (lines[i], ",", -1);
      if (g_strv_length (fields) != 6 || !parse_number (fields[0], &epoch)
          || !parse_number (fields[1], &logs.loss) || !parse_number (fields[2], &logs.accuracy)
          || !parse_number (fields[5], &logs.lr))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Line %u of the history CSV is not “epoch,loss,accuracy,val_loss,"
                         "val_accuracy,lr”."), i + 1);
          return NULL;
        }
      logs.epoch = (int) epoch - 1;
      logs.has_validation = parse_number (fields[3], &logs.val_loss)
                            && parse_number (fields[4], &logs.val_accuracy);
      g_array_append_val (epochs, logs);
    }
  return g_steal_pointer (&epochs);
}
