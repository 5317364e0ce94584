/* studio-sample-grid.c — a grid of sample images with their class names, crisply enlarged. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "studio-sample-grid.h"

#define THUMBNAIL_SIZE 84

struct _StudioSampleGrid
{
  GtkWidget  parent_instance;

  GtkWidget *flow_box;
  GArray    *sample_indices;   /* (gsize) index in the split of each shown sample */
  GPtrArray *captions;         /* (GtkLabel) the caption under each sample */
};

G_DEFINE_FINAL_TYPE (StudioSampleGrid, studio_sample_grid, GTK_TYPE_WIDGET)

GdkTexture *
studio_sample_texture_new (StudioDataset *dataset,
                           StudioSplit    split,
                           gsize          index,
                           int            target_size)
{
  int height, width, channels, scale, out_channels;
  const guint8 *pixels;
  g_autoptr(GBytes) bytes = NULL;
  guint8 *scaled;
  gsize stride;

  g_return_val_if_fail (STUDIO_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (index < studio_dataset_get_n_samples (dataset, split), NULL);

  height = studio_dataset_get_height (dataset);
  width = studio_dataset_get_width (dataset);
  channels = studio_dataset_get_channels (dataset);
  pixels = studio_dataset_get_pixels (dataset, split, index);
  scale = MAX (1, target_size / MAX (height, width));
  out_channels = channels == 4 ? 4 : 3;
  stride = (gsize) width * scale * out_channels;
  scaled = g_malloc (stride * height * scale);

  for (int y = 0; y < height * scale; y++)
    for (int x = 0; x < width * scale; x++)
      {
        const guint8 *source = pixels + ((gsize) (y / scale) * width + x / scale) * channels;
        guint8 *target = scaled + y * stride + (gsize) x * out_channels;

        /* Grey (or any non-RGB layout): the first channel for all three colours. */
        for (int c = 0; c < out_channels; c++)
          target[c] = source[channels >= 3 ? c : 0];
      }

  bytes = g_bytes_new_take (scaled, stride * height * scale);
  return gdk_memory_texture_new (width * scale, height * scale,
                                 out_channels == 4 ? GDK_MEMORY_R8G8B8A8 : GDK_MEMORY_R8G8B8,
                                 bytes, stride);
}

/* n distinct indices below `total`, in random order from `seed`. */
static GArray *
pick_sample_indices (gsize   total,
                     guint32 seed,
                     guint   n_samples)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GHashTable) taken = g_hash_table_new (NULL, NULL);
  GArray *indices = g_array_new (FALSE, FALSE, sizeof (gsize));
  guint wanted = MIN (n_samples, total);

  while (indices->len < wanted)
    {
      gsize index = (gsize) (g_rand_double (rand) * total);

      if (index >= total || g_hash_table_contains (taken, GSIZE_TO_POINTER (index + 1)))
        continue;
      g_hash_table_add (taken, GSIZE_TO_POINTER (index + 1));
      g_array_append_val (indices, index);
    }

  return indices;
}

static GtkWidget *
create_sample_tile (StudioDataset *dataset,
                    StudioSplit    split,
                    gsize          index,
                    GtkWidget    **caption_out)
{
  g_autoptr(GdkTexture) texture = studio_sample_texture_new (dataset, split, index,
                                                             THUMBNAIL_SIZE);
  gint32 label = studio_dataset_get_label (dataset, split, index);
  const char *filename = studio_dataset_get_filename (dataset, split, index);
  const char *class_name = label >= 0 && (guint) label < studio_dataset_get_n_classes (dataset)
                           ? studio_dataset_get_class_name (dataset, label) : "?";
  g_autofree char *tooltip = NULL;
  GtkWidget *tile, *picture, *caption;

  tile = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_add_css_class (tile, "sample-tile");

  picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_widget_set_size_request (picture, THUMBNAIL_SIZE, THUMBNAIL_SIZE);
  gtk_widget_add_css_class (picture, "sample-picture");
  gtk_box_append (GTK_BOX (tile), picture);

  caption = gtk_label_new (class_name);
  gtk_label_set_ellipsize (GTK_LABEL (caption), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (caption), 12);
  gtk_widget_add_css_class (caption, "sample-caption");
  gtk_box_append (GTK_BOX (tile), caption);

  if (filename != NULL)
    tooltip = g_strdup_printf ("%s — %s", filename, class_name);
  else
    /* Translators: a tooltip on a sample image: its number in the dataset and its class. */
    tooltip = g_strdup_printf (_("Sample %zu — %s"), index, class_name);
  gtk_widget_set_tooltip_text (tile, tooltip);

  *caption_out = caption;
  return tile;
}

void
studio_sample_grid_show_samples (StudioSampleGrid *self,
                                 StudioDataset    *dataset,
                                 StudioSplit       split,
                                 guint32           seed,
                                 guint             n_samples)
{
  GtkWidget *child;

  g_return_if_fail (STUDIO_IS_SAMPLE_GRID (self));
  g_return_if_fail (dataset == NULL || STUDIO_IS_DATASET (dataset));

  while ((child = gtk_widget_get_first_child (self->flow_box)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->flow_box), child);
  g_array_set_size (self->sample_indices, 0);
  g_ptr_array_set_size (self->captions, 0);

  if (dataset == NULL)
    return;

  g_autoptr(GArray) indices = pick_sample_indices (studio_dataset_get_n_samples (dataset, split),
                                                   seed, n_samples);
  for (guint i = 0; i < indices->len; i++)
    {
      gsize index = g_array_index (indices, gsize, i);
      GtkWidget *caption;

      gtk_flow_box_append (GTK_FLOW_BOX (self->flow_box),
                           create_sample_tile (dataset, split, index, &caption));
      g_array_append_val (self->sample_indices, index);
      g_ptr_array_add (self->captions, caption);
    }
}

guint
studio_sample_grid_get_n_samples (StudioSampleGrid *self)
{
  g_return_val_if_fail (STUDIO_IS_SAMPLE_GRID (self), 0);

  return self->sample_indices->len;
}

gsize
studio_sample_grid_get_sample_index (StudioSampleGrid *self,
                                     guint             position)
{
  g_return_val_if_fail (STUDIO_IS_SAMPLE_GRID (self), 0);
  g_return_val_if_fail (position < self->sample_indices->len, 0);

  return g_array_index (self->sample_indices, gsize, position);
}

const char *
studio_sample_grid_get_caption (StudioSampleGrid *self,
                                guint             position)
{
  g_return_val_if_fail (STUDIO_IS_SAMPLE_GRID (self), NULL);
  g_return_val_if_fail (position < self->captions->len, NULL);

  return gtk_label_get_text (g_ptr_array_index (self->captions, position));
}

static void
studio_sample_grid_dispose (GObject *object)
{
  StudioSampleGrid *self = STUDIO_SAMPLE_GRID (object);

  g_clear_pointer (&self->captions, g_ptr_array_unref);
  g_clear_pointer (&self->flow_box, gtk_widget_unparent);

  G_OBJECT_CLASS (studio_sample_grid_parent_class)->dispose (object);
}

static void
studio_sample_grid_finalize (GObject *object)
{
  StudioSampleGrid *self = STUDIO_SAMPLE_GRID (object);

  g_clear_pointer (&self->sample_indices, g_array_unref);

  G_OBJECT_CLASS (studio_sample_grid_parent_class)->finalize (object);
}

static void
studio_sample_grid_class_init (StudioSampleGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = studio_sample_grid_dispose;
  object_class->finalize = studio_sample_grid_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "samplegrid");
}

static void
studio_sample_grid_init (StudioSampleGrid *self)
{
  self->sample_indices = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->captions = g_ptr_array_new ();

  self->flow_box = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->flow_box), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (self->flow_box), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (self->flow_box), 3);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->flow_box), 16);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->flow_box), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (self->flow_box), 6);
  gtk_widget_set_valign (self->flow_box, GTK_ALIGN_START);
  gtk_widget_set_parent (self->flow_box, GTK_WIDGET (self));
}

GtkWidget *
studio_sample_grid_new (void)
{
  return g_object_new (STUDIO_TYPE_SAMPLE_GRID, NULL);
}
