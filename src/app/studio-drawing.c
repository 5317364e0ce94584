/* studio-drawing.c — Cairo and Pango helpers the chart widgets share. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "studio-drawing.h"

void
studio_drawing_set_color (cairo_t       *cr,
                          const GdkRGBA *color,
                          double         alpha_scale)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha_scale);
}

PangoLayout *
studio_drawing_create_layout (cairo_t                    *cr,
                              const PangoFontDescription *font,
                              double                      scale)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *scaled = font != NULL ? pango_font_description_copy (font)
                                              : pango_font_description_from_string ("Sans 10");
  double size = pango_font_description_get_size (scaled) * scale;

  if (pango_font_description_get_size_is_absolute (scaled))
    pango_font_description_set_absolute_size (scaled, size);
  else
    pango_font_description_set_size (scaled, (int) size);
  pango_layout_set_font_description (layout, scaled);
  pango_font_description_free (scaled);
  return layout;
}

void
studio_drawing_measure_text (PangoLayout *layout,
                             const char  *text,
                             int         *width,
                             int         *height)
{
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, width, height);
}

int
studio_drawing_widest_text (PangoLayout        *layout,
                            const char * const *texts,
                            guint               n_texts)
{
  int widest = 0;

  for (guint i = 0; i < n_texts; i++)
    {
      int width;

      studio_drawing_measure_text (layout, texts[i], &width, NULL);
      widest = MAX (widest, width);
    }
  return widest;
}

void
studio_drawing_theme_color (GtkWidget  *widget,
                            const char *name,
                            const char *fallback,
                            GdkRGBA    *color)
{
  GtkStyleContext *style_context = gtk_widget_get_style_context (widget);

  if (!gtk_style_context_lookup_color (style_context, name, color))
    gdk_rgba_parse (color, fallback);
}
