/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef LIVEDUMP_TESTS_FAKEKERNEL_H
#define LIVEDUMP_TESTS_FAKEKERNEL_H

/*
 * A fake kernel for the livedump tests, after kernel-patches' livedump
 * (its sysfs-kernel-livedump ABI and kernel/livedump.c):
 *
 * - <dir>/sys/kernel/livedump holds target, buffer_mb,
 *   recommended_buffer_mb, start, cancel and status as regular files;
 *   <dir>/proc/meminfo a MemTotal.
 * - fk_store() answers writes as the store functions do, synchronously:
 *   EBUSY for target, buffer_mb and start while a dump runs, EINVAL for
 *   start without a target and for a buffer larger than the RAM, and
 *   start puts the status in "setup" before the write returns (as
 *   start_store does). The in-process tests give it to ld_ctl.write.
 * - A forked child moves a started dump on: setup (the target opened
 *   O_CREAT|O_TRUNC 0600 as the kernel does), running (pages_left going
 *   down), writing, then its end as the scenario says: finished (a small
 *   image, its ELF header written last), failed with a reason (no
 *   header), or running until cancelled. A write to cancel ends any dump
 *   as "cancelled". Status is replaced whole (rename), as a sysfs read
 *   is whole.
 * - A transcript (<dir>/transcript) gets "start target=... buffer_mb=...
 *   existed=0|1 mode=NNN" and "cancel" lines, written by the child as it
 *   sees them: what livedump asked of the kernel, in order.
 *
 * Include after <cmocka.h> and "util/tests/fakeroot.h": the parent side
 * asserts; the child never calls cmocka.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FK_SYSFS "sys/kernel/livedump"
#define FK_RECOMMENDED_MB 48
#define FK_RAM_MB 1024			/* the fake's RAM: a larger buffer is EINVAL */
#define FK_TICK_MS 5
/* The fake image: its header at 0 (written last), its data at 4096. */
#define FK_HEADER "\177ELF fake live dump header\n"
#define FK_DATA "fake live dump pages\n"
#define FK_IDLE "state=idle\nreason=\n"

struct fk_scenario {
	const char *end;	/* "finished", "failed" or "hold" (until cancelled) */
	const char *reason;	/* of "failed" */
	bool fail_in_setup;	/* failed before running, as a too small buffer for the stop */
	bool running_now;	/* the dump runs already: no start awaited */
	int64_t pages_ram;	/* 0: 256 */
	int64_t lost;
	unsigned int steps;	/* ticks of running; 0: 4 */
};

struct fk {
	char *dir;
	char real[PATH_MAX];	/* dir without links */
	char sysfs[PATH_MAX + 32];
	char proc[PATH_MAX + 32];
	pid_t pid;
	bool busy_race;		/* fk_store: EBUSY as if another dump started first */
};

/* The one fake kernel of a test, for fk_store. */
static struct fk *fk_current;
/* Its child: a test that failed before fk_free left it running. */
static pid_t fk_child_pid;

static inline void fk_reap(void)
{
	int status;

	if (fk_child_pid > 0) {
		kill(fk_child_pid, SIGTERM);
		waitpid(fk_child_pid, &status, 0);
	}
	fk_child_pid = 0;
}

static inline void fk_path(const struct fk *k, const char *rel, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", k->real, rel);
}

/* "<sysfs>/<attr>" read whole into @buf. */
static inline char *fk_attr(const struct fk *k, const char *attr, char *buf, size_t size)
{
	char rel[128];
	char *got;

	snprintf(rel, sizeof(rel), FK_SYSFS "/%s", attr);
	got = fake_read(k->dir, rel, buf, size);
	return got ? got : strcpy(buf, "");
}

/* The status replaced whole: a reader sees the old one or the new one. */
static inline void fk_set_status(const struct fk *k, const char *text)
{
	char path[PATH_MAX + 64], tmp[PATH_MAX + 64];
	int fd;

	fk_path(k, FK_SYSFS "/status", path, sizeof(path));
	fk_path(k, FK_SYSFS "/.status.new", tmp, sizeof(tmp));
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || close(fd) ||
	    rename(tmp, path)) {
		perror("fake kernel: status");
		abort();
	}
}

/* The first line of @attr, newline cut. */
static inline char *fk_line(const struct fk *k, const char *attr, char *buf, size_t size)
{
	fk_attr(k, attr, buf, size);
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static inline bool fk_active(const struct fk *k)
{
	char status[4096];

	fk_attr(k, "status", status, sizeof(status));
	return !strncmp(status, "state=setup\n", 12) || !strncmp(status, "state=running\n", 14) ||
	       !strncmp(status, "state=writing\n", 14);
}

/* The tree of an idle kernel (or one with @status), and the fake's /proc. */
static inline void fk_init(struct fk *k, const char *status)
{
	char text[64];

	fk_reap();
	memset(k, 0, sizeof(*k));
	k->dir = fake_root_new();
	assert_non_null(realpath(k->dir, k->real));
	snprintf(k->sysfs, sizeof(k->sysfs), "%s/" FK_SYSFS, k->real);
	snprintf(k->proc, sizeof(k->proc), "%s/proc", k->real);
	snprintf(text, sizeof(text), "%d\n", FK_RECOMMENDED_MB);
	fake_write(k->dir, FK_SYSFS "/recommended_buffer_mb", text);
	fake_write(k->dir, FK_SYSFS "/buffer_mb", text);
	fake_write(k->dir, FK_SYSFS "/target", "\n");
	fake_write(k->dir, FK_SYSFS "/start", "");
	fake_write(k->dir, FK_SYSFS "/cancel", "");
	fake_write(k->dir, "transcript", "");
	fk_set_status(k, status ? status : FK_IDLE);
	/* 2 GiB: what an idle kernel's image is estimated from. */
	fake_write(k->dir, "proc/meminfo", "MemTotal:        2097152 kB\nMemFree:          100000 kB\n");
	fk_current = k;
}

static inline void fk_log(const struct fk *k, const char *line)
{
	char path[PATH_MAX + 32];
	int fd;

	fk_path(k, "transcript", path, sizeof(path));
	fd = open(path, O_WRONLY | O_APPEND);
	if (fd >= 0) {
		if (write(fd, line, strlen(line)) < 0)
			perror("fake kernel: transcript");
		close(fd);
	}
}

/* Has @attr been written? Its content is consumed, as a store consumes it. */
static inline bool fk_take(const struct fk *k, const char *attr)
{
	char path[PATH_MAX + 64], rel[64];
	struct stat st;

	snprintf(rel, sizeof(rel), FK_SYSFS "/%s", attr);
	fk_path(k, rel, path, sizeof(path));
	if (stat(path, &st) || !st.st_size)
		return false;
	return truncate(path, 0) == 0;
}

struct fk_dump {
	char target[PATH_MAX];
	int64_t ram, left, stop, fault, sweep, lost, buffer_pages;
	const char *state, *reason;
};

static inline void fk_publish(const struct fk *k, const struct fk_dump *d, int64_t total_ms)
{
	char text[8192];

	snprintf(text, sizeof(text),
		 "state=%s\nreason=%s\ntarget=%s\nbuffer_pages=%lld\npages_ram=%lld\n"
		 "pages_stop=%lld\npages_fault=%lld\npages_sweep=%lld\npages_unprotected=0\n"
		 "pages_lost=%lld\npages_excluded=0\npages_left=%lld\nbuffer_max_used=%lld\n"
		 "splits=2\nwrite_errors=0\nstop_need=%lld\nsetup_splits=1\npages_pmem=0\n"
		 "stop_us=456\nstop_machine_us=789\ntotal_ms=%lld\n",
		 d->state, d->reason, d->target, (long long)d->buffer_pages, (long long)d->ram,
		 (long long)d->stop, (long long)d->fault, (long long)d->sweep, (long long)d->lost,
		 (long long)d->left, (long long)(d->fault + d->stop), (long long)d->stop,
		 (long long)total_ms);
	fk_set_status(k, text);
}

static inline void fk_sleep(void)
{
	struct timespec ts = { 0, FK_TICK_MS * 1000000L };

	nanosleep(&ts, NULL);
}

/* The dump's end: its state and reason, the target closed. */
static inline void fk_end(const struct fk *k, struct fk_dump *d, const char *state,
			  const char *reason, int64_t total_ms, int fd)
{
	d->state = state;
	d->reason = reason;
	fk_publish(k, d, total_ms);
	if (fd >= 0)
		close(fd);
}

/* The child: one dump from its start to its end. */
static inline void fk_one_dump(const struct fk *k, const struct fk_scenario *sc, bool started)
{
	struct fk_dump d = { .state = "setup", .reason = "" };
	unsigned int steps = sc->steps ? sc->steps : 4;
	char line[PATH_MAX + 128], mb[32];
	struct stat st;
	bool existed;
	int fd = -1;

	fk_line(k, "target", d.target, sizeof(d.target));
	fk_line(k, "buffer_mb", mb, sizeof(mb));
	d.buffer_pages = atoll(mb) * 256;
	d.ram = sc->pages_ram ? sc->pages_ram : 256;
	d.left = d.ram;
	existed = stat(d.target, &st) == 0;
	if (started) {
		snprintf(line, sizeof(line), "start target=%s buffer_mb=%s existed=%d mode=%o\n",
			 d.target, mb, existed, existed ? (unsigned int)(st.st_mode & 07777) : 0);
		fk_log(k, line);
		/* kernel/livedump.c: ld_open_target */
		fd = open(d.target, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	}
	/* A dump found running (running_now) is past its setup. */
	if (started) {
		fk_publish(k, &d, 0);
		fk_sleep();
	}
	if ((started && fd < 0) || sc->fail_in_setup) {
		fk_end(k, &d, "failed", fd < 0 && started ? "cannot open the target (or it is too small)" :
			      sc->reason, 3, fd);
		return;
	}
	d.state = "running";
	d.stop = 10;
	d.lost = sc->lost;
	d.left = d.ram - d.stop - d.lost;
	for (unsigned int i = 0; !strcmp(sc->end, "hold") || i < steps; i++) {
		if (fk_take(k, "cancel")) {
			fk_log(k, "cancel\n");
			d.state = "writing";
			fk_publish(k, &d, 0);
			fk_sleep();
			fk_end(k, &d, "cancelled", "cancelled", 50, fd);
			return;
		}
		d.fault = 5;
		d.sweep = (d.ram - d.stop - d.fault - d.lost) * (int64_t)(i + 1) / (steps + 1);
		if (!strcmp(sc->end, "hold"))
			d.sweep = (d.ram - d.stop - d.fault - d.lost) / 2;
		d.left = d.ram - d.stop - d.fault - d.sweep - d.lost;
		fk_publish(k, &d, 0);
		fk_sleep();
	}
	if (!strcmp(sc->end, "failed")) {
		/* Pages, but never the header: an unfinished target is no ELF. */
		if (pwrite(fd, FK_DATA, strlen(FK_DATA), 4096) < 0)
			perror("fake kernel: data");
		fk_end(k, &d, "failed", sc->reason, 70, fd);
		return;
	}
	d.state = "writing";
	d.sweep = d.ram - d.stop - d.fault - d.lost;
	d.left = 0;
	fk_publish(k, &d, 0);
	if (fd >= 0 && (pwrite(fd, FK_DATA, strlen(FK_DATA), 4096) < 0 ||
			pwrite(fd, FK_HEADER, strlen(FK_HEADER), 0) < 0))
		perror("fake kernel: image");
	fk_sleep();
	fk_end(k, &d, "finished", "", 123, fd);
}

/* The child of fk_run: dumps as they are started, until SIGTERM. */
static inline void fk_child(const struct fk *k, const struct fk_scenario *sc)
{
	if (sc->running_now)
		fk_one_dump(k, sc, false);
	for (;;) {
		if (fk_take(k, "start"))
			fk_one_dump(k, sc, true);
		fk_take(k, "cancel");	/* nothing to cancel: a no-op, as cancel_store */
		fk_sleep();
	}
}

static inline void fk_run(struct fk *k, const struct fk_scenario *sc)
{
	pid_t parent = getpid();

	fflush(NULL);
	k->pid = fork();
	assert_true(k->pid >= 0);
	if (k->pid == 0) {
		/* Never outlive the test program, whatever became of it. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(0);
		fk_child(k, sc);
		_exit(0);
	}
	fk_child_pid = k->pid;
}

/* The child ended, the folder removed. */
static inline void fk_free(struct fk *k)
{
	fk_reap();
	fake_root_free(k->dir);
	fk_current = NULL;
}

/* Wait until the status says @state (at most 5 s). */
static inline void fk_wait_state(const struct fk *k, const char *state)
{
	char status[4096], want[64];

	snprintf(want, sizeof(want), "state=%s\n", state);
	for (int i = 0; i < 5000 / FK_TICK_MS; i++) {
		fk_attr(k, "status", status, sizeof(status));
		if (!strncmp(status, want, strlen(want)))
			return;
		fk_sleep();
	}
	fail_msg("the fake kernel never reached %s", state);
}

/*
 * The stores of kernel/livedump.c, for ld_ctl.write: the attribute is
 * the file behind @fd.
 */
static inline ssize_t fk_store(int fd, const void *buf, size_t len)
{
	const struct fk *k = fk_current;
	char link[64], path[PATH_MAX], value[PATH_MAX], target[PATH_MAX];
	char status[PATH_MAX + 64];
	const char *attr;
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n < 0 || !k)
		return write(fd, buf, len);
	path[n] = '\0';
	attr = basename(path);
	snprintf(value, sizeof(value), "%.*s", (int)strcspn(buf, "\n"), (const char *)buf);
	if ((!strcmp(attr, "target") || !strcmp(attr, "buffer_mb") || !strcmp(attr, "start")) &&
	    (k->busy_race || fk_active(k))) {
		errno = EBUSY;
		return -1;
	}
	if (!strcmp(attr, "buffer_mb") && atoll(value) > FK_RAM_MB) {
		errno = EINVAL;
		return -1;
	}
	if (!strcmp(attr, "start")) {
		fk_line(k, "target", target, sizeof(target));
		if (!*target) {
			errno = EINVAL;
			return -1;
		}
		/* start_store: the phase is setup before the write returns. */
		snprintf(status, sizeof(status), "state=setup\nreason=\ntarget=%s\n", target);
		fk_set_status(k, status);
	}
	return write(fd, buf, len);
}

/* The transcript, whole. */
static inline char *fk_transcript(const struct fk *k, char *buf, size_t size)
{
	char *got = fake_read(k->dir, "transcript", buf, size);

	assert_non_null(got);
	return got;
}

#endif
