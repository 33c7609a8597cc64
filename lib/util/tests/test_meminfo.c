// SPDX-License-Identifier: GPL-2.0-or-later
/* One "Key: N kB" line of /proc/meminfo in bytes (util/meminfo.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/meminfo.h"
#include "util/tests/fakeroot.h"

static void lines(void **state)
{
	char *root = fake_root_new(), path[PATH_MAX];
	uint64_t bytes = 7;

	(void)state;
	snprintf(path, sizeof(path), "%s/meminfo", root);
	/* No file: false, nothing written. */
	assert_false(meminfo_bytes(path, "MemTotal", &bytes));
	assert_int_equal(bytes, 7);

	fake_write(root, "meminfo",
		   "MemTotal:        2097152 kB\n"
		   "MemFree:           12 kB\n"
		   "MemAvailable:   1048576 kB\n"
		   "Hugepagesize:       2048 kB\n");
	assert_true(meminfo_bytes(path, "MemTotal", &bytes));
	assert_int_equal(bytes, 2147483648ULL);
	assert_true(meminfo_bytes(path, "MemAvailable", &bytes));
	assert_int_equal(bytes, 1073741824ULL);
	assert_true(meminfo_bytes(path, "MemFree", &bytes));
	assert_int_equal(bytes, 12288);
	/* A key is the whole name before the colon. */
	bytes = 7;
	assert_false(meminfo_bytes(path, "Mem", &bytes));
	assert_false(meminfo_bytes(path, "Hugepages", &bytes));
	assert_false(meminfo_bytes(path, "SwapTotal", &bytes));
	assert_int_equal(bytes, 7);

	/* A line without a number does not count. */
	fake_write(root, "meminfo", "MemTotal: kB\n");
	assert_false(meminfo_bytes(path, "MemTotal", &bytes));
	fake_root_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
