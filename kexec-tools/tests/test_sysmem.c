// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Crash ranges and the capture kernel's e820 from saved /proc/iomem files
 * (kexec-tools/tests/data, doc/kexec-design.md §7 shapes a-h). Each
 * expected e820 is read off its fixture by hand with the table of §5.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/sysmem.h"
#include "util/iomem.h"
#include "util/log.h"

static void load(struct iomem_tree *t, const char *name, struct log_ctx *log)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", KEXEC_TEST_DATA, name);
	assert_int_equal(iomem_read(t, path, log), 0);
}

static void check_e820(const struct e820_map *m, const struct e820_ent *want, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < m->nr && i < nr; i++) {
		if (m->e[i].addr != want[i].addr || m->e[i].size != want[i].size ||
		    m->e[i].type != want[i].type)
			print_error("entry %u: got 0x%llx+0x%llx type %u, "
				    "want 0x%llx+0x%llx type %u\n", i,
				    (unsigned long long)m->e[i].addr,
				    (unsigned long long)m->e[i].size, m->e[i].type,
				    (unsigned long long)want[i].addr,
				    (unsigned long long)want[i].size, want[i].type);
		assert_int_equal(m->e[i].addr, want[i].addr);
		assert_int_equal(m->e[i].size, want[i].size);
		assert_int_equal(m->e[i].type, want[i].type);
	}
	assert_int_equal(m->nr, nr);
}

#define NR(a) (sizeof(a) / sizeof((a)[0]))

/*
 * (a) The lab (lab-first.iomem): 1 GiB, NVDIMM at 4 GiB, crashkernel=256M.
 * The ELF header takes the top page of the crash range, as our plan puts it.
 */
static const struct e820_ent lab_want[] = {
	{ 0x0, 0x1000, 2 },			/* Reserved */
	{ 0x1000, 0x9ec00, 1 },			/* System RAM below 1 MiB */
	{ 0x9fc00, 0x400, 2 },			/* Reserved */
	{ 0xf0000, 0x10000, 2 },		/* Reserved (System ROM inside) */
	{ 0x2f000000, 0xffff000, 1 },		/* Crash kernel minus the top page */
	{ 0x3ffdc000, 0x24000, 2 },		/* Reserved */
	{ 0xfffc0000, 0x40000, 2 },		/* Reserved */
	{ 0x100000000, 0x40000000, 7 },		/* Persistent Memory */
	{ 0xfd00000000, 0x300000000, 2 },	/* Reserved */
};

static void lab(void **state)
{
	const struct mem_range keep = { 0x3efff000, 0x3f000000 };
	struct crash_ranges cr;
	struct iomem_tree t;
	struct e820_map m;
	struct log_ctx log;

	(void)state;
	log_init(&log, "test");
	load(&t, "lab-first.iomem", &log);
	assert_int_equal(crash_ranges_find(&t, &cr, &log), 0);
	assert_int_equal(cr.nr, 1);
	assert_int_equal(cr.r[0].start, 0x2f000000);
	assert_int_equal(cr.r[0].end, 0x3f000000);
	assert_ptr_equal(crash_main(&cr), &cr.r[0]);
	assert_int_equal(e820_build(&m, &t, &cr, &keep, &log), 0);
	check_e820(&m, lab_want, NR(lab_want));
	e820_free(&m);
	assert_null(m.e);
	assert_int_equal(sysmem_ram_span(&t), 0x3ffdb000);	/* 0x1000 to 0x3ffdbfff */
	iomem_free(&t);
	log_destroy(&log);
}

/*
 * Where @keep sits in the crash range changes only the RAM piece(s).
 * At the bottom, as kexec_file puts the header, the result is the lab
 * capture kernel's own "BIOS-e820: [mem 0x2f001000-0x3effffff] usable".
 */
static void lab_keep_variants(void **state)
{
	static const struct {
		struct mem_range keep;
		struct e820_ent ram[2];
		unsigned int nr;
	} cases[] = {
		{ { 0x2f000000, 0x2f001000 }, { { 0x2f001000, 0xffff000, 1 } }, 1 },
		{ { 0x30000000, 0x30004000 },
		  { { 0x2f000000, 0x1000000, 1 }, { 0x30004000, 0xeffc000, 1 } }, 2 },
		{ { 0, 0 }, { { 0x2f000000, 0x10000000, 1 } }, 1 },
		/* A piece under a page is dropped, as the kernel's loop drops it. */
		{ { 0x2f000800, 0x3f000000 }, { { 0 } }, 0 },
		{ { 0x2f000000, 0x3efff800 }, { { 0 } }, 0 },
		/* The whole range, and a keep outside it: nothing / everything. */
		{ { 0x2f000000, 0x3f000000 }, { { 0 } }, 0 },
		{ { 0x40000000, 0x40001000 }, { { 0x2f000000, 0x10000000, 1 } }, 1 },
	};
	struct e820_ent want[NR(lab_want) + 1];
	struct crash_ranges cr;
	struct iomem_tree t;
	struct e820_map m;
	struct log_ctx log;
	unsigned int i, j, n;

	(void)state;
	log_init(&log, "test");
	load(&t, "lab-first.iomem", &log);
	assert_int_equal(crash_ranges_find(&t, &cr, &log), 0);
	for (i = 0; i < NR(cases); i++) {
		n = 0;
		for (j = 0; j < 4; j++)
			want[n++] = lab_want[j];
		for (j = 0; j < cases[i].nr; j++)
			want[n++] = cases[i].ram[j];
		for (j = 5; j < NR(lab_want); j++)
			want[n++] = lab_want[j];
		assert_int_equal(e820_build(&m, &t, &cr, &cases[i].keep, &log), 0);
		check_e820(&m, want, n);
		e820_free(&m);
	}
	/* No keep at all (a plain -l load has no ELF header). */
	assert_int_equal(e820_build(&m, &t, &cr, NULL, &log), 0);
	assert_int_equal(m.nr, NR(lab_want));
	assert_int_equal(m.e[4].addr, 0x2f000000);
	assert_int_equal(m.e[4].size, 0x10000000);
	e820_free(&m);
	iomem_free(&t);
	log_destroy(&log);
}

/* (b) crashkernel=256M,high on a 4 GiB machine: a low and a high range. */
static void high_and_low(void **state)
{
	static const struct e820_ent want[] = {
		{ 0x0, 0x1000, 2 },
		{ 0x1000, 0x9ec00, 1 },
		{ 0x9fc00, 0x400, 2 },
		{ 0xf0000, 0x10000, 2 },
		{ 0xaf000000, 0x10000000, 1 },		/* the low range, whole */
		{ 0xbffe0000, 0x20000, 2 },
		{ 0xfffc0000, 0x40000, 2 },
		{ 0x130000000, 0xffff000, 1 },		/* the high one minus the header */
		{ 0xfd00000000, 0x300000000, 2 },
	};
	const struct mem_range keep = { 0x13ffff000, 0x140000000 };
	struct crash_ranges cr;
	struct iomem_tree t;
	struct e820_map m;
	struct log_ctx log;

	(void)state;
	log_init(&log, "test");
	load(&t, "high-4g.iomem", &log);
	assert_int_equal(crash_ranges_find(&t, &cr, &log), 0);
	assert_int_equal(cr.nr, 2);
	assert_int_equal(cr.r[0].start, 0xaf000000);
	assert_int_equal(cr.r[0].end, 0xbf000000);
	assert_int_equal(cr.r[1].start, 0x130000000);
	assert_int_equal(cr.r[1].end, 0x140000000);
	assert_ptr_equal(crash_main(&cr), &cr.r[1]);
	assert_int_equal(e820_build(&m, &t, &cr, &keep, &log), 0);
	check_e820(&m, want, NR(want));
	e820_free(&m);
	assert_int_equal(sysmem_ram_span(&t), 0x13ffff000);
	iomem_free(&t);
	log_destroy(&log);
}

/*
 * (c) memmap=1G!4G: legacy pmem goes in as reserved (2), not 12, and
 * merges with the Reserved ranges that touch it on both sides (the BIOS
 * ROM below 4 GiB, and one after it).
 */
static void legacy_pmem(void **state)
{
	static const struct e820_ent want[] = {
		{ 0x0, 0x1000, 2 },
		{ 0x1000, 0x9ec00, 1 },
		{ 0x9fc00, 0x400, 2 },
		{ 0xf0000, 0x10000, 2 },
		{ 0x2f000000, 0xffff000, 1 },
		{ 0x3ffdc000, 0x24000, 2 },
		{ 0xfffc0000, 0x50040000, 2 },		/* ROM + legacy pmem + Reserved */
		{ 0xfd00000000, 0x300000000, 2 },
	};
	const struct mem_range keep = { 0x3efff000, 0x3f000000 };
	struct crash_ranges cr;
	struct iomem_tree t;
	struct e820_map m;
	struct log_ctx log;

	(void)state;
	log_init(&log, "test");
	load(&t, "legacy-pmem.iomem", &log);
	assert_int_equal(crash_ranges_find(&t, &cr, &log), 0);
	assert_int_equal(e820_build(&m, &t, &cr, &keep, &log), 0);
	check_e820(&m, want, NR(want));
	e820_free(&m);
	iomem_free(&t);
	log_destroy(&log);
}

/*
 * (d) Two namespaces in one region: one type 7 entry for the region. Also
 * "reserved" at depth 1 under a PCI bus is found, and one nested in a
 * Reserved range is not a second entry (walk_iomem_res_desc()).
 */
static void two_namespaces(void **state)
{
	static const struct e820_ent want[] = {
		{ 0x0, 0x1000, 2 },
		{ 0x1000, 0x9ec00, 1 },
		{ 0x9fc00, 0x400, 2 },
		{ 0xf0000, 0x10000, 2 },
		{ 0x5f000000, 0xffff000, 1 },
		{ 0x7ffdc000, 0x24000, 2 },
		{ 0xfebf0000, 0x4000, 2 },		/* "reserved" under the PCI bus */
		{ 0xfffc0000, 0x40000, 2 },
		{ 0x100000000, 0x80000000, 7 },
		{ 0xfd00000000, 0x300000000, 2 },
	};
	const struct mem_range keep = { 0x6efff000, 0x6f000000 };
	struct crash_ranges cr;
	struct iomem_tree t;
	struct e820_map m;
	struct log_ctx log;

	(void)state;
	log_init(&log, "test");
	load(&t, "two-namespaces.iomem", &log);
	assert_int_equal(crash_ranges_find(&t, &cr, &log), 0);
	assert_int_equal(e820_build(&m, &t, &cr, &keep, &log), 0);
	check_e820(&m, want, NR(want));
	e820_free(&m);
	iomem_free(&t);
	log_destroy(&log);
}

/*
 * (e) An EFI-like map with ACPI ranges, and System RAM (kmem) under pmem:
 * the kmem RAM is no RAM of the capture kernel (the pmem entry covers it),
 * but it counts in the RAM span the identity map covers.
 */
static void kmem_under_pmem(void **state)
{
	static const struct e820_ent want[] = {
		{ 0x0, 0x1000, 2 },
		{ 0x1000, 0x9f000, 1 },
		{ 0xa0000, 0x60000, 2 },
		{ 0x2f000000, 0xffff000, 1 },
		{ 0x3fe7f000, 0x80000, 4 },		/* ACPI Non-volatile Storage */
		{ 0x3feff000, 0x80000, 3 },		/* ACPI Tables */
		{ 0x3ff7f000, 0x81000, 2 },
		{ 0xffc00000, 0x400000, 2 },
		{ 0x100000000, 0x40000000, 7 },
	};
	const struct mem_range keep = { 0x3efff000, 0x3f000000 };
	struct crash_ranges cr;
	struct iomem_tree t;
	struct e820_map m;
	struct log_ctx log;

	(void)state;
	log_init(&log, "test");
	load(&t, "kmem-efi.iomem", &log);
	assert_int_equal(crash_ranges_find(&t, &cr, &log), 0);
	assert_int_equal(e820_build(&m, &t, &cr, &keep, &log), 0);
	check_e820(&m, want, NR(want));
	e820_free(&m);
	assert_int_equal(sysmem_ram_span(&t), 0x13ffff000);	/* 0x1000 to 0x13fffffff */
	iomem_free(&t);
	log_destroy(&log);
}

/* (f) 150 separate Reserved ranges and two that touch: 152 entries. */
static void many_entries(void **state)
{
	size_t cap = 64 * 200, len = 0;
	char *text = malloc(cap);
	struct crash_ranges cr;
	struct iomem_tree t;
	struct e820_map m;
	struct log_ctx log;
	unsigned int i;

	(void)state;
	assert_non_null(text);
	len += (size_t)snprintf(text + len, cap - len,
				"00100000-3fffffff : System RAM\n"
				"  2f000000-3effffff : Crash kernel\n");
	for (i = 0; i < 150; i++)
		len += (size_t)snprintf(text + len, cap - len, "%llx-%llx : Reserved\n",
					0x100000000ull + i * 0x2000ull,
					0x100000fffull + i * 0x2000ull);
	len += (size_t)snprintf(text + len, cap - len,
				"200000000-200000fff : Reserved\n200001000-200001fff : reserved\n");
	log_init(&log, "test");
	assert_int_equal(iomem_parse(&t, text, len, &log), 0);
	assert_int_equal(crash_ranges_find(&t, &cr, &log), 0);
	assert_int_equal(e820_build(&m, &t, &cr, NULL, &log), 0);
	assert_int_equal(m.nr, 152);
	assert_int_equal(m.e[0].addr, 0x2f000000);
	assert_int_equal(m.e[0].size, 0x10000000);
	assert_int_equal(m.e[0].type, 1);
	for (i = 0; i < 150; i++) {
		assert_int_equal(m.e[1 + i].addr, 0x100000000ull + i * 0x2000ull);
		assert_int_equal(m.e[1 + i].size, 0x1000);
		assert_int_equal(m.e[1 + i].type, 2);
	}
	assert_int_equal(m.e[151].addr, 0x200000000);
	assert_int_equal(m.e[151].size, 0x2000);
	assert_int_equal(m.e[151].type, 2);
	e820_free(&m);
	iomem_free(&t);
	log_destroy(&log);
	free(text);
}

/* System RAM across 1 MiB is cut there; the RAM above is not passed. */
static void low_ram_clipped(void **state)
{
	static const char text[] =
		"00000000-001fffff : System RAM\n"
		"00200000-3fffffff : System RAM\n"
		"  2f000000-3effffff : Crash kernel\n";
	static const struct e820_ent want[] = {
		{ 0x0, 0x100000, 1 },
		{ 0x2f000000, 0x10000000, 1 },
	};
	struct crash_ranges cr;
	struct iomem_tree t;
	struct e820_map m;
	struct log_ctx log;

	(void)state;
	log_init(&log, "test");
	assert_int_equal(iomem_parse(&t, text, strlen(text), &log), 0);
	assert_int_equal(crash_ranges_find(&t, &cr, &log), 0);
	assert_int_equal(e820_build(&m, &t, &cr, NULL, &log), 0);
	check_e820(&m, want, NR(want));
	e820_free(&m);
	assert_int_equal(sysmem_ram_span(&t), 0x40000000);
	iomem_free(&t);
	log_destroy(&log);
}

struct refusal {
	const char *file;
	int status;
	const char *text;
};

/* (g) non-root, (h) no crash kernel, and three ranges. */
static void refusals(void **state)
{
	static const struct refusal cases[] = {
		{ "nonroot.iomem", -PMD_EIO, "/proc/iomem shows no addresses: run as root" },
		{ "no-crash.iomem", -PMD_EUNSUPPORTED,
		  "no crash kernel memory is reserved (boot with crashkernel=)" },
		{ "three-crash.iomem", -PMD_ECORRUPT,
		  "3 \"Crash kernel\" ranges in /proc/iomem: the kernel reserves at most two "
		  "(crashkernel= and its low part)" },
	};
	struct crash_ranges cr;
	struct iomem_tree t;
	struct log_ctx log;
	unsigned int i;

	(void)state;
	for (i = 0; i < NR(cases); i++) {
		log_init(&log, "test");
		load(&t, cases[i].file, &log);
		memset(&cr, 0xff, sizeof(cr));
		assert_int_equal(crash_ranges_find(&t, &cr, &log), cases[i].status);
		assert_int_equal(log_error_status(&log), -cases[i].status);
		assert_string_equal(log_error_text(&log), cases[i].text);
		assert_int_equal(cr.nr, 0);
		iomem_free(&t);
		log_destroy(&log);
	}
}

static void hostile_trees(void **state)
{
	static const struct {
		const char *text;
		int status;
		const char *error;
	} cases[] = {
		{ "0-ffffffffffffffff : System RAM\n  ff000000-ffffffffffffffff : Crash kernel\n",
		  -PMD_ECORRUPT,
		  "the \"Crash kernel\" range at 0xff000000 runs to the end of the address space" },
		{ "0-ffffffff : System RAM\n  1000-1fff : Crash kernel\n"
		  "  1800-1fff : Crash kernel\n",
		  -PMD_ECORRUPT, NULL },
		{ "", -PMD_EUNSUPPORTED, NULL },
	};
	struct crash_ranges cr;
	struct iomem_tree t;
	struct log_ctx log;
	unsigned int i;

	(void)state;
	for (i = 0; i < NR(cases); i++) {
		log_init(&log, "test");
		assert_int_equal(iomem_parse(&t, cases[i].text, strlen(cases[i].text), &log), 0);
		assert_int_equal(crash_ranges_find(&t, &cr, &log), cases[i].status);
		if (cases[i].error)
			assert_string_equal(log_error_text(&log), cases[i].error);
		iomem_free(&t);
		log_destroy(&log);
	}
}

/* Whole-address-space ranges: sizes stay in 64 bits, nothing wraps. */
static void top_of_address_space(void **state)
{
	static const char text[] =
		"0-fffffffffffffffe : System RAM\n"
		"  1000000-1ffffff : Crash kernel\n"
		"ffffffffffffffff-ffffffffffffffff : Reserved\n";
	struct crash_ranges cr;
	struct iomem_tree t;
	struct e820_map m;
	struct log_ctx log;

	(void)state;
	log_init(&log, "test");
	assert_int_equal(iomem_parse(&t, text, strlen(text), &log), 0);
	assert_int_equal(crash_ranges_find(&t, &cr, &log), 0);
	assert_int_equal(e820_build(&m, &t, &cr, NULL, &log), 0);
	assert_int_equal(m.nr, 3);
	assert_int_equal(m.e[0].addr, 0);
	assert_int_equal(m.e[0].size, 0x100000);
	assert_int_equal(m.e[2].addr, UINT64_MAX);
	assert_int_equal(m.e[2].size, 1);
	assert_int_equal(m.e[2].type, 2);
	e820_free(&m);
	assert_int_equal(sysmem_ram_span(&t), UINT64_MAX);
	iomem_free(&t);
	assert_int_equal(iomem_parse(&t, "", 0, &log), 0);
	assert_int_equal(sysmem_ram_span(&t), 0);
	iomem_free(&t);
	log_destroy(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lab),
		cmocka_unit_test(lab_keep_variants),
		cmocka_unit_test(high_and_low),
		cmocka_unit_test(legacy_pmem),
		cmocka_unit_test(two_namespaces),
		cmocka_unit_test(kmem_under_pmem),
		cmocka_unit_test(many_entries),
		cmocka_unit_test(low_ram_clipped),
		cmocka_unit_test(refusals),
		cmocka_unit_test(hostile_trees),
		cmocka_unit_test(top_of_address_space),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
