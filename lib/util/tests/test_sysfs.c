// SPDX-License-Identifier: GPL-2.0-or-later
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/log.h"
#include "util/sysfs.h"
#include "util/tests/fakeroot.h"

/* Each good string with the value written by hand from its text. */
static void parse_hex(void **state)
{
	static const struct {
		const char *s;
		uint64_t v;
	} good[] = {
		{ "3fc1dd40", 0x3fc1dd40 },		/* crash_notes: "%llx\n" */
		{ "3fc1dd40\n", 0x3fc1dd40 },
		{ "0x101200000\n", 0x101200000 },	/* nd resource: "%#llx\n" */
		{ "  0XABCdef \t", 0xabcdef },
		{ "0", 0 },
		{ "ffffffffffffffff", UINT64_MAX },
		{ "0x0000000000000001", 1 },
	};
	static const char *const bad[] = {
		"", " ", "0x", "x10", "-1", "+1", "1 2", "12g", "0x0x1", "g",
		"10000000000000000",		/* 2^64: does not fit */
		"1\n2",
	};
	struct log_ctx log;
	uint64_t v;
	unsigned int i;

	(void)state;
	log_init(&log, "test");
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		v = 12345;
		assert_int_equal(sysfs_parse_hex(good[i].s, &v, "hex", &log), 0);
		assert_true(v == good[i].v);
	}
	assert_int_equal(log_error_status(&log), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		log_clear_error(&log);
		assert_int_equal(sysfs_parse_hex(bad[i], &v, "crash_notes", &log), -PMD_ECORRUPT);
		assert_int_equal(log_error_status(&log), PMD_ECORRUPT);
		assert_non_null(strstr(log_error_text(&log), "crash_notes"));
		assert_non_null(strstr(log_error_text(&log), "not a hexadecimal number"));
	}
	log_destroy(&log);
}

static void parse_dec(void **state)
{
	static const char *const bad[] = {
		"", "0x10", "-5", "12a", "1.0", "18446744073709551616", "99999999999999999999",
	};
	struct log_ctx log;
	uint64_t v;
	unsigned int i;

	(void)state;
	log_init(&log, "test");
	/* sizeof(note_buf_t) */
	assert_int_equal(sysfs_parse_dec("368\n", &v, "size", &log), 0);
	assert_true(v == 368);
	assert_int_equal(sysfs_parse_dec(" 268435456 ", &v, "size", &log), 0);
	assert_true(v == 268435456);
	assert_int_equal(sysfs_parse_dec("0", &v, "size", &log), 0);
	assert_true(v == 0);
	assert_int_equal(sysfs_parse_dec("18446744073709551615", &v, "size", &log), 0);
	assert_true(v == UINT64_MAX);
	/* Leading zeros are digits, not an octal prefix. */
	assert_int_equal(sysfs_parse_dec("010", &v, "size", &log), 0);
	assert_true(v == 10);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		log_clear_error(&log);
		assert_int_equal(sysfs_parse_dec(bad[i], &v, "crash_notes_size", &log),
				 -PMD_ECORRUPT);
		assert_non_null(strstr(log_error_text(&log), "not a decimal number"));
	}
	log_destroy(&log);
}

/* /sys/kernel/vmcoreinfo as the lab's kernel printed it ("%pa %x"). */
static void parse_addr_size(void **state)
{
	static const char *const bad[] = {
		"0x00000000010f6000",		/* no size */
		"0x00000000010f6000 0x1024",	/* %x has no 0x */
		"00000000010f6000 1024",	/* %pa always has it */
		"0x00000000010f6000 1024 7",
		"0x00000000010f6000\t",
		"0x00000000010f6000 -1",
		"0x10000000000000000 1024",
		"",
	};
	struct log_ctx log;
	uint64_t addr, size;
	unsigned int i;

	(void)state;
	log_init(&log, "test");
	assert_int_equal(sysfs_parse_addr_size("0x00000000010f6000 1024\n", &addr, &size,
					       "vmcoreinfo", &log), 0);
	assert_true(addr == 0x10f6000);
	assert_true(size == 0x1024);	/* VMCOREINFO_NOTE_SIZE, 4132 */
	assert_int_equal(sysfs_parse_addr_size("0x1 a", &addr, &size, "v", &log), 0);
	assert_true(addr == 1 && size == 10);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		log_clear_error(&log);
		assert_int_equal(sysfs_parse_addr_size(bad[i], &addr, &size, "vmcoreinfo", &log),
				 -PMD_ECORRUPT);
		assert_non_null(strstr(log_error_text(&log), "vmcoreinfo"));
	}
	log_destroy(&log);
}

static void parse_cpulist(void **state)
{
	static const char *const bad[] = {
		"", "\n", "a", "0-", "-1", "1-0", "0-3,", ",0", "0,,1", "0 1", "0-3-5", "0x1",
		"128",		/* beyond nbits */
		"0-128",
		"99999999999999999999",
	};
	struct log_ctx log;
	uint64_t bits[2];
	unsigned int i;

	(void)state;
	log_init(&log, "test");
	assert_int_equal(sysfs_parse_cpulist("0\n", bits, 128, "possible", &log), 0);
	assert_true(bits[0] == 1 && bits[1] == 0);
	assert_int_equal(sysfs_parse_cpulist("0-1\n", bits, 128, "possible", &log), 0);
	assert_true(bits[0] == 3 && bits[1] == 0);
	assert_int_equal(sysfs_parse_cpulist("0-3,8-9", bits, 128, "possible", &log), 0);
	assert_true(bits[0] == 0x30f && bits[1] == 0);
	assert_int_equal(sysfs_parse_cpulist("63-64,127", bits, 128, "possible", &log), 0);
	assert_true(bits[0] == 0x8000000000000000ull && bits[1] == 0x8000000000000001ull);
	assert_int_equal(sysfs_parse_cpulist("0-127", bits, 128, "possible", &log), 0);
	assert_true(bits[0] == UINT64_MAX && bits[1] == UINT64_MAX);
	/* Overlapping pieces are a set union. */
	assert_int_equal(sysfs_parse_cpulist("2,0-2", bits, 128, "possible", &log), 0);
	assert_true(bits[0] == 7 && bits[1] == 0);
	assert_int_equal(log_error_status(&log), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		log_clear_error(&log);
		assert_int_equal(sysfs_parse_cpulist(bad[i], bits, 128, "possible", &log),
				 -PMD_ECORRUPT);
		assert_non_null(strstr(log_error_text(&log), "possible"));
	}
	log_destroy(&log);
}

static void read_files(void **state)
{
	char *root = fake_root_new();
	char line[16], path[64];
	struct log_ctx log;
	uint64_t v;

	(void)state;
	log_init(&log, "test");
	fake_write(root, "sys/devices/system/cpu/possible", "0-1\n");
	fake_write(root, "sys/devices/system/cpu/cpu0/crash_notes", "3fc1dd40\n");
	fake_write(root, "sys/devices/system/cpu/cpu0/crash_notes_size", "368\n");
	fake_write(root, "two-lines", "first\nsecond\n");
	fake_write(root, "no-newline", "abc");
	fake_write(root, "exact", "123456789012345\n");	/* 15 bytes + newline: fits 16 */
	fake_write(root, "long", "1234567890123456\n");	/* 16 bytes: does not */
	fake_write(root, "empty", "");
	fake_write_len(root, "nul", "12\0" "34\n", 6);
	fake_symlink(root, "dangling", "nowhere");

	assert_int_equal(sysfs_read_line(root, "/sys/devices/system/cpu/possible", line,
					 sizeof(line), &log), 0);
	assert_string_equal(line, "0-1");
	assert_int_equal(sysfs_read_line(root, "/two-lines", line, sizeof(line), &log), 0);
	assert_string_equal(line, "first");
	assert_int_equal(sysfs_read_line(root, "/no-newline", line, sizeof(line), &log), 0);
	assert_string_equal(line, "abc");
	assert_int_equal(sysfs_read_line(root, "/exact", line, sizeof(line), &log), 0);
	assert_string_equal(line, "123456789012345");
	assert_int_equal(sysfs_read_line(root, "/empty", line, sizeof(line), &log), 0);
	assert_string_equal(line, "");
	assert_int_equal(sysfs_read_hex(root, "/sys/devices/system/cpu/cpu0/crash_notes", &v, &log),
			 0);
	assert_true(v == 0x3fc1dd40);
	assert_int_equal(sysfs_read_dec(root, "/sys/devices/system/cpu/cpu0/crash_notes_size", &v,
					&log), 0);
	assert_true(v == 368);
	assert_int_equal(log_error_status(&log), 0);

	assert_int_equal(sysfs_read_line(root, "/long", line, sizeof(line), &log), -PMD_ECORRUPT);
	assert_non_null(strstr(log_error_text(&log), "longer than 15 bytes"));
	log_clear_error(&log);
	assert_int_equal(sysfs_read_line(root, "/nul", line, sizeof(line), &log), -PMD_ECORRUPT);
	assert_non_null(strstr(log_error_text(&log), "NUL"));
	log_clear_error(&log);
	assert_int_equal(sysfs_read_line(root, "/missing", line, sizeof(line), &log), -PMD_EIO);
	assert_non_null(strstr(log_error_text(&log), "/missing"));
	log_clear_error(&log);
	assert_int_equal(sysfs_read_line(root, "/dangling", line, sizeof(line), &log), -PMD_EIO);
	log_clear_error(&log);
	/* A folder opens, but read() fails with EISDIR. */
	assert_int_equal(sysfs_read_line(root, "/sys", line, sizeof(line), &log), -PMD_EIO);
	log_clear_error(&log);
	assert_int_equal(sysfs_read_hex(root, "/two-lines", &v, &log), -PMD_ECORRUPT);
	assert_non_null(strstr(log_error_text(&log), "/two-lines"));
	log_clear_error(&log);
	assert_int_equal(sysfs_read_dec(root, "/empty", &v, &log), -PMD_ECORRUPT);
	log_clear_error(&log);

	assert_true(sysfs_exists(root, "/sys/devices/system/cpu/possible"));
	assert_true(sysfs_exists(root, "/sys/devices"));
	assert_true(sysfs_exists(root, "/dangling"));	/* a driver link need not resolve */
	assert_false(sysfs_exists(root, "/sys/devices/system/cpu/cpu1"));

	assert_int_equal(sysfs_path(path, sizeof(path), "/r", "/sys/kernel/vmcoreinfo", &log), 0);
	assert_string_equal(path, "/r/sys/kernel/vmcoreinfo");
	assert_int_equal(sysfs_path(path, sizeof(path), NULL, "/proc/kcore", &log), 0);
	assert_string_equal(path, "/proc/kcore");
	assert_int_equal(sysfs_path(path, 8, "", "/proc/kcore", &log), -PMD_EINVAL);
	assert_non_null(strstr(log_error_text(&log), "too long"));

	log_destroy(&log);
	fake_root_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_hex),
		cmocka_unit_test(parse_dec),
		cmocka_unit_test(parse_addr_size),
		cmocka_unit_test(parse_cpulist),
		cmocka_unit_test(read_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
