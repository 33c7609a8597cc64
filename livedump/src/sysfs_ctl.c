// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /sys/kernel/livedump: reads through lib/util, writes here. A sysfs
 * attribute takes its value in one write(2) and answers with the store
 * function's error, so each write is checked for its errno and the ones
 * the live dump code returns (EBUSY: one dump at a time; EINVAL: a value
 * it refuses) are worded for the user.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/sysfs_ctl.h"
#include "util/sysfs.h"

void ld_ctl_init(struct ld_ctl *c, const char *root)
{
	const char *env = getenv(LD_SYSFS_ENV);

	memset(c, 0, sizeof(*c));
	c->root = root ? root : env && *env ? env : LD_SYSFS_DEFAULT;
	c->write = write;
}

int ld_ctl_check(struct ld_ctl *c, struct log_ctx *log)
{
	struct stat st;
	bool missing;

	if (stat(c->root, &st) == 0)
		missing = !S_ISDIR(st.st_mode);
	else if (errno == ENOENT || errno == ENOTDIR)
		missing = true;
	else
		return log_fail(log, PMD_EIO, "cannot read %s: %s", c->root, strerror(errno));
	if (missing) {
		c->refused = LD_REFUSED_NO_KERNEL;
		return log_fail(log, PMD_EUNSUPPORTED, "this kernel has no live dump (CONFIG_LIVEDUMP)");
	}
	return 0;
}

/* EACCES, EPERM, EROFS: what a user who may not dump is told. */
static int no_permission(struct ld_ctl *c, const char *path, int err, struct log_ctx *log)
{
	c->refused = LD_REFUSED_PERMISSION;
	if (err == EROFS)
		return log_fail(log, PMD_EIO,
				"%s is read-only here (a container without write access to /sys?)",
				path);
	return log_fail(log, PMD_EIO, "permission denied writing %s: live dump needs root", path);
}

int ld_ctl_may_write(struct ld_ctl *c, struct log_ctx *log)
{
	static const char *const attrs[] = { "/target", "/buffer_mb", "/start", "/cancel" };
	char path[PATH_MAX];
	int ret;

	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		ret = sysfs_path(path, sizeof(path), c->root, attrs[i], log);
		if (ret)
			return ret;
		if (access(path, W_OK) == 0)
			continue;
		if (errno == EACCES || errno == EPERM || errno == EROFS)
			return no_permission(c, path, errno, log);
		return log_fail(log, PMD_EIO, "%s: %s", path, strerror(errno));
	}
	return 0;
}

int ld_ctl_read_mb(const struct ld_ctl *c, const char *attr, uint64_t *mb, struct log_ctx *log)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "/%s", attr);
	return sysfs_read_dec(c->root, rel, mb, log);
}

int ld_ctl_read_target(const struct ld_ctl *c, char *buf, size_t size, struct log_ctx *log)
{
	return sysfs_read_line(c->root, "/target", buf, size, log);
}

int ld_ctl_write(struct ld_ctl *c, const char *attr, const char *value, struct log_ctx *log)
{
	char path[PATH_MAX], rel[64], *line;
	size_t len = strlen(value) + 1;
	ssize_t n;
	int fd, err, ret;

	snprintf(rel, sizeof(rel), "/%s", attr);
	ret = sysfs_path(path, sizeof(path), c->root, rel, log);
	if (ret)
		return ret;
	/* The kernel takes a value up to its first newline: a path would be cut short. */
	if (strchr(value, '\n'))
		return log_fail(log, PMD_EINVAL, "%s: a value with a newline cannot be given to the kernel",
				attr);
	/* As `echo VALUE > FILE`: truncating a sysfs attribute is harmless. */
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		err = errno;
		if (err == EACCES || err == EPERM || err == EROFS)
			return no_permission(c, path, err, log);
		if (err == ENOENT)
			return log_fail(log, PMD_EIO,
					"%s is missing: this livedump does not know this kernel's live dump",
					path);
		return log_fail(log, PMD_EIO, "cannot open %s: %s", path, strerror(err));
	}
	line = malloc(len + 1);
	if (!line) {
		close(fd);
		return log_fail(log, PMD_ENOMEM, "out of memory");
	}
	snprintf(line, len + 1, "%s\n", value);
	/* One write: a store function sees its value whole, once. */
	do
		n = c->write(fd, line, len);
	while (n < 0 && errno == EINTR);
	err = errno;
	free(line);
	close(fd);
	if (n == (ssize_t)len)
		return 0;
	if (n >= 0)
		return log_fail(log, PMD_EIO, "%s: short write (%zd of %zu bytes)", path, n, len);
	switch (err) {
	case EBUSY:
		c->refused = LD_REFUSED_BUSY;
		return log_fail(log, PMD_EIO,
				"a live dump is already running (livedump status; livedump cancel ends it)");
	case EACCES:
	case EPERM:
	case EROFS:
		return no_permission(c, path, err, log);
	case EINVAL:
		if (!strcmp(attr, "buffer_mb"))
			return log_fail(log, PMD_EINVAL,
					"the kernel refused a buffer of %s MiB: it must be less than the RAM",
					value);
		return log_fail(log, PMD_EINVAL, "the kernel refused %s=%s", attr, value);
	default:
		return log_fail(log, PMD_EIO, "cannot write %s: %s", path, strerror(err));
	}
}

int ld_ctl_start(struct ld_ctl *c, const char *target, uint64_t buffer_mb, struct log_ctx *log)
{
	char mb[24];
	int ret;

	snprintf(mb, sizeof(mb), "%" PRIu64, buffer_mb);
	ret = ld_ctl_write(c, "target", target, log);
	if (!ret)
		ret = ld_ctl_write(c, "buffer_mb", mb, log);
	if (!ret)
		ret = ld_ctl_write(c, "start", "1", log);
	return ret;
}

int ld_ctl_cancel(struct ld_ctl *c, struct log_ctx *log)
{
	return ld_ctl_write(c, "cancel", "1", log);
}

int ld_parse_buffer_mb(const char *s, uint64_t *mb)
{
	/* Bytes per unit, as a shift: K 10, M 20, G 30, T 40. */
	static const char units[] = "KMGT";
	uint64_t n = 0, bytes_shift = 20;
	const char *p = s, *u;

	if (!isdigit((unsigned char)*p))
		return -PMD_EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		if (n > (UINT64_MAX - 9) / 10)
			return -PMD_EINVAL;
		n = n * 10 + (uint64_t)(*p - '0');
	}
	if (*p && (u = strchr(units, toupper((unsigned char)*p)))) {
		bytes_shift = 10 * (uint64_t)(u - units + 1);
		p++;
		if (toupper((unsigned char)p[0]) == 'I' && toupper((unsigned char)p[1]) == 'B')
			p += 2;
		else if (toupper((unsigned char)p[0]) == 'B')
			p++;
	}
	if (*p || !n)
		return -PMD_EINVAL;
	if (bytes_shift < 20) {
		/* KiB: rounded up to whole MiB. */
		*mb = n / 1024 + (n % 1024 != 0);
		return 0;
	}
	if (n > UINT64_MAX >> (bytes_shift - 20) >> 20)
		return -PMD_EINVAL;
	*mb = n << (bytes_shift - 20);
	return 0;
}
