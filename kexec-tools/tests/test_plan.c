// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Segment placement: the lab's crash range with realistic sizes, the
 * "too big" figures, alignment, min_addr, the control reserve and the
 * 16-segment limit. Addresses are worked out by hand in the comments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "src/plan.h"
#include "util/log.h"

#define KIB 0x400ull
#define MIB 0x100000ull

/* The lab's "2f000000-3effffff : Crash kernel". */
static const struct mem_range lab = { 0x2f000000, 0x3f000000 };

static void control_reserve(void **state)
{
	(void)state;
	/* 1 MiB + 4 KiB x (GiB + 16), rounded up to 1 MiB. */
	assert_int_equal(plan_control_reserve(0), 0x200000);		/* 0x110000 */
	assert_int_equal(plan_control_reserve(0x3ffdb000), 0x200000);	/* 1 GiB: 0x111000 */
	assert_int_equal(plan_control_reserve(1ull << 30), 0x200000);
	assert_int_equal(plan_control_reserve((1ull << 30) + 1), 0x200000);	/* 2: 0x112000 */
	assert_int_equal(plan_control_reserve(240ull << 30), 0x200000);	/* 256: 0x200000 */
	assert_int_equal(plan_control_reserve(241ull << 30), 0x300000);	/* 257: 0x201000 */
	assert_int_equal(plan_control_reserve(1ull << 40), 0x600000);	/* 1040: 0x510000 */
	/* 2^34 GiB: 2^46 + 64 KiB + 1 MiB, rounded up. */
	assert_int_equal(plan_control_reserve(UINT64_MAX), (1ull << 46) + 0x200000);
}

static void check_no_overlap(const struct mem_range *r, uint64_t reserve,
			     const struct plan_req *reqs, const uint64_t *addr, unsigned int nr)
{
	unsigned int i, j;

	for (i = 0; i < nr; i++) {
		uint64_t end = addr[i] + ((reqs[i].memsz + 0xfff) & ~0xfffull);

		assert_true(addr[i] >= r->start + reserve);
		assert_true(addr[i] >= reqs[i].min_addr);
		assert_true(end <= r->end);
		assert_int_equal(addr[i] % (reqs[i].align < 4096 ? 4096 : reqs[i].align), 0);
		for (j = 0; j < nr; j++) {
			uint64_t end_j = addr[j] + ((reqs[j].memsz + 0xfff) & ~0xfffull);

			if (i != j)
				assert_true(end <= addr[j] || end_j <= addr[i]);
		}
	}
}

/*
 * The lab's load: reserve 2 MiB (RAM spans ~1 GiB), floor 0x2f200000.
 * elfcorehdr 4 KiB at 0x3efff000; purgatory 24 KiB at 0x3eff9000; zero
 * page + command line 8 KiB at 0x3eff7000; the lab kernel's init_size
 * 0x1515000 at 2 MiB: 0x3eff7000 - 0x1515000 = 0x3dae2000, down to
 * 0x3da00000; a 30 MiB initrd: 0x3da00000 - 0x1e00000 = 0x3bc00000.
 */
static void lab_load(void **state)
{
	const struct plan_req reqs[] = {
		{ "elfcorehdr", 0x1000, 0x1000, 0 },
		{ "purgatory", 0x6000, 0x1000, 0 },
		{ "bootparams", 0x2000, 0x1000, 0 },
		{ "kernel", 0x1515000, 0x200000, MIB },
		{ "initrd", 30 * MIB, 0x1000, 0 },
	};
	static const uint64_t want[] = {
		0x3efff000, 0x3eff9000, 0x3eff7000, 0x3da00000, 0x3bc00000,
	};
	uint64_t addr[5];
	struct log_ctx log;

	(void)state;
	log_init(&log, "test");
	assert_int_equal(plan_place(&lab, 0x200000, reqs, 5, addr, &log), 0);
	assert_memory_equal(addr, want, sizeof(want));
	check_no_overlap(&lab, 0x200000, reqs, addr, 5);
	log_destroy(&log);
}

/*
 * A Debian-sized kernel (init_size 40 MiB) and odd sizes: memsz 0x1234
 * takes two pages, the bootparams 4136 bytes take two.
 * elfcorehdr 0x3f000000 - 0x2000 = 0x3effe000; purgatory 0x5010 (6 pages)
 * 0x3eff8000; bootparams 0x3eff6000; kernel 0x3eff6000 - 0x2800000 =
 * 0x3c7f6000, down to 0x3c600000; initrd 0x3c600000 - 0x1e00000 = 0x3a800000.
 */
static void debian_sizes(void **state)
{
	const struct plan_req reqs[] = {
		{ "elfcorehdr", 0x1234, 0x1000, 0 },
		{ "purgatory", 0x5010, 0x1000, 0 },
		{ "bootparams", 4136, 0x1000, 0 },
		{ "kernel", 40 * MIB, 0x200000, MIB },
		{ "initrd", 30 * MIB, 0x1000, 0 },
	};
	static const uint64_t want[] = {
		0x3effe000, 0x3eff8000, 0x3eff6000, 0x3c600000, 0x3a800000,
	};
	uint64_t addr[5];
	struct log_ctx log;

	(void)state;
	log_init(&log, "test");
	assert_int_equal(plan_place(&lab, 0x200000, reqs, 5, addr, &log), 0);
	assert_memory_equal(addr, want, sizeof(want));
	check_no_overlap(&lab, 0x200000, reqs, addr, 5);
	log_destroy(&log);
}

/*
 * A 250 MiB initrd: it would start at 0x3da00000 - 0xfa00000 = 0x2e000000,
 * below the floor 0x2f200000. Needed 0x3f000000 - 0x2e000000 = 0x11000000
 * = 285212672; available 0x3f000000 - 0x2f200000 = 0xfe00000 = 266338304.
 */
static void too_big(void **state)
{
	const struct plan_req reqs[] = {
		{ "elfcorehdr", 0x1000, 0x1000, 0 },
		{ "purgatory", 0x6000, 0x1000, 0 },
		{ "bootparams", 0x2000, 0x1000, 0 },
		{ "kernel", 0x1515000, 0x200000, MIB },
		{ "initrd", 250 * MIB, 0x1000, 0 },
	};
	uint64_t addr[5] = { 1, 1, 1, 1, 1 };
	struct log_ctx log;
	unsigned int i;

	(void)state;
	log_init(&log, "test");
	assert_int_equal(plan_place(&lab, 0x200000, reqs, 5, addr, &log), -PMD_EINVAL);
	assert_int_equal(log_error_status(&log), PMD_EINVAL);
	assert_string_equal(log_error_text(&log),
			    "the capture kernel does not fit: 285212672 bytes needed, 266338304 "
			    "available in the crash kernel range (the initrd segment is the first "
			    "left out)");
	for (i = 0; i < 5; i++)
		assert_int_equal(addr[i], 0);
	log_destroy(&log);
}

/*
 * The reserve is the floor: one segment of exactly 0xfe00000 bytes fits
 * at 0x2f200000; one page more does not (0xfe01000 = 266342400 needed).
 * A later segment that does not fit still counts in "needed": kernel at
 * 0x2f200000 fills the range, then 1 MiB more: 0x3f000000 - 0x2f100000 =
 * 0xff00000 = 267386880.
 */
static void reserve_is_floor(void **state)
{
	struct plan_req one = { "kernel", 0xfe00000, 0x1000, 0 };
	const struct plan_req two[] = {
		{ "kernel", 0xfe00000, 0x200000, MIB },
		{ "initrd", MIB, 0x1000, 0 },
	};
	uint64_t addr[2];
	struct log_ctx log;

	(void)state;
	log_init(&log, "test");
	assert_int_equal(plan_place(&lab, 0x200000, &one, 1, addr, &log), 0);
	assert_int_equal(addr[0], 0x2f200000);
	one.memsz += 1;			/* rounds up to one more page */
	assert_int_equal(plan_place(&lab, 0x200000, &one, 1, addr, &log), -PMD_EINVAL);
	assert_string_equal(log_error_text(&log),
			    "the capture kernel does not fit: 266342400 bytes needed, 266338304 "
			    "available in the crash kernel range (the kernel segment is the first "
			    "left out)");
	log_clear_error(&log);
	assert_int_equal(plan_place(&lab, 0x200000, two, 2, addr, &log), -PMD_EINVAL);
	assert_string_equal(log_error_text(&log),
			    "the capture kernel does not fit: 267386880 bytes needed, 266338304 "
			    "available in the crash kernel range (the initrd segment is the first "
			    "left out)");
	/* Without a reserve the same two fit. */
	assert_int_equal(plan_place(&lab, 0, two, 2, addr, &log), 0);
	assert_int_equal(addr[0], 0x2f200000);
	assert_int_equal(addr[1], 0x2f100000);
	log_destroy(&log);
}

static void alignment(void **state)
{
	const struct plan_req reqs[] = {
		{ "a", 0x1000, 0x200000, 0 },	/* 0x3f000000 - 0x1000, down to 2 MiB */
		{ "b", 0x10, 16, 0 },		/* align under a page: a page */
		{ "c", 0x1000, 1ull << 30, 0 },	/* 1 GiB */
	};
	const struct plan_req bad = { "kernel", 0x1000, 0x3000, 0 };
	const struct mem_range low = { 0x0, 0x40000000 };
	uint64_t addr[3];
	struct log_ctx log;

	(void)state;
	log_init(&log, "test");
	assert_int_equal(plan_place(&lab, 0, reqs, 2, addr, &log), 0);
	assert_int_equal(addr[0], 0x3ee00000);
	assert_int_equal(addr[1], 0x3edff000);
	/* From 0x40000000: 0x3ffff000 down to 0x3fe00000, 0x3fdff000, then 0. */
	assert_int_equal(plan_place(&low, 0, reqs, 3, addr, &log), 0);
	assert_int_equal(addr[0], 0x3fe00000);
	assert_int_equal(addr[1], 0x3fdff000);
	assert_int_equal(addr[2], 0);

	/* An alignment that is no power of two is the caller's bug. */
	assert_int_equal(plan_place(&lab, 0, &bad, 1, addr, &log), -PMD_EINVAL);
	assert_string_equal(log_error_text(&log),
			    "the kernel segment's alignment 0x3000 is not a power of two");
	log_destroy(&log);
}

/*
 * min_addr: a range [0, 16 MiB) and a 15 MiB kernel at 2 MiB alignment
 * would start at 0x100000 rounded down, 0: under its 1 MiB minimum.
 * Needed 0x1000000 = 16777216, available 0x1000000 - 0x100000 = 15728640.
 */
static void min_addr(void **state)
{
	const struct mem_range r = { 0x0, 0x1000000 };
	const struct plan_req kernel = { "kernel", 0xf00000, 0x200000, MIB };
	const struct plan_req small = { "kernel", 0xe00000, 0x200000, MIB };
	uint64_t addr[1];
	struct log_ctx log;

	(void)state;
	log_init(&log, "test");
	assert_int_equal(plan_place(&r, 0, &kernel, 1, addr, &log), -PMD_EINVAL);
	assert_string_equal(log_error_text(&log),
			    "the capture kernel does not fit: 16777216 bytes needed, 15728640 "
			    "available in the crash kernel range (the kernel segment is the first "
			    "left out)");
	assert_int_equal(plan_place(&r, 0, &small, 1, addr, &log), 0);
	assert_int_equal(addr[0], 0x200000);
	log_destroy(&log);
}

static void zero_and_limits(void **state)
{
	struct plan_req reqs[17];
	const struct plan_req empty = { "initrd", 0, 0x1000, 0 };
	const struct plan_req huge = { "initrd", UINT64_MAX, 0x1000, 0 };
	const struct mem_range none = { 0x2f000000, 0x2f000000 };
	uint64_t addr[17];
	struct log_ctx log;
	unsigned int i;

	(void)state;
	log_init(&log, "test");
	/* No requests: nothing to place. */
	assert_int_equal(plan_place(&lab, 0x200000, reqs, 0, addr, &log), 0);
	assert_int_equal(plan_place(&lab, 0, &empty, 1, addr, &log), -PMD_EINVAL);
	assert_string_equal(log_error_text(&log), "the initrd segment has no size");
	log_clear_error(&log);

	/* 16 segments of a page: 0x3efff000 down to 0x3eff0000. */
	for (i = 0; i < 17; i++)
		reqs[i] = (struct plan_req){ "page", 0x1000, 0x1000, 0 };
	assert_int_equal(plan_place(&lab, 0x200000, reqs, 16, addr, &log), 0);
	for (i = 0; i < 16; i++)
		assert_int_equal(addr[i], 0x3efff000 - i * 0x1000ull);
	check_no_overlap(&lab, 0x200000, reqs, addr, 16);
	assert_int_equal(plan_place(&lab, 0x200000, reqs, 17, addr, &log), -PMD_EINVAL);
	assert_string_equal(log_error_text(&log), "17 segments: the kernel takes at most 16");
	log_clear_error(&log);

	/* A size past 2^64 once page-rounded: figures saturate, nothing wraps. */
	assert_int_equal(plan_place(&lab, 0x200000, &huge, 1, addr, &log), -PMD_EINVAL);
	assert_string_equal(log_error_text(&log),
			    "the capture kernel does not fit: 18446744073709551615 bytes needed, "
			    "266338304 available in the crash kernel range (the initrd segment is "
			    "the first left out)");
	log_clear_error(&log);
	/* A reserve larger than the range: 0 available. */
	assert_int_equal(plan_place(&lab, 0x20000000, reqs, 1, addr, &log), -PMD_EINVAL);
	assert_string_equal(log_error_text(&log),
			    "the capture kernel does not fit: 4096 bytes needed, 0 available in "
			    "the crash kernel range (the page segment is the first left out)");
	log_clear_error(&log);
	assert_int_equal(plan_place(&none, 0, reqs, 1, addr, &log), -PMD_EINVAL);
	assert_string_equal(log_error_text(&log), "the crash kernel range is empty");
	log_destroy(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(control_reserve),
		cmocka_unit_test(lab_load),
		cmocka_unit_test(debian_sizes),
		cmocka_unit_test(too_big),
		cmocka_unit_test(reserve_is_floor),
		cmocka_unit_test(alignment),
		cmocka_unit_test(min_addr),
		cmocka_unit_test(zero_and_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
