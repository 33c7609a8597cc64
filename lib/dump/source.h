/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_DUMP_SOURCE_H
#define PMD_DUMP_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dump/format.h"
#include "dump/livedump_note.h"
#include "elfcore/elfcore.h"
#include "kernel/physmem.h"

struct bitmap;
struct pfn_ranges;
struct pmem_files;

/*
 * What the filter reads: /proc/vmcore (or an ELF copy), /proc/kcore, or a
 * dump makedumpfile or we wrote in the kdump-compressed format. The
 * format behind it is reached through its ops only.
 */
struct dump_source {
	const struct dump_format_ops *format;
	void *priv;			/* the format's reader */
	unsigned int flags;		/* enum dump_source_flags */
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

	/*
	 * A live dump's note, when the notes hold one (a running kernel's
	 * image, not a crash's); an unfinished one is never opened.
	 */
	bool is_livedump;
	struct livedump_note livedump;

	/* What dump_source_add_pmem() made (dump/pmem_input.h), for close. */
	struct elf_load *pmem_loads;
	struct pmem_files *pmem_files;
};

/*
 * Open @path with the first format whose probe and open accept it. When
 * none does, the ELF reader's diagnosis is the error (most inputs are
 * meant to be vmcores). A live dump that did not finish, or whose
 * LIVEDUMP note is corrupt, is refused whatever its format: its pages
 * are not a capture. 0, or -PMD_E* recorded in @o->log.
 */
int dump_source_open(struct dump_source *src, const char *path, const struct dump_open_opts *o);
void dump_source_close(struct dump_source *src);

static inline bool dump_source_has(const struct dump_source *src, enum dump_source_flags f)
{
	return (src->flags & f) != 0;
}

static inline void dump_source_set_direct_map(struct dump_source *src, uint64_t page_offset)
{
	if (src->format->set_direct_map)
		src->format->set_direct_map(src, page_offset);
}

static inline void dump_source_mark_present(const struct dump_source *src, struct bitmap *bm,
					    uint64_t max_mapnr)
{
	src->format->mark_present(src, bm, max_mapnr);
}

static inline void dump_source_mark_held(const struct dump_source *src, struct bitmap *bm,
					 uint64_t max_mapnr, bool partial)
{
	src->format->mark_held(src, bm, max_mapnr, partial);
}

static inline int dump_source_present_ranges(const struct dump_source *src, uint64_t max_mapnr,
					     struct pfn_ranges *present)
{
	return src->format->present_ranges(src, max_mapnr, present);
}

/* The pages a memory range holds, below @max_mapnr; @partial counts a partial last page. */
void dump_source_load_pages(const struct elf_load *l, uint64_t max_mapnr, bool partial,
			    uint64_t *start, uint64_t *end);

/* Pages the memory ranges hold, a page two ranges hold counted twice. */
uint64_t dump_source_held_pages(const struct dump_source *src, uint64_t max_mapnr, bool partial);

/* Pages of the dumped machine not in any memory range (makedumpfile's "Memory Hole"). */
uint64_t dump_source_memory_hole(const struct dump_source *src, uint64_t max_mapnr, bool partial);

#endif
