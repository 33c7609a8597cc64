/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_KERNEL_VMCOREINFO_H
#define PMD_KERNEL_VMCOREINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The raw KEY=VALUE lines of a VMCOREINFO note. */
struct log_ctx;

struct vmcoreinfo {
	struct log_ctx *log;
	char *text;		/* private copy, NUL-separated */
	struct vmci_entry {
		const char *key;
		const char *value;
	} *entries;
	unsigned int nr_entries;
};

int vmcoreinfo_parse(struct vmcoreinfo *vi, struct log_ctx *log, const char *data,
		     size_t len);
void vmcoreinfo_free(struct vmcoreinfo *vi);
const char *vmcoreinfo_get(const struct vmcoreinfo *vi, const char *key);

/* SYMBOL() and KERNELOFFSET are hex; SIZE/OFFSET/LENGTH/NUMBER decimal. */
bool vmcoreinfo_get_hex(const struct vmcoreinfo *vi, const char *key, uint64_t *val);
bool vmcoreinfo_get_long(const struct vmcoreinfo *vi, const char *key, long long *val);

#define VMCI_ABSENT (-1LL)

/*
 * What the filter needs to know of the dumped kernel, resolved once from
 * VMCOREINFO. Optional numbers are VMCI_ABSENT when the kernel did not
 * export them (a config option was off).
 */
struct kernel_info {
	struct log_ctx *log;
	char osrelease[65];
	unsigned int page_size;
	unsigned int page_shift;

	uint64_t kernel_offset;
	uint64_t phys_base;
	uint64_t sym_init_top_pgt;
	bool pgtable_l5;

	/* sparsemem */
	uint64_t sym_mem_section;
	long long length_mem_section;
	long long size_mem_section;
	long long off_section_mem_map;
	unsigned int section_size_bits;
	unsigned int max_physmem_bits;

	/* struct page */
	long long size_page;
	long long off_page_flags;
	long long off_page_refcount;
	long long off_page_mapping;
	long long off_page_lru;
	long long off_page_mapcount;
	long long off_page_private;
	long long off_page_compound_dtor;
	long long off_page_compound_order;
	long long off_page_compound_head;

	/* page flag bits and special values */
	long long pg_lru;
	long long pg_private;
	long long pg_swapcache;
	long long pg_swapbacked;
	long long pg_slab;
	long long pg_hwpoison;
	long long pg_head_mask;
	long long page_buddy_mapcount;
	long long page_offline_mapcount;
	long long hugetlb_page_dtor;
	long long max_order;	/* LENGTH(zone.free_area) */
};

int kernel_info_init(struct kernel_info *ki, const struct vmcoreinfo *vi);

#endif
