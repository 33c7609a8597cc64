// SPDX-License-Identifier: GPL-2.0-or-later
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/bitmap.h"
#include "util/pfn_ranges.h"
#include "pmem/pmem.h"

static void assert_ranges(const struct pfn_ranges *s, const uint64_t *want, unsigned int n)
{
	assert_int_equal(s->nr, n);
	for (unsigned int i = 0; i < n; i++) {
		assert_int_equal(s->r[i].start, want[2 * i]);
		assert_int_equal(s->r[i].end, want[2 * i + 1]);
	}
}

static void ranges_merge_subtract_intersect(void **state)
{
	struct pfn_ranges a = { 0 }, b = { 0 }, out = { 0 };
	struct pfn_ranges_cursor c;

	(void)state;
	assert_int_equal(pfn_ranges_add(&a, 100, 200), 0);
	assert_int_equal(pfn_ranges_add(&a, 10, 20), 0);
	assert_int_equal(pfn_ranges_add(&a, 150, 300), 0);	/* overlaps: merged */
	assert_int_equal(pfn_ranges_add(&a, 300, 310), 0);	/* touches: merged */
	assert_int_equal(pfn_ranges_add(&a, 5, 5), 0);		/* empty: ignored */
	assert_ranges(&a, (const uint64_t[]){ 10, 20, 100, 310 }, 2);
	assert_int_equal(pfn_ranges_pages(&a), 220);

	assert_int_equal(pfn_ranges_add(&b, 0, 12), 0);
	assert_int_equal(pfn_ranges_add(&b, 120, 130), 0);
	assert_int_equal(pfn_ranges_add(&b, 305, 1000), 0);
	assert_int_equal(pfn_ranges_subtract(&out, &a, &b), 0);
	assert_ranges(&out, (const uint64_t[]){ 12, 20, 100, 120, 130, 305 }, 3);
	assert_int_equal(pfn_ranges_intersect(&out, &a, &b), 0);
	assert_ranges(&out, (const uint64_t[]){ 10, 12, 120, 130, 305, 310 }, 3);

	assert_true(pfn_ranges_contains(&a, 100));
	assert_true(pfn_ranges_contains(&a, 309));
	assert_false(pfn_ranges_contains(&a, 310));
	assert_false(pfn_ranges_contains(&a, 50));
	pfn_ranges_cursor_init(&c, &a);
	assert_false(pfn_ranges_cursor_has(&c, 9));
	assert_true(pfn_ranges_cursor_has(&c, 10));
	assert_false(pfn_ranges_cursor_has(&c, 20));
	assert_true(pfn_ranges_cursor_has(&c, 200));
	assert_false(pfn_ranges_cursor_has(&c, 5000));
	pfn_ranges_free(&a);
	pfn_ranges_free(&b);
	pfn_ranges_free(&out);
}

static void put_le(uint8_t *p, uint64_t v, unsigned int bytes)
{
	for (unsigned int i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A block as libnvdimm writes it, its checksum by the kernel's recipe. */
static void make_info_block(uint8_t *b, uint64_t dataoff, uint64_t npfns, uint32_t mode)
{
	uint32_t lo = 0;
	uint64_t hi = 0;

	memset(b, 0, 4096);
	memcpy(b, "NVDIMM_PFN_INFO\0", 16);
	put_le(b + 52, 1, 2);
	put_le(b + 54, 4, 2);
	put_le(b + 56, dataoff, 8);
	put_le(b + 64, npfns, 8);
	put_le(b + 72, mode, 4);
	put_le(b + 84, 2 << 20, 4);
	put_le(b + 88, 4096, 4);
	for (unsigned int i = 0; i < 4096; i += 4) {
		lo += (uint32_t)b[i] | (uint32_t)b[i + 1] << 8 | (uint32_t)b[i + 2] << 16 |
		      (uint32_t)b[i + 3] << 24;
		hi += lo;
	}
	put_le(b + 4088, hi << 32 | lo, 8);
}

static void info_block_parse(void **state)
{
	uint8_t b[4096];
	struct pmem_info_block ib;

	(void)state;
	make_info_block(b, 0x1200000, 0x3ee00, PMEM_MODE_PMEM);
	assert_true(pmem_info_block_parse(b, &ib));
	assert_int_equal(ib.dataoff, 0x1200000);
	assert_int_equal(ib.npfns, 0x3ee00);
	assert_int_equal(ib.mode, PMEM_MODE_PMEM);

	b[100] ^= 1;				/* corrupt: the checksum no longer matches */
	assert_false(pmem_info_block_parse(b, &ib));
	make_info_block(b, 0x1200000, 0x3ee00, 7);	/* unknown mode */
	assert_false(pmem_info_block_parse(b, &ib));
	make_info_block(b, 0x1000, 10, PMEM_MODE_PMEM);	/* data inside the reserve */
	assert_false(pmem_info_block_parse(b, &ib));
	memset(b, 0, sizeof(b));			/* no signature */
	assert_false(pmem_info_block_parse(b, &ib));
}

/* A region [1000, 2000) with metadata [1002, 1100), half of it in the input. */
static void layout(struct pmem_layout *pl, struct pfn_ranges *present)
{
	memset(pl, 0, sizeof(*pl));
	memset(present, 0, sizeof(*present));
	pfn_ranges_add(&pl->regions, 1000, 2000);
	pfn_ranges_add(&pl->meta, 1002, 1100);
	pfn_ranges_subtract(&pl->user, &pl->regions, &pl->meta);
	pfn_ranges_add(present, 0, 500);
	pfn_ranges_add(present, 1000, 1050);
	pfn_ranges_add(present, 1500, 2000);
}

static void plan_choices(void **state)
{
	struct pmem_layout pl;
	struct pfn_ranges present;
	struct pmem_plan p;

	(void)state;
	layout(&pl, &present);
	/* Default: keep the metadata the input has, skip all user data. */
	assert_int_equal(pmem_plan_make(&p, &pl, &present, false, false), 0);
	assert_true(p.report);
	assert_ranges(&p.keep, (const uint64_t[]){ 1002, 1050 }, 1);
	assert_ranges(&p.skip, (const uint64_t[]){ 1000, 1002, 1100, 2000 }, 2);
	assert_int_equal(p.user_excluded, 2 + 500);
	assert_int_equal(p.meta_excluded, 0);
	pmem_plan_free(&p);

	/* -d 32: metadata goes too. */
	assert_int_equal(pmem_plan_make(&p, &pl, &present, true, false), 0);
	assert_int_equal(p.keep.nr, 0);
	assert_ranges(&p.skip, (const uint64_t[]){ 1000, 2000 }, 1);
	assert_int_equal(p.meta_excluded, 48);
	pmem_plan_free(&p);

	/* --pmem-userdata: user data is classified like RAM, not skipped. */
	assert_int_equal(pmem_plan_make(&p, &pl, &present, false, true), 0);
	assert_int_equal(p.skip.nr, 0);
	assert_int_equal(p.user_excluded, 0);
	assert_ranges(&p.keep, (const uint64_t[]){ 1002, 1050 }, 1);
	pmem_plan_free(&p);
	pmem_layout_free(&pl);
	pfn_ranges_free(&present);

	/* No pmem: nothing to do, and no report lines. */
	memset(&pl, 0, sizeof(pl));
	assert_int_equal(pmem_plan_make(&p, &pl, &present, false, false), 0);
	assert_false(p.report);
	assert_int_equal(p.skip.nr + p.keep.nr, 0);
	pmem_plan_free(&p);
}

static void bitmap_clear_and_copy(void **state)
{
	struct bitmap a, b;

	(void)state;
	assert_int_equal(bitmap_alloc(&a, 1024), 0);
	assert_int_equal(bitmap_alloc(&b, 1024), 0);
	bitmap_reset(&a, 64, 1064);
	bitmap_reset(&b, 64, 1064);
	bitmap_set_range(&a, 0, 2000);
	bitmap_clear_range(&a, 70, 300);
	assert_int_equal(bitmap_count(&a, 0, 2000), 1000 - 230);
	bitmap_set_range(&b, 100, 110);
	bitmap_copy_range(&a, &b, 60, 400);	/* clipped at 64: b's bits there */
	assert_int_equal(bitmap_count(&a, 64, 400), 10);
	assert_true(bitmap_test(&a, 400));
	bitmap_free(&a);
	bitmap_free(&b);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ranges_merge_subtract_intersect),
		cmocka_unit_test(info_block_parse),
		cmocka_unit_test(plan_choices),
		cmocka_unit_test(bitmap_clear_and_copy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
