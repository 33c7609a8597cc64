// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdlib.h>
#include <string.h>

#include "kernel/sparsemem.h"
#include "kernel/vmcoreinfo.h"
#include "kernel/x86_64.h"
#include "util/log.h"

#define SECTION_MARKED_PRESENT 0x1ULL
/* Low bits of section_mem_map are flags; the encoded map is aligned above them. */
#define SECTION_MAP_FLAG_BITS 5

/*
 * Decode one root's worth of struct mem_section. The kernel stores
 * mem_map minus the section's first pfn's offset, so that adding
 * pfn * sizeof(struct page) gives the struct page directly.
 */
static unsigned int decode_root(struct memmap *mm, const struct kernel_info *ki,
				const uint8_t *secs, uint64_t first_sec,
				uint64_t per_root)
{
	unsigned int found = 0;
	uint64_t i;

	for (i = 0; i < per_root && first_sec + i < mm->nr_sections; i++) {
		uint64_t sec = first_sec + i, map;

		memcpy(&map, secs + i * ki->size_mem_section + ki->off_section_mem_map,
		       sizeof(map));
		if (!(map & SECTION_MARKED_PRESENT))
			continue;
		map &= ~((1ULL << SECTION_MAP_FLAG_BITS) - 1);
		mm->section_map[sec] = map + (sec << mm->pfn_section_shift) * mm->size_page;
		found++;
	}
	return found;
}

static int read_sections(struct memmap *mm, const struct kernel_info *ki,
			 struct x86_64_xlat *x, uint64_t roots_vaddr,
			 unsigned int *found)
{
	uint64_t per_root = ki->page_size / ki->size_mem_section;
	uint64_t nr_roots = (mm->nr_sections + per_root - 1) / per_root;
	uint64_t *roots = calloc(nr_roots, sizeof(*roots));
	uint8_t *secs = malloc(per_root * ki->size_mem_section);
	uint64_t r;
	int ret = -1;

	*found = 0;
	if (!roots || !secs) {
		log_fail(x->pm->log, PMD_ENOMEM, "out of memory reading mem_section");
		goto out;
	}
	if (x86_64_read(x, roots_vaddr, roots, nr_roots * sizeof(*roots)) < 0)
		goto out;
	for (r = 0; r < nr_roots; r++) {
		if (!roots[r])
			continue;
		if (x86_64_read(x, roots[r], secs, per_root * ki->size_mem_section) < 0)
			goto out;
		*found += decode_root(mm, ki, secs, r * per_root, per_root);
	}
	ret = 0;
out:
	free(roots);
	free(secs);
	return ret;
}

int memmap_init(struct memmap *mm, const struct kernel_info *ki,
		struct x86_64_xlat *x, uint64_t max_pfn)
{
	unsigned int found = 0;
	uint64_t s;

	memset(mm, 0, sizeof(*mm));
	mm->pfn_section_shift = ki->section_size_bits - ki->page_shift;
	mm->size_page = (uint64_t)ki->size_page;
	mm->nr_sections = (max_pfn + (1ULL << mm->pfn_section_shift) - 1) >>
			  mm->pfn_section_shift;
	/*
	 * The kernel has NR_MEM_SECTIONS, 2^(MAX_PHYSMEM_BITS -
	 * SECTION_SIZE_BITS): a PT_LOAD ending past that (a corrupt memsz)
	 * must not size the table.
	 */
	if (mm->nr_sections > 1ULL << (ki->max_physmem_bits - ki->section_size_bits))
		mm->nr_sections = 1ULL << (ki->max_physmem_bits - ki->section_size_bits);
	if (ki->length_mem_section > 0) {
		uint64_t limit = (uint64_t)ki->length_mem_section *
				 (ki->page_size / ki->size_mem_section);

		if (mm->nr_sections > limit)
			mm->nr_sections = limit;
	}
	mm->section_map = calloc(mm->nr_sections ? mm->nr_sections : 1,
				 sizeof(*mm->section_map));
	if (!mm->section_map) {
		return log_fail(x->pm->log, PMD_ENOMEM, "out of memory for %llu sections",
		       (unsigned long long)mm->nr_sections);
	}
	/*
	 * VMCOREINFO gives the address of the root array. A kernel that
	 * exports the pointer variable instead is caught by finding nothing
	 * present, and read through one more indirection.
	 */
	if (read_sections(mm, ki, x, ki->sym_mem_section, &found) < 0 || !found) {
		uint64_t ptr;

		memset(mm->section_map, 0, mm->nr_sections * sizeof(*mm->section_map));
		if (x86_64_read(x, ki->sym_mem_section, &ptr, sizeof(ptr)) < 0 ||
		    read_sections(mm, ki, x, ptr, &found) < 0 || !found) {
			log_fail(x->pm->log, PMD_ECORRUPT, "no present memory section found in mem_section at %#llx: wrong kernel layout?",
			       (unsigned long long)ki->sym_mem_section);
			memmap_free(mm);
			return -1;
		}
	}
	for (s = 0; s < mm->nr_sections; s++)
		if (mm->section_map[s])
			mm->max_pfn = (s + 1) << mm->pfn_section_shift;
	if (mm->max_pfn > max_pfn)
		mm->max_pfn = max_pfn;
	log_debug(x->pm->log, "mem_section: %u present sections of %llu\n", found,
		 (unsigned long long)mm->nr_sections);
	return 0;
}

void memmap_free(struct memmap *mm)
{
	free(mm->section_map);
	memset(mm, 0, sizeof(*mm));
}
