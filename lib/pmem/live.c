// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The running system's persistent memory as PF_DEV ranges of a crash ELF
 * header: either every pmem resource of /proc/iomem (what the kernel's
 * kexec_file_load does with series patch 0002), or only the device memmaps
 * that libnvdimm's sysfs describes, so no user data reaches /proc/vmcore.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmem/live.h"
#include "util/sysfs.h"

/* As many ranges as kexec-tools 2.0.25 reads (CRASH_MAX_MEMORY_RANGES). */
#define PMEM_LIVE_MAX 32768

#define ND_DEVICES "/sys/bus/nd/devices"

static int add_range(struct pmem_live *out, unsigned int *cap, uint64_t start, uint64_t end,
		     const char *source, struct log_ctx *log)
{
	struct pmem_live_range *r;

	if (out->nr == *cap) {
		unsigned int grown = *cap ? *cap * 2 : 8;

		if (out->nr >= PMEM_LIVE_MAX)
			return log_fail(log, PMD_EUNSUPPORTED, "more than %u persistent memory ranges",
					PMEM_LIVE_MAX);
		r = realloc(out->r, grown * sizeof(*r));
		if (!r)
			return log_fail(log, PMD_ENOMEM, "out of memory for pmem ranges");
		out->r = r;
		*cap = grown;
	}
	r = &out->r[out->nr++];
	r->start = start;
	r->end = end;
	snprintf(r->source, sizeof(r->source), "%s", source);
	return 0;
}

static bool is_pmem_name(const char *name)
{
	return !strcmp(name, "Persistent Memory") || !strcmp(name, "Persistent Memory (legacy)");
}

static bool has_pmem_ancestor(const struct iomem_node *n)
{
	for (n = n->parent; n; n = n->parent)
		if (is_pmem_name(n->name))
			return true;
	return false;
}

/* The next node of @top's subtree after @n, depth first, or NULL. */
static const struct iomem_node *subtree_next(const struct iomem_node *top,
					     const struct iomem_node *n)
{
	if (n->child)
		return n->child;
	while (n != top) {
		if (n->next)
			return n->next;
		n = n->parent;
	}
	return NULL;
}

/* Cut [lo, hi) out of the ranges from index @first on (all one pmem node's pieces). */
static int cut(struct pmem_live *out, unsigned int *cap, unsigned int first, uint64_t lo,
	       uint64_t hi, struct log_ctx *log)
{
	unsigned int i;
	int ret;

	for (i = first; i < out->nr; i++) {
		struct pmem_live_range *r = &out->r[i];
		uint64_t end = r->end;
		char source[sizeof(r->source)];

		if (hi <= r->start || lo >= end)
			continue;
		if (lo > r->start && hi < end) {
			/* A hole in the middle: the tail becomes a new piece. */
			r->end = lo;
			memcpy(source, r->source, sizeof(source));
			ret = add_range(out, cap, hi, end, source, log);
			if (ret < 0)
				return ret;
		} else if (lo > r->start) {
			r->end = lo;
		} else if (hi < end) {
			r->start = hi;
		} else {
			/* All of it: drop the piece. */
			out->r[i] = out->r[--out->nr];
			i--;
		}
	}
	return 0;
}

static int from_iomem(struct pmem_live *out, unsigned int *cap, const struct iomem_tree *t,
		      struct log_ctx *log)
{
	const struct iomem_node *n, *c;
	unsigned int first;
	int ret;

	for (n = iomem_next(t, NULL, "Persistent Memory"); n;
	     n = iomem_next(t, n, "Persistent Memory")) {
		if (!is_pmem_name(n->name) || has_pmem_ancestor(n))
			continue;
		if (!n->start && !n->end)
			return log_fail(log, PMD_EIO,
					"/proc/iomem shows no addresses: run as root");
		if (n->end < n->start || n->end == UINT64_MAX)
			return log_fail(log, PMD_ECORRUPT, "iomem: bad range of %s", n->name);
		first = out->nr;
		ret = add_range(out, cap, n->start, n->end + 1, n->name, log);
		if (ret < 0)
			return ret;
		/* kmem's "System RAM (kmem)" is already RAM in the header. */
		for (c = n->child; c; c = subtree_next(n, c)) {
			if (strncmp(c->name, "System RAM", 10) || c->end == UINT64_MAX)
				continue;
			ret = cut(out, cap, first, c->start, c->end + 1, log);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

/* "pfn<region>.<id>", "dax<region>.<id>", "namespace<region>.<id>": digits only. */
static bool is_nd_name(const char *name, const char *prefix)
{
	size_t len = strlen(prefix);
	const char *p = name + len;
	unsigned int digits;

	if (strncmp(name, prefix, len) || strlen(name) > 32)
		return false;
	for (digits = 0; *p >= '0' && *p <= '9'; p++)
		digits++;
	if (!digits || *p++ != '.')
		return false;
	for (digits = 0; *p >= '0' && *p <= '9'; p++)
		digits++;
	return digits && !*p;
}

/*
 * One pfn or dax device: its memmap range when it is bound and map=dev;
 * *@found false otherwise.
 */
static int nd_device(const char *root, const char *dev, uint64_t *start, uint64_t *end,
		     bool *found, struct log_ctx *log)
{
	char path[sizeof(ND_DEVICES) + 2 * 256 + 16], line[64];
	uint64_t ns_start, dev_start;
	int ret;

	*found = false;
	/* A seed or a disabled device has no driver, and no resource to read. */
	snprintf(path, sizeof(path), ND_DEVICES "/%s/driver", dev);
	if (!sysfs_exists(root, path))
		return 0;
	snprintf(path, sizeof(path), ND_DEVICES "/%s/mode", dev);
	ret = sysfs_read_line(root, path, line, sizeof(line), log);
	if (ret < 0)
		return ret;
	/* "ram" (map=mem) keeps its memmap in RAM; "none" is unconfigured. */
	if (strcmp(line, "pmem"))
		return 0;
	snprintf(path, sizeof(path), ND_DEVICES "/%s/namespace", dev);
	ret = sysfs_read_line(root, path, line, sizeof(line), log);
	if (ret < 0)
		return ret;
	if (!is_nd_name(line, "namespace"))
		return log_fail(log, PMD_ECORRUPT, "%s: '%.40s' is not a namespace name", path, line);

	snprintf(path, sizeof(path), ND_DEVICES "/%s/resource", line);
	ret = sysfs_read_hex(root, path, &ns_start, log);
	if (ret < 0)
		return ret;
	/* nsio start + start_pad + dataoff (pfn_devs.c resource_show()). */
	snprintf(path, sizeof(path), ND_DEVICES "/%s/resource", dev);
	ret = sysfs_read_hex(root, path, &dev_start, log);
	if (ret < 0)
		return ret;
	if (dev_start <= ns_start)
		return log_fail(log, PMD_ECORRUPT,
				"%s: data starts at %#llx, not after its namespace's start %#llx",
				dev, (unsigned long long)dev_start, (unsigned long long)ns_start);
	*start = ns_start;
	*end = dev_start;
	*found = true;
	return 0;
}

static int from_nd_sysfs(struct pmem_live *out, unsigned int *cap, const char *root,
			 struct log_ctx *log)
{
	char dir[4096];
	struct dirent *de;
	uint64_t start, end;
	bool found;
	DIR *d;
	int ret;

	ret = sysfs_path(dir, sizeof(dir), root, ND_DEVICES, log);
	if (ret < 0)
		return ret;
	d = opendir(dir);
	/* No nd bus: libnvdimm is not loaded, so no namespace is active. */
	if (!d)
		return 0;
	ret = 0;
	while ((de = readdir(d))) {
		if (!is_nd_name(de->d_name, "pfn") && !is_nd_name(de->d_name, "dax"))
			continue;
		ret = nd_device(root, de->d_name, &start, &end, &found, log);
		if (ret < 0)
			break;
		if (found && (ret = add_range(out, cap, start, end, de->d_name, log)) < 0)
			break;
	}
	closedir(d);
	return ret;
}

static int by_start(const void *a, const void *b)
{
	const struct pmem_live_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

int pmem_live_ranges(struct pmem_live *out, const struct iomem_tree *iomem, const char *root,
		     enum pmem_live_mode mode, struct log_ctx *log)
{
	unsigned int cap = 0, i;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	switch (mode) {
	case PMEM_LIVE_NONE:
		return 0;
	case PMEM_LIVE_ALL:
		ret = from_iomem(out, &cap, iomem, log);
		break;
	case PMEM_LIVE_MEMMAP:
		ret = from_nd_sysfs(out, &cap, root, log);
		break;
	default:
		ret = log_fail(log, PMD_EINVAL, "unknown pmem mode %d", (int)mode);
	}
	if (ret < 0)
		goto err;
	if (out->nr)
		qsort(out->r, out->nr, sizeof(*out->r), by_start);
	for (i = 1; i < out->nr; i++) {
		if (out->r[i].start < out->r[i - 1].end) {
			ret = log_fail(log, PMD_ECORRUPT, "pmem ranges of %s and %s overlap",
				       out->r[i - 1].source, out->r[i].source);
			goto err;
		}
	}
	return 0;
err:
	pmem_live_free(out);
	return ret;
}

void pmem_live_free(struct pmem_live *pl)
{
	free(pl->r);
	pl->r = NULL;
	pl->nr = 0;
}
