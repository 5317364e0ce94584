/* studio-augment-preview.c — one image drawn 15 times through the augmentation settings. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "studio-augment-preview.h"
#include "studio-sample-grid.h"

#define N_TILES        STUDIO_AUGMENT_PREVIEW_N_TILES
#define ORIGINAL_SIZE  150
/* Small images (28 × 28) are enlarged by whole pixels to about this size, so they stay sharp. */
#define TILE_SIZE      112
#define DEFAULT_SEED   42

struct _StudioAugmentPreview
{
  GtkWidget              parent_instance;

  /* Template children */
  GtkWidget             *main_box;
  GtkLabel              *status_label;
  GtkSwitch             *enabled_switch;
  GtkPicture            *original_picture;
  GtkLabel              *original_caption;
  GtkButton             *random_button;
  GtkButton             *reroll_button;
  GtkSpinButton         *seed_spin;
  GtkGrid               *tile_grid;
  StudioAugmentControls *controls;

  GtkPicture            *tiles[N_TILES];
  char                  *descriptions[N_TILES];

  StudioDataset         *dataset;
  StudioSplit            split;
  gsize                  sample_index;
  GBytes                *image;         /* (height, width, channels) pixels of the sample */

  GCancellable          *cancellable;   /* of the computation running now, or NULL */
  guint                  n_rendered;
};

enum {
  PROP_0,
  PROP_SEED,
  PROP_AUGMENT_ENABLED,
  PROP_SAMPLE_INDEX,
  N_PROPS
};

enum {
  SIGNAL_SETTINGS_CHANGED,
  SIGNAL_RENDERED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (StudioAugmentPreview, studio_augment_preview, GTK_TYPE_WIDGET)

/* ------------------------------------------------------------------ the worker */

/* What the worker needs; it owns copies, so the widget may change meanwhile. */
typedef struct {
  GBytes                *image;
  int                    height, width, channels;
  StudioAugmentSettings  settings;
  guint32                seed;
} PreviewJob;

/* What it hands back: 15 RGB images enlarged by `scale`, and the parameters drawn. */
typedef struct {
  GBytes          *tiles[N_TILES];   /* (height·scale, width·scale, 3) uint8 */
  StudioTransform  transforms[N_TILES];
  int              tile_height, tile_width;
} PreviewResult;

static void
preview_job_free (PreviewJob *job)
{
  g_bytes_unref (job->image);
  g_free (job);
}

static void
preview_result_free (PreviewResult *result)
{
  for (guint i = 0; i < N_TILES; i++)
    g_clear_pointer (&result->tiles[i], g_bytes_unref);
  g_free (result);
}

/* Float samples (what training sees before its rescale) to RGB bytes, pixel-replicated. */
static GBytes *
tile_to_rgb (const float *values,
             int          height,
             int          width,
             int          channels,
             int          scale)
{
  gsize stride = (gsize) width * scale * 3;
  guint8 *rgb = g_malloc (stride * height * scale);

  for (int y = 0; y < height * scale; y++)
    for (int x = 0; x < width * scale; x++)
      {
        const float *source = values + ((gsize) (y / scale) * width + x / scale) * channels;
        guint8 *target = rgb + y * stride + (gsize) x * 3;

        for (int c = 0; c < 3; c++)
          target[c] = (guint8) CLAMP (lrintf (source[channels >= 3 ? c : 0]), 0, 255);
      }
  return g_bytes_new_take (rgb, stride * height * scale);
}

static void
compute_tiles (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  PreviewJob *job = task_data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (job->seed);
  PreviewResult *result = g_new0 (PreviewResult, 1);
  int scale = MAX (1, TILE_SIZE / MAX (job->height, job->width));
  g_autofree float *values = g_new (float, (gsize) job->height * job->width * job->channels);
  StudioAugmentSettings shown = job->settings;

  /* The preview shows pixels as a person sees them; the rescale only changes their unit. */
  shown.rescale = 0;
  result->tile_height = job->height * scale;
  result->tile_width = job->width * scale;

  for (guint i = 0; i < N_TILES; i++)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          preview_result_free (result);
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                   "A newer preview replaced this one");
          return;
        }
      studio_augment_draw (&shown, job->height, job->width, rand, &result->transforms[i]);
      studio_augment_apply (&shown, &result->transforms[i],
                            g_bytes_get_data (job->image, NULL),
                            job->height, job->width, job->channels, values);
      result->tiles[i] = tile_to_rgb (values, job->height, job->width, job->channels, scale);
    }

  g_task_return_pointer (task, result, (GDestroyNotify) preview_result_free);
}

/* ------------------------------------------------------------------ descriptions */

char *
studio_augment_describe_transform (const StudioTransform *transform)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (transform != NULL, NULL);

  /* Translators: tooltip lines of one augmented image; ° is degrees, px pixels. */
  g_string_append_printf (text, _("Rotation: %.1f°"), transform->theta);
  g_string_append_c (text, '\n');
  /* Translators: the vertical (rows) then the horizontal (columns) shift in pixels. */
  g_string_append_printf (text, _("Shift: %.1f px down, %.1f px right"),
                          transform->tx, transform->ty);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Shear: %.2f°"), transform->shear);
  g_string_append_c (text, '\n');
  /* Translators: zoom factors along the rows (height) and the columns (width). */
  g_string_append_printf (text, _("Zoom: %.3f (height) × %.3f (width)"),
                          transform->zx, transform->zy);
  g_string_append_c (text, '\n');
  if (transform->flip_horizontal && transform->flip_vertical)
    g_string_append (text, _("Flipped horizontally and vertically"));
  else if (transform->flip_horizontal)
    g_string_append (text, _("Flipped horizontally"));
  else if (transform->flip_vertical)
    g_string_append (text, _("Flipped vertically"));
  else
    g_string_append (text, _("Not flipped"));
  if (transform->has_brightness)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Brightness: × %.2f"), transform->brightness);
    }

  return g_string_free (text, FALSE);
}

/* ------------------------------------------------------------------ showing results */

static void
show_status (StudioAugmentPreview *self)
{
  gboolean enabled = gtk_switch_get_active (self->enabled_switch);

  gtk_label_set_text (self->status_label, enabled
                      ? _("Training draws a new transform like these for every image of "
                          "every epoch.")
                      : _("Augmentation is off: training sees the images as they are. The "
                          "grid shows what these settings would do."));
}

static void
show_result (StudioAugmentPreview *self,
             PreviewResult        *result)
{
  for (guint i = 0; i < N_TILES; i++)
    {
      g_autoptr(GdkTexture) texture =
        gdk_memory_texture_new (result->tile_width, result->tile_height, GDK_MEMORY_R8G8B8,
                                result->tiles[i], (gsize) result->tile_width * 3);

      gtk_picture_set_paintable (self->tiles[i], GDK_PAINTABLE (texture));
      g_free (self->descriptions[i]);
      self->descriptions[i] = studio_augment_describe_transform (&result->transforms[i]);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->tiles[i]), self->descriptions[i]);
    }
  self->n_rendered++;
  g_signal_emit (self, signals[SIGNAL_RENDERED], 0);
}

static void
on_tiles_computed (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  StudioAugmentPreview *self = STUDIO_AUGMENT_PREVIEW (source_object);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr(GError) error = NULL;
  PreviewResult *tiles = g_task_propagate_pointer (G_TASK (result), &error);

  /* A newer request has started (and cancelled this one), or the widget went away. */
  if (cancellable != self->cancellable || g_cancellable_is_cancelled (cancellable))
    {
      g_clear_pointer (&tiles, preview_result_free);
      return;
    }
  g_clear_object (&self->cancellable);
  if (tiles == NULL)
    {
      /* Only cancellation fails; say so rather than hide it. */
      g_warning ("Augmentation preview failed: %s", error->message);
      return;
    }
  show_result (self, tiles);
  preview_result_free (tiles);
}

/* Starts computing the grid for the current image, settings and seed, cancelling the
 * computation still running, if any. */
static void
queue_render (StudioAugmentPreview *self)
{
  g_autoptr(GTask) task = NULL;
  PreviewJob *job;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->image == NULL)
    return;

  job = g_new0 (PreviewJob, 1);
  job->image = g_bytes_ref (self->image);
  job->height = studio_dataset_get_height (self->dataset);
  job->width = studio_dataset_get_width (self->dataset);
  job->channels = studio_dataset_get_channels (self->dataset);
  studio_augment_controls_get_settings (self->controls, &job->settings);
  job->seed = studio_augment_preview_get_seed (self);

  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, on_tiles_computed, NULL);
  g_task_set_source_tag (task, queue_render);
  g_task_set_task_data (task, job, (GDestroyNotify) preview_job_free);
  g_task_run_in_thread (task, compute_tiles);
}

static void
clear_tiles (StudioAugmentPreview *self)
{
  for (guint i = 0; i < N_TILES; i++)
    {
      gtk_picture_set_paintable (self->tiles[i], NULL);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->tiles[i]), NULL);
      g_clear_pointer (&self->descriptions[i], g_free);
    }
  gtk_picture_set_paintable (self->original_picture, NULL);
  gtk_label_set_text (self->original_caption, "");
}

/* ------------------------------------------------------------------ signal handlers */

static void
on_controls_changed (StudioAugmentPreview *self)
{
  queue_render (self);
  g_signal_emit (self, signals[SIGNAL_SETTINGS_CHANGED], 0);
}

static void
on_enabled_changed (StudioAugmentPreview *self)
{
  show_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUGMENT_ENABLED]);
  g_signal_emit (self, signals[SIGNAL_SETTINGS_CHANGED], 0);
}

static void
on_seed_changed (StudioAugmentPreview *self)
{
  queue_render (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEED]);
}

static void
on_reroll_clicked (StudioAugmentPreview *self)
{
  studio_augment_preview_reroll (self);
}

static void
on_random_clicked (StudioAugmentPreview *self)
{
  studio_augment_preview_show_random_image (self);
}

static void
on_preset_clicked (StudioAugmentPreview *self)
{
  studio_augment_controls_apply_course_preset (self->controls);
}

static void
on_reset_clicked (StudioAugmentPreview *self)
{
  studio_augment_controls_reset (self->controls);
}

/* ------------------------------------------------------------------ GObject */

static void
studio_augment_preview_dispose (GObject *object)
{
  StudioAugmentPreview *self = STUDIO_AUGMENT_PREVIEW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), STUDIO_TYPE_AUGMENT_PREVIEW);
  g_clear_object (&self->dataset);
  g_clear_pointer (&self->image, g_bytes_unref);
  for (guint i = 0; i < N_TILES; i++)
    g_clear_pointer (&self->descriptions[i], g_free);

  G_OBJECT_CLASS (studio_augment_preview_parent_class)->dispose (object);
}

static void
studio_augment_preview_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  StudioAugmentPreview *self = STUDIO_AUGMENT_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_SEED:
      g_value_set_uint (value, studio_augment_preview_get_seed (self));
      break;
    case PROP_AUGMENT_ENABLED:
      g_value_set_boolean (value, studio_augment_preview_get_augment_enabled (self));
      break;
    case PROP_SAMPLE_INDEX:
      g_value_set_uint64 (value, self->sample_index);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
studio_augment_preview_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  StudioAugmentPreview *self = STUDIO_AUGMENT_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_SEED:
      studio_augment_preview_set_seed (self, g_value_get_uint (value));
      break;
    case PROP_AUGMENT_ENABLED:
      studio_augment_preview_set_augment_enabled (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
studio_augment_preview_class_init (StudioAugmentPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = studio_augment_preview_dispose;
  object_class->get_property = studio_augment_preview_get_property;
  object_class->set_property = studio_augment_preview_set_property;

  properties[PROP_SEED] =
    g_param_spec_uint ("seed", NULL, NULL, 0, G_MAXUINT32, DEFAULT_SEED,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUGMENT_ENABLED] =
    g_param_spec_boolean ("augment-enabled", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SAMPLE_INDEX] =
    g_param_spec_uint64 ("sample-index", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SETTINGS_CHANGED] =
    g_signal_new ("settings-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_RENDERED] =
    g_signal_new ("rendered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (STUDIO_TYPE_AUGMENT_CONTROLS);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convstudio/ConvStudio/"
                                               "studio-augment-preview.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioAugmentPreview, main_box);
  gtk_widget_class_bind_template_child (widget_class, StudioAugmentPreview, status_label);
  gtk_widget_class_bind_template_child (widget_class, StudioAugmentPreview, enabled_switch);
  gtk_widget_class_bind_template_child (widget_class, StudioAugmentPreview, original_picture);
  gtk_widget_class_bind_template_child (widget_class, StudioAugmentPreview, original_caption);
  gtk_widget_class_bind_template_child (widget_class, StudioAugmentPreview, random_button);
  gtk_widget_class_bind_template_child (widget_class, StudioAugmentPreview, reroll_button);
  gtk_widget_class_bind_template_child (widget_class, StudioAugmentPreview, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, StudioAugmentPreview, tile_grid);
  gtk_widget_class_bind_template_child (widget_class, StudioAugmentPreview, controls);
  gtk_widget_class_bind_template_callback (widget_class, on_controls_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_seed_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_reroll_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_random_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_preset_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_reset_clicked);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "augmentpreview");
}

static void
studio_augment_preview_init (StudioAugmentPreview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_TILES; i++)
    {
      GtkWidget *tile = gtk_picture_new ();

      gtk_picture_set_can_shrink (GTK_PICTURE (tile), TRUE);
      gtk_widget_set_size_request (tile, 72, 72);
      gtk_widget_add_css_class (tile, "sample-picture");
      gtk_grid_attach (self->tile_grid, tile, i % STUDIO_AUGMENT_PREVIEW_COLUMNS,
                       i / STUDIO_AUGMENT_PREVIEW_COLUMNS, 1, 1);
      self->tiles[i] = GTK_PICTURE (tile);
    }

  gtk_spin_button_set_value (self->seed_spin, DEFAULT_SEED);
  /* What the grid shows first is the course's augmentation, switched off for training. */
  studio_augment_controls_apply_course_preset (self->controls);
  g_signal_connect_swapped (self->enabled_switch, "notify::active",
                            G_CALLBACK (on_enabled_changed), self);
  show_status (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->random_button), FALSE);
}

GtkWidget *
studio_augment_preview_new (void)
{
  return g_object_new (STUDIO_TYPE_AUGMENT_PREVIEW, NULL);
}

/* ------------------------------------------------------------------ public API */

static void
show_original (StudioAugmentPreview *self)
{
  g_autoptr(GdkTexture) texture = studio_sample_texture_new (self->dataset, self->split,
                                                             self->sample_index, ORIGINAL_SIZE);
  gint32 label = studio_dataset_get_label (self->dataset, self->split, self->sample_index);
  const char *filename = studio_dataset_get_filename (self->dataset, self->split,
                                                      self->sample_index);
  guint n_classes = studio_dataset_get_n_classes (self->dataset);
  const char *class_name = label >= 0 && (guint) label < n_classes
                           ? studio_dataset_get_class_name (self->dataset, label) : "?";
  g_autofree char *caption = NULL;

  if (filename != NULL)
    caption = g_strdup_printf ("%s — %s", filename, class_name);
  else
    /* Translators: under the original image: its number in the dataset and its class. */
    caption = g_strdup_printf (_("Sample %zu — %s"), self->sample_index, class_name);
  gtk_picture_set_paintable (self->original_picture, GDK_PAINTABLE (texture));
  gtk_label_set_text (self->original_caption, caption);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->original_caption), caption);
}

void
studio_augment_preview_set_image (StudioAugmentPreview *self,
                                  StudioDataset        *dataset,
                                  StudioSplit           split,
                                  gsize                 index)
{
  gsize n_values;

  g_return_if_fail (STUDIO_IS_AUGMENT_PREVIEW (self));
  g_return_if_fail (dataset == NULL || STUDIO_IS_DATASET (dataset));
  g_return_if_fail (dataset == NULL || index < studio_dataset_get_n_samples (dataset, split));

  g_set_object (&self->dataset, dataset);
  g_clear_pointer (&self->image, g_bytes_unref);
  self->split = split;
  self->sample_index = dataset != NULL ? index : 0;
  gtk_widget_set_sensitive (GTK_WIDGET (self->random_button), dataset != NULL);

  if (dataset == NULL)
    {
      queue_render (self);
      clear_tiles (self);
    }
  else
    {
      n_values = (gsize) studio_dataset_get_height (dataset) * studio_dataset_get_width (dataset)
                 * studio_dataset_get_channels (dataset);
      self->image = g_bytes_new (studio_dataset_get_pixels (dataset, split, index), n_values);
      show_original (self);
      queue_render (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAMPLE_INDEX]);
}

gsize
studio_augment_preview_get_sample_index (StudioAugmentPreview *self)
{
  g_return_val_if_fail (STUDIO_IS_AUGMENT_PREVIEW (self), 0);

  return self->sample_index;
}

void
studio_augment_preview_show_random_image (StudioAugmentPreview *self)
{
  gsize n_samples;

  g_return_if_fail (STUDIO_IS_AUGMENT_PREVIEW (self));

  if (self->dataset == NULL)
    return;
  n_samples = studio_dataset_get_n_samples (self->dataset, self->split);
  if (n_samples == 0)
    return;
  studio_augment_preview_set_image (self, self->dataset, self->split,
                                    (gsize) (g_random_double () * n_samples) % n_samples);
}

void
studio_augment_preview_get_settings (StudioAugmentPreview  *self,
                                     StudioAugmentSettings *settings)
{
  StudioAugmentSettings controls;

  g_return_if_fail (STUDIO_IS_AUGMENT_PREVIEW (self));
  g_return_if_fail (settings != NULL);

  studio_augment_controls_get_settings (self->controls, &controls);
  if (gtk_switch_get_active (self->enabled_switch))
    {
      *settings = controls;
      return;
    }
  /* Off means no random transforms; the rescale is standardisation and always applies. */
  studio_augment_settings_init (settings);
  settings->rescale = controls.rescale;
}

void
studio_augment_preview_set_settings (StudioAugmentPreview        *self,
                                     const StudioAugmentSettings *settings)
{
  StudioAugmentSettings transforms_only;

  g_return_if_fail (STUDIO_IS_AUGMENT_PREVIEW (self));
  g_return_if_fail (settings != NULL);

  transforms_only = *settings;
  /* The rescale alone is standardisation, not augmentation. */
  transforms_only.rescale = 0;
  studio_augment_controls_set_settings (self->controls, settings);
  studio_augment_preview_set_augment_enabled (
    self, !studio_augment_settings_is_identity (&transforms_only));
}

StudioAugmentControls *
studio_augment_preview_get_controls (StudioAugmentPreview *self)
{
  g_return_val_if_fail (STUDIO_IS_AUGMENT_PREVIEW (self), NULL);

  return self->controls;
}

gboolean
studio_augment_preview_get_augment_enabled (StudioAugmentPreview *self)
{
  g_return_val_if_fail (STUDIO_IS_AUGMENT_PREVIEW (self), FALSE);

  return gtk_switch_get_active (self->enabled_switch);
}

void
studio_augment_preview_set_augment_enabled (StudioAugmentPreview *self,
                                            gboolean              enabled)
{
  g_return_if_fail (STUDIO_IS_AUGMENT_PREVIEW (self));

  gtk_switch_set_active (self->enabled_switch, enabled);
}

guint32
studio_augment_preview_get_seed (StudioAugmentPreview *self)
{
  g_return_val_if_fail (STUDIO_IS_AUGMENT_PREVIEW (self), 0);

  return (guint32) gtk_spin_button_get_value (self->seed_spin);
}

void
studio_augment_preview_set_seed (StudioAugmentPreview *self,
                                 guint32               seed)
{
  g_return_if_fail (STUDIO_IS_AUGMENT_PREVIEW (self));

  gtk_spin_button_set_value (self->seed_spin, seed);
}

void
studio_augment_preview_reroll (StudioAugmentPreview *self)
{
  guint32 old_seed, seed;

  g_return_if_fail (STUDIO_IS_AUGMENT_PREVIEW (self));

  old_seed = studio_augment_preview_get_seed (self);
  do
    seed = g_random_int ();
  while (seed == old_seed);
  studio_augment_preview_set_seed (self, seed);
}

guint
studio_augment_preview_get_n_rendered (StudioAugmentPreview *self)
{
  g_return_val_if_fail (STUDIO_IS_AUGMENT_PREVIEW (self), 0);

  return self->n_rendered;
}

gboolean
studio_augment_preview_get_busy (StudioAugmentPreview *self)
{
  g_return_val_if_fail (STUDIO_IS_AUGMENT_PREVIEW (self), FALSE);

  return self->cancellable != NULL;
}

const char *
studio_augment_preview_get_tile_description (StudioAugmentPreview *self,
                                             guint                 position)
{
  g_return_val_if_fail (STUDIO_IS_AUGMENT_PREVIEW (self), NULL);
  g_return_val_if_fail (position < N_TILES, NULL);

  return self->descriptions[position];
}

GdkPaintable *
studio_augment_preview_get_tile_paintable (StudioAugmentPreview *self,
                                           guint                 position)
{
  g_return_val_if_fail (STUDIO_IS_AUGMENT_PREVIEW (self), NULL);
  g_return_val_if_fail (position < N_TILES, NULL);

  return gtk_picture_get_paintable (self->tiles[position]);
}
