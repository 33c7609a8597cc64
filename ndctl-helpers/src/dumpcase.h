/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PK_DUMPCASE_H
#define PK_DUMPCASE_H

/*
 * What a crash dump would hold of one namespace: the cases A-D of the
 * pmem-kdump RFC (dump scope x where the struct pages live),
 *
 *                       metadata in RAM   metadata on pmem
 *   entire pmem               A                  B
 *   metadata only             C                  D
 *
 * and the byte counts behind them. Pure functions of the namespace, the
 * kernel facts and the scope: pmem-kdump(8) states the rules.
 */
#include <stdbool.h>
#include <stdint.h>

#include "src/namespace.h"

#define PK_PAGE_SIZE 4096ULL
/* nd_info_block_reserve(): the info block's 8 KiB before the memmap. */
#define PK_INFO_BLOCK_RESERVE 0x2000ULL
/* sizeof(struct page) on x86_64 without debug options (Linux 6.1). */
#define PK_DEFAULT_PAGE_STRUCT_SIZE 64

/*
 * The dump scope. Our makedumpfile keeps pmem metadata at every dump
 * level but -d 63 and leaves pmem user data out unless --pmem-userdata:
 * by default a dump is "metadata only" (C/D); --pmem-userdata makes it
 * "entire pmem" (A/B).
 */
enum pk_scope {
	PK_SCOPE_METADATA,
	PK_SCOPE_ENTIRE,
};

enum pk_meta_loc {
	PK_META_NONE,		/* no struct pages in use */
	PK_META_RAM,
	PK_META_PMEM,
};

/* Why a namespace has no case. */
enum pk_no_case {
	PK_HAS_CASE,
	PK_NO_PAGES_RAW,	/* raw mode: a block device, no struct pages */
	PK_NO_PAGES_SECTOR,	/* sector mode: BTT, no struct pages */
	PK_NO_PAGES_IDLE,	/* disabled or a seed: nothing mapped */
	PK_NO_PAGES_UNKNOWN,	/* a mode libndctl does not name */
};

/* Does the running kernel list the memmap in devm_memmap_vmcore? */
enum pk_listed {
	PK_LISTED_NA,		/* no memmap on the device */
	PK_LISTED_YES,
	PK_LISTED_NO,		/* the kernel has the list, without this memmap */
	PK_LISTED_INFO_BLOCK,	/* no list: dump tools read the info block */
	PK_LISTED_UNKNOWN,	/* VMCOREINFO was not readable */
};

enum pk_sps_source {
	PK_SPS_NONE,		/* no struct pages */
	PK_SPS_INFO_BLOCK,
	PK_SPS_KERNEL,		/* SIZE(page) in VMCOREINFO */
	PK_SPS_DEFAULT,		/* PK_DEFAULT_PAGE_STRUCT_SIZE */
};

struct pk_assessment {
	char kase;			/* 'A'..'D', or 0 (see why_none) */
	enum pk_no_case why_none;
	enum pk_scope scope;
	enum pk_meta_loc meta;

	bool has_ns_range, has_memmap, has_data;
	struct pk_range ns_range;	/* the whole namespace */
	struct pk_range memmap;		/* map=dev: [ns + start_pad + 8K, data start) */
	struct pk_range data;		/* fsdax/devdax: the pfn/dax device; raw: the namespace */

	unsigned int page_struct_size;
	enum pk_sps_source sps_source;
	uint64_t struct_pages;		/* pages the kernel describes: [ns + start_pad, data end) */

	/*
	 * Bytes a dump holds for this namespace: its struct pages wherever
	 * they are (the memmap range on pmem; struct_pages *
	 * page_struct_size in RAM), the part of it read from pmem, and the
	 * pmem user data (0 unless the scope is entire).
	 */
	uint64_t metadata_bytes;
	uint64_t pmem_metadata_bytes;
	uint64_t userdata_bytes;

	enum pk_listed listed;
};

void pk_assess(const struct pk_namespace *ns, const struct pk_kernel *k, enum pk_scope scope,
	       struct pk_assessment *a);

const char *pk_meta_loc_name(enum pk_meta_loc m);	/* "ram", "pmem", "none" */
const char *pk_listed_name(enum pk_listed l);		/* NULL for PK_LISTED_NA */
const char *pk_no_case_reason(enum pk_no_case w);	/* NULL for PK_HAS_CASE */
const char *pk_sps_source_name(enum pk_sps_source s);	/* NULL for PK_SPS_NONE */
const char *pk_scope_name(enum pk_scope s);		/* "metadata", "entire" */

#endif
