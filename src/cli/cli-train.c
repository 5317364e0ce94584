/* cli-train.c — `convstudio-cli train`: model.fit from a terminal, printed as Keras prints it. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "cli.h"
#include "studio-error.h"
#include "studio-export.h"
#include "studio-progbar.h"
#include "studio-training.h"

/* Ctrl+C asks training to stop after the current batch; a second one ends the process. */
static volatile sig_atomic_t interrupted;

static void
on_interrupt (int signal_number)
{
  interrupted = 1;
  signal (signal_number, SIG_DFL);
}

/* What the progress callbacks print and remember. */
typedef struct {
  gboolean terminal;        /* a live bar; else one line per epoch, as Keras's verbose=2 */
  gboolean show_lr;         /* Keras adds lr to the logs when ReduceLROnPlateau runs */
  int epochs;
  gint64 epoch_start;       /* g_get_monotonic_time () */
  gint64 last_draw;
  gint64 steps;
  gboolean line_open;       /* a bar is on screen without its newline */
  gsize last_width;
  gboolean stop_announced;
} Progress;

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static void
draw_line (Progress   *progress,
           const char *line)
{
  gsize width = strlen (line);

  /* Overwrite the previous bar; pad when the new line is shorter. */
  g_print ("\r%s%*s", line, (int) (progress->last_width > width ? progress->last_width - width : 0),
           "");
  progress->last_width = width;
  progress->line_open = TRUE;
  fflush (stdout);
}

static void
close_line (Progress *progress)
{
  if (progress->line_open)
    g_print ("\n");
  progress->line_open = FALSE;
  progress->last_width = 0;
}

static CnnControl
check_interrupt (Progress *progress)
{
  if (!interrupted)
    return CNN_CONTINUE;
  if (!progress->stop_announced)
    {
      close_line (progress);
      g_printerr (_("Stopping after this batch (press Ctrl+C again to quit at once)…\n"));
      progress->stop_announced = TRUE;
    }
  return CNN_STOP;
}

static CnnControl
on_epoch_begin (void *user_data,
                int   epoch)
{
  Progress *progress = user_data;

  g_print ("Epoch %d/%d\n", epoch + 1, progress->epochs);
  progress->epoch_start = g_get_monotonic_time ();
  progress->last_draw = 0;
  return check_interrupt (progress);
}

static CnnControl
on_batch_end (void               *user_data,
              const CnnBatchLogs *logs)
{
  Progress *progress = user_data;
  gint64 now = g_get_monotonic_time ();

  progress->steps = logs->steps;
  /* Keras redraws at most every 50 ms; the last step is drawn with the epoch's metrics. */
  if (progress->terminal && logs->step < logs->steps
      && now - progress->last_draw >= 50 * 1000)
    {
      StudioMetric metrics[] = { { "loss", logs->loss }, { "accuracy", logs->accuracy } };
      g_autofree char *line = studio_progbar_line (logs->step, logs->steps,
                                                   seconds_since (progress->epoch_start),
                                                   metrics, G_N_ELEMENTS (metrics));
      draw_line (progress, line);
      progress->last_draw = now;
    }
  return check_interrupt (progress);
}

static CnnControl
on_epoch_end (void               *user_data,
              const CnnEpochLogs *logs)
{
  Progress *progress = user_data;
  StudioMetric metrics[5] = { { "loss", logs->loss }, { "accuracy", logs->accuracy } };
  guint n_metrics = 2;
  g_autofree char *line = NULL;
  double elapsed = seconds_since (progress->epoch_start);

  if (logs->has_validation)
    {
      metrics[n_metrics++] = (StudioMetric) { "val_loss", logs->val_loss };
      metrics[n_metrics++] = (StudioMetric) { "val_accuracy", logs->val_accuracy };
    }
  if (progress->show_lr)
    metrics[n_metrics++] = (StudioMetric) { "lr", logs->lr };

  if (progress->terminal)
    {
      line = studio_progbar_line (progress->steps, progress->steps, elapsed, metrics, n_metrics);
      draw_line (progress, line);
      close_line (progress);
    }
  else
    {
      line = studio_progbar_epoch_line (progress->steps, elapsed, metrics, n_metrics);
      g_print ("%s\n", line);
    }
  fflush (stdout);
  return check_interrupt (progress);
}

static void
on_message (void       *user_data,
            const char *message)
{
  Progress *progress = user_data;

  /* Keras starts these on a new line, leaving the running bar above. */
  close_line (progress);
  g_print ("%s\n", message);
}

/* ---------------------------------------------------------------- options */

typedef struct {
  char *dataset;
  char *model;
  char *resume;
  char *recipe;
  char *save;
  char *history;
  char *validation_data;
  char *optimizer;
  char *loss;
  char *early_stopping;
  char *reduce_lr;
  int epochs;
  int batch_size;
  gint64 steps_per_epoch;
  gint64 limit;
  int seed;
  double lr;
  double validation_split;
  gboolean stratify;
  StudioAugmentSettings augment;
} TrainOptions;

static void
train_options_clear (TrainOptions *options)
{
  g_free (options->dataset);
  g_free (options->model);
  g_free (options->resume);
  g_free (options->recipe);
  g_free (options->save);
  g_free (options->history);
  g_free (options->validation_data);
  g_free (options->optimizer);
  g_free (options->loss);
  g_free (options->early_stopping);
  g_free (options->reduce_lr);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TrainOptions, train_options_clear)

/* Turns the options into a run's configuration: the recipe's (or Keras's) defaults, then
 * what a resumed model file recorded, then every option the user gave. */
static gboolean
configure (TrainOptions               *options,
           const StudioTrainingState  *resumed,
           StudioTrainingConfig       *config,
           GError                    **error)
{
  if (options->recipe != NULL)
    {
      if (!studio_training_config_init_recipe (config, options->recipe))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("There is no recipe “%s” (there are fashion-mnist and dogs-vs-cats)."),
                       options->recipe);
          return FALSE;
        }
    }
  else
    studio_training_config_init (config);
  if (resumed != NULL)
    studio_training_config_resume (config, resumed);

  if (options->optimizer != NULL)
    {
      CnnOptimizerType type;

      if (!cnn_optimizer_from_name (options->optimizer, &type))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("There is no optimizer “%s” (there are adam, rmsprop and sgd)."),
                       options->optimizer);
          return FALSE;
        }
      cnn_optimizer_config_init (&config->optimizer, type);
    }
  if (options->lr > 0)
    config->optimizer.learning_rate = options->lr;
  if (options->loss != NULL && !cnn_loss_from_name (options->loss, &config->loss))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("There is no loss “%s” (there are categorical_crossentropy, "
                     "sparse_categorical_crossentropy and binary_crossentropy)."), options->loss);
      return FALSE;
    }
  if (options->epochs > 0)
    config->epochs = options->epochs;
  if (options->batch_size > 0)
    config->batch_size = options->batch_size;
  if (options->steps_per_epoch > 0)
    config->steps_per_epoch = options->steps_per_epoch;
  if (options->limit > 0)
    config->limit = options->limit;
  if (options->seed >= 0)
    config->seed = options->seed;
  if (options->validation_split >= 0)
    config->validation_split = options->validation_split;
  if (options->validation_split >= 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--validation-split is a fraction below 1, like 0.2."));
      return FALSE;
    }
  config->stratify = options->stratify;
  if (!studio_augment_settings_is_identity (&options->augment) || options->augment.rescale != 0)
    {
      if (options->augment.rescale == 0)
        options->augment.rescale = config->augment.rescale;
      config->augment = options->augment;
    }
  if (options->early_stopping != NULL)
    {
      config->has_early_stopping = TRUE;
      if (!studio_parse_early_stopping (options->early_stopping, &config->early_stopping, error))
        return FALSE;
    }
  if (options->reduce_lr != NULL)
    {
      config->has_reduce_lr = TRUE;
      if (!studio_parse_reduce_lr (options->reduce_lr, &config->reduce_lr, error))
        return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------------------- the run */

typedef struct {
  StudioModelFile *file;         /* the model, its optimizer and what a resumed file held */
  StudioDataset *dataset;
  StudioDataset *validation;
  StudioTrainingData *data;
  GArray *history;               /* CnnEpochLogs of every epoch so far, resumed ones too */
  CnnEarlyStopping early_stopping;  /* settings and state, resumed or fresh */
  CnnReduceLROnPlateau reduce_lr;
  gboolean resumed_early_stopping;
  gboolean resumed_reduce_lr;
  int initial_epoch;                 /* epochs done before this run */
  int epochs_done;                   /* epochs done after it */
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->data, studio_training_data_free);
  g_clear_object (&run->dataset);
  g_clear_object (&run->validation);
  g_clear_pointer (&run->history, g_array_unref);
  cnn_early_stopping_clear (&run->early_stopping);
  if (run->file != NULL)
    {
      /* The file's copy of the state was moved into the run. */
      run->file->training.has_early_stopping = FALSE;
      run->file->training.early_stopping.best_weights = NULL;
      g_clear_pointer (&run->file, studio_model_file_free);
    }
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static gboolean
prepare_model (Run                   *run,
               TrainOptions          *options,
               StudioTrainingConfig  *config,
               GError               **error)
{
  StudioTrainingState *state;
  g_autofree char *model_path = NULL;

  if (options->resume != NULL)
    {
      /* Continue as the saved run would have: its epoch, its callbacks' state. */
      state = &run->file->training;
      run->initial_epoch = state->epoch;
      if (run->file->has_loss && options->loss == NULL)
        config->loss = run->file->loss;
      if (state->history != NULL)
        run->history = g_array_ref (state->history);
      if (state->has_early_stopping && options->early_stopping == NULL)
        {
          config->has_early_stopping = TRUE;
          run->early_stopping = state->early_stopping;
          state->early_stopping.best_weights = NULL;
          run->resumed_early_stopping = TRUE;
        }
      if (state->has_reduce_lr && options->reduce_lr == NULL)
        {
          config->has_reduce_lr = TRUE;
          run->reduce_lr = state->reduce_lr;
          run->resumed_reduce_lr = TRUE;
        }
      if (run->initial_epoch >= config->epochs)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("“%s” has already trained %d epochs; ask for more with --epochs."),
                       options->resume, run->initial_epoch);
          return FALSE;
        }
    }
  else
    {
      model_path = options->model != NULL
                     ? g_strdup (options->model)
                     : studio_seed_model_path (studio_path_is_idx (options->dataset)
                                                  ? "fashion-mnist" : "dogs-vs-cats");
      run->file = cli_load_model (model_path, config->seed, error);
      if (run->file == NULL)
        return FALSE;
    }

  if (run->history == NULL)
    run->history = g_array_new (FALSE, TRUE, sizeof (CnnEpochLogs));
  if (config->has_early_stopping && !run->resumed_early_stopping)
    run->early_stopping = config->early_stopping;
  if (config->has_reduce_lr && !run->resumed_reduce_lr)
    run->reduce_lr = config->reduce_lr;
  return TRUE;
}

static gboolean
prepare_data (Run                         *run,
              TrainOptions                *options,
              const StudioTrainingConfig  *config,
              GError                     **error)
{
  CnnModel *model = run->file->model;

  run->dataset = cli_open_dataset (options->dataset, model, error);
  if (run->dataset == NULL)
    return FALSE;
  if (!studio_training_check_model (model, run->dataset, config->loss, error))
    return FALSE;

  if (g_strcmp0 (options->validation_data, "test") == 0)
    {
      if (studio_dataset_get_n_samples (run->dataset, STUDIO_SPLIT_TEST) == 0)
        {
          g_set_error (error, STUDIO_DATA_ERROR, STUDIO_DATA_ERROR_EMPTY,
                       _("“%s” has no test part to validate on; use --validation-split."),
                       options->dataset);
          return FALSE;
        }
      run->validation = g_object_ref (run->dataset);
    }
  else if (options->validation_data != NULL)
    {
      run->validation = cli_open_dataset (options->validation_data, model, error);
      if (run->validation == NULL
          || !studio_training_check_model (model, run->validation, config->loss, error))
        return FALSE;
    }

  run->data = studio_training_data_new (run->dataset, run->validation, config, error);
  return run->data != NULL;
}

/* Writes the model and the history that were asked for, each on its own: one failing does
 * not keep the other from being saved. Prints each failure; FALSE when any failed. */
static gboolean
save_outputs (Run                         *run,
              TrainOptions                *options,
              const StudioTrainingConfig  *config)
{
  g_autoptr (GError) model_error = NULL;
  g_autoptr (GError) history_error = NULL;

  if (options->save != NULL)
    {
      StudioModelFile file = *run->file;

      file.has_loss = TRUE;
      file.loss = config->loss;
      file.class_names = (char **) studio_dataset_get_class_names (run->dataset);
      studio_training_state_set (&file.training, config, run->epochs_done,
                                 config->has_early_stopping ? &run->early_stopping : NULL,
                                 config->has_reduce_lr ? &run->reduce_lr : NULL,
                                 run->history);
      if (studio_model_file_save (&file, options->save, &model_error))
        g_print (_("Saved the model to %s\n"), options->save);
      else
        cli_fail (model_error);
    }
  if (options->history != NULL)
    {
      g_autofree char *csv = studio_history_to_csv ((CnnEpochLogs *) run->history->data,
                                                    run->history->len);

      if (studio_write_file_atomically (options->history, csv, strlen (csv), &history_error))
        g_print (_("Saved the history to %s\n"), options->history);
      else
        cli_fail (history_error);
    }
  return model_error == NULL && history_error == NULL;
}

static int
train (TrainOptions *options)
{
  g_auto (Run) run = { 0 };
  g_autoptr (GError) error = NULL;
  StudioTrainingConfig config;
  CnnFitConfig fit;
  CnnHistory history = { 0 };
  CnnError cnn_error = { 0 };
  Progress progress = { 0 };
  CnnFitCallbacks callbacks = {
    .user_data = &progress,
    .on_epoch_begin = on_epoch_begin,
    .on_batch_end = on_batch_end,
    .on_epoch_end = on_epoch_end,
    .on_message = on_message,
  };
  CnnStatus status;

  if (options->resume != NULL)
    {
      run.file = studio_model_file_load (options->resume, &error);
      if (run.file == NULL)
        return cli_fail (error);
    }
  if (!configure (options, run.file != NULL ? &run.file->training : NULL, &config, &error)
      || !prepare_model (&run, options, &config, &error)
      || !prepare_data (&run, options, &config, &error))
    return cli_fail (error);

  if (run.file->optimizer == NULL)
    {
      run.file->optimizer = cnn_optimizer_new (&config.optimizer,
                                               cnn_model_trainable_params (run.file->model),
                                               &cnn_error);
      if (run.file->optimizer == NULL)
        {
          studio_set_error_from_cnn (&error, &cnn_error, _("Could not create the optimizer: "));
          return cli_fail (error);
        }
    }
  else if (options->lr > 0)
    cnn_optimizer_set_learning_rate (run.file->optimizer, options->lr);

  cnn_fit_config_init (&fit);
  fit.epochs = config.epochs;
  fit.initial_epoch = run.initial_epoch;
  fit.batch_size = config.batch_size;
  fit.steps_per_epoch = config.steps_per_epoch;
  fit.loss = config.loss;
  fit.early_stopping = config.has_early_stopping ? &run.early_stopping : NULL;
  fit.reduce_lr = config.has_reduce_lr ? &run.reduce_lr : NULL;

  progress.terminal = isatty (STDOUT_FILENO);
  progress.show_lr = config.has_reduce_lr;
  progress.epochs = config.epochs;
  signal (SIGINT, on_interrupt);

  status = cnn_model_fit (run.file->model, run.file->optimizer,
                          studio_batches_get_source (run.data->train),
                          run.data->validation != NULL
                            ? studio_batches_get_source (run.data->validation) : NULL,
                          &fit, &callbacks, &history, &cnn_error);
  signal (SIGINT, SIG_DFL);
  close_line (&progress);

  g_array_append_vals (run.history, history.epochs, history.n_epochs);
  run.epochs_done = run.initial_epoch + history.n_epochs;
  cnn_history_clear (&history);

  if (status != CNN_OK)
    {
      /* The model holds the weights of the last finished batch: still worth saving. */
      studio_set_error_from_cnn (&error, &cnn_error, _("Training stopped: "));
      cli_fail (error);
      save_outputs (&run, options, &config);
      return CLI_EXIT_FAILED;
    }

  if (!save_outputs (&run, options, &config))
    return CLI_EXIT_FAILED;
  return interrupted ? CLI_EXIT_INTERRUPTED : CLI_EXIT_OK;
}

int
cli_train (int    argc,
           char **argv)
{
  g_auto (TrainOptions) options = {
    .epochs = -1, .batch_size = -1, .seed = -1, .lr = -1, .validation_split = -1,
  };
  const GOptionEntry entries[] = {
    { "dataset", 0, 0, G_OPTION_ARG_FILENAME, &options.dataset,
      N_("fashion-mnist (default), an IDX folder or file, an image folder or a CSV"), N_("DATA") },
    { "model", 0, 0, G_OPTION_ARG_FILENAME, &options.model,
      N_("A Keras model.to_json() file (default: the seed model for the dataset)"), N_("JSON") },
    { "resume", 0, 0, G_OPTION_ARG_FILENAME, &options.resume,
      N_("Continue training a saved model where it stopped"), N_("MODEL.safetensors") },
    { "recipe", 0, 0, G_OPTION_ARG_STRING, &options.recipe,
      N_("Start from the course's settings: fashion-mnist or dogs-vs-cats"), N_("NAME") },
    { "epochs", 0, 0, G_OPTION_ARG_INT, &options.epochs, N_("Train until this epoch (10)"), N_("N") },
    { "steps-per-epoch", 0, 0, G_OPTION_ARG_INT64, &options.steps_per_epoch,
      N_("Batches per epoch (default: the whole training part)"), N_("N") },
    { "limit", 0, 0, G_OPTION_ARG_INT64, &options.limit,
      N_("Use only the first N training samples"), N_("N") },
    { "batch-size", 0, 0, G_OPTION_ARG_INT, &options.batch_size, N_("Samples per batch (32)"),
      N_("N") },
    { "optimizer", 0, 0, G_OPTION_ARG_STRING, &options.optimizer, N_("adam, rmsprop or sgd"),
      N_("NAME") },
    { "lr", 0, 0, G_OPTION_ARG_DOUBLE, &options.lr, N_("The learning rate"), N_("RATE") },
    { "loss", 0, 0, G_OPTION_ARG_STRING, &options.loss,
      N_("categorical_crossentropy (default), sparse_categorical_crossentropy or "
         "binary_crossentropy"), N_("NAME") },
    { "validation-split", 0, 0, G_OPTION_ARG_DOUBLE, &options.validation_split,
      N_("Keep this fraction of the training samples for validation"), N_("FRACTION") },
    { "stratify", 0, 0, G_OPTION_ARG_NONE, &options.stratify,
      N_("Split image folders keeping each class's share"), NULL },
    { "validation-data", 0, 0, G_OPTION_ARG_FILENAME, &options.validation_data,
      N_("Validate on “test” (the dataset's test part) or on another dataset"), N_("DATA") },
    { "seed", 0, 0, G_OPTION_ARG_INT, &options.seed,
      N_("Seed for weights, shuffling, split and augmentation (42)"), N_("N") },
    { "early-stopping", 0, 0, G_OPTION_ARG_STRING, &options.early_stopping,
      N_("EarlyStopping: a patience, or keywords like patience=10,monitor=val_loss"),
      N_("PATIENCE") },
    { "reduce-lr-on-plateau", 0, 0, G_OPTION_ARG_STRING, &options.reduce_lr,
      N_("ReduceLROnPlateau keywords, e.g. monitor=val_accuracy,patience=2,factor=0.5,"
         "min_lr=0.00001"), N_("SETTINGS") },
    { "save", 0, 0, G_OPTION_ARG_FILENAME, &options.save,
      N_("Save the trained model (also when stopped)"), N_("MODEL.safetensors") },
    { "history", 0, 0, G_OPTION_ARG_FILENAME, &options.history,
      N_("Write the History (epoch, loss, accuracy, val_loss, val_accuracy, lr)"),
      N_("HISTORY.csv") },
    { NULL }
  };
  g_autoptr (GOptionContext) context =
    g_option_context_new (_("— train a model, as Keras's model.fit"));

  studio_augment_settings_init (&options.augment);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, cli_augment_option_group (&options.augment));
  g_option_context_set_description (context,
    _("Example, the Fashion-MNIST course run:\n"
      "  convstudio-cli train --recipe fashion-mnist --epochs 10 --save fashion.safetensors\n"));
  if (!cli_parse_options (context, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc > 1)
    {
      g_printerr (_("%s: unexpected argument “%s”\n"), g_get_prgname (), argv[1]);
      return CLI_EXIT_USAGE;
    }
  if (options.dataset == NULL)
    options.dataset = g_strdup ("fashion-mnist");
  return train (&options);
}
