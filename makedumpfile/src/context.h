/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MDF_SRC_CONTEXT_H
#define MDF_SRC_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "util/bitmap.h"
#include "dump/classify.h"
#include "pmem/pmem.h"
#include "kernel/sparsemem.h"
#include "kernel/vmcoreinfo.h"
#include "kernel/x86_64.h"
#include "src/report.h"
#include "dump/source.h"
#include "src/options.h"
#include "util/progress.h"

struct dump_window {
	uint64_t start;
	uint64_t end;
	struct classifier_carry carry_in;
};

/* Everything one run of the filter knows; no globals. */
struct dump_ctx {
	const struct options *opt;
	struct log_ctx *log;
	struct dump_source in;
	struct vmcoreinfo vmci;
	struct kernel_info ki;
	struct x86_64_xlat xlat;
	struct memmap mm;
	struct classifier cls;
	struct bitmap bm;	/* pages to dump, in the current window */
	struct bitmap present;	/* pages the input holds (kdump's 1st bitmap) */

	uint64_t max_mapnr;

	/* Persistent memory: what it is, and what this run does with it. */
	struct pmem_layout pmem;
	struct pmem_plan pmem_plan;
	/*
	 * Pmem of an input without PT_LOAD flags (kdump-compressed) named by
	 * --pmem-range or the dumped machine's ACPI NFIT.
	 */
	struct pfn_ranges named_pmem;
	uint64_t crashkernel_pages;	/* /proc/kcore: reserved pages it holds */

	/*
	 * The pfns to look at, [0, max_mapnr) minus pmem skipped whole, cut
	 * into windows of at most window_pfns. Each window records what it
	 * inherits from the one before, so any window can be classified
	 * again alone. With one window, its bitmap stays valid after the
	 * counting pass and is reused.
	 */
	uint64_t window_pfns;
	uint64_t nr_windows;
	struct dump_window *windows;
	bool bitmap_cached;
	uint64_t nr_dumpable;	/* pages kept after the counting pass */

	struct progress progress;
	struct dump_report report;
};

#endif
