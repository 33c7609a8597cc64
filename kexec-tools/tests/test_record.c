// SPDX-License-Identifier: GPL-2.0-or-later
/* The crash load record that pmem-kdump check reads (src/record.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../lib/util/tests/fakeroot.h"
#include "src/record.h"
#include "util/records.h"

static char *read_all(const char *root)
{
	static char buf[4096];
	char path[PATH_MAX];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s%s", root, REC_LOAD_PATH);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void written_and_removed(void **state)
{
	char *root = fake_root_new();
	struct log_ctx log;
	const struct kexec_record load = {
		.syscall = "kexec_load",
		.kernel = "/boot/vmlinuz",
		.pmem = "all",
		.cmdline = "root=/dev/sda1 module_blacklist=nfit elfcorehdr=0x3efff000",
	};
	const struct kexec_record file = {
		.syscall = "kexec_file_load",
		.kernel = "/boot/vmlinuz",
		.initrd = "/boot/initrd.img",
		.cmdline = "two\nlines",
	};

	(void)state;
	log_init(&log, "test");
	fake_mkdir(root, "run");
	assert_null(read_all(root));
	assert_int_equal(kexec_record_write(root, &load, &log), 0);
	assert_string_equal(read_all(root),
			    "syscall=kexec_load\nkernel=/boot/vmlinuz\ninitrd=\npmem=all\n"
			    "cmdline=root=/dev/sda1 module_blacklist=nfit elfcorehdr=0x3efff000\n");
	/* Replaced whole; a value with a newline would forge keys: left empty. */
	assert_int_equal(kexec_record_write(root, &file, &log), 0);
	assert_string_equal(read_all(root),
			    "syscall=kexec_file_load\nkernel=/boot/vmlinuz\ninitrd=/boot/initrd.img\n"
			    "pmem=\ncmdline=\n");
	assert_int_equal(kexec_record_remove(root, &log), 0);
	assert_null(read_all(root));
	assert_int_equal(kexec_record_remove(root, &log), 0);

	fake_root_free(root);

	/* A root where the folder cannot be made: one recorded error. */
	root = fake_root_new();
	fake_write(root, "run", "not a folder");
	assert_int_equal(kexec_record_write(root, &load, &log), -PMD_EIO);
	assert_non_null(strstr(log_error_text(&log), "/run/pmemdump"));
	log_destroy(&log);
	fake_root_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(written_and_removed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
