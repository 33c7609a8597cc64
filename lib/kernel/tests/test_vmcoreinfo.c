// SPDX-License-Identifier: GPL-2.0-or-later
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/vmcoreinfo.h"
#include "util/log.h"

/* Quiet: the tests check return codes, and the recorded text where it matters. */
static struct log_ctx test_log;

/* A trimmed VMCOREINFO as Linux 6.1 x86_64 writes it. */
static const char good[] =
	"OSRELEASE=6.1.0-test\n"
	"PAGESIZE=4096\n"
	"SYMBOL(init_uts_ns)=ffffffff82a12360\n"
	"SYMBOL(mem_section)=ffff88803ffd1000\n"
	"LENGTH(mem_section)=2048\n"
	"SIZE(mem_section)=16\n"
	"OFFSET(mem_section.section_mem_map)=0\n"
	"NUMBER(SECTION_SIZE_BITS)=27\n"
	"NUMBER(MAX_PHYSMEM_BITS)=46\n"
	"SIZE(page)=64\n"
	"OFFSET(page.flags)=0\n"
	"OFFSET(page._refcount)=52\n"
	"OFFSET(page.mapping)=24\n"
	"OFFSET(page.lru)=8\n"
	"OFFSET(page._mapcount)=48\n"
	"OFFSET(page.private)=40\n"
	"OFFSET(page.compound_dtor)=16\n"
	"OFFSET(page.compound_order)=17\n"
	"OFFSET(page.compound_head)=8\n"
	"LENGTH(zone.free_area)=11\n"
	"NUMBER(PG_lru)=4\n"
	"NUMBER(PG_private)=13\n"
	"NUMBER(PG_swapcache)=10\n"
	"NUMBER(PG_swapbacked)=19\n"
	"NUMBER(PG_slab)=9\n"
	"NUMBER(PG_hwpoison)=23\n"
	"NUMBER(PG_head_mask)=65536\n"
	"NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=-129\n"
	"NUMBER(HUGETLB_PAGE_DTOR)=2\n"
	"NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)=-257\n"
	"NUMBER(phys_base)=-2130706432\n"
	"SYMBOL(init_top_pgt)=ffffffff82a0e000\n"
	"NUMBER(pgtable_l5_enabled)=0\n"
	"KERNELOFFSET=1000000\n"
	"CRASHTIME=1700000000\n";

static int quiet(void **state)
{
	(void)state;
	log_init(&test_log, "test");
	test_log.level = 0;
	return 0;
}

static void parses_every_kind_of_value(void **state)
{
	struct vmcoreinfo vi;
	struct kernel_info ki;

	(void)state;
	assert_int_equal(vmcoreinfo_parse(&vi, &test_log, good, sizeof(good)), 0);
	assert_int_equal(kernel_info_init(&ki, &vi), 0);
	assert_string_equal(ki.osrelease, "6.1.0-test");
	assert_int_equal(ki.page_size, 4096);
	assert_int_equal(ki.sym_mem_section, 0xffff88803ffd1000ULL);
	assert_int_equal(ki.sym_init_top_pgt, 0xffffffff82a0e000ULL);
	assert_int_equal(ki.kernel_offset, 0x1000000);
	assert_int_equal(ki.size_page, 64);
	assert_int_equal(ki.off_page_mapcount, 48);
	assert_int_equal(ki.pg_head_mask, 65536);
	assert_int_equal(ki.page_buddy_mapcount, -129);
	assert_int_equal(ki.page_offline_mapcount, -257);
	assert_int_equal(ki.max_order, 11);
	assert_int_equal(ki.section_size_bits, 27);
	assert_int_equal(ki.max_physmem_bits, 46);
	assert_false(ki.pgtable_l5);
	/* phys_base is printed with %ld: a negative value is a high address. */
	assert_int_equal(ki.phys_base, (uint64_t)-2130706432LL);
	vmcoreinfo_free(&vi);
}

static char *without(const char *key)
{
	static char buf[sizeof(good)];
	const char *at = strstr(good, key);
	const char *eol = strchr(at, '\n') + 1;

	memcpy(buf, good, (size_t)(at - good));
	strcpy(buf + (at - good), eol);
	return buf;
}

static void missing_required_entry_fails(void **state)
{
	static const char *required[] = {
		"PAGESIZE=", "SYMBOL(mem_section)=", "SIZE(page)=",
		"OFFSET(page.flags)=", "NUMBER(PG_lru)=", "NUMBER(phys_base)=",
		"OSRELEASE=", "NUMBER(PG_head_mask)=",
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		struct vmcoreinfo vi;
		struct kernel_info ki;
		char *text = without(required[i]);

		assert_int_equal(vmcoreinfo_parse(&vi, &test_log, text, strlen(text)), 0);
		log_clear_error(&test_log);
		assert_true(kernel_info_init(&ki, &vi) < 0);
		/* The recorded error is the caller's to word: it names the entry. */
		assert_int_equal(log_error_status(&test_log), PMD_ECORRUPT);
		assert_non_null(strstr(log_error_text(&test_log),
				       strndupa(required[i], strlen(required[i]) - 1)));
		vmcoreinfo_free(&vi);
	}
}

static void optional_entries_default_to_absent(void **state)
{
	struct vmcoreinfo vi;
	struct kernel_info ki;
	char *text = without("NUMBER(PG_hwpoison)=");

	(void)state;
	assert_int_equal(vmcoreinfo_parse(&vi, &test_log, text, strlen(text)), 0);
	assert_int_equal(kernel_info_init(&ki, &vi), 0);
	assert_int_equal(ki.pg_hwpoison, VMCI_ABSENT);
	vmcoreinfo_free(&vi);
}

static void garbage_is_rejected(void **state)
{
	struct vmcoreinfo vi;
	struct kernel_info ki;
	char text[sizeof(good) + 64];
	static const char no_equals[] = "OSRELEASE=6.1\nthis line has no equals sign\n";

	(void)state;
	assert_int_equal(vmcoreinfo_parse(&vi, &test_log, no_equals, sizeof(no_equals)), -1);
	assert_int_equal(vmcoreinfo_parse(&vi, &test_log, "\0\0\0", 3), -1);

	/* A bad number in a needed entry is an error, not "absent". */
	snprintf(text, sizeof(text), "%sSIZE(page)=sixty-four\n", good);
	assert_int_equal(vmcoreinfo_parse(&vi, &test_log, text, strlen(text)), 0);
	assert_int_equal(kernel_info_init(&ki, &vi), -1);
	vmcoreinfo_free(&vi);

	/* Offsets outside struct page are a corrupt layout. */
	snprintf(text, sizeof(text), "%sOFFSET(page.mapping)=4000\n", good);
	assert_int_equal(vmcoreinfo_parse(&vi, &test_log, text, strlen(text)), 0);
	assert_int_equal(kernel_info_init(&ki, &vi), -1);
	vmcoreinfo_free(&vi);

	snprintf(text, sizeof(text), "%sPAGESIZE=65536\n", good);
	assert_int_equal(vmcoreinfo_parse(&vi, &test_log, text, strlen(text)), 0);
	assert_int_equal(kernel_info_init(&ki, &vi), -1);
	vmcoreinfo_free(&vi);
}

static void later_line_wins_and_nul_padding_ends(void **state)
{
	struct vmcoreinfo vi;
	static const char text[] = "PAGESIZE=4096\nCRASHTIME=1\nCRASHTIME=2\n\0junk=1\n";
	long long v;

	(void)state;
	assert_int_equal(vmcoreinfo_parse(&vi, &test_log, text, sizeof(text)), 0);
	assert_true(vmcoreinfo_get_long(&vi, "CRASHTIME", &v));
	assert_int_equal(v, 2);
	assert_null(vmcoreinfo_get(&vi, "junk"));
	vmcoreinfo_free(&vi);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(parses_every_kind_of_value, quiet),
		cmocka_unit_test_setup(missing_required_entry_fails, quiet),
		cmocka_unit_test_setup(optional_entries_default_to_absent, quiet),
		cmocka_unit_test_setup(garbage_is_rejected, quiet),
		cmocka_unit_test_setup(later_line_wins_and_nul_padding_ends, quiet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
