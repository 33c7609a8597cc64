/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PK_JSON_H
#define PK_JSON_H

/*
 * Namespaces as JSON, in ndctl's manner: `ndctl list -N`'s fields under
 * its names and in its order, then pmem-kdump's own (ranges,
 * struct_page_size, dump). Sizes and addresses are numbers, or with
 * PK_JSON_HUMAN ndctl -u's strings.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "src/dumpcase.h"
#include "src/namespace.h"

enum pk_json_flags {
	PK_JSON_HUMAN = 1 << 0,		/* -u, --human */
	PK_JSON_VERBOSE = 1 << 1,	/* -v: raw_uuid, numa_node, target_node */
};

/*
 * ndctl -u's size text: a plain number below 5000 KiB, else hundredths of
 * MiB (below 2 GiB), GiB (below 2 TiB) or TiB with the decimal unit in
 * parentheses: "1022.00 MiB (1071.64 MB)". No quotes.
 */
void pk_human_size(uint64_t bytes, char *buf, size_t size);

/* One namespace; NULL when out of memory. */
struct json_object *pk_namespace_json(const struct pk_namespace *ns,
				      const struct pk_assessment *a, unsigned int flags);

/*
 * Print @array (and drop it) as ndctl does: pretty, and with -u a single
 * element unwrapped. 0, or -1 when writing failed.
 */
int pk_json_print(FILE *out, struct json_object *array, unsigned int flags);

#endif
