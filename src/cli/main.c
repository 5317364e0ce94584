/* main.c — convstudio-cli: the studio's jobs without a window, printed as Keras prints them. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "cli.h"
#include "studio-i18n.h"

static const struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} commands[] = {
  { "summary", cli_summary, N_("Print a model's Keras summary, with its MACs") },
  { "train", cli_train, N_("Train a model on a dataset (model.fit)") },
  { "evaluate", cli_evaluate, N_("Loss and accuracy of a saved model on a dataset") },
  { "predict", cli_predict, N_("Write a saved model's predictions as CSV") },
  { "augment", cli_augment, N_("Write the 5×3 augmentation preview of one image as PNG") },
};

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n\n%s\n", _("Usage: convstudio-cli COMMAND [OPTION…]"), _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n", _("Run “convstudio-cli COMMAND --help” for a command's options."));
}

int
main (int    argc,
      char **argv)
{
  studio_i18n_init ();
  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")
      || g_str_equal (argv[1], "help"))
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("convstudio-cli %s\n", PACKAGE_VERSION);
      return CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (argv[1], commands[i].name))
        {
          g_autofree char *program = g_strdup_printf ("convstudio-cli %s", commands[i].name);

          g_set_prgname (program);
          return commands[i].run (argc - 1, argv + 1);
        }
    }
  g_printerr (_("convstudio-cli: there is no command “%s”.\n\n"), argv[1]);
  print_usage (stderr);
  return CLI_EXIT_USAGE;
}
