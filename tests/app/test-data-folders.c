/* test-data-folders.c — the Data page on a generated Kaggle-layout folder with broken files. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "studio-data-page.h"
#include "studio-dataset-loader.h"
#include "studio-sample-list.h"
#include "studio-split.h"
#include "test-app.h"

#define N_CATS      12
#define N_DOGS      13
#define N_IMAGES    (N_CATS + N_DOGS)
#define IMAGE_SIZE  48   /* what the generated photos measure */
#define TARGET_SIZE 32   /* what the page asks the loader to decode them to */
#define WAIT_SECONDS 60

static char *folder;

static gboolean
flag_is_set (gpointer flag)
{
  return *(gboolean *) flag;
}

/* A photo-like picture: a diagonal gradient whose colour tells cats from dogs. */
static GdkPixbuf *
make_photo (gboolean is_cat,
            int      number)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, IMAGE_SIZE, IMAGE_SIZE);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < IMAGE_SIZE; y++)
    for (int x = 0; x < IMAGE_SIZE; x++)
      {
        guint8 *pixel = pixels + y * stride + x * 3;
        int shade = (x + y + number * 7) * 255 / (2 * IMAGE_SIZE + 100);

        pixel[0] = is_cat ? 200 : shade;
        pixel[1] = (guint8) shade;
        pixel[2] = is_cat ? shade : 180;
      }
  return pixbuf;
}

static void
save_photo (gboolean is_cat,
            int      number)
{
  g_autoptr(GdkPixbuf) pixbuf = make_photo (is_cat, number);
  g_autofree char *name = g_strdup_printf ("%s.%d.%s", is_cat ? "cat" : "dog", number,
                                           is_cat ? "png" : "jpg");
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autoptr(GError) error = NULL;

  if (is_cat)
    gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  else
    gdk_pixbuf_save (pixbuf, path, "jpeg", &error, "quality", "90", NULL);
  g_assert_no_error (error);
}

static void
write_file (const char *name,
            const char *contents,
            gsize       length)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

/* The Kaggle layout of the course: cat.N.png / dog.N.jpg, plus three files that must be
 * skipped with their reasons. */
static void
make_folder (void)
{
  g_autofree char *jpeg = NULL;
  g_autofree char *dog_path = NULL;
  gsize jpeg_length;
  g_autoptr(GError) error = NULL;

  folder = g_dir_make_tmp ("convstudio-folder-XXXXXX", &error);
  g_assert_no_error (error);
  for (int i = 0; i < N_CATS; i++)
    save_photo (TRUE, i);
  for (int i = 0; i < N_DOGS; i++)
    save_photo (FALSE, i);

  write_file ("cat.empty.jpg", "", 0);
  write_file ("dog.notes.png", "This is a text file, not a PNG.\n", 32);
  dog_path = g_build_filename (folder, "dog.0.jpg", NULL);
  g_file_get_contents (dog_path, &jpeg, &jpeg_length, &error);
  g_assert_no_error (error);
  write_file ("dog.truncated.jpg", jpeg, jpeg_length / 2);
}

static void
remove_folder (void)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_unlink (path);
    }
  g_rmdir (folder);
  g_clear_pointer (&folder, g_free);
}

typedef struct {
  StudioDataPage      *page;
  StudioImageProgress  progress;
  StudioLoadResult    *result;
  GError              *error;
  guint                max_done_shown;
  gboolean             done;
} LoadRun;

/* What the window does: poll the workers' counters and show them on the page. */
static gboolean
show_progress (gpointer data)
{
  LoadRun *run = data;
  guint done = g_atomic_int_get (&run->progress.done);
  guint total = g_atomic_int_get (&run->progress.total);

  studio_data_page_show_progress (run->page, done, total);
  run->max_done_shown = MAX (run->max_done_shown, done);
  return G_SOURCE_CONTINUE;
}

static void
on_loaded (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  LoadRun *run = user_data;

  run->result = studio_load_dataset_finish (result, &run->error);
  run->done = TRUE;
}

static GtkWidget *
create_window (StudioDataPage **page_out)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = studio_data_page_new ();

  test_load_style ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  *page_out = STUDIO_DATA_PAGE (page);
  return window;
}

static gsize
chart_total (StudioClassChart *chart)
{
  gsize total = 0;

  for (guint i = 0; i < studio_class_chart_get_n_classes (chart); i++)
    total += studio_class_chart_get_count (chart, i);
  return total;
}

static void
assert_skipped (StudioSkippedList     *list,
                const char            *name,
                StudioImageSkipReason  reason)
{
  for (guint i = 0; i < studio_skipped_list_get_n_items (list); i++)
    if (g_str_equal (studio_skipped_list_get_name (list, i), name))
      {
        g_test_message ("Skipped %s: %s (%s)", name, studio_skipped_list_get_reason (list, i),
                        studio_skipped_list_get_detail (list, i));
        g_assert_cmpstr (studio_skipped_list_get_reason (list, i), ==,
                         studio_image_skip_reason_to_string (reason));
        return;
      }
  g_error ("%s is not in the list of skipped files", name);
}

/* The balance of each part must be what the training run's own split gives. */
static void
assert_parts (StudioDataPage *page,
              StudioDataset  *dataset)
{
  StudioIndexSplit split = { 0 };
  gsize train_counts[2] = { 0 }, validation_counts[2] = { 0 };
  const gint32 *labels = studio_dataset_get_labels (dataset, STUDIO_SPLIT_TRAIN);
  StudioClassChart *training = studio_data_page_get_part_chart (page, STUDIO_DATA_PART_TRAINING);
  StudioClassChart *validation = studio_data_page_get_part_chart (page,
                                                                  STUDIO_DATA_PART_VALIDATION);
  g_autoptr(GError) error = NULL;

  g_assert_true (studio_split_train_test (N_IMAGES, 0.2, 42, &split, &error));
  g_assert_no_error (error);
  studio_split_count_classes (labels, split.train, split.n_train, 2, train_counts);
  studio_split_count_classes (labels, split.test, split.n_test, 2, validation_counts);

  g_assert_cmpuint (studio_class_chart_get_n_classes (training), ==, 2);
  g_assert_cmpuint (chart_total (training), ==, 20);
  g_assert_cmpuint (chart_total (validation), ==, 5);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpuint (studio_class_chart_get_count (training, i), ==, train_counts[i]);
      g_assert_cmpuint (studio_class_chart_get_count (validation, i), ==, validation_counts[i]);
    }
  g_test_message ("Training part: %zu cats, %zu dogs; validation part: %zu cats, %zu dogs",
                  train_counts[0], train_counts[1], validation_counts[0], validation_counts[1]);
  studio_index_split_clear (&split);
}

static void
test_kaggle_folder (void)
{
  StudioDataPage *page;
  GtkWidget *window = create_window (&page);
  LoadRun run = { 0 };
  StudioLoadOptions options;
  StudioSkippedList *skipped;
  GtkColumnView *table;
  StudioDataset *dataset;
  g_autofree char *cache_size = NULL;
  g_autofree char *image_size = NULL;
  guint poll;

  /* The page's target size is what the window hands the loader. */
  studio_data_page_set_target_size (page, TARGET_SIZE, TARGET_SIZE, 3);
  studio_load_options_init (&options);
  studio_data_page_get_load_options (page, &options);
  g_assert_cmpint (options.height, ==, TARGET_SIZE);
  g_assert_cmpint (options.channels, ==, 3);

  run.page = page;
  studio_data_page_show_loading (page, folder);
  g_assert_cmpstr (studio_data_page_get_state (page), ==, "loading");
  poll = g_timeout_add (20, show_progress, &run);
  studio_load_dataset_async (folder, &options, &run.progress, NULL, on_loaded, &run);
  test_wait_until (flag_is_set, &run.done, WAIT_SECONDS);
  g_source_remove (poll);
  g_assert_true (run.done);
  g_assert_no_error (run.error);

  /* The progress bar counts every file, the skipped ones too. */
  studio_data_page_show_progress (page, run.progress.done, run.progress.total);
  g_assert_cmpint (run.progress.total, ==, N_IMAGES + 3);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (studio_data_page_get_progress_bar (page))));
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (studio_data_page_get_progress_bar (page)),
                     ==, 1.0);
  g_assert_nonnull (strstr (gtk_progress_bar_get_text (studio_data_page_get_progress_bar (page)),
                            "28 of 28"));

  studio_data_page_set_validation (page, 0.2, 42, FALSE);
  studio_data_page_set_load_result (page, run.result->dataset, run.result->scan);
  g_assert_cmpstr (studio_data_page_get_state (page), ==, "dataset");
  dataset = studio_data_page_get_dataset (page);
  g_assert_true (dataset == run.result->dataset);

  g_assert_cmpstr (studio_data_page_get_found_text (page), ==,
                   "Found 25 validated image filenames belonging to 2 classes.");
  g_assert_cmpstr (studio_data_page_get_fact (page, STUDIO_DATA_FACT_TRAIN_SAMPLES), ==, "25");
  g_assert_cmpstr (studio_data_page_get_fact (page, STUDIO_DATA_FACT_CLASSES), ==, "2");
  image_size = g_strdup_printf ("%d × %d × 3", TARGET_SIZE, TARGET_SIZE);
  g_assert_cmpstr (studio_data_page_get_fact (page, STUDIO_DATA_FACT_IMAGE_SIZE), ==, image_size);
  cache_size = g_format_size ((guint64) N_IMAGES * TARGET_SIZE * TARGET_SIZE * 3);
  g_assert_cmpstr (studio_data_page_get_fact (page, STUDIO_DATA_FACT_CACHE_SIZE), ==, cache_size);

  skipped = studio_data_page_get_skipped_list (page);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (skipped)));
  g_assert_cmpuint (studio_skipped_list_get_n_items (skipped), ==, 3);
  g_assert_cmpstr (studio_skipped_list_get_heading (skipped), ==, "3 files skipped");
  assert_skipped (skipped, "cat.empty.jpg", STUDIO_IMAGE_SKIP_ZERO_BYTES);
  assert_skipped (skipped, "dog.notes.png", STUDIO_IMAGE_SKIP_NOT_AN_IMAGE);
  assert_skipped (skipped, "dog.truncated.jpg", STUDIO_IMAGE_SKIP_TRUNCATED);

  g_assert_cmpuint (studio_class_chart_get_count (studio_data_page_get_class_chart (page), 0),
                    ==, N_CATS);
  g_assert_cmpuint (studio_class_chart_get_count (studio_data_page_get_class_chart (page), 1),
                    ==, N_DOGS);
  assert_parts (page, dataset);

  /* Another split and seed change the parts at once. */
  studio_data_page_set_validation (page, 0.4, 7, FALSE);
  g_assert_cmpuint (chart_total (studio_data_page_get_part_chart (page,
                                                                  STUDIO_DATA_PART_VALIDATION)),
                    ==, 10);
  studio_data_page_set_validation (page, 0.2, 42, FALSE);
  assert_parts (page, dataset);

  /* The table lists every file with its category; picking a row previews that image. */
  table = studio_data_page_get_sample_table (page);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (table))),
                    ==, N_IMAGES);
  {
    GtkSelectionModel *rows = gtk_column_view_get_model (table);
    g_autoptr(StudioSampleRow) row = g_list_model_get_item (G_LIST_MODEL (rows), 12);

    g_assert_cmpstr (studio_sample_row_get_filename (row), ==, "dog.0.jpg");
    g_assert_cmpstr (studio_sample_row_get_category (row), ==, "dog");
    gtk_selection_model_select_item (rows, 12, TRUE);
    g_assert_cmpuint (studio_augment_preview_get_sample_index (
                        studio_data_page_get_augment_preview (page)), ==, 12);
  }

  g_clear_pointer (&run.result, studio_load_result_free);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* IDX datasets have no scan: no found line, no skipped files, no cache fact. */
static void
test_arrays_split_last_rows (void)
{
  StudioDataPage *page;
  GtkWidget *window = create_window (&page);
  const char * const names[] = { "a", "b", NULL };
  g_autoptr(StudioDataset) dataset = studio_dataset_new ("arrays", 4, 4, 1, names);
  gint32 *labels = g_new (gint32, 10);
  StudioClassChart *validation;

  /* Rows 0–7 are class a, the last two class b: Keras holds back exactly those two. */
  for (int i = 0; i < 10; i++)
    labels[i] = i < 8 ? 0 : 1;
  studio_dataset_set_split (dataset, STUDIO_SPLIT_TRAIN, 10, g_malloc0 (10 * 16), labels, NULL);
  studio_data_page_set_validation (page, 0.2, 42, FALSE);
  studio_data_page_set_load_result (page, dataset, NULL);

  g_assert_null (studio_data_page_get_found_text (page));
  g_assert_null (studio_data_page_get_fact (page, STUDIO_DATA_FACT_CACHE_SIZE));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (studio_data_page_get_skipped_list (page))));
  validation = studio_data_page_get_part_chart (page, STUDIO_DATA_PART_VALIDATION);
  g_assert_cmpuint (studio_class_chart_get_count (validation, 0), ==, 0);
  g_assert_cmpuint (studio_class_chart_get_count (validation, 1), ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_auto(GStrv) data_dirs = test_get_system_data_dirs ();
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return g_test_run ();
    }
  test_use_system_data_dirs ((const char * const *) data_dirs);

  make_folder ();
  g_test_add_func ("/app/data-folders/kaggle-folder", test_kaggle_folder);
  g_test_add_func ("/app/data-folders/arrays-split-last-rows", test_arrays_split_last_rows);
  status = g_test_run ();
  remove_folder ();

  return status;
}
