// SPDX-License-Identifier: GPL-2.0-or-later
/* The case logic (src/dumpcase.c) on the namespaces of tests/system.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "src/dumpcase.h"
#include "tests/system.h"

static struct pk_kernel kernel_with_list(void)
{
	return (struct pk_kernel){ .list = PK_LIST_PRESENT, .memmaps = test_list,
				   .nr_memmaps = 2, .page_struct_size = 64 };
}

static void test_fsdax_dev(void **state)
{
	struct pk_kernel k = kernel_with_list();
	struct pk_assessment a;

	pk_assess(&test_ns[0], &k, PK_SCOPE_METADATA, &a);
	assert_int_equal(a.kase, 'D');
	assert_int_equal(a.meta, PK_META_PMEM);
	assert_true(a.has_ns_range && a.has_memmap && a.has_data);
	assert_int_equal(a.ns_range.start, 0x140000000ULL);
	assert_int_equal(a.ns_range.end, 0x150000000ULL);
	assert_int_equal(a.memmap.start, 0x140002000ULL);
	assert_int_equal(a.memmap.end, 0x140400000ULL);
	assert_int_equal(a.data.start, 0x140400000ULL);
	assert_int_equal(a.data.end, 0x150000000ULL);
	/* 256 MiB of pages, 64 bytes each; 4 MiB - 8 KiB set aside on the device. */
	assert_int_equal(a.struct_pages, 65536);
	assert_int_equal(a.page_struct_size, 64);
	assert_int_equal(a.sps_source, PK_SPS_KERNEL);
	assert_int_equal(a.metadata_bytes, 0x3fe000);
	assert_int_equal(a.pmem_metadata_bytes, 0x3fe000);
	assert_int_equal(a.userdata_bytes, 0);
	assert_int_equal(a.listed, PK_LISTED_YES);
	assert_string_equal(pk_listed_name(a.listed), "listed");
}

static void test_devdax_dev(void **state)
{
	struct pk_kernel k = kernel_with_list();
	struct pk_assessment a;

	pk_assess(&test_ns[1], &k, PK_SCOPE_METADATA, &a);
	assert_int_equal(a.kase, 'D');
	assert_int_equal(a.memmap.start, 0x150002000ULL);
	assert_int_equal(a.memmap.end, 0x150400000ULL);
	assert_int_equal(a.pmem_metadata_bytes, 0x3fe000);
	assert_int_equal(a.listed, PK_LISTED_YES);
}

/* The list has only namespace0.0's memmap: devdax's is "not listed". */
static void test_devdax_not_listed(void **state)
{
	struct pk_kernel k = kernel_with_list();
	struct pk_assessment a;

	k.nr_memmaps = 1;
	pk_assess(&test_ns[1], &k, PK_SCOPE_METADATA, &a);
	assert_int_equal(a.kase, 'D');
	assert_int_equal(a.listed, PK_LISTED_NO);
	assert_string_equal(pk_listed_name(a.listed), "not listed");
	/* Still the computed range: [ns + 8 KiB, data). */
	assert_int_equal(a.memmap.start, 0x150002000ULL);
}

static void test_fsdax_mem(void **state)
{
	struct pk_kernel k = kernel_with_list();
	struct pk_assessment a;

	pk_assess(&test_ns[2], &k, PK_SCOPE_METADATA, &a);
	assert_int_equal(a.kase, 'C');
	assert_int_equal(a.meta, PK_META_RAM);
	assert_false(a.has_memmap);
	assert_true(a.has_data);
	assert_int_equal(a.data.start, 0x160200000ULL);
	assert_int_equal(a.data.end, 0x168000000ULL);
	/* 128 MiB of pages in RAM: 32768 * 64 = 2 MiB, none of it on pmem. */
	assert_int_equal(a.struct_pages, 32768);
	assert_int_equal(a.metadata_bytes, 2 * MIB);
	assert_int_equal(a.pmem_metadata_bytes, 0);
	assert_int_equal(a.userdata_bytes, 0);
	assert_int_equal(a.listed, PK_LISTED_NA);
	assert_null(pk_listed_name(a.listed));
}

static void test_raw_sector(void **state)
{
	struct pk_kernel k = kernel_with_list();
	struct pk_assessment a;

	pk_assess(&test_ns[4], &k, PK_SCOPE_METADATA, &a);
	assert_int_equal(a.kase, 0);
	assert_int_equal(a.why_none, PK_NO_PAGES_RAW);
	assert_string_equal(pk_no_case_reason(a.why_none), "raw mode: no struct pages");
	assert_int_equal(a.meta, PK_META_NONE);
	assert_int_equal(a.page_struct_size, 0);
	assert_int_equal(a.metadata_bytes, 0);
	assert_int_equal(a.userdata_bytes, 0);
	/* A raw namespace is all data. */
	assert_true(a.has_data);
	assert_int_equal(a.data.start, 0x180000000ULL);
	assert_int_equal(a.data.end, 0x188000000ULL);

	pk_assess(&test_ns[5], &k, PK_SCOPE_METADATA, &a);
	assert_int_equal(a.kase, 0);
	assert_int_equal(a.why_none, PK_NO_PAGES_SECTOR);
	assert_false(a.has_data);
	assert_true(a.has_ns_range);
	assert_int_equal(a.ns_range.end - a.ns_range.start, 128 * MIB);
}

static void test_seed_disabled(void **state)
{
	struct pk_kernel k = kernel_with_list();
	struct pk_assessment a;

	pk_assess(&test_ns[3], &k, PK_SCOPE_METADATA, &a);
	assert_int_equal(a.kase, 0);
	assert_int_equal(a.why_none, PK_NO_PAGES_IDLE);
	assert_false(a.has_ns_range);
	assert_false(a.has_data);

	/* Disabled map=dev: nothing mapped, so no memmap to dump or list. */
	pk_assess(&test_ns[6], &k, PK_SCOPE_METADATA, &a);
	assert_int_equal(a.kase, 0);
	assert_int_equal(a.why_none, PK_NO_PAGES_IDLE);
	assert_false(a.has_memmap);
	assert_int_equal(a.listed, PK_LISTED_NA);
	assert_int_equal(a.pmem_metadata_bytes, 0);
}

static void test_kernel_without_series(void **state)
{
	struct pk_kernel k = { .list = PK_LIST_ABSENT, .page_struct_size = 64 };
	struct pk_assessment a;

	pk_assess(&test_ns[0], &k, PK_SCOPE_METADATA, &a);
	assert_int_equal(a.kase, 'D');
	assert_int_equal(a.listed, PK_LISTED_INFO_BLOCK);
	assert_string_equal(pk_listed_name(a.listed), "info block");
	assert_int_equal(a.memmap.start, 0x140002000ULL);
	assert_int_equal(a.memmap.end, 0x140400000ULL);
}

/* No VMCOREINFO (not root): the listing is unknown, the size the default. */
static void test_kernel_unknown(void **state)
{
	struct pk_kernel k = { .list = PK_LIST_UNKNOWN };
	struct pk_assessment a;

	pk_assess(&test_ns[0], &k, PK_SCOPE_METADATA, &a);
	assert_int_equal(a.listed, PK_LISTED_UNKNOWN);
	assert_int_equal(a.page_struct_size, 64);
	assert_int_equal(a.sps_source, PK_SPS_DEFAULT);
	assert_string_equal(pk_sps_source_name(a.sps_source), "default");
}

/* An info block's page_struct_size wins over the kernel's SIZE(page). */
static void test_page_struct_size(void **state)
{
	struct pk_kernel k = { .list = PK_LIST_ABSENT, .page_struct_size = 80 };
	struct pk_namespace ns = test_ns[2];
	struct pk_assessment a;

	pk_assess(&ns, &k, PK_SCOPE_METADATA, &a);
	assert_int_equal(a.page_struct_size, 80);
	assert_int_equal(a.sps_source, PK_SPS_KERNEL);
	assert_int_equal(a.metadata_bytes, 32768ULL * 80);

	ns.page_struct_size = 64;
	pk_assess(&ns, &k, PK_SCOPE_METADATA, &a);
	assert_int_equal(a.page_struct_size, 64);
	assert_int_equal(a.sps_source, PK_SPS_INFO_BLOCK);
	assert_int_equal(a.metadata_bytes, 2 * MIB);
}

/*
 * A legacy namespace with start_pad: the kernel's listed range (ending at
 * the data, inside the namespace) is taken over the 6.1 assumption.
 */
static void test_start_pad_from_list(void **state)
{
	struct pk_range r = { NS0_0 + 0x100000 + 0x2000, NS0_0 + 4 * MIB };
	struct pk_kernel k = { .list = PK_LIST_PRESENT, .memmaps = &r, .nr_memmaps = 1 };
	struct pk_namespace ns = test_ns[0];
	struct pk_assessment a;

	pk_assess(&ns, &k, PK_SCOPE_METADATA, &a);
	assert_int_equal(a.listed, PK_LISTED_YES);
	assert_int_equal(a.memmap.start, NS0_0 + 0x102000);
	assert_int_equal(a.pmem_metadata_bytes, 4 * MIB - 0x102000);

	/* A start_pad the backend read from the info block is used as is. */
	ns.start_pad = 0x100000;
	k.list = PK_LIST_ABSENT;
	pk_assess(&ns, &k, PK_SCOPE_METADATA, &a);
	assert_int_equal(a.memmap.start, NS0_0 + 0x102000);
	/* Pages from start_pad to the end of the data. */
	assert_int_equal(a.struct_pages, (256 * MIB - 0x100000) / 4096);
}

/* --pmem-userdata: entire pmem, cases A and B, user data counted. */
static void test_scope_entire(void **state)
{
	struct pk_kernel k = kernel_with_list();
	struct pk_assessment a;

	pk_assess(&test_ns[0], &k, PK_SCOPE_ENTIRE, &a);
	assert_int_equal(a.kase, 'B');
	assert_int_equal(a.pmem_metadata_bytes, 0x3fe000);
	assert_int_equal(a.userdata_bytes, 256 * MIB - 0x3fe000);
	assert_string_equal(pk_scope_name(a.scope), "entire");

	pk_assess(&test_ns[2], &k, PK_SCOPE_ENTIRE, &a);
	assert_int_equal(a.kase, 'A');
	assert_int_equal(a.metadata_bytes, 2 * MIB);
	assert_int_equal(a.userdata_bytes, 128 * MIB);

	pk_assess(&test_ns[4], &k, PK_SCOPE_ENTIRE, &a);
	assert_int_equal(a.kase, 0);
	assert_int_equal(a.userdata_bytes, 128 * MIB);

	pk_assess(&test_ns[3], &k, PK_SCOPE_ENTIRE, &a);
	assert_int_equal(a.userdata_bytes, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fsdax_dev),
		cmocka_unit_test(test_devdax_dev),
		cmocka_unit_test(test_devdax_not_listed),
		cmocka_unit_test(test_fsdax_mem),
		cmocka_unit_test(test_raw_sector),
		cmocka_unit_test(test_seed_disabled),
		cmocka_unit_test(test_kernel_without_series),
		cmocka_unit_test(test_kernel_unknown),
		cmocka_unit_test(test_page_struct_size),
		cmocka_unit_test(test_start_pad_from_list),
		cmocka_unit_test(test_scope_entire),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
