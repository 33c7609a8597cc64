// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The target of a live dump, checked and made ready before the start:
 * the kernel thread that writes it cannot ask anyone, and what it does
 * with a target (truncate a file, fail on a small device) is only seen
 * once the stop is over.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "dump/livedump_size.h"
#include "src/target.h"
#include "util/fileio.h"
#include "util/meminfo.h"

#define MIB (1024.0 * 1024.0)

/*
 * The most program headers the kernel makes (LD_MAX_RANGES and
 * LD_MAX_PMEM): the ranges and the pmem pieces are not known here.
 */
uint64_t ld_header_bytes(unsigned int nr_cpus)
{
	return livedump_header_bytes(nr_cpus, LIVEDUMP_MAX_RANGES + LIVEDUMP_MAX_PMEM);
}

unsigned int ld_possible_cpus(void)
{
	struct log_ctx probe;
	uint64_t n = 0;
	long conf;

	/* A private log: a machine without the file is no error of ours. */
	log_init(&probe, "livedump");
	if (livedump_possible_cpus(NULL, &n, &probe))
		n = 0;
	log_destroy(&probe);
	if (n)
		return (unsigned int)n;
	conf = sysconf(_SC_NPROCESSORS_CONF);
	return conf > 0 ? (unsigned int)conf : 1;
}

/*
 * System RAM as the kernel dumps it, and at most the pmem memmaps (a
 * struct page of 64 bytes per 4 KiB page of pmem) it copies beside it.
 * False when the file shows no addresses (not root) or cannot be read.
 */
static bool size_from_iomem(const char *path, uint64_t *bytes)
{
	struct livedump_iomem io;
	struct log_ctx probe;
	bool ok;

	log_init(&probe, "livedump");
	ok = livedump_read_iomem(path, &io, &probe) == 0;
	log_destroy(&probe);
	if (ok)
		*bytes = io.ram_bytes + io.pmem_bytes / 64;
	return ok;
}

int ld_image_size(const struct ld_status *st, const char *proc, struct ld_image_size *out,
		  struct log_ctx *log)
{
	uint64_t header = ld_header_bytes(ld_possible_cpus()), ram;
	char path[PATH_MAX];

	out->bytes = ld_status_image_bytes(st, header);
	out->source = LD_SIZE_STATUS;
	if (out->bytes)
		return 0;
	snprintf(path, sizeof(path), "%s/iomem", proc);
	if (size_from_iomem(path, &ram)) {
		out->bytes = header + ram;
		out->source = LD_SIZE_IOMEM;
		return 0;
	}
	snprintf(path, sizeof(path), "%s/meminfo", proc);
	if (meminfo_bytes(path, "MemTotal", &ram)) {
		out->bytes = header + ram;
		out->source = LD_SIZE_MEMINFO;
		return 0;
	}
	return log_fail(log, PMD_EIO,
			"cannot tell the size of the image: no pages_ram in the status, no addresses in %s/iomem, no MemTotal in %s/meminfo",
			proc, proc);
}

const char *ld_size_source_text(enum ld_size_source s)
{
	switch (s) {
	case LD_SIZE_STATUS:
		return "the last dump's page counts";
	case LD_SIZE_IOMEM:
		return "System RAM in /proc/iomem";
	case LD_SIZE_MEMINFO:
		return "MemTotal, less than the image by the reserved memory";
	}
	return "?";
}

/*
 * "<real folder>/<name>" of a path that need not exist yet, in @out; the
 * folder must exist. The kernel thread opens the target from /, so a
 * relative path would be another file.
 */
static int absolute(const char *path, char *out, size_t size, struct log_ctx *log)
{
	char *copy = strdup(path), *copy2 = strdup(path), real[PATH_MAX];
	const char *dir, *base;
	int ret = 0;

	if (!copy || !copy2) {
		ret = log_fail(log, PMD_ENOMEM, "out of memory");
		goto out;
	}
	dir = dirname(copy);
	base = basename(copy2);
	if (!*path || !strcmp(base, "/") || !strcmp(base, ".") || !strcmp(base, "..")) {
		ret = log_fail(log, PMD_EINVAL, "'%s' names no file", path);
		goto out;
	}
	if (!realpath(dir, real)) {
		ret = log_fail(log, PMD_EINVAL, "the folder of %s: %s", path, strerror(errno));
		goto out;
	}
	if ((size_t)snprintf(out, size, "%s/%s", strcmp(real, "/") ? real : "", base) >= size)
		ret = log_fail(log, PMD_EINVAL, "path too long: %s", path);
out:
	free(copy);
	free(copy2);
	return ret;
}

/*
 * The folder must be one that only its owner writes: the kernel opens the
 * target by name, following links, as root; in /tmp another user could
 * put a link there between our check and the kernel's open, and have the
 * kernel truncate any file.
 */
static int check_folder(const char *path, struct log_ctx *log)
{
	char *copy = strdup(path);
	const char *dir;
	struct stat st;
	int ret = 0;

	if (!copy)
		return log_fail(log, PMD_ENOMEM, "out of memory");
	dir = dirname(copy);
	if (stat(dir, &st) < 0)
		ret = log_fail(log, PMD_EIO, "%s: %s", dir, strerror(errno));
	else if (st.st_mode & (S_IWGRP | S_IWOTH))
		ret = log_fail(log, PMD_EINVAL,
			       "%s may be written by others: the kernel follows links when it opens the target, use a folder only its owner writes (such as /var/crash)",
			       dir);
	free(copy);
	return ret;
}

/* Free bytes for a new image in the folder of @path, @reusable bytes of it freed first. */
static int check_room(const char *path, uint64_t image_bytes, uint64_t reusable,
		      struct log_ctx *log)
{
	char *copy = strdup(path);
	const char *dir;
	struct statvfs sv;
	uint64_t avail;
	int ret = 0;

	if (!copy)
		return log_fail(log, PMD_ENOMEM, "out of memory");
	dir = dirname(copy);
	if (statvfs(dir, &sv) < 0) {
		ret = log_fail(log, PMD_EIO, "%s: %s", dir, strerror(errno));
	} else if (sv.f_flag & ST_RDONLY) {
		ret = log_fail(log, PMD_EIO, "%s is on a read-only file system", dir);
	} else {
		avail = (uint64_t)sv.f_bavail * sv.f_frsize + reusable;
		if (avail < image_bytes)
			ret = log_fail(log, PMD_EINVAL,
				       "no room for the image in %s: it needs about %.1f MiB, the file system has %.1f MiB free",
				       dir, (double)image_bytes / MIB, (double)avail / MIB);
	}
	free(copy);
	return ret;
}

/*
 * The target as a regular file made by us (0600, @replace: an existing one
 * made anew) after the folder and room checks; @reusable: bytes the
 * kernel's truncation frees.
 */
static int make_file(struct ld_target *t, uint64_t image_bytes, uint64_t reusable, bool replace,
		     struct log_ctx *log)
{
	struct out_file of;
	int ret;

	ret = check_folder(t->path, log);
	if (!ret)
		ret = check_room(t->path, image_bytes, reusable, log);
	if (!ret)
		ret = out_file_create(&of, log, t->path, replace);
	if (!ret)
		ret = out_file_finish(&of);
	t->created = !ret;
	return ret;
}

int ld_target_prepare(struct ld_target *t, const char *path, uint64_t image_bytes, bool force,
		      struct log_ctx *log)
{
	struct out_file of;
	bool exists = false;
	struct stat st;
	int ret;

	memset(t, 0, sizeof(*t));
	if (lstat(path, &st) == 0) {
		exists = true;
		/* A link names the real target (/dev/disk/by-id/...). */
		if (!realpath(path, t->path))
			return log_fail(log, PMD_EINVAL, "%s: %s", path, strerror(errno));
		if (stat(t->path, &st) < 0)
			return log_fail(log, PMD_EIO, "%s: %s", t->path, strerror(errno));
	} else if (errno == ENOENT) {
		ret = absolute(path, t->path, sizeof(t->path), log);
		if (ret)
			return ret;
	} else {
		return log_fail(log, PMD_EIO, "%s: %s", path, strerror(errno));
	}

	if (!exists)
		return make_file(t, image_bytes, 0, false, log);
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
		return log_fail(log, PMD_EINVAL,
				"%s is %s: the image goes to a regular file or a block device",
				t->path, file_kind(st.st_mode));
	if (!force)
		return log_fail(log, PMD_EEXIST,
				"%s exists (%s): an existing dump is never overwritten by accident (--force to overwrite it)",
				t->path, file_kind(st.st_mode));
	/* The kernel truncates the file: its blocks are free again; made
	 * anew, it is 0600 whatever the old mode was. */
	if (S_ISREG(st.st_mode))
		return make_file(t, image_bytes, (uint64_t)st.st_blocks * 512, true, log);
	/* A block device: O_EXCL refuses one that is mounted or in use. */
	ret = out_file_create(&of, log, t->path, true);
	if (ret)
		return ret;
	t->device = true;
	t->dev_size = of.dev_size;
	ret = out_file_finish(&of);
	if (!ret && t->dev_size < image_bytes)
		ret = log_fail(log, PMD_EINVAL,
			       "%s is too small: %.1f MiB for an image of about %.1f MiB",
			       t->path, (double)t->dev_size / MIB, (double)image_bytes / MIB);
	return ret;
}

int ld_target_temp(struct ld_target *t, const char *near, uint64_t image_bytes,
		   struct log_ctx *log)
{
	char abs[PATH_MAX];
	int fd, ret;

	memset(t, 0, sizeof(*t));
	ret = absolute(near, abs, sizeof(abs), log);
	if (!ret && (size_t)snprintf(t->path, sizeof(t->path), "%s.capture-XXXXXX", abs) >=
			    sizeof(t->path))
		ret = log_fail(log, PMD_EINVAL, "path too long: %s", abs);
	if (!ret)
		ret = check_folder(abs, log);
	if (!ret)
		ret = check_room(abs, image_bytes, 0, log);
	if (ret)
		return ret;
	/* mkostemp: 0600 and O_EXCL, as a target we create must be. */
	fd = mkostemp(t->path, O_CLOEXEC);
	if (fd < 0)
		return log_fail(log, PMD_EIO, "cannot create %s: %s", t->path, strerror(errno));
	close(fd);
	t->created = true;
	return 0;
}

bool ld_target_remove(struct ld_target *t)
{
	if (!t->created || t->device)
		return false;
	t->created = false;
	return unlink(t->path) == 0;
}
