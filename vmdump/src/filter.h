/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VMDUMP_FILTER_H
#define VMDUMP_FILTER_H

/*
 * QEMU's unfiltered dump holds the whole guest (in full mode pmem user
 * data too), so it lives only in a file that never has a name: a memfd,
 * or an O_TMPFILE file. makedumpfile reads it as /proc/self/fd/N, the
 * descriptor inherited; when this process closes it, nothing is left.
 */
#include <stddef.h>
#include <stdint.h>

#include "util/log.h"

/* The private file: a memfd (@tmpdir NULL) or O_TMPFILE in @tmpdir. Close-on-exec. */
int vm_dumpfd_open(const char *tmpdir, struct log_ctx *log);

/*
 * Whether about @bytes fit: in MemAvailable of @meminfo (a memfd is RAM)
 * or in @tmpdir's free space. -PMD_ENOMEM with the advice when not.
 */
int vm_dumpfd_room(const char *tmpdir, uint64_t bytes, const char *meminfo, struct log_ctx *log);

/* @name as execv() needs it: itself when it has a '/', else found in $PATH. */
int vm_find_program(const char *name, char *out, size_t size, struct log_ctx *log);

struct vm_filter_cmd {
	const char *program;		/* a path (vm_find_program) */
	char *const *user_args;		/* the user's makedumpfile options */
	size_t nr_user;
	char *const *pmem_args;		/* --pmem-range=... */
	size_t nr_pmem;
	int input_fd;			/* the private dump */
	const char *dumpfile;
};

/*
 * The command line: program, the user's options, the pmem ranges,
 * /proc/self/fd/N, DUMPFILE; NULL-terminated, @input (32 bytes) holds the
 * fd path. The array is malloc'ed, its strings are not.
 */
char **vm_filter_argv(const struct vm_filter_cmd *c, char *input, size_t input_size);

/*
 * Run makedumpfile and wait for it. 0 when it exited 0; else -PMD_EIO
 * with "makedumpfile exited with status N" (or the signal) recorded.
 */
int vm_filter_run(const struct vm_filter_cmd *c, struct log_ctx *log);

#endif
