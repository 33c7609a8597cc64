/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KEXEC_OPTIONS_H
#define KEXEC_OPTIONS_H

/*
 * kexec's command line, as kexec-tools 2.0.25 spells it for what kdump
 * scripts use (doc/kexec-design.md §1), plus --pmem.
 */
#include <stdbool.h>

#include "pmem/live.h"
#include "util/log.h"

enum kexec_action {
	KEXEC_ACT_NONE,
	KEXEC_ACT_LOAD,		/* -l or -p with a kernel */
	KEXEC_ACT_UNLOAD,	/* -u */
	KEXEC_ACT_EXEC,		/* -e */
	KEXEC_ACT_STATUS,	/* -S */
	KEXEC_ACT_PRINT_CKR,	/* --print-ckr-size */
	KEXEC_ACT_HELP,
	KEXEC_ACT_VERSION,
};

struct kexec_opts {
	enum kexec_action action;
	bool panic;		/* -p: the crash image */
	bool normal;		/* -l: the image for kexec -e */
	bool file_syscall;	/* -s: kexec_file_load; -c (default): kexec_load */
	const char *kernel;
	const char *initrd;
	const char *cmdline;	/* --append / --command-line: the last one given */
	bool reuse_cmdline;
	bool debug;		/* -d */
	bool dry_run;		/* build everything, load nothing */
	enum pmem_live_mode pmem;
	bool pmem_given;	/* --pmem on the command line */
	const char *sysroot;	/* read /proc and /sys below this (tests) */
	const char *debug_corrupt;	/* lab hook: flip a byte of this segment */
	/* The exit status of a refused command line (2.0.25's for the same misuse). */
	int usage_exit;
};

/* Exit statuses (kexec/kexec.c of 2.0.25: die() is 1, a failed load -1). */
#define KEXEC_EXIT_OK		0
#define KEXEC_EXIT_USAGE	1
#define KEXEC_EXIT_NOCRASHMEM	1
#define KEXEC_EXIT_FAIL		255

/*
 * Parse argv into @o. 0; -PMD_EINVAL with a one-line reason recorded in
 * @log for an unknown option, a missing kernel, or options that do not go
 * together.
 */
int kexec_opts_parse(struct kexec_opts *o, int argc, char **argv, struct log_ctx *log);

void kexec_usage(FILE *f);

#endif
