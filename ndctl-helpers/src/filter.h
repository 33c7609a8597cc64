/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PK_FILTER_H
#define PK_FILTER_H

/*
 * ndctl list's selection of namespaces: -r REGION, -n NAMESPACE, -m MODE,
 * and -i to keep idle ones (disabled namespaces and seeds).
 */
#include <stdbool.h>

#include "src/namespace.h"

struct pk_filter {
	const char *region;	/* NULL or "all": every region */
	const char *ns;		/* NULL or "all": every namespace */
	const char *mode;	/* NULL: every mode */
	bool idle;
};

/* Is @mode a name -m accepts? (ndctl's names and their old aliases) */
bool pk_filter_mode_valid(const char *mode);
bool pk_filter_match(const struct pk_filter *f, const struct pk_namespace *ns);

#endif
