// SPDX-License-Identifier: GPL-2.0-or-later
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dump/classify.h"

/* A page at any alignment, as a raw page inside a kdump input can be. */
static void zero_check_at_any_alignment(void **state)
{
	static uint8_t buf[4096 + 64];
	size_t off;

	(void)state;
	for (off = 0; off < 16; off++) {
		memset(buf, 0, sizeof(buf));
		assert_true(page_is_zero(buf + off, 4096));
		buf[off + 4095] = 1;	/* the last byte */
		assert_false(page_is_zero(buf + off, 4096));
		buf[off + 4095] = 0;
		buf[off] = 0x80;	/* the first byte */
		assert_false(page_is_zero(buf + off, 4096));
		/* A byte just outside the page does not count. */
		buf[off] = 0;
		buf[off + 4096] = 1;
		assert_true(page_is_zero(buf + off, 4096));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(zero_check_at_any_alignment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
