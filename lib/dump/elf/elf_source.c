// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ELF cores as dump sources: /proc/vmcore or a copy of it, and the
 * running system's /proc/kcore. Page data is read through the PT_LOADs.
 */
#include <stdlib.h>
#include <string.h>

#include "dump/source.h"
#include "elfcore/elfcore.h"
#include "kernel/physmem.h"
#include "util/bitmap.h"
#include "util/log.h"
#include "util/pfn_ranges.h"

static bool ec_known_zero(void *priv, uint64_t paddr, size_t len)
{
	return elfcore_phys_is_hole(priv, paddr, len);
}

static const void *ec_peek(void *priv, uint64_t paddr, size_t len)
{
	return elfcore_phys_peek(priv, paddr, len);
}

static int ec_read(void *priv, uint64_t paddr, void *buf, size_t len)
{
	return elfcore_read_phys(priv, paddr, buf, len);
}

/* As mark_present: a page past a PT_LOAD's file size is there, as zeros. */
static bool ec_present(void *priv, uint64_t pfn)
{
	return elfcore_phys_held(priv, pfn << 12);
}

static const void *ec_ptr(void *priv, uint64_t paddr, size_t len)
{
	return elfcore_phys_ptr(priv, paddr, len);
}

static int ec_read_page(void *priv, uint64_t pfn, void *buf)
{
	struct elfcore *ec = priv;
	uint64_t paddr = pfn << 12, end = paddr + 4096;
	uint8_t *out = buf;

	memset(buf, 0, 4096);
	while (paddr < end) {
		const struct elf_load *l = elfcore_find_load(ec, paddr);
		uint64_t chunk;

		if (!l) {
			paddr = (paddr | 0xfff) + 1;	/* a hole: leave it zero */
			continue;
		}
		chunk = l->filesz - (paddr - l->paddr);
		if (chunk > end - paddr)
			chunk = end - paddr;
		if (elfcore_read_file(ec, l->offset + (paddr - l->paddr),
				      out + (paddr & 0xfff), chunk) < 0)
			return -1;
		paddr += chunk;
	}
	return 0;
}

static const struct physmem_ops elfcore_physmem_ops = {
	.read = ec_read,
	.present = ec_present,
	.ptr = ec_ptr,
	.peek = ec_peek,
	.known_zero = ec_known_zero,
	.read_page = ec_read_page,
};

static void elfcore_physmem(struct elfcore *ec, struct physmem *pm)
{
	pm->ops = &elfcore_physmem_ops;
	pm->priv = ec;
	pm->log = ec->log;
}

static int elf_probe(const uint8_t *head, size_t len)
{
	return len >= SELFMAG && !memcmp(head, ELFMAG, SELFMAG) ? 0 : -PMD_ENOTFMT;
}

/* Open the core; a kcore is only taken by the format that wants one. */
static int open_core(struct dump_source *src, const char *path, const struct dump_open_opts *o,
		     bool live)
{
	struct elfcore_open_opts eo = { .log = o->log, .no_mmap = o->no_mmap };
	struct elfcore *ec = calloc(1, sizeof(*ec));
	unsigned int i;
	int ret;

	if (!ec)
		return log_fail(o->log, PMD_ENOMEM, "out of memory");
	ret = elfcore_open(ec, path, &eo);
	if (!ret && ec->live != live)
		ret = -PMD_ENOTFMT;
	if (!ret && !ec->vmcoreinfo)
		ret = log_fail(o->log, PMD_ECORRUPT,
			       "%s has no VMCOREINFO note: not a kdump vmcore, a kernel without CONFIG_CRASH_CORE, or a QEMU dump of a guest without -device vmcoreinfo and its qemu_fw_cfg driver",
			       path);
	if (ret < 0) {
		if (ec->fd >= 0)
			elfcore_close(ec);
		free(ec);
		return ret;
	}
	src->priv = ec;
	src->flags = DUMP_SRC_PT_LOADS | (live ? DUMP_SRC_LIVE : 0);
	elfcore_physmem(ec, &src->pm);
	src->notes = ec->notes;
	src->notes_size = ec->notes_size;
	src->vmcoreinfo = ec->vmcoreinfo;
	src->vmcoreinfo_size = ec->vmcoreinfo_size;
	src->nr_cpus = ec->nr_prstatus;
	src->loads = ec->loads;
	src->nr_loads = ec->nr_loads;
	for (i = 0; i < src->nr_loads; i++) {
		uint64_t end = src->loads[i].paddr + src->loads[i].memsz;

		if (((end + 4095) >> 12) > src->max_pfn)
			src->max_pfn = (end + 4095) >> 12;
	}
	return 0;
}

static int elf_open(struct dump_source *src, const char *path, const struct dump_open_opts *o)
{
	return open_core(src, path, o, false);
}

static int kcore_open(struct dump_source *src, const char *path, const struct dump_open_opts *o)
{
	return open_core(src, path, o, true);
}

static void elf_close(struct dump_source *src)
{
	elfcore_close(src->priv);
	free(src->priv);
}

static void elf_mark_held(const struct dump_source *src, struct bitmap *bm, uint64_t max_mapnr,
			  bool partial)
{
	uint64_t start, end;
	unsigned int i;

	for (i = 0; i < src->nr_loads; i++) {
		dump_source_load_pages(&src->loads[i], max_mapnr, partial, &start, &end);
		bitmap_set_range(bm, start, end);
	}
}

/* Whole pages only: a segment's partial last page is not dumped. */
static void elf_mark_present(const struct dump_source *src, struct bitmap *bm,
			     uint64_t max_mapnr)
{
	elf_mark_held(src, bm, max_mapnr, false);
}

static int elf_present_ranges(const struct dump_source *src, uint64_t max_mapnr,
			      struct pfn_ranges *present)
{
	uint64_t start, end;
	unsigned int i;
	int ret;

	for (i = 0; i < src->nr_loads; i++) {
		dump_source_load_pages(&src->loads[i], max_mapnr, false, &start, &end);
		if ((ret = pfn_ranges_add(present, start, end)) < 0)
			return ret;
	}
	return 0;
}

const struct dump_format_ops dump_format_elf = {
	.name = "ELF vmcore",
	.probe = elf_probe,
	.open = elf_open,
	.close = elf_close,
	.mark_present = elf_mark_present,
	.mark_held = elf_mark_held,
	.present_ranges = elf_present_ranges,
};

/*
 * /proc/kcore: segments without a physical address (vmalloc, vmemmap)
 * are left out by the reader; only --mem-usage reads a live system.
 */
const struct dump_format_ops dump_format_kcore = {
	.name = "/proc/kcore",
	.probe = elf_probe,
	.open = kcore_open,
	.close = elf_close,
	.mark_present = elf_mark_present,
	.mark_held = elf_mark_held,
	.present_ranges = elf_present_ranges,
};
