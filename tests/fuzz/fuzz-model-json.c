/* fuzz-model-json.c — fuzzes the Keras model JSON reader, its writer and model building. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <stdlib.h>

#include "fuzz-common.h"
#include "studio-model-json-private.h"
#include "studio-model-json.h"

/* Models are built only up to this many kernel floats and input floats, so that one input
 * costs milliseconds and megabytes; the engine's own refusal of absurd models is tested by
 * test-hostile and the engine tests. */
#define MAX_BUILT_KERNEL_FLOATS (4u << 20)
#define MAX_BUILT_INPUT_FLOATS  (1u << 20)

/* What the writer makes of an architecture must read back to the same JSON. */
static void
check_round_trip (const StudioArchitecture *architecture)
{
  g_autoptr(StudioArchitecture) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = studio_architecture_to_json (architecture);
  g_autofree char *json_again = NULL;

  again = studio_architecture_new_from_json (json, -1, &error);
  if (again == NULL)
    g_error ("The written JSON does not read back (%s): %s", error->message, json);
  json_again = studio_architecture_to_json (again);
  g_assert_cmpstr (json, ==, json_again);
}

static void
build (const StudioArchitecture *architecture)
{
  g_autoptr(GError) error = NULL;
  guint64 input_floats = (guint64) architecture->height * architecture->width
                         * architecture->channels;
  CnnModel *model;

  if (studio_architecture_count_kernel_floats (architecture) > MAX_BUILT_KERNEL_FLOATS
      || input_floats > MAX_BUILT_INPUT_FLOATS)
    return;
  model = studio_architecture_build (architecture, 42, &error);
  g_assert_true ((model == NULL) == (error != NULL));
  fuzz_report (model != NULL ? "built" : "not built", error);
  if (model != NULL)
    {
      char *summary = cnn_model_summary (model, architecture->name);
      g_autofree char *json = studio_model_to_json (model);

      g_assert_nonnull (summary);
      g_assert_nonnull (json);
      free (summary);
      cnn_model_free (model);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(StudioArchitecture) architecture = NULL;
  g_autoptr(GError) error = NULL;

  fuzz_init_logging ();
  architecture = studio_architecture_new_from_json ((const char *) data, (gssize) size, &error);
  g_assert_true ((architecture == NULL) == (error != NULL));
  fuzz_report (architecture != NULL ? "read" : "refused", error);
  if (architecture == NULL)
    return 0;
  check_round_trip (architecture);
  build (architecture);
  return 0;
}
