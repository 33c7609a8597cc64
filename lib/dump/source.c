// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/bitmap.h"
#include "dump/source.h"
#include "util/fileio.h"
#include "util/log.h"

#define PAGE_SHIFT 12

static bool is_kdump_file(const char *path)
{
	uint8_t head[16];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool kdump;

	if (fd < 0)
		return false;	/* the ELF reader reports the error */
	kdump = pread_full(fd, head, sizeof(head), 0) == 0 &&
		diskdump_signature_matches(head, sizeof(head));
	close(fd);
	return kdump;
}

/* The runs of bitmap1 (pages the machine had), as memory ranges. */
static int kdump_ranges(struct dump_input *in)
{
	const struct diskdump *dd = &in->dd;
	unsigned int cap = 0;
	uint64_t pfn = 0;

	while (pfn < dd->max_mapnr) {
		uint64_t start;

		while (pfn < dd->max_mapnr && !diskdump_pfn_in_memory(dd, pfn))
			pfn++;
		if (pfn >= dd->max_mapnr)
			break;
		start = pfn;
		while (pfn < dd->max_mapnr && diskdump_pfn_in_memory(dd, pfn))
			pfn++;
		if (in->nr_loads == cap) {
			struct elf_load *grown;

			cap = cap ? cap * 2 : 16;
			grown = realloc(in->loads, cap * sizeof(*grown));
			if (!grown) {
				pr_err("out of memory\n");
				return -1;
			}
			in->loads = grown;
		}
		in->loads[in->nr_loads++] = (struct elf_load){
			.paddr = start << PAGE_SHIFT,
			.memsz = (pfn - start) << PAGE_SHIFT,
			.filesz = (pfn - start) << PAGE_SHIFT,
			.flags = PF_R | PF_W | PF_X,
		};
	}
	return 0;
}

static int open_kdump(struct dump_input *in, const char *path)
{
	if (diskdump_open(&in->dd, path) < 0)
		return -1;
	if (in->dd.page_size != 4096) {
		pr_err("%s: block size %u: only 4096-byte pages are supported\n", path,
		       in->dd.page_size);
		return -1;
	}
	if (!in->dd.vmcoreinfo) {
		pr_err("%s has no VMCOREINFO: it cannot be filtered again\n", path);
		return -1;
	}
	in->is_kdump = true;
	diskdump_physmem(&in->dd, &in->pm);
	in->notes = in->dd.notes;
	in->notes_size = in->dd.notes_size;
	in->vmcoreinfo = in->dd.vmcoreinfo;
	in->vmcoreinfo_size = in->dd.vmcoreinfo_size;
	in->nr_cpus = in->dd.nr_cpus;
	in->max_pfn = in->dd.max_mapnr;
	return kdump_ranges(in);
}

static int open_elf(struct dump_input *in, const char *path)
{
	unsigned int i;

	if (elfcore_open(&in->elf, path) < 0)
		return -1;
	elfcore_physmem(&in->elf, &in->pm);
	in->notes = in->elf.notes;
	in->notes_size = in->elf.notes_size;
	in->vmcoreinfo = in->elf.vmcoreinfo;
	in->vmcoreinfo_size = in->elf.vmcoreinfo_size;
	in->nr_cpus = in->elf.nr_prstatus;
	in->loads = in->elf.loads;
	in->nr_loads = in->elf.nr_loads;
	for (i = 0; i < in->nr_loads; i++) {
		uint64_t end = in->loads[i].paddr + in->loads[i].memsz;

		if (((end + 4095) >> PAGE_SHIFT) > in->max_pfn)
			in->max_pfn = (end + 4095) >> PAGE_SHIFT;
	}
	return 0;
}

int dump_input_open(struct dump_input *in, const char *path)
{
	int ret;

	memset(in, 0, sizeof(*in));
	in->elf.fd = -1;
	in->dd.fd = -1;
	ret = is_kdump_file(path) ? open_kdump(in, path) : open_elf(in, path);
	if (ret < 0)
		dump_input_close(in);
	return ret;
}

void dump_input_close(struct dump_input *in)
{
	if (in->is_kdump) {
		free(in->loads);
		diskdump_close(&in->dd);
	} else {
		elfcore_close(&in->elf);
	}
	memset(in, 0, sizeof(*in));
}

void dump_input_set_direct_map(struct dump_input *in, uint64_t page_offset)
{
	unsigned int i;

	if (!in->is_kdump)
		return;
	for (i = 0; i < in->nr_loads; i++)
		in->loads[i].vaddr = page_offset + in->loads[i].paddr;
}

static void held_range(const struct elf_load *l, uint64_t max_mapnr, bool partial,
		       uint64_t *start, uint64_t *end)
{
	*start = l->paddr >> PAGE_SHIFT;
	*end = (l->paddr + l->memsz) >> PAGE_SHIFT;
	if (*end > max_mapnr)
		*end = max_mapnr;
	if (partial && ((l->paddr + l->memsz) & 4095))
		(*end)++;
}

void dump_input_mark_held(const struct dump_input *in, struct bitmap *bm,
			  uint64_t max_mapnr, bool partial)
{
	uint64_t start, end;
	unsigned int i;

	if (in->is_kdump) {
		diskdump_fill_bitmap(&in->dd, 1, bm);
		return;
	}
	for (i = 0; i < in->nr_loads; i++) {
		held_range(&in->loads[i], max_mapnr, partial, &start, &end);
		bitmap_set_range(bm, start, end);
	}
}

/*
 * As makedumpfile 1.7.2 counts it: a page two PT_LOADs hold (the kernel
 * text is also in the direct map) counts twice, and, in its usual
 * one-pass mode, a segment ending mid-page (0x9fc00, below 640 KiB)
 * holds that page although it is not dumped.
 */
void dump_input_mark_present(const struct dump_input *in, struct bitmap *bm,
			     uint64_t max_mapnr)
{
	uint64_t start, end;
	unsigned int i;

	if (in->is_kdump) {
		diskdump_fill_bitmap(&in->dd, 2, bm);
		return;
	}
	/* Whole pages only: a segment's partial last page is not dumped. */
	for (i = 0; i < in->nr_loads; i++) {
		held_range(&in->loads[i], max_mapnr, false, &start, &end);
		bitmap_set_range(bm, start, end);
	}
}

int dump_input_present_ranges(const struct dump_input *in, uint64_t max_mapnr,
			      struct pfn_ranges *present)
{
	uint64_t start, end, pfn;
	unsigned int i;

	if (!in->is_kdump) {
		for (i = 0; i < in->nr_loads; i++) {
			held_range(&in->loads[i], max_mapnr, false, &start, &end);
			if (pfn_ranges_add(present, start, end) < 0)
				return -1;
		}
		return 0;
	}
	for (pfn = 0; pfn < max_mapnr;) {
		while (pfn < max_mapnr && !diskdump_pfn_dumped(&in->dd, pfn))
			pfn++;
		start = pfn;
		while (pfn < max_mapnr && diskdump_pfn_dumped(&in->dd, pfn))
			pfn++;
		if (pfn_ranges_add(present, start, pfn) < 0)
			return -1;
	}
	return 0;
}

uint64_t dump_input_held_pages(const struct dump_input *in, uint64_t max_mapnr,
			       bool partial)
{
	uint64_t held = 0, start, end;
	unsigned int i;

	for (i = 0; i < in->nr_loads; i++) {
		held_range(&in->loads[i], max_mapnr, partial, &start, &end);
		if (start < end)
			held += end - start;
	}
	return held;
}

uint64_t dump_input_memory_hole(const struct dump_input *in, uint64_t max_mapnr,
				bool partial)
{
	uint64_t held = dump_input_held_pages(in, max_mapnr, partial);

	return held > max_mapnr ? 0 : max_mapnr - held;
}
