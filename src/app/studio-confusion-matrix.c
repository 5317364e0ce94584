/* studio-confusion-matrix.c — a confusion matrix drawn with Cairo whose cells can be clicked. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "studio-confusion-matrix.h"
#include "studio-drawing.h"
#include "studio-format.h"

#define GAP             6.0
#define MAX_CELL_SIZE   72.0
#define MAX_NAME_WIDTH  110     /* longer class names are shortened with "…" */
#define NAME_TILT       (G_PI / 2)   /* column names that do not fit stand upright */
#define EMPTY_CELL_ALPHA 0.05   /* a faint tile, so the grid stays visible */

struct _StudioConfusionMatrix
{
  GtkWidget                     parent_instance;

  GStrv                         class_names;
  gsize                        *counts;       /* (n_classes, n_classes) [true][predicted] */
  guint                         n_classes;
  int                           selected_row;
  int                           selected_column;
  StudioConfusionMatrixGeometry geometry;     /* of the last snapshot */
};

enum {
  CELL_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (StudioConfusionMatrix, studio_confusion_matrix, GTK_TYPE_WIDGET)

/* Sets `text` on the layout, shortened with "…" to at most max_width pixels. */
static void
set_short_text (PangoLayout *layout,
                const char  *text,
                int          max_width)
{
  pango_layout_set_width (layout, max_width * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_text (layout, text, -1);
}

static void
draw_cell (cairo_t                          *cr,
           PangoLayout                      *count_layout,
           const StudioConfusionMatrixStyle *style,
           double                            x,
           double                            y,
           double                            size,
           gsize                             count,
           double                            row_share,
           gboolean                          on_diagonal)
{
  const GdkRGBA *fill = on_diagonal ? &style->correct : &style->mistake;
  g_autofree char *text = studio_format_count (count);
  int text_width, text_height;
  double scale;

  /* Even one mistake shows: strength starts at 0.12 and grows with the row share. */
  if (count > 0)
    studio_drawing_set_color (cr, fill, 0.12 + 0.88 * row_share);
  else
    studio_drawing_set_color (cr, &style->foreground, EMPTY_CELL_ALPHA);
  cairo_rectangle (cr, x + 1, y + 1, size - 2, size - 2);
  cairo_fill (cr);

  studio_drawing_measure_text (count_layout, text, &text_width, &text_height);
  /* A count wider than its cell (836 in a small matrix) is drawn smaller, down to a size
   * that still reads; below that the colour alone tells. */
  scale = MIN (1.0, MIN ((size - 3) / MAX (text_width, 1), (size - 2) / MAX (text_height, 1)));
  if (scale < 0.55)
    return;
  /* Strong cells carry white text; pale ones the theme's text colour (light or dark). */
  if (count > 0 && row_share > 0.45)
    cairo_set_source_rgb (cr, 1, 1, 1);
  else
    studio_drawing_set_color (cr, &style->foreground, count > 0 ? 0.9 : 0.4);
  cairo_save (cr);
  cairo_translate (cr, x + size / 2.0, y + size / 2.0);
  cairo_scale (cr, scale, scale);
  cairo_move_to (cr, -text_width / 2.0, -text_height / 2.0);
  pango_cairo_show_layout (cr, count_layout);
  cairo_restore (cr);
}

static void
draw_axis_titles (cairo_t                          *cr,
                  PangoLayout                      *layout,
                  const StudioConfusionMatrixStyle *style,
                  const StudioConfusionMatrixGeometry *geometry)
{
  double span = geometry->cell_size * geometry->n_classes;
  int width, height;

  studio_drawing_set_color (cr, &style->foreground, 0.7);
  /* Translators: the axis title over the columns of the confusion matrix. */
  studio_drawing_measure_text (layout, _("Predicted"), &width, &height);
  cairo_move_to (cr, geometry->left + (span - width) / 2.0, 0);
  pango_cairo_show_layout (cr, layout);

  /* Translators: the axis title beside the rows of the confusion matrix. */
  studio_drawing_measure_text (layout, _("True"), &width, &height);
  cairo_save (cr);
  cairo_translate (cr, 0, geometry->top + (span + width) / 2.0);
  cairo_rotate (cr, -G_PI / 2);
  cairo_move_to (cr, 0, 0);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

static void
draw_class_names (cairo_t                             *cr,
                  PangoLayout                         *layout,
                  const StudioConfusionMatrixStyle    *style,
                  const StudioConfusionMatrixGeometry *geometry,
                  const char * const                  *class_names,
                  int                                  name_width,
                  gboolean                             tilted)
{
  double size = geometry->cell_size;

  studio_drawing_set_color (cr, &style->foreground, 0.85);
  for (guint i = 0; i < geometry->n_classes; i++)
    {
      double center = size * (i + 0.5);
      int width, height;

      /* Row names end just left of the cells. */
      pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
      set_short_text (layout, class_names[i], name_width);
      pango_layout_get_pixel_size (layout, &width, &height);
      cairo_move_to (cr, geometry->left - GAP - name_width, geometry->top + center - height / 2.0);
      pango_cairo_show_layout (cr, layout);

      /* Column names sit on the cells, level or standing upright. */
      pango_layout_set_alignment (layout, tilted ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER);
      set_short_text (layout, class_names[i], tilted ? name_width : (int) size);
      pango_layout_get_pixel_size (layout, &width, &height);
      cairo_save (cr);
      if (tilted)
        {
          /* Reading upwards from above the column, clear of the cells. */
          cairo_translate (cr, geometry->left + center, geometry->top - GAP / 2);
          cairo_rotate (cr, -NAME_TILT);
          cairo_move_to (cr, 0, -height / 2.0);
        }
      else
        cairo_move_to (cr, geometry->left + size * i, geometry->top - GAP / 2 - height);
      pango_cairo_show_layout (cr, layout);
      cairo_restore (cr);
    }
}

void
studio_confusion_matrix_draw (cairo_t                          *cr,
                              int                               width,
                              int                               height,
                              const StudioConfusionMatrixStyle *style,
                              const char * const               *class_names,
                              const gsize                      *counts,
                              guint                             n_classes,
                              int                               selected_row,
                              int                               selected_column,
                              StudioConfusionMatrixGeometry    *geometry)
{
  g_autoptr(PangoLayout) name_layout = NULL;
  g_autoptr(PangoLayout) count_layout = NULL;
  StudioConfusionMatrixGeometry cells = { .n_classes = n_classes };
  int name_width, line_height, unused;
  double column_band, span;
  gboolean tilted;

  g_return_if_fail (cr != NULL && style != NULL);
  g_return_if_fail (n_classes == 0 || (class_names != NULL && counts != NULL));

  if (geometry != NULL)
    *geometry = cells;
  if (n_classes == 0 || width < 80 || height < 80)
    return;

  name_layout = studio_drawing_create_layout (cr, style->font, 0.9);
  studio_drawing_measure_text (name_layout, "Mg", &unused, &line_height);
  name_width = MIN (studio_drawing_widest_text (name_layout, class_names, n_classes),
                    MAX_NAME_WIDTH);

  /* First guess the cell size with upright names, then tilt them if they do not fit. */
  cells.left = line_height + GAP + name_width + GAP;
  span = MIN (width - cells.left - GAP, height - 2 * (line_height + GAP));
  tilted = name_width > span / n_classes - 4;
  column_band = tilted ? name_width * sin (NAME_TILT) + line_height : line_height;
  cells.top = line_height + GAP + column_band + GAP;
  /* Tilted names of the last columns reach past the matrix's right edge. */
  span = MIN (width - cells.left - GAP - (tilted ? name_width * cos (NAME_TILT) : 0),
              height - cells.top - 1);
  cells.cell_size = floor (MIN (span / n_classes, MAX_CELL_SIZE));
  if (cells.cell_size < 4)
    return;

  count_layout = studio_drawing_create_layout (cr, style->font, cells.cell_size < 36 ? 0.75 : 0.9);
  for (guint row = 0; row < n_classes; row++)
    {
      gsize row_total = 0;

      for (guint column = 0; column < n_classes; column++)
        row_total += counts[(gsize) row * n_classes + column];
      for (guint column = 0; column < n_classes; column++)
        {
          gsize count = counts[(gsize) row * n_classes + column];

          draw_cell (cr, count_layout, style, cells.left + column * cells.cell_size,
                     cells.top + row * cells.cell_size, cells.cell_size, count,
                     row_total > 0 ? (double) count / row_total : 0.0, row == column);
        }
    }

  if (selected_row >= 0 && selected_column >= 0
      && (guint) selected_row < n_classes && (guint) selected_column < n_classes)
    {
      studio_drawing_set_color (cr, &style->foreground, 1.0);
      cairo_set_line_width (cr, 2.0);
      cairo_rectangle (cr, cells.left + selected_column * cells.cell_size + 1,
                       cells.top + selected_row * cells.cell_size + 1,
                       cells.cell_size - 2, cells.cell_size - 2);
      cairo_stroke (cr);
    }

  draw_class_names (cr, name_layout, style, &cells, class_names, name_width, tilted);
  pango_layout_set_width (name_layout, -1);
  draw_axis_titles (cr, name_layout, style, &cells);

  if (geometry != NULL)
    *geometry = cells;
}

gboolean
studio_confusion_matrix_geometry_cell_at (const StudioConfusionMatrixGeometry *geometry,
                                          double                               x,
                                          double                               y,
                                          guint                               *row,
                                          guint                               *column)
{
  double span;

  g_return_val_if_fail (geometry != NULL, FALSE);

  span = geometry->cell_size * geometry->n_classes;
  if (geometry->cell_size <= 0 || x < geometry->left || y < geometry->top
      || x >= geometry->left + span || y >= geometry->top + span)
    return FALSE;
  *column = MIN ((guint) ((x - geometry->left) / geometry->cell_size), geometry->n_classes - 1);
  *row = MIN ((guint) ((y - geometry->top) / geometry->cell_size), geometry->n_classes - 1);
  return TRUE;
}

static void
studio_confusion_matrix_snapshot (GtkWidget   *widget,
                                  GtkSnapshot *snapshot)
{
  StudioConfusionMatrix *self = STUDIO_CONFUSION_MATRIX (widget);
  GtkStyleContext *style_context = gtk_widget_get_style_context (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  StudioConfusionMatrixStyle style;
  cairo_t *cr;

  if (self->n_classes == 0 || width <= 0 || height <= 0)
    return;

  gtk_style_context_get_color (style_context, &style.foreground);
  studio_drawing_theme_color (widget, "theme_selected_bg_color", "#3584e4", &style.correct);
  studio_drawing_theme_color (widget, "error_color", "#e01b24", &style.mistake);
  style.correct.alpha = style.mistake.alpha = 1.0;
  style.font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  studio_confusion_matrix_draw (cr, width, height, &style,
                                (const char * const *) self->class_names, self->counts,
                                self->n_classes, self->selected_row, self->selected_column,
                                &self->geometry);
  cairo_destroy (cr);
}

static void
studio_confusion_matrix_measure (GtkWidget      *widget,
                                 GtkOrientation  orientation,
                                 int             for_size,
                                 int            *minimum,
                                 int            *natural,
                                 int            *minimum_baseline,
                                 int            *natural_baseline)
{
  *minimum = 200;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 420 : 400;
}

static void
on_click_released (GtkGestureClick       *gesture,
                   int                    n_press,
                   double                 x,
                   double                 y,
                   StudioConfusionMatrix *self)
{
  guint row, column;

  if (studio_confusion_matrix_geometry_cell_at (&self->geometry, x, y, &row, &column))
    studio_confusion_matrix_activate_cell (self, row, column);
}

static gboolean
on_query_tooltip (GtkWidget             *widget,
                  int                    x,
                  int                    y,
                  gboolean               keyboard_mode,
                  GtkTooltip            *tooltip,
                  StudioConfusionMatrix *self)
{
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;
  guint row, column;

  if (!studio_confusion_matrix_geometry_cell_at (&self->geometry, x, y, &row, &column))
    return FALSE;
  count = studio_format_count (self->counts[(gsize) row * self->n_classes + column]);
  /* Translators: a confusion-matrix cell's tooltip: count, true class, predicted class. */
  text = g_strdup_printf (_("%s images of %s predicted as %s (click to show them)"),
                          count, self->class_names[row], self->class_names[column]);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
studio_confusion_matrix_finalize (GObject *object)
{
  StudioConfusionMatrix *self = STUDIO_CONFUSION_MATRIX (object);

  g_clear_pointer (&self->class_names, g_strfreev);
  g_clear_pointer (&self->counts, g_free);

  G_OBJECT_CLASS (studio_confusion_matrix_parent_class)->finalize (object);
}

static void
studio_confusion_matrix_class_init (StudioConfusionMatrixClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = studio_confusion_matrix_finalize;
  widget_class->snapshot = studio_confusion_matrix_snapshot;
  widget_class->measure = studio_confusion_matrix_measure;

  /* ::cell-activated (row = true class, column = predicted class). */
  signals[CELL_ACTIVATED] =
    g_signal_new ("cell-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);

  gtk_widget_class_set_css_name (widget_class, "confusionmatrix");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
studio_confusion_matrix_init (StudioConfusionMatrix *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->selected_row = self->selected_column = -1;
  g_signal_connect (click, "released", G_CALLBACK (on_click_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), self);
}

GtkWidget *
studio_confusion_matrix_new (void)
{
  return g_object_new (STUDIO_TYPE_CONFUSION_MATRIX, NULL);
}

void
studio_confusion_matrix_set_counts (StudioConfusionMatrix *self,
                                    const char * const    *class_names,
                                    const gsize           *counts,
                                    guint                  n_classes)
{
  g_return_if_fail (STUDIO_IS_CONFUSION_MATRIX (self));
  g_return_if_fail (n_classes == 0 || (class_names != NULL && counts != NULL));

  g_clear_pointer (&self->class_names, g_strfreev);
  g_clear_pointer (&self->counts, g_free);
  self->n_classes = n_classes;
  self->selected_row = self->selected_column = -1;
  self->geometry = (StudioConfusionMatrixGeometry) { 0 };
  if (n_classes > 0)
    {
      self->class_names = g_new0 (char *, n_classes + 1);
      for (guint i = 0; i < n_classes; i++)
        self->class_names[i] = g_strdup (class_names[i]);
      self->counts = g_memdup2 (counts, (gsize) n_classes * n_classes * sizeof (gsize));
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
studio_confusion_matrix_set_selected (StudioConfusionMatrix *self,
                                      int                    row,
                                      int                    column)
{
  g_return_if_fail (STUDIO_IS_CONFUSION_MATRIX (self));

  if (self->selected_row == row && self->selected_column == column)
    return;
  self->selected_row = row;
  self->selected_column = column;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
studio_confusion_matrix_activate_cell (StudioConfusionMatrix *self,
                                       guint                  row,
                                       guint                  column)
{
  g_return_if_fail (STUDIO_IS_CONFUSION_MATRIX (self));
  g_return_if_fail (row < self->n_classes && column < self->n_classes);

  g_signal_emit (self, signals[CELL_ACTIVATED], 0, row, column);
}

guint
studio_confusion_matrix_get_n_classes (StudioConfusionMatrix *self)
{
  g_return_val_if_fail (STUDIO_IS_CONFUSION_MATRIX (self), 0);
  return self->n_classes;
}

gsize
studio_confusion_matrix_get_count (StudioConfusionMatrix *self,
                                   guint                  row,
                                   guint                  column)
{
  g_return_val_if_fail (STUDIO_IS_CONFUSION_MATRIX (self), 0);
  g_return_val_if_fail (row < self->n_classes && column < self->n_classes, 0);
  return self->counts[(gsize) row * self->n_classes + column];
}
