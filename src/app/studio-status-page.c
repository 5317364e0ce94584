/* studio-status-page.c — an empty state: an icon, a title, a sentence and optional buttons. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "studio-status-page.h"

struct _StudioStatusPage
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  GtkWidget *image;
  GtkWidget *title_label;
  GtkWidget *description_label;
  GtkWidget *child;
};

enum {
  PROP_0,
  PROP_ICON_NAME,
  PROP_TITLE,
  PROP_DESCRIPTION,
  PROP_CHILD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (StudioStatusPage, studio_status_page, GTK_TYPE_WIDGET)

static void
studio_status_page_dispose (GObject *object)
{
  StudioStatusPage *self = STUDIO_STATUS_PAGE (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (studio_status_page_parent_class)->dispose (object);
}

static void
studio_status_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  StudioStatusPage *self = STUDIO_STATUS_PAGE (object);

  switch (prop_id)
    {
    case PROP_ICON_NAME:
      g_value_set_string (value, studio_status_page_get_icon_name (self));
      break;
    case PROP_TITLE:
      g_value_set_string (value, studio_status_page_get_title (self));
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, studio_status_page_get_description (self));
      break;
    case PROP_CHILD:
      g_value_set_object (value, self->child);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
studio_status_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  StudioStatusPage *self = STUDIO_STATUS_PAGE (object);

  switch (prop_id)
    {
    case PROP_ICON_NAME:
      studio_status_page_set_icon_name (self, g_value_get_string (value));
      break;
    case PROP_TITLE:
      studio_status_page_set_title (self, g_value_get_string (value));
      break;
    case PROP_DESCRIPTION:
      studio_status_page_set_description (self, g_value_get_string (value));
      break;
    case PROP_CHILD:
      studio_status_page_set_child (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
studio_status_page_class_init (StudioStatusPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = studio_status_page_dispose;
  object_class->get_property = studio_status_page_get_property;
  object_class->set_property = studio_status_page_set_property;

  properties[PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "statuspage");
}

static void
studio_status_page_init (StudioStatusPage *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_valign (self->box, GTK_ALIGN_CENTER);
  gtk_widget_set_halign (self->box, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_start (self->box, 36);
  gtk_widget_set_margin_end (self->box, 36);
  gtk_widget_set_margin_top (self->box, 36);
  gtk_widget_set_margin_bottom (self->box, 36);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->image = gtk_image_new ();
  gtk_image_set_pixel_size (GTK_IMAGE (self->image), 96);
  gtk_widget_add_css_class (self->image, "dim-label");
  gtk_widget_set_margin_bottom (self->image, 12);
  gtk_widget_set_visible (self->image, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->image);

  self->title_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->title_label), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->title_label), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (self->title_label, "title-1");
  gtk_box_append (GTK_BOX (self->box), self->title_label);

  self->description_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->description_label), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->description_label), GTK_JUSTIFY_CENTER);
  gtk_label_set_max_width_chars (GTK_LABEL (self->description_label), 60);
  gtk_widget_set_visible (self->description_label, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->description_label);
}

GtkWidget *
studio_status_page_new (void)
{
  return g_object_new (STUDIO_TYPE_STATUS_PAGE, NULL);
}

const char *
studio_status_page_get_icon_name (StudioStatusPage *self)
{
  g_return_val_if_fail (STUDIO_IS_STATUS_PAGE (self), NULL);

  return gtk_image_get_icon_name (GTK_IMAGE (self->image));
}

void
studio_status_page_set_icon_name (StudioStatusPage *self,
                                  const char       *icon_name)
{
  g_return_if_fail (STUDIO_IS_STATUS_PAGE (self));

  gtk_image_set_from_icon_name (GTK_IMAGE (self->image), icon_name);
  gtk_widget_set_visible (self->image, icon_name != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_NAME]);
}

const char *
studio_status_page_get_title (StudioStatusPage *self)
{
  g_return_val_if_fail (STUDIO_IS_STATUS_PAGE (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->title_label));
}

void
studio_status_page_set_title (StudioStatusPage *self,
                              const char       *title)
{
  g_return_if_fail (STUDIO_IS_STATUS_PAGE (self));

  gtk_label_set_text (GTK_LABEL (self->title_label), title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
studio_status_page_get_description (StudioStatusPage *self)
{
  g_return_val_if_fail (STUDIO_IS_STATUS_PAGE (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->description_label));
}

void
studio_status_page_set_description (StudioStatusPage *self,
                                    const char       *description)
{
  g_return_if_fail (STUDIO_IS_STATUS_PAGE (self));

  gtk_label_set_text (GTK_LABEL (self->description_label), description);
  gtk_widget_set_visible (self->description_label, description != NULL && *description);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

GtkWidget *
studio_status_page_get_child (StudioStatusPage *self)
{
  g_return_val_if_fail (STUDIO_IS_STATUS_PAGE (self), NULL);

  return self->child;
}

void
studio_status_page_set_child (StudioStatusPage *self,
                              GtkWidget        *child)
{
  g_return_if_fail (STUDIO_IS_STATUS_PAGE (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  if (self->child == child)
    return;

  if (self->child != NULL)
    gtk_box_remove (GTK_BOX (self->box), self->child);
  self->child = child;
  if (child != NULL)
    {
      gtk_widget_set_margin_top (child, 12);
      gtk_box_append (GTK_BOX (self->box), child);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHILD]);
}
