// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The crash kernel ranges and the capture kernel's e820, from the first
 * kernel's /proc/iomem. The e820 follows crash_setup_memmap_entries()
 * (arch/x86/kernel/crash.c), with pmem added (doc/kexec-design.md §5).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "src/sysmem.h"
#include "util/sysfs.h"

#define CRASH_NAME	"Crash kernel"
#define PAGE		4096u
#define LOW_1M_LAST	0xfffffull

/* Read as non-root, /proc/iomem prints every range as 0-0. */
static bool tree_has_no_addresses(const struct iomem_tree *t)
{
	const struct iomem_node *n;

	for (n = iomem_next(t, NULL, NULL); n; n = iomem_next(t, n, NULL))
		if (n->start || n->end)
			return false;
	return t->first != NULL;
}

int crash_ranges_find(const struct iomem_tree *t, struct crash_ranges *cr, struct log_ctx *log)
{
	const struct iomem_node *n;
	unsigned int nr = 0;

	memset(cr, 0, sizeof(*cr));
	if (tree_has_no_addresses(t))
		return log_fail(log, PMD_EIO, "/proc/iomem shows no addresses: run as root");

	for (n = iomem_next(t, NULL, CRASH_NAME); n; n = iomem_next(t, n, CRASH_NAME)) {
		if (strcmp(n->name, CRASH_NAME))
			continue;
		if (nr < 2) {
			/* An exclusive end: the top byte of the address space cannot be one. */
			if (n->end == UINT64_MAX)
				return log_fail(log, PMD_ECORRUPT,
						"the \"Crash kernel\" range at 0x%llx runs to "
						"the end of the address space",
						(unsigned long long)n->start);
			cr->r[nr].start = n->start;
			cr->r[nr].end = n->end + 1;
		}
		nr++;
	}
	if (nr == 0)
		return log_fail(log, PMD_EUNSUPPORTED,
				"no crash kernel memory is reserved (boot with crashkernel=)");
	if (nr > 2) {
		memset(cr, 0, sizeof(*cr));
		return log_fail(log, PMD_ECORRUPT,
				"%u \"Crash kernel\" ranges in /proc/iomem: the kernel reserves "
				"at most two (crashkernel= and its low part)", nr);
	}
	cr->nr = nr;
	if (nr == 2) {
		struct mem_range tmp;

		if (cr->r[0].start > cr->r[1].start) {
			tmp = cr->r[0];
			cr->r[0] = cr->r[1];
			cr->r[1] = tmp;
		}
		if (cr->r[0].end > cr->r[1].start) {
			unsigned long long s0 = cr->r[0].start, e0 = cr->r[0].end - 1;
			unsigned long long s1 = cr->r[1].start, e1 = cr->r[1].end - 1;

			memset(cr, 0, sizeof(*cr));
			return log_fail(log, PMD_ECORRUPT,
					"the \"Crash kernel\" ranges 0x%llx-0x%llx and "
					"0x%llx-0x%llx overlap", s0, e0, s1, e1);
		}
	}
	return 0;
}

/* Entries are kept with inclusive ends while building: no overflow at the top. */
struct span {
	uint64_t start, last;
	uint32_t type;
};

struct spans {
	struct span *s;
	size_t nr, cap;
};

static int spans_add(struct spans *v, uint64_t start, uint64_t last, uint32_t type,
		     struct log_ctx *log)
{
	if (v->nr == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 32;
		struct span *s = realloc(v->s, cap * sizeof(*s));

		if (!s)
			return log_fail(log, PMD_ENOMEM, "out of memory for the e820 table");
		v->s = s;
		v->cap = cap;
	}
	v->s[v->nr++] = (struct span){ start, last, type };
	return 0;
}

static bool name_in(const char *name, const char *const *names)
{
	for (; *names; names++)
		if (!strcmp(name, *names))
			return true;
	return false;
}

/*
 * The kernel's walk_iomem_res_desc(): depth first, the first node at or
 * after the cursor that matches is taken, clipped to [lo, hi], and the
 * search goes on after its end. A match nested in a match is thus skipped,
 * and a match nested in anything else is found, at any depth.
 */
static int walk_like_kernel(struct spans *v, const struct iomem_tree *t, const char *const *names,
			    bool prefix, uint64_t lo, uint64_t hi, uint32_t type,
			    struct log_ctx *log)
{
	const struct iomem_node *n;
	uint64_t cursor = lo, s, e;
	int ret;

	for (n = iomem_next(t, NULL, NULL); n; n = iomem_next(t, n, NULL)) {
		if (n->start > hi || n->end < cursor)
			continue;
		if (prefix ? strncmp(n->name, names[0], strlen(names[0]))
			   : !name_in(n->name, names))
			continue;
		s = n->start > cursor ? n->start : cursor;
		e = n->end < hi ? n->end : hi;
		ret = spans_add(v, s, e, type, log);
		if (ret)
			return ret;
		if (e == hi)
			break;
		cursor = e + 1;
	}
	return 0;
}

/* The main crash range minus @keep, as RAM, pieces under a page dropped. */
static int add_crash_main(struct spans *v, const struct mem_range *r, const struct mem_range *keep,
			  struct log_ctx *log)
{
	struct mem_range piece[2] = { *r, { 0, 0 } };
	unsigned int i;
	int ret;

	if (keep && keep->end > keep->start && keep->start < r->end && keep->end > r->start) {
		piece[0].end = keep->start > r->start ? keep->start : r->start;
		piece[1].start = keep->end < r->end ? keep->end : r->end;
		piece[1].end = r->end;
	}
	for (i = 0; i < 2; i++) {
		if (piece[i].end <= piece[i].start || piece[i].end - piece[i].start < PAGE)
			continue;
		ret = spans_add(v, piece[i].start, piece[i].end - 1, E820_RAM, log);
		if (ret)
			return ret;
	}
	return 0;
}

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return 0;
}

int e820_build(struct e820_map *m, const struct iomem_tree *t, const struct crash_ranges *cr,
	       const struct mem_range *keep, struct log_ctx *log)
{
	static const char *const ram[] = { "System RAM", NULL };
	static const char *const acpi[] = { "ACPI Tables", NULL };
	static const char *const nvs[] = { "ACPI Non-volatile Storage", NULL };
	static const char *const reserved[] = { "Reserved", "reserved", NULL };
	static const char *const pmem[] = { "Persistent Memory", NULL };
	static const char *const pmem_legacy[] = { "Persistent Memory (legacy)", NULL };
	struct spans v = { 0 };
	size_t i, out;
	int ret;

	memset(m, 0, sizeof(*m));
	if (!cr || cr->nr < 1 || cr->nr > 2)
		return log_fail(log, PMD_EINVAL, "e820: no crash kernel range given");

	/* "System RAM (kmem)" too: the kernel matches IORESOURCE_SYSTEM_RAM. */
	ret = walk_like_kernel(&v, t, ram, true, 0, LOW_1M_LAST, E820_RAM, log);
	if (!ret)
		ret = walk_like_kernel(&v, t, acpi, false, 0, UINT64_MAX, E820_ACPI, log);
	if (!ret)
		ret = walk_like_kernel(&v, t, nvs, false, 0, UINT64_MAX, E820_NVS, log);
	if (!ret)
		ret = walk_like_kernel(&v, t, reserved, false, 0, UINT64_MAX, E820_RESERVED, log);
	if (!ret)
		ret = walk_like_kernel(&v, t, pmem, false, 0, UINT64_MAX, E820_PMEM, log);
	/* Reserved, not 12: type 12 would hand the range to nd_e820 and libnvdimm. */
	if (!ret)
		ret = walk_like_kernel(&v, t, pmem_legacy, false, 0, UINT64_MAX, E820_RESERVED,
				       log);
	if (!ret && cr->nr == 2 && cr->r[0].end > cr->r[0].start)
		ret = spans_add(&v, cr->r[0].start, cr->r[0].end - 1, E820_RAM, log);
	if (!ret)
		ret = add_crash_main(&v, crash_main(cr), keep, log);
	if (ret) {
		free(v.s);
		return ret;
	}

	qsort(v.s, v.nr, sizeof(*v.s), span_cmp);
	/* Merge entries of one type that overlap or touch; other types stay apart. */
	out = 0;
	for (i = 0; i < v.nr; i++) {
		struct span *prev = out ? &v.s[out - 1] : NULL;

		if (prev && prev->type == v.s[i].type &&
		    (prev->last == UINT64_MAX || v.s[i].start <= prev->last + 1)) {
			if (v.s[i].last > prev->last)
				prev->last = v.s[i].last;
			continue;
		}
		v.s[out++] = v.s[i];
	}

	m->e = calloc(out ? out : 1, sizeof(*m->e));
	if (!m->e) {
		free(v.s);
		return log_fail(log, PMD_ENOMEM, "out of memory for the e820 table");
	}
	for (i = 0; i < out; i++) {
		uint64_t size = v.s[i].last - v.s[i].start + 1;

		/* Only [0, 2^64) has no size in 64 bits: lose its last byte. */
		m->e[i] = (struct e820_ent){ v.s[i].start, size ? size : UINT64_MAX, v.s[i].type };
	}
	m->nr = (unsigned int)out;
	m->cap = (unsigned int)(out ? out : 1);
	free(v.s);
	return 0;
}

void e820_free(struct e820_map *m)
{
	free(m->e);
	memset(m, 0, sizeof(*m));
}

uint64_t sysmem_ram_span(const struct iomem_tree *t)
{
	const struct iomem_node *n;
	uint64_t lo = UINT64_MAX, hi = 0;
	bool any = false;

	for (n = iomem_next(t, NULL, "System RAM"); n; n = iomem_next(t, n, "System RAM")) {
		if (n->start < lo)
			lo = n->start;
		if (n->end > hi)
			hi = n->end;
		any = true;
	}
	if (!any)
		return 0;
	return hi - lo == UINT64_MAX ? UINT64_MAX : hi - lo + 1;
}

int e820_from_firmware(struct e820_map *m, const char *root, struct log_ctx *log)
{
	static const struct {
		const char *name;
		uint32_t type;
	} types[] = {
		{ "System RAM", E820_RAM },
		{ "Reserved", E820_RESERVED },
		{ "ACPI Tables", E820_ACPI },
		{ "ACPI Non-volatile Storage", E820_NVS },
		{ "Unusable memory", E820_UNUSABLE },
		{ "Persistent Memory", E820_PMEM },
		{ "Persistent Memory (legacy)", E820_PRAM },
		{ "Soft Reserved", E820_SOFT_RESERVED },
	};
	char path[128], type[SYSFS_LINE_MAX];
	uint64_t start, end;
	unsigned int n, i;
	int ret;

	memset(m, 0, sizeof(*m));
	if (!sysfs_exists(root, "/sys/firmware/memmap/0"))
		return log_fail(log, PMD_EUNSUPPORTED,
				"no /sys/firmware/memmap: this kernel does not show its firmware memory map");
	/* The kernel keeps at most a few hundred entries; 4096 bounds a hostile tree. */
	for (n = 0; n < 4096; n++) {
		struct e820_ent *e;

		snprintf(path, sizeof(path), "/sys/firmware/memmap/%u", n);
		if (!sysfs_exists(root, path))
			break;
		snprintf(path, sizeof(path), "/sys/firmware/memmap/%u/start", n);
		ret = sysfs_read_hex(root, path, &start, log);
		if (!ret) {
			snprintf(path, sizeof(path), "/sys/firmware/memmap/%u/end", n);
			ret = sysfs_read_hex(root, path, &end, log);
		}
		if (!ret) {
			snprintf(path, sizeof(path), "/sys/firmware/memmap/%u/type", n);
			ret = sysfs_read_line(root, path, type, sizeof(type), log);
		}
		if (!ret && end < start)
			ret = log_fail(log, PMD_ECORRUPT, "/sys/firmware/memmap/%u ends before it starts",
				       n);
		for (i = 0; !ret && i < sizeof(types) / sizeof(types[0]); i++)
			if (!strcmp(type, types[i].name))
				break;
		if (!ret && i == sizeof(types) / sizeof(types[0]))
			ret = log_fail(log, PMD_ECORRUPT, "/sys/firmware/memmap/%u: unknown type '%s'",
				       n, type);
		if (!ret && m->nr == m->cap) {
			unsigned int cap = m->cap ? m->cap * 2 : 64;

			e = realloc(m->e, cap * sizeof(*e));
			if (!e)
				ret = log_fail(log, PMD_ENOMEM, "out of memory for the e820 table");
			else {
				m->e = e;
				m->cap = cap;
			}
		}
		if (ret) {
			e820_free(m);
			return ret;
		}
		m->e[m->nr++] = (struct e820_ent){ start, end - start + 1, types[i].type };
	}
	return 0;
}
