// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * start, wait, cancel and dump against the fake kernel
 * (tests/fakekernel.h) and a fake makedumpfile (a shell script that
 * saves its argv, checks that its input is a finished image and writes
 * its output). Each test checks what the kernel was asked (the
 * transcript), the files left behind and their modes, the exit status
 * and the one error line; the expected values are written by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>

#include "src/filter.h"
#include "src/run.h"
#include "util/tests/fakeroot.h"
#include "tests/fakekernel.h"

struct env {
	struct fk k;
	struct log_ctx log;
	struct ld_run r;
	volatile sig_atomic_t interrupted;
	char *msgs;			/* what the user was told */
	size_t msgs_len;
	char path[PATH_MAX + 64];	/* a file in the test folder */
	char mdf[PATH_MAX + 64];	/* the fake makedumpfile */
};

static void env_init(struct env *e, const char *status)
{
	memset(e, 0, sizeof(*e));
	fk_init(&e->k, status);
	log_init(&e->log, "livedump");
	e->log.msg = open_memstream(&e->msgs, &e->msgs_len);
	assert_non_null(e->log.msg);
	ld_run_init(&e->r, &e->log, &e->interrupted);
	e->r.ctl.root = e->k.sysfs;
	e->r.ctl.write = fk_store;
	e->r.proc = e->k.proc;
	e->r.poll_ms = 10;
}

/* A fake kernel whose dumps go as @sc says. */
static void env_run(struct env *e, const struct fk_scenario *sc)
{
	env_init(e, NULL);
	fk_run(&e->k, sc);
}

static void env_free(struct env *e)
{
	fclose(e->log.msg);
	free(e->msgs);
	log_destroy(&e->log);
	fk_free(&e->k);
}

static const char *file_in(struct env *e, const char *name)
{
	snprintf(e->path, sizeof(e->path), "%s/%s", e->k.real, name);
	return e->path;
}

static unsigned int mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

static const char *told(struct env *e)
{
	fflush(e->log.msg);
	return e->msgs ? e->msgs : "";
}

/* The image the fake writes: its header at 0, its pages at 4096. */
static void assert_image(const char *path)
{
	char want[4096 + sizeof(FK_DATA)] = FK_HEADER, got[sizeof(want)];
	int fd = open(path, O_RDONLY);

	memcpy(want + 4096, FK_DATA, strlen(FK_DATA));
	assert_true(fd >= 0);
	assert_int_equal(read(fd, got, sizeof(want)), 4096 + strlen(FK_DATA));
	close(fd);
	assert_memory_equal(got, want, 4096 + strlen(FK_DATA));
}

/* The files of the test folder but the fake's own, sorted, one a line. */
static char *names(struct env *e, char *buf, size_t size)
{
	struct dirent **list;
	int n = scandir(e->k.real, &list, NULL, alphasort);

	assert_true(n >= 0);
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		const char *d = list[i]->d_name;

		if (strcmp(d, ".") && strcmp(d, "..") && strcmp(d, "sys") && strcmp(d, "proc") &&
		    strcmp(d, "transcript") && strcmp(d, "makedumpfile") && strcmp(d, "mdf.argv"))
			snprintf(buf + strlen(buf), size - strlen(buf), "%s\n", d);
		free(list[i]);
	}
	free(list);
	return buf;
}

static void start_new_target(void **state)
{
	struct fk_scenario sc = { .end = "finished" };
	struct ld_start_opts o = { .target = "new.elf" };
	char cwd[PATH_MAX], buf[8192], want[PATH_MAX + 128];
	struct ld_target t;
	struct env e;

	env_run(&e, &sc);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(e.k.real), 0);
	assert_int_equal(ld_start(&e.r, &o, &t), LD_EXIT_OK);
	assert_int_equal(chdir(cwd), 0);
	/* The kernel got the absolute path and the recommended buffer. */
	assert_string_equal(fk_line(&e.k, "target", buf, sizeof(buf)), file_in(&e, "new.elf"));
	fk_wait_state(&e.k, "finished");
	/* The file was ours, 0600, before the kernel opened it. */
	snprintf(want, sizeof(want), "start target=%s buffer_mb=48 existed=1 mode=600\n",
		 file_in(&e, "new.elf"));
	assert_string_equal(fk_transcript(&e.k, buf, sizeof(buf)), want);
	assert_int_equal(mode_of(e.path), 0600);
	assert_non_null(strstr(told(&e), "livedump: started a live dump to "));
	assert_non_null(strstr(told(&e), "(image about 2048.0 MiB, from MemTotal, less than the image by the reserved memory; buffer 48 MiB)"));
	/* wait: finished, exit 0. */
	assert_int_equal(ld_wait(&e.r, 5, false, NULL), LD_EXIT_OK);
	assert_image(file_in(&e, "new.elf"));
	assert_non_null(strstr(told(&e), "livedump: finished: "));
	assert_non_null(strstr(told(&e), "new.elf, 256 pages in 123 ms (stop 456 us)\n"));
	env_free(&e);
}

static void start_existing_target(void **state)
{
	struct fk_scenario sc = { .end = "finished" };
	struct ld_start_opts o = { .buffer_mb = 2 };
	char buf[8192], want[PATH_MAX + 128];
	struct ld_target t;
	struct env e;

	env_run(&e, &sc);
	fake_write(e.k.dir, "old.elf", "an older dump\n");
	o.target = file_in(&e, "old.elf");
	assert_int_equal(ld_start(&e.r, &o, &t), LD_EXIT_FAIL);
	assert_non_null(strstr(log_error_text(&e.log), "old.elf exists (a regular file): an existing dump is never overwritten by accident (--force to overwrite it)"));
	assert_string_equal(fake_read(e.k.dir, "old.elf", buf, sizeof(buf)), "an older dump\n");
	assert_string_equal(fk_transcript(&e.k, buf, sizeof(buf)), "");
	/* --force, and --buffer 2 (1500K rounded up, say). */
	log_clear_error(&e.log);
	o.force = true;
	assert_int_equal(ld_start(&e.r, &o, &t), LD_EXIT_OK);
	fk_wait_state(&e.k, "finished");
	snprintf(want, sizeof(want), "start target=%s buffer_mb=2 existed=1 mode=600\n", o.target);
	assert_string_equal(fk_transcript(&e.k, buf, sizeof(buf)), want);
	env_free(&e);
}

/* The status says a dump runs: refused before anything is made. */
static void start_busy(void **state)
{
	struct ld_start_opts o = { 0 };
	struct ld_target t;
	char buf[256];
	struct env e;

	/* No child: the status stays as it is. */
	env_init(&e, "state=running\nreason=\ntarget=/var/crash/other.elf\npages_ram=100\npages_left=50\n");
	o.target = file_in(&e, "new.elf");
	assert_int_equal(ld_start(&e.r, &o, &t), LD_EXIT_BUSY);
	assert_string_equal(log_error_text(&e.log),
			    "a live dump is already running (state running, target /var/crash/other.elf; livedump cancel ends it)");
	assert_int_not_equal(access(o.target, F_OK), 0);
	assert_string_equal(fk_transcript(&e.k, buf, sizeof(buf)), "");
	env_free(&e);
}

/* Another start between our status read and our write: the kernel's EBUSY. */
static void start_ebusy(void **state)
{
	struct ld_start_opts o = { 0 };
	struct ld_target t;
	char names_buf[1024];
	struct env e;

	env_init(&e, NULL);
	e.k.busy_race = true;
	o.target = file_in(&e, "new.elf");
	assert_int_equal(ld_start(&e.r, &o, &t), LD_EXIT_BUSY);
	assert_string_equal(log_error_text(&e.log),
			    "a live dump is already running (livedump status; livedump cancel ends it)");
	/* The file we made for it is gone again. */
	assert_string_equal(names(&e, names_buf, sizeof(names_buf)), "");
	env_free(&e);
}

static void start_refused(void **state)
{
	struct ld_start_opts o = { .buffer_mb = 4096 };
	struct ld_target t;
	char names_buf[1024];
	struct env e;

	/* A buffer larger than the RAM: the kernel's EINVAL. */
	env_init(&e, NULL);
	o.target = file_in(&e, "new.elf");
	assert_int_equal(ld_start(&e.r, &o, &t), LD_EXIT_FAIL);
	assert_string_equal(log_error_text(&e.log),
			    "the kernel refused a buffer of 4096 MiB: it must be less than the RAM");
	assert_string_equal(names(&e, names_buf, sizeof(names_buf)), "");
	env_free(&e);

	/* A newline would cut the path the kernel takes. */
	env_init(&e, NULL);
	o.target = file_in(&e, "new\nx.elf");
	o.buffer_mb = 0;
	assert_int_equal(ld_start(&e.r, &o, &t), LD_EXIT_FAIL);
	assert_string_equal(log_error_text(&e.log),
			    "target: a value with a newline cannot be given to the kernel");
	assert_string_equal(names(&e, names_buf, sizeof(names_buf)), "");
	env_free(&e);

	/* No target given and none held. */
	env_init(&e, NULL);
	o.target = NULL;
	o.buffer_mb = 0;
	assert_int_equal(ld_start(&e.r, &o, &t), LD_EXIT_USAGE);
	assert_string_equal(log_error_text(&e.log), "no target: give --target FILE|DEV");
	env_free(&e);

	/* No room for the image of the last dump's size. */
	env_init(&e, "state=finished\nreason=\npages_ram=4503599627370496\n");
	o.target = file_in(&e, "new.elf");
	assert_int_equal(ld_start(&e.r, &o, &t), LD_EXIT_FAIL);
	assert_non_null(strstr(log_error_text(&e.log), "no room for the image in "));
	assert_string_equal(names(&e, names_buf, sizeof(names_buf)), "");
	env_free(&e);

	/* No live dump in this kernel. */
	env_init(&e, NULL);
	e.r.ctl.root = "/nonexistent/sys/kernel/livedump";
	o.target = file_in(&e, "new.elf");
	assert_int_equal(ld_start(&e.r, &o, &t), LD_EXIT_NO_KERNEL);
	assert_string_equal(log_error_text(&e.log), "this kernel has no live dump (CONFIG_LIVEDUMP)");
	assert_int_equal(ld_wait(&e.r, -1, false, NULL), LD_EXIT_NO_KERNEL);
	assert_int_equal(ld_cancel(&e.r), LD_EXIT_NO_KERNEL);
	assert_string_equal(names(&e, names_buf, sizeof(names_buf)), "");
	env_free(&e);
}

static void wait_failed(void **state)
{
	struct fk_scenario sc = { .end = "failed", .reason = "copy buffer full" };
	struct ld_start_opts o = { 0 };
	struct ld_status st;
	struct ld_target t;
	struct env e;

	env_run(&e, &sc);
	o.target = file_in(&e, "f.elf");
	assert_int_equal(ld_start(&e.r, &o, &t), LD_EXIT_OK);
	assert_int_equal(ld_wait(&e.r, 5, false, &st), LD_EXIT_FAIL);
	/* The buffer was the recommended 48 MiB: twice that. */
	assert_string_equal(log_error_text(&e.log),
			    "the dump failed: copy buffer full; try a bigger buffer: --buffer 96M (recommended: 48 MiB)");
	assert_int_equal(st.state, LD_STATE_FAILED);
	ld_status_free(&st);
	env_free(&e);

	/* A smaller buffer than recommended: the recommendation. */
	sc = (struct fk_scenario){ .end = "failed", .fail_in_setup = true,
				   .reason = "copy buffer too small for the stop" };
	env_run(&e, &sc);
	o.target = file_in(&e, "f.elf");
	o.buffer_mb = 8;
	assert_int_equal(ld_start(&e.r, &o, &t), LD_EXIT_OK);
	assert_int_equal(ld_wait(&e.r, 5, false, NULL), LD_EXIT_FAIL);
	assert_string_equal(log_error_text(&e.log),
			    "the dump failed: copy buffer too small for the stop; try a bigger buffer: --buffer 48M (recommended: 48 MiB)");
	env_free(&e);

	/* Another reason: said as it is. */
	sc = (struct fk_scenario){ .end = "failed", .reason = "write to the target failed" };
	env_run(&e, &sc);
	o.target = file_in(&e, "f.elf");
	o.buffer_mb = 0;
	assert_int_equal(ld_start(&e.r, &o, &t), LD_EXIT_OK);
	assert_int_equal(ld_wait(&e.r, 5, false, NULL), LD_EXIT_FAIL);
	assert_string_equal(log_error_text(&e.log), "the dump failed: write to the target failed");
	env_free(&e);
}

static void cancel_and_wait(void **state)
{
	struct fk_scenario sc = { .end = "hold" };
	struct ld_start_opts o = { 0 };
	struct ld_target t;
	char buf[8192];
	struct env e;

	env_run(&e, &sc);
	o.target = file_in(&e, "c.elf");
	assert_int_equal(ld_start(&e.r, &o, &t), LD_EXIT_OK);
	fk_wait_state(&e.k, "running");
	/* wait --timeout: the dump goes on. */
	assert_int_equal(ld_wait(&e.r, 0.05, false, NULL), LD_EXIT_TIMEOUT);
	assert_string_equal(log_error_text(&e.log),
			    "the dump is still running after 0.05 s (livedump wait waits again, livedump cancel ends it)");
	assert_null(strstr(fk_transcript(&e.k, buf, sizeof(buf)), "cancel"));
	log_clear_error(&e.log);
	/* cancel returns once the kernel says cancelled. */
	assert_int_equal(ld_cancel(&e.r), LD_EXIT_OK);
	assert_non_null(strstr(told(&e), "livedump: cancelled; the protection is lifted\n"));
	assert_non_null(strstr(fk_transcript(&e.k, buf, sizeof(buf)), "\ncancel\n"));
	assert_int_equal(ld_wait(&e.r, 5, false, NULL), LD_EXIT_CANCELLED);
	assert_string_equal(log_error_text(&e.log), "the dump was cancelled");
	/* Nothing runs now: cancel says so. */
	assert_int_equal(ld_cancel(&e.r), LD_EXIT_OK);
	assert_non_null(strstr(told(&e), "livedump: no dump is running (state cancelled)\n"));
	env_free(&e);
}

/* An interrupt while waiting cancels the dump, and the wait goes on to its end. */
static void wait_interrupted(void **state)
{
	struct fk_scenario sc = { .end = "hold" };
	struct ld_start_opts o = { 0 };
	struct ld_status st;
	struct ld_target t;
	char buf[8192];
	struct env e;

	env_run(&e, &sc);
	o.target = file_in(&e, "i.elf");
	assert_int_equal(ld_start(&e.r, &o, &t), LD_EXIT_OK);
	e.interrupted = 1;
	assert_int_equal(ld_wait(&e.r, -1, false, &st), LD_EXIT_CANCELLED);
	assert_int_equal(st.state, LD_STATE_CANCELLED);
	assert_string_equal(log_error_text(&e.log), "the dump was cancelled (interrupted)");
	assert_non_null(strstr(fk_transcript(&e.k, buf, sizeof(buf)), "\ncancel\n"));
	ld_status_free(&st);
	env_free(&e);
}

static void wait_nothing(void **state)
{
	struct env e;

	env_init(&e, NULL);
	assert_int_equal(ld_wait(&e.r, -1, false, NULL), LD_EXIT_FAIL);
	assert_string_equal(log_error_text(&e.log), "no live dump has been started (livedump start)");
	env_free(&e);
	env_init(&e, "state=draining\nreason=\n");
	assert_int_equal(ld_wait(&e.r, -1, false, NULL), LD_EXIT_FAIL);
	assert_string_equal(log_error_text(&e.log),
			    "the kernel says the dump is 'draining', a state this livedump does not know");
	env_free(&e);
}

static void dump_plain(void **state)
{
	struct fk_scenario sc = { .end = "finished" };
	struct ld_dump_opts o = { 0 };
	char buf[8192], started[PATH_MAX + 128], want[PATH_MAX + 128];
	struct env e;

	env_run(&e, &sc);
	o.output = file_in(&e, "out.elf");
	assert_int_equal(ld_dump(&e.r, &o), LD_EXIT_OK);
	assert_image(o.output);
	assert_int_equal(mode_of(o.output), 0600);
	snprintf(started, sizeof(started), "start target=%s buffer_mb=48 existed=1 mode=600\n",
		 o.output);
	assert_string_equal(fk_transcript(&e.k, buf, sizeof(buf)), started);
	assert_string_equal(names(&e, buf, sizeof(buf)), "out.elf\n");
	assert_non_null(strstr(told(&e), "livedump: captured 0.0 MiB to "));
	/* Once there, FILE is never overwritten: no second start. */
	assert_int_equal(ld_dump(&e.r, &o), LD_EXIT_FAIL);
	snprintf(want, sizeof(want), "%s exists: a dump is never overwritten", o.output);
	assert_string_equal(log_error_text(&e.log), want);
	assert_image(o.output);
	assert_string_equal(fk_transcript(&e.k, buf, sizeof(buf)), started);
	env_free(&e);
}

/* A dump that fails leaves no FILE: half an image never passes for one. */
static void dump_failed(void **state)
{
	struct fk_scenario sc = { .end = "failed", .reason = "write to the target failed" };
	struct ld_dump_opts o = { 0 };
	char buf[1024];
	struct env e;

	env_run(&e, &sc);
	o.output = file_in(&e, "out.elf");
	assert_int_equal(ld_dump(&e.r, &o), LD_EXIT_FAIL);
	assert_string_equal(log_error_text(&e.log),
			    "the dump failed: write to the target failed; the unfinished image is removed");
	assert_string_equal(names(&e, buf, sizeof(buf)), "");
	env_free(&e);
}

/* makedumpfile's argv saved, its input checked for the image's header. */
static void write_mdf(struct env *e, int exit_code)
{
	char script[2 * PATH_MAX + 512];

	snprintf(script, sizeof(script),
		 "#!/bin/sh\n"
		 "printf '%%s\\n' \"$@\" > '%s/mdf.argv'\n"
		 "eval in=\\${$(($# - 1))}\n"
		 "eval out=\\${$#}\n"
		 "head -c 4 \"$in\" | grep -q ELF || exit 9\n"
		 "[ %d = 0 ] || exit %d\n"
		 "[ -e \"$out\" ] && exit 8\n"
		 "printf 'filtered\\n' > \"$out\"\n",
		 e->k.real, exit_code, exit_code);
	fake_write(e->k.dir, "makedumpfile", script);
	snprintf(e->mdf, sizeof(e->mdf), "%s/makedumpfile", e->k.real);
	assert_int_equal(chmod(e->mdf, 0755), 0);
}

static void dump_filter(void **state)
{
	struct fk_scenario sc = { .end = "finished" };
	struct ld_dump_opts o = { .filter = "-l -d 31" };
	char buf[8192], want[2 * PATH_MAX], *capture;
	struct env e;

	env_run(&e, &sc);
	write_mdf(&e, 0);
	o.makedumpfile = e.mdf;
	o.output = file_in(&e, "out.dump");
	assert_int_equal(ld_dump(&e.r, &o), LD_EXIT_OK);
	/* The capture went to "out.dump.capture-XXXXXX" beside FILE. */
	capture = strstr(fk_transcript(&e.k, buf, sizeof(buf)), "target=") + 7;
	*strchr(capture, ' ') = '\0';
	snprintf(want, sizeof(want), "%s.capture-", o.output);
	assert_memory_equal(capture, want, strlen(want));
	snprintf(want, sizeof(want), "-l\n-d\n31\n%s\n%s\n", capture, o.output);
	capture = strdup(capture);
	assert_string_equal(fake_read(e.k.dir, "mdf.argv", buf, sizeof(buf)), want);
	assert_string_equal(fake_read(e.k.dir, "out.dump", buf, sizeof(buf)), "filtered\n");
	/* Only the filtered dump is left. */
	assert_string_equal(names(&e, buf, sizeof(buf)), "out.dump\n");
	assert_non_null(strstr(told(&e), "livedump: makedumpfile -l -d 31: "));
	assert_non_null(strstr(told(&e), "out.dump: 0.0 MiB (9 bytes), "));
	assert_non_null(strstr(told(&e), "livedump: the capture is removed\n"));
	free(capture);
	env_free(&e);

	/* --keep-capture: both are left. */
	env_run(&e, &sc);
	write_mdf(&e, 0);
	o.makedumpfile = e.mdf;
	o.keep_capture = true;
	o.output = file_in(&e, "out.dump");
	assert_int_equal(ld_dump(&e.r, &o), LD_EXIT_OK);
	names(&e, buf, sizeof(buf));
	assert_memory_equal(buf, "out.dump\nout.dump.capture-", 26);
	assert_int_equal(strlen(buf), 26 + 7);
	assert_non_null(strstr(told(&e), "livedump: the capture is kept: "));
	env_free(&e);
}

/* makedumpfile fails: the capture, a good image, is kept and named. */
static void dump_filter_fails(void **state)
{
	struct fk_scenario sc = { .end = "finished" };
	struct ld_dump_opts o = { .filter = "-d 31 -c" };
	char buf[1024], want[PATH_MAX + 128];
	struct env e;

	env_run(&e, &sc);
	write_mdf(&e, 3);
	o.output = file_in(&e, "out.dump");
	/* Through $PMEMDUMP_MAKEDUMPFILE this time. */
	setenv(LD_MAKEDUMPFILE_ENV, e.mdf, 1);
	assert_int_equal(ld_dump(&e.r, &o), LD_EXIT_FAIL);
	unsetenv(LD_MAKEDUMPFILE_ENV);
	names(&e, buf, sizeof(buf));
	assert_memory_equal(buf, "out.dump.capture-", 17);
	buf[strlen(buf) - 1] = '\0';
	snprintf(want, sizeof(want), "makedumpfile exited with status 3; the capture is kept: %s/%s",
		 e.k.real, buf);
	assert_string_equal(log_error_text(&e.log), want);
	env_free(&e);
}

static void dump_refused(void **state)
{
	struct fk_scenario sc = { .end = "finished" };
	struct ld_dump_opts o = { 0 };
	char buf[1024];
	struct env e;

	env_run(&e, &sc);
	o.output = file_in(&e, "out.dump");
	/* -F would send the dump to our standard output. */
	o.filter = "-F -d 31";
	assert_int_equal(ld_dump(&e.r, &o), LD_EXIT_USAGE);
	/* A makedumpfile that is not there: found missing before any capture. */
	o.filter = "-d 31";
	o.makedumpfile = "/nonexistent/makedumpfile";
	log_clear_error(&e.log);
	assert_int_equal(ld_dump(&e.r, &o), LD_EXIT_FAIL);
	assert_string_equal(log_error_text(&e.log),
			    "makedumpfile /nonexistent/makedumpfile is not a program we can run");
	assert_string_equal(fk_transcript(&e.k, buf, sizeof(buf)), "");
	assert_string_equal(names(&e, buf, sizeof(buf)), "");
	env_free(&e);
}

/* An interrupt during dump: cancelled, its capture removed, exit 6. */
static void dump_interrupted(void **state)
{
	struct fk_scenario sc = { .end = "hold" };
	struct ld_dump_opts o = { 0 };
	char buf[1024];
	struct env e;

	env_run(&e, &sc);
	o.output = file_in(&e, "out.elf");
	e.interrupted = 1;
	assert_int_equal(ld_dump(&e.r, &o), LD_EXIT_CANCELLED);
	assert_string_equal(log_error_text(&e.log),
			    "the dump was cancelled (interrupted); the unfinished image is removed");
	assert_string_equal(names(&e, buf, sizeof(buf)), "");
	env_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(start_new_target),
		cmocka_unit_test(start_existing_target),
		cmocka_unit_test(start_busy),
		cmocka_unit_test(start_ebusy),
		cmocka_unit_test(start_refused),
		cmocka_unit_test(wait_failed),
		cmocka_unit_test(cancel_and_wait),
		cmocka_unit_test(wait_interrupted),
		cmocka_unit_test(wait_nothing),
		cmocka_unit_test(dump_plain),
		cmocka_unit_test(dump_failed),
		cmocka_unit_test(dump_filter),
		cmocka_unit_test(dump_filter_fails),
		cmocka_unit_test(dump_refused),
		cmocka_unit_test(dump_interrupted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
