// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The size of a live dump image (dump/livedump_size.h) from a saved tree:
 * the numbers below are worked out by hand from kernel/livedump.c's
 * layout (ld_setup(), ld_notes_max(), ld_add_memmap()), not by the code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dump/livedump_size.h"
#include "util/log.h"
#include "util/pfn_ranges.h"
#include "util/tests/fakeroot.h"

static struct log_ctx test_log;

/* Three System RAM ranges, one not page sized; nested ones do not count. */
#define IOMEM \
	"00000000-00000fff : Reserved\n" \
	"00001000-0009fbff : System RAM\n" \
	"00100000-7fffffff : System RAM\n" \
	"  01000000-01ffffff : Kernel code\n" \
	"  20000000-2fffffff : Crash kernel\n" \
	"100000000-13fffffff : System RAM\n" \
	"200000000-23fffffff : Persistent Memory\n" \
	"  200000000-23fffffff : namespace0.0\n"

struct fixture {
	char *root;
	struct pfn_ranges regions, meta;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->root = fake_root_new();
	fake_write(fx->root, "proc/iomem", IOMEM);
	fake_write(fx->root, "sys/devices/system/cpu/possible", "0-7,16\n");
	fake_write(fx->root, "sys/kernel/livedump/recommended_buffer_mb", "123\n");
	/*
	 * One pmem region, two device memmaps in it: the first starts two
	 * pages into the region (its info block pages are the region's
	 * first), the second one page after a namespace start; and one
	 * memmap outside any region, which the kernel does not capture.
	 */
	assert_int_equal(pfn_ranges_add(&fx->regions, 0x200000, 0x240000), 0);
	assert_int_equal(pfn_ranges_add(&fx->meta, 0x200002, 0x200600), 0);
	assert_int_equal(pfn_ranges_add(&fx->meta, 0x220001, 0x220400), 0);
	assert_int_equal(pfn_ranges_add(&fx->meta, 0x300000, 0x300100), 0);
	log_init(&test_log, "test");
	test_log.level = 0;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	pfn_ranges_free(&fx->regions);
	pfn_ranges_free(&fx->meta);
	fake_root_free(fx->root);
	free(fx);
	log_destroy(&test_log);
	return 0;
}

static void image_size(void **state)
{
	struct fixture *fx = *state;
	struct livedump_size ls;

	assert_int_equal(livedump_size_estimate(&ls, fx->root, &fx->regions, &fx->meta, &test_log), 1);
	/* 0x9ec00 + 0x7ff00000 + 0x40000000 */
	assert_int_equal(ls.ram_bytes, 3220827136ULL);
	/*
	 * [0x200000, 0x200600) (not below the region), [0x21ffff, 0x220400):
	 * 0x600 + 0x401 pages; four pieces: captured, gap, captured, rest.
	 */
	assert_int_equal(ls.pmem_pages, 0xa01);
	/*
	 * 64 + 56 * (3 + 4 + 2) = 568, notes 17 CPUs * 356 + 4184 + 16408
	 * + 12 = 26656: 27224 bytes, a page multiple: 28672.
	 */
	assert_int_equal(ls.header_bytes, 28672);
	assert_int_equal(ls.image_bytes, 28672ULL + 3220827136ULL + 0xa01ULL * 4096);
	assert_int_equal(ls.buffer_mb, 123);
}

static void no_pmem(void **state)
{
	struct fixture *fx = *state;
	struct pfn_ranges none = { 0 };
	struct livedump_size ls;

	assert_int_equal(livedump_size_estimate(&ls, fx->root, &none, &fx->meta, &test_log), 1);
	assert_int_equal(ls.pmem_pages, 0);
	/* 64 + 56 * 5 + 26656 = 27000 */
	assert_int_equal(ls.header_bytes, 28672);
	assert_int_equal(ls.image_bytes, 28672ULL + 3220827136ULL);
}

static void unreadable(void **state)
{
	struct fixture *fx = *state;
	struct livedump_size ls;
	char dir[PATH_MAX];

	/* Not root: /proc/iomem shows zeros. */
	fake_write(fx->root, "proc/iomem", "00000000-00000000 : System RAM\n");
	log_clear_error(&test_log);
	assert_int_equal(livedump_size_estimate(&ls, fx->root, &fx->regions, &fx->meta, &test_log),
			 -PMD_EIO);
	assert_non_null(strstr(log_error_text(&test_log), "shows no System RAM (run as root)"));
	fake_unlink(fx->root, "sys/kernel/livedump/recommended_buffer_mb");
	log_clear_error(&test_log);
	assert_int_equal(livedump_size_estimate(&ls, fx->root, &fx->regions, &fx->meta, &test_log),
			 -PMD_EIO);
	/* A kernel without live dump: nothing to say, no error. */
	snprintf(dir, sizeof(dir), "%s/sys/kernel/livedump", fx->root);
	assert_int_equal(rmdir(dir), 0);
	log_clear_error(&test_log);
	assert_int_equal(livedump_size_estimate(&ls, fx->root, &fx->regions, &fx->meta, &test_log), 0);
	assert_int_equal(log_error_status(&test_log), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(image_size, setup, teardown),
		cmocka_unit_test_setup_teardown(no_pmem, setup, teardown),
		cmocka_unit_test_setup_teardown(unreadable, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
