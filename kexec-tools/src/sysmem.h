/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KEXEC_SYSMEM_H
#define KEXEC_SYSMEM_H

/*
 * The first kernel's memory as /proc/iomem shows it, turned into what a
 * capture kernel load needs: the crash kernel range(s) and the e820 table
 * the capture kernel boots with (the table the kernel's own
 * crash_setup_memmap_entries() builds for kexec_file_load).
 */
#include <stdint.h>

#include "util/iomem.h"
#include "util/log.h"

struct mem_range {
	uint64_t start;		/* bytes, [start, end) */
	uint64_t end;
};

/*
 * Every "Crash kernel" node at any depth, ascending. With crashkernel=X,high
 * (or a fall-back above 4 GiB) there are two: the low one is crashk_low_res,
 * the highest is crashk_res, the only one kexec_load accepts segments in.
 */
struct crash_ranges {
	struct mem_range r[2];
	unsigned int nr;
};

static inline const struct mem_range *crash_main(const struct crash_ranges *cr)
{
	return &cr->r[cr->nr - 1];
}

/*
 * Nodes named exactly "Crash kernel". 0; -PMD_EIO "/proc/iomem shows no
 * addresses: run as root" when every node is 0-0 (checked first: a
 * non-root read shows "Crash kernel" too); -PMD_EUNSUPPORTED "no crash
 * kernel memory is reserved (boot with crashkernel=)" when there is none;
 * -PMD_ECORRUPT for more than two ranges, two that overlap, or one ending
 * at 2^64 - 1. On error @cr->nr is 0.
 */
int crash_ranges_find(const struct iomem_tree *t, struct crash_ranges *cr, struct log_ctx *log);

/* e820 types (arch/x86/include/asm/e820/types.h). */
enum {
	E820_RAM = 1,
	E820_RESERVED = 2,
	E820_ACPI = 3,
	E820_NVS = 4,
	E820_UNUSABLE = 5,
	E820_PMEM = 7,
	E820_PRAM = 12,
	E820_SOFT_RESERVED = 0xefffffff,
};

struct e820_ent {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

struct e820_map {
	struct e820_ent *e;
	unsigned int nr;
	unsigned int cap;
};

/*
 * The capture kernel's e820 into @m (overwritten; e820_free() it), sorted
 * by address, entries of one type that touch or overlap merged:
 * System RAM ("System RAM*") within [0, 1 MiB), clipped there; the low
 * crash range whole and the main one minus @keep (the ELF core header,
 * which must survive until /proc/vmcore has read it; NULL or empty: none)
 * as RAM, pieces under 4 KiB dropped; "ACPI Tables" 3; "ACPI Non-volatile
 * Storage" 4; "Reserved"/"reserved" 2; "Persistent Memory" 7; "Persistent
 * Memory (legacy)" 2 (so the capture kernel registers no e820_pmem device
 * for libnvdimm). Names are matched at any depth the way the kernel's
 * walk_iomem_res_desc() does: a match nested in a match is not counted
 * twice. Cutting @keep out splits at most one entry, so an e820 built
 * with @keep has at most one entry more than one built without.
 * 0, -PMD_EINVAL (no crash range in @cr), -PMD_ENOMEM.
 */
int e820_build(struct e820_map *m, const struct iomem_tree *t, const struct crash_ranges *cr,
	       const struct mem_range *keep, struct log_ctx *log);
void e820_free(struct e820_map *m);

/*
 * For a kernel loaded with -l: the firmware's own table, as the running
 * kernel booted with it, from "<root>/sys/firmware/memmap/N/{start,end,type}"
 * (end inclusive, type as e820_type_to_string() names it), in N order.
 * 0; -PMD_EUNSUPPORTED when the folder is missing (no CONFIG_FIRMWARE_MEMMAP);
 * -PMD_ECORRUPT for a value that does not parse or an unknown type.
 */
int e820_from_firmware(struct e820_map *m, const char *root, struct log_ctx *log);

/*
 * Bytes of System RAM ("System RAM*" at any depth, kmem included: the
 * kernel's identity map covers it) spanned, lowest start to highest end;
 * 0 when there is none (control pages).
 */
uint64_t sysmem_ram_span(const struct iomem_tree *t);

#endif
