// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/pmem: namespace info blocks (struct nd_pfn_sb). The input's first
 * 4 KiB are parsed as one, as is, and again with its checksum made right
 * so that the checks past it are reached. Then the whole input (up to 16
 * pages) is the start of a PF_DEV pmem region, seen through a small
 * physmem at 4 KiB into the region, where the first namespace's info
 * block lies: pmem_layout_find() chains the namespaces by their info
 * blocks and pmem_plan_make() plans what to keep.
 */
#include <string.h>

#include "elfcore/elfcore.h"
#include "fuzz.h"
#include "kabi/pmem_kdump.h"
#include "kernel/physmem.h"
#include "kernel/vmcoreinfo.h"
#include "pmem/pmem.h"
#include "util/log.h"
#include "util/pfn_ranges.h"

#define PAGE 4096
#define MAX_PAGES 16
#define REGION (4ULL << 30)		/* the region's physical start */
#define REGION_BYTES (1ULL << 30)
#define MAPPED (REGION + PMD_PFN_SB_NS_OFFSET)	/* where the input lies */

struct fake_mem {
	const uint8_t *data;
	size_t size;
};

static int fm_read(void *priv, uint64_t paddr, void *buf, size_t len)
{
	struct fake_mem *m = priv;

	if (paddr < MAPPED || paddr - MAPPED > m->size || len > m->size - (paddr - MAPPED))
		return -1;
	memcpy(buf, m->data + (paddr - MAPPED), len);
	return 0;
}

static bool fm_present(void *priv, uint64_t pfn)
{
	struct fake_mem *m = priv;

	return pfn >= MAPPED / PAGE && pfn - MAPPED / PAGE < m->size / PAGE;
}

static int fm_read_page(void *priv, uint64_t pfn, void *buf)
{
	return fm_read(priv, pfn * PAGE, buf, PAGE);
}

static const struct physmem_ops fake_ops = {
	.read = fm_read,
	.present = fm_present,
	.read_page = fm_read_page,
};

/* nd_fletcher64 over 32-bit little-endian words, the checksum field as 0. */
static uint64_t checksum(const uint8_t *b)
{
	uint32_t lo = 0;
	uint64_t hi = 0;

	for (unsigned int i = 0; i < PMD_PFN_SB_CHECKSUM_OFF; i += 4) {
		lo += (uint32_t)b[i] | (uint32_t)b[i + 1] << 8 | (uint32_t)b[i + 2] << 16 |
		      (uint32_t)b[i + 3] << 24;
		hi += lo;
	}
	for (unsigned int i = PMD_PFN_SB_CHECKSUM_OFF; i < PAGE; i += 4)
		hi += lo;
	return hi << 32 | lo;
}

static void plan(const struct pmem_layout *pl)
{
	struct pfn_ranges present = { 0 };
	struct pmem_plan p;

	if (pfn_ranges_add(&present, REGION / PAGE, (REGION + REGION_BYTES) / PAGE) < 0)
		return;
	if (pmem_plan_make(&p, pl, &present, false, false) == 0)
		pmem_plan_free(&p);
	if (pmem_plan_make(&p, pl, &present, true, true) == 0)
		pmem_plan_free(&p);
	pfn_ranges_free(&present);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t page[MAX_PAGES * PAGE];
	struct elf_load load = {
		.paddr = REGION, .memsz = REGION_BYTES, .filesz = REGION_BYTES,
		.flags = PMD_PF_DEV | PF_R | PF_W,
	};
	struct vmcoreinfo vi;
	struct pmem_info_block ib;
	struct fake_mem mem;
	struct physmem pm = { .ops = &fake_ops, .priv = &mem };
	struct pmem_source src = { .loads = &load, .nr_loads = 1, .has_flags = true, .vmci = &vi, .pm = &pm };
	struct pmem_layout pl;
	struct log_ctx log;

	if (size > sizeof(page))
		return 0;
	memset(page, 0, sizeof(page));
	memcpy(page, data, size);
	pmem_info_block_parse(page, &ib);
	fuzz_put_le64(page + PMD_PFN_SB_CHECKSUM_OFF, checksum(page));
	pmem_info_block_parse(page, &ib);

	/* The input as it is, the first block's checksum made right. */
	fuzz_log_init(&log);
	memset(&vi, 0, sizeof(vi));
	vi.log = &log;
	pm.log = &log;
	mem.data = page;
	mem.size = (size + PAGE - 1) / PAGE * PAGE;
	if (pmem_layout_find(&pl, &src) == 0) {
		plan(&pl);
		pmem_layout_free(&pl);
	}
	fuzz_log_destroy(&log);
	return 0;
}
