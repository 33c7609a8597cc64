/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef LIVEDUMP_SYSFS_CTL_H
#define LIVEDUMP_SYSFS_CTL_H

/*
 * The kernel's side of a live dump (kernel-patches, livedump: the
 * sysfs-kernel-livedump ABI): the files of /sys/kernel/livedump. Reads go
 * through lib/util (sysfs.h for one-value files, kvfile.h for status);
 * writes are made here, one write(2) per value as `echo` does, and the
 * kernel's refusals (EBUSY, EACCES, EINVAL) become one line each.
 *
 * The folder comes from $PMEMDUMP_LIVEDUMP_SYSFS when set, so that the
 * tests run on a fake kernel in a temporary folder.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/log.h"

#define LD_SYSFS_DEFAULT "/sys/kernel/livedump"
#define LD_SYSFS_ENV "PMEMDUMP_LIVEDUMP_SYSFS"

/* Why the kernel would not do what was asked: each has its exit status. */
enum ld_refusal {
	LD_REFUSED_NONE,
	LD_REFUSED_NO_KERNEL,	/* no /sys/kernel/livedump */
	LD_REFUSED_PERMISSION,	/* not root */
	LD_REFUSED_BUSY,	/* a dump is running: EBUSY */
};

struct ld_ctl {
	const char *root;	/* the livedump folder */
	/*
	 * write(2). The unit tests put the kernel's answers here (EBUSY):
	 * a regular file in a test folder cannot refuse a write as a
	 * sysfs attribute does.
	 */
	ssize_t (*write)(int fd, const void *buf, size_t len);
	enum ld_refusal refused;	/* set by the call that failed */
};

/* @root NULL: $PMEMDUMP_LIVEDUMP_SYSFS, else /sys/kernel/livedump. */
void ld_ctl_init(struct ld_ctl *c, const char *root);

/*
 * Is live dump there? 0, or -PMD_EUNSUPPORTED with "this kernel has no
 * live dump (CONFIG_LIVEDUMP)" recorded and c->refused set.
 */
int ld_ctl_check(struct ld_ctl *c, struct log_ctx *log);

/*
 * May we write the control files? Asked before anything is created, so
 * that a user who is not root is told so before a target file is made.
 * 0, or -PMD_EIO (permission, recorded, c->refused set).
 */
int ld_ctl_may_write(struct ld_ctl *c, struct log_ctx *log);

/* A number file in MiB: "buffer_mb", "recommended_buffer_mb". */
int ld_ctl_read_mb(const struct ld_ctl *c, const char *attr, uint64_t *mb, struct log_ctx *log);
/* The target the kernel holds ("" when none was ever set). */
int ld_ctl_read_target(const struct ld_ctl *c, char *buf, size_t size, struct log_ctx *log);

/*
 * Write @value and a newline to the attribute @attr. 0, or the error
 * recorded: -PMD_EIO, with c->refused set for EBUSY, EACCES and EPERM;
 * -PMD_EINVAL when the kernel refused the value itself.
 */
int ld_ctl_write(struct ld_ctl *c, const char *attr, const char *value, struct log_ctx *log);

/*
 * Start a dump: target (an absolute path), buffer_mb, then start. A
 * failure part way leaves the kernel idle.
 */
int ld_ctl_start(struct ld_ctl *c, const char *target, uint64_t buffer_mb, struct log_ctx *log);
int ld_ctl_cancel(struct ld_ctl *c, struct log_ctx *log);

/*
 * --buffer SIZE in MiB, rounded up: a number of MiB, or with a suffix K,
 * M, G or T (KiB, MiB... : "iB" or "B" may follow, any case). 0 or
 * -PMD_EINVAL (nothing recorded: a usage error) for anything else, a
 * size of 0 included.
 */
int ld_parse_buffer_mb(const char *s, uint64_t *mb);

#endif
