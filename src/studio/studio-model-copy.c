/* studio-model-copy.c — an independent copy of a model, to inspect while the original trains. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "studio-model-copy.h"
#include "studio-model-json.h"

static gboolean
copy_weights (const CnnModel  *source,
              CnnModel        *target,
              GError         **error)
{
  for (int i = 0; i < cnn_model_n_weights (source); i++)
    {
      const CnnWeight *from = cnn_model_weight (source, i);
      const CnnWeight *to = cnn_model_find_weight (target, from->name);

      /* The same architecture gives the same names and sizes; anything else is a bug that a
       * user should hear about rather than a silently half-copied model. */
      if (to == NULL || to->size != from->size)
        {
          g_set_error (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_SHAPE,
                       _("The copy of the model has no weight “%s” of %zu values."),
                       from->name, from->size);
          return FALSE;
        }
      memcpy (to->data, from->data, from->size * sizeof (float));
    }
  return TRUE;
}

CnnModel *
studio_model_copy (const CnnModel  *model,
                   GError         **error)
{
  g_autoptr(StudioArchitecture) architecture = NULL;
  CnnModel *copy;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  architecture = studio_architecture_new_from_model (model);
  copy = studio_architecture_build (architecture, cnn_model_get_seed (model), error);
  if (copy == NULL)
    return NULL;

  if (!copy_weights (model, copy, error))
    {
      cnn_model_free (copy);
      return NULL;
    }
  cnn_model_set_step (copy, cnn_model_get_step (model));
  return copy;
}
