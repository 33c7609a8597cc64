// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The plan of a guest dump: backing or full mode, the range QEMU dumps,
 * the --pmem-range arguments, and where each NVDIMM's backing file is.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "src/plan.h"
#include "src/qmp.h"

#define PAGE_SIZE 4096ULL

static bool member_u64(struct json_object *obj, const char *key, uint64_t *val)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_int))
		return false;
	*val = json_object_get_uint64(v);
	return true;
}

/* Address order, devices without an address last: the args come out sorted. */
static int memdev_cmp(const void *a, const void *b)
{
	const struct vm_memdev *x = a, *y = b;

	if (x->has_addr != y->has_addr)
		return x->has_addr ? -1 : 1;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return 0;
}

int vm_memdevs_parse(struct vm_plan *p, struct json_object *list, struct log_ctx *log)
{
	size_t n;

	if (!json_object_is_type(list, json_type_array))
		return log_fail(log, PMD_ECORRUPT, "query-memory-devices: not a list");
	n = json_object_array_length(list);
	free(p->devs);
	p->devs = n ? calloc(n, sizeof(*p->devs)) : NULL;
	p->nr_devs = 0;
	if (n && !p->devs)
		return log_fail(log, PMD_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		struct json_object *item = json_object_array_get_idx(list, i), *data;
		struct vm_memdev *d = &p->devs[p->nr_devs++];
		const char *type = qmp_member_string(item, "type"), *s;
		uint64_t slot;

		snprintf(d->type, sizeof(d->type), "%s", type ? type : "unknown");
		if (!json_object_object_get_ex(item, "data", &data))
			data = NULL;
		/* dimm and nvdimm say "addr", the virtio devices "memaddr". */
		d->has_addr = data && (member_u64(data, "addr", &d->addr) ||
				       member_u64(data, "memaddr", &d->addr));
		if (data)
			member_u64(data, "size", &d->size);
		s = data ? qmp_member_string(data, "memdev") : NULL;
		snprintf(d->memdev, sizeof(d->memdev), "%s", s ? s : "");
		s = data ? qmp_member_string(data, "id") : NULL;
		if (s)
			snprintf(d->name, sizeof(d->name), "%s", s);
		else if (data && member_u64(data, "slot", &slot))
			snprintf(d->name, sizeof(d->name), "%s slot %" PRIu64, d->type, slot);
		else
			snprintf(d->name, sizeof(d->name), "%s", d->type);
		if (strcmp(d->type, "nvdimm"))
			continue;
		if (!d->has_addr || !d->size || !d->memdev[0])
			return log_fail(log, PMD_ECORRUPT,
					"query-memory-devices: NVDIMM %s without addr, size or memdev",
					d->name);
		if (d->addr % PAGE_SIZE || d->size % PAGE_SIZE || d->addr + d->size < d->addr)
			return log_fail(log, PMD_EUNSUPPORTED,
					"NVDIMM %s at 0x%" PRIx64 ", 0x%" PRIx64 " bytes: not whole pages",
					d->name, d->addr, d->size);
	}
	if (p->nr_devs)
		qsort(p->devs, p->nr_devs, sizeof(*p->devs), memdev_cmp);
	return 0;
}

void vm_plan_choose(struct vm_plan *p, bool want_full)
{
	uint64_t ram = p->base_ram, pmem = 0;

	p->nr_nvdimms = 0;
	p->lowest_nvdimm = UINT64_MAX;
	p->note[0] = '\0';
	for (size_t i = 0; i < p->nr_devs; i++) {
		const struct vm_memdev *d = &p->devs[i];

		if (!vm_memdev_is_nvdimm(d)) {
			ram += d->size;
			continue;
		}
		p->nr_nvdimms++;
		pmem += d->size;
		if (d->addr < p->lowest_nvdimm)
			p->lowest_nvdimm = d->addr;
	}
	p->mode = VM_MODE_FULL;
	if (!p->nr_nvdimms) {
		p->lowest_nvdimm = 0;
	} else if (!want_full) {
		for (size_t i = 0; i < p->nr_devs && !p->note[0]; i++) {
			const struct vm_memdev *d = &p->devs[i];

			if (vm_memdev_is_nvdimm(d)) {
				if (d->why[0])
					snprintf(p->note, sizeof(p->note), "NVDIMM %s: %s", d->name, d->why);
			} else if (!d->has_addr) {
				snprintf(p->note, sizeof(p->note),
					 "the %s device %s has no address: a dump below the NVDIMMs might miss it",
					 d->type, d->name);
			} else if (d->addr >= p->lowest_nvdimm) {
				/* QEMU's begin/length cuts one range: RAM above pmem would be lost. */
				snprintf(p->note, sizeof(p->note),
					 "the %s device %s at 0x%" PRIx64 " lies above the lowest NVDIMM (0x%" PRIx64 ")",
					 d->type, d->name, d->addr, p->lowest_nvdimm);
			}
		}
		if (!p->note[0])
			p->mode = VM_MODE_BACKING;
	}
	p->expected_bytes = ram + VM_DUMP_SLACK + (p->mode == VM_MODE_FULL ? pmem : 0);
}

void vm_args_free(char **args, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		free(args[i]);
	free(args);
}

int vm_plan_pmem_args(const struct vm_plan *p, char ***args, size_t *nr, struct log_ctx *log)
{
	char **out = calloc(p->nr_nvdimms ? p->nr_nvdimms : 1, sizeof(*out));
	size_t n = 0;

	if (!out)
		return log_fail(log, PMD_ENOMEM, "out of memory");
	for (size_t i = 0; i < p->nr_devs; i++) {
		const struct vm_memdev *d = &p->devs[i];
		int len;

		if (!vm_memdev_is_nvdimm(d))
			continue;
		if (p->mode == VM_MODE_BACKING)
			len = asprintf(&out[n], "--pmem-range=0x%" PRIx64 "-0x%" PRIx64 ":%s",
				       d->addr, d->addr + d->size, d->path);
		else
			len = asprintf(&out[n], "--pmem-range=0x%" PRIx64 "-0x%" PRIx64,
				       d->addr, d->addr + d->size);
		if (len < 0) {
			out[n] = NULL;
			vm_args_free(out, n);
			return log_fail(log, PMD_ENOMEM, "out of memory");
		}
		n++;
	}
	*args = out;
	*nr = n;
	return 0;
}

static void append(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strnlen(buf, size);
	va_list ap;

	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

void vm_plan_describe(const struct vm_plan *p, char *buf, size_t size)
{
	const char *sep = "";

	buf[0] = '\0';
	if (p->mode == VM_MODE_BACKING) {
		append(buf, size, "backing mode: QEMU dumps [0, 0x%" PRIx64 "); pmem ", p->lowest_nvdimm);
	} else if (!p->nr_nvdimms) {
		append(buf, size, "full mode: the guest has no NVDIMM");
		return;
	} else {
		append(buf, size, "full mode (%s): QEMU dumps all memory; makedumpfile filters pmem ",
		       p->note[0] ? p->note : "--full");
	}
	for (size_t i = 0; i < p->nr_devs; i++) {
		const struct vm_memdev *d = &p->devs[i];

		if (!vm_memdev_is_nvdimm(d))
			continue;
		append(buf, size, "%s%s [0x%" PRIx64 ", 0x%" PRIx64 ")", sep, d->name, d->addr,
		       d->addr + d->size);
		if (p->mode == VM_MODE_BACKING)
			append(buf, size, " from %s", d->path);
		sep = ", ";
	}
}

bool vm_plan_same(const struct vm_plan *a, const struct vm_plan *b)
{
	size_t i = 0, j = 0;

	if (a->mode != b->mode || a->nr_nvdimms != b->nr_nvdimms)
		return false;
	for (;;) {
		while (i < a->nr_devs && !vm_memdev_is_nvdimm(&a->devs[i]))
			i++;
		while (j < b->nr_devs && !vm_memdev_is_nvdimm(&b->devs[j]))
			j++;
		if (i == a->nr_devs || j == b->nr_devs)
			return i == a->nr_devs && j == b->nr_devs;
		if (a->devs[i].addr != b->devs[j].addr || a->devs[i].size != b->devs[j].size ||
		    strcmp(a->devs[i].path, b->devs[j].path))
			return false;
		i++;
		j++;
	}
}

void vm_plan_free(struct vm_plan *p)
{
	free(p->devs);
	p->devs = NULL;
	p->nr_devs = 0;
}

/*
 * Whether process @pid maps the file @path (@st its stat): 1 yes, 0 no,
 * -1 the maps cannot be read. The inode number must match, and the device
 * or the path: some file systems (btrfs, overlayfs) show another device
 * number in the maps than stat() returns.
 */
static int maps_file(const char *proc, pid_t pid, const char *path, const struct stat *st)
{
	char name[PATH_MAX], *line = NULL;
	size_t cap = 0;
	int found = 0;
	FILE *f;

	snprintf(name, sizeof(name), "%s/%d/maps", proc, (int)pid);
	f = fopen(name, "re");
	if (!f)
		return -1;
	while (!found && getline(&line, &cap, f) > 0) {
		unsigned int maj, min;
		unsigned long long ino;
		int off = 0;
		char *file;

		if (sscanf(line, "%*s %*s %*s %x:%x %llu %n", &maj, &min, &ino, &off) < 3 || !off)
			continue;
		file = line + off;
		file[strcspn(file, "\n")] = '\0';
		if (ino != (unsigned long long)st->st_ino)
			continue;
		if ((maj == major(st->st_dev) && min == minor(st->st_dev)) || !strcmp(file, path))
			found = 1;
	}
	free(line);
	fclose(f);
	return found;
}

/*
 * The one file mapped by @pid whose path ends in "/@rel", into @out; false
 * when none or several.
 */
static bool maps_find_suffix(const char *proc, pid_t pid, const char *rel, char *out, size_t size)
{
	char name[PATH_MAX], *line = NULL;
	size_t cap = 0, rlen = strlen(rel);
	bool ambiguous = false;
	FILE *f;

	out[0] = '\0';
	snprintf(name, sizeof(name), "%s/%d/maps", proc, (int)pid);
	f = fopen(name, "re");
	if (!f)
		return false;
	while (getline(&line, &cap, f) > 0) {
		int off = 0;
		size_t flen;
		char *file;

		if (sscanf(line, "%*s %*s %*s %*s %*s %n", &off) < 0 || !off)
			continue;
		file = line + off;
		file[strcspn(file, "\n")] = '\0';
		flen = strlen(file);
		if (file[0] != '/' || flen <= rlen || file[flen - rlen - 1] != '/' ||
		    strcmp(file + flen - rlen, rel))
			continue;
		if (out[0] && strcmp(out, file))
			ambiguous = true;
		snprintf(out, size, "%s", file);
	}
	free(line);
	fclose(f);
	if (ambiguous)
		out[0] = '\0';
	return out[0] != '\0';
}

/* The file at @path can stand in for @d's pmem: a readable file of its size. */
static bool check_file(struct vm_memdev *d, const char *path, struct stat *st)
{
	if (stat(path, st) < 0) {
		snprintf(d->why, sizeof(d->why), "its mem-path %s: %s", path, strerror(errno));
		return false;
	}
	if (!S_ISREG(st->st_mode) && !S_ISBLK(st->st_mode)) {
		/* A directory: QEMU made a nameless file in it. A char device: device dax, mmap only. */
		snprintf(d->why, sizeof(d->why), "its mem-path %s is not a regular file or block device",
			 path);
		return false;
	}
	if (access(path, R_OK) < 0) {
		snprintf(d->why, sizeof(d->why), "cannot read its mem-path %s: %s", path, strerror(errno));
		return false;
	}
	if (S_ISREG(st->st_mode) && (uint64_t)st->st_size < d->size) {
		snprintf(d->why, sizeof(d->why), "its mem-path %s is shorter than the NVDIMM", path);
		return false;
	}
	return true;
}

bool vm_backing_resolve(struct vm_memdev *d, const char *mem_path, pid_t qemu_pid, const char *proc)
{
	char candidate[PATH_MAX], found[PATH_MAX];
	const char *rel = mem_path;
	struct stat st;
	int mapped;

	d->path[0] = '\0';
	d->why[0] = '\0';
	if (!mem_path[0]) {
		snprintf(d->why, sizeof(d->why), "its backend has an empty mem-path");
		return false;
	}
	if (mem_path[0] == '/') {
		if (!check_file(d, mem_path, &st))
			return false;
		mapped = qemu_pid > 0 ? maps_file(proc, qemu_pid, mem_path, &st) : -1;
		if (mapped == 0) {
			snprintf(d->why, sizeof(d->why),
				 "QEMU does not map its mem-path %s (replaced since QEMU opened it?)", mem_path);
			return false;
		}
		snprintf(d->path, sizeof(d->path), "%s", mem_path);
		return true;
	}
	if (qemu_pid <= 0) {
		snprintf(d->why, sizeof(d->why),
			 "its mem-path %s is relative and QEMU's pid is unknown: give QEMU an absolute mem-path",
			 mem_path);
		return false;
	}
	while (rel[0] == '.' && rel[1] == '/')
		rel += 2;
	/* QEMU's working directory, if it is still the one QEMU opened the file in. */
	if ((size_t)snprintf(candidate, sizeof(candidate), "%s/%d/cwd/%s", proc, (int)qemu_pid, rel) <
		    sizeof(candidate) &&
	    stat(candidate, &st) == 0 && realpath(candidate, found) &&
	    maps_file(proc, qemu_pid, found, &st) == 1) {
		if (!check_file(d, found, &st))
			return false;
		snprintf(d->path, sizeof(d->path), "%s", found);
		return true;
	}
	if (!strstr(rel, "../") && maps_find_suffix(proc, qemu_pid, rel, found, sizeof(found)) &&
	    stat(found, &st) == 0 && maps_file(proc, qemu_pid, found, &st) == 1) {
		if (!check_file(d, found, &st))
			return false;
		snprintf(d->path, sizeof(d->path), "%s", found);
		return true;
	}
	snprintf(d->why, sizeof(d->why),
		 "its mem-path %s is relative and QEMU's working directory does not lead to it: "
		 "give QEMU an absolute mem-path", mem_path);
	return false;
}

void vm_human_bytes(uint64_t bytes, char *buf, size_t size)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = (double)bytes;
	size_t u = 0;

	while (v >= 1024 && u + 1 < sizeof(unit) / sizeof(unit[0])) {
		v /= 1024;
		u++;
	}
	if (!u)
		snprintf(buf, size, "%" PRIu64 " B", bytes);
	else
		snprintf(buf, size, "%.1f %s", v, unit[u]);
}
