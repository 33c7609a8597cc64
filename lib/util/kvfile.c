// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * key=value records: built in memory, written whole (a temporary file
 * renamed over the old record, or a new file), read whole with bounds.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fileio.h"
#include "util/kvfile.h"
#include "util/sysfs.h"

void kvfile_init(struct kvfile *kv)
{
	memset(kv, 0, sizeof(*kv));
}

void kvfile_free(struct kvfile *kv)
{
	free(kv->text);
	kvfile_init(kv);
}

static int append(struct kvfile *kv, const char *s, size_t n)
{
	if (kv->len + n + 1 > kv->cap) {
		size_t cap = kv->cap ? kv->cap : 256;
		char *grown;

		while (kv->len + n + 1 > cap)
			cap *= 2;
		grown = realloc(kv->text, cap);
		if (!grown) {
			kv->error = -PMD_ENOMEM;
			return -PMD_ENOMEM;
		}
		kv->text = grown;
		kv->cap = cap;
	}
	memcpy(kv->text + kv->len, s, n);
	kv->len += n;
	kv->text[kv->len] = '\0';
	return 0;
}

int kvfile_add(struct kvfile *kv, const char *key, const char *value)
{
	bool refused = value && strchr(value, '\n');
	int ret;

	if (kv->error)
		return kv->error;
	if (!*key || strpbrk(key, "=\n")) {
		kv->error = -PMD_EINVAL;
		return kv->error;
	}
	if (refused || !value)
		value = "";
	ret = append(kv, key, strlen(key));
	if (!ret)
		ret = append(kv, "=", 1);
	if (!ret)
		ret = append(kv, value, strlen(value));
	if (!ret)
		ret = append(kv, "\n", 1);
	return ret ? ret : refused ? -PMD_EINVAL : 0;
}

int kvfile_addf(struct kvfile *kv, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *value;
	int ret;

	if (kv->error)
		return kv->error;
	va_start(ap, fmt);
	ret = vasprintf(&value, fmt, ap);
	va_end(ap);
	if (ret < 0) {
		kv->error = -PMD_ENOMEM;
		return kv->error;
	}
	ret = kvfile_add(kv, key, value);
	free(value);
	return ret;
}

static int record_error(const struct kvfile *kv, const char *path, struct log_ctx *log)
{
	return kv->error == -PMD_ENOMEM ? log_fail(log, PMD_ENOMEM, "out of memory for %s", path) :
	       log_fail(log, PMD_EINVAL, "%s: a record key is empty or holds '=' or a newline", path);
}

/* The folder of @path into @dir (@path has a '/'); the base name returned. */
static const char *split_dir(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');

	snprintf(dir, size, "%.*s", slash == path ? 1 : (int)(slash - path), path);
	return slash + 1;
}

/* A folder's entry (the rename) survives a crash only once the folder is flushed. */
static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int kvfile_replace(const struct kvfile *kv, const char *root, const char *path,
		   unsigned int dir_mode, unsigned int mode, struct log_ctx *log)
{
	char full[PATH_MAX], dir[PATH_MAX], tmp[PATH_MAX + 16];
	const char *base;
	int fd, err, ret;

	ret = sysfs_path(full, sizeof(full), root, path, log);
	if (ret)
		return ret;
	if (!strchr(full, '/'))
		return log_fail(log, PMD_EINVAL, "%s: a record path names its folder", full);
	if (kv->error)
		return record_error(kv, full, log);
	base = split_dir(full, dir, sizeof(dir));
	if (mkdir(dir, dir_mode) && errno != EEXIST)
		return log_fail(log, PMD_EIO, "cannot create %s: %s", dir, strerror(errno));
	snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", strcmp(dir, "/") ? dir : "", base);
	/* 0600 and O_EXCL: no one else's file is written, nor read half done. */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return log_fail(log, PMD_EIO, "cannot write %s: %s", full, strerror(errno));
	if (pwrite_full(fd, kv->text ? kv->text : "", kv->len, 0) < 0 ||
	    ((mode & 07777) != 0600 && fchmod(fd, mode & 07777) < 0) ||
	    fsync(fd) < 0) {
		err = errno;
		close(fd);
		goto fail;
	}
	if (close(fd) < 0 || rename(tmp, full) < 0) {
		err = errno;
		goto fail;
	}
	sync_dir(dir);
	return 0;
fail:
	unlink(tmp);
	return log_fail(log, PMD_EIO, "cannot write %s: %s", full, strerror(err));
}

int kvfile_create(const struct kvfile *kv, const char *path, struct log_ctx *log)
{
	char dir[PATH_MAX];
	int fd, err;

	if (kv->error)
		return record_error(kv, path, log);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return log_fail(log, PMD_EEXIST, "%s already exists", path);
		return log_fail(log, PMD_EIO, "cannot create %s: %s", path, strerror(errno));
	}
	if (pwrite_full(fd, kv->text ? kv->text : "", kv->len, 0) < 0 || fsync(fd) < 0) {
		err = errno;
		close(fd);
		goto fail;
	}
	if (close(fd) < 0) {
		err = errno;
		goto fail;
	}
	if (strchr(path, '/')) {
		split_dir(path, dir, sizeof(dir));
		sync_dir(dir);
	}
	return 0;
fail:
	/* Half a record must not stand for the whole one. */
	unlink(path);
	return log_fail(log, PMD_EIO, "cannot write %s: %s", path, strerror(err));
}

/* The whole file into m->text (NUL-terminated); *@len its length. */
static int slurp(struct kvfile_map *m, int fd, const char *full, size_t *len,
		 struct log_ctx *log)
{
	size_t cap = KVFILE_SIZE_MAX + 1;
	ssize_t n;

	m->text = malloc(cap + 1);
	if (!m->text)
		return log_fail(log, PMD_ENOMEM, "out of memory for %s", full);
	*len = 0;
	/* One byte more than allowed, to tell a full file from a long one. */
	while (*len < cap) {
		n = read(fd, m->text + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return log_fail(log, PMD_EIO, "cannot read %s: %s", full, strerror(errno));
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	m->text[*len] = '\0';
	if (*len > KVFILE_SIZE_MAX)
		return log_fail(log, PMD_ECORRUPT, "%s: larger than %u bytes, not a record", full,
				KVFILE_SIZE_MAX);
	if (memchr(m->text, '\0', *len))
		return log_fail(log, PMD_ECORRUPT, "%s: holds a NUL byte, not a record", full);
	return 0;
}

/* Cut m->text into lines and the lines with '=' into pairs. */
static int split_pairs(struct kvfile_map *m, size_t len, const char *full, struct log_ctx *log)
{
	size_t lines = 1, line_no = 0;
	char *p = m->text, *end = m->text + len;

	for (char *q = p; (q = memchr(q, '\n', (size_t)(end - q))); q++)
		lines++;
	m->pairs = calloc(lines, sizeof(*m->pairs));
	if (!m->pairs)
		return log_fail(log, PMD_ENOMEM, "out of memory for %s", full);
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *eq;

		if (!nl)
			nl = end;
		line_no++;
		if ((size_t)(nl - p) > KVFILE_LINE_MAX)
			return log_fail(log, PMD_ECORRUPT, "%s: line %zu is longer than %u bytes",
					full, line_no, KVFILE_LINE_MAX);
		*nl = '\0';
		eq = strchr(p, '=');
		if (eq && eq != p) {
			*eq = '\0';
			m->pairs[m->nr].key = p;
			m->pairs[m->nr].value = eq + 1;
			m->nr++;
		}
		p = nl + 1;
	}
	return 0;
}

int kvfile_read(struct kvfile_map *m, const char *root, const char *path, struct log_ctx *log)
{
	char full[PATH_MAX];
	struct stat st;
	size_t len = 0;
	int fd, ret;

	memset(m, 0, sizeof(*m));
	ret = sysfs_path(full, sizeof(full), root, path, log);
	if (ret)
		return ret;
	/* O_NONBLOCK: a FIFO planted at the path must not hang the reader. */
	fd = open(full, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return errno == ENOENT ? 0 : log_fail(log, PMD_EIO, "cannot read %s: %s", full,
						      strerror(errno));
	if (fstat(fd, &st) < 0) {
		ret = log_fail(log, PMD_EIO, "cannot read %s: %s", full, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		ret = log_fail(log, PMD_ECORRUPT, "%s is not a regular file", full);
	} else {
		m->mtime = st.st_mtim;
		ret = slurp(m, fd, full, &len, log);
		if (!ret)
			ret = split_pairs(m, len, full, log);
	}
	close(fd);
	if (ret) {
		kvfile_map_free(m);
		return ret;
	}
	m->present = true;
	return 0;
}

const char *kvfile_get(const struct kvfile_map *m, const char *key)
{
	for (size_t i = m->nr; i-- > 0;)
		if (!strcmp(m->pairs[i].key, key))
			return m->pairs[i].value;
	return NULL;
}

void kvfile_map_free(struct kvfile_map *m)
{
	free(m->text);
	free(m->pairs);
	memset(m, 0, sizeof(*m));
}
