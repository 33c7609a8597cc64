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
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(makedumpfile_command_lines, quiet),
		cmocka_unit_test_setup(bad_command_lines, quiet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
