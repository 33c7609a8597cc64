/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MDF_SRC_OPTIONS_H
#define MDF_SRC_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dump/compress.h"
#include "dump/pmem_input.h"

/* --pmem-range may be given for each NVDIMM of a machine. */
#define OPTIONS_MAX_PMEM_RANGES 64

enum output_format {
	OUTPUT_KDUMP,	/* kdump-compressed, makedumpfile's default */
	OUTPUT_ELF,	/* -E */
};

struct log_ctx;

struct options {
	struct log_ctx *log;	/* the run's log: option errors, --message-level */
	unsigned int dump_level;
	enum output_format format;
	enum compression compression;
	int message_level;
	uint64_t cyclic_buffer_kib;	/* 0: chosen from available memory */
	bool force;
	bool no_mmap;
	bool check_params;
	bool dump_dmesg;	/* --dump-dmesg: write the kernel log, not a dump */
	bool flatten;		/* -F: flattened format to standard output */
	bool rebuild;		/* -R: rebuild DUMPFILE from a flattened stream on stdin */
	bool mem_usage;		/* --mem-usage: what a dump would hold, no dump */
	bool pmem_userdata;	/* --pmem-userdata: keep file data on pmem */
	/* --pmem-range START-END[:FILE], in order (files point into argv). */
	struct dump_pmem_range pmem_ranges[OPTIONS_MAX_PMEM_RANGES];
	unsigned int nr_pmem_ranges;
	unsigned int threads;	/* --num-threads */
	/*
	 * --sysroot: read a running system's /proc/iomem and /sys below this
	 * (tests; NULL is the live system). The input is named as it is.
	 */
	const char *sysroot;
	const char *vmcore;	/* NULL with -R */
	const char *dumpfile;	/* NULL with -F */
};

enum options_result {
	OPTIONS_RUN,
	OPTIONS_EXIT_OK,	/* --help or --version printed */
	OPTIONS_ERROR,		/* the one error line is recorded in the log, for main to print */
};

enum options_result options_parse(struct options *o, struct log_ctx *log, int argc, char **argv);
void options_usage(FILE *out);

#endif
