/* cli-summary.c — `convstudio-cli summary`: Keras's model.summary(), plus MACs per layer. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n-lib.h>

#include "cli.h"
#include "studio-format.h"

static void
print_macs (CnnModel *model)
{
  g_autofree char *total = studio_format_count (cnn_model_total_macs (model));

  g_print ("%s\n", _("Multiply-accumulates per image (forward pass):"));
  for (int i = 0; i < cnn_model_n_layers (model); i++)
    {
      CnnLayerInfo info;
      g_autofree char *macs = NULL;

      cnn_model_layer_info (model, i, &info);
      if (info.macs == 0)
        continue;
      macs = studio_format_count (info.macs);
      g_print (" %-28s%20s\n", info.name, macs);
    }
  g_print (_("Total MACs: %s\n"), total);
}

int
cli_summary (int    argc,
             char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (_("MODEL — print a model's summary"));
  g_autoptr (StudioModelFile) file = NULL;
  g_autoptr (GError) error = NULL;
  char *summary;

  g_option_context_set_summary (context,
    _("MODEL is a Keras model.to_json() file or a saved .safetensors model."));
  if (!cli_parse_options (context, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc != 2)
    {
      g_printerr (_("%s: give one model file.\n"), g_get_prgname ());
      return CLI_EXIT_USAGE;
    }

  file = cli_load_model (argv[1], 42, &error);
  if (file == NULL)
    return cli_fail (error);

  summary = cnn_model_summary (file->model, file->model_name);
  g_print ("%s", summary);
  free (summary);
  print_macs (file->model);
  return CLI_EXIT_OK;
}
