/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_PMEM_PMEM_H
#define PMD_PMEM_PMEM_H

#include <stdbool.h>
#include <stdint.h>

#include "kabi/pmem_kdump.h"
#include "util/pfn_ranges.h"

struct elf_load;
struct physmem;
struct vmcoreinfo;
struct x86_64_xlat;

/*
 * Where persistent memory is in the dumped machine, and which of it is
 * metadata: the struct pages a namespace keeps on the device ("map=dev"),
 * which crash needs to follow fsdax. Everything else in a pmem region is
 * user data: file contents, which may be large and secret.
 */
struct pmem_layout {
	struct pfn_ranges regions;	/* pmem the input has */
	struct pfn_ranges meta;		/* device memmaps, inside regions */
	struct pfn_ranges user;		/* regions minus meta */
	struct pfn_ranges listed;	/* the list's ranges, pmem or not */
	unsigned int nr_listed;		/* devm_memmap_vmcore entries */
};

struct pmem_source {
	const struct elf_load *loads;
	unsigned int nr_loads;
	/*
	 * ELF input: pmem is the PT_LOADs flagged PMD_PF_DEV. A kdump file has
	 * no flags: pmem is then found from the memmap list's entries and
	 * the info blocks before them.
	 */
	bool has_flags;
	/* Pmem the input does not hold (a live system's, from /proc/iomem). */
	const struct pfn_ranges *more_regions;
	const struct vmcoreinfo *vmci;
	struct x86_64_xlat *xlat;
	const struct physmem *pm;
};

int pmem_layout_find(struct pmem_layout *pl, const struct pmem_source *src);
void pmem_layout_free(struct pmem_layout *pl);

/* What the filter does with pmem, from the layout and the user's choice. */
struct pmem_plan {
	struct pfn_ranges skip;		/* neither classified nor dumped */
	struct pfn_ranges keep;		/* dumped whatever -d says */
	uint64_t meta_excluded;		/* present pages of skip, per kind */
	uint64_t user_excluded;
	uint64_t held;			/* pages of pmem the input holds */
	bool report;			/* the input holds pmem: report it */
};

/* @present: the page frames the input holds. */
int pmem_plan_make(struct pmem_plan *plan, const struct pmem_layout *pl,
		   const struct pfn_ranges *present, bool drop_meta, bool keep_user);
void pmem_plan_free(struct pmem_plan *plan);

/*
 * The facts of one nd_pfn/nd_dax info block (drivers/nvdimm/pfn.h), the
 * superblock libnvdimm writes 4 KiB into an fsdax or devdax namespace.
 */
struct pmem_info_block {
	uint64_t dataoff;	/* where user data starts, from the namespace */
	uint64_t npfns;		/* data pages */
	uint32_t mode;		/* PMEM_MODE_* */
	uint32_t start_pad;
	uint32_t end_trunc;
};

#define PMEM_MODE_RAM PMD_PFN_MODE_RAM		/* struct pages in RAM ("map=mem") */
#define PMEM_MODE_PMEM PMD_PFN_MODE_PMEM	/* struct pages on the device ("map=dev") */

/* Parse and check one 4 KiB info block page; false if it is none. */
bool pmem_info_block_parse(const void *page, struct pmem_info_block *ib);

#endif
