/* studio-layers-view.c — inside the network: every layer's maps, filters and shapes for one image. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "studio-layer-explain.h"
#include "studio-layers-view.h"
#include "studio-status-page.h"

#define THUMBNAIL_SIZE    56
#define FILTERS_MAX_HEIGHT 280

/* What the view shows of one layer. */
typedef struct
{
  GtkWidget         *card;
  GtkWidget         *shape_label;     /* NULL when the layer keeps its input's shape */
  GtkWidget         *params_label;    /* NULL when the layer has no weights */
  StudioChannelGrid *output;
  StudioChannelGrid *preactivation;   /* Conv2D / Dense with an activation, else NULL */
  StudioFilterGrid  *filters;         /* Conv2D, else NULL */
  GtkWidget         *filters_scroller;
} LayerCard;

/* The model a worker reads: shared, so a newer snapshot can arrive while a worker runs. */
typedef struct
{
  CnnModel *model;
} ModelRef;

struct _StudioLayersView
{
  GtkWidget         parent_instance;

  GtkWidget        *page_box;
  GtkPicture       *image_picture;
  GtkLabel         *image_label;
  GtkWidget        *previous_button;
  GtkWidget        *next_button;
  GtkWidget        *random_button;
  GtkSpinner       *spinner;
  GtkLabel         *prediction_label;
  GtkToggleButton  *shared_toggle;
  GtkToggleButton  *per_channel_toggle;
  GtkLabel         *error_label;
  GtkStack         *state_stack;
  GtkBox           *layers_box;

  ModelRef         *model;            /* NULL until a model is set */
  double            rescale;
  StudioDataset    *dataset;
  StudioSplit       split;
  gsize             index;

  GArray           *cards;            /* of LayerCard, one per layer of the model */
  GCancellable     *cancellable;      /* of the newest request */
  guint             generation;       /* of the newest request */
  guint             n_pending;
  guint             n_shown;
};

G_DEFINE_FINAL_TYPE (StudioLayersView, studio_layers_view, GTK_TYPE_WIDGET)

static void
model_ref_clear (gpointer data)
{
  ModelRef *ref = data;

  cnn_model_free (ref->model);
}

static void
model_ref_release (ModelRef *ref)
{
  g_atomic_rc_box_release_full (ref, model_ref_clear);
}

static CnnModel *
current_model (StudioLayersView *self)
{
  return self->model != NULL ? self->model->model : NULL;
}

/* ---------------------------------------------------------------- worker */

typedef struct
{
  ModelRef      *model;
  float         *input;       /* (h, w, c), already rescaled */
  guint          generation;
} InspectRequest;

static void
inspect_request_free (gpointer data)
{
  InspectRequest *request = data;

  model_ref_release (request->model);
  g_free (request->input);
  g_free (request);
}

static void
inspection_free (gpointer data)
{
  CnnInspection *inspection = data;

  cnn_inspection_clear (inspection);
  g_free (inspection);
}

static void
inspect_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  InspectRequest *request = task_data;
  CnnInspection *inspection = g_new0 (CnnInspection, 1);
  CnnError error = { 0 };

  /* A newer image or snapshot was asked for meanwhile: its request does this work. */
  if (g_task_return_error_if_cancelled (task))
    {
      g_free (inspection);
      return;
    }
  if (cnn_model_inspect (request->model->model, request->input, inspection, &error) != CNN_OK)
    {
      g_free (inspection);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("Could not run the image through the model: %s"),
                               error.message);
      return;
    }
  g_task_return_pointer (task, inspection, inspection_free);
}

static void show_inspection (StudioLayersView *self,
                             CnnInspection    *inspection);

static void
update_busy (StudioLayersView *self)
{
  if (self->n_pending > 0)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
}

static void
on_inspected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  StudioLayersView *self = STUDIO_LAYERS_VIEW (source);
  InspectRequest *request = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  CnnInspection *inspection;

  self->n_pending--;
  update_busy (self);
  inspection = g_task_propagate_pointer (G_TASK (result), &error);
  if (request->generation != self->generation
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&inspection, inspection_free);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  if (error != NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      return;
    }
  show_inspection (self, inspection);
  inspection_free (inspection);
}

/* The model's input for the chosen image, or NULL and a message when the shapes differ. */
static float *
image_input (StudioLayersView  *self,
             char             **message)
{
  int height, width, channels;
  const guint8 *pixels;
  gsize n;
  float *input;

  cnn_model_input_shape (current_model (self), &height, &width, &channels);
  if (studio_dataset_get_height (self->dataset) != height
      || studio_dataset_get_width (self->dataset) != width
      || studio_dataset_get_channels (self->dataset) != channels)
    {
      *message = g_strdup_printf (_("The model takes %d×%d×%d images; this image is %d×%d×%d."),
                                  height, width, channels,
                                  studio_dataset_get_height (self->dataset),
                                  studio_dataset_get_width (self->dataset),
                                  studio_dataset_get_channels (self->dataset));
      return NULL;
    }
  n = (gsize) height * width * channels;
  pixels = studio_dataset_get_pixels (self->dataset, self->split, self->index);
  input = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    input[i] = (float) (pixels[i] * self->rescale);
  return input;
}

void
studio_layers_view_refresh (StudioLayersView *self)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *message = NULL;
  InspectRequest *request;
  float *input;

  g_return_if_fail (STUDIO_IS_LAYERS_VIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->generation++;
  if (self->model == NULL || self->dataset == NULL)
    return;
  input = image_input (self, &message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), input == NULL);
  if (input == NULL)
    {
      gtk_label_set_text (self->error_label, message);
      return;
    }

  request = g_new0 (InspectRequest, 1);
  request->model = g_atomic_rc_box_acquire (self->model);
  request->input = input;
  request->generation = self->generation;
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, on_inspected, NULL);
  g_task_set_source_tag (task, studio_layers_view_refresh);
  g_task_set_task_data (task, request, inspect_request_free);
  self->n_pending++;
  update_busy (self);
  g_task_run_in_thread (task, inspect_in_thread);
}

/* ---------------------------------------------------------------- layer cards */

static char *
shape_text (const CnnLayerInfo *info)
{
  if (info->output_rank == 1)
    return g_strdup_printf ("%d", info->output_shape[0]);
  return g_strdup_printf ("%d × %d × %d", info->output_shape[0], info->output_shape[1],
                          info->output_shape[2]);
}

static GtkWidget *
caption_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  return label;
}

/* A heading above a grid, and the grid; returned as a column. */
static GtkWidget *
grid_column (const char         *heading,
             StudioChannelGrid **grid)
{
  GtkWidget *column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (heading);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  *grid = STUDIO_CHANNEL_GRID (studio_channel_grid_new ());
  gtk_box_append (GTK_BOX (column), label);
  gtk_box_append (GTK_BOX (column), GTK_WIDGET (*grid));
  gtk_widget_set_hexpand (column, TRUE);
  return column;
}

static void
add_explanations (LayerCard      *card,
                  const CnnModel *model,
                  int             layer)
{
  g_autofree char *shape = studio_explain_output_shape (model, layer);
  g_autofree char *params = studio_explain_params (model, layer);

  if (shape != NULL)
    {
      /* Translators: followed by the output-shape arithmetic, "(28 − 3 + 2·0) / 1 + 1 = 26". */
      g_autofree char *text = g_strdup_printf (_("Why this shape: %s"), shape);

      card->shape_label = caption_label (text);
      g_object_set_data_full (G_OBJECT (card->shape_label), "explanation",
                              g_steal_pointer (&shape), g_free);
      gtk_box_append (GTK_BOX (card->card), card->shape_label);
    }
  if (params != NULL)
    {
      /* Translators: followed by the parameter count as a product, "3·3·1·32 + 32 = 320". */
      g_autofree char *text = g_strdup_printf (_("Parameters: %s"), params);

      card->params_label = caption_label (text);
      g_object_set_data_full (G_OBJECT (card->params_label), "explanation",
                              g_steal_pointer (&params), g_free);
      gtk_box_append (GTK_BOX (card->card), card->params_label);
    }
}

static void
add_maps (LayerCard          *card,
          const CnnLayerSpec *spec,
          const CnnLayerInfo *info)
{
  gboolean has_activation = (spec->type == CNN_LAYER_CONV2D || spec->type == CNN_LAYER_DENSE)
                            && spec->activation != CNN_ACTIVATION_LINEAR;
  const char *activation = cnn_activation_name (spec->activation);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  gtk_box_set_homogeneous (GTK_BOX (row), TRUE);
  if (spec->activation == CNN_ACTIVATION_SOFTMAX)
    after = g_strdup (_("Class probabilities"));
  else if (has_activation)
    {
      /* Translators: %s is an activation function, "relu". */
      before = g_strdup_printf (info->output_rank == 3 ? _("Feature map (before %s)")
                                                       : _("Units (before %s)"), activation);
      after = g_strdup_printf (info->output_rank == 3 ? _("Activation map (after %s)")
                                                      : _("Units (after %s)"), activation);
    }
  else
    after = g_strdup (info->output_rank == 3 ? _("Output channels") : _("Output units"));

  /* The softmax's inputs are logits, less telling than its probabilities: shown alone. */
  if (before != NULL)
    gtk_box_append (GTK_BOX (row), grid_column (before, &card->preactivation));
  gtk_box_append (GTK_BOX (row), grid_column (after, &card->output));
  gtk_box_append (GTK_BOX (card->card), row);
}

static void
add_filters (LayerCard *card)
{
  GtkWidget *expander = gtk_expander_new (_("Learned filters"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  card->filters = STUDIO_FILTER_GRID (studio_filter_grid_new ());
  gtk_widget_set_halign (GTK_WIDGET (card->filters), GTK_ALIGN_START);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (card->filters));
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled),
                                              FILTERS_MAX_HEIGHT);
  gtk_widget_set_margin_top (scrolled, 6);
  card->filters_scroller = scrolled;
  gtk_expander_set_child (GTK_EXPANDER (expander), scrolled);
  gtk_expander_set_expanded (GTK_EXPANDER (expander), TRUE);
  gtk_box_append (GTK_BOX (card->card), expander);
}

static LayerCard
build_card (const CnnModel *model,
            int             layer)
{
  const CnnLayerSpec *spec = cnn_model_layer_spec (model, layer);
  LayerCard card = { 0 };
  CnnLayerInfo info;
  g_autofree char *shape = NULL;
  g_autofree char *title = NULL;
  GtkWidget *title_label;

  cnn_model_layer_info (model, layer, &info);
  shape = shape_text (&info);
  title = g_markup_printf_escaped ("<b>%s</b>   %s · %s", info.name,
                                   cnn_layer_type_class_name (info.type), shape);
  card.card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (card.card, "fact");
  title_label = gtk_label_new (NULL);
  gtk_label_set_markup (GTK_LABEL (title_label), title);
  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_box_append (GTK_BOX (card.card), title_label);
  add_explanations (&card, model, layer);
  add_maps (&card, spec, &info);
  if (spec->type == CNN_LAYER_CONV2D)
    add_filters (&card);
  return card;
}

/* Names, types and shapes of every layer: snapshots with the same signature reuse the cards
 * (and the reader's scroll position). */
static char *
model_signature (const CnnModel *model)
{
  GString *signature = g_string_new (NULL);
  int height, width, channels;

  cnn_model_input_shape (model, &height, &width, &channels);
  g_string_append_printf (signature, "%d,%d,%d", height, width, channels);
  for (int layer = 0; layer < cnn_model_n_layers (model); layer++)
    {
      const CnnLayerSpec *spec = cnn_model_layer_spec (model, layer);
      CnnLayerInfo info;

      cnn_model_layer_info (model, layer, &info);
      g_string_append_printf (signature, ";%s:%d:%d:%d,%d,%d:%" G_GINT64_FORMAT, info.name,
                              info.type, spec->activation, info.output_shape[0],
                              info.output_shape[1], info.output_shape[2], info.params);
    }
  return g_string_free (signature, FALSE);
}

static void
rebuild_cards (StudioLayersView *self)
{
  CnnModel *model = current_model (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->layers_box))) != NULL)
    gtk_box_remove (self->layers_box, child);
  g_array_set_size (self->cards, 0);
  if (model == NULL)
    return;
  for (int layer = 0; layer < cnn_model_n_layers (model); layer++)
    {
      LayerCard card = build_card (model, layer);

      g_array_append_val (self->cards, card);
      gtk_box_append (self->layers_box, card.card);
    }
}

static void
update_filters (StudioLayersView *self)
{
  CnnModel *model = current_model (self);

  for (guint layer = 0; layer < self->cards->len; layer++)
    {
      LayerCard *card = &g_array_index (self->cards, LayerCard, layer);
      g_autofree char *name = NULL;
      const CnnWeight *kernel;
      int natural_height;

      if (card->filters == NULL)
        continue;
      name = g_strdup_printf ("%s/kernel", cnn_model_layer_spec (model, layer)->name);
      kernel = cnn_model_find_weight (model, name);
      if (kernel == NULL || kernel->rank != 4)
        continue;
      studio_filter_grid_set_kernels (card->filters, kernel->data, kernel->shape[0],
                                      kernel->shape[1], kernel->shape[2], kernel->shape[3]);
      /* Small kernel sets show whole; large ones (128 × 64) scroll within a bounded height. */
      gtk_widget_measure (GTK_WIDGET (card->filters), GTK_ORIENTATION_VERTICAL, -1,
                          NULL, &natural_height, NULL, NULL);
      gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (card->filters_scroller),
                                                  MIN (natural_height, FILTERS_MAX_HEIGHT));
    }
}

/* ---------------------------------------------------------------- showing an inspection */

/* The class names for a last layer of `units` units, when the dataset has that many classes. */
static const char * const *
class_names_for (StudioLayersView *self,
                 int               units)
{
  if (self->dataset == NULL || studio_dataset_get_n_classes (self->dataset) != (guint) units)
    return NULL;
  return studio_dataset_get_class_names (self->dataset);
}

static void
show_layer_values (StudioChannelGrid  *grid,
                   const float        *values,
                   const CnnLayerInfo *info,
                   const char * const *labels)
{
  if (grid == NULL)
    return;
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (grid)), values != NULL);
  if (values == NULL)
    return;
  if (info->output_rank == 3)
    studio_channel_grid_set_maps (grid, values, info->output_shape[0], info->output_shape[1],
                                  info->output_shape[2]);
  else
    studio_channel_grid_set_units (grid, values, info->output_shape[0], labels);
}

static void
show_prediction (StudioLayersView    *self,
                 const CnnInspection *inspection)
{
  CnnModel *model = current_model (self);
  int n_outputs = cnn_model_n_outputs (model), best = 0;
  const float *output = inspection->outputs[inspection->n_layers - 1];
  const char * const *names = class_names_for (self, n_outputs);
  gint32 label = studio_dataset_get_label (self->dataset, self->split, self->index);
  g_autofree char *text = NULL;

  if (names == NULL || cnn_model_layer_spec (model, inspection->n_layers - 1)->activation
                       != CNN_ACTIVATION_SOFTMAX)
    {
      gtk_label_set_text (self->prediction_label, "");
      return;
    }
  for (int i = 1; i < n_outputs; i++)
    if (output[i] > output[best])
      best = i;
  /* Translators: "Predicted Shirt (87.3%)"; the true class follows when it differs. */
  text = g_strdup_printf (_("Predicted %s (%.1f%%)"), names[best], 100.0 * output[best]);
  if (label >= 0 && label < n_outputs && label != best)
    {
      g_autofree char *with_truth = g_strdup_printf (_("%s — it is a %s"), text, names[label]);

      g_free (text);
      text = g_steal_pointer (&with_truth);
    }
  gtk_label_set_text (self->prediction_label, text);
}

static void
show_inspection (StudioLayersView *self,
                 CnnInspection    *inspection)
{
  CnnModel *model = current_model (self);

  g_return_if_fail (inspection->n_layers == (int) self->cards->len);

  for (int layer = 0; layer < inspection->n_layers; layer++)
    {
      LayerCard *card = &g_array_index (self->cards, LayerCard, layer);
      const char * const *labels = NULL;
      CnnLayerInfo info;

      cnn_model_layer_info (model, layer, &info);
      if (layer == inspection->n_layers - 1
          && cnn_model_layer_spec (model, layer)->activation == CNN_ACTIVATION_SOFTMAX)
        labels = class_names_for (self, info.output_shape[0]);
      show_layer_values (card->output, inspection->outputs[layer], &info, labels);
      show_layer_values (card->preactivation, inspection->preactivations[layer], &info, NULL);
    }
  show_prediction (self, inspection);
  self->n_shown++;
}

static void
update_state (StudioLayersView *self)
{
  gboolean has_image = self->dataset != NULL;

  gtk_stack_set_visible_child_name (self->state_stack,
                                    self->model == NULL ? "no-model"
                                    : has_image ? "layers" : "no-image");
  gtk_widget_set_sensitive (self->previous_button, has_image);
  gtk_widget_set_sensitive (self->next_button, has_image);
  gtk_widget_set_sensitive (self->random_button, has_image);
}

/* ---------------------------------------------------------------- the image */

static GdkTexture *
image_texture (StudioDataset *dataset,
               StudioSplit    split,
               gsize          index)
{
  int height = studio_dataset_get_height (dataset), width = studio_dataset_get_width (dataset);
  int channels = studio_dataset_get_channels (dataset);
  int scale = MAX (1, THUMBNAIL_SIZE / MAX (height, width));
  const guint8 *pixels = studio_dataset_get_pixels (dataset, split, index);
  gsize stride = (gsize) width * scale * 3;
  guint8 *scaled = g_malloc (stride * height * scale);
  g_autoptr(GBytes) bytes = NULL;

  for (int y = 0; y < height * scale; y++)
    for (int x = 0; x < width * scale; x++)
      for (int c = 0; c < 3; c++)
        scaled[y * stride + x * 3 + c] =
          pixels[((gsize) (y / scale) * width + x / scale) * channels + (channels >= 3 ? c : 0)];
  bytes = g_bytes_new_take (scaled, stride * height * scale);
  return gdk_memory_texture_new (width * scale, height * scale, GDK_MEMORY_R8G8B8, bytes,
                                 stride);
}

static void
show_image (StudioLayersView *self)
{
  g_autoptr(GdkTexture) texture = image_texture (self->dataset, self->split, self->index);
  gint32 label = studio_dataset_get_label (self->dataset, self->split, self->index);
  const char *class_name = label >= 0 && (guint) label < studio_dataset_get_n_classes (self->dataset)
                           ? studio_dataset_get_class_name (self->dataset, label) : "?";
  g_autofree char *text = NULL;

  gtk_picture_set_paintable (self->image_picture, GDK_PAINTABLE (texture));
  /* Translators: "Shirt · test image 1,234 of 10,000". */
  text = g_strdup_printf (self->split == STUDIO_SPLIT_TEST ? _("%s · test image %zu of %zu")
                                                           : _("%s · training image %zu of %zu"),
                          class_name, self->index + 1,
                          studio_dataset_get_n_samples (self->dataset, self->split));
  gtk_label_set_text (self->image_label, text);
}

static void
step_image (StudioLayersView *self,
            gssize            step)
{
  gsize n = studio_dataset_get_n_samples (self->dataset, self->split);

  studio_layers_view_set_image (self, self->dataset, self->split,
                                (self->index + n + step) % n);
}

static void
on_previous_clicked (StudioLayersView *self)
{
  step_image (self, -1);
}

static void
on_next_clicked (StudioLayersView *self)
{
  step_image (self, 1);
}

static void
on_random_clicked (StudioLayersView *self)
{
  gsize n = studio_dataset_get_n_samples (self->dataset, self->split);

  studio_layers_view_set_image (self, self->dataset, self->split,
                                (gsize) g_random_double_range (0, (double) n) % n);
}

static void
on_color_scale_toggled (StudioLayersView *self)
{
  StudioColorScale scale = gtk_toggle_button_get_active (self->per_channel_toggle)
                           ? STUDIO_COLOR_SCALE_PER_CHANNEL : STUDIO_COLOR_SCALE_SHARED;

  for (guint layer = 0; layer < self->cards->len; layer++)
    {
      LayerCard *card = &g_array_index (self->cards, LayerCard, layer);

      studio_channel_grid_set_color_scale (card->output, scale);
      if (card->preactivation != NULL)
        studio_channel_grid_set_color_scale (card->preactivation, scale);
    }
}

/* ---------------------------------------------------------------- GObject */

static void
studio_layers_view_dispose (GObject *object)
{
  StudioLayersView *self = STUDIO_LAYERS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), STUDIO_TYPE_LAYERS_VIEW);
  G_OBJECT_CLASS (studio_layers_view_parent_class)->dispose (object);
}

static void
studio_layers_view_finalize (GObject *object)
{
  StudioLayersView *self = STUDIO_LAYERS_VIEW (object);

  g_clear_pointer (&self->model, model_ref_release);
  g_clear_object (&self->dataset);
  g_array_unref (self->cards);
  G_OBJECT_CLASS (studio_layers_view_parent_class)->finalize (object);
}

static void
studio_layers_view_class_init (StudioLayersViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = studio_layers_view_dispose;
  object_class->finalize = studio_layers_view_finalize;

  g_type_ensure (STUDIO_TYPE_STATUS_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convstudio/ConvStudio/"
                                               "studio-layers-view.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioLayersView, page_box);
  gtk_widget_class_bind_template_child (widget_class, StudioLayersView, image_picture);
  gtk_widget_class_bind_template_child (widget_class, StudioLayersView, image_label);
  gtk_widget_class_bind_template_child (widget_class, StudioLayersView, previous_button);
  gtk_widget_class_bind_template_child (widget_class, StudioLayersView, next_button);
  gtk_widget_class_bind_template_child (widget_class, StudioLayersView, random_button);
  gtk_widget_class_bind_template_child (widget_class, StudioLayersView, spinner);
  gtk_widget_class_bind_template_child (widget_class, StudioLayersView, prediction_label);
  gtk_widget_class_bind_template_child (widget_class, StudioLayersView, shared_toggle);
  gtk_widget_class_bind_template_child (widget_class, StudioLayersView, per_channel_toggle);
  gtk_widget_class_bind_template_child (widget_class, StudioLayersView, error_label);
  gtk_widget_class_bind_template_child (widget_class, StudioLayersView, state_stack);
  gtk_widget_class_bind_template_child (widget_class, StudioLayersView, layers_box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
studio_layers_view_init (StudioLayersView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cards = g_array_new (FALSE, TRUE, sizeof (LayerCard));
  self->rescale = 1.0 / 255;
  g_signal_connect_swapped (self->previous_button, "clicked",
                            G_CALLBACK (on_previous_clicked), self);
  g_signal_connect_swapped (self->next_button, "clicked", G_CALLBACK (on_next_clicked), self);
  g_signal_connect_swapped (self->random_button, "clicked", G_CALLBACK (on_random_clicked), self);
  g_signal_connect_swapped (self->per_channel_toggle, "toggled",
                            G_CALLBACK (on_color_scale_toggled), self);
  update_state (self);
}

/* ---------------------------------------------------------------- public */

GtkWidget *
studio_layers_view_new (void)
{
  return g_object_new (STUDIO_TYPE_LAYERS_VIEW, NULL);
}

void
studio_layers_view_set_model (StudioLayersView *self,
                              CnnModel         *snapshot,
                              double            rescale)
{
  g_autofree char *old_signature = NULL;
  g_autofree char *new_signature = NULL;

  g_return_if_fail (STUDIO_IS_LAYERS_VIEW (self));
  g_return_if_fail (rescale > 0);

  if (current_model (self) != NULL)
    old_signature = model_signature (current_model (self));
  g_clear_pointer (&self->model, model_ref_release);
  if (snapshot != NULL)
    {
      self->model = g_atomic_rc_box_new0 (ModelRef);
      self->model->model = snapshot;
      new_signature = model_signature (snapshot);
    }
  self->rescale = rescale;
  if (g_strcmp0 (old_signature, new_signature) != 0)
    {
      rebuild_cards (self);
      on_color_scale_toggled (self);
    }
  if (snapshot != NULL)
    update_filters (self);
  update_state (self);
  studio_layers_view_refresh (self);
}

void
studio_layers_view_set_image (StudioLayersView *self,
                              StudioDataset    *dataset,
                              StudioSplit       split,
                              gsize             index)
{
  g_return_if_fail (STUDIO_IS_LAYERS_VIEW (self));
  g_return_if_fail (STUDIO_IS_DATASET (dataset));
  g_return_if_fail (index < studio_dataset_get_n_samples (dataset, split));

  g_set_object (&self->dataset, dataset);
  self->split = split;
  self->index = index;
  show_image (self);
  update_state (self);
  studio_layers_view_refresh (self);
}

gboolean
studio_layers_view_get_busy (StudioLayersView *self)
{
  g_return_val_if_fail (STUDIO_IS_LAYERS_VIEW (self), FALSE);
  return self->n_pending > 0;
}

guint
studio_layers_view_get_n_shown (StudioLayersView *self)
{
  g_return_val_if_fail (STUDIO_IS_LAYERS_VIEW (self), 0);
  return self->n_shown;
}

gsize
studio_layers_view_get_image_index (StudioLayersView *self)
{
  g_return_val_if_fail (STUDIO_IS_LAYERS_VIEW (self), 0);
  return self->index;
}

guint
studio_layers_view_get_n_layers (StudioLayersView *self)
{
  g_return_val_if_fail (STUDIO_IS_LAYERS_VIEW (self), 0);
  return self->cards->len;
}

static LayerCard *
card_at (StudioLayersView *self,
         guint             layer)
{
  g_return_val_if_fail (STUDIO_IS_LAYERS_VIEW (self), NULL);
  g_return_val_if_fail (layer < self->cards->len, NULL);
  return &g_array_index (self->cards, LayerCard, layer);
}

StudioChannelGrid *
studio_layers_view_get_output_grid (StudioLayersView *self,
                                    guint             layer)
{
  LayerCard *card = card_at (self, layer);

  return card != NULL ? card->output : NULL;
}

StudioChannelGrid *
studio_layers_view_get_preactivation_grid (StudioLayersView *self,
                                           guint             layer)
{
  LayerCard *card = card_at (self, layer);

  return card != NULL ? card->preactivation : NULL;
}

StudioFilterGrid *
studio_layers_view_get_filter_grid (StudioLayersView *self,
                                    guint             layer)
{
  LayerCard *card = card_at (self, layer);

  return card != NULL ? card->filters : NULL;
}

static const char *
explanation_of (GtkWidget *label)
{
  return label != NULL ? g_object_get_data (G_OBJECT (label), "explanation") : NULL;
}

const char *
studio_layers_view_get_shape_text (StudioLayersView *self,
                                   guint             layer)
{
  LayerCard *card = card_at (self, layer);

  return card != NULL ? explanation_of (card->shape_label) : NULL;
}

const char *
studio_layers_view_get_params_text (StudioLayersView *self,
                                    guint             layer)
{
  LayerCard *card = card_at (self, layer);

  return card != NULL ? explanation_of (card->params_label) : NULL;
}
