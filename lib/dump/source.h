/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MDF_SRC_INPUT_H
#define MDF_SRC_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/pfn_ranges.h"
#include "dump/kdump/diskdump.h"
#include "elfcore/elfcore.h"
#include "kernel/physmem.h"

struct bitmap;

/*
 * What the filter reads: /proc/vmcore (or an ELF copy), or a dump
 * makedumpfile or we wrote in the kdump-compressed format (refiltering).
 * The rest of the program sees only this.
 */
struct dump_input {
	bool is_kdump;
	struct elfcore elf;
	struct diskdump dd;
	struct physmem pm;

	const uint8_t *notes;
	size_t notes_size;
	const char *vmcoreinfo;
	size_t vmcoreinfo_size;
	unsigned int nr_cpus;

	/*
	 * Memory ranges, as ELF PT_LOADs: an ELF input's own; for a kdump
	 * input, the runs of pages the dumped machine had (virtual addresses
	 * are filled in once the direct map is known).
	 */
	struct elf_load *loads;
	unsigned int nr_loads;
	uint64_t max_pfn;
};

int dump_input_open(struct dump_input *in, const char *path);
void dump_input_close(struct dump_input *in);

/* Give the synthesized ranges of a kdump input their direct-map addresses. */
void dump_input_set_direct_map(struct dump_input *in, uint64_t page_offset);

/* Set the bits, in @bm's window, of pages whose data the input holds. */
void dump_input_mark_present(const struct dump_input *in, struct bitmap *bm,
			     uint64_t max_mapnr);

/*
 * Set the bits of pages the dumped machine had (a kdump dump's 1st
 * bitmap). With @partial, a range ending mid-page holds that page.
 */
void dump_input_mark_held(const struct dump_input *in, struct bitmap *bm,
			  uint64_t max_mapnr, bool partial);

/* The pages of dump_input_mark_present(), as ranges, below @max_mapnr. */
int dump_input_present_ranges(const struct dump_input *in, uint64_t max_mapnr,
			      struct pfn_ranges *present);

/* Pages the memory ranges hold, a page two ranges hold counted twice. */
uint64_t dump_input_held_pages(const struct dump_input *in, uint64_t max_mapnr,
			       bool partial);

/* Pages of the dumped machine not in any memory range (makedumpfile's "Memory Hole"). */
uint64_t dump_input_memory_hole(const struct dump_input *in, uint64_t max_mapnr,
				bool partial);

#endif
