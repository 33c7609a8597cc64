// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Segment placement in the crash kernel range, top-down in the caller's
 * order (doc/kexec-design.md §3), so that the kernel's control pages,
 * taken from the bottom of the range, find room below the segments.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "src/plan.h"

#define PAGE	4096u
#define MIB	(1ull << 20)
#define GIB	(1ull << 30)

__extension__ typedef __int128 wide;	/* placements may run below 0 when working out "needed" */

uint64_t plan_control_reserve(uint64_t ram_span)
{
	uint64_t gib = (ram_span >> 30) + ((ram_span & (GIB - 1)) != 0);
	uint64_t r = MIB + (uint64_t)PAGE * (gib + 16);

	return (r + MIB - 1) & ~(MIB - 1);
}

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static uint64_t clamp_u64(wide v)
{
	if (v < 0)
		return 0;
	return v > (wide)UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

int plan_place(const struct mem_range *range, uint64_t reserve, const struct plan_req *reqs,
	       unsigned int nr, uint64_t *addr, struct log_ctx *log)
{
	wide cursor = range->end, lowest = range->end, floor, need_floor = 0, a;
	const char *first_out = NULL;
	unsigned int i;

	if (nr > PLAN_SEGMENTS_MAX)
		return log_fail(log, PMD_EINVAL, "%u segments: the kernel takes at most %d", nr,
				PLAN_SEGMENTS_MAX);
	for (i = 0; i < nr; i++) {
		const char *name = reqs[i].name ? reqs[i].name : "?";

		addr[i] = 0;
		if (!reqs[i].memsz)
			return log_fail(log, PMD_EINVAL, "the %s segment has no size", name);
		if (!is_pow2(reqs[i].align))
			return log_fail(log, PMD_EINVAL,
					"the %s segment's alignment 0x%" PRIx64
					" is not a power of two", name, reqs[i].align);
	}
	if (range->end <= range->start)
		return log_fail(log, PMD_EINVAL, "the crash kernel range is empty");

	floor = (wide)range->start + reserve;
	for (i = 0; i < nr; i++) {
		wide align = reqs[i].align < PAGE ? PAGE : reqs[i].align;
		wide memsz = ((wide)reqs[i].memsz + PAGE - 1) & ~(wide)(PAGE - 1);
		wide req_floor = floor > (wide)reqs[i].min_addr ? floor : (wide)reqs[i].min_addr;

		/* & of a negative value rounds towards minus infinity: still the floor. */
		a = (cursor - memsz) & ~(align - 1);
		if (a < req_floor && !first_out) {
			first_out = reqs[i].name ? reqs[i].name : "?";
			need_floor = req_floor;
		}
		if (!first_out)
			addr[i] = (uint64_t)a;
		cursor = a;
		lowest = a;
	}
	if (first_out) {
		for (i = 0; i < nr; i++)
			addr[i] = 0;
		return log_fail(log, PMD_EINVAL,
				"the capture kernel does not fit: %" PRIu64 " bytes needed, "
				"%" PRIu64 " available in the crash kernel range "
				"(the %s segment is the first left out)",
				clamp_u64((wide)range->end - lowest),
				clamp_u64((wide)range->end - need_floor), first_out);
	}
	return 0;
}
