// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fileio.h"
#include "util/log.h"

int out_file_create(struct out_file *of, struct log_ctx *log, const char *path, bool force)
{
	int flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW;

	memset(of, 0, sizeof(*of));
	of->fd = -1;
	of->log = log;
	if (force && unlink(path) < 0 && errno != ENOENT)
		return log_fail(log, PMD_EIO, "cannot replace %s: %s", path, strerror(errno));
	of->fd = open(path, flags, 0600);
	if (of->fd < 0) {
		if (errno == EEXIST)
			return log_fail(log, PMD_EEXIST, "%s already exists", path);
		return log_fail(log, PMD_EIO, "cannot create %s: %s", path, strerror(errno));
	}
	of->path = strdup(path);
	if (!of->path) {
		out_file_abort(of);
		return log_fail(log, PMD_ENOMEM, "out of memory");
	}
	return 0;
}

int out_file_pwrite(struct out_file *of, const void *buf, size_t len, uint64_t off)
{
	const char *p = buf;

	while (len) {
		ssize_t n = pwrite(of->fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			return log_fail(of->log, PMD_EIO,
					"cannot write %s: %s; the incomplete dump is removed",
					of->path, n < 0 ? strerror(errno) : "short write");
		}
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
		of->bytes_written += (uint64_t)n;
	}
	return 0;
}

int out_file_finish(struct out_file *of)
{
	/* fsync catches a full disk on filesystems that allocate late. */
	if (fsync(of->fd) < 0 && errno != EINVAL && errno != EROFS) {
		log_fail(of->log, PMD_EIO, "cannot flush %s: %s", of->path, strerror(errno));
		out_file_abort(of);
		return -PMD_EIO;
	}
	if (close(of->fd) < 0) {
		of->fd = -1;
		log_fail(of->log, PMD_EIO, "cannot close %s: %s", of->path, strerror(errno));
		out_file_abort(of);
		return -PMD_EIO;
	}
	of->fd = -1;
	free(of->path);
	of->path = NULL;
	return 0;
}

void out_file_abort(struct out_file *of)
{
	if (of->fd >= 0)
		close(of->fd);
	of->fd = -1;
	if (of->path) {
		unlink(of->path);
		free(of->path);
		of->path = NULL;
	}
}

int pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	char *p = buf;

	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}
