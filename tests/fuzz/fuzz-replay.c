/* fuzz-replay.c — runs saved fuzz inputs through a harness without libFuzzer (any compiler). */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "fuzz-common.h"

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every file of a folder, in name order so that a failure is reproducible; a folder that
 * does not exist (an empty regressions folder is not kept by git) holds nothing. */
static GPtrArray *
list_inputs (const char *folder)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  if (dir == NULL)
    return g_steal_pointer (&paths);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (paths, g_steal_pointer (&path));
    }
  g_ptr_array_sort (paths, compare_paths);
  return g_steal_pointer (&paths);
}

static void
replay_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("%s", error->message);
  printf ("# %s (%" G_GSIZE_FORMAT " bytes)\n", path, length);
  fflush (stdout);
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
}

/* Arguments are folders or files; at least one input must be found, so that a corpus that
 * went missing fails the test instead of passing it with nothing run. */
int
main (int   argc,
      char *argv[])
{
  guint n_inputs = 0;

  fuzz_init_logging ();
  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GPtrArray) paths = NULL;

      if (g_file_test (argv[i], G_FILE_TEST_IS_REGULAR))
        {
          replay_file (argv[i]);
          n_inputs++;
          continue;
        }
      paths = list_inputs (argv[i]);
      for (guint p = 0; p < paths->len; p++)
        replay_file (paths->pdata[p]);
      n_inputs += paths->len;
    }
  if (n_inputs == 0)
    {
      fprintf (stderr, "No fuzz inputs found in the folders given\n");
      return 1;
    }
  printf ("Replayed %u inputs without a crash\n", n_inputs);
  return 0;
}
