// SPDX-License-Identifier: GPL-2.0-or-later
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "src/load.h"
#include "src/options.h"
#include "util/log.h"

static struct log_ctx test_log;

#define ARGV(...) ((char *[]){ "kexec", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "kexec", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(o, ...) kexec_opts_parse(o, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), &test_log)

static int fresh_log(void **state)
{
	(void)state;
	log_init(&test_log, "test");
	test_log.level = 0;
	return 0;
}

static int end_log(void **state)
{
	(void)state;
	log_destroy(&test_log);
	return 0;
}

/* What Debian's kdump-config runs, and the other forms kdump scripts use. */
static void kdump_command_lines(void **state)
{
	struct kexec_opts o;

	(void)state;
	assert_int_equal(PARSE(&o, "-p", "--command-line=root=/dev/sda1 nr_cpus=1",
			       "--initrd=/boot/initrd.img", "/boot/vmlinuz"), 0);
	assert_int_equal(o.action, KEXEC_ACT_LOAD);
	assert_true(o.panic);
	assert_false(o.file_syscall);
	assert_string_equal(o.kernel, "/boot/vmlinuz");
	assert_string_equal(o.initrd, "/boot/initrd.img");
	assert_string_equal(o.cmdline, "root=/dev/sda1 nr_cpus=1");
	assert_int_equal(o.pmem, PMEM_LIVE_ALL);

	/* The kernel before the options, -s, and the last of --append/--command-line. */
	assert_int_equal(PARSE(&o, "/boot/vmlinuz", "-s", "-p", "--append=a", "--command-line=b",
			       "--ramdisk=r"), 0);
	assert_true(o.file_syscall);
	assert_string_equal(o.cmdline, "b");
	assert_string_equal(o.initrd, "r");

	assert_int_equal(PARSE(&o, "-s", "-c", "-p", "k"), 0);
	assert_false(o.file_syscall);

	assert_int_equal(PARSE(&o, "-l", "--reuse-cmdline", "-d", "k"), 0);
	assert_true(o.normal);
	assert_false(o.panic);
	assert_true(o.reuse_cmdline);
	assert_true(o.debug);

	assert_int_equal(PARSE(&o, "-p", "--pmem=memmap", "k"), 0);
	assert_int_equal(o.pmem, PMEM_LIVE_MEMMAP);
	assert_int_equal(PARSE(&o, "-p", "--pmem=none", "k"), 0);
	assert_int_equal(o.pmem, PMEM_LIVE_NONE);
}

static void other_actions(void **state)
{
	struct kexec_opts o;

	(void)state;
	assert_int_equal(PARSE(&o, "-u", "-p"), 0);
	assert_int_equal(o.action, KEXEC_ACT_UNLOAD);
	assert_true(o.panic);
	assert_int_equal(PARSE(&o, "-u", "-s", "-p"), 0);
	assert_true(o.file_syscall);
	assert_int_equal(PARSE(&o, "-S"), 0);
	assert_int_equal(o.action, KEXEC_ACT_STATUS);
	assert_false(o.normal);
	assert_int_equal(PARSE(&o, "--status", "-l"), 0);
	assert_true(o.normal);
	assert_int_equal(PARSE(&o, "-e"), 0);
	assert_int_equal(o.action, KEXEC_ACT_EXEC);
	assert_int_equal(PARSE(&o, "--print-ckr-size"), 0);
	assert_int_equal(o.action, KEXEC_ACT_PRINT_CKR);
	assert_int_equal(PARSE(&o, "-h"), 0);
	assert_int_equal(o.action, KEXEC_ACT_HELP);
	assert_int_equal(PARSE(&o, "--version"), 0);
	assert_int_equal(o.action, KEXEC_ACT_VERSION);
}

static void refused(void **state)
{
	static const char *const unknown = "unknown option '--bogus'; see kexec --help";
	struct kexec_opts o;

	(void)state;
	assert_int_equal(PARSE(&o, "--bogus", "-p", "k"), -PMD_EINVAL);
	assert_string_equal(log_error_text(&test_log), unknown);
	log_clear_error(&test_log);
	assert_int_equal(PARSE(&o, "-Z"), -PMD_EINVAL);
	assert_string_equal(log_error_text(&test_log), "unknown option '-Z'; see kexec --help");
	log_clear_error(&test_log);
	/* the rest of a refused group ("s" of "-Zs") is not the next parse's */
	assert_int_equal(PARSE(&o, "-Zs"), -PMD_EINVAL);
	log_clear_error(&test_log);
	assert_int_equal(PARSE(&o, "-p", "k"), 0);
	assert_false(o.file_syscall);
	/* 2.0.25 options we do not take are refused, not ignored. */
	assert_int_equal(PARSE(&o, "-p", "--noefi", "k"), -PMD_EINVAL);
	assert_int_equal(PARSE(&o, "-p", "-t", "bzImage", "k"), -PMD_EINVAL);
	assert_int_equal(PARSE(&o, "-p"), -PMD_EINVAL);
	log_clear_error(&test_log);
	assert_int_equal(PARSE(&o, "k"), -PMD_EINVAL);
	assert_string_equal(log_error_text(&test_log),
			    "say -p (crash kernel) or -l (for kexec -e) to load k");
	assert_int_equal(kexec_opts_parse(&o, 1, (char *[]){ "kexec", NULL }, &test_log), -PMD_EINVAL);
	assert_int_equal(PARSE(&o, "-l", "-p", "k"), -PMD_EINVAL);
	assert_int_equal(PARSE(&o, "-p", "k", "extra"), -PMD_EINVAL);
	assert_int_equal(PARSE(&o, "-u", "-S"), -PMD_EINVAL);
	assert_int_equal(PARSE(&o, "-u", "-p", "k"), -PMD_EINVAL);
	assert_int_equal(PARSE(&o, "-e", "-p"), -PMD_EINVAL);
	assert_int_equal(PARSE(&o, "-e", "-l", "k"), -PMD_EINVAL);
	assert_int_equal(PARSE(&o, "-S", "--initrd=x"), -PMD_EINVAL);
	assert_int_equal(PARSE(&o, "-p", "--pmem=some", "k"), -PMD_EINVAL);
	assert_int_equal(PARSE(&o, "-s", "-p", "--pmem=none", "k"), -PMD_EINVAL);
	log_clear_error(&test_log);
	assert_int_equal(PARSE(&o, "-p", "k", "--initrd"), -PMD_EINVAL);
	assert_string_equal(log_error_text(&test_log),
			    "option '--initrd' needs a value; see kexec --help");
}

/* --reuse-cmdline: /proc/cmdline without BOOT_IMAGE= and, for -p, crashkernel=. */
static void reused_command_line(void **state)
{
	char root[] = "/tmp/kexec-opts-XXXXXX", path[256];
	struct kexec_opts o;
	FILE *f;
	char *c;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/proc", root);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/proc/cmdline", root);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("BOOT_IMAGE=/vmlinuz root=/dev/vda ro crashkernel=256M quiet\n", f);
	fclose(f);

	assert_int_equal(PARSE(&o, "-p", "--reuse-cmdline", "--append=nr_cpus=1", "k"), 0);
	o.sysroot = root;
	c = kexec_base_cmdline(&o, &test_log);
	assert_non_null(c);
	assert_string_equal(c, "root=/dev/vda ro quiet nr_cpus=1");
	free(c);

	assert_int_equal(PARSE(&o, "-l", "--reuse-cmdline", "k"), 0);
	o.sysroot = root;
	c = kexec_base_cmdline(&o, &test_log);
	assert_non_null(c);
	assert_string_equal(c, "root=/dev/vda ro crashkernel=256M quiet");
	free(c);

	assert_int_equal(PARSE(&o, "-p", "--append=only this", "k"), 0);
	o.sysroot = root;
	c = kexec_base_cmdline(&o, &test_log);
	assert_non_null(c);
	assert_string_equal(c, "only this");
	free(c);

	unlink(path);
	snprintf(path, sizeof(path), "%s/proc", root);
	rmdir(path);
	rmdir(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(kdump_command_lines, fresh_log, end_log),
		cmocka_unit_test_setup_teardown(other_actions, fresh_log, end_log),
		cmocka_unit_test_setup_teardown(refused, fresh_log, end_log),
		cmocka_unit_test_setup_teardown(reused_command_line, fresh_log, end_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
