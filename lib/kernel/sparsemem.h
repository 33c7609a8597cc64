/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_KERNEL_SPARSEMEM_H
#define PMD_KERNEL_SPARSEMEM_H

#include <stdint.h>

struct kernel_info;
struct x86_64_xlat;

/*
 * Where the struct page of each pfn lives, from the kernel's mem_section
 * table (SPARSEMEM_EXTREME + VMEMMAP, as Linux 6.1 x86_64 builds it).
 * One word per section: a 4 TiB machine costs 256 KiB here.
 */
struct memmap {
	uint64_t nr_sections;
	unsigned int pfn_section_shift;
	uint64_t size_page;
	uint64_t *section_map;	/* vaddr of the section's first struct page, 0 if none */
	uint64_t max_pfn;	/* end of the last section with a mem_map */
};

int memmap_init(struct memmap *mm, const struct kernel_info *ki,
		struct x86_64_xlat *x, uint64_t max_pfn);
void memmap_free(struct memmap *mm);

/* Virtual address of the struct page of @pfn, or 0 when it has none. */
static inline uint64_t memmap_page(const struct memmap *mm, uint64_t pfn)
{
	uint64_t sec = pfn >> mm->pfn_section_shift;
	uint64_t base;

	if (sec >= mm->nr_sections || !(base = mm->section_map[sec]))
		return 0;
	return base + (pfn & ((1ULL << mm->pfn_section_shift) - 1)) * mm->size_page;
}

#endif
