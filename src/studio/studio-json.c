/* studio-json.c — JSON helpers shared by the model JSON and model file code. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "studio-error.h"
#include "studio-format.h"
#include "studio-json-private.h"

/* A hostile document could nest arrays deeply enough to exhaust the stack of json-glib's
 * recursive parser; this scan is iterative and skips brackets inside strings. */
static gboolean
check_depth (const char *text,
             gsize       length,
             guint      *depth_reached)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > STUDIO_JSON_MAX_DEPTH)
            {
              *depth_reached = depth;
              return FALSE;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

JsonNode *
studio_json_parse (const char  *text,
                   gssize       length,
                   const char  *what,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  gsize text_length;
  guint depth = 0;

  g_return_val_if_fail (text != NULL, NULL);

  text_length = length < 0 ? strlen (text) : (gsize) length;
  if (memchr (text, '\0', text_length) != NULL || !g_utf8_validate (text, text_length, NULL))
    {
      g_set_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_INVALID,
                   /* Translators: %s names the document, e.g. “The model JSON”. */
                   _("%s is not JSON text: it holds bytes that are not UTF-8 text"), what);
      return NULL;
    }
  if (!check_depth (text, text_length, &depth))
    {
      g_set_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_LIMIT,
                   /* Translators: %s names the document, e.g. “The model JSON”. */
                   _("%s nests arrays and objects more than %d levels deep"), what,
                   STUDIO_JSON_MAX_DEPTH);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, (gssize) text_length, &parse_error))
    {
      g_set_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_INVALID,
                   /* Translators: the first %s names the document, e.g. “The model JSON”; the
                    * second is the JSON parser's explanation. */
                   _("%s is not valid JSON: %s"), what, parse_error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      /* Translators: %s names the document, e.g. “The model JSON”. */
      g_set_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_INVALID, _("%s is empty"), what);
      return NULL;
    }
  return json_parser_steal_root (parser);
}

void
studio_json_append_string (GString    *out,
                           const char *value)
{
  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static gboolean
append_non_finite (GString *out,
                   double   value)
{
  if (isnan (value))
    g_string_append (out, "\"nan\"");
  else if (isinf (value))
    g_string_append (out, value > 0 ? "\"inf\"" : "\"-inf\"");
  else
    return FALSE;
  return TRUE;
}

/* Python's repr() writes integral floats as "3.0"; %g would write "3". */
static gboolean
append_integral (GString *out,
                 double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (value != floor (value) || fabs (value) >= 1e16)
    return FALSE;
  g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.1f", value));
  return TRUE;
}

void
studio_json_append_float (GString *out,
                          float    value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (append_non_finite (out, value) || append_integral (out, value))
    return;
  for (int precision = 1; precision <= 9; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if ((float) g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  g_string_append (out, buffer);
}

void
studio_json_append_double (GString *out,
                           double   value)
{
  if (append_non_finite (out, value) || append_integral (out, value))
    return;
  studio_format_append_double (out, value);
}

gboolean
studio_json_node_get_int64 (JsonNode *node,
                            gint64   *value)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *value = json_node_get_int (node);
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      double number = json_node_get_double (node);

      /* 32.0 where 32 was meant; the range check keeps the cast defined. */
      if (number != floor (number) || !(fabs (number) < 9.0e18))
        return FALSE;
      *value = (gint64) number;
      return TRUE;
    }
  return FALSE;
}

gboolean
studio_json_get_int64 (JsonObject *object,
                       const char *member,
                       gint64     *value)
{
  return studio_json_node_get_int64 (json_object_get_member (object, member), value);
}

gboolean
studio_json_get_double (JsonObject *object,
                        const char *member,
                        double     *value)
{
  JsonNode *node = json_object_get_member (object, member);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
    {
      *value = json_node_get_double (node);
      return TRUE;
    }
  if (type == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);

      if (g_str_equal (text, "inf") || g_str_equal (text, "Infinity"))
        *value = INFINITY;
      else if (g_str_equal (text, "-inf") || g_str_equal (text, "-Infinity"))
        *value = -INFINITY;
      else if (g_str_equal (text, "nan") || g_str_equal (text, "NaN"))
        *value = NAN;
      else
        return FALSE;
      return TRUE;
    }
  return FALSE;
}

gboolean
studio_json_get_boolean (JsonObject *object,
                         const char *member,
                         gboolean   *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;
  *value = json_node_get_boolean (node);
  return TRUE;
}

const char *
studio_json_get_string (JsonObject *object,
                        const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonObject *
studio_json_get_object (JsonObject *object,
                        const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
studio_json_get_array (JsonObject *object,
                       const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}
