// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * start, wait, cancel and dump on the kernel interface. While a dump
 * runs, the kernel keeps RAM write-protected and copies each page on its
 * first write: whoever waits for it must never leave it running by
 * accident, so an interrupt cancels it and the wait goes on until the
 * kernel says it has ended (the protection is lifted before that).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "src/filter.h"
#include "src/run.h"
#include "util/progress.h"

#define MIB (1024.0 * 1024.0)

void ld_run_init(struct ld_run *r, struct log_ctx *log, volatile sig_atomic_t *interrupted)
{
	const char *proc = getenv(LD_PROC_ENV);

	memset(r, 0, sizeof(*r));
	ld_ctl_init(&r->ctl, NULL);
	r->log = log;
	r->proc = proc && *proc ? proc : "/proc";
	r->poll_ms = 100;
	r->interrupted = interrupted;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	/* An interrupt ends the sleep early: the loop sees it at once. */
	nanosleep(&ts, NULL);
}

static bool interrupted(const struct ld_run *r)
{
	return r->interrupted && *r->interrupted;
}

/* The exit status of a failed call: the kernel's refusals have their own. */
static int failed(const struct ld_run *r)
{
	switch (r->ctl.refused) {
	case LD_REFUSED_NO_KERNEL:
	case LD_REFUSED_PERMISSION:
		return LD_EXIT_NO_KERNEL;
	case LD_REFUSED_BUSY:
		return LD_EXIT_BUSY;
	case LD_REFUSED_NONE:
		break;
	}
	return LD_EXIT_FAIL;
}

int ld_read_status(struct ld_run *r, struct ld_status *st)
{
	struct kvfile_map map;
	int ret;

	memset(st, 0, sizeof(*st));
	ret = kvfile_read(&map, r->ctl.root, "/status", r->log);
	if (ret)
		return ret;
	if (!map.present)
		return log_fail(r->log, PMD_EIO, "%s/status is missing", r->ctl.root);
	ret = ld_status_parse(st, &map, r->log);
	if (ret)
		ld_status_free(st);
	return ret;
}

/* The status, once live dump is known to be there. */
static int status_now(struct ld_run *r, struct ld_status *st)
{
	int ret;

	memset(st, 0, sizeof(*st));
	ret = ld_ctl_check(&r->ctl, r->log);
	return ret ? ret : ld_read_status(r, st);
}

/* The checks every command that writes makes first: support, not busy, root. */
static int may_start(struct ld_run *r, struct ld_status *st)
{
	int ret = status_now(r, st);

	if (ret)
		return ret;
	/* Before anything is created: the kernel would say EBUSY only at the end. */
	if (ld_state_active(st->state)) {
		r->ctl.refused = LD_REFUSED_BUSY;
		return log_fail(r->log, PMD_EIO,
				"a live dump is already running (state %s, target %s; livedump cancel ends it)",
				st->state_name, st->target ? st->target : "?");
	}
	return ld_ctl_may_write(&r->ctl, r->log);
}

static int buffer_mb(struct ld_run *r, uint64_t asked, uint64_t *mb)
{
	if (asked) {
		*mb = asked;
		return 0;
	}
	return ld_ctl_read_mb(&r->ctl, "recommended_buffer_mb", mb, r->log);
}

/*
 * Target checked and made, then the kernel started on it: @path itself,
 * or with @temp a new capture file beside @path.
 */
static int start_on(struct ld_run *r, const struct ld_status *st, const char *path, bool temp,
		    uint64_t mb, bool force, struct ld_target *t)
{
	struct ld_image_size size;
	int ret = ld_image_size(st, r->proc, &size, r->log);

	if (!ret)
		ret = temp ? ld_target_temp(t, path, size.bytes, r->log) :
			     ld_target_prepare(t, path, size.bytes, force, r->log);
	if (ret)
		return ret;
	ret = ld_ctl_start(&r->ctl, t->path, mb, r->log);
	if (ret) {
		/* The kernel never took it: a file we made is nobody's. */
		ld_target_remove(t);
		return ret;
	}
	log_msg(r->log, "livedump: started a live dump to %s (image about %.1f MiB, from %s; buffer %" PRIu64 " MiB)\n",
		t->path, (double)size.bytes / MIB, ld_size_source_text(size.source), mb);
	return 0;
}

int ld_start(struct ld_run *r, const struct ld_start_opts *o, struct ld_target *t)
{
	char held[PATH_MAX];
	const char *path = o->target;
	struct ld_status st;
	uint64_t mb = 0;
	int ret;

	memset(t, 0, sizeof(*t));
	ret = may_start(r, &st);
	if (!ret)
		ret = buffer_mb(r, o->buffer_mb, &mb);
	if (!ret && !path) {
		ret = ld_ctl_read_target(&r->ctl, held, sizeof(held), r->log);
		if (!ret && !*held) {
			ld_status_free(&st);
			log_fail(r->log, PMD_EINVAL, "no target: give --target FILE|DEV");
			return LD_EXIT_USAGE;
		}
		path = held;
	}
	if (!ret)
		ret = start_on(r, &st, path, false, mb, o->force, t);
	ld_status_free(&st);
	return ret ? failed(r) : LD_EXIT_OK;
}

/*
 * The buffer that would have been enough: the recommendation, or twice
 * what ran out when that was the recommendation already.
 */
static uint64_t bigger_buffer(struct ld_run *r, const struct ld_status *st, uint64_t *rec)
{
	uint64_t had = ld_status_has(st, LD_BUFFER_PAGES) ? (uint64_t)st->count[LD_BUFFER_PAGES] / 256 : 0;
	struct log_ctx probe;

	log_init(&probe, "livedump");
	if (ld_ctl_read_mb(&r->ctl, "recommended_buffer_mb", rec, &probe))
		*rec = 0;
	log_destroy(&probe);
	return had < *rec ? *rec : had ? 2 * had : 0;
}

/* The one line of a dump that did not finish; the exit status. */
static int ended_badly(struct ld_run *r, const struct ld_status *st)
{
	uint64_t rec, want;

	if (st->state == LD_STATE_CANCELLED) {
		log_fail(r->log, PMD_EIO, "the dump was cancelled%s",
			 interrupted(r) ? " (interrupted)" : "");
		return LD_EXIT_CANCELLED;
	}
	/* "copy buffer full", "copy buffer too small for the stop" */
	if (strstr(st->reason, "buffer") && (want = bigger_buffer(r, st, &rec)))
		log_fail(r->log, PMD_EIO,
			 "the dump failed: %s; try a bigger buffer: --buffer %" PRIu64 "M (recommended: %" PRIu64 " MiB)",
			 st->reason, want, rec);
	else
		log_fail(r->log, PMD_EIO, "the dump failed: %s", *st->reason ? st->reason : "(no reason given)");
	return LD_EXIT_FAIL;
}

/* The progress meter's label, with the rate since the wait began. */
struct meter {
	struct progress p;
	bool started;
	char label[64];
	double t0;
	int64_t done0;
};

static void meter_update(struct meter *m, struct ld_run *r, const struct ld_status *st, bool on)
{
	int64_t ram = st->count[LD_PAGES_RAM], done;
	double dt;

	if (!on || st->state != LD_STATE_RUNNING || !ld_status_has(st, LD_PAGES_LEFT) || ram <= 0)
		return;
	done = ram - st->count[LD_PAGES_LEFT];
	if (!m->started) {
		snprintf(m->label, sizeof(m->label), "Live dump");
		progress_start(&m->p, r->log, m->label, (uint64_t)ram);
		m->started = true;
		m->t0 = now_s();
		m->done0 = done;
		return;
	}
	dt = now_s() - m->t0;
	if (dt > 0)
		snprintf(m->label, sizeof(m->label), "Live dump, %.0f pages/s",
			 (double)(done - m->done0) / dt);
	progress_update_slow(&m->p, done < 0 ? 0 : (uint64_t)done);
}

static void meter_end(struct meter *m, bool finished)
{
	if (!m->started)
		return;
	if (finished)
		progress_finish(&m->p);
	else if (m->p.shown)
		fputc('\n', stderr);
}

/*
 * Read the status until the dump ends: 0 with @st the last status, or
 * LD_EXIT_TIMEOUT, or the error's exit status. An interrupt cancels the
 * dump once and the watch goes on to its end.
 */
static int watch(struct ld_run *r, double timeout_s, bool progress, bool cancelled,
		 struct ld_status *st)
{
	double deadline = timeout_s >= 0 ? now_s() + timeout_s : 0;
	struct meter m = { 0 };
	int ret;

	for (;;) {
		ret = ld_read_status(r, st);
		if (ret)
			break;
		if (st->state == LD_STATE_UNKNOWN) {
			ret = log_fail(r->log, PMD_EUNSUPPORTED,
				       "the kernel says the dump is '%s', a state this livedump does not know",
				       st->state_name);
			break;
		}
		if (st->state == LD_STATE_IDLE) {
			ret = log_fail(r->log, PMD_EINVAL, "no live dump has been started (livedump start)");
			break;
		}
		if (ld_state_ended(st->state))
			break;
		if (interrupted(r) && !cancelled) {
			log_err(r->log, "interrupted: cancelling the dump, waiting for the kernel to lift the protection\n");
			ret = ld_ctl_cancel(&r->ctl, r->log);
			if (ret)
				break;
			cancelled = true;
		}
		/* A timeout ends the wait, not a cancel's wait for the end. */
		if (timeout_s >= 0 && !cancelled && now_s() >= deadline) {
			meter_end(&m, false);
			ld_status_free(st);
			log_fail(r->log, PMD_EIO,
				 "the dump is still running after %g s (livedump wait waits again, livedump cancel ends it)",
				 timeout_s);
			return LD_EXIT_TIMEOUT;
		}
		meter_update(&m, r, st, progress);
		ld_status_free(st);
		sleep_ms(r->poll_ms);
	}
	meter_end(&m, !ret && st->state == LD_STATE_FINISHED);
	if (ret) {
		ld_status_free(st);
		return failed(r);
	}
	return 0;
}

/* What a finished dump says beside success: pages it could not capture. */
static void finished_notes(struct ld_run *r, const struct ld_status *st)
{
	const int64_t *v = st->count;
	int64_t sum = 0;
	static const enum ld_count parts[] = {
		LD_PAGES_STOP, LD_PAGES_FAULT, LD_PAGES_SWEEP,
		LD_PAGES_UNPROTECTED, LD_PAGES_LOST, LD_PAGES_EXCLUDED,
	};

	if (ld_status_has(st, LD_PAGES_LOST) && v[LD_PAGES_LOST] > 0)
		log_warn(r->log, "%" PRId64 " pages could not be captured: zeros in the image, listed in its LIVEDUMP note\n",
			 v[LD_PAGES_LOST]);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (!ld_status_has(st, parts[i]))
			return;
		sum += v[parts[i]];
	}
	if (ld_status_has(st, LD_PAGES_RAM) && sum != v[LD_PAGES_RAM])
		log_warn(r->log, "the page counts add up to %" PRId64 ", not pages_ram %" PRId64 "\n", sum,
			 v[LD_PAGES_RAM]);
}

/* The final state as the exit status, its line recorded or said. */
static int outcome(struct ld_run *r, struct ld_status *st)
{
	if (st->state != LD_STATE_FINISHED)
		return ended_badly(r, st);
	finished_notes(r, st);
	return LD_EXIT_OK;
}

int ld_wait(struct ld_run *r, double timeout_s, bool progress, struct ld_status *final)
{
	struct ld_status st;
	int ret = ld_ctl_check(&r->ctl, r->log);

	if (ret)
		return failed(r);
	ret = watch(r, timeout_s, progress, false, &st);
	if (ret)
		return ret;
	ret = outcome(r, &st);
	if (!ret)
		log_msg(r->log, "livedump: finished: %s, %" PRId64 " pages in %" PRId64 " ms (stop %" PRId64 " us)\n",
			st.target ? st.target : "?", st.count[LD_PAGES_RAM], st.count[LD_TOTAL_MS],
			st.count[LD_STOP_US]);
	if (final)
		*final = st;
	else
		ld_status_free(&st);
	return ret;
}

int ld_show_status(struct ld_run *r, bool json, FILE *out)
{
	struct json_object *obj;
	struct ld_status st;
	int ret = status_now(r, &st);

	if (ret)
		return failed(r);
	if (!json) {
		ld_status_print(out, &st);
	} else {
		obj = ld_status_json(&st);
		if (!obj)
			ret = log_fail(r->log, PMD_ENOMEM, "out of memory");
		else if (ld_json_print(out, obj))
			ret = log_fail(r->log, PMD_EIO, "cannot write the status: %s", strerror(errno));
	}
	ld_status_free(&st);
	return ret ? LD_EXIT_FAIL : LD_EXIT_OK;
}

int ld_cancel(struct ld_run *r)
{
	struct ld_status st;
	int ret = status_now(r, &st);

	if (ret)
		return failed(r);
	if (!ld_state_active(st.state)) {
		log_msg(r->log, "livedump: no dump is running (state %s)\n", st.state_name);
		ld_status_free(&st);
		return LD_EXIT_OK;
	}
	ld_status_free(&st);
	ret = ld_ctl_cancel(&r->ctl, r->log);
	if (ret)
		return failed(r);
	/* Until the kernel has ended it: then nothing is protected any more. */
	ret = watch(r, -1, false, true, &st);
	if (ret)
		return ret;
	if (st.state == LD_STATE_CANCELLED)
		log_msg(r->log, "livedump: cancelled; the protection is lifted\n");
	else
		log_msg(r->log, "livedump: the dump ended %s before the cancel took effect%s%s\n",
			st.state_name, *st.reason ? ": " : "", st.reason);
	ld_status_free(&st);
	return LD_EXIT_OK;
}

/* The image's first bytes: the kernel writes the ELF header last. */
static int check_image(struct ld_run *r, const char *path)
{
	unsigned char magic[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? pread(fd, magic, sizeof(magic), 0) : -1;

	if (fd >= 0)
		close(fd);
	if (n == (ssize_t)sizeof(magic) && !memcmp(magic, "\177ELF", 4))
		return 0;
	return log_fail(r->log, PMD_ECORRUPT,
			"the kernel says the dump finished, but %s does not start with an ELF header",
			path);
}

/* Record "<first error>; <more>" as the one line. */
static void add_to_error(struct log_ctx *log, const char *more)
{
	char first[sizeof(log->error)];
	int status = log_error_status(log);

	snprintf(first, sizeof(first), "%s", log_error_text(log));
	log_clear_error(log);
	log_fail(log, status ? (enum pmd_status)status : PMD_EIO, "%s; %s", first, more);
}

static uint64_t file_bytes(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* makedumpfile on the finished capture, then the capture removed unless kept. */
static int filter(struct ld_run *r, const struct ld_dump_opts *o, const char *program,
		  char **words, size_t nr, struct ld_target *t, double t0)
{
	char more[PATH_MAX + 64];
	uint64_t bytes;
	double t1 = now_s();
	int ret = ld_filter_run(program, words, nr, t->path, o->output, r->log);

	if (ret) {
		/* The capture is a good image: never thrown away with a failed filter. */
		snprintf(more, sizeof(more), "the capture is kept: %s", t->path);
		add_to_error(r->log, more);
		return LD_EXIT_FAIL;
	}
	bytes = file_bytes(o->output);
	log_msg(r->log, "livedump: makedumpfile %s: %.2f s\n", o->filter, now_s() - t1);
	log_msg(r->log, "livedump: %s: %.1f MiB (%" PRIu64 " bytes), %.2f s from the start to the filtered file\n",
		o->output, (double)bytes / MIB, bytes, now_s() - t0);
	if (t->device)
		log_msg(r->log, "livedump: the capture stays on %s (a block device: nothing removed)\n",
			t->path);
	else if (o->keep_capture)
		log_msg(r->log, "livedump: the capture is kept: %s\n", t->path);
	else if (ld_target_remove(t))
		log_msg(r->log, "livedump: the capture is removed\n");
	else
		log_warn(r->log, "cannot remove the capture %s: %s\n", t->path, strerror(errno));
	return LD_EXIT_OK;
}

static int dump_run(struct ld_run *r, const struct ld_dump_opts *o, const char *program,
		    char **words, size_t nr)
{
	struct ld_target t = { 0 };
	struct ld_status st;
	uint64_t mb = 0;
	struct stat sb;
	double t0 = now_s();
	int ret;

	if (lstat(o->output, &sb) == 0) {
		log_fail(r->log, PMD_EEXIST, "%s exists: a dump is never overwritten", o->output);
		return LD_EXIT_FAIL;
	}
	ret = may_start(r, &st);
	if (!ret)
		ret = buffer_mb(r, o->buffer_mb, &mb);
	/*
	 * Without a filter FILE is the image, and is never overwritten; with
	 * one the capture goes to --target, or to a file of its own beside FILE.
	 */
	if (!ret && !o->filter)
		ret = start_on(r, &st, o->output, false, mb, false, &t);
	else if (!ret)
		ret = start_on(r, &st, o->target ? o->target : o->output, !o->target, mb, o->force, &t);
	ld_status_free(&st);
	if (ret)
		return failed(r);

	ret = watch(r, -1, true, false, &st);
	if (ret) {
		ld_target_remove(&t);
		return ret;
	}
	ret = outcome(r, &st);
	if (!ret && (!st.target || strcmp(st.target, t.path))) {
		log_fail(r->log, PMD_EIO, "the kernel's last dump went to %s, not to %s",
			 st.target ? st.target : "?", t.path);
		ret = LD_EXIT_FAIL;
	}
	if (!ret && check_image(r, t.path))
		ret = LD_EXIT_FAIL;
	if (ret) {
		/* Half an image must never pass for a dump. */
		if (ld_target_remove(&t))
			add_to_error(r->log, "the unfinished image is removed");
		ld_status_free(&st);
		return ret;
	}
	log_msg(r->log, "livedump: captured %.1f MiB to %s in %.2f s (stop %" PRId64 " us)\n",
		(double)(t.device ? ld_status_image_bytes(&st, 0) : file_bytes(t.path)) / MIB,
		t.path, now_s() - t0, st.count[LD_STOP_US]);
	ld_status_free(&st);
	if (!o->filter)
		return LD_EXIT_OK;
	return filter(r, o, program, words, nr, &t, t0);
}

int ld_dump(struct ld_run *r, const struct ld_dump_opts *o)
{
	char program[PATH_MAX];
	char **words = NULL;
	size_t nr = 0;
	int ret;

	/* What the filter needs is checked before anything is captured. */
	if (o->filter) {
		ret = ld_split_words(o->filter, &words, &nr, r->log);
		if (ret)
			return LD_EXIT_USAGE;
		ret = ld_find_makedumpfile(o->makedumpfile, program, sizeof(program), r->log);
		if (ret) {
			ld_free_words(words);
			return LD_EXIT_FAIL;
		}
	}
	ret = dump_run(r, o, program, words, nr);
	ld_free_words(words);
	return ret;
}
