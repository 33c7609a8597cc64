/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MDF_OUTPUT_REPORT_H
#define MDF_OUTPUT_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "dump/classify.h"
#include "dump/livedump_size.h"

struct log_ctx;

/* What the dump contains, printed in makedumpfile's report layout. */
struct dump_report {
	struct page_counts counts;
	uint64_t max_mapnr;
	uint64_t memhole;
	bool elf;
	uint64_t elf_dropped;	/* pages really absent from an ELF dump */
	uint64_t write_bytes;
	/* Pages of pmem left out without being looked at, when there is pmem. */
	bool pmem;
	uint64_t pmem_meta;
	uint64_t pmem_user;
};

void report_print(struct log_ctx *log, const struct dump_report *r);

/* The pages the dump holds: "Remaining pages", or "in ELF format" for -E. */
uint64_t report_pages_written(const struct dump_report *r);

/* --mem-usage: the machine's pages by kind, as makedumpfile prints them. */
struct mem_usage {
	struct page_counts counts;	/* excludable RAM pages, at -d 31 */
	uint64_t ram_pages;		/* "Total pages on system" */
	unsigned int page_size;
	bool pmem;
	uint64_t pmem_meta;		/* device memmap pages: kept by default */
	uint64_t pmem_user;		/* left out unless --pmem-userdata */
	bool has_livedump;		/* /proc/kcore of a kernel with live dump */
	struct livedump_size livedump;
};

void report_print_mem_usage(struct log_ctx *log, const struct mem_usage *u);

#endif
