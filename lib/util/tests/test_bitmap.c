// SPDX-License-Identifier: GPL-2.0-or-later
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/bitmap.h"

static void set_range_and_count(void **state)
{
	struct bitmap bm;

	(void)state;
	assert_int_equal(bitmap_alloc(&bm, 1000), 0);
	bitmap_reset(&bm, 5000, 5900);
	bitmap_set_range(&bm, 4000, 5003);	/* clipped at the window start */
	bitmap_set_range(&bm, 5010, 5300);
	bitmap_set_range(&bm, 5890, 9999);	/* clipped at the end */
	assert_int_equal(bitmap_count(&bm, 0, UINT64_MAX), 3 + 290 + 10);
	assert_true(bitmap_test(&bm, 5000));
	assert_false(bitmap_test(&bm, 5003));
	assert_true(bitmap_test(&bm, 5299));
	assert_false(bitmap_test(&bm, 5300));
	bitmap_clear(&bm, 5100);
	assert_int_equal(bitmap_count(&bm, 5010, 5300), 289);
	bitmap_free(&bm);
}

static void next_set_and_clear(void **state)
{
	struct bitmap bm;

	(void)state;
	assert_int_equal(bitmap_alloc(&bm, 4096), 0);
	bitmap_reset(&bm, 64, 64 + 4000);
	assert_int_equal(bitmap_next_set(&bm, 0), 64 + 4000);
	bitmap_set_range(&bm, 1000, 3000);
	assert_int_equal(bitmap_next_set(&bm, 64), 1000);
	assert_int_equal(bitmap_next_set(&bm, 2999), 2999);
	assert_int_equal(bitmap_next_set(&bm, 3000), 64 + 4000);
	assert_int_equal(bitmap_next_clear(&bm, 1000), 3000);
	assert_int_equal(bitmap_next_clear(&bm, 64), 64);
	assert_int_equal(bitmap_next_clear_before(&bm, 1000, 1100), 1100);
	assert_int_equal(bitmap_next_clear_before(&bm, 1000, 5000), 3000);
	assert_int_equal(bitmap_next_clear_before(&bm, 2990, 2995), 2995);
	/* Bits past the window's end never count as clear pfns inside it. */
	bitmap_set_range(&bm, 3000, 64 + 4000);
	assert_int_equal(bitmap_next_clear(&bm, 1000), 64 + 4000);
	bitmap_free(&bm);
}

static void reset_clears_previous_window(void **state)
{
	struct bitmap bm;

	(void)state;
	assert_int_equal(bitmap_alloc(&bm, 128), 0);
	bitmap_reset(&bm, 0, 128);
	bitmap_set_range(&bm, 0, 128);
	bitmap_reset(&bm, 128, 200);
	assert_int_equal(bitmap_count(&bm, 128, 200), 0);
	bitmap_free(&bm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(set_range_and_count),
		cmocka_unit_test(next_set_and_clear),
		cmocka_unit_test(reset_clears_previous_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
