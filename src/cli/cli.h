/* cli.h — what the subcommands of convstudio-cli share. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

#include "studio-augment.h"
#include "studio-dataset-loader.h"
#include "studio-model-file.h"

G_BEGIN_DECLS

/* Exit statuses. */
enum {
  CLI_EXIT_OK = 0,
  CLI_EXIT_FAILED = 1,       /* the job could not be done: the message says why */
  CLI_EXIT_USAGE = 2,        /* the command line is wrong */
  CLI_EXIT_INTERRUPTED = 130 /* Ctrl+C: stopped after a batch, what was asked was saved */
};

int cli_summary (int argc, char **argv);
int cli_train (int argc, char **argv);
int cli_evaluate (int argc, char **argv);
int cli_predict (int argc, char **argv);
int cli_augment (int argc, char **argv);

/* Prints "convstudio-cli: <message>" on stderr and returns CLI_EXIT_FAILED. */
int  cli_fail (const GError *error);
/* Parses the options of a subcommand; on an error prints it with a hint and returns FALSE. */
gboolean cli_parse_options (GOptionContext *context, int *argc, char ***argv);

/* A model file (.safetensors, with its weights and training state) or a Keras
 * model.to_json() architecture (built with fresh weights from `seed`). */
StudioModelFile *cli_load_model (const char *path, guint32 seed, GError **error);

/* Opens a dataset for a model of input (height, width, channels), printing Keras's
 * "Found N validated image filenames…" and the skipped files for image folders. */
StudioDataset *cli_open_dataset (const char *spec, CnnModel *model, GError **error);

/* Options named like ImageDataGenerator's arguments, written into `settings`. */
GOptionGroup *cli_augment_option_group (StudioAugmentSettings *settings);

/* Parses "128x128" into height and width. */
gboolean cli_parse_size (const char *text, int *height, int *width, GError **error);

G_END_DECLS
