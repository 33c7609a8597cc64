/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_DUMP_KDUMP_KDUMP_WRITER_H
#define PMD_DUMP_KDUMP_KDUMP_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/pfn_ranges.h"
#include "dump/compress.h"
#include "dump/kdump/kdump_format.h"
#include "dump/page_batch.h"
#include "dump/sink.h"

struct bitmap;
struct output_sink;
struct page_counts;
struct physmem;
struct pfn_ranges;
struct progress;

/* What the caller knows of the dump; see output/kdump_format.h for the layout. */
struct kdump_params {
	const struct output_sink *out;
	const struct physmem *pm;	/* page data, read by physical address */
	enum compression compression;
	unsigned int page_size;
	uint64_t max_mapnr;
	unsigned int dump_level;	/* -d; bit DL_EXCLUDE_ZERO drops zero pages here */
	uint64_t phys_base;
	/* The kernel's utsname; empty sysname/machine become "Linux"/"x86_64". */
	struct kdump_utsname utsname;
	int64_t crash_time;		/* VMCOREINFO CRASHTIME, 0 if unknown */
	unsigned int nr_cpus;		/* number of NT_PRSTATUS notes */
	/* All PT_NOTE contents of the input, copied as they are. */
	const void *notes;
	size_t notes_size;
	/* VMCOREINFO's descriptor (its text) inside @notes; size 0: none. */
	size_t vmcoreinfo_offset;
	size_t vmcoreinfo_size;
	/*
	 * Set bits of the 2nd bitmap over the whole dump, counted before any
	 * zero-page check (makedumpfile's get_num_dumpable): one page
	 * descriptor each, and page data starts after them.
	 */
	uint64_t nr_dumpable;
	unsigned int threads;		/* --num-threads; 0 compresses inline */
	/*
	 * Whether makedumpfile 1.7.2 would run in its cyclic mode; the rule
	 * is reference_is_cyclic() in makedumpfile/src/dump.c. This writer's
	 * file is the same either way; only the "Write bytes" count differs:
	 * in one cycle makedumpfile writes each bitmap padded to its block
	 * boundary, cyclically only ceil(max_mapnr / 8) bytes of each.
	 */
	bool cyclic;
	struct progress *progress;	/* optional, advanced by pfn */
	/* Pages never dropped as zero pages (pmem metadata); may be NULL. */
	const struct pfn_ranges *keep;
};

#define KDUMP_MAX_THREADS 128

/* A region of the file written front to back through a buffer. */

struct kdump_writer {
	struct kdump_params p;
	struct kdump_disk_header dh;
	struct kdump_sub_header kh;
	uint64_t bitmap_half;		/* bytes of each bitmap, whole blocks */
	uint64_t desc_off;
	uint64_t data_off;

	struct sink_stream bitmap1;
	struct sink_stream bitmap2;
	struct sink_stream descs;
	struct sink_stream data;
	struct kdump_page_desc zero_desc;
	uint8_t *zero_page;		/* stands for input known to read as zeros */

	/*
	 * A ring of batches: one being filled, the others with the workers,
	 * so a worker that the scheduler holds back stalls nobody for long.
	 */
	struct page_pool pool;
	struct page_batch batch[PAGE_POOL_QUEUE];
	bool in_flight[PAGE_POOL_QUEUE];
	unsigned int cur;		/* the batch being filled */

	uint64_t next_pfn;		/* where the bitmaps are written up to */
	uint64_t bitmap_off;		/* of the 1st bitmap */
	struct pfn_ranges_cursor keep;
	uint64_t descs_written;
	uint64_t write_bytes;		/* counted as makedumpfile counts them */
	struct page_counts *cnt;	/* of the window being written */
	bool ready;
};

/*
 * Write the headers and notes; the header says "incomplete" until
 * kdump_writer_finish(). 0, or -1 with an error printed.
 */
int kdump_writer_begin(struct kdump_writer *w, const struct kdump_params *p);

/*
 * Write the pfns of one window: the bitmaps' bytes, then every pfn set in
 * @dumpable, compressed (or the shared zero page, counted in cnt->zero).
 * Windows come in increasing order and start at a multiple of 8 pfns;
 * @present and @dumpable cover the same window. Pfns between windows
 * are neither present nor dumped: their bitmap bytes stay holes, so a
 * skipped range costs nothing however large it is.
 */
int kdump_writer_window(struct kdump_writer *w, const struct bitmap *present,
			const struct bitmap *dumpable, struct page_counts *cnt);

/*
 * Flush, then mark the header complete. *write_bytes gets the bytes
 * written, counted as makedumpfile's report counts them.
 */
int kdump_writer_finish(struct kdump_writer *w, uint64_t *write_bytes);

/* Release threads and buffers, after finish or after an error. */
void kdump_writer_free(struct kdump_writer *w);

#endif
