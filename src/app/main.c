/* main.c — starts ConvStudio: translations first, then the application. */
// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "studio-application.h"
#include "studio-i18n.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(StudioApplication) application = NULL;

  studio_i18n_init ();
  application = studio_application_new ();

  return g_application_run (G_APPLICATION (application), argc, argv);
}
