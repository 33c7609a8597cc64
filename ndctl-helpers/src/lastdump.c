// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The last capture as it was left on disk: makedumpfile's record, and
 * kdump-tools' newest stamp folder with its dump. Facts only; check.c
 * gives the verdict.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dump/flat/flatten.h"
#include "src/lastdump.h"
#include "util/kvfile.h"
#include "util/records.h"
#include "util/sysfs.h"

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

void pk_capture_read(const char *root, struct pk_capture *c)
{
	struct kvfile_map m;
	struct log_ctx quiet;
	const char *status;

	memset(c, 0, sizeof(*c));
	log_init(&quiet, "pmem-kdump");
	if (kvfile_read(&m, root, REC_CAPTURE_PATH, &quiet) < 0) {
		c->present = c->unreadable = true;
		copy(c->why, sizeof(c->why), log_error_text(&quiet));
	} else if (m.present) {
		c->present = true;
		c->mtime = m.mtime;
		status = kvfile_get(&m, REC_CAP_STATUS);
		/* Anything but an explicit ok is a run that did not say it succeeded. */
		c->failed = !status || strcmp(status, REC_CAP_STATUS_OK);
		c->dmesg_mode = !c->failed && kvfile_get(&m, REC_CAP_MODE) &&
				!strcmp(kvfile_get(&m, REC_CAP_MODE), REC_CAP_MODE_DMESG);
		copy(c->time, sizeof(c->time), kvfile_get(&m, REC_CAP_TIME));
		copy(c->argv, sizeof(c->argv), kvfile_get(&m, REC_CAP_ARGV));
		copy(c->dmesg, sizeof(c->dmesg), kvfile_get(&m, REC_CAP_DMESG));
		copy(c->output, sizeof(c->output), kvfile_get(&m, REC_CAP_OUTPUT));
		copy(c->error, sizeof(c->error), kvfile_get(&m, REC_CAP_ERROR));
		copy(c->pages, sizeof(c->pages), kvfile_get(&m, REC_CAP_PAGES));
		if (c->failed && !c->error[0])
			copy(c->error, sizeof(c->error),
			     status ? "no error recorded" : "no status recorded");
	}
	kvfile_map_free(&m);
	log_destroy(&quiet);
}

/* Past a run of slashes. */
static const char *slashes(const char *p)
{
	while (*p == '/')
		p++;
	return p;
}

bool pk_path_in_dir(const char *file, const char *dir)
{
	const char *f = file, *d = dir, *end = dir + strlen(dir);

	if (!*dir || *file != '/')
		return false;
	/* The folder's own trailing slashes say nothing. */
	while (end > dir + 1 && end[-1] == '/')
		end--;
	while (d < end) {
		if (*d == '/') {
			if (*f != '/')
				return false;
			f = slashes(f);
			d = slashes(d);
		} else if (*f++ != *d++) {
			return false;
		}
	}
	/* "/var/crash/1" is not "/var/crash/12/..."; the name must be one part. */
	if (*f != '/' && !(end == dir + 1 && f > file && f[-1] == '/'))
		return false;
	f = slashes(f);
	return *f && !strchr(f, '/');
}

/* "<root><path>" into @full; false when it does not fit. */
static bool below(const char *root, const char *path, char *full, size_t size)
{
	int n = snprintf(full, size, "%s%s", root ? root : "", path);

	return n >= 0 && (size_t)n < size;
}

/* The newest "2*" folder of @coredir: d->path, d->mode, d->mtime. */
static void newest_stamp(const char *root, const char *coredir, struct pk_stamp_dir *d)
{
	char full[PATH_MAX], best[256] = "", dir[PATH_MAX], entry[PATH_MAX + 256];
	size_t n = strlen(coredir);
	struct dirent *de;
	struct stat st;
	DIR *dp;

	/* KDUMP_COREDIR=/var/crash/ names the same folders as /var/crash. */
	while (n > 1 && coredir[n - 1] == '/')
		n--;
	snprintf(dir, sizeof(dir), "%.*s", (int)n, coredir);
	if (!below(root, dir, full, sizeof(full)) || !(dp = opendir(full)))
		return;
	while ((de = readdir(dp))) {
		if (de->d_name[0] != '2' || strlen(de->d_name) >= sizeof(best) ||
		    strcmp(de->d_name, best) <= 0)
			continue;
		snprintf(entry, sizeof(entry), "%s/%s", full, de->d_name);
		if (lstat(entry, &st) == 0 && S_ISDIR(st.st_mode)) {
			copy(best, sizeof(best), de->d_name);
			d->mode = st.st_mode & 07777;
			d->mtime = st.st_mtim;
		}
	}
	closedir(dp);
	if (!best[0])
		return;
	/* A path too long to name is a folder that cannot be looked at. */
	d->present = snprintf(d->path, sizeof(d->path), "%s/%s", strcmp(dir, "/") ? dir : "",
			      best) < (int)sizeof(d->path);
}

/* The newest regular dump.* file of the folder @full into d->dump. */
static void newest_dump(const char *full, struct pk_stamp_dir *d)
{
	char entry[PATH_MAX + 256];
	struct timespec newest = { 0, 0 };
	struct dirent *de;
	struct stat st;
	DIR *dp = opendir(full);

	if (!dp)
		return;
	while ((de = readdir(dp))) {
		if (strncmp(de->d_name, "dump.", 5) || strlen(de->d_name) >= sizeof(d->dump))
			continue;
		snprintf(entry, sizeof(entry), "%s/%s", full, de->d_name);
		if (lstat(entry, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (!d->dump[0] || st.st_mtim.tv_sec > newest.tv_sec ||
		    (st.st_mtim.tv_sec == newest.tv_sec && st.st_mtim.tv_nsec > newest.tv_nsec) ||
		    (st.st_mtim.tv_sec == newest.tv_sec && st.st_mtim.tv_nsec == newest.tv_nsec &&
		     strcmp(de->d_name, d->dump) > 0)) {
			copy(d->dump, sizeof(d->dump), de->d_name);
			newest = st.st_mtim;
		}
	}
	closedir(dp);
}

/* Is the dump file @full (@name in messages) whole? Only the flattened format tells. */
static void dump_state(const char *full, const char *name, struct pk_stamp_dir *d)
{
	struct log_ctx quiet;
	struct stat st;
	int fd, ret;

	/* O_NONBLOCK: a FIFO planted as the dump must not hang the check. */
	fd = open(full, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &st) < 0) {
		d->state = PK_DUMP_UNREADABLE;
		/* Cut if need be: a reason is read, not parsed. */
		if (snprintf(d->why, sizeof(d->why), "cannot read %s: %s", name, strerror(errno)) < 0)
			d->why[0] = '\0';
		if (fd >= 0)
			close(fd);
		return;
	}
	d->dump_mode = st.st_mode & 07777;
	if (!st.st_size) {
		d->state = PK_DUMP_EMPTY;
		close(fd);
		return;
	}
	log_init(&quiet, "pmem-kdump");
	ret = flat_file_verify(fd, (uint64_t)st.st_size, name, &quiet);
	close(fd);
	d->state = ret == 0 ? PK_DUMP_WHOLE : ret == -PMD_ENOTFMT ? PK_DUMP_NOT_FLAT :
		   ret == -PMD_EIO ? PK_DUMP_UNREADABLE : PK_DUMP_CUT;
	copy(d->why, sizeof(d->why), log_error_text(&quiet));
	log_destroy(&quiet);
}

void pk_stamp_dir_read(const char *root, const char *coredir, const char *record_output,
		       struct pk_stamp_dir *d)
{
	char full[PATH_MAX], file[PATH_MAX * 2], name[PATH_MAX * 2];
	struct kvfile_map m;
	struct log_ctx quiet;
	const char *err;

	memset(d, 0, sizeof(*d));
	newest_stamp(root, coredir, d);
	if (!d->present || !below(root, d->path, full, sizeof(full)))
		return;
	snprintf(file, sizeof(file), "%s/%s", d->path, REC_CAPTURE_FAILED_NAME);
	log_init(&quiet, "pmem-kdump");
	if (kvfile_read(&m, root, file, &quiet) < 0 || m.present) {
		d->failed_file = true;
		err = kvfile_get(&m, REC_CAP_ERROR);
		copy(d->failed_error, sizeof(d->failed_error), err ? err : log_error_text(&quiet));
	}
	kvfile_map_free(&m);
	log_destroy(&quiet);
	if (record_output && pk_path_in_dir(record_output, d->path))
		copy(d->dump, sizeof(d->dump), strrchr(record_output, '/') + 1);
	else
		newest_dump(full, d);
	if (!d->dump[0])
		return;
	snprintf(file, sizeof(file), "%s/%s", full, d->dump);
	snprintf(name, sizeof(name), "%s/%s", d->path, d->dump);
	dump_state(file, name, d);
}
