/* test-cli.c — convstudio-cli end to end: the real executable on real and generated data. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include <signal.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

static char *work_dir;

typedef struct {
  int status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *result)
{
  g_free (result->out);
  g_free (result->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

/* Runs convstudio-cli with the NULL-terminated arguments, in the work folder, with the
 * environment envp (NULL: the test's own). */
static Result
run_cli_va (char       **envp,
            const char  *first,
            va_list      args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  Result result = { 0 };
  int wait_status;

  g_ptr_array_add (argv, (char *) g_getenv ("CONVSTUDIO_CLI"));
  for (const char *argument = first; argument != NULL; argument = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) argument);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (work_dir, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                               &result.out, &result.err, &wait_status, &error));
  g_assert_no_error (error);
  result.status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", result.status, result.out, result.err);
  return result;
}

static Result
run_cli (const char *first, ...)
{
  Result result;
  va_list args;

  va_start (args, first);
  result = run_cli_va (NULL, first, args);
  va_end (args);
  return result;
}

/* The same with LANGUAGE=ko (gettext ignores LANGUAGE in the "C" locale: C.UTF-8 it is). */
static Result
run_cli_korean (const char *first, ...)
{
  g_auto (GStrv) envp = g_get_environ ();
  Result result;
  va_list args;

  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  envp = g_environ_setenv (envp, "LANGUAGE", "ko", TRUE);
  va_start (args, first);
  result = run_cli_va (envp, first, args);
  va_end (args);
  return result;
}

static char *
work_path (const char *name)
{
  return g_build_filename (work_dir, name, NULL);
}

static char *
read_work_file (const char *name)
{
  g_autofree char *path = work_path (name);
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

static guint
count_lines (const char *text)
{
  guint lines = 0;

  for (const char *p = text; *p != '\0'; p++)
    lines += *p == '\n';
  return lines;
}

static void
test_usage (void)
{
  g_auto (Result) none = run_cli (NULL);
  g_auto (Result) help = run_cli ("--help", NULL);
  g_auto (Result) unknown = run_cli ("fly", NULL);
  g_auto (Result) bad_option = run_cli ("train", "--epochs", "many", NULL);
  g_auto (Result) train_help = run_cli ("train", "--help-all", NULL);

  g_assert_cmpint (none.status, ==, 2);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "predict"));
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "no command “fly”"));
  g_assert_cmpint (bad_option.status, ==, 2);
  g_assert_cmpint (train_help.status, ==, 0);
  g_assert_nonnull (strstr (train_help.out, "--reduce-lr-on-plateau"));
  g_assert_nonnull (strstr (train_help.out, "--rotation-range"));
}

static void
test_summary (void)
{
  g_autofree char *json = g_build_filename (g_getenv ("CONVSTUDIO_DATA_DIR"), "models",
                                            "dogs-vs-cats.json", NULL);
  g_auto (Result) summary = run_cli ("summary", json, NULL);
  g_auto (Result) missing = run_cli ("summary", "no-such-model.json", NULL);

  g_assert_cmpint (summary.status, ==, 0);
  g_assert_nonnull (strstr (summary.out, "Total params: 12,942,786\n"));
  g_assert_nonnull (strstr (summary.out, "Non-trainable params: 1,472\n"));
  g_assert_nonnull (strstr (summary.out, "Total MACs: 152,951,168"));
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.err, "no-such-model.json"));
}

/* Fashion-MNIST: train → save → resume → evaluate → predict, against a straight run. */
static void
test_fashion_mnist (void)
{
  g_auto (Result) first = run_cli ("train", "--recipe", "fashion-mnist", "--limit", "1000",
                                   "--epochs", "2", "--save", "fashion.safetensors",
                                   "--history", "first.csv", NULL);
  g_auto (Result) resumed = run_cli ("train", "--resume", "fashion.safetensors", "--epochs", "3",
                                     "--save", "fashion.safetensors", "--history", "resumed.csv",
                                     NULL);
  g_auto (Result) straight = run_cli ("train", "--recipe", "fashion-mnist", "--limit", "1000",
                                      "--epochs", "3", "--history", "straight.csv", NULL);
  g_auto (Result) evaluate = run_cli ("evaluate", "fashion.safetensors", NULL);
  g_auto (Result) predict = run_cli ("predict", "fashion.safetensors", "-o", "predictions.csv",
                                     NULL);
  g_autofree char *first_history = read_work_file ("first.csv");
  g_autofree char *resumed_history = read_work_file ("resumed.csv");
  g_autofree char *straight_history = read_work_file ("straight.csv");
  g_autofree char *predictions = NULL;
  g_auto (GStrv) rows = NULL;
  g_auto (GStrv) header = NULL;

  g_assert_cmpint (first.status, ==, 0);
  g_assert_nonnull (strstr (first.out, "Epoch 1/2\n"));
  g_assert_nonnull (strstr (first.out, "Epoch 2/2\n"));
  g_assert_nonnull (strstr (first.out, " - val_accuracy: "));
  g_assert_cmpuint (count_lines (first_history), ==, 3);

  /* Resuming continues the epoch count and gives the numbers of a straight run. */
  g_assert_cmpint (resumed.status, ==, 0);
  g_assert_null (strstr (resumed.out, "Epoch 1/"));
  g_assert_nonnull (strstr (resumed.out, "Epoch 3/3\n"));
  g_assert_cmpint (straight.status, ==, 0);
  g_assert_cmpstr (resumed_history, ==, straight_history);

  g_assert_cmpint (evaluate.status, ==, 0);
  g_assert_true (g_str_has_prefix (evaluate.out, "313/313 [==============================] - "));
  g_assert_nonnull (strstr (evaluate.out, " - accuracy: "));

  g_assert_cmpint (predict.status, ==, 0);
  predictions = read_work_file ("predictions.csv");
  rows = g_strsplit (predictions, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (rows), ==, 10000 + 2); /* header, rows, "" after the last */
  header = g_strsplit (rows[0], ",", -1);
  /* filename, predicted_class, confidence, true_class, correct, then the ten classes. */
  g_assert_cmpuint (g_strv_length (header), ==, 5 + 10);
  g_assert_cmpstr (header[3], ==, "true_class");
  g_assert_cmpstr (header[4], ==, "correct");
  g_assert_cmpstr (header[5], ==, "T-shirt/top");
  g_assert_cmpstr (header[14], ==, "Ankle boot");
  for (guint i = 1; i <= 10000; i += 999)
    {
      g_auto (GStrv) fields = g_strsplit (rows[i], ",", -1);
      double sum = 0;

      g_assert_cmpuint (g_strv_length (fields), ==, 15);
      g_assert_cmpstr (fields[3], !=, "");
      g_assert_true (g_str_equal (fields[4], "1") == g_str_equal (fields[1], fields[3]));
      for (guint c = 5; c < 15; c++)
        sum += g_ascii_strtod (fields[c], NULL);
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-4);
    }
}

/* A red disc (dog) or a blue square (cat) on grey, nudged around. */
static void
write_image (const char *path,
             gboolean    dog,
             int         offset)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 40, 40);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  g_autoptr (GError) error = NULL;

  for (int y = 0; y < 40; y++)
    for (int x = 0; x < 40; x++)
      {
        int dx = x - 20 - offset, dy = y - 20 + offset;
        gboolean inside = dog ? dx * dx + dy * dy < 100 : ABS (dx) < 9 && ABS (dy) < 9;
        guchar *pixel = pixels + y * stride + x * 3;

        pixel[0] = inside && dog ? 220 : 120;
        pixel[1] = 120;
        pixel[2] = inside && !dog ? 220 : 120;
      }
  g_assert_true (gdk_pixbuf_save (pixbuf, path, g_str_has_suffix (path, ".jpg") ? "jpeg" : "png",
                                  &error, NULL));
}

static const char small_model[] =
  "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"sequential\", \"layers\": ["
  "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 32, 32, 3]}},"
  "{\"class_name\": \"Conv2D\", \"config\": {\"filters\": 8, \"kernel_size\": [3, 3],"
  " \"activation\": \"relu\"}},"
  "{\"class_name\": \"MaxPooling2D\", \"config\": {}},"
  "{\"class_name\": \"Flatten\", \"config\": {}},"
  "{\"class_name\": \"Dense\", \"config\": {\"units\": 2, \"activation\": \"softmax\"}}]}}";

/* The Kaggle workflow on a generated folder: train/ with class names, test1/ without. */
static void
test_kaggle_folder (void)
{
  g_autofree char *train_dir = work_path ("train");
  g_autofree char *test_dir = work_path ("test1");
  g_autofree char *model = work_path ("small.json");
  g_autofree char *submission = NULL;
  g_autofree char *broken = NULL;

  g_assert_cmpint (g_mkdir_with_parents (train_dir, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (test_dir, 0755), ==, 0);
  for (int i = 0; i < 30; i++)
    {
      g_autofree char *cat = g_strdup_printf ("%s/cat.%d.png", train_dir, i);
      g_autofree char *dog = g_strdup_printf ("%s/dog.%d.jpg", train_dir, i);

      write_image (cat, FALSE, i % 7 - 3);
      write_image (dog, TRUE, 3 - i % 7);
    }
  for (int i = 1; i <= 6; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%d.png", test_dir, i);
      write_image (path, i % 2 == 0, i - 3);
    }
  broken = g_build_filename (train_dir, "dog.99.jpg", NULL);
  g_assert_true (g_file_set_contents (broken, "not a photo", -1, NULL));
  g_assert_true (g_file_set_contents (model, small_model, -1, NULL));

  {
    g_auto (Result) train = run_cli ("train", "--dataset", "train", "--model", "small.json",
                                     "--epochs", "8", "--batch-size", "10",
                                     "--validation-split", "0.2", "--lr", "0.01",
                                     "--horizontal-flip", "--save", "pets.safetensors",
                                     "--history", "pets.csv", NULL);
    g_auto (Result) predict = run_cli ("predict", "pets.safetensors", "--dataset", "test1",
                                       "--format", "kaggle", "-o", "submission.csv", NULL);
    g_autofree char *history = read_work_file ("pets.csv");
    g_auto (GStrv) lines = g_strsplit (history, "\r\n", -1);
    g_auto (GStrv) last = g_strsplit (lines[8], ",", -1);

    g_assert_cmpint (train.status, ==, 0);
    g_assert_nonnull (strstr (train.out,
                              "Found 60 validated image filenames belonging to 2 classes.\n"));
    g_assert_nonnull (strstr (train.err, "dog.99.jpg (not an image)"));
    /* Red discs against blue squares: the small model separates them. */
    g_assert_cmpfloat (g_ascii_strtod (last[4], NULL), >=, 0.9);

    g_assert_cmpint (predict.status, ==, 0);
    g_assert_nonnull (strstr (predict.out, "Found 6 validated image filenames.\n"));
    submission = read_work_file ("submission.csv");
    g_assert_cmpstr (submission, ==, "id,label\r\n1,0\r\n2,1\r\n3,0\r\n4,1\r\n5,0\r\n6,1\r\n");
  }
}

static void
test_errors (void)
{
  g_autofree char *json = g_build_filename (g_getenv ("CONVSTUDIO_DATA_DIR"), "models",
                                            "dogs-vs-cats.json", NULL);
  g_autofree char *corrupt = work_path ("corrupt.safetensors");
  g_autofree char *kept = NULL;
  g_auto (Result) no_data = run_cli ("train", "--dataset", "no/such/folder", NULL);
  g_auto (Result) channels = run_cli ("train", "--model", json, "--epochs", "1", NULL);
  g_auto (Result) recipe = run_cli ("train", "--recipe", "mnist", NULL);
  g_auto (Result) callback = run_cli ("train", "--reduce-lr-on-plateau", "factor=2", NULL);

  g_assert_cmpint (no_data.status, ==, 1);
  g_assert_nonnull (strstr (no_data.err, "does not exist"));
  g_assert_cmpint (channels.status, ==, 1);
  g_assert_nonnull (strstr (channels.err, "expects 3 channels"));
  g_assert_cmpint (recipe.status, ==, 1);
  g_assert_nonnull (strstr (recipe.err, "no recipe “mnist”"));
  g_assert_cmpint (callback.status, ==, 1);
  g_assert_nonnull (strstr (callback.err, "factor between 0 and 1"));

  /* A model file that is not one, and a save that cannot happen, leave nothing behind. */
  g_assert_true (g_file_set_contents (corrupt, "{\"no\": \"safetensors\"}", -1, NULL));
  {
    g_auto (Result) evaluate = run_cli ("evaluate", "corrupt.safetensors", NULL);
    g_auto (Result) save = run_cli ("train", "--limit", "200", "--epochs", "1",
                                    "--save", "missing-folder/model.safetensors", NULL);
    g_autofree char *target = work_path ("missing-folder");

    g_assert_cmpint (evaluate.status, ==, 1);
    g_assert_nonnull (strstr (evaluate.err, "corrupt.safetensors"));
    g_assert_cmpint (save.status, ==, 1);
    g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  }
  kept = read_work_file ("corrupt.safetensors");
  g_assert_cmpstr (kept, ==, "{\"no\": \"safetensors\"}");
}

/* With LANGUAGE=ko the CLI speaks Korean, a broken model file's error included; the
 * uninstalled CLI finds the build tree's catalogue. */
static void
test_korean (void)
{
  g_autofree char *broken = work_path ("broken.json");

  g_assert_true (g_file_set_contents (broken,
                                      "{\"class_name\": \"Sequential\", \"config\": "
                                      "{\"layers\": [{\"class_name\": \"Conv2D\"}]}}", -1, NULL));
  {
    g_auto (Result) usage = run_cli_korean (NULL);
    g_auto (Result) summary = run_cli_korean ("summary", "broken.json", NULL);
    g_auto (Result) english = run_cli ("summary", "broken.json", NULL);

    g_assert_cmpint (usage.status, ==, 2);
    g_assert_nonnull (strstr (usage.err, "사용법"));
    g_assert_cmpint (summary.status, ==, 1);
    g_assert_nonnull (strstr (summary.err, "broken.json"));
    g_assert_nonnull (strstr (summary.err, "레이어"));
    g_assert_null (strstr (summary.err, "Keras layer"));
    g_assert_nonnull (strstr (english.err, "is not a Keras layer"));
  }
}

static void
test_augment (void)
{
  g_autofree char *image = work_path ("dog.png");
  g_autofree char *grid_path = work_path ("grid.png");
  g_autoptr (GdkPixbuf) grid = NULL;
  g_autoptr (GError) error = NULL;

  write_image (image, TRUE, 0);
  {
    g_auto (Result) augment = run_cli ("augment", "dog.png", "-o", "grid.png", "--seed", "7",
                                       NULL);
    g_auto (Result) missing = run_cli ("augment", "nothing.png", "-o", "x.png", NULL);

    g_assert_cmpint (augment.status, ==, 0);
    /* One line of drawn parameters per tile, then where the grid went. */
    g_assert_cmpuint (count_lines (augment.out), ==, 16);
    g_assert_nonnull (strstr (augment.out, "15: rotation "));
    g_assert_cmpint (missing.status, ==, 1);
  }
  grid = gdk_pixbuf_new_from_file (grid_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (grid), ==, 4 + 3 * (128 + 4));
  g_assert_cmpint (gdk_pixbuf_get_height (grid), ==, 4 + 5 * (128 + 4));
}

/* Ctrl+C stops after a batch and still saves the model. */
static void
test_interrupt (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GDataInputStream) lines = NULL;
  g_autofree char *saved = work_path ("interrupted.safetensors");
  char *line;

  g_subprocess_launcher_set_cwd (launcher, work_dir);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("CONVSTUDIO_CLI"), "train",
                                         "--limit", "20000", "--batch-size", "20", "--epochs", "50",
                                         "--save", "interrupted.safetensors", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  while ((line = g_data_input_stream_read_line (lines, NULL, NULL, NULL)) != NULL)
    {
      gboolean started = g_str_has_prefix (line, "Epoch 1/50");
      g_free (line);
      if (started)
        break;
    }
  g_usleep (300 * 1000);
  g_subprocess_send_signal (process, SIGINT);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 130);
  g_assert_true (g_file_test (saved, G_FILE_TEST_IS_REGULAR));
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

int
main (int argc, char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  work_dir = g_dir_make_tmp ("convstudio-cli-XXXXXX", NULL);

  g_test_add_func ("/cli/usage", test_usage);
  g_test_add_func ("/cli/summary", test_summary);
  g_test_add_func ("/cli/fashion-mnist", test_fashion_mnist);
  g_test_add_func ("/cli/kaggle-folder", test_kaggle_folder);
  g_test_add_func ("/cli/errors", test_errors);
  g_test_add_func ("/cli/korean", test_korean);
  g_test_add_func ("/cli/augment", test_augment);
  g_test_add_func ("/cli/interrupt", test_interrupt);

  status = g_test_run ();
  if (status == 0)
    remove_tree (work_dir);
  g_free (work_dir);
  return status;
}
