// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/elfcore: an ELF core file. elfcore_open() checks the headers, the
 * notes are iterated, and physical memory is read through the PT_LOADs
 * every way the filter reads it (copies, peeks, pages, holes), then the
 * same file is opened as a dump source (lib/dump/elf/elf_source.c).
 */
#include <string.h>

#include "dump/format.h"
#include "dump/source.h"
#include "elfcore/elfcore.h"
#include "fuzz.h"
#include "util/bitmap.h"
#include "util/log.h"
#include "util/pfn_ranges.h"

/* Bytes read per PT_LOAD: enough for boundaries, not a whole machine. */
#define READ_MAX (3 * 4096)
#define MAX_LOADS 64

static uint8_t buf[READ_MAX + 4096];

static void read_load(struct elfcore *ec, const struct elf_load *l)
{
	uint64_t len = l->filesz < READ_MAX ? l->filesz : READ_MAX;
	const void *p;

	if (!l->filesz)
		return;
	elfcore_read_phys(ec, l->paddr, buf, len);
	/* The last bytes, and across into whatever follows. */
	elfcore_read_phys(ec, l->paddr + l->filesz - 1, buf, 1);
	elfcore_read_phys(ec, l->paddr + l->filesz - len, buf, len + 4096);
	p = elfcore_phys_peek(ec, l->paddr, len);
	if (p)
		memcpy(buf, p, len);
	p = elfcore_phys_peek(ec, l->paddr + l->filesz - 1, 1);
	if (p)
		buf[0] = *(const uint8_t *)p;
	p = elfcore_phys_ptr(ec, l->paddr, len);
	if (p)
		memcpy(buf, p, len);
	elfcore_phys_is_hole(ec, l->paddr, len);
	elfcore_phys_is_hole(ec, l->paddr + l->filesz - len, len);
	elfcore_find_load(ec, l->paddr + l->memsz);
}

static void read_elfcore(const char *path, int no_mmap)
{
	struct elfcore_open_opts o = { .no_mmap = no_mmap };
	struct elfcore_note note;
	struct log_ctx log;
	struct elfcore ec;
	size_t off = 0;
	unsigned int i;

	fuzz_log_init(&log);
	o.log = &log;
	if (elfcore_open(&ec, path, &o) == 0) {
		while (elfcore_note_next(ec.notes, ec.notes_size, &off, &note) > 0)
			elfcore_note_is(&note, "VMCOREINFO");
		for (i = 0; i < ec.nr_loads && i < MAX_LOADS; i++)
			read_load(&ec, &ec.loads[i]);
		if (ec.notes_size)
			elfcore_read_file(&ec, ec.note_phdr.p_offset, buf,
					  ec.notes_size < sizeof(buf) ? ec.notes_size : sizeof(buf));
		elfcore_close(&ec);
	}
	fuzz_log_destroy(&log);
}

/* The dump source on it: the memory ranges, present pages, page reads. */
static void read_source(const char *path)
{
	struct dump_open_opts o = { 0 };
	struct pfn_ranges present = { 0 };
	struct dump_source src;
	struct log_ctx log;
	struct bitmap bm;
	unsigned int i;

	fuzz_log_init(&log);
	o.log = &log;
	if (dump_source_open(&src, path, &o) == 0) {
		uint64_t max = src.max_pfn < 4096 ? src.max_pfn : 4096;

		dump_source_held_pages(&src, src.max_pfn, true);
		dump_source_memory_hole(&src, src.max_pfn, false);
		if (bitmap_alloc(&bm, 4096) == 0) {
			bitmap_reset(&bm, 0, max);
			dump_source_mark_present(&src, &bm, src.max_pfn);
			dump_source_mark_held(&src, &bm, src.max_pfn, true);
			bitmap_free(&bm);
		}
		dump_source_present_ranges(&src, src.max_pfn, &present);
		for (i = 0; i < present.nr && i < 8; i++) {
			uint64_t pfn = present.r[i].start;

			if (physmem_present(&src.pm, pfn))
				physmem_read_page(&src.pm, pfn, buf);
			physmem_known_zero(&src.pm, pfn << 12, 4096);
		}
		pfn_ranges_free(&present);
		dump_source_close(&src);
	}
	fuzz_log_destroy(&log);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[FUZZ_PATH_MAX];
	int fd = fuzz_file(data, size, path);

	read_elfcore(path, 0);
	read_elfcore(path, 1);
	read_source(path);
	fuzz_file_close(fd, path);
	return 0;
}
