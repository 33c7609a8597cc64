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
 * Under @root ("" or NULL: the running system): 1 with @ls filled when
 * /sys/kernel/livedump is there, 0 when it is not, -PMD_E* (recorded in
 * @log) when a file cannot be read. @pmem_regions and @pmem_meta are the
 * pmem the run found (the regions, the metadata kept on the devices).
 */
int livedump_size_estimate(struct livedump_size *ls, const char *root,
			   const struct pfn_ranges *pmem_regions,
			   const struct pfn_ranges *pmem_meta, struct log_ctx *log);

#endif
