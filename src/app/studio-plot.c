/* studio-plot.c — the training-curves widget: live redraws, hover read-out, PNG/SVG export. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <errno.h>

#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "studio-plot.h"

struct _StudioPlot
{
  GtkWidget parent_instance;

  GArray *batch_points;   /* StudioBatchPoint */
  GArray *epochs;         /* CnnEpochLogs */
  int total_epochs;
  int best_epoch;
  int stopped_epoch;
  int hover_epoch;
};

G_DEFINE_FINAL_TYPE (StudioPlot, studio_plot, GTK_TYPE_WIDGET)

static void
fill_data (StudioPlot     *self,
           StudioPlotData *data)
{
  memset (data, 0, sizeof *data);
  if (self->batch_points != NULL)
    {
      data->batch_points = (const StudioBatchPoint *) self->batch_points->data;
      data->n_batch_points = self->batch_points->len;
    }
  if (self->epochs != NULL)
    {
      data->epochs = (const CnnEpochLogs *) self->epochs->data;
      data->n_epochs = self->epochs->len;
    }
  data->total_epochs = self->total_epochs;
  data->best_epoch = self->best_epoch;
  data->stopped_epoch = self->stopped_epoch;
  data->hover_epoch = self->hover_epoch;
}

static void
widget_style (StudioPlot      *self,
              StudioPlotStyle *style)
{
  GdkRGBA foreground;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &foreground);
  studio_plot_style_init (style, &foreground);
}

static void
studio_plot_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  StudioPlot *self = STUDIO_PLOT (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  StudioPlotData data;
  StudioPlotStyle style;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  fill_data (self, &data);
  widget_style (self, &style);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  studio_plot_draw (cr, width, height, &data, &style);
  cairo_destroy (cr);
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           StudioPlot               *self)
{
  StudioPlotData data;
  int epoch;

  fill_data (self, &data);
  epoch = studio_plot_epoch_at (gtk_widget_get_width (GTK_WIDGET (self)), &data, x);
  if (epoch == self->hover_epoch)
    return;
  self->hover_epoch = epoch;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_leave (GtkEventControllerMotion *controller,
          StudioPlot               *self)
{
  if (self->hover_epoch < 0)
    return;
  self->hover_epoch = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
studio_plot_set_series (StudioPlot *self,
                        GArray     *batch_points,
                        GArray     *epochs)
{
  g_return_if_fail (STUDIO_IS_PLOT (self));

  g_clear_pointer (&self->batch_points, g_array_unref);
  g_clear_pointer (&self->epochs, g_array_unref);
  self->batch_points = batch_points != NULL ? g_array_ref (batch_points) : NULL;
  self->epochs = epochs != NULL ? g_array_ref (epochs) : NULL;
  self->hover_epoch = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
studio_plot_set_markers (StudioPlot *self,
                         int         total_epochs,
                         int         best_epoch,
                         int         stopped_epoch)
{
  g_return_if_fail (STUDIO_IS_PLOT (self));

  self->total_epochs = total_epochs;
  self->best_epoch = best_epoch;
  self->stopped_epoch = stopped_epoch;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
studio_plot_update (StudioPlot *self)
{
  g_return_if_fail (STUDIO_IS_PLOT (self));

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
studio_plot_get_n_batch_points (StudioPlot *self)
{
  g_return_val_if_fail (STUDIO_IS_PLOT (self), 0);

  return self->batch_points != NULL ? self->batch_points->len : 0;
}

guint
studio_plot_get_n_epochs (StudioPlot *self)
{
  g_return_val_if_fail (STUDIO_IS_PLOT (self), 0);

  return self->epochs != NULL ? self->epochs->len : 0;
}

static gboolean
surface_failed (cairo_surface_t  *surface,
                const char       *path,
                GError          **error)
{
  cairo_status_t status = cairo_surface_status (surface);

  if (status == CAIRO_STATUS_SUCCESS)
    return FALSE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write “%s”: %s"),
               path, cairo_status_to_string (status));
  return TRUE;
}

/* Draws into `temporary` as PNG or SVG. */
static gboolean
export_to (StudioPlot  *self,
           const char  *temporary,
           const char  *path,
           gboolean     svg,
           int          width,
           int          height,
           GError     **error)
{
  StudioPlotData data;
  StudioPlotStyle style;
  GdkRGBA black = { 0, 0, 0, 1 };
  cairo_surface_t *surface;
  cairo_t *cr;
  gboolean ok;

  fill_data (self, &data);
  data.hover_epoch = -1;
  /* A file is read on paper or a light page: dark text on white whatever the theme. */
  studio_plot_style_init (&style, &black);
  style.fill_background = TRUE;

  surface = svg ? cairo_svg_surface_create (temporary, width, height)
                : cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  if (surface_failed (surface, path, error))
    {
      cairo_surface_destroy (surface);
      return FALSE;
    }
  cr = cairo_create (surface);
  studio_plot_draw (cr, width, height, &data, &style);
  cairo_destroy (cr);
  if (!svg)
    cairo_surface_write_to_png (surface, temporary);
  cairo_surface_finish (surface);
  ok = !surface_failed (surface, path, error);
  cairo_surface_destroy (surface);
  if (ok && !g_file_test (temporary, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write “%s”."), path);
      ok = FALSE;
    }
  return ok;
}

gboolean
studio_plot_export (StudioPlot  *self,
                    const char  *path,
                    int          width,
                    int          height,
                    GError     **error)
{
  g_autofree char *folder = NULL;
  g_autofree char *template = NULL;
  gboolean svg;
  int fd;

  g_return_val_if_fail (STUDIO_IS_PLOT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (width > 0 && height > 0, FALSE);

  svg = g_str_has_suffix (path, ".svg") || g_str_has_suffix (path, ".SVG");
  folder = g_path_get_dirname (path);
  template = g_build_filename (folder, ".convstudio-plot-XXXXXX", NULL);
  fd = g_mkstemp (template);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);
  if (!export_to (self, template, path, svg, width, height, error))
    {
      g_unlink (template);
      return FALSE;
    }
  if (g_rename (template, path) != 0)
    {
      int saved_errno = errno;

      g_unlink (template);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

static void
studio_plot_dispose (GObject *object)
{
  StudioPlot *self = STUDIO_PLOT (object);

  g_clear_pointer (&self->batch_points, g_array_unref);
  g_clear_pointer (&self->epochs, g_array_unref);

  G_OBJECT_CLASS (studio_plot_parent_class)->dispose (object);
}

static void
studio_plot_class_init (StudioPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = studio_plot_dispose;
  widget_class->snapshot = studio_plot_snapshot;
  gtk_widget_class_set_css_name (widget_class, "studioplot");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
studio_plot_init (StudioPlot *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->best_epoch = -1;
  self->stopped_epoch = -1;
  self->hover_epoch = -1;
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_set_size_request (GTK_WIDGET (self), 320, 360);
}

GtkWidget *
studio_plot_new (void)
{
  return g_object_new (STUDIO_TYPE_PLOT, NULL);
}
