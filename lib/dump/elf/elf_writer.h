/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_DUMP_ELF_ELF_WRITER_H
#define PMD_DUMP_ELF_ELF_WRITER_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dump/sink.h"

struct bitmap;
struct elf_load;
struct physmem;
struct progress;

/*
 * ELF dump writer with makedumpfile's segment layout: each input PT_LOAD
 * becomes one or more PT_LOADs, split where 256 or more contiguous pages
 * are excluded. Shorter excluded runs stay inside a segment (so crash sees
 * one contiguous range) but their bytes are written as zeros: an excluded
 * page never reaches the file.
 *
 * The same state machine runs twice: once to count the segments (the
 * headers come first in the file), once to write them.
 */
struct elf_writer {
	bool counting;
	const struct physmem *pm;
	const struct output_sink *out;
	unsigned int page_size;

	unsigned int nr_segments;	/* counted, or written so far */
	uint64_t phdr_off;
	uint64_t data_end;		/* end of written data: the file size */
	uint64_t pages_dropped;		/* pages really left out of the file */
	uint64_t next_pfn;		/* next pfn of the load to consume */

	/* The input PT_LOAD being converted. */
	const struct elf_load *load;
	uint64_t pfn_start;
	uint64_t pfn_end;
	uint64_t frac_tail;

	/* The output segment under construction. */
	Elf64_Phdr seg;
	uint64_t memsz;
	uint64_t filesz;
	uint64_t excluded_run;

	struct progress *progress;	/* optional, advanced by pages consumed */
	uint64_t pages_seen;

	/* Contiguous input bytes still to copy: read in one go. */
	uint64_t copy_paddr;
	uint64_t copy_off;
	size_t copy_len;

	struct sink_stream data;	/* the segments' bytes, in file order */
};

#define ELF_SPLIT_PAGES 256

int elf_writer_init(struct elf_writer *w, const struct physmem *pm, bool counting);
void elf_writer_free(struct elf_writer *w);

/* Writing pass: the ELF header, the PT_NOTE and its notes. */
int elf_writer_begin(struct elf_writer *w, const struct output_sink *out,
		     const void *notes, size_t notes_size, unsigned int nr_segments);

/* Bytes written, as makedumpfile counts them (its header area twice). */
uint64_t elf_writer_bytes(const struct elf_writer *w);

/* Page frames of @l that the writer will walk: [*start, *end). */
void elf_load_pfn_range(const struct elf_load *l, unsigned int page_size,
			uint64_t *start, uint64_t *end);

int elf_writer_load_begin(struct elf_writer *w, const struct elf_load *l);
/* Consume the pfns of the current load inside @bm's window. */
int elf_writer_window(struct elf_writer *w, const struct bitmap *bm);
/* Treat the load's pfns from the last one consumed up to @end as excluded. */
void elf_writer_skip_to(struct elf_writer *w, uint64_t end);
int elf_writer_load_end(struct elf_writer *w);
int elf_writer_finish(struct elf_writer *w);

#endif
