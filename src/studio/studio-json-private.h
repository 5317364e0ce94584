/* studio-json-private.h — JSON helpers shared by the model JSON and model file code. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deeper nesting than this is refused before json-glib, whose parser recurses. */
#define STUDIO_JSON_MAX_DEPTH 64

/* Parses `text` (length bytes, or NUL-terminated when length < 0) after checking its
 * nesting depth. `what` names the document in messages, translated: _("The model JSON"). */
JsonNode *studio_json_parse (const char  *text,
                             gssize       length,
                             const char  *what,
                             GError     **error);

/* Appends `value` as a quoted JSON string, escaped. */
void      studio_json_append_string (GString    *out,
                                     const char *value);
/* Appends the shortest decimal that reads back as the same float, the way Python writes
 * Keras's numbers (0.2, 0.001, 1e-07, 0.0). */
void      studio_json_append_float (GString *out,
                                    float    value);
/* Appends a double exactly (shortest round-trip form); infinities and NaN, which JSON
 * cannot hold, become the strings "inf", "-inf" and "nan". */
void      studio_json_append_double (GString *out,
                                     double   value);

/* Typed look-ups that never warn on a member of the wrong type: they return FALSE when
 * the member is missing or is not of the type. */
gboolean  studio_json_get_int64 (JsonObject *object,
                                 const char *member,
                                 gint64     *value);
/* Accepts numbers and the strings written by studio_json_append_double(). */
gboolean  studio_json_get_double (JsonObject *object,
                                  const char *member,
                                  double     *value);
gboolean  studio_json_get_boolean (JsonObject *object,
                                   const char *member,
                                   gboolean   *value);
const char *studio_json_get_string (JsonObject *object,
                                    const char *member);
JsonObject *studio_json_get_object (JsonObject *object,
                                    const char *member);
JsonArray  *studio_json_get_array (JsonObject *object,
                                   const char *member);
/* TRUE when `node` is a JSON number with an integral value that fits in gint64. */
gboolean  studio_json_node_get_int64 (JsonNode *node,
                                      gint64   *value);

G_END_DECLS
