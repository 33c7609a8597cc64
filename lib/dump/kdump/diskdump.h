/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_DUMP_KDUMP_DISKDUMP_H
#define PMD_DUMP_KDUMP_DISKDUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dump/compress.h"
#include "dump/kdump/kdump_format.h"

struct bitmap;
struct dump_open_opts;
struct log_ctx;
struct physmem;

#define DISKDUMP_CACHE_PAGES 8

struct diskdump_cached_page {
	uint64_t pfn;
	uint8_t *page;
	bool valid;
};

/*
 * A kdump-compressed dump (makedumpfile's or ours) opened for reading.
 * Everything the headers say is checked against the file size when it is
 * opened; page data is checked when a page is read. The file is mapped
 * when possible (not with --non-mmap).
 */
struct diskdump {
	struct log_ctx *log;
	bool no_mmap;
	int fd;
	char *path;
	uint64_t size;
	const uint8_t *map;

	struct kdump_disk_header dh;
	struct kdump_sub_header kh;	/* fields past header_version are 0 */
	unsigned int page_size;		/* = block_size */
	uint64_t max_mapnr;
	uint64_t phys_base;
	unsigned int dump_level;
	unsigned int nr_cpus;

	/* The ELF notes as the dumped kernel left them, and VMCOREINFO's text. */
	uint8_t *notes;
	size_t notes_size;
	const char *vmcoreinfo;
	size_t vmcoreinfo_size;
	uint8_t *vmcoreinfo_copy;	/* when it is not inside the notes */

	/* Bitmaps, LSB first, ceil(max_mapnr / 8) bytes each. */
	uint8_t *bitmap1;		/* pfns present in the dumped machine */
	uint8_t *bitmap2;		/* pfns whose data is in the file */
	uint64_t bitmap_bytes;
	uint64_t nr_dumped;		/* set bits of bitmap2 = descriptors */
	uint64_t *rank;			/* set bits of bitmap2 before each 512 pfns */
	uint64_t desc_off;

	struct page_decompressor dec;
	uint8_t *scratch;		/* compressed bytes, without a mapping */
	struct diskdump_cached_page cache[DISKDUMP_CACHE_PAGES];
	unsigned int cache_next;
};

/* Does a file starting with @head (at least 8 bytes) look like one? */
bool diskdump_signature_matches(const void *head, size_t len);

/* 0, or -PMD_E* recorded in @o->log (ENOTFMT: no kdump signature). */
int diskdump_open(struct diskdump *dd, const char *path, const struct dump_open_opts *o);
void diskdump_close(struct diskdump *dd);

/* 1st bitmap: the pfn exists in the dumped machine's memory. */
bool diskdump_pfn_in_memory(const struct diskdump *dd, uint64_t pfn);
/* 2nd bitmap: the pfn's data is in the file. */
bool diskdump_pfn_dumped(const struct diskdump *dd, uint64_t pfn);
/*
 * The first pfn in [@pfn, @end) whose bit in bitmap @which (1 or 2) is
 * @set, else @end. Runs of the other value are skipped a word at a time,
 * so scanning a large machine's bitmaps stays cheap.
 */
uint64_t diskdump_find_bit(const struct diskdump *dd, int which, uint64_t pfn, uint64_t end,
			   bool set);

/* Set in @bm (already reset to its window) the bits of bitmap 1 or 2. */
void diskdump_fill_bitmap(const struct diskdump *dd, int which, struct bitmap *bm);

/* The descriptor of a dumped pfn. 0, or -1 with an error printed. */
int diskdump_page_desc(struct diskdump *dd, uint64_t pfn, struct kdump_page_desc *pd);

/* One page's bytes. 0, or -1 with an error printed (excluded, corrupt). */
int diskdump_read_page(struct diskdump *dd, uint64_t pfn, void *buf);

void diskdump_physmem(struct diskdump *dd, struct physmem *pm);

#endif
