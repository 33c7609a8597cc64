// SPDX-License-Identifier: GPL-2.0-or-later
#include <string.h>

#include "src/dumpcase.h"

static bool known(uint64_t v)
{
	return v != PK_UNKNOWN;
}

/*
 * The memmap of a map=dev namespace: [ns + start_pad + 8 KiB, data start)
 * (drivers/nvdimm/pfn_devs.c; the altmap's base + reserve up to base +
 * reserve + free, which is what the kernel series lists). start_pad is
 * unknown on a live system: a listed range that ends at the data start
 * inside the namespace is the kernel's own word and wins; else 6.1's
 * start_pad of 0 is assumed.
 */
static void find_memmap(const struct pk_namespace *ns, const struct pk_kernel *k,
			struct pk_assessment *a)
{
	uint64_t pad = known(ns->start_pad) ? ns->start_pad : 0;

	a->has_memmap = true;
	a->memmap.start = ns->ns_start + pad + PK_INFO_BLOCK_RESERVE;
	a->memmap.end = ns->data_start;
	if (a->memmap.end < a->memmap.start)
		a->memmap.end = a->memmap.start;

	switch (k->list) {
	case PK_LIST_UNKNOWN:
		a->listed = PK_LISTED_UNKNOWN;
		return;
	case PK_LIST_ABSENT:
		a->listed = PK_LISTED_INFO_BLOCK;
		return;
	case PK_LIST_PRESENT:
		break;
	}
	a->listed = PK_LISTED_NO;
	for (unsigned int i = 0; i < k->nr_memmaps; i++) {
		const struct pk_range *r = &k->memmaps[i];

		if (r->end != ns->data_start || r->start < ns->ns_start || r->start >= r->end)
			continue;
		a->memmap = *r;
		a->listed = PK_LISTED_YES;
		return;
	}
}

void pk_assess(const struct pk_namespace *ns, const struct pk_kernel *k, enum pk_scope scope,
	       struct pk_assessment *a)
{
	bool paged = ns->mode == PK_MODE_FSDAX || ns->mode == PK_MODE_DEVDAX;
	uint64_t pad = known(ns->start_pad) ? ns->start_pad : 0;

	memset(a, 0, sizeof(*a));
	a->scope = scope;
	if (known(ns->ns_start) && known(ns->ns_size) && ns->ns_size) {
		a->has_ns_range = true;
		a->ns_range = (struct pk_range){ ns->ns_start, ns->ns_start + ns->ns_size };
	}
	if (paged && known(ns->data_start) && known(ns->data_size)) {
		a->has_data = true;
		a->data = (struct pk_range){ ns->data_start, ns->data_start + ns->data_size };
	} else if (ns->mode == PK_MODE_RAW && ns->active && a->has_ns_range) {
		a->has_data = true;
		a->data = a->ns_range;
	}

	if (!ns->active)
		a->why_none = PK_NO_PAGES_IDLE;
	else if (ns->mode == PK_MODE_RAW)
		a->why_none = PK_NO_PAGES_RAW;
	else if (ns->mode == PK_MODE_SECTOR)
		a->why_none = PK_NO_PAGES_SECTOR;
	else if (!paged || ns->map == PK_MAP_NONE)
		a->why_none = PK_NO_PAGES_UNKNOWN;

	if (a->why_none != PK_HAS_CASE) {
		/*
		 * Without struct pages a namespace is user data only: an
		 * entire-pmem dump holds all of it, a metadata dump none.
		 */
		a->meta = PK_META_NONE;
		if (scope == PK_SCOPE_ENTIRE && a->has_ns_range)
			a->userdata_bytes = ns->ns_size;
		return;
	}

	a->meta = ns->map == PK_MAP_DEV ? PK_META_PMEM : PK_META_RAM;
	if (scope == PK_SCOPE_METADATA)
		a->kase = a->meta == PK_META_RAM ? 'C' : 'D';
	else
		a->kase = a->meta == PK_META_RAM ? 'A' : 'B';

	if (ns->page_struct_size) {
		a->page_struct_size = ns->page_struct_size;
		a->sps_source = PK_SPS_INFO_BLOCK;
	} else if (k->page_struct_size) {
		a->page_struct_size = k->page_struct_size;
		a->sps_source = PK_SPS_KERNEL;
	} else {
		a->page_struct_size = PK_DEFAULT_PAGE_STRUCT_SIZE;
		a->sps_source = PK_SPS_DEFAULT;
	}
	/* The dev_pagemap spans the namespace from start_pad to the data's end. */
	if (a->has_ns_range && a->has_data && a->data.end > ns->ns_start + pad)
		a->struct_pages = (a->data.end - ns->ns_start - pad) / PK_PAGE_SIZE;

	if (a->meta == PK_META_PMEM) {
		if (a->has_ns_range && known(ns->data_start))
			find_memmap(ns, k, a);
		else
			a->listed = k->list == PK_LIST_PRESENT ? PK_LISTED_NO :
				    k->list == PK_LIST_ABSENT ? PK_LISTED_INFO_BLOCK :
				    PK_LISTED_UNKNOWN;
		a->pmem_metadata_bytes = a->memmap.end - a->memmap.start;
		a->metadata_bytes = a->pmem_metadata_bytes;
	} else {
		a->metadata_bytes = a->struct_pages * a->page_struct_size;
	}
	if (scope == PK_SCOPE_ENTIRE && a->has_ns_range)
		a->userdata_bytes = ns->ns_size - a->pmem_metadata_bytes;
}

const char *pk_meta_loc_name(enum pk_meta_loc m)
{
	switch (m) {
	case PK_META_RAM:
		return "ram";
	case PK_META_PMEM:
		return "pmem";
	default:
		return "none";
	}
}

const char *pk_listed_name(enum pk_listed l)
{
	switch (l) {
	case PK_LISTED_YES:
		return "listed";
	case PK_LISTED_NO:
		return "not listed";
	case PK_LISTED_INFO_BLOCK:
		return "info block";
	case PK_LISTED_UNKNOWN:
		return "unknown";
	default:
		return NULL;
	}
}

const char *pk_no_case_reason(enum pk_no_case w)
{
	switch (w) {
	case PK_NO_PAGES_RAW:
		return "raw mode: no struct pages";
	case PK_NO_PAGES_SECTOR:
		return "sector mode: no struct pages";
	case PK_NO_PAGES_IDLE:
		return "not active: no struct pages";
	case PK_NO_PAGES_UNKNOWN:
		return "unknown mode: no struct pages known";
	default:
		return NULL;
	}
}

const char *pk_sps_source_name(enum pk_sps_source s)
{
	switch (s) {
	case PK_SPS_INFO_BLOCK:
		return "info block";
	case PK_SPS_KERNEL:
		return "vmcoreinfo";
	case PK_SPS_DEFAULT:
		return "default";
	default:
		return NULL;
	}
}

const char *pk_scope_name(enum pk_scope s)
{
	return s == PK_SCOPE_ENTIRE ? "entire" : "metadata";
}
