// SPDX-License-Identifier: GPL-2.0-or-later
#include <string.h>

#include "elfcore/elfcore.h"
#include "kernel/vmcoreinfo.h"
#include "kernel/x86_64.h"
#include "util/log.h"

#define PTE_PRESENT 0x1ULL
#define PTE_PSE 0x80ULL
#define PTE_ADDR_MASK 0x000ffffffffff000ULL

/*
 * The direct map's base is randomised with KASLR and not in VMCOREINFO;
 * /proc/vmcore's PT_LOADs carry it as vaddr - paddr of any RAM segment.
 * The last such segment wins, as makedumpfile does (4.19 added remap
 * segments before the RAM ones in /proc/kcore).
 */
static uint64_t page_offset_from_loads(const struct elf_load *loads, unsigned int n)
{
	uint64_t po = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (loads[i].vaddr && loads[i].vaddr < X86_64_START_KERNEL_MAP)
			po = loads[i].vaddr - loads[i].paddr;
	return po;
}

static int walk(struct x86_64_xlat *x, uint64_t vaddr, uint64_t *paddr)
{
	uint64_t table = x->pgd_paddr, entry = 0, size = 0;
	int shift = x->levels == 5 ? 48 : 39;

	for (; shift >= 12; shift -= 9) {
		uint64_t idx = (vaddr >> shift) & 511;

		if (physmem_read(x->pm, table + idx * 8, &entry, sizeof(entry)) < 0)
			return -1;
		if (!(entry & PTE_PRESENT))
			return -1;
		entry &= x->entry_mask | PTE_PSE | PTE_PRESENT;
		if (shift == 12 || ((shift == 30 || shift == 21) && (entry & PTE_PSE))) {
			size = 1ULL << shift;
			break;
		}
		table = entry & x->entry_mask;
	}
	x->cached_size = size;
	x->cached_vbase = vaddr & ~(size - 1);
	x->cached_pbase = entry & x->entry_mask & ~(size - 1);
	*paddr = x->cached_pbase + (vaddr - x->cached_vbase);
	return 0;
}

int x86_64_vtop(struct x86_64_xlat *x, uint64_t vaddr, uint64_t *paddr)
{
	if (vaddr - X86_64_START_KERNEL_MAP < X86_64_KERNEL_IMAGE_SIZE) {
		*paddr = vaddr - X86_64_START_KERNEL_MAP + x->phys_base;
		return 0;
	}
	if (vaddr - x->page_offset < x->direct_map_size) {
		*paddr = vaddr - x->page_offset;
		return 0;
	}
	if (x->cached_size && vaddr - x->cached_vbase < x->cached_size) {
		*paddr = x->cached_pbase + (vaddr - x->cached_vbase);
		return 0;
	}
	return walk(x, vaddr, paddr);
}

int x86_64_read(struct x86_64_xlat *x, uint64_t vaddr, void *buf, size_t len)
{
	uint8_t *out = buf;

	while (len) {
		size_t chunk = 4096 - (vaddr & 4095);
		uint64_t paddr;

		if (chunk > len)
			chunk = len;
		if (x86_64_vtop(x, vaddr, &paddr) < 0) {
			return log_fail(x->pm->log, PMD_ECORRUPT, "kernel address %#llx is not mapped in the dump",
			       (unsigned long long)vaddr);
		}
		if (physmem_read(x->pm, paddr, out, chunk) < 0)
			return -1;
		out += chunk;
		vaddr += chunk;
		len -= chunk;
	}
	return 0;
}

/*
 * Check the layout we derived against the page tables: a wrong kernel
 * layout must fail here, not produce a silently wrong dump.
 */
static int check_layout(struct x86_64_xlat *x, const struct kernel_info *ki)
{
	uint64_t saved = x->direct_map_size, paddr;
	uint64_t probe = ki->sym_mem_section;
	int ret;

	if (probe - x->page_offset >= saved)
		return 0;	/* mem_section is not in the direct map: nothing to compare */
	x->direct_map_size = 0;
	ret = walk(x, probe, &paddr);
	x->direct_map_size = saved;
	x->cached_size = 0;
	if (ret < 0) {
		return log_fail(x->pm->log, PMD_ECORRUPT, "the page tables at %#llx do not map mem_section (%#llx): wrong phys_base, paging level or not a Linux x86_64 dump",
		       (unsigned long long)x->pgd_paddr, (unsigned long long)probe);
	}
	if (paddr != probe - x->page_offset) {
		return log_fail(x->pm->log, PMD_ECORRUPT, "direct map base %#llx from the PT_LOADs disagrees with the page tables",
		       (unsigned long long)x->page_offset);
	}
	return 0;
}

/*
 * mem_section lives in the direct map, so its virtual address minus the
 * physical one the page tables give is the direct map's base.
 */
static uint64_t page_offset_from_tables(struct x86_64_xlat *x, const struct kernel_info *ki)
{
	uint64_t paddr;

	if (walk(x, ki->sym_mem_section, &paddr) < 0)
		return 0;
	x->cached_size = 0;
	return ki->sym_mem_section - paddr;
}

int x86_64_xlat_init(struct x86_64_xlat *x, const struct physmem *pm,
		     const struct kernel_info *ki, const struct elf_load *loads,
		     unsigned int nr_loads)
{
	memset(x, 0, sizeof(*x));
	x->pm = pm;
	x->levels = ki->pgtable_l5 ? 5 : 4;
	x->phys_base = ki->phys_base;
	x->entry_mask = PTE_ADDR_MASK;
	x->direct_map_size = 1ULL << ki->max_physmem_bits;
	if (ki->sym_init_top_pgt - X86_64_START_KERNEL_MAP >= X86_64_KERNEL_IMAGE_SIZE) {
		return log_fail(x->pm->log, PMD_ECORRUPT, "VMCOREINFO init_top_pgt %#llx is not a kernel image address",
		       (unsigned long long)ki->sym_init_top_pgt);
	}
	x->pgd_paddr = ki->sym_init_top_pgt - X86_64_START_KERNEL_MAP + x->phys_base;
	x->page_offset = page_offset_from_loads(loads, nr_loads);
	if (!x->page_offset)
		x->page_offset = page_offset_from_tables(x, ki);
	if (!x->page_offset)
		x->page_offset = ki->pgtable_l5 ? X86_64_PAGE_OFFSET_L5 : X86_64_PAGE_OFFSET_L4;
	return check_layout(x, ki);
}
