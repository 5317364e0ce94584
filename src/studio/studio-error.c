/* studio-error.c — the studio layer's GError domain, and engine errors turned into GErrors. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n-lib.h>

#include "studio-error.h"

G_DEFINE_QUARK (studio-model-error-quark, studio_model_error)

StudioModelError
studio_model_error_from_cnn_status (CnnStatus status)
{
  switch (status)
    {
    case CNN_ERROR_SHAPE:
      return STUDIO_MODEL_ERROR_SHAPE;
    case CNN_ERROR_NO_MEMORY:
      return STUDIO_MODEL_ERROR_NO_MEMORY;
    case CNN_ERROR_NOT_COMPILED:
      return STUDIO_MODEL_ERROR_NOT_COMPILED;
    case CNN_ERROR_DATA:
      return STUDIO_MODEL_ERROR_DATA;
    case CNN_ERROR_NUMERIC:
      return STUDIO_MODEL_ERROR_NUMERIC;
    case CNN_OK:
    case CNN_ERROR_INVALID_ARGUMENT:
    default:
      return STUDIO_MODEL_ERROR_INVALID_ARGUMENT;
    }
}

void
studio_set_error_from_cnn (GError         **error,
                           const CnnError  *cnn_error,
                           const char      *prefix_format,
                           ...)
{
  g_autofree char *prefix = NULL;
  const char *message;

  g_return_if_fail (cnn_error != NULL);

  if (prefix_format != NULL)
    {
      va_list args;

      va_start (args, prefix_format);
      prefix = g_strdup_vprintf (prefix_format, args);
      va_end (args);
    }

  /* An engine that failed without saying why still gets a readable sentence. */
  message = cnn_error->message[0] != '\0' ? cnn_error->message
                                          : _("the engine reported an error");
  g_set_error (error, STUDIO_MODEL_ERROR, studio_model_error_from_cnn_status (cnn_error->status),
               "%s%.*s", prefix != NULL ? prefix : "", CNN_MESSAGE_MAX, message);
}
