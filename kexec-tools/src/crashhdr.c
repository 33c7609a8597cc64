// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The crash ELF core header for kexec_load: the program headers the
 * kernel's kexec_file_load path writes (crash_prepare_elf64_headers() in
 * kernel/kexec_file.c, prepare_elf_headers() in arch/x86/kernel/crash.c),
 * plus the PF_DEV pmem PT_LOADs of kernel series patch 0002, so a stock
 * kernel's /proc/vmcore holds the pmem metadata too.
 */
#include <elf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "elfcore/elfcore.h"
#include "kabi/pmem_kdump.h"
#include "src/crashhdr.h"

/* The kernel always reserves the low 1 MiB (reserve_real_mode()); kexec_file leaves it out. */
#define LOW_MEM_END (1ull << 20)

#define RWX (PF_R | PF_W | PF_X)

/* As many RAM pieces as kexec-tools 2.0.25 reads (CRASH_MAX_MEMORY_RANGES). */
#define CRASHHDR_MAX_RANGES 32768

struct seg_list {
	struct elfcore_seg *s;
	unsigned int nr, cap;
};

static int seg_add(struct seg_list *l, uint32_t type, uint32_t flags, uint64_t paddr,
		   uint64_t vaddr, uint64_t size, struct log_ctx *log)
{
	if (l->nr == l->cap) {
		unsigned int grown = l->cap ? l->cap * 2 : 64;
		struct elfcore_seg *s;

		if (l->nr >= CRASHHDR_MAX_RANGES)
			return log_fail(log, PMD_EUNSUPPORTED,
					"more than %u program headers in the crash ELF header",
					CRASHHDR_MAX_RANGES);
		s = realloc(l->s, grown * sizeof(*s));
		if (!s)
			return log_fail(log, PMD_ENOMEM, "out of memory for program headers");
		l->s = s;
		l->cap = grown;
	}
	l->s[l->nr++] = (struct elfcore_seg){
		.type = type, .flags = flags, .paddr = paddr, .vaddr = vaddr, .size = size,
	};
	return 0;
}

/* Remove [lo, hi) from the loads l->s[first..]; a hole in the middle splits one. */
static int seg_cut(struct seg_list *l, unsigned int first, uint64_t lo, uint64_t hi,
		   uint64_t page_offset, struct log_ctx *log)
{
	unsigned int i;
	int ret;

	for (i = first; i < l->nr; i++) {
		struct elfcore_seg *s = &l->s[i];
		uint64_t start = s->paddr, end = s->paddr + s->size;

		if (hi <= start || lo >= end)
			continue;
		if (lo > start && hi < end) {
			uint32_t flags = s->flags;

			s->size = lo - start;
			ret = seg_add(l, PT_LOAD, flags, hi, page_offset + hi, end - hi, log);
			if (ret < 0)
				return ret;
		} else if (lo > start) {
			s->size = lo - start;
		} else if (hi < end) {
			s->paddr = hi;
			s->vaddr = page_offset + hi;
			s->size = end - hi;
		} else {
			l->s[i--] = l->s[--l->nr];
		}
	}
	return 0;
}

static bool has_ram_ancestor(const struct iomem_node *n)
{
	for (n = n->parent; n; n = n->parent)
		if (!strncmp(n->name, "System RAM", 10))
			return true;
	return false;
}

/*
 * walk_system_ram_res() takes every IORESOURCE_SYSTEM_RAM resource, at
 * any depth: "System RAM" and kmem's "System RAM (kmem)" under pmem.
 */
static int add_ram(struct seg_list *l, const struct crashhdr_in *in, struct log_ctx *log)
{
	uint64_t po = in->kernel->page_offset;
	const struct iomem_node *n;
	unsigned int first = l->nr, i;
	int ret;

	for (n = iomem_next(in->iomem, NULL, "System RAM"); n;
	     n = iomem_next(in->iomem, n, "System RAM")) {
		if (has_ram_ancestor(n))
			continue;
		if (n->end < n->start || n->end == UINT64_MAX)
			return log_fail(log, PMD_ECORRUPT, "iomem: bad System RAM range %#llx-%#llx",
					(unsigned long long)n->start, (unsigned long long)n->end);
		ret = seg_add(l, PT_LOAD, RWX, n->start, po + n->start, n->end - n->start + 1, log);
		if (ret < 0)
			return ret;
	}
	ret = seg_cut(l, first, 0, LOW_MEM_END, po, log);
	for (i = 0; ret >= 0 && in->crash && i < in->crash->nr; i++)
		ret = seg_cut(l, first, in->crash->r[i].start, in->crash->r[i].end, po, log);
	/* 2.0.25 leaves the GART aperture out too: reading it can hang a machine. */
	for (n = iomem_next(in->iomem, NULL, "GART"); ret >= 0 && n;
	     n = iomem_next(in->iomem, n, "GART"))
		if (!strcmp(n->name, "GART") && n->end >= n->start && n->end != UINT64_MAX)
			ret = seg_cut(l, first, n->start, n->end + 1, po, log);
	if (ret < 0)
		return ret;
	if (l->nr == first)
		return log_fail(log, PMD_EIO,
				"/proc/iomem shows no System RAM above 1 MiB: run as root");
	return 0;
}

/* "Kernel code" starts at __pa_symbol(_text), as kcore's text segment does. */
static int check_text(const struct crashhdr_in *in, struct log_ctx *log)
{
	const struct iomem_node *n;

	for (n = iomem_next(in->iomem, NULL, "Kernel code"); n;
	     n = iomem_next(in->iomem, n, "Kernel code")) {
		if (strcmp(n->name, "Kernel code"))
			continue;
		if (n->start != in->kernel->text_paddr)
			return log_fail(log, PMD_ECORRUPT,
					"/proc/kcore puts the kernel text at %#llx, /proc/iomem's \"Kernel code\" at %#llx",
					(unsigned long long)in->kernel->text_paddr,
					(unsigned long long)n->start);
		return 0;
	}
	return 0;
}

static int by_paddr(const void *a, const void *b)
{
	const struct elfcore_seg *x = a, *y = b;

	return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

int crashhdr_build(const struct crashhdr_in *in, void **buf, size_t *len, struct log_ctx *log)
{
	const struct live_kernel *k = in->kernel;
	struct seg_list l = { 0 };
	unsigned int i, loads;
	int ret;

	*buf = NULL;
	*len = 0;
	ret = check_text(in, log);
	if (ret < 0)
		return ret;
	/* p_vaddr 0, p_flags 0 for notes, as the kernel writes them. */
	for (i = 0; ret >= 0 && i < k->nr_cpu_notes; i++)
		ret = seg_add(&l, PT_NOTE, 0, k->cpu_notes[i].paddr, 0, k->cpu_notes[i].size, log);
	if (ret >= 0)
		ret = seg_add(&l, PT_NOTE, 0, k->vmcoreinfo_paddr, 0, k->vmcoreinfo_size, log);
	if (ret >= 0)
		ret = seg_add(&l, PT_LOAD, RWX, k->text_paddr, k->text_vaddr, k->text_size, log);
	if (ret < 0)
		goto out;

	loads = l.nr;
	ret = add_ram(&l, in, log);
	for (i = 0; ret >= 0 && in->pmem && i < in->pmem->nr; i++) {
		const struct pmem_live_range *r = &in->pmem->r[i];

		ret = seg_add(&l, PT_LOAD, RWX | PMD_PF_DEV, r->start, k->page_offset + r->start,
			      r->end - r->start, log);
	}
	if (ret < 0)
		goto out;
	/*
	 * The kernel lists RAM, then pmem; we sort both by address, which is
	 * the same order wherever pmem lies above all RAM.
	 */
	qsort(l.s + loads, l.nr - loads, sizeof(*l.s), by_paddr);
	for (i = loads + 1; i < l.nr; i++) {
		if (l.s[i].paddr < l.s[i - 1].paddr + l.s[i - 1].size) {
			ret = log_fail(log, PMD_ECORRUPT,
				       "PT_LOADs at %#llx and %#llx overlap: pmem inside System RAM?",
				       (unsigned long long)l.s[i - 1].paddr,
				       (unsigned long long)l.s[i].paddr);
			goto out;
		}
	}
	ret = elfcore_build_header(l.s, l.nr, buf, len, log);
out:
	free(l.s);
	return ret;
}

static const char *type_name(uint32_t type)
{
	switch (type) {
	case PT_NOTE:
		return "NOTE";
	case PT_LOAD:
		return "LOAD";
	default:
		return "?";
	}
}

void crashhdr_print(FILE *f, const void *buf, size_t len)
{
	const Elf64_Ehdr *eh = buf;
	Elf64_Phdr ph;
	unsigned int i;

	if (len < sizeof(*eh) || eh->e_phoff > len ||
	    (len - eh->e_phoff) / sizeof(ph) < eh->e_phnum) {
		fprintf(f, "elfcorehdr: %zu bytes, not a whole ELF header\n", len);
		return;
	}
	fprintf(f, "elfcorehdr: %u program headers, %zu bytes\n", eh->e_phnum, len);
	for (i = 0; i < eh->e_phnum; i++) {
		const uint8_t *at = (const uint8_t *)buf + eh->e_phoff + (size_t)i * sizeof(ph);
		char flags[32];

		memcpy(&ph, at, sizeof(ph));
		snprintf(flags, sizeof(flags), "%c%c%c%s", ph.p_flags & PF_R ? 'R' : '-',
			 ph.p_flags & PF_W ? 'W' : '-', ph.p_flags & PF_X ? 'X' : '-',
			 ph.p_flags & PMD_PF_DEV ? "+DEV" : "");
		if (ph.p_flags & ~(uint32_t)(RWX | PMD_PF_DEV))
			snprintf(flags + strlen(flags), sizeof(flags) - strlen(flags), "+%#x",
				 ph.p_flags & ~(uint32_t)(RWX | PMD_PF_DEV));
		fprintf(f, "phdr[%u] %-4s paddr 0x%016" PRIx64 " vaddr 0x%016" PRIx64
			" size 0x%" PRIx64 " %s\n", i, type_name(ph.p_type), ph.p_paddr, ph.p_vaddr,
			ph.p_memsz, flags);
	}
}
