/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_KERNEL_X86_64_H
#define PMD_KERNEL_X86_64_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/physmem.h"

#define X86_64_START_KERNEL_MAP 0xffffffff80000000ULL
#define X86_64_KERNEL_IMAGE_SIZE (1ULL << 30)
#define X86_64_PAGE_OFFSET_L4 0xffff888000000000ULL
#define X86_64_PAGE_OFFSET_L5 0xff11000000000000ULL

struct kernel_info;
struct elf_load;

/*
 * Kernel virtual to physical translation for x86_64, 4- or 5-level
 * paging, with KASLR'd direct map and kernel image. The direct map and
 * the kernel image are linear; everything else (vmemmap, vmalloc) walks
 * the kernel's page tables in the dump.
 */
struct x86_64_xlat {
	const struct physmem *pm;
	unsigned int levels;
	uint64_t pgd_paddr;
	uint64_t phys_base;
	uint64_t page_offset;
	uint64_t direct_map_size;
	uint64_t entry_mask;

	/* Last walked mapping, any page size: vmemmap reads stay inside one. */
	uint64_t cached_vbase;
	uint64_t cached_pbase;
	uint64_t cached_size;
};

/*
 * @loads: the input's memory ranges; a range with a direct-map virtual
 * address gives the (KASLR'd) direct map base. Without one, the base is
 * found by walking the page tables for mem_section.
 */
int x86_64_xlat_init(struct x86_64_xlat *x, const struct physmem *pm,
		     const struct kernel_info *ki, const struct elf_load *loads,
		     unsigned int nr_loads);

/* 0 and *paddr set, or -1 when @vaddr is not mapped (nothing printed). */
int x86_64_vtop(struct x86_64_xlat *x, uint64_t vaddr, uint64_t *paddr);

/* Read kernel virtual memory; -1 with an error printed when unmapped. */
int x86_64_read(struct x86_64_xlat *x, uint64_t vaddr, void *buf, size_t len);

#endif
