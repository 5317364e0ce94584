/* fuzz-common.h — what every fuzz harness shares: the libFuzzer entry point, temp files. */
// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

G_BEGIN_DECLS

/* Each harness defines it; libFuzzer calls it, and so does the replay program. */
int   LLVMFuzzerTestOneInput (const uint8_t *data,
                              size_t         size);

/* A folder private to this process, created on first use and removed at exit. */
const char *fuzz_temp_folder (void);

/* Writes `size` bytes to folder/name, replacing any file there; returns the path. */
char *fuzz_write_file (const char *folder,
                       const char *name,
                       const void *data,
                       size_t      size);

/* The same bytes as one gzip member, as `gzip -1` writes them. */
GBytes *fuzz_gzip (const void *data,
                   size_t      size);

/* Once per process: a critical or warning from our code, GLib or GIO is a bug, so it aborts
 * (the fuzzer reports it as a crash); info and debug output is dropped to keep runs fast. */
void  fuzz_init_logging (void);

/* With FUZZ_VERBOSE set (when growing a corpus), says how far an input got: "loaded" or
 * the error it was refused with. */
void  fuzz_report (const char   *outcome,
                   const GError *error);

G_END_DECLS
