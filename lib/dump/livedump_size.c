// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The size of the live dump a running kernel would write. The constants
 * are kernel/livedump.c's (kernel-patches/, series 2): its image is the
 * header area, then every System RAM range back to back, then the pmem
 * pieces it captures.
 */
#include <limits.h>
#include <string.h>

#include "dump/livedump_size.h"
#include "util/iomem.h"
#include "util/pfn_ranges.h"
#include "util/sysfs.h"

#define LIVEDUMP_SYSFS "/sys/kernel/livedump"
#define CPU_POSSIBLE "/sys/devices/system/cpu/possible"
#define PAGE_SIZE 4096ULL

/* Elf64_Ehdr, Elf64_Phdr, struct elf_note: the sizes ld_write_header() uses. */
#define EHDR_BYTES 64
#define PHDR_BYTES 56
#define NHDR_BYTES 12
/* ld_notes_max(): per CPU "CORE" and elf_prstatus; VMCOREINFO; the LIVEDUMP text. */
#define PRSTATUS_NOTE_BYTES (NHDR_BYTES + 8 + 336)
#define VMCOREINFO_NOTE_BYTES (NHDR_BYTES + 12 + 4096 + 64)
#define LIVEDUMP_NOTE_BYTES (NHDR_BYTES + 12 + 16384)
/* LD_INFO_BLOCK: the zero page and info block before a device memmap. */
#define INFO_BLOCK_PAGES 2
/* Enough bits for any NR_CPUS a distribution builds with. */
#define MAX_CPUS 8192

int livedump_possible_cpus(const char *root, uint64_t *n, struct log_ctx *log)
{
	uint64_t bits[MAX_CPUS / 64];
	char line[SYSFS_LINE_MAX];
	int ret;

	if ((ret = sysfs_read_line(root, CPU_POSSIBLE, line, sizeof(line), log)) < 0 ||
	    (ret = sysfs_parse_cpulist(line, bits, MAX_CPUS, CPU_POSSIBLE, log)) < 0)
		return ret;
	for (*n = MAX_CPUS; *n && !(bits[(*n - 1) / 64] & (1ULL << ((*n - 1) % 64))); (*n)--)
		;
	return 0;
}

uint64_t livedump_header_bytes(uint64_t nr_cpus, uint64_t nr_loads)
{
	uint64_t notes = nr_cpus * PRSTATUS_NOTE_BYTES + VMCOREINFO_NOTE_BYTES +
			 LIVEDUMP_NOTE_BYTES + NHDR_BYTES;
	/* The kernel text's PT_LOAD and the PT_NOTE besides one per range. */
	uint64_t h = EHDR_BYTES + (nr_loads + 2) * PHDR_BYTES + notes;

	return (h + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

/* Is @n inside a node named @name (with @prefix: whose name starts so)? */
static bool under(const struct iomem_node *n, const char *name, bool prefix)
{
	for (n = n->parent; n; n = n->parent)
		if (prefix ? !strncmp(n->name, name, strlen(name)) : !strcmp(n->name, name))
			return true;
	return false;
}

int livedump_read_iomem(const char *path, struct livedump_iomem *io, struct log_ctx *log)
{
	const struct iomem_node *n = NULL;
	struct iomem_tree t;
	int ret;

	memset(io, 0, sizeof(*io));
	if ((ret = iomem_read(&t, path, log)) < 0)
		return ret;
	/* Read as non-root, every range is 00000000-00000000. */
	while ((n = iomem_next(&t, n, "System RAM"))) {
		if (strcmp(n->name, "System RAM") || under(n, "System RAM", false) || n->end < n->start ||
		    !n->end)
			continue;
		io->ram_bytes += n->end - n->start + 1;
		io->nr_ram++;
	}
	while ((n = iomem_next(&t, n, "Persistent Memory")))
		if (n->end >= n->start && n->end && !under(n, "Persistent Memory", true))
			io->pmem_bytes += n->end - n->start + 1;
	iomem_free(&t);
	if (!io->ram_bytes)
		return log_fail(log, PMD_EIO, "%s shows no System RAM (run as root)", path);
	return 0;
}

/*
 * ld_add_memmap(): each device memmap inside a pmem region is captured
 * with the two pages before it (not below what is captured already), and
 * splits the uncaptured piece around it. The pages captured; *@pieces,
 * the PT_LOADs of the region.
 */
static uint64_t pmem_captured(const struct pfn_range *region, const struct pfn_ranges *meta,
			      uint64_t *pieces)
{
	uint64_t pages = 0, from = region->start;

	*pieces = 1;
	for (unsigned int i = 0; i < meta->nr; i++) {
		const struct pfn_range *m = &meta->r[i];
		uint64_t start;

		if (m->start < from || m->end > region->end)
			continue;
		start = m->start >= from + INFO_BLOCK_PAGES ? m->start - INFO_BLOCK_PAGES : from;
		*pieces += (start > from) + (m->end < region->end);
		pages += m->end - start;
		from = m->end;
	}
	return pages;
}

int livedump_size_estimate(struct livedump_size *ls, const char *root,
			   const struct pfn_ranges *pmem_regions,
			   const struct pfn_ranges *pmem_meta, struct log_ctx *log)
{
	struct livedump_iomem io;
	uint64_t cpus, nr_pmem = 0;
	char path[PATH_MAX];
	int ret;

	memset(ls, 0, sizeof(*ls));
	if (!root)
		root = "";
	if (!sysfs_exists(root, LIVEDUMP_SYSFS))
		return 0;
	if ((ret = sysfs_read_dec(root, LIVEDUMP_SYSFS "/recommended_buffer_mb", &ls->buffer_mb,
				  log)) < 0 ||
	    (ret = livedump_possible_cpus(root, &cpus, log)) < 0 ||
	    (ret = sysfs_path(path, sizeof(path), root, "/proc/iomem", log)) < 0 ||
	    (ret = livedump_read_iomem(path, &io, log)) < 0)
		return ret;
	ls->ram_bytes = io.ram_bytes;
	for (unsigned int i = 0; i < pmem_regions->nr; i++) {
		uint64_t pieces;

		ls->pmem_pages += pmem_captured(&pmem_regions->r[i], pmem_meta, &pieces);
		nr_pmem += pieces;
	}
	ls->header_bytes = livedump_header_bytes(cpus, io.nr_ram + nr_pmem);
	ls->image_bytes = ls->header_bytes + ls->ram_bytes + ls->pmem_pages * PAGE_SIZE;
	return 1;
}
