/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_UTIL_FILEIO_H
#define PMD_UTIL_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * An output file being written. Dumps hold secrets, so they are created
 * 0600, and never replace an existing file unless the caller forces it.
 * A dump that fails half way is removed so it never looks complete.
 */
struct log_ctx;

struct out_file {
	struct log_ctx *log;
	int fd;
	char *path;
	uint64_t bytes_written;
};

/* -PMD_EEXIST when @path exists and @force is not set. */
int out_file_create(struct out_file *of, struct log_ctx *log, const char *path, bool force);
int out_file_pwrite(struct out_file *of, const void *buf, size_t len, uint64_t off);
/* Flush to stable storage and close; on failure the file is removed. */
int out_file_finish(struct out_file *of);
/* Close and delete a partial output. */
void out_file_abort(struct out_file *of);

/* pread that retries short reads; returns 0 or -1 with errno set (EIO at EOF). */
int pread_full(int fd, void *buf, size_t len, uint64_t off);

#endif
