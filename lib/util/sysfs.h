/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_UTIL_SYSFS_H
#define PMD_UTIL_SYSFS_H

/*
 * Readers for the one-value files of sysfs and procfs. Every path is taken
 * below a root prefix (NULL or "" for the live system), so tests run on a
 * saved tree in a temporary folder.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/log.h"

/* Longest value line accepted. */
#define SYSFS_LINE_MAX 4096

/*
 * "<root><path>" into @buf. 0, or -PMD_EINVAL when it does not fit (the
 * error is recorded in @log).
 */
int sysfs_path(char *buf, size_t size, const char *root, const char *path,
	       struct log_ctx *log);

/* Does "<root><path>" exist (any type)? */
bool sysfs_exists(const char *root, const char *path);

/*
 * The first line of "<root><path>", newline removed, into @buf. 0;
 * -PMD_EIO (recorded) when it cannot be opened or read; -PMD_ECORRUPT
 * when the line is longer than @size - 1 or holds a NUL byte.
 */
int sysfs_read_line(const char *root, const char *path, char *buf, size_t size,
		    struct log_ctx *log);

/*
 * Parsers of one value each, on a string (the whole string must be the
 * value, surrounding blanks allowed). 0, or -PMD_ECORRUPT (recorded, with
 * @what naming the value in the message).
 */
/* Hexadecimal, with or without "0x": crash_notes, resource, start. */
int sysfs_parse_hex(const char *s, uint64_t *out, const char *what, struct log_ctx *log);
/* Decimal: crash_notes_size, kexec_crash_size, size. */
int sysfs_parse_dec(const char *s, uint64_t *out, const char *what, struct log_ctx *log);
/* The kernel's "%pa %x" pair of /sys/kernel/vmcoreinfo: "0x<addr> <hex size>". */
int sysfs_parse_addr_size(const char *s, uint64_t *addr, uint64_t *size, const char *what,
			  struct log_ctx *log);
/*
 * A cpu list such as "0-3,8-9" (/sys/devices/system/cpu/possible) as a bit
 * array of @nbits bits in @bits (cleared first). A cpu >= @nbits is an
 * error, as is an empty list.
 */
int sysfs_parse_cpulist(const char *s, uint64_t *bits, unsigned int nbits, const char *what,
			struct log_ctx *log);

/* sysfs_read_line then the parser; the path names the value in errors. */
int sysfs_read_hex(const char *root, const char *path, uint64_t *out, struct log_ctx *log);
int sysfs_read_dec(const char *root, const char *path, uint64_t *out, struct log_ctx *log);

#endif
