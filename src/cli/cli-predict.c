/* cli-predict.c — `convstudio-cli evaluate` and `predict`: a saved model on a dataset. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cli.h"
#include "studio-batches.h"
#include "studio-error.h"
#include "studio-export.h"
#include "studio-progbar.h"
#include "studio-training.h"

typedef struct {
  char *dataset;
  char *split;
  char *output;
  char *format;
  int batch_size;
  double rescale;
  StudioModelFile *file;
  StudioDataset *data;
  StudioSplit which;
} Job;

static void
job_clear (Job *job)
{
  g_free (job->dataset);
  g_free (job->split);
  g_free (job->output);
  g_free (job->format);
  g_clear_pointer (&job->file, studio_model_file_free);
  g_clear_object (&job->data);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Job, job_clear)

static const GOptionEntry common_entries[] = {
  { "batch-size", 0, 0, G_OPTION_ARG_INT, NULL, N_("Samples per batch (32)"), N_("N") },
  { "rescale", 0, 0, G_OPTION_ARG_DOUBLE, NULL,
    N_("Multiply the pixel values by this, as in training (default 1/255)"), N_("FACTOR") },
  { NULL }
};

/* Parses the options both commands share, loads MODEL and opens the dataset's part. */
static int
prepare (Job             *job,
         GOptionContext  *context,
         GOptionEntry    *extra,
         int              argc,
         char           **argv)
{
  g_autoptr (GError) error = NULL;
  GOptionEntry entries[] = {
    { "dataset", 0, 0, G_OPTION_ARG_FILENAME, &job->dataset,
      N_("fashion-mnist (default), an IDX folder or file, an image folder or a CSV"), N_("DATA") },
    { "split", 0, 0, G_OPTION_ARG_STRING, &job->split,
      N_("test or train (default: test when the dataset has one)"), N_("PART") },
    common_entries[0], common_entries[1], { NULL }
  };

  entries[2].arg_data = &job->batch_size;
  entries[3].arg_data = &job->rescale;
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (extra != NULL)
    g_option_context_add_main_entries (context, extra, GETTEXT_PACKAGE);
  if (!cli_parse_options (context, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc != 2)
    {
      g_printerr (_("%s: give one saved model (.safetensors).\n"), g_get_prgname ());
      return CLI_EXIT_USAGE;
    }
  if (job->batch_size <= 0)
    job->batch_size = 32;
  if (job->rescale == 0)
    job->rescale = 1.0 / 255;

  job->file = studio_model_file_load (argv[1], &error);
  if (job->file == NULL)
    return cli_fail (error);
  job->data = cli_open_dataset (job->dataset != NULL ? job->dataset : "fashion-mnist",
                                job->file->model, &error);
  if (job->data == NULL)
    return cli_fail (error);

  if (job->split == NULL)
    job->which = studio_dataset_get_n_samples (job->data, STUDIO_SPLIT_TEST) > 0
                   ? STUDIO_SPLIT_TEST : STUDIO_SPLIT_TRAIN;
  else if (g_str_equal (job->split, "test") || g_str_equal (job->split, "train"))
    job->which = g_str_equal (job->split, "test") ? STUDIO_SPLIT_TEST : STUDIO_SPLIT_TRAIN;
  else
    {
      g_printerr (_("%s: --split is test or train, not “%s”.\n"), g_get_prgname (), job->split);
      return CLI_EXIT_USAGE;
    }
  if (studio_dataset_get_n_samples (job->data, job->which) == 0)
    {
      g_printerr (_("convstudio-cli: “%s” has no %s samples.\n"),
                  studio_dataset_get_name (job->data),
                  job->which == STUDIO_SPLIT_TEST ? "test" : "train");
      return CLI_EXIT_FAILED;
    }
  return -1;
}

static StudioBatches *
job_batches (Job *job)
{
  StudioAugmentSettings plain;

  studio_augment_settings_init (&plain);
  plain.rescale = job->rescale;
  return studio_batches_new (job->data, job->which, NULL, 0, FALSE, &plain, 0);
}

int
cli_evaluate (int    argc,
              char **argv)
{
  g_auto (Job) job = { 0 };
  g_autoptr (GOptionContext) context =
    g_option_context_new (_("MODEL — loss and accuracy of a saved model (model.evaluate)"));
  g_autoptr (StudioBatches) batches = NULL;
  g_autoptr (GError) error = NULL;
  CnnLoss loss;
  CnnError cnn_error = { 0 };
  double loss_value, accuracy;
  gint64 start, steps;
  int status = prepare (&job, context, NULL, argc, argv);

  if (status >= 0)
    return status;

  loss = job.file->has_loss ? job.file->loss : CNN_LOSS_CATEGORICAL_CROSSENTROPY;
  if (!studio_training_check_model (job.file->model, job.data, loss, &error))
    return cli_fail (error);

  batches = job_batches (&job);
  start = g_get_monotonic_time ();
  if (cnn_model_evaluate (job.file->model, studio_batches_get_source (batches), loss,
                          job.batch_size, &loss_value, &accuracy, &cnn_error) != CNN_OK)
    {
      studio_set_error_from_cnn (&error, &cnn_error, _("Could not evaluate: "));
      return cli_fail (error);
    }

  {
    StudioMetric metrics[] = { { "loss", loss_value }, { "accuracy", accuracy } };
    g_autofree char *line = NULL;

    steps = (studio_batches_get_n_samples (batches) + job.batch_size - 1) / job.batch_size;
    line = studio_progbar_line (steps, steps,
                                (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC,
                                metrics, G_N_ELEMENTS (metrics));
    g_print ("%s\n", line);
  }
  return CLI_EXIT_OK;
}

/* The model's class names, or the dataset's, or "0", "1", … */
static char **
prediction_class_names (Job *job,
                        int  n_outputs)
{
  const char * const *names = (const char * const *) job->file->class_names;
  GPtrArray *result = g_ptr_array_new ();

  if (names == NULL || g_strv_length ((char **) names) != (guint) n_outputs)
    names = studio_dataset_get_n_classes (job->data) == (guint) n_outputs
              ? studio_dataset_get_class_names (job->data) : NULL;
  for (int i = 0; i < n_outputs; i++)
    g_ptr_array_add (result, names != NULL ? g_strdup (names[i]) : g_strdup_printf ("%d", i));
  g_ptr_array_add (result, NULL);
  return (char **) g_ptr_array_free (result, FALSE);
}

int
cli_predict (int    argc,
             char **argv)
{
  g_auto (Job) job = { 0 };
  GOptionEntry extra[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &job.output,
      N_("Write the CSV here (default: standard output)"), N_("FILE.csv") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &job.format,
      N_("csv (filename, class, confidence, probabilities) or kaggle (id,label)"),
      N_("FORMAT") },
    { NULL }
  };
  g_autoptr (GOptionContext) context =
    g_option_context_new (_("MODEL — predict with a saved model and write a CSV"));
  g_autoptr (StudioBatches) batches = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree float *output = NULL;
  g_autofree const char **filenames = NULL;
  g_auto (GStrv) class_names = NULL;
  g_autofree char *csv = NULL;
  CnnError cnn_error = { 0 };
  gsize n;
  int n_outputs, status;
  gboolean kaggle;

  status = prepare (&job, context, extra, argc, argv);
  if (status >= 0)
    return status;
  if (job.format != NULL && !g_str_equal (job.format, "csv") && !g_str_equal (job.format, "kaggle"))
    {
      g_printerr (_("%s: --format is csv or kaggle, not “%s”.\n"), g_get_prgname (), job.format);
      return CLI_EXIT_USAGE;
    }
  kaggle = g_strcmp0 (job.format, "kaggle") == 0;

  /* Unlabelled images (Kaggle's test1/) need only the right shape. */
  if (studio_dataset_get_n_classes (job.data) > 0
        ? !studio_training_check_model (job.file->model, job.data,
                                        job.file->has_loss ? job.file->loss
                                                           : CNN_LOSS_CATEGORICAL_CROSSENTROPY,
                                        &error)
        : !studio_training_check_input (job.file->model, job.data, &error))
    return cli_fail (error);

  n = studio_dataset_get_n_samples (job.data, job.which);
  n_outputs = cnn_model_n_outputs (job.file->model);
  output = g_try_new (float, n * n_outputs);
  if (output == NULL)
    {
      g_printerr (_("convstudio-cli: not enough memory for %zu predictions.\n"), n);
      return CLI_EXIT_FAILED;
    }
  batches = job_batches (&job);
  if (cnn_model_predict_source (job.file->model, studio_batches_get_source (batches),
                                job.batch_size, output, &cnn_error) != CNN_OK)
    {
      studio_set_error_from_cnn (&error, &cnn_error, _("Could not predict: "));
      return cli_fail (error);
    }

  filenames = g_new0 (const char *, n + 1);
  for (gsize i = 0; i < n; i++)
    filenames[i] = studio_dataset_get_filename (job.data, job.which, i);
  class_names = prediction_class_names (&job, n_outputs);

  if (kaggle)
    csv = studio_predictions_to_kaggle_csv (filenames, output, n, n_outputs);
  else
    {
      const gint32 *labels = studio_dataset_get_labels (job.data, job.which);
      gboolean labelled = n > 0 && labels[0] >= 0;

      csv = studio_predictions_to_csv (filenames, labelled ? labels : NULL, output, n,
                                       (const char * const *) class_names, n_outputs);
    }

  if (job.output == NULL)
    {
      fputs (csv, stdout);
      return CLI_EXIT_OK;
    }
  if (!studio_write_file_atomically (job.output, csv, strlen (csv), &error))
    return cli_fail (error);
  g_printerr (_("Wrote %zu predictions to %s\n"), n, job.output);
  return CLI_EXIT_OK;
}
