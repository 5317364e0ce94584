/* studio-confusion-matrix.h — a confusion matrix drawn with Cairo whose cells can be clicked. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Colours and font; the widget takes them from the theme, a test picks its own. */
typedef struct
{
  GdkRGBA                     foreground;  /* class names, counts, grid lines */
  GdkRGBA                     correct;     /* the diagonal, at full strength */
  GdkRGBA                     mistake;     /* off-diagonal cells, at full strength */
  const PangoFontDescription *font;        /* NULL: the default sans font */
} StudioConfusionMatrixStyle;

/* Where the cells landed, for turning a click into a cell. */
typedef struct
{
  double left;        /* x of the first column */
  double top;         /* y of the first row */
  double cell_size;   /* cells are square; 0 when nothing was drawn */
  guint  n_classes;
} StudioConfusionMatrixGeometry;

/* Draws counts (n_classes, n_classes), [true][predicted], into (0, 0, width, height): each
 * cell shows its count and is coloured by its share of the row (the true class), so a
 * rare class's mistakes stand out as much as a common one's. True classes label the rows,
 * predicted classes the columns (tilted and shortened when they do not fit). The cell
 * (selected_row, selected_column) is outlined; −1 outlines none. Needs no display. */
void     studio_confusion_matrix_draw (cairo_t                          *cr,
                                       int                               width,
                                       int                               height,
                                       const StudioConfusionMatrixStyle *style,
                                       const char * const               *class_names,
                                       const gsize                      *counts,
                                       guint                             n_classes,
                                       int                               selected_row,
                                       int                               selected_column,
                                       StudioConfusionMatrixGeometry    *geometry);

/* The cell under (x, y), FALSE outside the cells. */
gboolean studio_confusion_matrix_geometry_cell_at (const StudioConfusionMatrixGeometry *geometry,
                                                   double                               x,
                                                   double                               y,
                                                   guint                               *row,
                                                   guint                               *column);

#define STUDIO_TYPE_CONFUSION_MATRIX (studio_confusion_matrix_get_type ())
G_DECLARE_FINAL_TYPE (StudioConfusionMatrix, studio_confusion_matrix, STUDIO, CONFUSION_MATRIX,
                      GtkWidget)

GtkWidget *studio_confusion_matrix_new            (void);
/* Copies the names and the (n_classes, n_classes) counts; n_classes = 0 clears it. */
void       studio_confusion_matrix_set_counts     (StudioConfusionMatrix *self,
                                                   const char * const    *class_names,
                                                   const gsize           *counts,
                                                   guint                  n_classes);
/* Outlines one cell (−1, −1: none). */
void       studio_confusion_matrix_set_selected   (StudioConfusionMatrix *self,
                                                   int                    row,
                                                   int                    column);
/* What a click on the cell does: emits ::cell-activated (guint row, guint column). */
void       studio_confusion_matrix_activate_cell  (StudioConfusionMatrix *self,
                                                   guint                  row,
                                                   guint                  column);
guint      studio_confusion_matrix_get_n_classes  (StudioConfusionMatrix *self);
gsize      studio_confusion_matrix_get_count      (StudioConfusionMatrix *self,
                                                   guint                  row,
                                                   guint                  column);

G_END_DECLS
