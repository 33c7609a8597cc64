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

#include "util/iomem.h"
#include "util/log.h"

/*
 * A machine with pmem and a crash kernel, as root sees it. Every
 * expected value below is read off this text by hand.
 */
static const char fixture[] =
	"00000000-00000fff : Reserved\n"			/*  1 */
	"00001000-0009fbff : System RAM\n"			/*  2 */
	"000f0000-000fffff : Reserved\n"			/*  3 */
	"00100000-bffdffff : System RAM\n"			/*  4 */
	"  01000000-01e02fff : Kernel code\n"			/*  5 */
	"  01e03000-0262c8bf : Kernel data\n"			/*  6 */
	"  02a1b000-02dfffff : Kernel bss\n"			/*  7 */
	"  2f000000-3effffff : Crash kernel\n"			/*  8 */
	"bffe0000-bfffffff : ACPI Tables\n"			/*  9 */
	"100000000-13fffffff : Persistent Memory\n"		/* 10 */
	"  100000000-13fffffff : namespace0.0\n"		/* 11 */
	"    100200000-13fffffff : dax0.0\n"			/* 12 */
	"140000000-23fffffff : System RAM";			/* 13, no newline */

/* The fixture's lines in order: a depth-first walk gives the same order. */
static const struct {
	const char *name;
	uint64_t start, end;
	unsigned int depth;
	int parent;		/* index in this table, -1: top level */
} want[] = {
	{ "Reserved", 0x0, 0xfff, 0, -1 },
	{ "System RAM", 0x1000, 0x9fbff, 0, -1 },
	{ "Reserved", 0xf0000, 0xfffff, 0, -1 },
	{ "System RAM", 0x100000, 0xbffdffff, 0, -1 },
	{ "Kernel code", 0x1000000, 0x1e02fff, 1, 3 },
	{ "Kernel data", 0x1e03000, 0x262c8bf, 1, 3 },
	{ "Kernel bss", 0x2a1b000, 0x2dfffff, 1, 3 },
	{ "Crash kernel", 0x2f000000, 0x3effffff, 1, 3 },
	{ "ACPI Tables", 0xbffe0000, 0xbfffffff, 0, -1 },
	{ "Persistent Memory", 0x100000000, 0x13fffffff, 0, -1 },
	{ "namespace0.0", 0x100000000, 0x13fffffff, 1, 9 },
	{ "dax0.0", 0x100200000, 0x13fffffff, 2, 10 },
	{ "System RAM", 0x140000000, 0x23fffffff, 0, -1 },
};
#define NR_WANT (sizeof(want) / sizeof(want[0]))

static void write_file(char *path, const char *text, size_t len)
{
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
}

static void tree_shape(void **state)
{
	static const unsigned int top[] = { 0, 1, 2, 3, 8, 9, 12 };
	const struct iomem_node *nodes[NR_WANT], *n;
	struct iomem_tree t;
	struct log_ctx log;
	unsigned int i = 0;

	(void)state;
	log_init(&log, "test");
	assert_int_equal(iomem_parse(&t, fixture, strlen(fixture), &log), 0);
	assert_int_equal(t.nr_nodes, NR_WANT);
	for (n = iomem_next(&t, NULL, NULL); n; n = iomem_next(&t, n, NULL), i++) {
		assert_true(i < NR_WANT);
		nodes[i] = n;
		assert_string_equal(n->name, want[i].name);
		assert_int_equal(n->start, want[i].start);
		assert_int_equal(n->end, want[i].end);
		assert_int_equal(n->depth, want[i].depth);
		if (want[i].parent < 0)
			assert_null(n->parent);
		else
			assert_ptr_equal(n->parent, nodes[want[i].parent]);
	}
	assert_int_equal(i, NR_WANT);

	/* The links themselves: top-level chain, first children, sibling ends. */
	assert_ptr_equal(t.first, nodes[0]);
	for (i = 0; i + 1 < sizeof(top) / sizeof(top[0]); i++)
		assert_ptr_equal(nodes[top[i]]->next, nodes[top[i + 1]]);
	assert_null(nodes[12]->next);
	assert_ptr_equal(nodes[3]->child, nodes[4]);
	assert_ptr_equal(nodes[4]->next, nodes[5]);
	assert_ptr_equal(nodes[6]->next, nodes[7]);
	assert_null(nodes[7]->next);
	assert_null(nodes[7]->child);
	assert_ptr_equal(nodes[9]->child, nodes[10]);
	assert_ptr_equal(nodes[10]->child, nodes[11]);
	assert_null(nodes[11]->next);
	assert_null(nodes[1]->child);
	assert_null(nodes[12]->child);
	iomem_free(&t);
	assert_null(t.first);
	assert_int_equal(t.nr_nodes, 0);
	iomem_free(&t);		/* twice is harmless */
	log_destroy(&log);
}

static void next_by_prefix(void **state)
{
	const struct iomem_node *n;
	struct iomem_tree t;
	struct log_ctx log;

	(void)state;
	log_init(&log, "test");
	assert_int_equal(iomem_parse(&t, fixture, strlen(fixture), &log), 0);

	n = iomem_next(&t, NULL, "System RAM");
	assert_non_null(n);
	assert_int_equal(n->start, 0x1000);
	n = iomem_next(&t, n, "System RAM");
	assert_non_null(n);
	assert_int_equal(n->start, 0x100000);
	n = iomem_next(&t, n, "System RAM");
	assert_non_null(n);
	assert_int_equal(n->start, 0x140000000);
	assert_null(iomem_next(&t, n, "System RAM"));

	/* A prefix, at depth 1, found under the second System RAM. */
	n = iomem_next(&t, NULL, "Kernel ");
	assert_string_equal(n->name, "Kernel code");
	n = iomem_next(&t, n, "Kernel ");
	assert_string_equal(n->name, "Kernel data");
	n = iomem_next(&t, n, "Kernel ");
	assert_string_equal(n->name, "Kernel bss");
	assert_null(iomem_next(&t, n, "Kernel "));

	n = iomem_next(&t, NULL, "Crash kernel");
	assert_int_equal(n->start, 0x2f000000);
	assert_string_equal(n->parent->name, "System RAM");
	assert_int_equal(n->parent->start, 0x100000);
	assert_null(iomem_next(&t, n, "Crash kernel"));

	/* From a depth-2 leaf the walk climbs two levels to the next top node. */
	n = iomem_next(&t, NULL, "dax");
	assert_int_equal(n->depth, 2);
	n = iomem_next(&t, n, NULL);
	assert_string_equal(n->name, "System RAM");
	assert_int_equal(n->start, 0x140000000);

	assert_string_equal(iomem_next(&t, NULL, "Persistent Memory")->child->name, "namespace0.0");
	assert_null(iomem_next(&t, NULL, "Persistent Memory (legacy)"));
	assert_null(iomem_next(&t, NULL, "nothing"));
	iomem_free(&t);

	/* An empty text is an empty tree. */
	assert_int_equal(iomem_parse(&t, "", 0, &log), 0);
	assert_null(t.first);
	assert_null(iomem_next(&t, NULL, NULL));
	assert_int_equal(log_error_status(&log), 0);
	log_destroy(&log);
}

static const char nonroot[] =
	"00000000-00000000 : Reserved\n"
	"00000000-00000000 : System RAM\n"
	"  00000000-00000000 : Kernel code\n"
	"  00000000-00000000 : Crash kernel\n"
	"00000000-00000000 : Persistent Memory\n"
	"  00000000-00000000 : namespace0.0\n";

static void nonroot_all_zero(void **state)
{
	char path[] = "/tmp/test_iomem.XXXXXX";
	struct pfn_ranges out = { 0 };
	struct iomem_tree t;
	struct log_ctx log;

	(void)state;
	log_init(&log, "test");
	/* The shape is still there; only iomem_find has to refuse it. */
	assert_int_equal(iomem_parse(&t, nonroot, strlen(nonroot), &log), 0);
	assert_int_equal(t.nr_nodes, 6);
	assert_string_equal(iomem_next(&t, NULL, "Crash")->parent->name, "System RAM");
	iomem_free(&t);

	write_file(path, nonroot, strlen(nonroot));
	assert_int_equal(iomem_find(&log, path, "Persistent Memory", &out), -PMD_EIO);
	assert_int_equal(log_error_status(&log), PMD_EIO);
	assert_non_null(strstr(log_error_text(&log), path));
	assert_non_null(strstr(log_error_text(&log), "shows no addresses: --mem-usage needs root"));
	assert_int_equal(out.nr, 0);
	unlink(path);
	log_destroy(&log);
}

/* Each text is wrong at one line only; @why is part of the error. */
static const struct {
	const char *text;
	size_t len;		/* 0: strlen(text) */
	unsigned int line;
	const char *why;
} hostile[] = {
	{ "00000000-00000fff : Reserved\n0000zz00-00000fff : Reserved\n", 0, 2, "bad start address" },
	{ "x0000000-00000fff : Reserved\n", 0, 1, "bad start address" },
	{ "-00000fff : Reserved\n", 0, 1, "bad start address" },
	{ "00000000 : Reserved\n", 0, 1, "bad start address" },
	{ "00000000000000000-00000fff : Seventeen digits\n", 0, 1, "bad start address" },
	{ "00000000-00000fffg : Reserved\n", 0, 1, "bad end address" },
	{ "00000000- : Reserved\n", 0, 1, "bad end address" },
	{ "00000000-10000000000000000 : Too big\n", 0, 1, "bad end address" },
	{ "00000000-00000fff : A\n00002000-00001fff : B\n", 0, 2, "start 0x2000 is above end 0x1fff" },
	{ "00000000-00000fff : A\n    00000000-000000ff : B\n", 0, 2, "more than one level below" },
	{ "  00000000-00000fff : A\n", 0, 1, "more than one level below" },
	{ "00000000-00000fff : A\n  00000000-000000ff : B\n      00000000-0000000f : C\n", 0, 3,
	  "more than one level below" },
	{ "00000000-00000fff : A\n   00000000-000000ff : B\n", 0, 2, "not whole levels of two" },
	{ "00000000-00000fff Reserved\n", 0, 1, "missing \" : \"" },
	{ "00000000-00000fff :Reserved\n", 0, 1, "missing \" : \"" },
	{ "00000000-00000fff\n", 0, 1, "missing \" : \"" },
	{ "00000000-00000fff : A\n\n00001000-00001fff : B\n", 0, 2, "bad start address" },
	{ "00000000-00000fff : A\n00001000-00001fff : \n", 0, 2, "empty name" },
	{ "00000000-00000fff : Res\0erved\n", 30, 1, "NUL byte" },
	{ "00000000-00000fff : A\n\0", 23, 2, "NUL byte" },
	{ "00000000-00000fff : A\r\n", 0, 1, "control character 0x0d" },
	{ "00000000-00000fff : A\n\t00000000-000000ff : B\n", 0, 2, "control character 0x09" },
	/* Children outside their parent: past its end, before its start. */
	{ "00100000-001fffff : System RAM\n  00180000-002fffff : Crash kernel\n", 0, 2,
	  "0x180000-0x2fffff lies outside its parent 0x100000-0x1fffff" },
	{ "00100000-001fffff : System RAM\n  000ff000-00100fff : Kernel code\n", 0, 2,
	  "lies outside its parent 0x100000-0x1fffff" },
	/* After a depth-2 line, a depth-1 line's parent is the depth-0 one. */
	{ "00000000-00000fff : A\n  00000000-000000ff : B\n    00000000-0000000f : C\n"
	  "  00001000-00001fff : D\n", 0, 4, "lies outside its parent 0x0-0xfff" },
};

static void hostile_input(void **state)
{
	char expect[64];
	struct iomem_tree t;
	struct log_ctx log;

	(void)state;
	for (unsigned int i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		const char *text = hostile[i].text;

		log_init(&log, "test");
		t.first = (struct iomem_node *)&t;	/* must be reset, even on error */
		assert_int_equal(iomem_parse(&t, text, hostile[i].len ? hostile[i].len : strlen(text),
					     &log), -PMD_ECORRUPT);
		assert_null(t.first);
		assert_int_equal(t.nr_nodes, 0);
		snprintf(expect, sizeof(expect), "iomem line %u: ", hostile[i].line);
		if (!strstr(log_error_text(&log), expect) || !strstr(log_error_text(&log), hostile[i].why))
			fail_msg("case %u: got \"%s\", want \"%s%s\"", i, log_error_text(&log),
				 expect, hostile[i].why);
		assert_null(strchr(log_error_text(&log), '\n'));
		log_destroy(&log);
	}
}

static void overlong_line(void **state)
{
	char text[1024];
	struct iomem_tree t;
	struct log_ctx log;
	size_t n;

	(void)state;
	log_init(&log, "test");
	/* A name that makes the line exactly the limit passes... */
	n = (size_t)snprintf(text, sizeof(text), "00000000-00000fff : A\n00001000-00001fff : ");
	memset(text + n, 'x', IOMEM_LINE_MAX - 20);
	assert_int_equal(iomem_parse(&t, text, n + IOMEM_LINE_MAX - 20, &log), 0);
	assert_int_equal(strlen(iomem_next(&t, NULL, "x")->name), IOMEM_LINE_MAX - 20);
	iomem_free(&t);
	/* ...one more byte does not. */
	text[n + IOMEM_LINE_MAX - 20] = 'x';
	text[n + IOMEM_LINE_MAX - 19] = '\n';
	assert_int_equal(iomem_parse(&t, text, n + IOMEM_LINE_MAX - 18, &log), -PMD_ECORRUPT);
	assert_null(t.first);
	assert_non_null(strstr(log_error_text(&log), "iomem line 2: longer than 512 bytes"));
	log_destroy(&log);
}

static void find_in_file(void **state)
{
	char path[] = "/tmp/test_iomem.XXXXXX", bad[] = "/tmp/test_iomem.XXXXXX";
	static const char broken[] = "00100000-001fffff : System RAM\n  00100000-001fffff Crash kernel\n";
	struct pfn_ranges pmem = { 0 }, crash = { 0 }, ram = { 0 };
	struct log_ctx log;

	(void)state;
	log_init(&log, "test");
	write_file(path, fixture, strlen(fixture));
	/* 0x100000000-0x13fffffff, nested ones (namespace0.0, dax0.0) add nothing. */
	assert_int_equal(iomem_find(&log, path, "Persistent Memory", &pmem), 0);
	assert_int_equal(pmem.nr, 1);
	assert_int_equal(pmem.r[0].start, 0x100000);
	assert_int_equal(pmem.r[0].end, 0x140000);
	/* Nested in System RAM: 0x2f000000-0x3effffff. */
	assert_int_equal(iomem_find(&log, path, "Crash kernel", &crash), 0);
	assert_int_equal(crash.nr, 1);
	assert_int_equal(crash.r[0].start, 0x2f000);
	assert_int_equal(crash.r[0].end, 0x3f000);
	/* 0x1000-0x9fbff rounds out to pages 1-0x9f: page 0x9f is partly RAM. */
	assert_int_equal(iomem_find(&log, path, "System RAM", &ram), 0);
	assert_int_equal(ram.nr, 3);
	assert_int_equal(ram.r[0].start, 0x1);
	assert_int_equal(ram.r[0].end, 0xa0);
	assert_int_equal(ram.r[1].start, 0x100);
	assert_int_equal(ram.r[1].end, 0xbffe0);
	assert_int_equal(ram.r[2].start, 0x140000);
	assert_int_equal(ram.r[2].end, 0x240000);
	assert_int_equal(log_error_status(&log), 0);
	unlink(path);

	/* The error of a file names the file and its line. */
	write_file(bad, broken, strlen(broken));
	assert_int_equal(iomem_find(&log, bad, "Crash kernel", &crash), -PMD_ECORRUPT);
	assert_non_null(strstr(log_error_text(&log), bad));
	assert_non_null(strstr(log_error_text(&log), " line 2: missing \" : \""));
	unlink(bad);
	log_clear_error(&log);

	assert_int_equal(iomem_find(&log, "/nonexistent/iomem", "Crash kernel", &crash), -PMD_EIO);
	assert_string_equal(log_error_text(&log),
			    "cannot open /nonexistent/iomem: No such file or directory");
	pfn_ranges_free(&pmem);
	pfn_ranges_free(&crash);
	pfn_ranges_free(&ram);
	log_destroy(&log);
}

static void empty_and_huge_files(void **state)
{
	char path[] = "/tmp/test_iomem.XXXXXX";
	struct pfn_ranges out = { 0 };
	struct iomem_tree t;
	struct log_ctx log;
	FILE *f;

	(void)state;
	log_init(&log, "test");
	write_file(path, "", 0);
	assert_int_equal(iomem_read(&t, path, &log), 0);
	assert_int_equal(t.nr_nodes, 0);
	assert_int_equal(iomem_find(&log, path, "System RAM", &out), -PMD_ECORRUPT);
	assert_non_null(strstr(log_error_text(&log), "lists no resources"));
	log_clear_error(&log);

	/* Valid lines, but more of them than any machine has. */
	f = fopen(path, "w");
	assert_non_null(f);
	for (unsigned int i = 0; i < IOMEM_SIZE_MAX / 22 + 1; i++)
		fprintf(f, "%08x-%08x : R\n", i, i);	/* 22 bytes */
	fclose(f);
	assert_int_equal(iomem_read(&t, path, &log), -PMD_ECORRUPT);
	assert_null(t.first);
	assert_non_null(strstr(log_error_text(&log), "is larger than 4194304 bytes"));
	unlink(path);
	log_destroy(&log);
}

/* This machine's own map: whatever it holds must obey the tree's rules. */
static void real_proc_iomem(void **state)
{
	const struct iomem_node *n;
	struct iomem_tree t;
	struct log_ctx log;
	unsigned int count = 0;
	int ret;

	(void)state;
	if (access("/proc/iomem", R_OK))
		skip();
	log_init(&log, "test");
	ret = iomem_read(&t, "/proc/iomem", &log);
	if (ret)
		fail_msg("/proc/iomem: %s", log_error_text(&log));
	assert_true(t.nr_nodes > 0);
	assert_non_null(iomem_next(&t, NULL, "System RAM"));
	for (n = iomem_next(&t, NULL, NULL); n; n = iomem_next(&t, n, NULL), count++) {
		assert_true(n->start <= n->end);
		if (n->parent) {
			assert_int_equal(n->depth, n->parent->depth + 1);
			assert_true(n->start >= n->parent->start && n->end <= n->parent->end);
		} else {
			assert_int_equal(n->depth, 0);
		}
	}
	assert_int_equal(count, t.nr_nodes);
	if (geteuid() == 0) {
		struct pfn_ranges ram = { 0 };

		assert_int_equal(iomem_find(&log, "/proc/iomem", "System RAM", &ram), 0);
		assert_true(ram.nr > 0);
		pfn_ranges_free(&ram);
	}
	iomem_free(&t);
	log_destroy(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tree_shape),
		cmocka_unit_test(next_by_prefix),
		cmocka_unit_test(nonroot_all_zero),
		cmocka_unit_test(hostile_input),
		cmocka_unit_test(overlong_line),
		cmocka_unit_test(find_in_file),
		cmocka_unit_test(empty_and_huge_files),
		cmocka_unit_test(real_proc_iomem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
