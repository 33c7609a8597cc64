/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MDF_SRC_DUMP_H
#define MDF_SRC_DUMP_H

#include "src/context.h"

/* Open the input and learn the dumped kernel's layout. */
int dump_open(struct dump_ctx *d, const struct options *o);
void dump_close(struct dump_ctx *d);

/* Filter the input into o->dumpfile; fills d->report. */
int dump_write(struct dump_ctx *d);

/*
 * The whole run, as the command does it: 0 on success, and then a dump's
 * report in *@done (when not NULL; untouched for --dump-dmesg, -R and
 * --mem-usage).
 */
int dump_main(const struct options *o, struct dump_report *done);

#endif
