/* studio-drawing.h — Cairo and Pango helpers the chart widgets share. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Sets `color` as the source, its alpha scaled by alpha_scale (1.0: as it is). */
void         studio_drawing_set_color      (cairo_t                    *cr,
                                            const GdkRGBA              *color,
                                            double                      alpha_scale);
/* A layout in `font` (NULL: "Sans 10") scaled by `scale`: charts draw their axis text
 * a notch smaller than the body text. */
PangoLayout *studio_drawing_create_layout  (cairo_t                    *cr,
                                            const PangoFontDescription *font,
                                            double                      scale);
/* Sets `text` on the layout and returns its size in pixels (either may be NULL). */
void         studio_drawing_measure_text   (PangoLayout                *layout,
                                            const char                 *text,
                                            int                        *width,
                                            int                        *height);
/* The width in pixels of the widest of texts (n_texts). */
int          studio_drawing_widest_text    (PangoLayout                *layout,
                                            const char * const         *texts,
                                            guint                       n_texts);
/* A named colour of the widget's theme ("error_color"), or `fallback` ("#e01b24") when the
 * theme does not define it, so drawings stay readable under any theme. */
void         studio_drawing_theme_color    (GtkWidget                  *widget,
                                            const char                 *name,
                                            const char                 *fallback,
                                            GdkRGBA                    *color);

G_END_DECLS
