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
 *
 * An existing block or character device (a raw dump partition) is
 * written in place with force, never unlinked: what the dump leaves
 * unwritten is zeroed as it goes (a device has no holes), writing past
 * the end of a block device is an error, and a failed dump has its
 * first bytes wiped instead of being removed. A symbolic link, a
 * directory, a FIFO or a socket at @path is refused, force or not.
 */
struct log_ctx;

struct out_file {
	struct log_ctx *log;
	int fd;
	char *path;
	uint64_t bytes_written;
	bool device;		/* written in place, never unlinked */
	uint64_t dev_size;	/* a block device's size; 0: unbounded */
	uint64_t end;		/* on a device: bytes before this are written or zeroed */
};

/* -PMD_EEXIST when @path exists and @force is not set. */
int out_file_create(struct out_file *of, struct log_ctx *log, const char *path, bool force);
int out_file_pwrite(struct out_file *of, const void *buf, size_t len, uint64_t off);
/* Flush to stable storage and close; on failure the file is removed. */
int out_file_finish(struct out_file *of);
/* Close and delete a partial output (on a device: wipe its start). */
void out_file_abort(struct out_file *of);

/* "a directory", "a FIFO", ...: what @mode says a file is, for messages. */
const char *file_kind(unsigned int mode);

/*
 * Open a dump to read it by offset: a regular file (a copy, /proc/vmcore,
 * /proc/kcore) or a block device (a dump partition). Anything else is
 * refused in one line naming what it is, before it is opened where the
 * path tells (a FIFO would block, a device could act on open); the open
 * itself does not block either. *@size is the file's or the device's
 * size. Returns the descriptor, or -status with the error recorded.
 */
int in_file_open(struct log_ctx *log, const char *path, uint64_t *size);

/* pread that retries short reads; returns 0 or -1 with errno set (EIO at EOF). */
int pread_full(int fd, void *buf, size_t len, uint64_t off);
/* pwrite that retries short writes; 0 or -1 with errno set (ENOSPC for a 0 write). */
int pwrite_full(int fd, const void *buf, size_t len, uint64_t off);

#endif
