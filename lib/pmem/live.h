/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_PMEM_LIVE_H
#define PMD_PMEM_LIVE_H

/*
 * The running system's persistent memory, as the ranges a crash ELF header
 * marks PF_DEV: whole pmem resources from /proc/iomem, or only the device
 * memmaps of active map=dev namespaces from /sys/bus/nd (a site that must
 * never expose user data in /proc/vmcore).
 */
#include <stdint.h>

#include "util/iomem.h"
#include "util/log.h"

enum pmem_live_mode {
	PMEM_LIVE_NONE,		/* no pmem in the header (kexec-tools 2.0.25) */
	PMEM_LIVE_ALL,		/* every "Persistent Memory[ (legacy)]" range */
	PMEM_LIVE_MEMMAP,	/* [namespace start, pfn/dax device resource) */
};

struct pmem_live_range {
	uint64_t start;		/* bytes, [start, end) */
	uint64_t end;
	char source[40];	/* "Persistent Memory", "pfn0.1", "dax0.0" */
};

struct pmem_live {
	struct pmem_live_range *r;	/* sorted by start, disjoint */
	unsigned int nr;
};

/*
 * PMEM_LIVE_ALL: nodes of @iomem named exactly "Persistent Memory" or
 * "Persistent Memory (legacy)", at any depth, minus their nested
 * "System RAM" children (kmem: already RAM, PT_LOADs must not overlap).
 * PMEM_LIVE_MEMMAP: for each "<root>/sys/bus/nd/devices/{pfn,dax}X.Y" that
 * is bound to a driver, whose mode is "pmem" and whose namespace has a
 * resource: [namespace resource, device resource). A namespace without a
 * map=dev device gives nothing. 0, or -PMD_E* (recorded in @log).
 */
int pmem_live_ranges(struct pmem_live *out, const struct iomem_tree *iomem, const char *root,
		     enum pmem_live_mode mode, struct log_ctx *log);
void pmem_live_free(struct pmem_live *pl);

#endif
