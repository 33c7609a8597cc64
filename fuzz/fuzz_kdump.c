// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/dump/kdump/diskdump.c: a kdump-compressed dump. diskdump_open()
 * checks the headers, bitmaps and descriptors; pages are then read
 * through its physmem (copies across pages, pointers, whole pages) with
 * the file mapped and with pread only (--non-mmap), and the file is
 * opened as a dump source (lib/dump/kdump/kdump_source.c).
 */
#include <stdlib.h>
#include <string.h>

#include "dump/format.h"
#include "dump/kdump/diskdump.h"
#include "dump/source.h"
#include "fuzz.h"
#include "kernel/physmem.h"
#include "util/bitmap.h"
#include "util/log.h"

/* Pages read per input: the first dumped ones, and a few past the end. */
#define MAX_PAGES 32
#define WINDOW 65536

static void read_pages(struct diskdump *dd)
{
	struct physmem pm;
	struct kdump_page_desc pd;
	struct bitmap bm;
	unsigned int n = 0;
	uint64_t pfn;
	/* Reads straddle two pages. */
	uint8_t *buf = malloc(2 * (size_t)dd->page_size);

	if (!buf || bitmap_alloc(&bm, WINDOW) < 0) {
		free(buf);
		return;
	}
	diskdump_physmem(dd, &pm);
	/* The first window's pages: bitmap 1, then the dumped ones of bitmap 2. */
	bitmap_reset(&bm, 0, dd->max_mapnr < WINDOW ? dd->max_mapnr : WINDOW);
	diskdump_fill_bitmap(dd, 1, &bm);
	pfn = bitmap_next_set(&bm, 0);
	if (pfn < bm.end)
		diskdump_pfn_in_memory(dd, pfn);
	bitmap_reset(&bm, bm.start, bm.end);
	diskdump_fill_bitmap(dd, 2, &bm);
	for (pfn = bitmap_next_set(&bm, 0); pfn < bm.end && n < MAX_PAGES;
	     pfn = bitmap_next_set(&bm, pfn + 1), n++) {
		physmem_present(&pm, pfn);
		diskdump_page_desc(dd, pfn, &pd);
		physmem_read_page(&pm, pfn, buf);
		/* Straddle this page and the next, from the middle of it. */
		physmem_read(&pm, pfn * dd->page_size + dd->page_size / 2, buf, dd->page_size);
		physmem_ptr(&pm, pfn * dd->page_size + 8, 64);
	}
	/* Addresses the dump does not hold: excluded, past the end. */
	physmem_read(&pm, 0, buf, 16);
	physmem_read(&pm, dd->max_mapnr * dd->page_size, buf, 16);
	physmem_read(&pm, (dd->max_mapnr + 1000) * dd->page_size, buf, 16);
	physmem_ptr(&pm, (dd->max_mapnr + 1) * dd->page_size, 16);
	bitmap_free(&bm);
	free(buf);
}

static void read_diskdump(const char *path, bool no_mmap)
{
	struct dump_open_opts o = { .no_mmap = no_mmap };
	struct diskdump dd;
	struct log_ctx log;

	fuzz_log_init(&log);
	o.log = &log;
	if (diskdump_open(&dd, path, &o) == 0) {
		read_pages(&dd);
		diskdump_close(&dd);
	}
	fuzz_log_destroy(&log);
}

static void read_source(const char *path)
{
	struct dump_open_opts o = { 0 };
	struct dump_source src;
	struct log_ctx log;
	struct bitmap bm;

	fuzz_log_init(&log);
	o.log = &log;
	if (dump_source_open(&src, path, &o) == 0) {
		dump_source_set_direct_map(&src, 0xffff888000000000ULL);
		/* present_ranges, like open, walks every pfn: the run target calls it. */
		dump_source_memory_hole(&src, src.max_pfn, true);
		if (bitmap_alloc(&bm, WINDOW) == 0) {
			bitmap_reset(&bm, 0, src.max_pfn < WINDOW ? src.max_pfn : WINDOW);
			dump_source_mark_present(&src, &bm, src.max_pfn);
			dump_source_mark_held(&src, &bm, src.max_pfn, false);
			bitmap_free(&bm);
		}
		dump_source_close(&src);
	}
	fuzz_log_destroy(&log);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[FUZZ_PATH_MAX];
	int fd;

	if (size < 8 || !diskdump_signature_matches(data, size))
		return 0;	/* nothing else gets past the signature */
	fd = fuzz_file(data, size, path);
	read_diskdump(path, false);
	read_diskdump(path, true);
	read_source(path);
	fuzz_file_close(fd, path);
	return 0;
}
