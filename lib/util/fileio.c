// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fileio.h"
#include "util/log.h"

const char *file_kind(unsigned int mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "a regular file";
	case S_IFDIR:
		return "a directory";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	case S_IFIFO:
		return "a FIFO (named pipe)";
	case S_IFSOCK:
		return "a socket";
	case S_IFLNK:
		return "a symbolic link";
	}
	return "an unknown kind of file";
}

static bool is_device(mode_t mode)
{
	return S_ISBLK(mode) || S_ISCHR(mode);
}

/*
 * An existing device node, written in place. O_EXCL on a block device
 * makes the kernel refuse one that is mounted or otherwise in use; a
 * device that cannot seek (a terminal) cannot take a dump written by
 * offset. The node must still be the one lstat saw.
 */
static int open_device(struct out_file *of, const char *path, const struct stat *seen)
{
	int flags = O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK;
	struct stat st;
	off_t end;
	int fl;

	if (S_ISBLK(seen->st_mode))
		flags |= O_EXCL;
	of->fd = open(path, flags);
	if (of->fd < 0) {
		int err = errno;

		return log_fail(of->log, PMD_EIO, "cannot open %s for the dump: %s%s", path, strerror(err),
				err == EBUSY ? " (mounted or in use)" : "");
	}
	if (fstat(of->fd, &st) < 0 || !is_device(st.st_mode) ||
	    (st.st_mode & S_IFMT) != (seen->st_mode & S_IFMT) || st.st_rdev != seen->st_rdev) {
		return log_fail(of->log, PMD_EIO, "%s changed while it was being opened for the dump", path);
	}
	fl = fcntl(of->fd, F_GETFL);
	if (fl < 0 || fcntl(of->fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
		return log_fail(of->log, PMD_EIO, "cannot set up %s for the dump: %s", path, strerror(errno));
	end = lseek(of->fd, 0, S_ISBLK(st.st_mode) ? SEEK_END : SEEK_CUR);
	if (end < 0) {
		return log_fail(of->log, PMD_EINVAL, "%s is %s that cannot seek: a dump is written by offset (-F writes a stream to standard output)",
				path, file_kind(st.st_mode));
	}
	if (S_ISBLK(st.st_mode)) {
		if (end == 0)
			return log_fail(of->log, PMD_EINVAL, "%s is an empty block device", path);
		of->dev_size = (uint64_t)end;
	}
	of->device = true;
	return 0;
}

/* Undo a create that failed: what is at the path is not ours to remove. */
static int not_created(struct out_file *of, int ret)
{
	if (of->fd >= 0)
		close(of->fd);
	of->fd = -1;
	of->device = false;
	free(of->path);
	of->path = NULL;
	return ret;
}

int out_file_create(struct out_file *of, struct log_ctx *log, const char *path, bool force)
{
	int flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW;
	struct stat st;
	int ret;

	memset(of, 0, sizeof(*of));
	of->fd = -1;
	of->log = log;
	of->path = strdup(path);
	if (!of->path)
		return log_fail(log, PMD_ENOMEM, "out of memory");
	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode)) {
			ret = log_fail(log, PMD_EINVAL, "%s is a symbolic link: name the file or device itself, a dump is never written through a link",
				       path);
		} else if (S_ISDIR(st.st_mode)) {
			ret = log_fail(log, PMD_EINVAL, "%s is a directory: give the path of the dump file to create", path);
		} else if (is_device(st.st_mode) && !force) {
			ret = log_fail(log, PMD_EEXIST, "%s is %s", path, file_kind(st.st_mode));
		} else if (is_device(st.st_mode)) {
			ret = open_device(of, path, &st);
		} else if (!S_ISREG(st.st_mode)) {
			ret = log_fail(log, PMD_EINVAL, "%s is %s: the dump goes to a file or a device (-F writes a stream to standard output)",
				       path, file_kind(st.st_mode));
		} else if (force && unlink(path) < 0 && errno != ENOENT) {
			ret = log_fail(log, PMD_EIO, "cannot replace %s: %s", path, strerror(errno));
		} else {
			ret = 1;	/* a regular file: created below */
		}
		if (ret <= 0)
			return ret < 0 ? not_created(of, ret) : 0;
	}
	of->fd = open(path, flags, 0600);
	if (of->fd < 0) {
		ret = errno == EEXIST ? log_fail(log, PMD_EEXIST, "%s already exists", path) :
		      log_fail(log, PMD_EIO, "cannot create %s: %s", path, strerror(errno));
		return not_created(of, ret);
	}
	return 0;
}

int pwrite_full(int fd, const void *buf, size_t len, uint64_t off)
{
	const char *p = buf;

	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = ENOSPC;
			return -1;
		}
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static const char *incomplete_fate(const struct out_file *of)
{
	return of->device ? "the incomplete dump on it is wiped" : "the incomplete dump is removed";
}

/* Zeros over [from, to) of a device: what a new file's hole would read as. */
static int zero_fill(struct out_file *of, uint64_t from, uint64_t to)
{
	static const char zeros[65536];

	while (from < to) {
		size_t n = to - from < sizeof(zeros) ? (size_t)(to - from) : sizeof(zeros);

		if (pwrite_full(of->fd, zeros, n, from) < 0)
			return -1;
		from += n;
	}
	return 0;
}

int out_file_pwrite(struct out_file *of, const void *buf, size_t len, uint64_t off)
{
	if (!len)
		return 0;
	if (of->dev_size && (off > of->dev_size || len > of->dev_size - off)) {
		return log_fail(of->log, PMD_EIO, "%s is too small for the dump: it holds %llu bytes, the dump needs more than %llu; %s",
				of->path, (unsigned long long)of->dev_size,
				(unsigned long long)(off + len - 1), incomplete_fate(of));
	}
	if ((of->device && off > of->end && zero_fill(of, of->end, off) < 0) ||
	    pwrite_full(of->fd, buf, len, off) < 0) {
		return log_fail(of->log, PMD_EIO, "cannot write %s: %s; %s",
				of->path, strerror(errno), incomplete_fate(of));
	}
	of->bytes_written += len;
	if (off + len > of->end)
		of->end = off + len;
	return 0;
}

int out_file_finish(struct out_file *of)
{
	/* fsync catches a full disk on filesystems that allocate late. */
	if (fsync(of->fd) < 0 && errno != EINVAL && errno != EROFS) {
		log_fail(of->log, PMD_EIO, "cannot flush %s: %s; %s", of->path, strerror(errno),
			 incomplete_fate(of));
		out_file_abort(of);
		return -PMD_EIO;
	}
	if (close(of->fd) < 0) {
		of->fd = -1;
		log_fail(of->log, PMD_EIO, "cannot close %s: %s; %s", of->path, strerror(errno),
			 incomplete_fate(of));
		out_file_abort(of);
		return -PMD_EIO;
	}
	of->fd = -1;
	free(of->path);
	of->path = NULL;
	return 0;
}

/* Enough of a device's start that no dump signature or header is left. */
#define DEVICE_WIPE_BYTES (64u << 10)

void out_file_abort(struct out_file *of)
{
	if (of->device && of->fd >= 0 && of->end) {
		zero_fill(of, 0, of->end < DEVICE_WIPE_BYTES ? of->end : DEVICE_WIPE_BYTES);
		fsync(of->fd);
	}
	if (of->fd >= 0)
		close(of->fd);
	of->fd = -1;
	if (of->path) {
		if (!of->device)
			unlink(of->path);
		free(of->path);
		of->path = NULL;
	}
}

static int refuse_input(struct log_ctx *log, const char *path, mode_t mode)
{
	return log_fail(log, PMD_EINVAL, "%s is %s, not a dump: the input is a vmcore or dump file, or a block device%s",
			path, file_kind(mode),
			S_ISFIFO(mode) ? " (a flattened stream is rebuilt from standard input with -R)" : "");
}

int in_file_open(struct log_ctx *log, const char *path, uint64_t *size)
{
	struct stat st;
	off_t end;
	int fd, fl, ret;

	/* Refused before open(): a FIFO blocks there, a device may act on it. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
		return refuse_input(log, path, st.st_mode);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return log_fail(log, PMD_EIO, "cannot open %s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		ret = log_fail(log, PMD_EIO, "cannot stat %s: %s", path, strerror(errno));
		goto err;
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		ret = refuse_input(log, path, st.st_mode);
		goto err;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		ret = log_fail(log, PMD_EIO, "cannot set up %s for reading: %s", path, strerror(errno));
		goto err;
	}
	if (S_ISREG(st.st_mode)) {
		*size = (uint64_t)st.st_size;
		return fd;
	}
	/* A block device tells its size through lseek. */
	end = lseek(fd, 0, SEEK_END);
	if (end < 0) {
		ret = log_fail(log, PMD_EIO, "cannot find the size of %s: %s", path, strerror(errno));
		goto err;
	}
	*size = (uint64_t)end;
	return fd;
err:
	close(fd);
	return ret;
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
