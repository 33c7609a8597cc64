/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_DUMP_LIVEDUMP_SIZE_H
#define PMD_DUMP_LIVEDUMP_SIZE_H

#include <stdint.h>

struct log_ctx;
struct pfn_ranges;

/*
 * The size of the image a running kernel with live dump (kernel series 2,
 * /sys/kernel/livedump) would write, laid out as kernel/livedump.c lays
 * it out (doc/livedump-design.md, "The image"): makedumpfile --mem-usage
 * says it before a dump is started.
 */
struct livedump_size {
	uint64_t ram_bytes;	/* every System RAM range of /proc/iomem */
	uint64_t pmem_pages;	/* device memmaps with their info blocks */
	uint64_t header_bytes;	/* ELF header, program headers, notes, page aligned */
	uint64_t image_bytes;	/* the three together */
	uint64_t buffer_mb;	/* recommended_buffer_mb */
};

/*
 * The pieces, for livedump's own estimate before a start (livedump/src/
 * target.c), which knows no device memmaps and so sizes the header for
 * the most PT_LOADs the kernel makes: LD_MAX_RANGES System RAM ranges
 * and LD_MAX_PMEM pmem pieces.
 */
#define LIVEDUMP_MAX_RANGES 64
#define LIVEDUMP_MAX_PMEM 64

/*
 * The bytes before the RAM (ld_setup()): the ELF header, @nr_loads
 * PT_LOADs (System RAM ranges and pmem pieces) and two more, the largest
 * notes for @nr_cpus (nr_cpu_ids), up to a page.
 */
uint64_t livedump_header_bytes(uint64_t nr_cpus, uint64_t nr_loads);

/*
 * nr_cpu_ids: the highest CPU of "<root>/sys/devices/system/cpu/possible"
 * plus one. 0, or -PMD_E* recorded.
 */
int livedump_possible_cpus(const char *root, uint64_t *nr_cpus, struct log_ctx *log);

/* The System RAM the kernel dumps, and the pmem beside it, from /proc/iomem. */
struct livedump_iomem {
	uint64_t ram_bytes;	/* walk_system_ram_res(): "System RAM" not inside another */
	uint64_t nr_ram;	/* how many such ranges */
	uint64_t pmem_bytes;	/* "Persistent Memory..." not inside another */
};

/*
 * Read @path (a /proc/iomem). 0; -PMD_EIO recorded when it cannot be read
 * or shows no System RAM (read as non-root every range is 0-0).
 */
int livedump_read_iomem(const char *path, struct livedump_iomem *io, struct log_ctx *log);

/*
 * Under @root ("" or NULL: the running system): 1 with @ls filled when
 * /sys/kernel/livedump is there, 0 when it is not, -PMD_E* (recorded in
 * @log) when a file cannot be read. @pmem_regions and @pmem_meta are the
 * pmem the run found (the regions, the metadata kept on the devices).
 */
int livedump_size_estimate(struct livedump_size *ls, const char *root,
			   const struct pfn_ranges *pmem_regions,
			   const struct pfn_ranges *pmem_meta, struct log_ctx *log);

#endif
