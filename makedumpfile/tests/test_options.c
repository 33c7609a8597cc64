// SPDX-License-Identifier: GPL-2.0-or-later
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "src/options.h"
#include "util/log.h"

/* Quiet: the tests check return codes, and the recorded text where it matters. */
static struct log_ctx test_log;

#define ARGV(...) ((char *[]){ "makedumpfile", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "makedumpfile", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(o, ...) options_parse(o, &test_log, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

static int quiet(void **state)
{
	(void)state;
	log_init(&test_log, "test");
	test_log.level = 0;
	return 0;
}

static void makedumpfile_command_lines(void **state)
{
	struct options o;

	(void)state;
	assert_int_equal(PARSE(&o, "-E", "-d", "31", "/proc/vmcore", "out"), OPTIONS_RUN);
	assert_int_equal(o.format, OUTPUT_ELF);
	assert_int_equal(o.dump_level, 31);
	assert_string_equal(o.vmcore, "/proc/vmcore");
	assert_string_equal(o.dumpfile, "out");
	assert_false(o.force);

	assert_int_equal(PARSE(&o, "-l", "--message-level", "31", "-d", "1", "in", "out"),
			 OPTIONS_RUN);
	assert_int_equal(o.format, OUTPUT_KDUMP);
	assert_int_equal(o.compression, COMPRESS_LZO);
	assert_int_equal(o.message_level, 31);

	assert_int_equal(PARSE(&o, "-c", "-f", "--cyclic-buffer", "1024", "in", "out"),
			 OPTIONS_RUN);
	assert_int_equal(o.compression, COMPRESS_ZLIB);
	assert_int_equal(o.cyclic_buffer_kib, 1024);
	assert_true(o.force);
	assert_int_equal(o.dump_level, 0);
	assert_false(o.pmem_userdata);

	/* Bit 32 drops pmem metadata; user data on pmem only on request. */
	assert_int_equal(PARSE(&o, "-l", "-d", "63", "--pmem-userdata", "in", "out"),
			 OPTIONS_RUN);
	assert_int_equal(o.dump_level, 63);
	assert_true(o.pmem_userdata);
	assert_null(o.sysroot);

	/* --mem-usage of a saved tree (tests): the input is named as it is. */
	assert_int_equal(PARSE(&o, "--mem-usage", "--sysroot", "/tmp/root", "/proc/kcore"),
			 OPTIONS_RUN);
	assert_true(o.mem_usage);
	assert_string_equal(o.sysroot, "/tmp/root");
	assert_string_equal(o.vmcore, "/proc/kcore");
}

static void bad_command_lines(void **state)
{
	struct options o;

	(void)state;
	assert_int_equal(PARSE(&o, "-d", "64", "in", "out"), OPTIONS_ERROR);
	assert_int_equal(PARSE(&o, "-d", "-1", "in", "out"), OPTIONS_ERROR);
	assert_int_equal(PARSE(&o, "-d", "x", "in", "out"), OPTIONS_ERROR);
	assert_int_equal(PARSE(&o, "-E", "-c", "in", "out"), OPTIONS_ERROR);
	assert_int_equal(PARSE(&o, "-c", "-l", "in", "out"), OPTIONS_ERROR);
	assert_int_equal(PARSE(&o, "-d", "31", "in"), OPTIONS_ERROR);
	assert_int_equal(PARSE(&o, "in", "in"), OPTIONS_ERROR);
	assert_int_equal(PARSE(&o, "--cyclic-buffer", "0", "in", "out"), OPTIONS_ERROR);
	assert_int_equal(PARSE(&o, "--no-such-option", "in", "out"), OPTIONS_ERROR);
	assert_int_equal(PARSE(&o, "--mem-usage", "/proc/kcore", "--sysroot"), OPTIONS_ERROR);
}

/*
 * The forms Debian's kdump-tools runs (doc/debian-design.md §1, §7):
 * MAKEDUMP_ARGS "-F -c -d 31", or with -F appended to one that does not
 * start with it; --dump-dmesg before the dump; the options its users set.
 */
/*
 * A parse that fails inside a group of short options ("-lcE": -c clashes
 * with -l) must not leave the rest of the group to the next parse.
 */
static void parse_after_a_failed_group(void **state)
{
	static char prog[] = "makedumpfile", group[] = "-lcE", in[] = "in", out[] = "out";
	static char *first[] = { prog, group, in, out, NULL };
	struct options o;

	(void)state;
	assert_int_equal(options_parse(&o, &test_log, 4, first), OPTIONS_ERROR);
	assert_int_equal(PARSE(&o, "-d", "31", "in", "out"), OPTIONS_RUN);
	assert_int_equal(o.format, OUTPUT_KDUMP);
	assert_int_equal(o.dump_level, 31);
}

static void kdump_tools_forms(void **state)
{
	struct options o;

	(void)state;
	assert_int_equal(PARSE(&o, "-F", "-c", "-d", "31", "/proc/vmcore"), OPTIONS_RUN);
	assert_true(o.flatten);
	assert_int_equal(o.compression, COMPRESS_ZLIB);
	assert_int_equal(o.dump_level, 31);
	assert_string_equal(o.vmcore, "/proc/vmcore");
	assert_null(o.dumpfile);

	/* -F twice is -F. */
	assert_int_equal(PARSE(&o, "-c", "-F", "-d", "31", "-F", "/proc/vmcore"), OPTIONS_RUN);
	assert_true(o.flatten);
	assert_int_equal(o.compression, COMPRESS_ZLIB);
	assert_int_equal(o.dump_level, 31);
	assert_string_equal(o.vmcore, "/proc/vmcore");
	assert_null(o.dumpfile);

	assert_int_equal(PARSE(&o, "--dump-dmesg", "/proc/vmcore", "/var/crash/202405061718/dmesg.202405061718"),
			 OPTIONS_RUN);
	assert_true(o.dump_dmesg);
	assert_false(o.flatten);
	assert_string_equal(o.vmcore, "/proc/vmcore");
	assert_string_equal(o.dumpfile, "/var/crash/202405061718/dmesg.202405061718");

	assert_int_equal(PARSE(&o, "--num-threads", "2", "-l", "-F", "-d", "31", "/proc/vmcore"),
			 OPTIONS_RUN);
	assert_int_equal(o.threads, 2);
	assert_int_equal(o.compression, COMPRESS_LZO);
	assert_int_equal(PARSE(&o, "--num-threads", "129", "-F", "/proc/vmcore"), OPTIONS_ERROR);

	assert_int_equal(PARSE(&o, "--message-level", "7", "-F", "-c", "-d", "31", "/proc/vmcore"),
			 OPTIONS_RUN);
	assert_int_equal(o.message_level, 7);
	assert_int_equal(PARSE(&o, "--message-level", "32", "-F", "/proc/vmcore"), OPTIONS_ERROR);
}

/*
 * --check-params parses and validates only: main() then exits 0 without
 * opening the input (test/reference/kdump-forms.sh runs it on a path that
 * does not exist). A bad command line is still an error, recorded as one
 * line for main() to print.
 */
static void check_params(void **state)
{
	struct options o;

	(void)state;
	assert_int_equal(PARSE(&o, "--check-params", "-c", "-F", "-d", "31", "-F", "/proc/vmcore"),
			 OPTIONS_RUN);
	assert_true(o.check_params);
	assert_true(o.flatten);
	assert_int_equal(PARSE(&o, "--check-params", "-d", "31", "/no/such/vmcore", "out"), OPTIONS_RUN);
	assert_true(o.check_params);
	log_clear_error(&test_log);
	assert_int_equal(PARSE(&o, "--check-params", "--bogus", "/proc/vmcore", "out"), OPTIONS_ERROR);
	assert_int_equal(log_error_status(&test_log), PMD_EINVAL);
	assert_string_equal(log_error_text(&test_log), "unknown or incomplete option \"--bogus\"; see --help");
	log_clear_error(&test_log);
	assert_int_equal(PARSE(&o, "--check-params", "-d", "99", "-F", "/proc/vmcore"), OPTIONS_ERROR);
	assert_string_equal(log_error_text(&test_log), "invalid dump level \"99\" (expected 0-63)");
	log_clear_error(&test_log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(makedumpfile_command_lines, quiet),
		cmocka_unit_test_setup(bad_command_lines, quiet),
		cmocka_unit_test_setup(parse_after_a_failed_group, quiet),
		cmocka_unit_test_setup(kdump_tools_forms, quiet),
		cmocka_unit_test_setup(check_params, quiet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
