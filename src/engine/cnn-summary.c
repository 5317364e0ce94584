/* cnn-summary.c — model.summary() text exactly as tf.keras 2.9–2.12 prints it. */
// SPDX-License-Identifier: GPL-3.0-or-later
//
// A transcription of keras/utils/layer_utils.py print_summary for a Sequential model:
// line_length 65, column ends [29, 55, 65], long cells wrapped onto following lines.

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cnn-private.h"

#define LINE_LENGTH 65
#define N_COLUMNS 3

static const int column_ends[N_COLUMNS] = { 29, 55, 65 };

typedef struct {
  char *data;
  size_t length, capacity;
  int failed;
} TextBuffer;

static void
text_append_n (TextBuffer *text, const char *s, size_t n)
{
  if (text->failed)
    return;
  if (text->length + n + 1 > text->capacity)
    {
      size_t capacity = (text->length + n + 1) * 2;
      char *data = realloc (text->data, capacity);
      if (!data)
        {
          text->failed = 1;
          return;
        }
      text->data = data;
      text->capacity = capacity;
    }
  memcpy (text->data + text->length, s, n);
  text->length += n;
  text->data[text->length] = '\0';
}

static void
text_append (TextBuffer *text, const char *s)
{
  text_append_n (text, s, strlen (s));
}

static void
text_append_repeated (TextBuffer *text, char c, int count)
{
  for (int i = 0; i < count; i++)
    text_append_n (text, &c, 1);
}

void
cnn_format_thousands (int64_t n, char *out, size_t out_size)
{
  char digits[32];
  int length = snprintf (digits, sizeof digits, "%lld", (long long) (n < 0 ? -n : n));
  size_t o = 0;

  if (n < 0 && o + 1 < out_size)
    out[o++] = '-';
  for (int i = 0; i < length && o + 1 < out_size; i++)
    {
      if (i > 0 && (length - i) % 3 == 0 && o + 2 < out_size)
        out[o++] = ',';
      out[o++] = digits[i];
    }
  out[o] = '\0';
}

/* Python's print_row: each pass prints what fits of every cell, breaking after "),",
 * "},", "]," or "'," when one falls inside the part that fits; then pads the line. */
static void
print_row (TextBuffer *text, const char *const fields[N_COLUMNS])
{
  const char *left[N_COLUMNS];

  for (int col = 0; col < N_COLUMNS; col++)
    left[col] = fields[col];
  while (*left[0] || *left[1] || *left[2])
    {
      size_t line_start = text->length;

      for (int col = 0; col < N_COLUMNS; col++)
        {
          int start = col > 0 ? column_ends[col - 1] : 0;
          int space = col != N_COLUMNS - 1 ? 2 : 0;
          size_t cutoff = (size_t) (column_ends[col] - start - space);
          size_t available = strlen (left[col]);
          size_t fit = available < cutoff ? available : cutoff;
          static const char *breaks[] = { "),", "},", "],", "'," };
          size_t best = fit;

          for (int b = 0; b < 4; b++)
            for (size_t i = 0; i + 1 < fit; i++)
              if (left[col][i] == breaks[b][0] && left[col][i + 1] == breaks[b][1])
                {
                  best = i + 2 < best ? i + 2 : best;
                  break;
                }
          if (col == 0)
            text_append (text, " ");
          text_append_n (text, left[col], best);
          text_append_repeated (text, ' ', space);
          left[col] += best;
          int line_length = (int) (text->length - line_start);
          text_append_repeated (text, ' ', column_ends[col] - line_length);
        }
      text_append (text, "\n");
    }
}

static void
output_shape_text (const CnnLayer *layer, char *out, size_t size)
{
  if (layer->out.rank == 3)
    snprintf (out, size, "(None, %d, %d, %d)", layer->out.h, layer->out.w, layer->out.c);
  else
    snprintf (out, size, "(None, %d)", layer->out.c);
}

char *
cnn_model_summary (const CnnModel *model, const char *model_name)
{
  TextBuffer text = { 0 };
  char name_cell[CNN_NAME_MAX + 64], shape_cell[64], params_cell[32], number[32];
  static const char *const header[N_COLUMNS] = { "Layer (type)", "Output Shape", "Param #" };

  text_append (&text, "Model: \"");
  text_append (&text, model_name ? model_name : "sequential");
  text_append (&text, "\"\n");
  text_append_repeated (&text, '_', LINE_LENGTH);
  text_append (&text, "\n");
  print_row (&text, header);
  text_append_repeated (&text, '=', LINE_LENGTH);
  text_append (&text, "\n");
  for (int i = 0; i < model->n_layers; i++)
    {
      const CnnLayer *layer = &model->layers[i];
      const char *const row[N_COLUMNS] = { name_cell, shape_cell, params_cell };

      snprintf (name_cell, sizeof name_cell, "%s (%s)", layer->spec.name,
                cnn_layer_type_class_name (layer->spec.type));
      output_shape_text (layer, shape_cell, sizeof shape_cell);
      snprintf (params_cell, sizeof params_cell, "%lld", (long long) layer->params);
      print_row (&text, row);
      /* tf.keras 2.9+ separates rows with a blank line of spaces, the last with '='. */
      text_append_repeated (&text, i == model->n_layers - 1 ? '=' : ' ', LINE_LENGTH);
      text_append (&text, "\n");
    }
  cnn_format_thousands ((int64_t) model->n_params, number, sizeof number);
  text_append (&text, "Total params: ");
  text_append (&text, number);
  cnn_format_thousands ((int64_t) model->n_trainable, number, sizeof number);
  text_append (&text, "\nTrainable params: ");
  text_append (&text, number);
  cnn_format_thousands ((int64_t) (model->n_params - model->n_trainable), number,
                        sizeof number);
  text_append (&text, "\nNon-trainable params: ");
  text_append (&text, number);
  text_append (&text, "\n");
  text_append_repeated (&text, '_', LINE_LENGTH);
  text_append (&text, "\n");
  if (text.failed)
    {
      free (text.data);
      return NULL;
    }
  return text.data;
}
