/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KEXEC_PLAN_H
#define KEXEC_PLAN_H

/*
 * Where each segment of a capture kernel load goes in the crash kernel
 * range: top-down from its end in the order given, each at the highest
 * address that fits its size and alignment, above a reserve left at the
 * bottom for the control pages the kernel allocates there
 * (kimage_alloc_crash_control_pages()).
 */
#include <stdint.h>

#include "src/sysmem.h"
#include "util/log.h"

/* KEXEC_SEGMENT_MAX, include/uapi/linux/kexec.h */
#define PLAN_SEGMENTS_MAX 16

struct plan_req {
	const char *name;	/* "kernel", "initrd", ... for messages */
	uint64_t memsz;		/* rounded up to 4 KiB by the plan */
	uint64_t align;		/* power of two, >= 4096 */
	uint64_t min_addr;	/* lowest acceptable start (kernel: 1 MiB) */
};

/*
 * Control-page reserve for a machine whose System RAM spans @ram_span
 * bytes: 1 MiB + 4 KiB per (GiB spanned + 16), rounded up to 1 MiB, so
 * that a machine without gbpages has its identity-map page tables.
 */
uint64_t plan_control_reserve(uint64_t ram_span);

/*
 * Place @nr requests in @range above @range->start + @reserve, each at the
 * highest address that is aligned (@align, at least 4 KiB) and ends at or
 * below the start of the one before (the first: at or below @range->end),
 * and not below its @min_addr. @addr[i] gets the start of request i. 0,
 * or -PMD_EINVAL (recorded, @addr all 0):
 *  - "the capture kernel does not fit: N bytes needed, M available in the
 *    crash kernel range (the NAME segment is the first left out)": N is
 *    @range->end minus the start the last request would get with no floor
 *    (alignment gaps included), M is @range->end minus the floor the first
 *    failing request meets (start + reserve, or its min_addr if higher);
 *  - more than PLAN_SEGMENTS_MAX requests, a memsz of 0, an alignment that
 *    is not a power of two, an empty range.
 * nr 0 places nothing and returns 0.
 */
int plan_place(const struct mem_range *range, uint64_t reserve, const struct plan_req *reqs,
	       unsigned int nr, uint64_t *addr, struct log_ctx *log);

#endif
