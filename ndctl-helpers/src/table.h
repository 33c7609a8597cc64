/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PK_TABLE_H
#define PK_TABLE_H

/*
 * `pmem-kdump list --format=table`: one line per namespace for a person
 * at a terminal. Sizes in IEC units, ranges in hex; the JSON is the
 * interface for scripts.
 */
#include <stdio.h>

#include "src/dumpcase.h"
#include "src/namespace.h"

struct pk_table_row {
	const struct pk_namespace *ns;
	struct pk_assessment a;
};

/* 0, or -1 when writing failed. */
int pk_table_print(FILE *out, const struct pk_table_row *rows, unsigned int nr);

/* "16.00 MiB", "4.00 KiB", "512 B": short IEC text of @bytes. */
void pk_short_size(uint64_t bytes, char *buf, size_t size);

#endif
