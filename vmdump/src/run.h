/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VMDUMP_RUN_H
#define VMDUMP_RUN_H

/*
 * One run of pmemdump-vm: wait for the guest's panic (or stop it), dump
 * it through QEMU into a private file, filter it with makedumpfile, and
 * let the guest go as asked, also when the dump or the filter failed.
 */
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/log.h"

enum vm_after {
	VM_AFTER_AUTO,		/* reset for a panicked guest, cont for one --now stopped */
	VM_AFTER_RESET,		/* system_reset, cont */
	VM_AFTER_CONT,
	VM_AFTER_PAUSE,		/* leave it paused */
	VM_AFTER_QUIT,
};

struct vm_options {
	const char *qmp_path;
	const char *dumpfile;
	const char *makedumpfile;	/* a name in $PATH or a path */
	char *const *mdf_args;		/* makedumpfile's options */
	size_t nr_mdf_args;
	const char *tmpdir;		/* NULL: a memfd */
	int timeout_ms;			/* the wait for the panic; -1 none */
	bool now;			/* stop a running guest instead of waiting */
	bool full;
	enum vm_after after;
	const char *meminfo;		/* NULL: /proc/meminfo */
	const char *proc;		/* NULL: /proc */
	/* Set by the caller's signal handler: a wait for the panic gives up. */
	volatile sig_atomic_t *interrupted;
};

/*
 * The whole run; progress lines "pmemdump-vm: ..." go to log->msg, the
 * error (the first) stays recorded in @log for the caller to print.
 * Returns the exit status: 0, or 1 for any failure.
 */
int vm_run(const struct vm_options *opt, struct log_ctx *log);

/* "reset", "cont", "pause", "quit"; VM_AFTER_AUTO when none matches. */
bool vm_after_parse(const char *name, enum vm_after *after);

#endif
