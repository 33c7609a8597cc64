// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The run, in the order that keeps the guest's pause short and never
 * leaves it paused by surprise: everything that can fail without the
 * guest (the dump file's name, makedumpfile, the socket, the plan, room
 * for the private dump) is checked before it is paused; from the pause
 * on, every path ends in the resume the user asked for.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "src/filter.h"
#include "src/plan.h"
#include "src/qmp.h"
#include "src/run.h"

/* QEMU answers a query at once; a monitor this slow is stuck. */
#define QMP_QUERY_MS 30000
/* The getfd name QEMU files our descriptor under. */
#define DUMP_FDNAME "pmemdump-vm"

struct vm_run {
	const struct vm_options *opt;
	struct log_ctx *log;
	struct qmp q;
	struct vm_plan plan;
	char program[PATH_MAX];
	int dump_fd;
	enum vm_after after;

	struct timespec paused_at;	/* host wall clock, as QEMU's events */
	const char *found;		/* "panicked"/"stopped": paused before we came, since when is unknown */
	struct timespec resumed_at;
	bool resumed;
	double dump_secs, filter_secs;
	bool dump_tried, dumped, filter_ran, filter_ok, filter_in_pause;
	uint64_t unfiltered_bytes;
};

static void say(struct vm_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A progress line "pmemdump-vm: ..." on the message stream. */
static void say(struct vm_run *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(r->log, LOG_COMMON, "", fmt, ap);
	va_end(ap);
	fflush(r->log->msg);
}

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct timespec wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts;
}

static double ts_diff(const struct timespec *end, const struct timespec *start)
{
	return (double)(end->tv_sec - start->tv_sec) + (double)(end->tv_nsec - start->tv_nsec) / 1e9;
}

/* When QEMU says an event happened, else now: events carry the host's wall clock. */
static struct timespec event_time(struct qmp *q, const char *name)
{
	struct json_object *event = qmp_take_event(q, name);
	struct timespec ts = wall_now(), stamp;

	if (event && qmp_event_time(event, &stamp))
		ts = stamp;
	json_object_put(event);
	return ts;
}

/* Forget queued events named @name: the next one is the answer to what we do now. */
static void drop_events(struct vm_run *r, const char *name)
{
	struct json_object *event;

	while ((event = qmp_take_event(&r->q, name)))
		json_object_put(event);
}

static struct json_object *qom_args(const char *path, const char *property)
{
	struct json_object *args = json_object_new_object();

	json_object_object_add(args, "path", json_object_new_string(path));
	json_object_object_add(args, "property", json_object_new_string(property));
	return args;
}

/* ------------------------------------------------------------ before the pause */

static int check_dumpfile(struct vm_run *r)
{
	const char *path = r->opt->dumpfile;
	char *copy, *dir;
	struct stat st;
	int err = 0;

	if (lstat(path, &st) == 0)
		return log_fail(r->log, PMD_EEXIST, "%s exists: pmemdump-vm never overwrites a dump",
				path);
	if (errno != ENOENT)
		return log_fail(r->log, PMD_EIO, "%s: %s", path, strerror(errno));
	copy = strdup(path);
	if (!copy)
		return log_fail(r->log, PMD_ENOMEM, "out of memory");
	dir = dirname(copy);
	if (access(dir, W_OK | X_OK) < 0)
		err = log_fail(r->log, PMD_EIO, "cannot create %s: %s: %s", path, dir, strerror(errno));
	free(copy);
	return err;
}

static int query_status(struct vm_run *r, char *status, size_t size)
{
	struct json_object *ret, *v;
	int err = qmp_call(&r->q, "query-status", NULL, -1, QMP_QUERY_MS, &ret);

	if (err)
		return err;
	if (!json_object_object_get_ex(ret, "status", &v) || !json_object_is_type(v, json_type_string)) {
		json_object_put(ret);
		return log_fail(r->log, PMD_ECORRUPT, "query-status: no status");
	}
	snprintf(status, size, "%s", json_object_get_string(v));
	json_object_put(ret);
	return 0;
}

/* qom-get of @property of @d's backend: 0, QMP_REFUSED, or -status. */
static int qom_get(struct vm_run *r, const struct vm_memdev *d, const char *property,
		   struct json_object **ret)
{
	return qmp_execute(&r->q, "qom-get", qom_args(d->memdev, property), -1, QMP_QUERY_MS, ret);
}

/*
 * Whether @d's backend file holds what the guest sees: a
 * memory-backend-file with share=on, mapped from its start, a file this
 * process can read. Fills d->path or d->why.
 */
static int check_backend(struct vm_run *r, struct vm_memdev *d)
{
	struct json_object *v;
	char mem_path[PATH_MAX];
	int err;

	err = qom_get(r, d, "mem-path", &v);
	if (err == QMP_REFUSED) {
		/* No mem-path: RAM or memfd, which only QEMU's dump can read. */
		err = qom_get(r, d, "type", &v);
		if (err < 0)
			return err;
		snprintf(d->why, sizeof(d->why), "its backend %s is %s%s, not a file", d->memdev,
			 err ? "not file-backed" : "a ", err ? "" : json_object_get_string(v));
		json_object_put(v);
		return 0;
	}
	if (err)
		return err;
	snprintf(mem_path, sizeof(mem_path), "%s", json_object_get_string(v));
	json_object_put(v);

	err = qom_get(r, d, "share", &v);
	if (err < 0)
		return err;
	if (err || !json_object_get_boolean(v)) {
		snprintf(d->why, sizeof(d->why),
			 "its backend has share=off: the guest's writes do not reach %s", mem_path);
		json_object_put(v);
		return 0;
	}
	json_object_put(v);

	/* QEMU 7.2 has no offset property; a later one may map the file from inside. */
	err = qom_get(r, d, "offset", &v);
	if (err < 0)
		return err;
	if (!err && json_object_get_uint64(v)) {
		snprintf(d->why, sizeof(d->why), "its backend maps %s from offset %" PRIu64, mem_path,
			 (uint64_t)json_object_get_uint64(v));
		json_object_put(v);
		return 0;
	}
	json_object_put(v);

	vm_backing_resolve(d, mem_path, r->q.peer_pid, r->opt->proc ? r->opt->proc : "/proc");
	return 0;
}

static int make_plan(struct vm_run *r, struct vm_plan *p)
{
	struct json_object *ret, *v;
	int err;

	memset(p, 0, sizeof(*p));
	err = qmp_call(&r->q, "query-memory-devices", NULL, -1, QMP_QUERY_MS, &ret);
	if (err)
		return err;
	err = vm_memdevs_parse(p, ret, r->log);
	json_object_put(ret);
	if (err)
		return err;
	for (size_t i = 0; i < p->nr_devs && !r->opt->full; i++) {
		if (!vm_memdev_is_nvdimm(&p->devs[i]))
			continue;
		err = check_backend(r, &p->devs[i]);
		if (err)
			return err;
	}
	err = qmp_call(&r->q, "query-memory-size-summary", NULL, -1, QMP_QUERY_MS, &ret);
	if (err)
		return err;
	if (json_object_object_get_ex(ret, "base-memory", &v))
		p->base_ram = json_object_get_uint64(v);
	json_object_put(ret);
	vm_plan_choose(p, r->opt->full);
	return 0;
}

static void say_plan(struct vm_run *r, const char *prefix)
{
	char text[2048], size[32];

	vm_plan_describe(&r->plan, text, sizeof(text));
	vm_human_bytes(r->plan.expected_bytes, size, sizeof(size));
	say(r, "%s%s; the unfiltered dump takes about %s %s\n", prefix, text, size,
	    r->opt->tmpdir ? "in --tmpdir" : "of RAM (memfd)");
}

static int room_for_dump(struct vm_run *r)
{
	return vm_dumpfd_room(r->opt->tmpdir, r->plan.expected_bytes,
			      r->opt->meminfo ? r->opt->meminfo : "/proc/meminfo", r->log);
}

/* ------------------------------------------------------------ the pause */

static int wait_for_panic(struct vm_run *r)
{
	struct json_object *event, *data, *v;
	const char *action = "";
	int err;

	if (r->opt->timeout_ms >= 0)
		say(r, "waiting at most %.1f s for the guest to panic (GUEST_PANICKED)\n",
		    r->opt->timeout_ms / 1000.0);
	else
		say(r, "waiting for the guest to panic (GUEST_PANICKED)\n");
	err = qmp_wait_event(&r->q, "GUEST_PANICKED", r->opt->timeout_ms, &event);
	if (err == QMP_TIMEOUT)
		return log_fail(r->log, PMD_EIO, "the guest did not panic within %.1f s (--timeout)",
				r->opt->timeout_ms / 1000.0);
	if (err == QMP_INTERRUPTED)
		return log_fail(r->log, PMD_EIO,
				"interrupted while waiting for the panic; the guest was not touched");
	if (err)
		return err;
	if (json_object_object_get_ex(event, "data", &data) &&
	    json_object_object_get_ex(data, "action", &v))
		action = json_object_get_string(v);
	if (strcmp(action, "pause")) {
		err = log_fail(r->log, PMD_EUNSUPPORTED,
			       "the guest panicked but QEMU did not pause it (action '%s'): start QEMU with -action panic=pause",
			       action);
		json_object_put(event);
		return err;
	}
	if (!qmp_event_time(event, &r->paused_at))
		r->paused_at = wall_now();
	json_object_put(event);
	say(r, "the guest panicked; QEMU paused it\n");
	return 0;
}

/* After a long wait the devices may differ (hotplug, a new backing file). */
static int replan(struct vm_run *r)
{
	struct vm_plan again;
	int err = make_plan(r, &again);

	if (err) {
		vm_plan_free(&again);
		return err;
	}
	if (vm_plan_same(&r->plan, &again)) {
		vm_plan_free(&again);
		return 0;
	}
	vm_plan_free(&r->plan);
	r->plan = again;
	say_plan(r, "the memory devices changed while waiting: ");
	return room_for_dump(r);
}

static int dump_guest(struct vm_run *r)
{
	struct json_object *args, *event, *v;
	struct stat st;
	char size[32];
	double t0;
	int err;

	args = json_object_new_object();
	json_object_object_add(args, "fdname", json_object_new_string(DUMP_FDNAME));
	err = qmp_call(&r->q, "getfd", args, r->dump_fd, QMP_QUERY_MS, NULL);
	if (err)
		return err;

	args = json_object_new_object();
	json_object_object_add(args, "paging", json_object_new_boolean(0));
	json_object_object_add(args, "protocol", json_object_new_string("fd:" DUMP_FDNAME));
	if (r->plan.mode == VM_MODE_BACKING) {
		/* RAM only: pmem user data stays in the backing files. */
		json_object_object_add(args, "begin", json_object_new_uint64(0));
		json_object_object_add(args, "length", json_object_new_uint64(r->plan.lowest_nvdimm));
	}
	say(r, "dump-guest-memory into a private %s\n", r->opt->tmpdir ? "O_TMPFILE file" : "memfd");
	drop_events(r, "DUMP_COMPLETED");
	r->dump_tried = true;
	t0 = mono_now();
	err = qmp_call(&r->q, "dump-guest-memory", args, -1, QMP_FOREVER, NULL);
	r->dump_secs = mono_now() - t0;
	if (err) {
		/* QEMU may still hold our descriptor if it failed before taking it. */
		if (!r->q.closed) {
			args = json_object_new_object();
			json_object_object_add(args, "fdname", json_object_new_string(DUMP_FDNAME));
			qmp_execute(&r->q, "closefd", args, -1, QMP_QUERY_MS, NULL);
		}
		return err;
	}
	event = qmp_take_event(&r->q, "DUMP_COMPLETED");
	if (event && json_object_object_get_ex(event, "data", &v) &&
	    json_object_object_get_ex(v, "error", &v)) {
		err = log_fail(r->log, PMD_EIO, "dump-guest-memory: %s", json_object_get_string(v));
		json_object_put(event);
		return err;
	}
	json_object_put(event);
	if (fstat(r->dump_fd, &st) < 0)
		return log_fail(r->log, PMD_EIO, "the private dump: fstat: %s", strerror(errno));
	r->unfiltered_bytes = (uint64_t)st.st_size;
	if (!r->unfiltered_bytes)
		return log_fail(r->log, PMD_EIO, "dump-guest-memory wrote nothing");
	r->dumped = true;
	vm_human_bytes(r->unfiltered_bytes, size, sizeof(size));
	say(r, "dump-guest-memory wrote %s in %.2f s\n", size, r->dump_secs);
	return 0;
}

static int run_filter(struct vm_run *r)
{
	struct vm_filter_cmd cmd = {
		.program = r->program,
		.user_args = r->opt->mdf_args,
		.nr_user = r->opt->nr_mdf_args,
		.input_fd = r->dump_fd,
		.dumpfile = r->opt->dumpfile,
	};
	char input[32], **argv, *line = NULL, **pmem = NULL;
	size_t nr_pmem = 0, len = 0;
	FILE *f;
	double t0;
	int err;

	err = vm_plan_pmem_args(&r->plan, &pmem, &nr_pmem, r->log);
	if (err)
		return err;
	cmd.pmem_args = pmem;
	cmd.nr_pmem = nr_pmem;
	/* The command line as run, for the user to repeat by hand. */
	argv = vm_filter_argv(&cmd, input, sizeof(input));
	f = open_memstream(&line, &len);
	if (!argv || !f) {
		free(argv);
		if (f)
			fclose(f);
		free(line);
		vm_args_free(pmem, nr_pmem);
		return log_fail(r->log, PMD_ENOMEM, "out of memory");
	}
	for (size_t i = 0; argv[i]; i++)
		fprintf(f, "%s%s", i ? " " : "", argv[i]);
	fclose(f);
	free(argv);
	say(r, "running %s\n", line);
	free(line);

	r->filter_ran = true;
	r->filter_in_pause = !r->resumed;
	t0 = mono_now();
	err = vm_filter_run(&cmd, r->log);
	r->filter_secs = mono_now() - t0;
	r->filter_ok = !err;
	vm_args_free(pmem, nr_pmem);
	return err;
}

static const char *const after_names[] = {
	[VM_AFTER_AUTO] = "auto",	/* never left so once the guest is paused */
	[VM_AFTER_RESET] = "reset",
	[VM_AFTER_CONT] = "cont",
	[VM_AFTER_PAUSE] = "pause",
	[VM_AFTER_QUIT] = "quit",
};

bool vm_after_parse(const char *name, enum vm_after *after)
{
	for (size_t i = VM_AFTER_AUTO + 1; i < sizeof(after_names) / sizeof(after_names[0]); i++) {
		if (!strcmp(name, after_names[i])) {
			*after = (enum vm_after)i;
			return true;
		}
	}
	return false;
}

/*
 * Let the guest go as asked. Its own log context: a failure here is said
 * at once, and becomes the run's error only when the run had none (the
 * dump's failure is the one to print last).
 */
static int resume(struct vm_run *r, const char *failure)
{
	const char *how = after_names[r->after];
	struct log_ctx rlog;
	bool quit_early = false;
	int err = 0;

	if (failure)
		say(r, "%s; the guest is let go all the same (--after %s)\n", failure, how);
	log_init(&rlog, r->log->owner);
	r->q.log = &rlog;
	drop_events(r, "RESUME");
	switch (r->after) {
	case VM_AFTER_RESET:
		say(r, "restarting the guest: system_reset, cont\n");
		err = qmp_call(&r->q, "system_reset", NULL, -1, QMP_QUERY_MS, NULL);
		if (!err)
			err = qmp_call(&r->q, "cont", NULL, -1, QMP_QUERY_MS, NULL);
		/* With -no-reboot QEMU turns a reset into its exit. */
		quit_early = err && r->q.closed;
		break;
	case VM_AFTER_CONT:
		say(r, "resuming the guest: cont\n");
		err = qmp_call(&r->q, "cont", NULL, -1, QMP_QUERY_MS, NULL);
		break;
	case VM_AFTER_QUIT:
		say(r, "quitting QEMU: quit\n");
		err = qmp_call(&r->q, "quit", NULL, -1, QMP_QUERY_MS, NULL);
		/* QEMU may close the socket before its reply. */
		if (err && r->q.closed)
			err = 0;
		break;
	case VM_AFTER_PAUSE:
	case VM_AFTER_AUTO:
		say(r, "leaving the guest paused (--after pause): QMP cont resumes it\n");
		break;
	}
	r->q.log = r->log;
	if (quit_early) {
		say(r, "QEMU quit on system_reset (it runs with -no-reboot): the guest is not restarted\n");
		err = 0;
	}
	if (err) {
		say(r, "could not let the guest go: %s\n", log_error_text(&rlog));
		if (!log_error_status(r->log))
			log_fail(r->log, (enum pmd_status)log_error_status(&rlog), "could not let the guest go: %s",
				 log_error_text(&rlog));
	}
	log_destroy(&rlog);
	r->resumed_at = event_time(&r->q, "RESUME");
	r->resumed = r->after != VM_AFTER_PAUSE;
	return err;
}

/*
 * "backing mode: guest paused 3.21 s (dump-guest-memory 1.02 s,
 * makedumpfile 2.01 s); DUMPFILE: 12.3 MiB (12894208 bytes)"; in full
 * mode makedumpfile's time comes after the parenthesis, outside the pause.
 */
static void summary(struct vm_run *r)
{
	const char *mode = r->plan.mode == VM_MODE_BACKING ? "backing" : "full";
	char dumped[160], filtered[96], size[32], result[PATH_MAX + 96];
	struct timespec end = r->resumed ? r->resumed_at : wall_now();
	double paused = ts_diff(&end, &r->paused_at);
	struct stat st;

	if (r->dumped)
		snprintf(dumped, sizeof(dumped), "dump-guest-memory %.2f s", r->dump_secs);
	else
		snprintf(dumped, sizeof(dumped), "dump-guest-memory %s", r->dump_tried ? "failed" : "not run");
	if (!r->filter_ran)
		snprintf(filtered, sizeof(filtered), "makedumpfile not run");
	else if (r->filter_in_pause)
		snprintf(filtered, sizeof(filtered), "makedumpfile %.2f s", r->filter_secs);
	else
		snprintf(filtered, sizeof(filtered), "makedumpfile %.2f s after the guest %s",
			 r->filter_secs, r->after == VM_AFTER_QUIT ? "was quit" : "resumed");
	if (r->filter_ok && stat(r->opt->dumpfile, &st) == 0) {
		vm_human_bytes((uint64_t)st.st_size, size, sizeof(size));
		snprintf(result, sizeof(result), "%s: %s (%jd bytes)", r->opt->dumpfile, size,
			 (intmax_t)st.st_size);
	} else {
		snprintf(result, sizeof(result), "no dump written");
	}
	say(r, "%s mode: guest paused %.2f s%s%s%s (%s%s%s); %s%s%s\n", mode, paused < 0 ? 0 : paused,
	    r->found ? " since it was found " : "", r->found ? r->found : "",
	    r->resumed ? "" : " so far, left paused", dumped,
	    r->filter_in_pause ? ", " : "", r->filter_in_pause ? filtered : "",
	    r->filter_in_pause ? "" : filtered, r->filter_in_pause ? "" : "; ", result);
}

/* Connect, plan and make room: nothing here touches the guest. */
static int prepare(struct vm_run *r, char *status, size_t size)
{
	int err;

	err = check_dumpfile(r);
	if (!err)
		err = vm_find_program(r->opt->makedumpfile, r->program, sizeof(r->program), r->log);
	if (!err)
		err = qmp_connect(&r->q, r->opt->qmp_path, r->log);
	if (err)
		return err;
	r->q.interrupted = r->opt->interrupted;
	if (r->q.peer_pid)
		say(r, "QEMU %s (pid %d) on %s\n", r->q.version, (int)r->q.peer_pid, r->opt->qmp_path);
	else
		say(r, "QEMU %s on %s\n", r->q.version, r->opt->qmp_path);
	err = query_status(r, status, size);
	if (!err)
		err = make_plan(r, &r->plan);
	if (err)
		return err;
	say_plan(r, "");
	err = room_for_dump(r);
	if (err)
		return err;
	r->dump_fd = vm_dumpfd_open(r->opt->tmpdir, r->log);
	return r->dump_fd < 0 ? r->dump_fd : 0;
}

/* Get the guest paused: already panicked, stopped now, or its panic awaited. */
static int pause_guest(struct vm_run *r, const char *status, bool *waited)
{
	bool panicked = !strcmp(status, "guest-panicked");
	int err;

	*waited = false;
	r->after = r->opt->after;
	if (panicked) {
		say(r, "the guest has already panicked\n");
		r->paused_at = wall_now();
		r->found = "panicked";
		if (r->after == VM_AFTER_AUTO)
			r->after = VM_AFTER_RESET;
		return 0;
	}
	if (r->opt->now) {
		if (strcmp(status, "running")) {
			/* Not ours to resume: it was stopped before we came. */
			say(r, "the guest is not running (%s): dumped as it is\n", status);
			r->paused_at = wall_now();
			r->found = "stopped";
			if (r->after == VM_AFTER_AUTO)
				r->after = VM_AFTER_PAUSE;
			return 0;
		}
		if (r->after == VM_AFTER_AUTO)
			r->after = VM_AFTER_CONT;
		drop_events(r, "STOP");
		err = qmp_call(&r->q, "stop", NULL, -1, QMP_QUERY_MS, NULL);
		if (err)
			return err;
		r->paused_at = event_time(&r->q, "STOP");
		say(r, "stopped the guest (--now)\n");
		return 0;
	}
	if (strcmp(status, "running"))
		say(r, "the guest is not running (%s): waiting for it to run and panic\n", status);
	if (r->after == VM_AFTER_AUTO)
		r->after = VM_AFTER_RESET;
	err = wait_for_panic(r);
	*waited = !err;
	return err;
}

int vm_run(const struct vm_options *opt, struct log_ctx *log)
{
	struct vm_run r = { .opt = opt, .log = log, .dump_fd = -1 };
	char status[64];
	bool waited = false;
	int err, resume_err;

	r.q.fd = -1;
	err = prepare(&r, status, sizeof(status));
	if (!err)
		err = pause_guest(&r, status, &waited);
	if (err)
		goto out;

	/* The guest is paused: from here on every path lets it go. */
	if (waited)
		err = replan(&r);
	if (!err)
		err = dump_guest(&r);
	/* The backing files are the guest's pmem only while it is paused. */
	if (!err && (r.plan.mode == VM_MODE_BACKING || r.after == VM_AFTER_PAUSE))
		err = run_filter(&r);
	resume_err = resume(&r, !err ? NULL : r.filter_ran ? "makedumpfile failed" : "the dump failed");
	/* Full mode: the dump is in hand, the guest need not wait for the filter. */
	if (!err && !r.filter_ran)
		err = run_filter(&r);
	if (!err)
		err = resume_err;
	summary(&r);
out:
	if (r.dump_fd >= 0)
		close(r.dump_fd);
	vm_plan_free(&r.plan);
	qmp_close(&r.q);
	return err ? 1 : 0;
}
