/* bench-engine.c — trains and runs the seed models on the engine and reports images/s. */
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The engine's half of bench/run-bench (bench/pytorch_reference.py is the other half): the
// same models, data, batch sizes and step counts. Fashion-MNIST uses the real training
// images; Dogs vs Cats uses synthetic 128×128×3 images from a hash both programs compute
// (bench_pixel below and synthetic_images in the Python script), so both see equal data.

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <glib.h>
#include <zlib.h>

#include "cnn.h"

typedef struct {
  const char *name;
  int side, channels, hidden, classes;
  float dropout;
  CnnOptimizerType optimizer;
} SeedModel;

static const SeedModel seed_models[] = {
  { "fashion-mnist", 28, 1, 64, 10, 0.2f, CNN_OPTIMIZER_ADAM },
  { "dogs-vs-cats", 128, 3, 512, 2, 0.25f, CNN_OPTIMIZER_RMSPROP },
};

/* DESIGN.md's seed architecture: three Conv2D/BN/MaxPool/Dropout blocks, then Dense. */
static int
seed_layers (const SeedModel *seed, CnnLayerSpec *layers)
{
  int n = 0;

  for (int block = 0; block < 3; block++)
    {
      cnn_layer_spec_init (&layers[n], CNN_LAYER_CONV2D);
      layers[n].filters = 32 << block;
      layers[n].kernel_size[0] = layers[n].kernel_size[1] = 3;
      layers[n++].activation = CNN_ACTIVATION_RELU;
      cnn_layer_spec_init (&layers[n++], CNN_LAYER_BATCH_NORMALIZATION);
      cnn_layer_spec_init (&layers[n++], CNN_LAYER_MAX_POOLING2D);
      cnn_layer_spec_init (&layers[n], CNN_LAYER_DROPOUT);
      layers[n++].rate = seed->dropout;
    }
  cnn_layer_spec_init (&layers[n++], CNN_LAYER_FLATTEN);
  cnn_layer_spec_init (&layers[n], CNN_LAYER_DENSE);
  layers[n].units = seed->hidden;
  layers[n++].activation = CNN_ACTIVATION_RELU;
  cnn_layer_spec_init (&layers[n++], CNN_LAYER_BATCH_NORMALIZATION);
  cnn_layer_spec_init (&layers[n], CNN_LAYER_DROPOUT);
  layers[n++].rate = 0.5f;
  cnn_layer_spec_init (&layers[n], CNN_LAYER_DENSE);
  layers[n].units = seed->classes;
  layers[n++].activation = CNN_ACTIVATION_SOFTMAX;
  return n;
}

/* A 32-bit integer hash (Chris Wellons' "lowbias32"); the Python side computes the same. */
static guint32
bench_hash (guint32 x)
{
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

static void
synthetic_images (gsize count, gsize sample_size, float *x, gint32 *labels)
{
  for (gsize i = 0; i < count * sample_size; i++)
    x[i] = (float) (bench_hash ((guint32) i) & 0xFF) / 255.0f;
  for (gsize i = 0; i < count; i++)
    labels[i] = (gint32) (bench_hash ((guint32) i ^ 0xA5A5A5A5U) & 1);
}

static gboolean
read_gzip (const char *path, gsize header, gsize length, guint8 *out, GError **error)
{
  gzFile file = gzopen (path, "rb");
  guint8 skipped[16];
  gboolean ok;

  if (file == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "Cannot open %s", path);
      return FALSE;
    }
  ok = gzread (file, skipped, (unsigned) header) == (int) header
       && gzread (file, out, (unsigned) length) == (int) length;
  gzclose (file);
  if (!ok)
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, "%s is shorter than expected", path);
  return ok;
}

/* The first `count` Fashion-MNIST training images, scaled to [0, 1]. */
static gboolean
fashion_images (gsize count, float *x, gint32 *labels, GError **error)
{
  const char *folder = g_getenv ("FASHION_MNIST_DIR");
  g_autofree char *images_path = NULL, *labels_path = NULL;
  g_autofree guint8 *pixels = g_malloc (count * 784), *classes = g_malloc (count);

  folder = folder ? folder : FASHION_MNIST_DIR;
  images_path = g_build_filename (folder, "train-images-idx3-ubyte.gz", NULL);
  labels_path = g_build_filename (folder, "train-labels-idx1-ubyte.gz", NULL);
  if (!read_gzip (images_path, 16, count * 784, pixels, error)
      || !read_gzip (labels_path, 8, count, classes, error))
    return FALSE;
  for (gsize i = 0; i < count * 784; i++)
    x[i] = (float) pixels[i] / 255.0f;
  for (gsize i = 0; i < count; i++)
    labels[i] = classes[i];
  return TRUE;
}

typedef struct {
  const SeedModel *seed;
  int batch_size, steps, warmup, threads;
  gboolean json, epoch;
} BenchOptions;

typedef struct {
  double train_seconds, predict_seconds;
  double final_loss;
  long images_trained, images_predicted;
} BenchResult;

/* Steps as cnn_model_fit takes them (cnn_model_train_batch), cycling through the data. */
static CnnStatus
train_steps (CnnModel *model, CnnOptimizer *optimizer, const float *x, const gint32 *labels,
             gsize n_samples, const BenchOptions *options, int first, int steps,
             BenchResult *result, CnnError *error)
{
  const gsize sample_size = (gsize) options->seed->side * options->seed->side
                            * options->seed->channels;

  for (int step = first; step < first + steps; step++)
    {
      gsize start = (gsize) step * options->batch_size % (n_samples - options->batch_size + 1);
      CnnStatus status = cnn_model_train_batch (model, optimizer,
                                                CNN_LOSS_CATEGORICAL_CROSSENTROPY,
                                                x + start * sample_size, labels + start,
                                                options->batch_size, &result->final_loss,
                                                NULL, error);
      if (status != CNN_OK)
        return status;
    }
  return CNN_OK;
}

static CnnStatus
run_bench (CnnModel *model, const BenchOptions *options, const float *x, const gint32 *labels,
           gsize n_samples, BenchResult *result, CnnError *error)
{
  const gsize sample_size = (gsize) options->seed->side * options->seed->side
                            * options->seed->channels;
  CnnOptimizerConfig config;
  CnnOptimizer *optimizer;
  CnnStatus status;
  int timed_steps = options->epoch ? (int) (n_samples / options->batch_size) : options->steps;
  float *output = g_malloc ((gsize) options->batch_size * options->seed->classes
                            * sizeof (float));
  double began;

  size_t n_params = 0;

  cnn_model_trainable_arena (model, &n_params);
  cnn_optimizer_config_init (&config, options->seed->optimizer);
  if ((optimizer = cnn_optimizer_new (&config, n_params, error)) == NULL)
    {
      g_free (output);
      return error->status;
    }
  status = train_steps (model, optimizer, x, labels, n_samples, options, 0, options->warmup,
                        result, error);
  memset (result, 0, sizeof *result);
  cnn_model_set_profiling (model, 1);
  began = g_get_monotonic_time () / 1e6;
  if (status == CNN_OK)
    status = train_steps (model, optimizer, x, labels, n_samples, options, options->warmup,
                          timed_steps, result, error);
  result->train_seconds = g_get_monotonic_time () / 1e6 - began;
  result->images_trained = (long) timed_steps * options->batch_size;
  cnn_model_set_profiling (model, 0);

  /* Prediction: warm-up batches, then the timed ones, inference mode. */
  for (int step = 0; status == CNN_OK && step < options->warmup + timed_steps; step++)
    {
      gsize start = (gsize) step * options->batch_size % (n_samples - options->batch_size + 1);
      if (step == options->warmup)
        began = g_get_monotonic_time () / 1e6;
      status = cnn_model_predict (model, x + start * sample_size, options->batch_size,
                                  options->batch_size, output, error);
    }
  result->predict_seconds = g_get_monotonic_time () / 1e6 - began;
  result->images_predicted = (long) timed_steps * options->batch_size;
  g_free (output);
  cnn_optimizer_free (optimizer);
  return status;
}

/* The time split: one row per layer type, forward and backward, in ms per step. */
static void
print_profile (const CnnModel *model, const BenchResult *result, int steps)
{
  double forward[CNN_N_LAYER_TYPES] = { 0 }, backward[CNN_N_LAYER_TYPES] = { 0 };
  double total_forward = 0.0, total_backward = 0.0;

  printf ("\n%-28s %12s %12s\n", "layer", "forward ms", "backward ms");
  for (int i = 0; i < cnn_model_n_layers (model); i++)
    {
      double f, b;
      CnnLayerType type = cnn_model_layer_spec (model, i)->type;
      cnn_model_layer_time (model, i, &f, &b);
      forward[type] += f;
      backward[type] += b;
      total_forward += f;
      total_backward += b;
      printf ("%-28s %12.2f %12.2f\n", cnn_model_layer_spec (model, i)->name,
              1e3 * f / steps, 1e3 * b / steps);
    }
  printf ("\n%-28s %12s %12s %7s\n", "layer type", "forward ms", "backward ms", "share");
  for (int t = 0; t < CNN_N_LAYER_TYPES; t++)
    if (forward[t] + backward[t] > 0.0)
      printf ("%-28s %12.2f %12.2f %6.1f%%\n", cnn_layer_type_class_name (t),
              1e3 * forward[t] / steps, 1e3 * backward[t] / steps,
              100.0 * (forward[t] + backward[t]) / result->train_seconds);
  double other = result->train_seconds - total_forward - total_backward;
  printf ("%-28s %12.2f %12s %6.1f%%\n", "loss, optimizer, copies", 1e3 * other / steps, "",
          100.0 * other / result->train_seconds);
  printf ("%-28s %12.2f %12.2f %6.1f%%\n", "all layers", 1e3 * total_forward / steps,
          1e3 * total_backward / steps,
          100.0 * (total_forward + total_backward) / result->train_seconds);
  printf ("%-28s %12.2f\n", "whole step", 1e3 * result->train_seconds / steps);
}

static void
print_result (const CnnModel *model, const BenchOptions *options, const BenchResult *result)
{
  struct rusage usage;
  double train_rate = result->images_trained / result->train_seconds;
  double predict_rate = result->images_predicted / result->predict_seconds;
  int steps = (int) (result->images_trained / options->batch_size);

  getrusage (RUSAGE_SELF, &usage);
  if (options->json)
    {
      printf ("{\"framework\": \"convstudio\", \"model\": \"%s\", \"batch_size\": %d, "
              "\"threads\": %d, \"train_images_per_second\": %.2f, "
              "\"predict_images_per_second\": %.2f, \"final_loss\": %.6f, "
              "\"train_seconds\": %.3f, \"train_images\": %ld, \"peak_rss_mb\": %.1f",
              options->seed->name, options->batch_size, options->threads, train_rate,
              predict_rate, result->final_loss, result->train_seconds, result->images_trained,
              usage.ru_maxrss / 1024.0);
      printf (", \"profile_ms_per_step\": {");
      for (int i = 0; i < cnn_model_n_layers (model); i++)
        {
          double f, b;
          cnn_model_layer_time (model, i, &f, &b);
          printf ("%s\"%s\": [%.3f, %.3f]", i ? ", " : "", cnn_model_layer_spec (model, i)->name,
                  1e3 * f / steps, 1e3 * b / steps);
        }
      printf ("}}\n");
      return;
    }
  printf ("%s, batch %d, %d threads: %ld images trained in %.2f s, loss %.4f\n",
          options->seed->name, options->batch_size, options->threads, result->images_trained,
          result->train_seconds, result->final_loss);
  printf ("train   %10.1f images/s\npredict %10.1f images/s\npeak RSS %9.1f MB\n",
          train_rate, predict_rate, usage.ru_maxrss / 1024.0);
  print_profile (model, result, steps);
}

int
main (int argc, char **argv)
{
  /* NULL, not a default string: GOption would not free the string it replaces. */
  g_autofree char *model_name = NULL;
  BenchOptions options = { .batch_size = 0, .steps = 20, .warmup = 2, .threads = 2 };
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_STRING, &model_name,
      "fashion-mnist or dogs-vs-cats", "NAME" },
    { "batch-size", 'b', 0, G_OPTION_ARG_INT, &options.batch_size,
      "Batch size (default: the seed model's, 200 or 15)", "N" },
    { "steps", 's', 0, G_OPTION_ARG_INT, &options.steps, "Timed steps (default 20)", "N" },
    { "warmup", 'w', 0, G_OPTION_ARG_INT, &options.warmup, "Untimed steps first", "N" },
    { "threads", 't', 0, G_OPTION_ARG_INT, &options.threads, "Engine threads", "N" },
    { "epoch", 'e', 0, G_OPTION_ARG_NONE, &options.epoch,
      "Fashion-MNIST: time one whole epoch of the 60,000 training images", NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &options.json, "One JSON line of results", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("— time the engine");
  g_autoptr (GError) gerror = NULL;
  CnnLayerSpec layers[32];
  CnnError error = { 0 };
  BenchResult result = { 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &gerror))
    {
      g_printerr ("%s\n", gerror->message);
      return 2;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (seed_models); i++)
    if (g_str_equal (model_name ? model_name : "fashion-mnist", seed_models[i].name))
      options.seed = &seed_models[i];
  if (options.seed == NULL || options.steps < 1 || options.warmup < 0 || options.threads < 1
      || (options.epoch && options.seed != &seed_models[0]))
    {
      g_printerr ("Unknown model or bad option; see --help\n");
      return 2;
    }
  if (options.batch_size <= 0)
    options.batch_size = options.seed->side == 28 ? 200 : 15;

  const gsize sample_size = (gsize) options.seed->side * options.seed->side
                            * options.seed->channels;
  gsize n_samples = options.epoch ? 60000
                                  : (gsize) options.batch_size * (options.steps + options.warmup);
  if (options.seed->side == 28 && n_samples > 60000)
    n_samples = 60000;
  g_autofree float *x = g_try_malloc (n_samples * sample_size * sizeof (float));
  g_autofree gint32 *labels = g_malloc (n_samples * sizeof (gint32));
  if (x == NULL)
    {
      g_printerr ("Not enough memory for %zu images\n", n_samples);
      return 1;
    }
  if (options.seed->side == 28)
    {
      if (!fashion_images (n_samples, x, labels, &gerror))
        {
          g_printerr ("%s\n", gerror->message);
          return 1;
        }
    }
  else
    synthetic_images (n_samples, sample_size, x, labels);

  int n_layers = seed_layers (options.seed, layers);
  CnnModel *model = cnn_model_new (options.seed->side, options.seed->side,
                                   options.seed->channels, layers, n_layers, 42, &error);
  if (model == NULL || cnn_model_set_threads (model, options.threads, &error) != CNN_OK
      || run_bench (model, &options, x, labels, n_samples, &result, &error)
                       != CNN_OK)
    {
      g_printerr ("%s\n", error.message);
      cnn_model_free (model);
      return 1;
    }
  print_result (model, &options, &result);
  cnn_model_free (model);
  return 0;
}
