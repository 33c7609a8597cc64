// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The target checks and the image's size: header bytes as the kernel
 * sizes them, the size from the status, /proc/iomem or /proc/meminfo,
 * new files 0600, existing ones refused unless forced, no room refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "src/target.h"
#include "util/tests/fakeroot.h"

struct env {
	char *dir;
	char real[PATH_MAX];
	char path[PATH_MAX + 64];
	struct log_ctx log;
	struct ld_target t;
};

static void env_init(struct env *e, const char *name)
{
	memset(e, 0, sizeof(*e));
	e->dir = fake_root_new();
	assert_non_null(realpath(e->dir, e->real));
	snprintf(e->path, sizeof(e->path), "%s/%s", e->real, name);
	log_init(&e->log, "livedump");
}

static void env_free(struct env *e)
{
	log_destroy(&e->log);
	fake_root_free(e->dir);
}

static unsigned int mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

/*
 * 64 (ELF header) + 130 * 56 (program headers) + 356 per CPU + 20604
 * (VMCOREINFO, LIVEDUMP and the closing note), up to a page.
 */
static void header_bytes(void **state)
{
	assert_int_equal(ld_header_bytes(1), 28672);	/* 28304 */
	assert_int_equal(ld_header_bytes(64), 53248);	/* 50732 */
	assert_true(ld_possible_cpus() >= 1);
}

static void size_sources(void **state)
{
	static const char iomem[] =
		"00000000-00000fff : Reserved\n"
		"00001000-0009fbff : System RAM\n"
		"000a0000-000fffff : Reserved\n"
		"00100000-7ffdffff : System RAM\n"
		"  01000000-01ffffff : Kernel code\n"
		"100000000-17fffffff : Persistent Memory\n"
		"  100000000-17fffffff : namespace0.0\n";
	uint64_t header = ld_header_bytes(ld_possible_cpus());
	struct ld_image_size size;
	struct ld_status st;
	struct kvfile_map map;
	char proc[PATH_MAX + 8];
	struct env e;

	env_init(&e, "x");
	snprintf(proc, sizeof(proc), "%s/proc", e.real);

	/* A dump's counts win: (1000 + 24 pmem) pages. */
	fake_write(e.dir, "status", "state=finished\nreason=\npages_ram=1000\npages_pmem=24\n");
	assert_int_equal(kvfile_read(&map, e.real, "/status", &e.log), 0);
	assert_int_equal(ld_status_parse(&st, &map, &e.log), 0);
	fake_write(e.dir, "proc/iomem", iomem);
	assert_int_equal(ld_image_size(&st, proc, &size, &e.log), 0);
	assert_int_equal(size.source, LD_SIZE_STATUS);
	assert_int_equal(size.bytes, header + 1024 * 4096);
	ld_status_free(&st);

	/* Idle: System RAM (0x9ec00 + 0x7fee0000) and 2 GiB of pmem / 64. */
	fake_write(e.dir, "status", "state=idle\nreason=\n");
	assert_int_equal(kvfile_read(&map, e.real, "/status", &e.log), 0);
	assert_int_equal(ld_status_parse(&st, &map, &e.log), 0);
	assert_int_equal(ld_image_size(&st, proc, &size, &e.log), 0);
	assert_int_equal(size.source, LD_SIZE_IOMEM);
	assert_int_equal(size.bytes, header + 2146954240ULL + 33554432ULL);

	/* As non-root reads /proc/iomem: no addresses; MemTotal then. */
	fake_write(e.dir, "proc/iomem", "00000000-00000000 : System RAM\n00000000-00000000 : Reserved\n");
	fake_write(e.dir, "proc/meminfo", "MemTotal:        2097152 kB\nMemFree:    12 kB\n");
	assert_int_equal(ld_image_size(&st, proc, &size, &e.log), 0);
	assert_int_equal(size.source, LD_SIZE_MEMINFO);
	assert_int_equal(size.bytes, header + 2147483648ULL);

	/* Nothing tells. */
	fake_unlink(e.dir, "proc/meminfo");
	assert_int_equal(ld_image_size(&st, proc, &size, &e.log), -PMD_EIO);
	assert_non_null(strstr(log_error_text(&e.log), "cannot tell the size of the image"));
	ld_status_free(&st);
	env_free(&e);
}

static void new_file(void **state)
{
	char cwd[PATH_MAX];
	struct env e;

	env_init(&e, "new.elf");
	/* A relative path: the kernel gets it absolute. */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(e.real), 0);
	assert_int_equal(ld_target_prepare(&e.t, "new.elf", 4096, false, &e.log), 0);
	assert_int_equal(chdir(cwd), 0);
	assert_string_equal(e.t.path, e.path);
	assert_true(e.t.created);
	assert_false(e.t.device);
	assert_int_equal(mode_of(e.path), 0600);
	assert_true(ld_target_remove(&e.t));
	assert_int_not_equal(access(e.path, F_OK), 0);
	/* Removed once only, and never what we did not create. */
	assert_false(ld_target_remove(&e.t));
	env_free(&e);
}

static void existing_file(void **state)
{
	char buf[64];
	struct env e;

	env_init(&e, "old.elf");
	fake_write(e.dir, "old.elf", "an older dump\n");
	assert_int_equal(chmod(e.path, 0644), 0);
	assert_int_equal(ld_target_prepare(&e.t, e.path, 4096, false, &e.log), -PMD_EEXIST);
	assert_non_null(strstr(log_error_text(&e.log),
			       "old.elf exists (a regular file): an existing dump is never overwritten by accident (--force to overwrite it)"));
	assert_false(e.t.created);
	assert_false(ld_target_remove(&e.t));
	assert_string_equal(fake_read(e.dir, "old.elf", buf, sizeof(buf)), "an older dump\n");
	/* --force: made anew, 0600 whatever it was. */
	assert_int_equal(ld_target_prepare(&e.t, e.path, 4096, true, &e.log), 0);
	assert_true(e.t.created);
	assert_int_equal(mode_of(e.path), 0600);
	assert_string_equal(fake_read(e.dir, "old.elf", buf, sizeof(buf)), "");
	env_free(&e);
}

static void refused_targets(void **state)
{
	struct env e;

	env_init(&e, "d");
	fake_mkdir(e.dir, "d");
	assert_int_equal(ld_target_prepare(&e.t, e.path, 4096, true, &e.log), -PMD_EINVAL);
	assert_non_null(strstr(log_error_text(&e.log), "/d is a directory: the image goes to a regular file or a block device"));
	log_clear_error(&e.log);

	/* No room: the file is not even created. */
	snprintf(e.path, sizeof(e.path), "%s/big.elf", e.real);
	assert_int_equal(ld_target_prepare(&e.t, e.path, 1ULL << 62, false, &e.log), -PMD_EINVAL);
	assert_non_null(strstr(log_error_text(&e.log), "no room for the image in "));
	assert_non_null(strstr(log_error_text(&e.log), ": it needs about 4398046511104.0 MiB, the file system has "));
	assert_int_not_equal(access(e.path, F_OK), 0);
	log_clear_error(&e.log);

	/* A folder others may write to: the kernel would follow their links. */
	assert_int_equal(chmod(e.real, 01777), 0);
	assert_int_equal(ld_target_prepare(&e.t, e.path, 4096, false, &e.log), -PMD_EINVAL);
	assert_non_null(strstr(log_error_text(&e.log), "may be written by others"));
	assert_int_not_equal(access(e.path, F_OK), 0);
	assert_int_equal(chmod(e.real, 0700), 0);
	log_clear_error(&e.log);

	/* A folder that does not exist. */
	snprintf(e.path, sizeof(e.path), "%s/nowhere/x.elf", e.real);
	assert_int_equal(ld_target_prepare(&e.t, e.path, 4096, false, &e.log), -PMD_EINVAL);
	assert_non_null(strstr(log_error_text(&e.log), "the folder of "));
	env_free(&e);
}

/* A link names its target, as /dev/disk/by-id/... does. */
static void through_link(void **state)
{
	char real[PATH_MAX + 64];
	struct env e;

	env_init(&e, "link.elf");
	fake_write(e.dir, "real.elf", "x");
	fake_symlink(e.dir, "link.elf", "real.elf");
	snprintf(real, sizeof(real), "%s/real.elf", e.real);
	assert_int_equal(ld_target_prepare(&e.t, e.path, 4096, true, &e.log), 0);
	assert_string_equal(e.t.path, real);
	env_free(&e);
}

static void temp_capture(void **state)
{
	char want[PATH_MAX + 128];
	struct env e;

	env_init(&e, "out.dump");
	assert_int_equal(ld_target_temp(&e.t, e.path, 4096, &e.log), 0);
	snprintf(want, sizeof(want), "%s.capture-", e.path);
	assert_memory_equal(e.t.path, want, strlen(want));
	assert_int_equal(strlen(e.t.path), strlen(want) + 6);
	assert_int_equal(mode_of(e.t.path), 0600);
	assert_true(e.t.created);
	assert_true(ld_target_remove(&e.t));
	assert_int_not_equal(access(e.t.path, F_OK), 0);
	assert_int_equal(ld_target_temp(&e.t, e.path, 1ULL << 62, &e.log), -PMD_EINVAL);
	assert_false(e.t.created);
	env_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_bytes),
		cmocka_unit_test(size_sources),
		cmocka_unit_test(new_file),
		cmocka_unit_test(existing_file),
		cmocka_unit_test(refused_targets),
		cmocka_unit_test(through_link),
		cmocka_unit_test(temp_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
