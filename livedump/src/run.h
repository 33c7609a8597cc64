/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef LIVEDUMP_RUN_H
#define LIVEDUMP_RUN_H

/*
 * The commands' work on the kernel interface: start a dump on a checked
 * target, wait for its end (cancelling it on an interrupt, so that the
 * write protection never outlives us), cancel one, and the one-shot dump
 * with its optional makedumpfile pass. Each returns the exit status; the
 * error, when there is one, stays recorded in the log for main to print
 * as one line.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "src/status.h"
#include "src/sysfs_ctl.h"
#include "src/target.h"
#include "util/log.h"

/* Exit statuses: livedump(8), EXIT STATUS. */
enum ld_exit {
	LD_EXIT_OK = 0,
	LD_EXIT_FAIL = 1,	/* the dump failed, or an error of ours (target, makedumpfile) */
	LD_EXIT_USAGE = 2,
	LD_EXIT_NO_KERNEL = 3,	/* no live dump in this kernel, or not root */
	LD_EXIT_BUSY = 4,	/* a dump is already running */
	LD_EXIT_TIMEOUT = 5,	/* wait --timeout: the dump goes on */
	LD_EXIT_CANCELLED = 6,	/* the dump was cancelled (cancel, or an interrupt) */
};

#define LD_PROC_ENV "PMEMDUMP_LIVEDUMP_PROC"

struct ld_run {
	struct ld_ctl ctl;
	struct log_ctx *log;	/* log->msg: what the user is told */
	const char *proc;	/* /proc, or $PMEMDUMP_LIVEDUMP_PROC */
	unsigned int poll_ms;	/* how often wait reads the status */
	/* Set by main's signal handler: the running dump is cancelled. */
	volatile sig_atomic_t *interrupted;
};

/* The live system, or the folders of the environment (tests). */
void ld_run_init(struct ld_run *r, struct log_ctx *log, volatile sig_atomic_t *interrupted);

/* The status now; 0, or the error recorded and nothing to free. */
int ld_read_status(struct ld_run *r, struct ld_status *st);

struct ld_start_opts {
	const char *target;	/* NULL: the one the kernel holds */
	uint64_t buffer_mb;	/* 0: the kernel's recommendation */
	bool force;		/* overwrite an existing target */
};

/* `livedump start`. @t: the target as started (for dump). */
int ld_start(struct ld_run *r, const struct ld_start_opts *o, struct ld_target *t);

/*
 * `livedump wait`: until the dump ends or @timeout_s (< 0: none) passes,
 * with a progress bar when @progress and stderr is a terminal. @final
 * (may be NULL) gets the last status read.
 */
int ld_wait(struct ld_run *r, double timeout_s, bool progress, struct ld_status *final);

/* `livedump status [--json]` on @out. */
int ld_show_status(struct ld_run *r, bool json, FILE *out);

/* `livedump cancel`: cancel, and wait for the end (the protection is lifted then). */
int ld_cancel(struct ld_run *r);

struct ld_dump_opts {
	const char *output;		/* -o FILE */
	const char *target;		/* --target: with --filter only */
	uint64_t buffer_mb;
	const char *filter;		/* makedumpfile's options; NULL: FILE is the image */
	const char *makedumpfile;	/* --makedumpfile */
	bool keep_capture;
	bool force;			/* for --target; FILE is never overwritten */
};

/* `livedump dump`. */
int ld_dump(struct ld_run *r, const struct ld_dump_opts *o);

#endif
