/* test-save-faults.c — saving into a full disk or a read-only folder keeps the old file. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "faults-common.h"
#include "studio-export.h"
#include "studio-model-file.h"
#include "studio-session.h"

#define OLD_CONTENTS "the old file, which a failed save must not touch\n"

/* One way of writing a file through the studio API. */
typedef struct {
  const char *name;
  const char *file_name;
  gboolean (*write) (const char *path, GError **error);
} Writer;

static gboolean
write_model_file (const char  *path,
                  GError     **error)
{
  StudioModelFile file = { 0 };
  gboolean saved;

  file.model = faults_small_model_new (16, 16, 1, 8, 2, 3);
  saved = studio_model_file_save (&file, path, error);
  cnn_model_free (file.model);
  return saved;
}

static gboolean
write_session (const char  *path,
               GError     **error)
{
  g_autoptr(StudioSession) session = studio_session_new ();
  g_autoptr(StudioDataset) dataset = faults_small_dataset_new (16, 16, 1, 8);

  studio_session_set_dataset (session, dataset);
  studio_session_set_model (session, faults_small_model_new (16, 16, 1, 8, 2, 4));
  return studio_session_save (session, path, error);
}

static gboolean
write_history_csv (const char  *path,
                   GError     **error)
{
  CnnEpochLogs epochs[3] = { 0 };
  g_autofree char *csv = NULL;

  for (int i = 0; i < 3; i++)
    epochs[i] = (CnnEpochLogs) { .epoch = i, .loss = 1.0 / (i + 1), .accuracy = 0.5 + 0.1 * i,
                                 .has_validation = TRUE, .val_loss = 1.1 / (i + 1),
                                 .val_accuracy = 0.4 + 0.1 * i, .lr = 0.001 };
  csv = studio_history_to_csv (epochs, G_N_ELEMENTS (epochs));
  return studio_write_file_atomically (path, csv, strlen (csv), error);
}

static gboolean
write_predictions_csv (const char  *path,
                       GError     **error)
{
  const char * const filenames[] = { "cat.1.jpg", "dog.2.jpg", "cat.3.jpg" };
  const char * const class_names[] = { "cat", "dog" };
  const gint32 labels[] = { 0, 1, 1 };
  const float probabilities[] = { 0.9f, 0.1f, 0.2f, 0.8f, 0.7f, 0.3f };
  g_autofree char *csv = studio_predictions_to_csv (filenames, labels, probabilities, 3,
                                                    class_names, 2);

  return studio_write_file_atomically (path, csv, strlen (csv), error);
}

static const Writer writers[] = {
  { "model-file", "model.safetensors", write_model_file },
  { "session", "session.safetensors", write_session },
  { "history-csv", "history.csv", write_history_csv },
  { "predictions-csv", "predictions.csv", write_predictions_csv },
};

typedef struct {
  const Writer *writer;
  FaultKind kind;
} SaveCase;

static void
test_save_refused (gconstpointer data)
{
  const SaveCase *save_case = data;
  FaultTarget *target = faults_target_new (save_case->kind, save_case->writer->file_name,
                                           OLD_CONTENTS);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  gboolean written;

  if (target == NULL)
    return;
  path = faults_target_path (target, save_case->writer->file_name);
  faults_target_begin (target);
  written = save_case->writer->write (path, &error);
  faults_target_end (target);

  g_assert_false (written);
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  faults_assert_message_explains (error->message, target, save_case->writer->file_name);
  faults_target_assert_intact (target);
  faults_target_free (target);
}

/* ---------------------------------------------------------------- the CLI */

static const char cli_model_json[] =
  "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"sequential\", \"layers\": ["
  "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 8, 8, 1]}},"
  "{\"class_name\": \"Flatten\", \"config\": {}},"
  "{\"class_name\": \"Dense\", \"config\": {\"units\": 2, \"activation\": \"softmax\"}}]}}";

static void
write_idx (const char   *folder,
           const char   *name,
           const guint8 *header,
           gsize         header_size,
           const guint8 *body,
           gsize         body_size)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autofree guint8 *contents = g_malloc (header_size + body_size);

  memcpy (contents, header, header_size);
  memcpy (contents + header_size, body, body_size);
  g_assert_true (g_file_set_contents (path, (const char *) contents,
                                      (gssize) (header_size + body_size), NULL));
}

/* A 40-image IDX pair of 8×8 pixels, two classes, in `folder`. */
static void
write_idx_dataset (const char *folder)
{
  const guint8 images_header[] = { 0, 0, 8, 3, 0, 0, 0, 40, 0, 0, 0, 8, 0, 0, 0, 8 };
  const guint8 labels_header[] = { 0, 0, 8, 1, 0, 0, 0, 40 };
  guint8 pixels[40 * 64], labels[40];

  for (int i = 0; i < 40; i++)
    {
      labels[i] = (guint8) (i % 2);
      memset (pixels + i * 64, labels[i] ? 200 : 30, 64);
    }
  write_idx (folder, "train-images-idx3-ubyte", images_header, sizeof images_header,
             pixels, sizeof pixels);
  write_idx (folder, "train-labels-idx1-ubyte", labels_header, sizeof labels_header,
             labels, sizeof labels);
}

typedef struct {
  int status;
  char *err;
} CliResult;

static CliResult
run_cli (const char  *work_dir,
         FaultTarget *target,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  CliResult result = { 0 };
  const char *argument;
  va_list args;
  int wait_status;

  g_ptr_array_add (argv, (char *) CONVSTUDIO_CLI);
  va_start (args, first);
  for (argument = first; argument != NULL; argument = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) argument);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (work_dir, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT,
                               target != NULL ? faults_target_child_setup : NULL, target,
                               &out, &result.err, &wait_status, &error));
  g_assert_no_error (error);
  result.status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", result.status, out, result.err);
  return result;
}

/* train --save, train --history and predict -o into the broken folder: exit 1, the reason
 * in words on stderr, the old file intact. */
static void
test_cli_refused (gconstpointer data)
{
  FaultKind kind = GPOINTER_TO_INT (data);
  static const char * const outputs[] = { "model.safetensors", "history.csv", "predictions.csv" };
  g_autofree char *work_dir = faults_make_temp_dir ();
  g_autofree char *json = g_build_filename (work_dir, "model.json", NULL);

  write_idx_dataset (work_dir);
  g_assert_true (g_file_set_contents (json, cli_model_json, -1, NULL));
  {
    CliResult good = run_cli (work_dir, NULL, "train", "--dataset", ".", "--model", "model.json",
                              "--epochs", "1", "--batch-size", "10",
                              "--save", "good.safetensors", NULL);

    g_assert_cmpint (good.status, ==, 0);
    g_free (good.err);
  }

  for (guint i = 0; i < G_N_ELEMENTS (outputs); i++)
    {
      FaultTarget *target = faults_target_new (kind, outputs[i], OLD_CONTENTS);
      g_autofree char *path = NULL;
      CliResult result;

      if (target == NULL)
        break;
      path = faults_target_path (target, outputs[i]);
      if (i == 0)
        result = run_cli (work_dir, target, "train", "--dataset", ".", "--model", "model.json",
                          "--epochs", "1", "--batch-size", "10", "--save", path, NULL);
      else if (i == 1)
        result = run_cli (work_dir, target, "train", "--dataset", ".", "--model", "model.json",
                          "--epochs", "1", "--batch-size", "10", "--history", path, NULL);
      else
        result = run_cli (work_dir, target, "predict", "good.safetensors", "--dataset", ".",
                          "-o", path, NULL);
      g_assert_cmpint (result.status, ==, 1);
      faults_assert_message_explains (result.err, target, outputs[i]);
      faults_target_assert_intact (target);
      g_free (result.err);
      faults_target_free (target);
    }
  faults_remove_tree (work_dir);
}

int
main (int   argc,
      char *argv[])
{
  static SaveCase cases[G_N_ELEMENTS (writers) * 2];

  faults_init_mounts ();
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (writers); i++)
    for (int kind = FAULT_DISK_FULL; kind <= FAULT_READ_ONLY; kind++)
      {
        SaveCase *save_case = &cases[i * 2 + kind];
        g_autofree char *test_path = NULL;

        save_case->writer = &writers[i];
        save_case->kind = kind;
        test_path = g_strdup_printf ("/faults/save/%s/%s", writers[i].name,
                                     kind == FAULT_DISK_FULL ? "disk-full" : "read-only");
        g_test_add_data_func (test_path, save_case, test_save_refused);
      }
  g_test_add_data_func ("/faults/save/cli/disk-full", GINT_TO_POINTER (FAULT_DISK_FULL),
                        test_cli_refused);
  g_test_add_data_func ("/faults/save/cli/read-only", GINT_TO_POINTER (FAULT_READ_ONLY),
                        test_cli_refused);
  return g_test_run ();
}
