/* studio-window-predict.c — the window's Predict: a model copy run over the test images on a
 * worker with progress and Cancel, and the predictions CSV export. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "studio-error.h"
#include "studio-model-copy.h"
#include "studio-window-private.h"

/* Images per slice of the work: progress and Cancel act between slices. */
#define PREDICT_CHUNK 256
#define PREDICT_BATCH_SIZE 64
#define PREDICT_POLL_MS 100

/* One prediction; the worker owns the model copy while it runs. */
typedef struct {
  CnnModel      *model;
  StudioDataset *dataset;
  StudioSplit    split;
  guint32       *indices;        /* (n) rows of `split` */
  gsize          n;
  double         rescale;
  int            n_outputs;
  float         *probabilities;  /* (n, n_outputs) */
  gint           done;           /* rows predicted; atomic, read by the poll */
} PredictJob;

static void
predict_job_free (PredictJob *job)
{
  g_clear_pointer (&job->model, cnn_model_free);
  g_clear_object (&job->dataset);
  g_free (job->indices);
  g_free (job->probabilities);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PredictJob, predict_job_free)

static void
predict_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PredictJob *job = task_data;
  StudioAugmentSettings settings;

  studio_augment_settings_init (&settings);
  settings.rescale = job->rescale;
  for (gsize start = 0; start < job->n; start += PREDICT_CHUNK)
    {
      gsize count = MIN (PREDICT_CHUNK, job->n - start);
      g_autoptr(StudioBatches) batches = NULL;
      CnnError cnn_error = { 0 };
      GError *error = NULL;

      if (g_task_return_error_if_cancelled (task))
        return;
      batches = studio_batches_new (job->dataset, job->split, job->indices + start, count,
                                    FALSE, &settings, 0);
      if (cnn_model_predict_source (job->model, studio_batches_get_source (batches),
                                    PREDICT_BATCH_SIZE,
                                    job->probabilities + start * job->n_outputs,
                                    &cnn_error) != CNN_OK)
        {
          /* Translators: %s is the engine's explanation. */
          studio_set_error_from_cnn (&error, &cnn_error, _("Could not predict: "));
          g_task_return_error (task, error);
          return;
        }
      g_atomic_int_set (&job->done, (gint) (start + count));
    }
  g_task_return_boolean (task, TRUE);
}

/* The rows a user wants predicted: the test images; without them, the validation part of
 * the training images (their labels are known and training did not see them); an
 * unlabelled folder, all of its images. */
static guint32 *
rows_to_predict (StudioWindow  *self,
                 StudioDataset *dataset,
                 StudioSplit   *split,
                 gsize         *n)
{
  const StudioTrainingConfig *config = studio_session_get_config (self->session);
  gsize n_train = studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TRAIN);
  gsize n_test = studio_dataset_get_n_samples (dataset, STUDIO_SPLIT_TEST);
  StudioIndexSplit parts = { 0 };
  guint32 *rows;

  *split = n_test > 0 ? STUDIO_SPLIT_TEST : STUDIO_SPLIT_TRAIN;
  if (n_test == 0 && studio_dataset_get_n_classes (dataset) > 0 && config->validation_split > 0
      && studio_training_split (dataset, n_train, config->validation_split, config->stratify,
                                config->seed, &parts, NULL)
      && parts.n_test > 0)
    {
      *n = parts.n_test;
      rows = g_steal_pointer (&parts.test);
      studio_index_split_clear (&parts);
      return rows;
    }
  studio_index_split_clear (&parts);
  *n = studio_dataset_get_n_samples (dataset, *split);
  rows = g_new (guint32, MAX (*n, 1));
  for (gsize i = 0; i < *n; i++)
    rows[i] = (guint32) i;
  return rows;
}

/* The dataset's class names when they are the model's outputs, else the output numbers. */
static GStrv
class_names_for (StudioDataset *dataset,
                 int            n_outputs)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gboolean named = studio_dataset_get_n_classes (dataset) == (guint) n_outputs;

  for (int i = 0; i < n_outputs; i++)
    {
      g_autofree char *number = g_strdup_printf ("%d", i);

      g_strv_builder_add (builder, named ? studio_dataset_get_class_name (dataset, (guint) i)
                                         : number);
    }
  return g_strv_builder_end (builder);
}

static void
stop_polling (StudioWindow *self)
{
  g_clear_handle_id (&self->predict_poll_id, g_source_remove);
  self->predict_job = NULL;
}

static void
finish_predicting (StudioWindow *self)
{
  stop_polling (self);
  g_clear_object (&self->predict_cancellable);
  studio_predictions_page_set_busy (self->predictions_page, FALSE);
  studio_window_update_actions (self);
}

static gboolean
poll_predict_progress (gpointer user_data)
{
  StudioWindow *self = user_data;
  PredictJob *job = self->predict_job;
  gsize done = (gsize) g_atomic_int_get (&job->done);
  g_autofree char *text = NULL;

  /* Translators: progress of Predict: images done of all, e.g. "Predicting 512 of 2,500". */
  text = g_strdup_printf (_("Predicting %zu of %zu images…"), done, job->n);
  studio_predictions_page_set_progress (self->predictions_page,
                                        job->n > 0 ? (double) done / job->n : 0, text);
  return G_SOURCE_CONTINUE;
}

static void
on_predicted (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(StudioWindow) self = user_data;
  GTask *task = G_TASK (result);
  PredictJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) class_names = NULL;

  /* A newer prediction, or the window closing, has taken over. */
  if (g_task_get_cancellable (task) != self->predict_cancellable)
    return;
  if (!g_task_propagate_boolean (task, &error))
    {
      finish_predicting (self);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        studio_window_show_problem (self, _("Could Not Predict"), error->message);
      return;
    }
  finish_predicting (self);
  class_names = class_names_for (job->dataset, job->n_outputs);
  studio_predictions_page_set_results (self->predictions_page, job->dataset, job->split,
                                       job->indices, job->n, job->probabilities,
                                       (const char * const *) class_names,
                                       (guint) job->n_outputs);
  studio_window_update_actions (self);
  studio_window_show_page (self, "predictions");
}

/* The model to predict with, as a copy the worker may own: training never runs at the same
 * time (win.predict is off during a run), so the copy is consistent. */
static CnnModel *
copy_model (StudioWindow   *self,
            StudioDataset  *dataset,
            GError        **error)
{
  CnnModel *model = studio_session_get_model (self->session);

  if (model == NULL)
    {
      g_set_error_literal (error, STUDIO_MODEL_ERROR, STUDIO_MODEL_ERROR_SHAPE,
                           _("There is no model yet: open or build one first."));
      return NULL;
    }
  if (!studio_training_check_input (model, dataset, error))
    return NULL;
  return studio_model_copy (model, error);
}

void
studio_window_predict (StudioWindow *self)
{
  StudioDataset *dataset = studio_window_get_dataset (self);
  g_autoptr(PredictJob) job = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (STUDIO_IS_WINDOW (self));

  if (dataset == NULL || studio_session_is_running (self->session))
    return;
  job = g_new0 (PredictJob, 1);
  job->model = copy_model (self, dataset, &error);
  if (job->model == NULL)
    {
      studio_window_show_problem (self, _("Could Not Predict"), error->message);
      return;
    }
  job->dataset = g_object_ref (dataset);
  job->indices = rows_to_predict (self, dataset, &job->split, &job->n);
  job->rescale = studio_window_get_rescale (self);
  job->n_outputs = cnn_model_n_outputs (job->model);
  job->probabilities = g_try_new0 (float, MAX (job->n, 1) * (gsize) job->n_outputs);
  if (job->probabilities == NULL)
    {
      studio_window_show_problem (self, _("Could Not Predict"),
                                  _("There is not enough memory for the predictions."));
      return;
    }

  studio_window_cancel_predict (self);
  self->predict_cancellable = g_cancellable_new ();
  self->predict_job = job;
  studio_predictions_page_set_busy (self->predictions_page, TRUE);
  studio_predictions_page_set_progress (self->predictions_page, 0, _("Predicting…"));
  self->predict_poll_id = g_timeout_add (PREDICT_POLL_MS, poll_predict_progress, self);
  studio_window_show_page (self, "predictions");
  studio_window_update_actions (self);

  task = g_task_new (self, self->predict_cancellable, on_predicted, g_object_ref (self));
  g_task_set_source_tag (task, studio_window_predict);
  g_task_set_task_data (task, g_steal_pointer (&job), (GDestroyNotify) predict_job_free);
  g_task_run_in_thread (task, predict_thread);
}

void
studio_window_cancel_predict (StudioWindow *self)
{
  g_return_if_fail (STUDIO_IS_WINDOW (self));

  if (self->predict_cancellable == NULL)
    return;
  g_cancellable_cancel (self->predict_cancellable);
  finish_predicting (self);
}

gboolean
studio_window_get_predicting (StudioWindow *self)
{
  g_return_val_if_fail (STUDIO_IS_WINDOW (self), FALSE);
  return self->predict_cancellable != NULL;
}

void
studio_window_predict_dispose (StudioWindow *self)
{
  if (self->predict_cancellable != NULL)
    g_cancellable_cancel (self->predict_cancellable);
  stop_polling (self);
  g_clear_object (&self->predict_cancellable);
}

/* ---------------------------------------------------------------- export */

gboolean
studio_window_export_predictions (StudioWindow  *self,
                                  const char    *path,
                                  gboolean       kaggle,
                                  GError       **error)
{
  g_return_val_if_fail (STUDIO_IS_WINDOW (self), FALSE);

  if (studio_predictions_page_get_n_results (self->predictions_page) == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("There are no predictions to export: run Predict first."));
      return FALSE;
    }
  return studio_predictions_page_export_csv (self->predictions_page, path, kaggle, error);
}

static void
on_predictions_file_chosen (GtkNativeDialog *dialog,
                            int              response,
                            StudioWindow    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      GtkFileChooser *chooser = GTK_FILE_CHOOSER (dialog);
      g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      gboolean kaggle = g_strcmp0 (gtk_file_chooser_get_choice (chooser, "form"),
                                   "kaggle") == 0;
      g_autoptr(GError) error = NULL;

      if (path == NULL)
        studio_window_show_problem (self, _("Could Not Export the Predictions"),
                                    _("Only local files can be written."));
      else if (!studio_window_export_predictions (self, path, kaggle, &error))
        studio_window_show_problem (self, _("Could Not Export the Predictions"),
                                    error->message);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

void
studio_window_choose_predictions_file (StudioWindow *self)
{
  static const char *form_ids[] = { "detailed", "kaggle", NULL };
  const char *form_labels[] = {
    _("Detailed (class, confidence, probabilities)"),
    _("Kaggle submission (id,label)"),
    NULL,
  };
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  g_return_if_fail (STUDIO_IS_WINDOW (self));

  chooser = gtk_file_chooser_native_new (_("Export Predictions CSV"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "predictions.csv");
  gtk_file_filter_set_name (filter, _("CSV Files"));
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "form", _("Form:"),
                               form_ids, form_labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "form", "detailed");
  g_signal_connect (chooser, "response", G_CALLBACK (on_predictions_file_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
studio_window_show_problem (StudioWindow *self,
                            const char   *title,
                            const char   *message)
{
  GtkWidget *dialog;

  g_return_if_fail (STUDIO_IS_WINDOW (self));

  /* Tests and scripts have nobody to read a dialog: they look at the log. */
  g_message ("%s: %s", title, message);
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE, "%s", title);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", message);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}
