// SPDX-License-Identifier: GPL-2.0-or-later
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "pmem/live.h"
#include "util/iomem.h"
#include "util/log.h"
#include "util/tests/fakeroot.h"

struct want {
	uint64_t start, end;
	const char *source;
};

static void check_ranges(const struct pmem_live *pl, const struct want *w, unsigned int nr)
{
	unsigned int i;

	assert_int_equal(pl->nr, nr);
	for (i = 0; i < nr; i++) {
		if (pl->r[i].start != w[i].start || pl->r[i].end != w[i].end)
			fail_msg("range %u: [%#llx, %#llx), want [%#llx, %#llx)", i,
				 (unsigned long long)pl->r[i].start,
				 (unsigned long long)pl->r[i].end,
				 (unsigned long long)w[i].start, (unsigned long long)w[i].end);
		assert_string_equal(pl->r[i].source, w[i].source);
	}
}

static int all_from_text(const char *text, struct pmem_live *pl, struct log_ctx *log)
{
	struct iomem_tree t;
	int ret;

	assert_int_equal(iomem_parse(&t, text, strlen(text), log), 0);
	ret = pmem_live_ranges(pl, &t, NULL, PMEM_LIVE_ALL, log);
	iomem_free(&t);
	return ret;
}

/* The lab's first.iomem (kernel-series), pmem part and a little around it. */
static const char lab_iomem[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0009fbff : System RAM\n"
	"00100000-3ffdbfff : System RAM\n"
	"  1f600000-1fe008f1 : Kernel code\n"
	"  2f000000-3effffff : Crash kernel\n"
	"fffc0000-ffffffff : Reserved\n"
	"100000000-13fffffff : Persistent Memory\n"
	"  100000000-13fffffff : namespace0.0\n"
	"240000000-2bfffffff : PCI Bus 0000:00\n";

static void all_mode(void **state)
{
	static const struct want lab[] = {
		{ 0x100000000, 0x140000000, "Persistent Memory" },
	};
	static const struct want legacy[] = {
		{ 0x100000000, 0x140000000, "Persistent Memory (legacy)" },
	};
	/* kmem: the System RAM (kmem) child, three levels down, is cut out. */
	static const char kmem_text[] =
		"00100000-3ffdbfff : System RAM\n"
		"100000000-23fffffff : Persistent Memory\n"
		"  100000000-23fffffff : namespace0.0\n"
		"    101200000-23fffffff : dax0.0\n"
		"      140000000-1bfffffff : System RAM (kmem)\n"
		"      200000000-23fffffff : System RAM (kmem)\n";
	static const struct want kmem[] = {
		{ 0x100000000, 0x140000000, "Persistent Memory" },
		{ 0x1c0000000, 0x200000000, "Persistent Memory" },
	};
	/* Two regions, one under "Reserved"; a pmem node inside another counts once. */
	static const char two_text[] =
		"300000000-33fffffff : Persistent Memory\n"
		"  300000000-33fffffff : namespace1.0\n"
		"  310000000-31fffffff : Persistent Memory\n"
		"340000000-37fffffff : Persistent Memory foo\n"
		"380000000-3bfffffff : Persistent Memoryx\n"
		"3c0000000-3ffffffff : persistent memory\n"
		"fd00000000-ffffffffff : Reserved\n"
		"  fe00000000-fe3fffffff : Persistent Memory (legacy)\n";
	static const struct want two[] = {
		{ 0x300000000, 0x340000000, "Persistent Memory" },
		{ 0xfe00000000, 0xfe40000000, "Persistent Memory (legacy)" },
	};
	/* kmem over all of it leaves nothing. */
	static const char all_kmem_text[] =
		"100000000-13fffffff : Persistent Memory\n"
		"  100000000-13fffffff : System RAM (kmem)\n";
	struct pmem_live pl;
	struct log_ctx log;
	char text[sizeof(lab_iomem) + 32];

	(void)state;
	log_init(&log, "test");
	assert_int_equal(all_from_text(lab_iomem, &pl, &log), 0);
	check_ranges(&pl, lab, 1);
	pmem_live_free(&pl);

	snprintf(text, sizeof(text), "%s", "100000000-13fffffff : Persistent Memory (legacy)\n");
	assert_int_equal(all_from_text(text, &pl, &log), 0);
	check_ranges(&pl, legacy, 1);
	pmem_live_free(&pl);

	assert_int_equal(all_from_text(kmem_text, &pl, &log), 0);
	check_ranges(&pl, kmem, 2);
	pmem_live_free(&pl);

	assert_int_equal(all_from_text(two_text, &pl, &log), 0);
	check_ranges(&pl, two, 2);
	pmem_live_free(&pl);

	assert_int_equal(all_from_text(all_kmem_text, &pl, &log), 0);
	check_ranges(&pl, NULL, 0);
	pmem_live_free(&pl);

	/* No pmem at all. */
	assert_int_equal(all_from_text("00100000-3ffdbfff : System RAM\n", &pl, &log), 0);
	check_ranges(&pl, NULL, 0);
	assert_int_equal(log_error_status(&log), 0);

	/* Read as non-root: every address 0. */
	assert_int_equal(all_from_text("00000000-00000000 : System RAM\n"
				       "00000000-00000000 : Persistent Memory\n", &pl, &log),
			 -PMD_EIO);
	assert_non_null(strstr(log_error_text(&log), "run as root"));
	assert_int_equal(pl.nr, 0);
	assert_null(pl.r);
	log_destroy(&log);
}

static void none_mode(void **state)
{
	struct pmem_live pl;
	struct iomem_tree t;
	struct log_ctx log;

	(void)state;
	log_init(&log, "test");
	assert_int_equal(iomem_parse(&t, lab_iomem, strlen(lab_iomem), &log), 0);
	assert_int_equal(pmem_live_ranges(&pl, &t, "/nonexistent", PMEM_LIVE_NONE, &log), 0);
	assert_int_equal(pl.nr, 0);
	pmem_live_free(&pl);
	assert_int_equal(pmem_live_ranges(&pl, &t, NULL, (enum pmem_live_mode)7, &log),
			 -PMD_EINVAL);
	iomem_free(&t);
	log_destroy(&log);
}

/*
 * libnvdimm's sysfs as the kernel lays it out: the devices live under
 * their region, /sys/bus/nd/devices holds symlinks to them, a bound
 * device has a "driver" link. Attribute files hold what pfn_devs.c and
 * namespace_devs.c print ("%#llx\n" resources, "pmem\n"/"ram\n" modes).
 */
#define REGION "sys/devices/platform/e820_pmem/ndbus0/region%u/%s"

static void nd_dev(const char *root, unsigned int region, const char *name, bool bound,
		   const char *mode, const char *ns, const char *resource)
{
	char rel[256], target[256];

	snprintf(rel, sizeof(rel), REGION "/uevent", region, name);
	fake_write(root, rel, "DEVTYPE=nd\n");
	snprintf(rel, sizeof(rel), "sys/bus/nd/devices/%s", name);
	snprintf(target, sizeof(target), "../../../devices/platform/e820_pmem/ndbus0/region%u/%s",
		 region, name);
	fake_symlink(root, rel, target);
	if (bound) {
		fake_mkdir(root, "sys/bus/nd/drivers/nd_pmem");
		snprintf(rel, sizeof(rel), REGION "/driver", region, name);
		fake_symlink(root, rel, "../../../../../../bus/nd/drivers/nd_pmem");
	}
	if (mode) {
		snprintf(rel, sizeof(rel), REGION "/mode", region, name);
		fake_write(root, rel, mode);
	}
	if (ns) {
		snprintf(rel, sizeof(rel), REGION "/namespace", region, name);
		fake_write(root, rel, ns);
	}
	if (resource) {
		snprintf(rel, sizeof(rel), REGION "/resource", region, name);
		fake_write(root, rel, resource);
	}
}

/* The lab's namespace0.0 and the seeds every region has. */
static char *lab_nd_root(void)
{
	char *root = fake_root_new();

	nd_dev(root, 0, "namespace0.0", true, "fsdax\n", NULL, "0x100000000\n");
	nd_dev(root, 0, "btt0.0", false, NULL, "\n", NULL);
	return root;
}

static int memmap(const char *root, struct pmem_live *pl, struct log_ctx *log)
{
	struct iomem_tree t;
	int ret;

	assert_int_equal(iomem_parse(&t, lab_iomem, strlen(lab_iomem), log), 0);
	ret = pmem_live_ranges(pl, &t, root, PMEM_LIVE_MEMMAP, log);
	iomem_free(&t);
	return ret;
}

/* first.state-*.sysfs of the lab: fsdax map=dev, devdax map=dev, fsdax map=mem. */
static void memmap_lab_states(void **state)
{
	static const struct want fsdax[] = { { 0x100000000, 0x101200000, "pfn0.0" } };
	static const struct want devdax[] = { { 0x100000000, 0x101200000, "dax0.0" } };
	struct pmem_live pl;
	struct log_ctx log;
	char *root;

	(void)state;
	log_init(&log, "test");

	root = lab_nd_root();
	nd_dev(root, 0, "pfn0.0", true, "pmem\n", "namespace0.0\n", "0x101200000\n");
	nd_dev(root, 0, "pfn0.1", false, "none\n", "\n", NULL);		/* the seed */
	nd_dev(root, 0, "dax0.0", false, "none\n", "\n", NULL);
	assert_int_equal(memmap(root, &pl, &log), 0);
	check_ranges(&pl, fsdax, 1);
	pmem_live_free(&pl);
	fake_root_free(root);

	root = lab_nd_root();
	nd_dev(root, 0, "dax0.0", true, "pmem\n", "namespace0.0\n", "0x101200000\n");
	nd_dev(root, 0, "pfn0.0", false, "none\n", "\n", NULL);
	nd_dev(root, 0, "dax0.1", false, "none\n", "\n", NULL);
	assert_int_equal(memmap(root, &pl, &log), 0);
	check_ranges(&pl, devdax, 1);
	pmem_live_free(&pl);
	fake_root_free(root);

	/* map=mem: the memmap is in RAM, nothing of the pmem is needed. */
	root = lab_nd_root();
	nd_dev(root, 0, "pfn0.1", true, "ram\n", "namespace0.0\n", "0x100200000\n");
	nd_dev(root, 0, "pfn0.2", false, "none\n", "\n", NULL);
	assert_int_equal(memmap(root, &pl, &log), 0);
	check_ranges(&pl, NULL, 0);
	pmem_live_free(&pl);
	fake_root_free(root);

	/* Disabled (no driver link) with a map=dev configuration: nothing. */
	root = lab_nd_root();
	nd_dev(root, 0, "pfn0.0", false, "pmem\n", "namespace0.0\n", NULL);
	assert_int_equal(memmap(root, &pl, &log), 0);
	check_ranges(&pl, NULL, 0);
	pmem_live_free(&pl);
	fake_root_free(root);

	/* No libnvdimm: no /sys/bus/nd at all. */
	root = fake_root_new();
	assert_int_equal(memmap(root, &pl, &log), 0);
	check_ranges(&pl, NULL, 0);
	fake_root_free(root);
	assert_int_equal(log_error_status(&log), 0);
	log_destroy(&log);
}

/* Two regions, listed out of order by readdir or not: the ranges come sorted. */
static void memmap_two_regions(void **state)
{
	static const struct want two[] = {
		{ 0x100000000, 0x101200000, "pfn0.0" },
		{ 0x240000000, 0x242400000, "dax1.0" },
	};
	struct pmem_live pl;
	struct log_ctx log;
	char *root = lab_nd_root();

	(void)state;
	log_init(&log, "test");
	nd_dev(root, 1, "dax1.0", true, "pmem\n", "namespace1.0\n", "0x242400000\n");
	nd_dev(root, 1, "namespace1.0", true, "devdax\n", NULL, "0x240000000\n");
	nd_dev(root, 0, "pfn0.0", true, "pmem\n", "namespace0.0\n", "0x101200000\n");
	/* Names that are not pfn/dax devices are skipped without being read. */
	nd_dev(root, 0, "pfn0.0x", true, "pmem\n", "namespace0.0\n", "garbage\n");
	nd_dev(root, 0, "pfn.1", true, "pmem\n", "namespace0.0\n", "garbage\n");
	nd_dev(root, 0, "dax0.", true, "pmem\n", "namespace0.0\n", "garbage\n");
	nd_dev(root, 0, "region0", true, "pmem\n", "namespace0.0\n", "garbage\n");
	nd_dev(root, 0, "dax000000000000000000000000000000000.0", true, "pmem\n",
	       "namespace0.0\n", "garbage\n");
	assert_int_equal(memmap(root, &pl, &log), 0);
	check_ranges(&pl, two, 2);
	pmem_live_free(&pl);
	log_destroy(&log);
	fake_root_free(root);
}

static void memmap_failure(void (*breakit)(const char *root), int status, const char *words)
{
	struct pmem_live pl;
	struct log_ctx log;
	char *root = lab_nd_root();

	log_init(&log, "test");
	breakit(root);
	assert_int_equal(memmap(root, &pl, &log), -status);
	assert_int_equal(log_error_status(&log), status);
	if (!strstr(log_error_text(&log), words))
		fail_msg("'%s' lacks '%s'", log_error_text(&log), words);
	assert_int_equal(pl.nr, 0);
	assert_null(pl.r);
	log_destroy(&log);
	fake_root_free(root);
}

static void garbage_resource(const char *r)
{
	nd_dev(r, 0, "pfn0.0", true, "pmem\n", "namespace0.0\n", "0x10120zz00\n");
}
static void empty_resource(const char *r)
{
	nd_dev(r, 0, "pfn0.0", true, "pmem\n", "namespace0.0\n", "\n");
}
static void no_resource(const char *r)
{
	nd_dev(r, 0, "pfn0.0", true, "pmem\n", "namespace0.0\n", NULL);
}
static void ns_without_resource(const char *r)
{
	nd_dev(r, 0, "pfn0.0", true, "pmem\n", "namespace0.1\n", "0x101200000\n");
	nd_dev(r, 0, "namespace0.1", false, "fsdax\n", NULL, NULL);
}
static void ns_traversal(const char *r)
{
	nd_dev(r, 0, "pfn0.0", true, "pmem\n", "../../../../proc\n", "0x101200000\n");
}
static void ns_long(const char *r)
{
	char line[300];

	memset(line, 'n', sizeof(line) - 2);
	line[sizeof(line) - 2] = '\n';
	line[sizeof(line) - 1] = '\0';
	nd_dev(r, 0, "pfn0.0", true, "pmem\n", line, "0x101200000\n");
}
static void ns_empty(const char *r)
{
	nd_dev(r, 0, "pfn0.0", true, "pmem\n", "\n", "0x101200000\n");
}
static void mode_long(const char *r)
{
	char line[5000];

	memset(line, 'p', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	nd_dev(r, 0, "pfn0.0", true, line, "namespace0.0\n", "0x101200000\n");
}
static void data_before_ns(const char *r)
{
	nd_dev(r, 0, "pfn0.0", true, "pmem\n", "namespace0.0\n", "0x100000000\n");
}
static void two_on_one_ns(const char *r)
{
	nd_dev(r, 0, "pfn0.0", true, "pmem\n", "namespace0.0\n", "0x101200000\n");
	nd_dev(r, 0, "dax0.0", true, "pmem\n", "namespace0.0\n", "0x101200000\n");
}

static void memmap_failures(void **state)
{
	(void)state;
	memmap_failure(garbage_resource, PMD_ECORRUPT, "pfn0.0/resource");
	memmap_failure(empty_resource, PMD_ECORRUPT, "not a hexadecimal number");
	memmap_failure(no_resource, PMD_EIO, "pfn0.0/resource");
	memmap_failure(ns_without_resource, PMD_EIO, "namespace0.1/resource");
	memmap_failure(ns_traversal, PMD_ECORRUPT, "is not a namespace name");
	memmap_failure(ns_long, PMD_ECORRUPT, "longer than");
	memmap_failure(ns_empty, PMD_ECORRUPT, "is not a namespace name");
	memmap_failure(mode_long, PMD_ECORRUPT, "longer than");
	memmap_failure(data_before_ns, PMD_ECORRUPT, "not after its namespace");
	memmap_failure(two_on_one_ns, PMD_ECORRUPT, "overlap");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_mode),
		cmocka_unit_test(none_mode),
		cmocka_unit_test(memmap_lab_states),
		cmocka_unit_test(memmap_two_regions),
		cmocka_unit_test(memmap_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
