/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MDF_INPUT_IOMEM_H
#define MDF_INPUT_IOMEM_H

#include "util/pfn_ranges.h"

/*
 * Add the pages of the resources of @path (/proc/iomem), at any depth,
 * whose name starts with @name ("Persistent Memory", "Crash kernel") to @out,
 * rounded out to whole pages. 0, or -1 with an error printed.
 */
int iomem_find(const char *path, const char *name, struct pfn_ranges *out);

#endif
