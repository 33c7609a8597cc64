// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Finding pmem and its metadata in a dump.
 *
 * Kernel series 1 exports the device memmaps as a list in VMCOREINFO:
 * SYMBOL(devm_memmap_vmcore_head) is a list_head whose entries hold the
 * physical range [start, end) of one altmap's struct page area. A kernel
 * without that export still has, at offset 4 KiB of each fsdax/devdax
 * namespace, the info block that says where the namespace's data starts;
 * the struct pages lie between the 8 KiB the info block reserves and
 * there (drivers/nvdimm/pfn_devs.c).
 */
#include <inttypes.h>
#include <string.h>

#include "kabi/pmem_kdump.h"
#include "pmem/pmem.h"
#include "elfcore/elfcore.h"
#include "kernel/physmem.h"
#include "kernel/vmcoreinfo.h"
#include "kernel/x86_64.h"
#include "util/log.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ULL << PAGE_SHIFT)
#define INFO_BLOCK_RESERVE (PMD_PFN_SB_RESERVE >> PAGE_SHIFT)	/* in pages */
#define MAX_LIST_ENTRIES 65536		/* a corrupt list must not loop forever */

static uint64_t get_le(const uint8_t *p, unsigned int bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

/* nd_fletcher64() over the block with its checksum field taken as zero. */
static uint64_t info_block_checksum(const uint8_t *b)
{
	uint32_t lo = 0;
	uint64_t hi = 0;

	for (unsigned int i = 0; i < PAGE_SIZE; i += 4) {
		uint32_t w = i >= PMD_PFN_SB_CHECKSUM_OFF ? 0 : (uint32_t)get_le(b + i, 4);

		lo += w;
		hi += lo;
	}
	return hi << 32 | lo;
}

bool pmem_info_block_parse(const void *page, struct pmem_info_block *ib)
{
	const uint8_t *b = page;
	uint32_t page_size;

	if (memcmp(b + PMD_PFN_SB_SIGNATURE_OFF, PMD_PFN_SB_SIG_PFN, PMD_PFN_SB_SIGNATURE_LEN) &&
	    memcmp(b + PMD_PFN_SB_SIGNATURE_OFF, PMD_PFN_SB_SIG_DAX, PMD_PFN_SB_SIGNATURE_LEN))
		return false;
	if (info_block_checksum(b) != get_le(b + PMD_PFN_SB_CHECKSUM_OFF, 8) ||
	    get_le(b + PMD_PFN_SB_VERSION_MAJOR_OFF, 2) != PMD_PFN_SB_VERSION_MAJOR)
		return false;
	ib->dataoff = get_le(b + PMD_PFN_SB_DATAOFF_OFF, 8);
	ib->npfns = get_le(b + PMD_PFN_SB_NPFNS_OFF, 8);
	ib->mode = (uint32_t)get_le(b + PMD_PFN_SB_MODE_OFF, 4);
	ib->start_pad = (uint32_t)get_le(b + PMD_PFN_SB_START_PAD_OFF, 4);
	ib->end_trunc = (uint32_t)get_le(b + PMD_PFN_SB_END_TRUNC_OFF, 4);
	page_size = (uint32_t)get_le(b + PMD_PFN_SB_PAGE_SIZE_OFF, 4);	/* 0 before v1.4 */
	if (page_size && page_size != PAGE_SIZE)
		return false;
	if (ib->mode != PMEM_MODE_RAM && ib->mode != PMEM_MODE_PMEM)
		return false;
	/* Offsets in whole pages past the reserve; sizes that cannot wrap. */
	return ib->dataoff >= INFO_BLOCK_RESERVE * PAGE_SIZE && !(ib->dataoff % PAGE_SIZE) &&
	       !(ib->start_pad % PAGE_SIZE) && ib->dataoff < (1ULL << 52) &&
	       ib->npfns < (1ULL << 40);
}

/* The info block of a namespace starting at @ns, if the dump holds it. */
static bool read_info_block(const struct physmem *pm, uint64_t ns,
			    struct pmem_info_block *ib)
{
	uint8_t page[PAGE_SIZE];
	uint64_t pa = ns + PMD_PFN_SB_NS_OFFSET;

	if (!physmem_present(pm, pa >> PAGE_SHIFT) ||
	    physmem_read_page(pm, pa >> PAGE_SHIFT, page) < 0)
		return false;
	return pmem_info_block_parse(page, ib);
}

/* A namespace's size, from its info block. */
static uint64_t namespace_bytes(const struct pmem_info_block *ib)
{
	return ib->start_pad + ib->dataoff + (ib->npfns << PAGE_SHIFT) + ib->end_trunc;
}

/* The altmap's struct page area, as __nvdimm_setup_pfn() sets it up. */
static int add_info_block_meta(struct pmem_layout *pl, uint64_t ns,
			       const struct pmem_info_block *ib)
{
	uint64_t base = (ns + ib->start_pad) >> PAGE_SHIFT;

	if (ib->mode != PMEM_MODE_PMEM)
		return 0;
	return pfn_ranges_add(&pl->meta, base + INFO_BLOCK_RESERVE,
			      base + (ib->dataoff >> PAGE_SHIFT));
}

/* Namespaces follow each other from the start of the region. */
static int meta_from_info_blocks(struct pmem_layout *pl, const struct physmem *pm,
				 const struct pfn_range *region)
{
	uint64_t ns = region->start << PAGE_SHIFT, end = region->end << PAGE_SHIFT;
	struct pmem_info_block ib;

	while (ns < end && read_info_block(pm, ns, &ib)) {
		uint64_t size = namespace_bytes(&ib);

		if (add_info_block_meta(pl, ns, &ib) < 0)
			return -1;
		log_debug(pm->log, "pmem: namespace at %#" PRIx64 " (info block): data at +%#" PRIx64
			 ", %" PRIu64 " pages, memmap %s\n", ns, ib.dataoff, ib.npfns,
			 ib.mode == PMEM_MODE_PMEM ? "on the device" : "in RAM");
		if (size > end - ns)
			break;
		ns += size;
	}
	return 0;
}

struct list_keys {
	uint64_t head;
	long long entry_off;
	long long start_off;
	long long end_off;
};

static bool list_keys_get(const struct vmcoreinfo *vi, struct list_keys *k)
{
	return vmcoreinfo_get_hex(vi, PMD_VMCI_DEVM_MEMMAP_HEAD, &k->head) &&
	       vmcoreinfo_get_long(vi, PMD_VMCI_DEVM_MEMMAP_ENTRY, &k->entry_off) &&
	       vmcoreinfo_get_long(vi, PMD_VMCI_DEVM_MEMMAP_START, &k->start_off) &&
	       vmcoreinfo_get_long(vi, PMD_VMCI_DEVM_MEMMAP_END, &k->end_off);
}

static int read_virt64(const struct pmem_source *src, uint64_t vaddr, uint64_t *val)
{
	uint64_t pa;

	if (x86_64_vtop(src->xlat, vaddr, &pa) < 0 ||
	    !physmem_present(src->pm, pa >> PAGE_SHIFT) ||
	    (pa & (PAGE_SIZE - 1)) > PAGE_SIZE - sizeof(*val))
		return -1;
	return physmem_read(src->pm, pa, val, sizeof(*val));
}

/* Walk the list into @list (byte ranges turned into whole pages). */
static int read_memmap_list(const struct pmem_source *src, const struct list_keys *k,
			    struct pfn_ranges *list, unsigned int *nr)
{
	uint64_t node, start, end;

	if (read_virt64(src, k->head, &node) < 0)
		return -1;
	for (*nr = 0; node != k->head; (*nr)++) {
		uint64_t entry = node - (uint64_t)k->entry_off;

		if (*nr >= MAX_LIST_ENTRIES ||
		    read_virt64(src, entry + (uint64_t)k->start_off, &start) < 0 ||
		    read_virt64(src, entry + (uint64_t)k->end_off, &end) < 0 ||
		    start >= end || read_virt64(src, node, &node) < 0)
			return -1;
		log_debug(src->pm->log, "pmem: devm_memmap_vmcore [%#" PRIx64 ", %#" PRIx64 ")\n", start, end);
		if (pfn_ranges_add(list, start >> PAGE_SHIFT,
				   (end + PAGE_SIZE - 1) >> PAGE_SHIFT) < 0)
			return -1;
	}
	return 0;
}

static int regions_from_flags(struct pmem_layout *pl, const struct pmem_source *src)
{
	for (unsigned int i = 0; i < src->nr_loads; i++) {
		const struct elf_load *l = &src->loads[i];

		if (!(l->flags & PMD_PF_DEV))
			continue;
		if (pfn_ranges_add(&pl->regions, l->paddr >> PAGE_SHIFT,
				   (l->paddr + l->memsz + PAGE_SIZE - 1) >> PAGE_SHIFT) < 0)
			return -1;
	}
	return 0;
}

/*
 * Without flags, each listed memmap belongs to a namespace whose info
 * block sits just before it; the namespace is the region. If the block is
 * not in the dump, only the memmap itself is known.
 */
static int regions_from_list(struct pmem_layout *pl, const struct physmem *pm,
			     const struct pfn_ranges *list)
{
	for (unsigned int i = 0; i < list->nr; i++) {
		uint64_t ns = (list->r[i].start - INFO_BLOCK_RESERVE) << PAGE_SHIFT;
		struct pmem_info_block ib;

		if (list->r[i].start >= INFO_BLOCK_RESERVE && read_info_block(pm, ns, &ib) &&
		    ib.mode == PMEM_MODE_PMEM && !ib.start_pad) {
			if (pfn_ranges_add(&pl->regions, ns >> PAGE_SHIFT,
					   (ns + namespace_bytes(&ib)) >> PAGE_SHIFT) < 0)
				return -1;
		}
		if (pfn_ranges_add(&pl->regions, list->r[i].start, list->r[i].end) < 0)
			return -1;
	}
	return 0;
}

int pmem_layout_find(struct pmem_layout *pl, const struct pmem_source *src)
{
	struct pfn_ranges list = { 0 };
	struct list_keys keys;
	bool listed = false;
	int ret = -1;

	memset(pl, 0, sizeof(*pl));
	if (list_keys_get(src->vmci, &keys)) {
		if (read_memmap_list(src, &keys, &list, &pl->nr_listed) == 0) {
			listed = true;
		} else {
			log_warn(src->pm->log, "cannot read the devm_memmap_vmcore list: finding pmem metadata from the namespaces' info blocks\n");
			list.nr = 0;
			pl->nr_listed = 0;
		}
	}
	if (src->has_flags ? regions_from_flags(pl, src) < 0 :
	    regions_from_list(pl, src->pm, &list) < 0)
		goto out;
	if (src->more_regions && pfn_ranges_add_all(&pl->regions, src->more_regions) < 0)
		goto out;
	if (listed) {
		if (pfn_ranges_intersect(&pl->meta, &list, &pl->regions) < 0)
			goto out;
	} else {
		for (unsigned int i = 0; i < pl->regions.nr; i++)
			if (meta_from_info_blocks(pl, src->pm, &pl->regions.r[i]) < 0)
				goto out;
	}
	if (pfn_ranges_subtract(&pl->user, &pl->regions, &pl->meta) < 0)
		goto out;
	pl->listed = list;
	list = (struct pfn_ranges){ 0 };
	for (unsigned int i = 0; i < pl->regions.nr; i++)
		log_debug(src->pm->log, "pmem: region pfns [%#" PRIx64 ", %#" PRIx64 ")\n",
			 pl->regions.r[i].start, pl->regions.r[i].end);
	log_debug(src->pm->log, "pmem: %" PRIu64 " metadata pages (%s), %" PRIu64 " user data pages\n",
		 pfn_ranges_pages(&pl->meta),
		 listed ? "devm_memmap_vmcore" : "info blocks",
		 pfn_ranges_pages(&pl->user));
	ret = 0;
out:
	pfn_ranges_free(&list);
	if (ret)
		pmem_layout_free(pl);
	return ret;
}

void pmem_layout_free(struct pmem_layout *pl)
{
	pfn_ranges_free(&pl->regions);
	pfn_ranges_free(&pl->meta);
	pfn_ranges_free(&pl->user);
	pfn_ranges_free(&pl->listed);
}

int pmem_plan_make(struct pmem_plan *plan, const struct pmem_layout *pl,
		   const struct pfn_ranges *present, bool drop_meta, bool keep_user)
{
	struct pfn_ranges held = { 0 };
	int ret = -1;

	memset(plan, 0, sizeof(*plan));
	if (pfn_ranges_intersect(&held, &pl->regions, present) < 0)
		goto out;
	plan->held = pfn_ranges_pages(&held);
	/* Without pmem in the input the report stays makedumpfile's. */
	plan->report = plan->held > 0;
	if (pfn_ranges_intersect(&held, &pl->meta, present) < 0)
		goto out;
	if (drop_meta) {
		plan->meta_excluded = pfn_ranges_pages(&held);
		if (pfn_ranges_add_all(&plan->skip, &pl->meta) < 0)
			goto out;
	} else if (pfn_ranges_add_all(&plan->keep, &held) < 0) {
		goto out;
	}
	if (!keep_user) {
		if (pfn_ranges_intersect(&held, &pl->user, present) < 0)
			goto out;
		plan->user_excluded = pfn_ranges_pages(&held);
		if (pfn_ranges_add_all(&plan->skip, &pl->user) < 0)
			goto out;
	}
	ret = 0;
out:
	pfn_ranges_free(&held);
	if (ret)
		pmem_plan_free(plan);
	return ret;
}

void pmem_plan_free(struct pmem_plan *plan)
{
	pfn_ranges_free(&plan->skip);
	pfn_ranges_free(&plan->keep);
}
