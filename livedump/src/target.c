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

#include "src/target.h"
#include "util/fileio.h"
#include "util/iomem.h"
#include "util/sysfs.h"

#define PAGE_BYTES 4096ULL
#define MIB (1024.0 * 1024.0)

/*
 * kernel-patches, livedump: LD_MAX_RANGES and LD_MAX_PMEM program
 * headers at most, two more (the note, the kernel text); ld_notes_max():
 * per CPU a "CORE" NT_PRSTATUS (a 12-byte note header, the name padded
 * to 8, 336 bytes of x86_64 elf_prstatus), VMCOREINFO (12 + 12 + a page
 * + 64), the LIVEDUMP note (12 + 12 + 16384) and a closing header.
 */
#define LD_MAX_RANGES 64
#define LD_MAX_PMEM 64
#define ELF_EHDR_BYTES 64
#define ELF_PHDR_BYTES 56
#define NOTE_PRSTATUS_BYTES (12 + 8 + 336)
#define NOTE_REST_BYTES (12 + 12 + 4096 + 64 + 12 + 12 + 16384 + 12)

uint64_t ld_header_bytes(unsigned int nr_cpus)
{
	uint64_t h = ELF_EHDR_BYTES + (LD_MAX_RANGES + LD_MAX_PMEM + 2) * ELF_PHDR_BYTES +
		     (uint64_t)nr_cpus * NOTE_PRSTATUS_BYTES + NOTE_REST_BYTES;

	return (h + PAGE_BYTES - 1) & ~(PAGE_BYTES - 1);
}

unsigned int ld_possible_cpus(void)
{
	uint64_t bits[8192 / 64];
	char line[SYSFS_LINE_MAX];
	struct log_ctx probe;
	unsigned int n = 0;
	long conf;

	/* A private log: a machine without the file is no error of ours. */
	log_init(&probe, "livedump");
	if (sysfs_read_line(NULL, "/sys/devices/system/cpu/possible", line, sizeof(line), &probe) == 0 &&
	    sysfs_parse_cpulist(line, bits, 8192, "possible cpus", &probe) == 0) {
		for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
			n += (unsigned int)__builtin_popcountll(bits[i]);
	}
	log_destroy(&probe);
	if (n)
		return n;
	conf = sysconf(_SC_NPROCESSORS_CONF);
	return conf > 0 ? (unsigned int)conf : 1;
}

/* Is @n below a node whose name starts with @prefix? */
static bool under(const struct iomem_node *n, const char *prefix)
{
	for (n = n->parent; n; n = n->parent)
		if (!strncmp(n->name, prefix, strlen(prefix)))
			return true;
	return false;
}

/* Bytes of the outermost nodes named @prefix...: what walk_system_ram_res visits. */
static uint64_t iomem_bytes(const struct iomem_tree *t, const char *prefix)
{
	const struct iomem_node *n = NULL;
	uint64_t sum = 0;

	/* Read as non-root every range is 0-0: it tells nothing. */
	while ((n = iomem_next(t, n, prefix)))
		if (n->end && !under(n, prefix))
			sum += n->end - n->start + 1;
	return sum;
}

/*
 * System RAM as the kernel dumps it, and at most the pmem memmaps (a
 * struct page of 64 bytes per 4 KiB page of pmem) it copies beside it.
 * False when the file shows no addresses (not root) or cannot be read.
 */
static bool size_from_iomem(const char *path, uint64_t *bytes)
{
	struct iomem_tree t = { 0 };
	struct log_ctx probe;
	uint64_t ram = 0;

	log_init(&probe, "livedump");
	if (iomem_read(&t, path, &probe) == 0) {
		ram = iomem_bytes(&t, "System RAM");
		if (ram)
			ram += iomem_bytes(&t, "Persistent Memory") / 64;
		iomem_free(&t);
	}
	log_destroy(&probe);
	*bytes = ram;
	return ram != 0;
}

static bool size_from_meminfo(const char *path, uint64_t *bytes)
{
	char line[256];
	unsigned long long kib;
	bool found = false;
	FILE *f = fopen(path, "re");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "MemTotal: %llu kB", &kib) == 1;
	fclose(f);
	if (found)
		*bytes = (uint64_t)kib * 1024;
	return found;
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
	if (size_from_meminfo(path, &ram)) {
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

	if (!exists) {
		ret = check_folder(t->path, log);
		if (!ret)
			ret = check_room(t->path, image_bytes, 0, log);
		if (!ret)
			ret = out_file_create(&of, log, t->path, false);
		if (!ret)
			ret = out_file_finish(&of);
		t->created = !ret;
		return ret;
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
		return log_fail(log, PMD_EINVAL,
				"%s is %s: the image goes to a regular file or a block device",
				t->path, file_kind(st.st_mode));
	if (!force)
		return log_fail(log, PMD_EEXIST,
				"%s exists (%s): an existing dump is never overwritten by accident (--force to overwrite it)",
				t->path, file_kind(st.st_mode));
	if (S_ISREG(st.st_mode)) {
		ret = check_folder(t->path, log);
		/* The kernel truncates the file: its blocks are free again. */
		if (!ret)
			ret = check_room(t->path, image_bytes, (uint64_t)st.st_blocks * 512, log);
		/* Made anew by out_file_create: 0600, whatever the old mode was. */
		if (!ret)
			ret = out_file_create(&of, log, t->path, true);
		if (!ret)
			ret = out_file_finish(&of);
		t->created = !ret;
		return ret;
	}
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
