// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A kdump-compressed dump (makedumpfile's or ours) as a dump source, to
 * be filtered again or turned into ELF. Its memory ranges are rebuilt
 * from the 1st bitmap; its page data is what the 2nd bitmap says.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "dump/kdump/diskdump.h"
#include "dump/source.h"
#include "util/bitmap.h"
#include "util/log.h"
#include "util/pfn_ranges.h"

#define PAGE_SHIFT 12

static int kdump_probe(const uint8_t *head, size_t len)
{
	return diskdump_signature_matches(head, len) ? 0 : -PMD_ENOTFMT;
}

/* The runs of bitmap1 (pages the machine had), as memory ranges. */
static int kdump_ranges(struct dump_source *src, const struct diskdump *dd)
{
	unsigned int cap = 0;
	uint64_t pfn = 0;

	while (pfn < dd->max_mapnr) {
		uint64_t start = diskdump_find_bit(dd, 1, pfn, dd->max_mapnr, true);

		if (start >= dd->max_mapnr)
			break;
		pfn = diskdump_find_bit(dd, 1, start, dd->max_mapnr, false);
		if (src->nr_loads == cap) {
			struct elf_load *grown;

			cap = cap ? cap * 2 : 16;
			grown = realloc(src->loads, cap * sizeof(*grown));
			if (!grown)
				return log_fail(dd->log, PMD_ENOMEM, "out of memory");
			src->loads = grown;
		}
		src->loads[src->nr_loads++] = (struct elf_load){
			.paddr = start << PAGE_SHIFT,
			.memsz = (pfn - start) << PAGE_SHIFT,
			.filesz = (pfn - start) << PAGE_SHIFT,
			.flags = PF_R | PF_W | PF_X,
		};
	}
	return 0;
}

static void kdump_close(struct dump_source *src)
{
	free(src->loads);
	diskdump_close(src->priv);
	free(src->priv);
}

static int kdump_open(struct dump_source *src, const char *path, const struct dump_open_opts *o)
{
	struct diskdump *dd = calloc(1, sizeof(*dd));
	int ret;

	if (!dd)
		return log_fail(o->log, PMD_ENOMEM, "out of memory");
	ret = diskdump_open(dd, path, o);
	if (ret < 0) {
		free(dd);
		return ret;
	}
	src->priv = dd;
	if (dd->page_size != 4096)
		ret = log_fail(o->log, PMD_EUNSUPPORTED,
			       "%s: block size %u: only 4096-byte pages are supported", path,
			       dd->page_size);
	else if (!dd->vmcoreinfo)
		ret = log_fail(o->log, PMD_ECORRUPT,
			       "%s has no VMCOREINFO: it cannot be filtered again", path);
	if (!ret) {
		diskdump_physmem(dd, &src->pm);
		src->notes = dd->notes;
		src->notes_size = dd->notes_size;
		src->vmcoreinfo = dd->vmcoreinfo;
		src->vmcoreinfo_size = dd->vmcoreinfo_size;
		src->nr_cpus = dd->nr_cpus;
		src->max_pfn = dd->max_mapnr;
		ret = kdump_ranges(src, dd);
	}
	if (ret < 0)
		kdump_close(src);
	return ret;
}

static void kdump_set_direct_map(struct dump_source *src, uint64_t page_offset)
{
	unsigned int i;

	for (i = 0; i < src->nr_loads; i++)
		src->loads[i].vaddr = page_offset + src->loads[i].paddr;
}

static void kdump_mark_present(const struct dump_source *src, struct bitmap *bm,
			       uint64_t max_mapnr)
{
	diskdump_fill_bitmap(src->priv, 2, bm);
}

static void kdump_mark_held(const struct dump_source *src, struct bitmap *bm,
			    uint64_t max_mapnr, bool partial)
{
	diskdump_fill_bitmap(src->priv, 1, bm);
}

static int kdump_present_ranges(const struct dump_source *src, uint64_t max_mapnr,
				struct pfn_ranges *present)
{
	const struct diskdump *dd = src->priv;
	uint64_t start, pfn;
	int ret;

	for (pfn = 0; pfn < max_mapnr;) {
		start = diskdump_find_bit(dd, 2, pfn, max_mapnr, true);
		pfn = diskdump_find_bit(dd, 2, start, max_mapnr, false);
		if ((ret = pfn_ranges_add(present, start, pfn)) < 0)
			return ret;
	}
	return 0;
}

const struct dump_format_ops dump_format_kdump = {
	.name = "kdump-compressed",
	.probe = kdump_probe,
	.open = kdump_open,
	.close = kdump_close,
	.set_direct_map = kdump_set_direct_map,
	.mark_present = kdump_mark_present,
	.mark_held = kdump_mark_held,
	.present_ranges = kdump_present_ranges,
};
