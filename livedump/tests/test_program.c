// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The livedump program itself: its command line, the one error line and
 * the exit status of each failure, status as text and JSON, and an
 * interrupt during wait, which must cancel the kernel's dump. It runs
 * on the fake kernel's folder ($PMEMDUMP_LIVEDUMP_SYSFS); only what
 * needs no synchronous store is asked of it here (tests/test_commands.c
 * has the rest).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pwd.h>

#include "src/run.h"
#include "util/tests/fakeroot.h"
#include "tests/fakekernel.h"

struct result {
	int status;		/* exit status, or 128 + signal */
	char out[16384], err[16384];
};

/* The program under test, in the build tree. */
static const char *program(void)
{
	static char path[PATH_MAX];
	const char *top = getenv("top_builddir");

	snprintf(path, sizeof(path), "%s/livedump/livedump", top ? top : ".");
	return path;
}

static void slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, size - 1);
	assert_true(n >= 0);
	buf[n] = '\0';
	close(fd);
	unlink(path);
}

/* Does @pid catch SIGINT (SigCgt of /proc/PID/status)? */
static bool catches_sigint(pid_t pid)
{
	char path[64], line[256];
	unsigned long long mask = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "SigCgt: %llx", &mask) == 1)
			break;
	fclose(f);
	return mask & (1ULL << (SIGINT - 1));
}

/*
 * Run livedump with @argv on the fake kernel @k (NULL: no such folder).
 * @user: run as that user (a test as root). @signal_after_ms: send
 * SIGINT after that long (0: none).
 */
static void run_as(struct result *res, const struct fk *k, const char *user, int signal_after_ms,
		   const char *const *argv)
{
	char out[] = "/tmp/pmd-ld-out-XXXXXX", err[] = "/tmp/pmd-ld-err-XXXXXX";
	const char *args[16] = { program() };
	int fo = mkstemp(out), fe = mkstemp(err), status;
	pid_t pid;

	assert_true(fo >= 0 && fe >= 0);
	for (int i = 0; argv[i]; i++)
		args[i + 1] = argv[i];
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct passwd *pw = user ? getpwnam(user) : NULL;

		dup2(fo, STDOUT_FILENO);
		dup2(fe, STDERR_FILENO);
		setenv(LD_SYSFS_ENV, k ? k->sysfs : "/nonexistent/sys/kernel/livedump", 1);
		if (k)
			setenv(LD_PROC_ENV, k->proc, 1);
		if (pw && (setgid(pw->pw_gid) || setuid(pw->pw_uid)))
			_exit(99);
		execv(args[0], (char *const *)args);
		_exit(98);
	}
	if (signal_after_ms) {
		struct timespec ts = { signal_after_ms / 1000, (signal_after_ms % 1000) * 1000000L };

		nanosleep(&ts, NULL);
		/* Only once livedump catches it: a loaded machine may be slow to exec. */
		for (int i = 0; i < 1000 && !catches_sigint(pid); i++)
			nanosleep(&(struct timespec){ 0, 10000000L }, NULL);
		kill(pid, SIGINT);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	res->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	close(fo);
	close(fe);
	slurp(out, res->out, sizeof(res->out));
	slurp(err, res->err, sizeof(res->err));
}

static void run(struct result *res, const struct fk *k, const char *const *argv)
{
	run_as(res, k, NULL, 0, argv);
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void help_version_usage(void **state)
{
	struct result r;

	run(&r, NULL, ARGS("--version"));
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "livedump (pmemdump) " PACKAGE_VERSION "\n");
	run(&r, NULL, ARGS("--help"));
	assert_int_equal(r.status, 0);
	assert_memory_equal(r.out, "usage: livedump <command> [options]\n", 36);
	run(&r, NULL, ARGS("wait", "--help"));
	assert_int_equal(r.status, 0);
	assert_memory_equal(r.out, "usage: livedump <command> [options]\n", 36);

	run(&r, NULL, ARGS("frobnicate"));
	assert_int_equal(r.status, LD_EXIT_USAGE);
	assert_string_equal(r.err, "livedump: unknown command 'frobnicate' (livedump --help)\n");
	run(&r, NULL, ARGS("start", "--json"));
	assert_int_equal(r.status, LD_EXIT_USAGE);
	assert_string_equal(r.err, "livedump start: unknown option or missing argument: --json (livedump --help)\n");
	run(&r, NULL, ARGS("start", "--buffer", "lots"));
	assert_int_equal(r.status, LD_EXIT_USAGE);
	assert_string_equal(r.err, "livedump start: --buffer lots: want a size such as 512M or 2G (livedump --help)\n");
	run(&r, NULL, ARGS("wait", "--timeout", "-1"));
	assert_int_equal(r.status, LD_EXIT_USAGE);
	run(&r, NULL, ARGS("dump", "--filter", "-d 31"));
	assert_int_equal(r.status, LD_EXIT_USAGE);
	assert_string_equal(r.err, "livedump dump: -o FILE is required (livedump --help)\n");
	run(&r, NULL, ARGS("dump", "-o", "x", "--force"));
	assert_int_equal(r.status, LD_EXIT_USAGE);
	run(&r, NULL, ARGS("dump", "-o", "x", "--target", "/dev/sdz"));
	assert_int_equal(r.status, LD_EXIT_USAGE);
	run(&r, NULL, ARGS("cancel", "now"));
	assert_int_equal(r.status, LD_EXIT_USAGE);
	assert_string_equal(r.err, "livedump cancel: unexpected argument: now (livedump --help)\n");
	run(&r, NULL, ARGS(NULL));
	assert_int_equal(r.status, LD_EXIT_USAGE);
}

static void no_kernel(void **state)
{
	static const char line[] = "livedump: this kernel has no live dump (CONFIG_LIVEDUMP)\n";
	const char *const *cmds[] = {
		ARGS("status"), ARGS("start", "--target", "/var/crash/x.elf"), ARGS("wait"),
		ARGS("cancel"), ARGS("dump", "-o", "/nonexistent/x.elf"),
	};
	struct result r;

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		run(&r, NULL, cmds[i]);
		assert_int_equal(r.status, LD_EXIT_NO_KERNEL);
		assert_string_equal(r.err, line);
		assert_string_equal(r.out, "");
	}
}

static void status_text_and_json(void **state)
{
	struct json_object *o, *v;
	struct result r;
	struct fk k;

	fk_init(&k, "state=running\nreason=\ntarget=/var/crash/live.elf\nbuffer_pages=12288\n"
		    "pages_ram=1000\npages_left=250\npmem_extra=5\n");
	run(&r, &k, ARGS("status"));
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "state:        running\n"
				   "target:       /var/crash/live.elf\n"
				   "progress:     75.0 % (250 of 1000 pages left)\n"
				   "buffer:       12288 pages (48 MiB)\n"
				   "pmem_extra: 5\n");
	assert_string_equal(r.err, "");
	run(&r, &k, ARGS("status", "--json"));
	assert_int_equal(r.status, 0);
	o = json_tokener_parse(r.out);
	assert_non_null(o);
	assert_int_equal(json_object_object_length(o), 7);
	assert_true(json_object_object_get_ex(o, "state", &v));
	assert_string_equal(json_object_get_string(v), "running");
	assert_true(json_object_object_get_ex(o, "progress_percent", &v));
	assert_true(json_object_get_double(v) == 75.0);
	assert_true(json_object_object_get_ex(o, "pages_left", &v));
	assert_int_equal(json_object_get_int64(v), 250);
	assert_true(json_object_object_get_ex(o, "pmem_extra", &v));
	assert_int_equal(json_object_get_int64(v), 5);
	json_object_put(o);
	/* A status we cannot read: exit 1 with its line. */
	fk_set_status(&k, "reason=\n");
	run(&r, &k, ARGS("status", "--json"));
	assert_int_equal(r.status, LD_EXIT_FAIL);
	assert_string_equal(r.err, "livedump: live dump status: no state line\n");
	fk_free(&k);
}

static void start_refusals(void **state)
{
	char path[PATH_MAX + 64], buf[64];
	struct result r;
	struct fk k;

	/* An existing file: refused, left as it was, exit 1. */
	fk_init(&k, NULL);
	fake_write(k.dir, "old.elf", "an older dump\n");
	snprintf(path, sizeof(path), "%s/old.elf", k.real);
	run(&r, &k, ARGS("start", "--target", path));
	assert_int_equal(r.status, LD_EXIT_FAIL);
	assert_non_null(strstr(r.err, "old.elf exists (a regular file): an existing dump is never overwritten by accident (--force to overwrite it)\n"));
	assert_string_equal(fake_read(k.dir, "old.elf", buf, sizeof(buf)), "an older dump\n");
	assert_string_equal(fk_line(&k, "start", buf, sizeof(buf)), "");
	fk_free(&k);

	/* A dump runs: exit 4, nothing created. */
	fk_init(&k, "state=writing\nreason=\ntarget=/var/crash/a.elf\n");
	snprintf(path, sizeof(path), "%s/new.elf", k.real);
	run(&r, &k, ARGS("start", "--target", path));
	assert_int_equal(r.status, LD_EXIT_BUSY);
	assert_string_equal(r.err, "livedump: a live dump is already running (state writing, target /var/crash/a.elf; livedump cancel ends it)\n");
	assert_int_not_equal(access(path, F_OK), 0);
	run(&r, &k, ARGS("dump", "-o", path));
	assert_int_equal(r.status, LD_EXIT_BUSY);
	fk_free(&k);
}

/* Not root: told so before any file is made, exit 3. */
static void not_root(void **state)
{
	char path[PATH_MAX + 64], line[PATH_MAX + 128];
	struct result r;
	struct fk k;

	fk_init(&k, NULL);
	snprintf(path, sizeof(path), "%s/new.elf", k.real);
	if (geteuid() == 0) {
		/* nobody may read the folder, not write the attributes (root's, 0644). */
		assert_int_equal(chmod(k.real, 0755), 0);
		run_as(&r, &k, "nobody", 0, ARGS("start", "--target", path));
		assert_int_not_equal(r.status, 99);
	} else {
		char attr[PATH_MAX + 64];

		snprintf(attr, sizeof(attr), "%s/target", k.sysfs);
		assert_int_equal(chmod(attr, 0444), 0);
		run(&r, &k, ARGS("start", "--target", path));
	}
	assert_int_equal(r.status, LD_EXIT_NO_KERNEL);
	snprintf(line, sizeof(line),
		 "livedump: permission denied writing %s/target: live dump needs root\n", k.sysfs);
	assert_string_equal(r.err, line);
	assert_int_not_equal(access(path, F_OK), 0);
	/* status is for everyone. */
	if (geteuid() == 0)
		run_as(&r, &k, "nobody", 0, ARGS("status"));
	else
		run(&r, &k, ARGS("status"));
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "state:        idle\n");
	fk_free(&k);
}

static void wait_exit_statuses(void **state)
{
	struct result r;
	struct fk k;

	fk_init(&k, "state=finished\nreason=\ntarget=/var/crash/a.elf\npages_ram=100\n"
		    "pages_stop=10\npages_fault=0\npages_sweep=88\npages_unprotected=0\n"
		    "pages_lost=2\npages_excluded=0\npages_left=0\nstop_us=7\ntotal_ms=9\n");
	run(&r, &k, ARGS("wait"));
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "livedump: finished: /var/crash/a.elf, 100 pages in 9 ms (stop 7 us)\n");
	assert_string_equal(r.err, "livedump: warning: 2 pages could not be captured: zeros in the image, listed in its LIVEDUMP note\n");
	fk_set_status(&k, "state=failed\nreason=copy buffer full\nbuffer_pages=25600\n");
	run(&r, &k, ARGS("wait"));
	assert_int_equal(r.status, LD_EXIT_FAIL);
	assert_string_equal(r.err, "livedump: the dump failed: copy buffer full; try a bigger buffer: --buffer 200M (recommended: 48 MiB)\n");
	fk_set_status(&k, "state=cancelled\nreason=cancelled\n");
	run(&r, &k, ARGS("wait"));
	assert_int_equal(r.status, LD_EXIT_CANCELLED);
	assert_string_equal(r.err, "livedump: the dump was cancelled\n");
	fk_free(&k);
}

/* SIGINT during wait: the kernel's dump is cancelled and waited for, exit 6. */
static void interrupt_cancels(void **state)
{
	struct fk_scenario sc = { .end = "hold", .running_now = true };
	char buf[4096];
	struct result r;
	struct fk k;

	fk_init(&k, "state=running\nreason=\n");
	fk_run(&k, &sc);
	fk_wait_state(&k, "running");
	run_as(&r, &k, NULL, 300, ARGS("wait"));
	assert_int_equal(r.status, LD_EXIT_CANCELLED);
	assert_string_equal(r.err,
			    "livedump: interrupted: cancelling the dump, waiting for the kernel to lift the protection\n"
			    "livedump: the dump was cancelled (interrupted)\n");
	assert_string_equal(fk_transcript(&k, buf, sizeof(buf)), "cancel\n");
	fk_attr(&k, "status", buf, sizeof(buf));
	assert_memory_equal(buf, "state=cancelled\nreason=cancelled\n", 33);
	fk_free(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(help_version_usage),
		cmocka_unit_test(no_kernel),
		cmocka_unit_test(status_text_and_json),
		cmocka_unit_test(start_refusals),
		cmocka_unit_test(not_root),
		cmocka_unit_test(wait_exit_statuses),
		cmocka_unit_test(interrupt_cancels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
