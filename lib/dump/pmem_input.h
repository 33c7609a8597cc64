/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_DUMP_PMEM_INPUT_H
#define PMD_DUMP_PMEM_INPUT_H

#include <stdint.h>

struct dump_source;
struct log_ctx;

/*
 * Persistent memory named by the user (makedumpfile --pmem-range), for an
 * ELF input whose PT_LOADs do not mark it: a hypervisor's dump of a guest
 * (QEMU writes an NVDIMM as an ordinary PT_LOAD, or leaves it out when
 * asked for RAM only), where the host knows where each NVDIMM is.
 */
struct dump_pmem_range {
	uint64_t start;		/* physical bytes, page aligned */
	uint64_t end;		/* exclusive, page aligned */
	/*
	 * NULL: the input holds the range; its PT_LOADs there are marked
	 * PF_DEV (split where the range cuts one). Else the input must not
	 * hold it: the range reads from this file, offset 0 at @start (an
	 * NVDIMM's backing file), opened read-only, and only what the
	 * filter keeps is read.
	 */
	const char *file;
};

/*
 * Apply @nr ranges to @src, before anything reads it. 0, or -PMD_E*
 * recorded in @log: not an ELF input, a range the input does not hold
 * (no file) or already holds (file), overlapping ranges, a file that
 * cannot be opened or is shorter than its range. Undone by
 * dump_source_close().
 */
int dump_source_add_pmem(struct dump_source *src, const struct dump_pmem_range *r,
			 unsigned int nr, struct log_ctx *log);

/* Close the files and free the loads of dump_source_add_pmem(); idempotent. */
void dump_source_free_pmem(struct dump_source *src);

#endif
